package tallybridge

import (
	"fmt"
	"sync"
	"time"
)

// MemQueue is a Queue in memory for the tests (the real one is the book's,
// tallybridge/posting); it lives in a test file so production code cannot
// reach it. It keeps entries in the order they were added.
type MemQueue struct {
	mu      sync.Mutex
	order   []string
	entries map[string]*Entry
}

// NewMemQueue returns an empty queue.
func NewMemQueue() *MemQueue { return &MemQueue{entries: map[string]*Entry{}} }

// Add queues a voucher under its RemoteID (pending). Adding an id that
// Tally already confirmed queues it again as an alteration.
func (q *MemQueue) Add(v Voucher) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.entries[v.RemoteID]; ok {
		e.Voucher = v
		e.InTally = e.InTally || e.State == StatePosted
		e.State = StatePending
		e.NextTry = time.Time{}
		return
	}
	q.order = append(q.order, v.RemoteID)
	q.entries[v.RemoteID] = &Entry{ID: v.RemoteID, Voucher: v, State: StatePending}
}

// Get returns a copy of one entry.
func (q *MemQueue) Get(id string) (Entry, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// All returns copies of every entry, posted ones included.
func (q *MemQueue) All() []Entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Entry, 0, len(q.order))
	for _, id := range q.order {
		out = append(out, *q.entries[id])
	}
	return out
}

// Count returns how many entries are in each state.
func (q *MemQueue) Count() map[State]int {
	out := map[State]int{}
	for _, e := range q.All() {
		out[e.State]++
	}
	return out
}

func (q *MemQueue) Pending() ([]Entry, error) {
	var out []Entry
	for _, e := range q.All() {
		if e.State != StatePosted {
			out = append(out, e)
		}
	}
	return out, nil
}

func (q *MemQueue) MarkSending(ids []string, at time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range ids {
		e, ok := q.entries[id]
		if !ok {
			return fmt.Errorf("tally queue: no entry %q", id)
		}
		e.State = StateSending
	}
	return nil
}

func (q *MemQueue) MarkPosted(id string, p Posting) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		return fmt.Errorf("tally queue: no entry %q", id)
	}
	e.State, e.Reason, e.InTally = StatePosted, "", true
	e.Attempts = p.Attempts
	return nil
}

func (q *MemQueue) MarkFailed(id string, f Failure) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.entries[id]
	if !ok {
		return fmt.Errorf("tally queue: no entry %q", id)
	}
	e.State, e.Reason, e.Attempts, e.NextTry, e.Transient = StateFailed, f.Reason, f.Attempts, f.NextTry, f.Transient
	return nil
}
