//go:build unix

package rules

import (
	"syscall"
	"testing"
	"time"
)

// cpuPerOp reports the process's CPU time per op (user + system, GC
// included): on a PC shared with other work, wall time per op measures the
// neighbours as much as the engine.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}
