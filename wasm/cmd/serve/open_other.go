//go:build !unix

package main

import "os"

// openFlags opens a file for reading. There is no FIFO in a folder here (Windows' named
// pipes live under \\.\pipe\; js has none), so a plain open does not wait.
const openFlags = os.O_RDONLY
