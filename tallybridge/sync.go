package tallybridge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// State is where a queued voucher stands.
type State string

const (
	// StatePending: never sent.
	StatePending State = "pending"
	// StateSending: a request carrying it went out and no reply was
	// recorded (the app may have died, or the reply was lost). Tally may or
	// may not hold it; the re-send alters it if it does, thanks to REMOTEID.
	StateSending State = "sending"
	// StatePosted: Tally confirmed it (created or altered).
	StatePosted State = "posted"
	// StateFailed: Tally refused it or could not be reached; Reason says why
	// and NextTry when it will be tried again.
	StateFailed State = "failed"
)

// Entry is one voucher in the Tally queue.
type Entry struct {
	ID       string // the queue's key; usually Voucher.RemoteID
	Voucher  Voucher
	State    State
	Attempts int       // pushes that tried it so far
	NextTry  time.Time // zero: as soon as possible
	Reason   string    // Tally's words for the last failure
	// Transient: the last failure was Tally unreachable, without the
	// company, hung or dropping the connection, not a refusal of this
	// voucher: a push a person starts sends it again at once.
	Transient bool
	// InTally is true when Tally has confirmed holding this REMOTEID before
	// (an amended document queued again): the send must then ALTER, and a
	// CREATED reply is treated as a duplicate and a failure.
	InTally bool
}

// Posting is what the queue records when Tally confirms a voucher.
type Posting struct {
	At       time.Time
	Attempts int
}

// Failure is what the queue records when a voucher could not be posted.
type Failure struct {
	At        time.Time
	Reason    string
	Attempts  int
	NextTry   time.Time
	Transient bool // Tally could not be reached (see Entry.Transient)
}

// Queue is the durable Tally queue the book keeps (filled in the posting
// transaction). The bbolt store implements it; the tests use an in-memory one.
//
// The contract that makes "never a duplicate" hold across crashes:
// MarkSending must be durable before it returns, because Push sends the
// request right after. An entry found in StateSending at the next Push was
// possibly received by Tally; it is re-sent with the same REMOTEID, which
// alters rather than creates, so Tally ends with exactly one voucher.
type Queue interface {
	// Pending returns every entry not yet posted (pending, sending or
	// failed, due or not), in the order they should reach Tally.
	Pending() ([]Entry, error)
	// MarkSending records, durably, that a request carrying these entries
	// is about to go out (StateSending). A failed batch is split and re-sent
	// within one push, so an entry may be marked more than once.
	MarkSending(ids []string, at time.Time) error
	// MarkPosted and MarkFailed carry the attempt count to store: the
	// number of pushes that tried the entry, this one included.
	MarkPosted(id string, p Posting) error
	MarkFailed(id string, f Failure) error
}

// PushOptions tune a push; the zero value posts in batches of 25 after
// creating any missing masters.
type PushOptions struct {
	BatchSize   int  // vouchers per request; 1 gives each its own reply
	SkipMasters bool // do not pull and create masters first
	Mapping     Mapping
	RetryNow    bool // ignore NextTry: the screen's Retry button
	// Manual: a person started this push (the screen's button, the CLI).
	// Entries that failed only because Tally could not be reached go now;
	// those Tally refused with a reason wait for their next try (or Retry).
	Manual bool

	Now      func() time.Time
	Backoff  func(attempts int) time.Duration // default: 30 s doubling, at most 1 h
	Progress func(done, total int)
}

// PushReport says what a push did.
type PushReport struct {
	Due, Posted, Failed int
	Masters             Masters // what was created in Tally first
	Requests            int
}

// DefaultBackoff waits 30 s after the first failure, doubling to at most an hour.
func DefaultBackoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	if d > time.Hour {
		d = time.Hour
	}
	return d
}

// Transient reports whether err says Tally could not be reached or could
// not take anything (not running, no company, hung, connection dropped),
// rather than refusing what was sent with a reason.
func Transient(err error) bool { return err != nil && fatal(err) }

// fatal errors stop the whole push: no voucher can succeed until a person
// acts (start Tally, open the company, dismiss a dialog).
func fatal(err error) bool {
	var ie *ImportError
	if errors.Is(err, ErrCompanyNotOpen) || errors.Is(err, ErrNoCompany) {
		return true
	}
	if errors.As(err, &ie) || errors.Is(err, ErrBadReply) {
		return false
	}
	return true // not running, timeout, connection dropped, cancelled
}

type pusher struct {
	c        *Client
	q        Queue
	o        PushOptions
	rep      PushReport
	attempts map[string]int  // sends so far, per entry
	sent     map[string]bool // entries sent in this push
	done     int
}

// Push posts every due voucher in the queue to Tally. Masters the vouchers
// need are created first (unless SkipMasters). Each batch that Tally refuses
// is split in two until the refused vouchers stand alone, so each voucher
// ends posted or failed with Tally's own reason. When Tally cannot be reached
// at all, the push stops, the batch in hand is marked failed with the reason
// and a next try, and the error says what a person must do.
func Push(ctx context.Context, c *Client, q Queue, o PushOptions) (PushReport, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 25
	}
	p := &pusher{c: c, q: q, o: o, attempts: map[string]int{}, sent: map[string]bool{}}
	all, err := q.Pending()
	if err != nil {
		return p.rep, fmt.Errorf("read tally queue: %w", err)
	}
	now := o.Now()
	var due []Entry
	for _, e := range all {
		if e.State == StatePosted {
			continue
		}
		if !o.RetryNow && e.State == StateFailed && now.Before(e.NextTry) && !(o.Manual && e.Transient) {
			continue
		}
		e.Voucher = o.Mapping.Apply(e.Voucher)
		p.attempts[e.ID] = e.Attempts
		if err := e.Voucher.Check(); err != nil {
			if err := p.fail(e, err.Error()); err != nil {
				return p.rep, err
			}
			continue
		}
		due = append(due, e)
	}
	p.rep.Due = len(due)
	p.progress(len(due))
	if len(due) == 0 {
		return p.rep, nil
	}

	if !o.SkipMasters {
		vs := make([]Voucher, len(due))
		for i, e := range due {
			vs[i] = e.Voucher
		}
		created, err := EnsureMasters(ctx, c, vs)
		p.rep.Masters = created
		if err != nil {
			for _, e := range due {
				if ferr := p.failWith(e, "masters: "+err.Error(), Transient(err)); ferr != nil {
					return p.rep, ferr
				}
			}
			return p.rep, err
		}
	}

	for start := 0; start < len(due); start += o.BatchSize {
		end := min(start+o.BatchSize, len(due))
		if err := p.post(ctx, due[start:end]); err != nil {
			return p.rep, err
		}
	}
	return p.rep, nil
}

func (p *pusher) progress(total int) {
	if p.o.Progress != nil {
		p.o.Progress(p.done, total)
	}
}

// post sends one batch; a refused batch is bisected. It returns an error
// only when the whole push must stop.
func (p *pusher) post(ctx context.Context, batch []Entry) error {
	ids := make([]string, len(batch))
	vs := make([]Voucher, len(batch))
	mustAlter := 0
	for i, e := range batch {
		ids[i] = e.ID
		vs[i] = e.Voucher
		if e.InTally {
			mustAlter++
		}
	}
	if err := p.q.MarkSending(ids, p.o.Now()); err != nil {
		return fmt.Errorf("record tally send: %w", err)
	}
	for _, id := range ids {
		if !p.sent[id] { // a bisection re-send is the same try
			p.attempts[id]++
			p.sent[id] = true
		}
	}
	p.rep.Requests++
	_, err := p.c.PostVouchers(ctx, vs, mustAlter)
	switch {
	case err == nil:
		for _, e := range batch {
			if err := p.q.MarkPosted(e.ID, Posting{At: p.o.Now(), Attempts: p.attempts[e.ID]}); err != nil {
				return fmt.Errorf("record tally posting of %s: %w", e.ID, err)
			}
			p.rep.Posted++
			p.done++
		}
		p.progress(p.rep.Due)
		return nil
	case fatal(err):
		for _, e := range batch {
			if ferr := p.failWith(e, err.Error(), true); ferr != nil {
				return ferr
			}
		}
		return err
	case len(batch) > 1:
		half := len(batch) / 2
		if err := p.post(ctx, batch[:half]); err != nil {
			return err
		}
		return p.post(ctx, batch[half:])
	case batch[0].Voucher.Delete && strings.Contains(err.Error(), "does not exist"):
		// a delete of a voucher Tally does not hold (it never took it, or
		// an earlier delete whose reply was lost did): what was wanted
		if err := p.q.MarkPosted(batch[0].ID, Posting{At: p.o.Now(), Attempts: p.attempts[batch[0].ID]}); err != nil {
			return fmt.Errorf("record tally deletion of %s: %w", batch[0].ID, err)
		}
		p.rep.Posted++
		p.done++
		p.progress(p.rep.Due)
		return nil
	}
	return p.fail(batch[0], err.Error())
}

func (p *pusher) fail(e Entry, reason string) error { return p.failWith(e, reason, false) }

func (p *pusher) failWith(e Entry, reason string, transient bool) error {
	n := p.attempts[e.ID]
	if !p.sent[e.ID] {
		n++ // failed before its request went out (masters step, bad data): still a try
	}
	now := p.o.Now()
	f := Failure{At: now, Reason: reason, Attempts: n, NextTry: now.Add(p.o.Backoff(max(n, 1))), Transient: transient}
	if err := p.q.MarkFailed(e.ID, f); err != nil {
		return fmt.Errorf("record tally failure of %s: %w", e.ID, err)
	}
	p.rep.Failed++
	p.done++
	p.progress(p.rep.Due)
	return nil
}
