//go:build !unix

package headoffice

import "time"

// cpuTime is zero where getrusage is missing: wall time stands alone.
func cpuTime() time.Duration { return 0 }
