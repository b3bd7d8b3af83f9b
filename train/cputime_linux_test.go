//go:build linux

package train

import (
	"syscall"
	"time"
)

// threadCPU returns the processor time the calling OS thread has used (RUSAGE_THREAD),
// and true: on a machine shared with other jobs it counts only this thread's work, where
// a wall clock also counts the time the thread waited for a core.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD, which package syscall does not name
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
