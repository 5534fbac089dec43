package posting

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/tallybridge"
)

// Books before schema 4 may have put a cancellation into Tally the old way:
// the invoice's Sales voucher left as it was, and on the day the clerk
// cancelled, a credit note numbered "<invoice>-CXL" (REMOTEID
// "<prefix>:cancel:<invoice>") with the invoice's very lines, so the
// two netted to nothing. Tally then tells a sale and a sales return where
// the book and head office tell a cancelled invoice, and a GSTR-1 built
// from Tally reports a sale and a credit note (Table 9B) where the law wants
// a cancelled invoice (Table 13).
//
// In words an accountant would follow, after the upgrade the next push to
// Tally does, for each such cancellation:
//
//   - cancels the invoice's own Sales voucher (Alt+X, ACTION="Cancel" by its
//     REMOTEID), the request a new cancellation sends: the voucher keeps its
//     number and date, its amounts stop counting, GSTR-1 shows it cancelled;
//   - deletes the "-CXL" credit note (ACTION="Delete" by its REMOTEID, type
//     Credit Note, the day it was cancelled): that day loses a sales return
//     that never happened.
//
// The party's balance, sales, output tax and stock in Tally do not change
// in total (the two vouchers netted to nothing before and count nowhere
// now). Two days change, as the book has shown them since schema 3: the
// invoice's day no longer counts the sale or the goods going out, and the
// cancellation's day no longer shows a return bringing them back.
//
// The book cannot tell an old cancellation from one sent the new way by a
// build of the same schema, so the migration queues the delete of the
// credit note for every cancellation whose entry went out to Tally (Tally
// confirmed it, or it went out and no reply was recorded). One never sent
// (still waiting, or refused before it left) gets nothing: its entry is now
// the cancel of the Sales voucher and no credit note is ever made. An
// invoice that went into a day summary had no credit note made either: its
// cancellation was folded into the day, which was summarised again.
//
// Before each push that still has such a delete to send, the bridge asks
// Tally what it holds on the days concerned (askTallyAboutOldCancellations):
//
//   - a credit note Tally holds is deleted; one it does not hold (never
//     arrived, an earlier delete whose reply was lost, removed by the
//     accountant, or the cancellation went the new way) is recorded as
//     done without a request;
//   - a Sales voucher Tally holds live has its cancel queued again; one
//     already cancelled is left alone.
//
// So a cancellation Tally already shows the new way costs one read and no
// change, and a push retried after a timeout reads again and sends only
// what is still wrong: a delete of a voucher Tally no longer holds is taken
// as done, a cancel sent again is counted cancelled. Running the migration
// again queues nothing: the book records that it ran (tally.meta
// "old_cancel_notes"), and each delete keeps its entry, done or not. A delete
// Tally refuses for another reason (the accountant altered the credit note's
// type) waits in the queue with Tally's words, like any refusal; one moved
// by hand to another day is not found and stays in Tally (check --cross
// names it).
func init() { book.OnMigrate(4, withdrawOldCancelNotes) }

// KindOldCancelNote is the queue kind of an old "-CXL" credit note to
// delete from Tally; its queue id is "old_cancel_note:<invoice>-CXL".
const KindOldCancelNote = "old_cancel_note"

// oldNoteSuffix ends the number of the old cancellation credit notes.
const oldNoteSuffix = "-CXL"

func withdrawOldCancelNotes(tx *book.Tx) error {
	prefix := storedPrefix(tx)
	if prefix == "" || oldNotesQueued(tx) {
		return nil // the queue was never read for Tally, or this ran already
	}
	var cancels []docState
	err := eachDocRaw(tx, func(id string, raw []byte) (bool, error) {
		if !strings.HasPrefix(id, billing.KindCancel+":") {
			return true, nil
		}
		var st docState
		if err := jsonUnmarshal(raw, &st); err != nil {
			return false, fmt.Errorf("tally queue %s: %w", id, err)
		}
		cancels = append(cancels, st)
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, st := range cancels {
		if err := withdrawOldCancelNote(tx, prefix, st); err != nil {
			return fmt.Errorf("tally: the old cancellation of %s: %w", st.Number, err)
		}
	}
	// once: a cancellation posted after this is the new way's
	return setOldNotesQueued(tx, cal.Now())
}

func withdrawOldCancelNote(tx *book.Tx, prefix string, st docState) error {
	if st.State == StateFolded || st.Day != "" {
		// the invoice was in its day's summary: the cancellation was folded
		// with it and the summary built again without it; no credit note
		return nil
	}
	if !st.held() && st.SentAt.IsZero() {
		return nil // never sent: the entry now cancels the Sales voucher
	}
	noteID := QueueID(KindOldCancelNote, st.Number+oldNoteSuffix)
	if _, ok, err := getDoc(tx, noteID); err != nil || ok {
		return err // queued (or done) already
	}
	return putDoc(tx, noteID, docState{Kind: KindOldCancelNote, Number: st.Number + oldNoteSuffix,
		RemoteID: prefix + ":" + QueueID(billing.KindCancel, st.Number), State: tallybridge.StatePending})
}

// askTallyAboutOldCancellations reads, before a push, what Tally holds of
// each old cancellation still to be put right: the "-CXL" credit note on
// the day it was cancelled, and the invoice's Sales voucher on its own day.
// A credit note Tally does not hold needs no delete (it never arrived, an
// earlier delete's reply was lost, the accountant removed it, or the
// cancellation went the new way) and is recorded as done without a
// request; a Sales voucher Tally holds live gets its cancel queued again.
// So a cancellation Tally already shows cancelled costs one read and no
// write, however often the push is retried.
func askTallyAboutOldCancellations(ctx context.Context, c *tallybridge.Client, b *book.Book, now time.Time) error {
	type old struct {
		id, invoice string
	}
	var olds []old
	var prefix string
	days := map[cal.Date]bool{}
	err := b.View(func(tx *book.Tx) error {
		prefix = storedPrefix(tx)
		return eachOldCancelNote(tx, func(id string, st docState) (bool, error) {
			if st.State == tallybridge.StatePosted {
				return true, nil
			}
			number := strings.TrimSuffix(st.Number, oldNoteSuffix)
			inv, err := billing.GetInvoice(tx, number)
			if err != nil || inv.Cancellation == nil || !inv.Cancellation.Date.Valid() {
				return true, nil // the push names what is wrong (Pending)
			}
			days[inv.Date], days[inv.Cancellation.Date] = true, true
			olds = append(olds, old{id, number})
			return true, nil
		})
	})
	if err != nil || len(olds) == 0 {
		return err
	}
	sorted := make([]cal.Date, 0, len(days))
	for d := range days {
		sorted = append(sorted, d)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	held := map[string]tallybridge.HeldVoucher{} // lower-case REMOTEID → voucher
	for _, d := range sorted {
		vs, err := c.Vouchers(ctx, d.Time(), d.Time())
		if err != nil {
			return fmt.Errorf("ask Tally what it holds of the cancellations posted the old way: %w", err)
		}
		for _, v := range vs {
			if strings.HasPrefix(v.RemoteID, prefix+":") {
				held[strings.ToLower(v.RemoteID)] = v
			}
		}
	}
	return b.Update(func(tx *book.Tx) error {
		for _, o := range olds {
			st, ok, err := getDoc(tx, o.id)
			if err != nil {
				return err
			}
			if !ok || st.State == tallybridge.StatePosted {
				continue
			}
			sale, ok := held[strings.ToLower(prefix+":"+QueueID(billing.KindInvoice, o.invoice))]
			if ok && !sale.Cancelled {
				if err := cancelAgain(tx, o.invoice); err != nil {
					return err
				}
			}
			if _, ok := held[strings.ToLower(st.RemoteID)]; !ok {
				st.State, st.PostedAt, st.NextTry, st.Transient = tallybridge.StatePosted, now, time.Time{}, false
				st.Reason = "Tally holds no such credit note: nothing to delete"
				if err := putDoc(tx, o.id, st); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// cancelAgain queues the invoice's cancellation once more, as the cancel
// of its Sales voucher. InTally goes off: Tally answers a cancel CANCELLED,
// never ALTERED.
func cancelAgain(tx *book.Tx, number string) error {
	id := QueueID(billing.KindCancel, number)
	st, ok, err := getDoc(tx, id)
	if err != nil || !ok || st.State != tallybridge.StatePosted || st.Day != "" {
		return err // still open (sent at this push), or never taken in
	}
	st.State, st.InTally, st.Attempts, st.Reason, st.NextTry, st.Transient = tallybridge.StatePending, false, 0, "", time.Time{}, false
	st.SentAt, st.PostedAt = time.Time{}, time.Time{}
	if err := putDoc(tx, id, st); err != nil {
		return err
	}
	return putOpen(tx, st.Seq, id)
}

// oldCancelNote is the delete of an old "-CXL" credit note: type Credit
// Note, the number and REMOTEID it was posted under, dated the day the
// invoice was cancelled, as the old bridge dated it.
func (a *Adapter) oldCancelNote(st docState) (tallybridge.Voucher, error) {
	number := strings.TrimSuffix(st.Number, oldNoteSuffix)
	inv, err := billing.GetInvoice(a.tx, number)
	if err != nil {
		return tallybridge.Voucher{}, err
	}
	if inv.Cancellation == nil || !inv.Cancellation.Date.Valid() {
		return tallybridge.Voucher{}, fmt.Errorf("invoice %s has no cancellation date: the credit note %s cannot be named in Tally", number, st.Number)
	}
	return tallybridge.Voucher{Kind: tallybridge.CreditNote, RemoteID: st.RemoteID, Number: st.Number,
		Date: day(inv.Cancellation.Date), Delete: true}, nil
}
