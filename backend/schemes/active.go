package schemes

import (
	"crypto/rand"
	"sync"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Billing evaluates the running schemes on every change of every invoice;
// decoding and preparing all of them each time was most of that work. The
// schemes carry a revision that Save renews in its own transaction, and
// ActiveSet keeps the prepared set per date for as long as the book's
// revision is the one it was read under, so a transaction never evaluates a
// scheme other than the one its book holds.
// (The revision lives in schemes.rev: see store.go.)

// touch gives the schemes a new revision.
func touch(tx *book.Tx) error {
	var b [16]byte
	rand.Read(b[:])
	return putRevision(tx, b[:])
}

// Running is a date's running schemes, by code, and the same prepared for
// evaluation. Both are shared: read them, never change them.
type Running struct {
	Schemes []Scheme
	Set     *Set
}

var activeCache struct {
	sync.Mutex
	rev   string
	dates map[cal.Date]*Running
}

// ActiveSet returns the schemes running on the date, prepared: what
// billing evaluates. In a writable transaction on a book without a
// revision it starts one, so later calls are served from the cache.
func ActiveSet(tx *book.Tx, d cal.Date) (*Running, error) {
	rev := Revision(tx)
	if rev == "" && tx.Writable() {
		if err := touch(tx); err != nil {
			return nil, err
		}
		rev = Revision(tx)
	}
	if rev != "" {
		activeCache.Lock()
		r := activeCache.dates[d]
		if activeCache.rev != rev {
			r = nil
		}
		activeCache.Unlock()
		if r != nil {
			return r, nil
		}
	}
	active, err := Active(tx, d)
	if err != nil {
		return nil, err
	}
	r := &Running{Schemes: active, Set: Prepare(active)}
	if rev != "" {
		activeCache.Lock()
		if activeCache.rev != rev || len(activeCache.dates) >= 64 {
			activeCache.rev, activeCache.dates = rev, map[cal.Date]*Running{}
		}
		activeCache.dates[d] = r
		activeCache.Unlock()
	}
	return r, nil
}
