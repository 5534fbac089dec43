//go:build unix

package billing

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU so far. The bench machine is
// shared, so wall-clock figures move with the neighbours' load; CPU time per
// operation is the steadier before/after comparison.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
