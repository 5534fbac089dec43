package book

import (
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Group commit without a wait. bbolt's db.Batch holds every batch for a
// timer (MaxBatchDelay) before it commits, so one clerk billing alone paid
// that wait, plus the timer's wake-up on a busy PC, on every invoice. Here
// the first caller to find no commit running commits at once, with nothing
// but its own function; callers arriving while a commit (and its fsync)
// runs queue up and share the next one. One clerk pays no wait; eight
// share fsyncs as before.
//
// Always true: a call returns only after the transaction holding it has
// committed, fsync included (unless the book was opened NoSync), or failed.
// A function that fails or panics in a shared transaction is taken out and
// run again alone (as bbolt's Batch does), so one bad posting never takes
// its neighbours down, and its panic surfaces in its own goroutine.
type committer struct {
	mu      sync.Mutex
	running bool // a commit is under way; new callers queue
	queue   []*batchCall
	delay   time.Duration // optional wait for company before each commit
	max     int           // at most this many calls in one transaction

	commits, calls int64 // counted for tests (under mu)
}

type batchCall struct {
	fn   func(*bolt.Tx) error
	done chan error
}

// errTrySolo tells a caller its function failed in a shared transaction
// and must be run again in a transaction of its own.
var errTrySolo = errors.New("book: run the function alone")

type panicked struct{ v any }

func (p panicked) Error() string { return "book: a batched function panicked" }

// Batch is Update with group commit: concurrent callers share one fsync.
// fn may run more than once if another call in its batch fails, so it must
// not have effects outside the transaction.
func (b *Book) Batch(fn func(*Tx) error) error {
	c := &batchCall{fn: func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) }, done: make(chan error, 1)}
	g := &b.commit
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	if lead {
		b.commitQueued()
	}
	err := <-c.done
	if errors.Is(err, errTrySolo) {
		return b.Update(fn)
	}
	return err
}

// commitQueued commits what is queued now, then hands any callers who
// arrived meanwhile to a fresh goroutine, so the caller that led this
// commit returns as soon as its own transaction is on disk.
func (b *Book) commitQueued() {
	g := &b.commit
	if g.delay > 0 {
		time.Sleep(g.delay)
	}
	g.mu.Lock()
	n := min(len(g.queue), g.max)
	calls := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.commits++
	g.calls += int64(n)
	g.mu.Unlock()

	defer b.handOff()
	defer func() {
		// a panic in bbolt itself (never in a caller's function: safely
		// catches those) answers the whole group before it goes on up, so
		// no caller waits for ever and the next group still commits
		if p := recover(); p != nil {
			for _, c := range calls {
				select {
				case c.done <- fmt.Errorf("book: commit failed: %v", p):
				default:
				}
			}
			panic(p)
		}
	}()
	b.commitCalls(calls)
}

// handOff lets the next group commit, if any caller is waiting.
func (b *Book) handOff() {
	g := &b.commit
	g.mu.Lock()
	more := len(g.queue) > 0
	if !more {
		g.running = false
		g.queue = nil
	}
	g.mu.Unlock()
	if more {
		go b.commitQueued()
	}
}

// commitCalls runs calls in one transaction; a call that fails is told to
// run alone and the rest are tried again without it.
func (b *Book) commitCalls(calls []*batchCall) {
	for len(calls) > 0 {
		failed := -1
		err := b.db.Load().Update(func(tx *bolt.Tx) error {
			for i, c := range calls {
				if err := safely(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed >= 0 {
			if len(calls) == 1 {
				// alone already: its own error is its answer (a panic
				// is raised again in the caller's goroutine)
				if _, ok := err.(panicked); ok {
					err = errTrySolo
				}
				calls[0].done <- err
				return
			}
			calls[failed].done <- errTrySolo
			calls = append(calls[:failed:failed], calls[failed+1:]...)
			continue
		}
		for _, c := range calls {
			c.done <- err
		}
		return
	}
}

func safely(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicked{p}
		}
	}()
	return fn(tx)
}

// CommitStats is how many group commits ran and how many Batch calls they
// carried, since the book was opened.
func (b *Book) CommitStats() (commits, calls int64) {
	b.commit.mu.Lock()
	defer b.commit.mu.Unlock()
	return b.commit.commits, b.commit.calls
}
