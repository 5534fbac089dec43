//go:build !unix

package tallybridge_test

// cpuTime is not measured here; the benchmark reports zero.
func cpuTime() int64 { return 0 }
