//go:build !unix

package app

import "time"

func cpuNow() time.Duration { return 0 }
