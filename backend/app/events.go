package app

import "sync"

// Progress is one tick of a long task, shown as a progress bar with counts.
type Progress struct {
	Task  string `json:"task"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Label string `json:"label,omitempty"`
}

// Events fans progress out to listeners: the SSE stream of the HTTP door and
// the Wails event bridge of the desktop.
type Events struct {
	mu   sync.Mutex
	subs map[chan Progress]struct{}
}

func newEvents() *Events { return &Events{subs: map[chan Progress]struct{}{}} }

// Subscribe returns a channel of progress events and its cancel function.
// A slow listener misses ticks rather than slowing the task.
func (e *Events) Subscribe() (<-chan Progress, func()) {
	ch := make(chan Progress, 64)
	e.mu.Lock()
	e.subs[ch] = struct{}{}
	e.mu.Unlock()
	return ch, func() {
		e.mu.Lock()
		delete(e.subs, ch)
		e.mu.Unlock()
	}
}

// Publish sends p to every listener without blocking.
func (e *Events) Publish(p Progress) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.subs {
		select {
		case ch <- p:
		default:
		}
	}
}

// Events is the app's progress bus.
func (a *App) Events() *Events { return a.events }

// progress returns a reporter for a task.
func (a *App) progress(task string) func(done, total int, label string) {
	return func(done, total int, label string) {
		a.events.Publish(Progress{Task: task, Done: done, Total: total, Label: label})
	}
}
