//go:build unix

package main

import (
	"os"
	"syscall"
)

// openFlags opens a file for reading without waiting: O_NONBLOCK makes open return at
// once on a FIFO or a device, and changes nothing for a regular file.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
