//go:build unix

package limitio

import "syscall"

// Mkfifo makes a named pipe at path, for tests of readers that must refuse one.
func Mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
