//go:build !desktop

package main

import (
	"io/fs"
	"os"

	"vitaran/backend/cli"
)

// runDesktop, in the CLI build, explains itself: the window needs the
// desktop build (make build / make build-windows).
func runDesktop(static fs.FS) int {
	cli.Run(&cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Static: static}, nil)
	return 0
}
