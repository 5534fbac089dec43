package posting

import (
	"context"
	"strings"
	"sync"
	"time"

	"vitaran/backend/book"
	"vitaran/tallybridge"
)

// pushing keeps to one push at a time in this process: Tally takes one
// request at a time, and two pushes would send the same entries twice.
var pushing sync.Mutex

// PushOptions tune one push; empty URL and Company use the settings.
type PushOptions struct {
	URL, Company string
	RetryNow     bool
	// Manual: a person started the push (screen, CLI): what failed only
	// because Tally was unreachable goes now (tallybridge.PushOptions.Manual).
	Manual bool
	// SkipMasters overrides the settings (tests of a missing ledger).
	SkipMasters bool
	Progress    func(done, total int)
	Now         func() time.Time
	Backoff     func(int) time.Duration
	// ReadTimeout overrides the settings when set (tests of a hung Tally).
	ReadTimeout time.Duration
}

// Push posts everything due in the book's Tally queue.
func Push(ctx context.Context, b *book.Book, o PushOptions) (tallybridge.PushReport, error) {
	pushing.Lock()
	defer pushing.Unlock()
	var s Settings
	var m tallybridge.Mapping
	err := b.View(func(tx *book.Tx) error {
		var err error
		if s, err = GetSettings(tx); err != nil {
			return err
		}
		m, err = GetMapping(tx)
		return err
	})
	if err != nil {
		return tallybridge.PushReport{}, err
	}
	if o.URL != "" {
		s.URL = o.URL
	}
	if o.Company != "" {
		s.Company = o.Company
	}
	c := s.Client()
	if o.ReadTimeout > 0 {
		c.ReadTimeout = o.ReadTimeout
	}
	q := &Queue{Book: b, Now: o.Now, Backoff: o.Backoff}
	if err := askTallyAboutOldCancellations(ctx, c, b, q.now()); err != nil {
		return tallybridge.PushReport{}, err
	}
	return tallybridge.Push(ctx, c, q, tallybridge.PushOptions{
		BatchSize: s.BatchSize, SkipMasters: s.SkipMasters || o.SkipMasters, Mapping: m, RetryNow: o.RetryNow, Manual: o.Manual,
		Now: o.Now, Backoff: o.Backoff, Progress: o.Progress,
	})
}

// Export writes every unposted voucher (after the masters they name) as
// import XML for the accountant to import by hand, but the deletes of old
// "-CXL" credit notes, which wait for a push. The queue is left as it
// is: a file imported by hand is confirmed by the next push, which alters
// the same REMOTEIDs.
func Export(b *book.Book, path, company string) (int, error) {
	q := NewQueue(b)
	es, err := q.Pending()
	if err != nil {
		return 0, err
	}
	var m tallybridge.Mapping
	var s Settings
	if err := b.View(func(tx *book.Tx) error {
		var err error
		if s, err = GetSettings(tx); err != nil {
			return err
		}
		m, err = GetMapping(tx)
		return err
	}); err != nil {
		return 0, err
	}
	if company == "" {
		company = s.Company
	}
	vs := make([]tallybridge.Voucher, 0, len(es))
	for _, e := range es {
		if strings.HasPrefix(e.ID, KindOldCancelNote+":") {
			// only a push can ask Tally whether the old credit note is
			// there and its sale still live (migrate.go): a file would
			// delete the note and leave the sale counting
			continue
		}
		vs = append(vs, m.Apply(e.Voucher))
	}
	return len(vs), tallybridge.WriteImportFile(path, company, tallybridge.Needed(vs), vs)
}
