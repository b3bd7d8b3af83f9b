//go:build !unix

package limitio

import "errors"

// Mkfifo makes a named pipe at path, for tests of readers that must refuse one; there
// are none on this system.
func Mkfifo(path string) error { return errors.ErrUnsupported }
