//go:build unix

package headoffice

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU so far, GC and the decode
// workers included. On a PC shared with other work, wall time per batch
// measures the neighbours as much as the receiver.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
