// Package cli is `vitaran <command>`: the same facade as the desktop, for
// scripts, CI, a LAN server and head office. Errors go to stderr with a
// non-zero exit, and a command that fails writes nothing half-way.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"vitaran/backend/app"
)

// Env is what a command runs with.
type Env struct {
	Stdout, Stderr io.Writer
	Static         fs.FS // the built frontend, for serve
	Getenv         func(string) string
	// Ready is told the served URL once a server listens (tests use it).
	Ready func(url string)
	// Ctx ends a long-running command (serve) when cancelled.
	Ctx context.Context
}

type command struct {
	name, usage string
	run         func(env *Env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// errUsage means the command line was wrong; the usage has been printed.
var errUsage = errors.New("usage")

// Run runs one command line and returns the process exit code.
func Run(env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "vitaran: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	if err := c.run(env, args[1:]); err != nil {
		if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintf(env.Stderr, "vitaran %s: %v\n", c.name, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Vitaran %s — the distributor's DMS\n\nUsage: vitaran <command> [flags]\n\nCommands:\n", app.Version)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].usage)
	}
	fmt.Fprintf(w, "\nEvery command takes --data DIR (default %s).\nRun 'vitaran <command> -h' for its flags.\n", app.DefaultDataDir())
}

// flags makes a flag set that prints its errors to stderr.
func flags(env *Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("vitaran "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	data := fs.String("data", "", "the book's folder (default: the per-user app-data folder)")
	return fs, data
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}

func dataDir(d string) string {
	if d == "" {
		return app.DefaultDataDir()
	}
	return d
}

// open opens the app for a command.
func open(data string) (*app.App, error) { return app.Open(dataDir(data), app.Options{}) }

func init() {
	register(command{"version", "print the version", func(env *Env, args []string) error {
		fmt.Fprintln(env.Stdout, "vitaran", app.Version)
		return nil
	}})
}
