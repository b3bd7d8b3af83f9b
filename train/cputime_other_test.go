//go:build !linux

package train

import "time"

// threadCPU reports false: only Linux gives a thread's processor time here.
func threadCPU() (time.Duration, bool) { return 0, false }
