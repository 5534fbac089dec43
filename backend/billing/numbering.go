package billing

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
)

// After a restore the book's series counters are where the backup left
// them, but the numbers billed since may be printed, in Tally (REMOTEID
// "<prefix>:<kind>:<number>") and at head office. A restore raises each
// series above every number anyone has seen; when it could not ask, it
// holds numbering until a person confirms the next number of each series.

// NumberingHold says why numbering waits for a person after a restore.
type NumberingHold struct {
	Reason string `json:"reason"`
	// Next is the number each series would take now (from the restored
	// book and whatever could be learnt).
	Next map[string]uint64 `json:"next"`
}

// SeriesCounters returns the last number used in each series ("SI/26-27" → 2185).
func SeriesCounters(tx *book.Tx) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := seriesIn(tx).eachCounter(func(name string, last uint64) { out[name] = last })
	return out, err
}

// RaiseSeries makes the series' last number at least n (it never lowers it).
func RaiseSeries(tx *book.Tx, series string, n uint64) error {
	if _, _, ok := splitNumber(series + "/1"); !ok || strings.Count(series, "/") != 1 {
		return fail.Invalid("series", "%q is not a series (like SI/26-27)", series)
	}
	if n > 999999 {
		return fail.Invalid("series", "%s: %d is past the last number 999999", series, n)
	}
	counters := seriesIn(tx)
	was := counters.last(series)
	if was >= n {
		return nil
	}
	// The numbers passed over are used elsewhere (printed, in Tally, at
	// head office) or at least not here: recorded, so the numbering check
	// knows the gap is the restore's, not a lost document of this book.
	skipped, err := skippedOf(tx, series)
	if err != nil {
		return fmt.Errorf("skipped numbers of %s: %w", series, err)
	}
	if err := putSkipped(tx, series, append(skipped, [2]uint64{was + 1, n})); err != nil {
		return err
	}
	return counters.set(series, n)
}

// skippedBy reports whether number i of a series was passed over by a
// restore (RaiseSeries).
func skippedBy(tx *book.Tx) func(series string, i uint64) bool {
	cache := map[string][][2]uint64{}
	return func(series string, i uint64) bool {
		rs, ok := cache[series]
		if !ok {
			rs, _ = skippedOf(tx, series)
			cache[series] = rs
		}
		for _, r := range rs {
			if i >= r[0] && i <= r[1] {
				return true
			}
		}
		return false
	}
}

// SeriesOfNumber is the series of a document number: "SI/26-27/002185" → "SI/26-27", 2185.
func SeriesOfNumber(number string) (string, uint64, bool) { return splitNumber(number) }

// HoldNumbering stops every new document number until ConfirmNumbering.
func HoldNumbering(tx *book.Tx, h NumberingHold) error {
	return putHold(tx, h)
}

// NumberingHeld returns the hold, if numbering waits for a person.
func NumberingHeld(tx *book.Tx) (NumberingHold, bool) {
	raw, held := getHold(tx)
	if !held {
		return NumberingHold{}, false
	}
	var h NumberingHold
	if err := json.Unmarshal(raw, &h); err != nil {
		h.Reason = "the record of the restore is unreadable"
	}
	return h, true
}

func checkNumbering(tx *book.Tx) error {
	h, held := NumberingHeld(tx)
	if !held {
		return nil
	}
	return fail.Conflict("number", "numbering is on hold since the book was restored (%s): confirm the next number of each series first "+
		"(Settings → Backups, or POST /api/numbering/confirm)", h.Reason)
}

// ConfirmNumbering lifts the hold: next gives, per series, the next number a
// person confirmed (never below what the book would take); series not named
// keep their own next number. It returns the next number of every series.
func ConfirmNumbering(tx *book.Tx, next map[string]uint64) (map[string]uint64, error) {
	keys := make([]string, 0, len(next))
	for s := range next {
		keys = append(keys, s)
	}
	sort.Strings(keys)
	for _, s := range keys {
		n := next[s]
		if n < 1 {
			return nil, fail.Invalid("next."+s, "must be 1 or more")
		}
		if err := RaiseSeries(tx, s, n-1); err != nil {
			return nil, fail.Invalid("next."+s, "%v", err)
		}
	}
	if err := dropHold(tx); err != nil {
		return nil, err
	}
	cur, err := SeriesCounters(tx)
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	for s, n := range cur {
		out[s] = n + 1
	}
	return out, nil
}

// RecoverInvoice posts again, under its own number, an invoice a restore
// lost and Tally still holds (the app rebuilds in from Tally's voucher): the
// number must be one the restore passed over (RaiseSeries) in the invoice
// date's series, and no document may hold it. Everything else is as
// PostInvoice: stock moves, queues, audit.
func RecoverInvoice(tx *book.Tx, number string, in InvoiceInput) (Invoice, error) {
	in.recovered, in.RequestID = number, ""
	return postInvoice(tx, in)
}

// RecoverSalesReturn posts again, under its own number, a credit note a
// restore lost and Tally still holds, against an invoice the book holds;
// the number is checked as RecoverInvoice's, the rest is PostSalesReturn.
func RecoverSalesReturn(tx *book.Tx, number string, in SalesReturnInput) (SalesReturn, error) {
	in.recovered, in.RequestID = number, ""
	return postSalesReturn(tx, in)
}

// RecoverReceipt posts again, under its own number, a receipt a restore
// lost and Tally still holds; the number is checked as RecoverInvoice's,
// the rest is PostReceipt.
func RecoverReceipt(tx *book.Tx, number string, in ReceiptInput) (Receipt, error) {
	in.recovered, in.RequestID = number, ""
	return postReceipt(tx, in)
}

// takeNumber is the next number of a series, or the recovered one when a
// restore's pull gives it (recoveredNumber checks it).
func takeNumber(tx *book.Tx, recovered, bucket, prefix string, d cal.Date, fyStart int) (string, error) {
	if recovered != "" {
		return recoveredNumber(tx, recovered, bucket, prefix, d, fyStart)
	}
	return nextNumber(tx, prefix, d, fyStart)
}

// recoveredNumber checks that number may be taken back (RecoverInvoice).
func recoveredNumber(tx *book.Tx, number, bucket, prefix string, d cal.Date, fyStart int) (string, error) {
	series, n, ok := splitNumber(number)
	if want := seriesOf(prefix, d, fyStart); !ok || series != want {
		return "", fail.Invalid("number", "%s is not a number of the series %s of %s", number, want, d.Display())
	}
	if shelfOf(tx, bucket).has(number) {
		return "", fail.Conflict("number", "%s is already in the book", number)
	}
	if !skippedBy(tx)(series, n) {
		return "", fail.Conflict("number", "%s was not passed over by a restore: only a number a restore left unused can be taken back", number)
	}
	return number, nil
}
