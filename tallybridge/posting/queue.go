package posting

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/tallybridge"
)

// Queue is the durable Tally queue over the book. It satisfies
// tallybridge.Queue: Pending reads book.TallyQueue (taking in documents
// queued since the last read), the Mark methods commit before they return.
type Queue struct {
	Book *book.Book
	// Now is the clock for failures of documents that cannot be adapted.
	Now func() time.Time
	// Backoff as in tallybridge.PushOptions (default tallybridge.DefaultBackoff).
	Backoff func(int) time.Duration
}

var _ tallybridge.Queue = (*Queue)(nil)

// NewQueue returns the book's Tally queue.
func NewQueue(b *book.Book) *Queue { return &Queue{Book: b} }

func (q *Queue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return cal.Now()
}

// Ingest takes in the documents queued since the last read. In day-wise
// mode an invoice (and its cancellation) is folded into its day.
func Ingest(tx *book.Tx) (int, error) {
	if _, err := idPrefix(tx); err != nil {
		return 0, err
	}
	cursor, err := getCursor(tx)
	if err != nil {
		return 0, err
	}
	es, err := tx.Queued(book.TallyQueue, cursor, 0)
	if err != nil || len(es) == 0 {
		return 0, err
	}
	s, err := GetSettings(tx)
	if err != nil {
		return 0, err
	}
	for _, e := range es {
		id := QueueID(e.Kind, e.ID)
		if _, ok, err := getDoc(tx, id); err != nil || ok {
			if err != nil {
				return 0, err
			}
			continue
		}
		d := docState{Kind: e.Kind, Number: e.ID, Seq: e.Seq, State: tallybridge.StatePending}
		fold := ""
		if s.Mode == ModeDaily && e.Kind == billing.KindInvoice {
			inv, err := billing.GetInvoice(tx, e.ID)
			if err != nil {
				return 0, fmt.Errorf("tally queue: %w", err)
			}
			fold = string(inv.Date)
			dd, err := getDay(tx, fold)
			if err != nil {
				return 0, err
			}
			dd.Invoices = append(dd.Invoices, e.ID)
			dd.Gen++
			dd.Dirty = true
			if err := putDay(tx, fold, dd); err != nil {
				return 0, err
			}
		}
		if e.Kind == billing.KindCancel {
			if inv, ok, err := getDoc(tx, QueueID(billing.KindInvoice, e.ID)); err != nil {
				return 0, err
			} else if ok && inv.Day != "" {
				fold = inv.Day
				dd, err := getDay(tx, fold)
				if err != nil {
					return 0, err
				}
				dd.Gen++
				dd.Dirty = true
				if err := putDay(tx, fold, dd); err != nil {
					return 0, err
				}
			}
		}
		if fold != "" {
			d.State, d.Day = StateFolded, fold
		} else if err := putOpen(tx, e.Seq, id); err != nil {
			return 0, err
		}
		if err := putDoc(tx, id, d); err != nil {
			return 0, err
		}
	}
	return len(es), putCursor(tx, es[len(es)-1].Seq)
}

// Pending returns every entry not yet posted, oldest document first, day
// summaries before the documents of the same push.
func (q *Queue) Pending() ([]tallybridge.Entry, error) {
	if err := q.Book.Update(func(tx *book.Tx) error { _, err := Ingest(tx); return err }); err != nil {
		return nil, fmt.Errorf("take in queued documents: %w", err)
	}
	type note struct {
		id     string
		reason string
		done   bool // nothing for Tally: recorded as posted
	}
	var out []tallybridge.Entry
	var notes []note
	built := map[string]dayState{}
	var deleting, forget []string // day summary ids to delete from Tally, and never sent
	err := q.Book.View(func(tx *book.Tx) error {
		s, err := GetSettings(tx)
		if err != nil {
			return err
		}
		prefix, _ := idPrefix(tx)
		a, err := NewAdapter(tx, s, prefix)
		if err != nil {
			return err
		}
		// day summaries
		err = eachDay(tx, func(k string, dd dayState) (bool, error) {
			if !dd.Dirty {
				return true, nil
			}
			vs, err := a.Day(dd.Invoices)
			if err != nil {
				return false, fmt.Errorf("day %s: %w", k, err)
			}
			old := dd.IDs
			dd.IDs = nil
			dd.BuiltGen = dd.Gen
			for _, v := range vs {
				id := dayPrefix + v.Number
				dd.IDs = append(dd.IDs, id)
				st, _, err := getDoc(tx, id)
				if err != nil {
					return false, err
				}
				e := tallybridge.Entry{ID: id, Voucher: v, State: st.State, Attempts: st.Attempts, NextTry: st.NextTry,
					Reason: st.Reason, InTally: st.InTally, Transient: st.Transient}
				if e.State == "" || e.State == tallybridge.StatePosted {
					e.State = tallybridge.StatePending // the day changed since: re-post (alter)
				}
				out = append(out, e)
			}
			// a GST-rate group the day no longer has (its invoices all
			// cancelled): its summary is deleted from Tally if Tally may
			// hold it, and forgotten if it never left
			for _, id := range old {
				if contains(dd.IDs, id) {
					continue
				}
				st, ok, err := getDoc(tx, id)
				if err != nil {
					return false, err
				}
				if !ok || !st.InTally && !st.Deleting && st.SentAt.IsZero() {
					forget = append(forget, id)
					continue
				}
				number := strings.TrimPrefix(id, dayPrefix)
				v := tallybridge.Voucher{Kind: tallybridge.Sales, RemoteID: prefix + ":" + number, Number: number, Date: day(cal.Date(k)), Delete: true}
				e := tallybridge.Entry{ID: id, Voucher: v, State: st.State, Attempts: st.Attempts, NextTry: st.NextTry,
					Reason: st.Reason, Transient: st.Transient}
				if e.State == "" || e.State == tallybridge.StatePosted {
					e.State = tallybridge.StatePending
				}
				out = append(out, e)
				dd.IDs = append(dd.IDs, id)
				deleting = append(deleting, id)
			}
			built[k] = dd
			return true, nil
		})
		if err != nil {
			return err
		}
		err = eachOpen(tx, func(id string) (bool, error) {
			st, _, err := getDoc(tx, id)
			if err != nil {
				return false, err
			}
			vch, err := a.Voucher(st.Kind, st.Number)
			if errors.Is(err, errNothing) {
				notes = append(notes, note{id: id, reason: err.Error(), done: true})
				return true, nil
			}
			if err != nil {
				if st.State != tallybridge.StateFailed || !q.now().Before(st.NextTry) {
					notes = append(notes, note{id: id, reason: err.Error()})
				}
				return true, nil
			}
			if s.Mode == ModeDaily && (vch.Kind == tallybridge.CreditNote || vch.Kind == tallybridge.Receipt || vch.Kind == tallybridge.Journal) {
				// receivables are the summary party's in Tally in this mode
				// and its bills are the days', not the invoices': on account
				vch.Party, vch.BillRef, vch.Bills = a.summaryParty(), "", nil
			}
			out = append(out, tallybridge.Entry{ID: id, Voucher: vch, State: st.State, Attempts: st.Attempts,
				NextTry: st.NextTry, Reason: st.Reason, InTally: st.InTally, Transient: st.Transient})
			return true, nil
		})
		if err != nil {
			return err
		}
		// old "-CXL" credit notes to delete (migrate.go), after the cancels
		return eachOldCancelNote(tx, func(id string, st docState) (bool, error) {
			if st.State == tallybridge.StatePosted {
				return true, nil
			}
			vch, err := a.oldCancelNote(st)
			if err != nil {
				if st.State != tallybridge.StateFailed || !q.now().Before(st.NextTry) {
					notes = append(notes, note{id: id, reason: err.Error()})
				}
				return true, nil
			}
			out = append(out, tallybridge.Entry{ID: id, Voucher: vch, State: st.State, Attempts: st.Attempts,
				NextTry: st.NextTry, Reason: st.Reason, Transient: st.Transient})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	if len(built) > 0 || len(notes) > 0 {
		err = q.Book.Update(func(tx *book.Tx) error {
			for _, id := range deleting {
				st, _, err := getDoc(tx, id)
				if err != nil {
					return err
				}
				if !st.Deleting {
					st.Deleting, st.State = true, tallybridge.StatePending
					if err := putDoc(tx, id, st); err != nil {
						return err
					}
				}
			}
			for _, id := range forget {
				if err := deleteDoc(tx, id); err != nil {
					return err
				}
			}
			for k, dd := range built {
				cur, err := getDay(tx, k)
				if err != nil {
					return err
				}
				cur.BuiltGen, cur.IDs = dd.BuiltGen, dd.IDs
				if len(dd.IDs) == 0 && cur.Gen == dd.BuiltGen {
					cur.Dirty = false // every invoice of the day was cancelled before it reached Tally
				}
				if err := putDay(tx, k, cur); err != nil {
					return err
				}
			}
			for _, n := range notes {
				st, _, err := getDoc(tx, n.id)
				if err != nil {
					return err
				}
				if n.done {
					st.State, st.Reason, st.PostedAt = tallybridge.StatePosted, n.reason, q.now()
					if err := q.closeOpen(tx, st); err != nil {
						return err
					}
				} else {
					st.Attempts++
					st.State, st.Reason, st.Transient = tallybridge.StateFailed, "cannot make the voucher: "+n.reason, false
					st.NextTry = q.now().Add(q.backoff(st.Attempts))
				}
				if err := putDoc(tx, n.id, st); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return out, err
}

func (q *Queue) backoff(n int) time.Duration {
	if q.Backoff != nil {
		return q.Backoff(n)
	}
	return tallybridge.DefaultBackoff(n)
}

func (q *Queue) closeOpen(tx *book.Tx, st docState) error {
	if st.Seq == 0 {
		return nil
	}
	return deleteOpen(tx, st.Seq)
}

// MarkSending records, and commits, that a request carrying ids goes out.
func (q *Queue) MarkSending(ids []string, at time.Time) error {
	return q.Book.Update(func(tx *book.Tx) error {
		for _, id := range ids {
			st, ok, err := getDoc(tx, id)
			if err != nil {
				return err
			}
			if !ok && !strings.HasPrefix(id, dayPrefix) {
				return fmt.Errorf("tally queue: no entry %q", id)
			}
			st.State, st.SentAt = tallybridge.StateSending, at
			if err := putDoc(tx, id, st); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkPosted records Tally's confirmation. A day is clean once every
// voucher of its latest summary is posted and no invoice joined it since.
func (q *Queue) MarkPosted(id string, p tallybridge.Posting) error {
	return q.Book.Update(func(tx *book.Tx) error {
		st, _, err := getDoc(tx, id)
		if err != nil {
			return err
		}
		// an old credit note deleted is kept as done, so the migration never
		// queues it again; Tally holds nothing of it
		st.State, st.Reason, st.InTally, st.Attempts, st.PostedAt = tallybridge.StatePosted, "", st.Kind != KindOldCancelNote, p.Attempts, p.At
		st.Transient = false
		st.NextTry = time.Time{}
		deleted := st.Deleting
		if deleted { // the summary is gone from Tally: nothing of it is kept
			if err := deleteDoc(tx, id); err != nil {
				return err
			}
		} else if err := putDoc(tx, id, st); err != nil {
			return err
		}
		if !strings.HasPrefix(id, dayPrefix) {
			return q.closeOpen(tx, st)
		}
		return eachDay(tx, func(k string, dd dayState) (bool, error) {
			if !contains(dd.IDs, id) {
				return true, nil
			}
			if deleted {
				var keep []string
				for _, other := range dd.IDs {
					if other != id {
						keep = append(keep, other)
					}
				}
				dd.IDs = keep
			}
			clean := dd.Gen == dd.BuiltGen
			for _, other := range dd.IDs {
				o, _, err := getDoc(tx, other)
				if err != nil {
					return false, err
				}
				clean = clean && o.State == tallybridge.StatePosted
			}
			if clean || deleted {
				dd.Dirty = dd.Dirty && !clean
				return false, putDay(tx, k, dd)
			}
			return false, nil
		})
	})
}

// MarkFailed records why Tally did not take the entry and when to try again.
func (q *Queue) MarkFailed(id string, f tallybridge.Failure) error {
	return q.Book.Update(func(tx *book.Tx) error {
		st, _, err := getDoc(tx, id)
		if err != nil {
			return err
		}
		st.State, st.Reason, st.Attempts, st.NextTry, st.Transient = tallybridge.StateFailed, f.Reason, f.Attempts, f.NextTry, f.Transient
		return putDoc(tx, id, st)
	})
}

// Retry makes a failed entry due now (the screen's Retry button).
func Retry(tx *book.Tx, id string) error {
	st, ok, err := getDoc(tx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fail.NotFound("tally queue entry", id)
	}
	if st.State == tallybridge.StatePosted || st.State == StateFolded {
		return fail.Conflict("id", "%s is %s: nothing to retry", id, st.State)
	}
	st.NextTry = time.Time{}
	return putDoc(tx, id, st)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Row is one queue entry as the status screen shows it.
type Row struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Number   string            `json:"number"`
	RemoteID string            `json:"remote_id,omitempty"`
	State    tallybridge.State `json:"state"`
	Attempts int               `json:"attempts"`
	Reason   string            `json:"reason,omitempty"`
	NextTry  time.Time         `json:"next_try,omitzero"`
	SentAt   time.Time         `json:"sent_at,omitzero"`
	PostedAt time.Time         `json:"posted_at,omitzero"`
	Day      string            `json:"day,omitempty"`
}

// Status is the queue at a glance. It is read without writing: documents
// billing queued since the last push are counted in Waiting.
type Status struct {
	Counts  map[tallybridge.State]int `json:"counts"`
	Waiting int                       `json:"waiting"` // in the book's queue, not yet taken in
	// Failed is the newest failures (at most StatusFailed); Counts["failed"]
	// is how many there are, and GET /api/tally/queue?state=failed pages them.
	Failed []Row `json:"failed"`
	Days   int   `json:"days_to_post"` // day-wise mode: days whose summary must be (re)posted
}

// Left counts what a push left: vouchers failed, and those not yet sent
// (pending, sending, queued by billing and not taken in, day summaries to
// post).
func (st Status) Left() (failed, waiting int) {
	return st.Counts[tallybridge.StateFailed],
		st.Counts[tallybridge.StatePending] + st.Counts[tallybridge.StateSending] + st.Waiting + st.Days
}

// StatusFailed is how many failures Status carries.
const StatusFailed = 20

// Page is one page of the queue list, newest first, with the total of the
// whole filter.
type Page struct {
	Rows   []Row `json:"rows"`
	Total  int   `json:"total"`
	Limit  int   `json:"limit"`
	Offset int   `json:"offset"`
}

// Page sizes of the queue list.
const (
	DefaultPage = 100
	MaxPage     = 1000
)

// dayOfSummary reads the day out of a summary number "DS-20261125-18%".
func dayOfSummary(number string) string {
	for _, part := range strings.Split(number, "-") {
		if len(part) == 8 && strings.Trim(part, "0123456789") == "" {
			return part[:4] + "-" + part[4:6] + "-" + part[6:]
		}
	}
	return ""
}

// List returns one page of the entries in one state ("" for all), newest
// first: by the order billing queued them, a day summary with the newest
// invoice folded into its day. limit is 1 to MaxPage (0: DefaultPage).
func List(tx *book.Tx, state string, limit, offset int) (Page, error) {
	switch {
	case limit == 0:
		limit = DefaultPage
	case limit < 0 || limit > MaxPage:
		return Page{}, fail.Invalid("limit", "%d: give 1 to %d rows a page", limit, MaxPage)
	}
	if offset < 0 {
		return Page{}, fail.Invalid("offset", "%d: must be 0 or more", offset)
	}
	switch tallybridge.State(state) {
	case "", tallybridge.StatePending, tallybridge.StateSending, tallybridge.StatePosted, tallybridge.StateFailed, StateFolded:
	default:
		return Page{}, fail.Invalid("state", "%q: use pending, sending, posted, failed or %q", state, StateFolded)
	}
	type ref struct {
		key   string
		order uint64
		day   string // a day summary's day, ordered once every day's newest invoice is known
	}
	var refs []ref
	newest := map[string]uint64{} // day → newest folded invoice's seq
	err := eachDocRaw(tx, func(k string, v []byte) (bool, error) {
		var d struct {
			Seq   uint64            `json:"seq"`
			State tallybridge.State `json:"state"`
			Day   string            `json:"day"`
		}
		if err := jsonUnmarshal(v, &d); err != nil {
			return false, err
		}
		if d.Day != "" && d.Seq > newest[d.Day] {
			newest[d.Day] = d.Seq
		}
		if state != "" && string(d.State) != state {
			return true, nil
		}
		r := ref{key: k, order: d.Seq}
		if strings.HasPrefix(k, dayPrefix) {
			r.day = dayOfSummary(strings.TrimPrefix(k, dayPrefix))
		}
		refs = append(refs, r)
		return true, nil
	})
	if err != nil {
		return Page{}, err
	}
	for i := range refs {
		if refs[i].day != "" {
			refs[i].order = newest[refs[i].day]
		}
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].order != refs[j].order {
			return refs[i].order > refs[j].order
		}
		return refs[i].key > refs[j].key
	})
	page := Page{Rows: []Row{}, Total: len(refs), Limit: limit, Offset: offset}
	prefix := storedPrefix(tx)
	for i := offset; i < len(refs) && i < offset+limit; i++ {
		k := refs[i].key
		d, _, err := getDoc(tx, k)
		if err != nil {
			return page, err
		}
		page.Rows = append(page.Rows, row(prefix, k, d))
	}
	return page, nil
}

func row(prefix, k string, d docState) Row {
	kind, number := d.Kind, d.Number
	if strings.HasPrefix(k, dayPrefix) {
		kind, number = "day", strings.TrimPrefix(k, dayPrefix)
	}
	if d.RemoteID == "" && d.State != StateFolded {
		rk := kind
		if rk == billing.KindCancel {
			rk = billing.KindInvoice // the cancel is sent to the invoice's own voucher
		}
		d.RemoteID = prefix + ":" + rk + ":" + number
	}
	return Row{ID: k, Kind: kind, Number: number, State: d.State, Attempts: d.Attempts, Reason: d.Reason,
		NextTry: d.NextTry, SentAt: d.SentAt, PostedAt: d.PostedAt, Day: d.Day, RemoteID: d.RemoteID}
}

// GetStatus counts entries by state and lists the newest failures with
// reasons. It only reads.
func GetStatus(tx *book.Tx) (Status, error) {
	st := Status{Counts: map[tallybridge.State]int{}, Failed: []Row{}}
	cursor, err := getCursor(tx)
	if err != nil {
		return st, err
	}
	st.Waiting = tx.QueueLen(book.TallyQueue) - int(cursor)
	if st.Waiting < 0 {
		st.Waiting = 0
	}
	err = eachDocRaw(tx, func(_ string, v []byte) (bool, error) {
		var d struct {
			State tallybridge.State `json:"state"`
		}
		if err := jsonUnmarshal(v, &d); err != nil {
			return false, err
		}
		st.Counts[d.State]++
		return true, nil
	})
	if err != nil {
		return st, err
	}
	if st.Counts[tallybridge.StateFailed] > 0 {
		p, err := List(tx, string(tallybridge.StateFailed), StatusFailed, 0)
		if err != nil {
			return st, err
		}
		st.Failed = p.Rows
	}
	err = eachDay(tx, func(_ string, dd dayState) (bool, error) {
		if dd.Dirty {
			st.Days++
		}
		return true, nil
	})
	return st, err
}
