// Command vitaran is the distributor's DMS: with no arguments it opens the
// desktop window (in the desktop build); with a command it is the CLI —
// serve, demo, check, backup, restore, import, export, tally, upload,
// headoffice.
package main

import (
	"embed"
	"io/fs"
	"os"

	"vitaran/backend/cli"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	static, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err)
	}
	if len(os.Args) > 1 {
		os.Exit(cli.Run(&cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Static: static}, os.Args[1:]))
	}
	os.Exit(runDesktop(static))
}
