package app

import (
	"context"
	"sync"
)

// Progress is one tick of a long task, shown as a progress bar with counts.
type Progress struct {
	Task  string `json:"task"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Label string `json:"label,omitempty"`
	// User started the task ("" for the app's own work: the scheduled
	// upload). Only that user and admins see its ticks.
	User string `json:"-"`
}

// Events fans progress out to listeners: the SSE stream of the HTTP door and
// the Wails event bridge of the desktop.
type Events struct {
	mu   sync.Mutex
	subs map[chan Progress]func(Progress) bool
}

func newEvents() *Events { return &Events{subs: map[chan Progress]func(Progress) bool{}} }

// Subscribe returns a channel of every progress event and its cancel
// function: for the desktop window, which is the one person at this PC.
// A slow listener misses ticks rather than slowing the task.
func (e *Events) Subscribe() (<-chan Progress, func()) {
	return e.subscribe(func(Progress) bool { return true })
}

// SubscribeAs is Subscribe for one logged-in user: the ticks of the tasks
// that user started, and, for an admin, every task's.
func (e *Events) SubscribeAs(user, role string) (<-chan Progress, func()) {
	return e.subscribe(func(p Progress) bool { return role == RoleAdmin || (p.User != "" && p.User == user) })
}

func (e *Events) subscribe(want func(Progress) bool) (<-chan Progress, func()) {
	ch := make(chan Progress, 64)
	e.mu.Lock()
	e.subs[ch] = want
	e.mu.Unlock()
	return ch, func() {
		e.mu.Lock()
		delete(e.subs, ch)
		e.mu.Unlock()
	}
}

// Publish sends p to every listener that may see it, without blocking.
func (e *Events) Publish(p Progress) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch, want := range e.subs {
		if !want(p) {
			continue
		}
		select {
		case ch <- p:
		default:
		}
	}
}

// Events is the app's progress bus.
func (a *App) Events() *Events { return a.events }

// progress returns a reporter for a task started by the caller in ctx.
func (a *App) progress(ctx context.Context, task string) func(done, total int, label string) {
	var user string // the app's own work when no one called
	if c, ok := ctx.Value(callerKey{}).(Caller); ok {
		user = c.User
	}
	return func(done, total int, label string) {
		a.events.Publish(Progress{Task: task, Done: done, Total: total, Label: label, User: user})
	}
}
