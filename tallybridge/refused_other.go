//go:build !windows

package tallybridge

func refusedOnWindows(error) bool { return false }
