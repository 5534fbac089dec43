// Package app is the one facade over the book: every operation the UI can do
// is a method here, and both doors — the Wails desktop and `vitaran serve` —
// reach it through the same HTTP handler (the desktop in-process, without a
// socket). Handlers only decode, call and encode; the rules live in the
// domain packages.
//
// Always true: every route declares the roles that may call it, and the
// handler refuses a caller without a session (401) or with another role
// (403) before any method runs.
package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"vitaran/backend/backup"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/loginlimit"
	"vitaran/backend/masters"
)

// Version is the build's version, set by the linker.
var Version = "0.1.0-dev"

// App is an open book with everything that serves it.
type App struct {
	Book    *book.Book
	DataDir string

	sessions *sessions
	events   *Events
	throttle *loginlimit.Limiter // the LAN door's login limiter

	// Now is the clock; tests set it.
	Now func() time.Time

	mu         sync.Mutex
	closers    []func()
	localToken string
}

// Options tune Open.
type Options struct {
	NoSync bool // demo generation and benchmarks only
	// ReadOnly opens the book for reading only (`vitaran check`, `vitaran
	// export`): nothing is migrated or written, and another reader may
	// hold it at the same time.
	ReadOnly bool
	// LockWait is how long to wait for another process's lock (default 1 s).
	LockWait time.Duration
}

// DefaultDataDir is the OS's per-user app-data folder for Vitaran.
func DefaultDataDir() string {
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "Vitaran")
}

// ErrLocked means another process holds the book: a running server or the
// desktop (Open waits Options.LockWait for it).
var ErrLocked = book.ErrLocked

// BookPath is the book's file in dataDir.
func BookPath(dataDir string) string { return filepath.Join(dataDir, book.FileName) }

// Open opens (creating if needed) the book in dataDir.
func Open(dataDir string, opt Options) (*App, error) {
	if dataDir == "" {
		dataDir = DefaultDataDir()
	}
	b, err := book.Open(filepath.Join(dataDir, book.FileName), book.Options{NoSync: opt.NoSync, ReadOnly: opt.ReadOnly, LockWait: opt.LockWait,
		BeforeMigrate: func(b *book.Book, _ int) error {
			// The book before migrating, compressed and verified like any
			// backup, in the folder the settings name.
			_, err := backup.Write(b, backup.NewScheduler(b, dataDir).Folder(), backup.PreMigration, cal.Now())
			return err
		}})
	if err != nil {
		return nil, err
	}
	// the login throttle lives in the book: a restart resets no lockout
	throttle, err := loginlimit.Load(loginlimit.InBook(b))
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("login throttle: %w", err)
	}
	a := &App{Book: b, DataDir: dataDir, sessions: newSessions(b), events: newEvents(), throttle: throttle, Now: cal.Now}
	if opt.ReadOnly {
		return a, nil
	}
	if err := b.Update(masters.EnsureDefaults); err != nil {
		b.Close()
		return nil, fmt.Errorf("prepare book: %w", err)
	}
	return a, nil
}

// Close runs the registered closers and closes the book.
func (a *App) Close() error {
	a.mu.Lock()
	cs := a.closers
	a.closers = nil
	a.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
	return a.Book.Close()
}

// OnClose registers work to do before the book closes (stop schedulers).
func (a *App) OnClose(f func()) {
	a.mu.Lock()
	a.closers = append(a.closers, f)
	a.mu.Unlock()
}

// Today is the business day in India.
func (a *App) Today() cal.Date { return cal.Of(a.Now().In(cal.IST)) }

// Caller is who is calling a facade method.
type Caller struct {
	User string `json:"user"`
	Role string `json:"role"`
	From string `json:"from,omitempty"`
}

// Actor is the caller as the audit log records it.
func (c Caller) Actor() book.Actor { return book.Actor{User: c.User, Role: c.Role, From: c.From} }

type callerKey struct{}

// WithCaller returns ctx carrying the caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerOf returns the caller in ctx (the system, for CLI work).
func CallerOf(ctx context.Context) Caller {
	if c, ok := ctx.Value(callerKey{}).(Caller); ok {
		return c
	}
	return Caller{User: "system", Role: RoleAdmin, From: "cli"}
}

// update runs fn in a write transaction with the caller as the audit actor.
func (a *App) update(ctx context.Context, fn func(*book.Tx) error) error {
	return a.Book.UpdateAs(CallerOf(ctx).Actor(), fn)
}

// view runs fn in a read transaction.
func (a *App) view(fn func(*book.Tx) error) error { return a.Book.View(fn) }
