package billing

import (
	"sort"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Counts reports whether the invoice counts in sales; it and VoidDate are
// what a cancellation means, said once.
//
// Cancelling is for an invoice whose goods never left the godown (billed to
// the wrong outlet, billed twice). A cancelled invoice is void from its own
// date: it counts on no day, in no report.
//   - The sales registers, the dashboard, the scheme sales and head office
//     leave it out (Counts is false).
//   - Its stock comes back on the invoice's date (VoidDate), so the stock
//     reconciliation sells none of it in the invoice's month, no later month
//     sells a negative quantity, and every closing from the invoice's date
//     on is the stock that was there. Its scheme redemptions are reversed on
//     that date too, so no claim period carries it.
//   - The upload restates the invoice's date at head office (its cancel
//     lines carry the invoice's date), and Tally cancels the voucher.
//   - Document lists still show it, stamped cancelled, with the reason, the
//     user, and the day and time it was cancelled (Cancellation).
//
// A physical count posted after the invoice and dated on or after it
// counted the goods that never left while the book said they had, so its
// variance took them in as surplus. A count says what was on the shelf on
// its date and keeps that meaning: the cancellation restates the earliest
// such count of each batch and godown the invoice took from. On the count's
// date, under the count's number, it moves the returned pieces back out
// (kind count), and the count's line reads book + returned, counted as
// found, variance counted − the restated book. Stock after the count is
// still what was counted; later counts are untouched (they counted a book
// the first count had already set right).
//
// Goods that did leave come back through a sales return (credit note), on
// the day they come back, never through a cancellation: Cancel refuses an
// earlier day's invoice until the clerk says the goods never left.
func (inv *Invoice) Counts() bool { return inv.Status != StatusCancelled }

// VoidDate is the date a cancellation takes effect on: the invoice's own
// date. The stock comes back and the scheme redemptions are reversed on it,
// and head office restates it. Cancellation.Date stays the day the clerk
// cancelled.
func (inv *Invoice) VoidDate() cal.Date { return inv.Date }

// CancelInput is what the clerk says when cancelling an invoice.
type CancelInput struct {
	Reason string `json:"reason"`
	// GoodsLeft answers "did the goods leave the godown?". It is required
	// to cancel an invoice of an earlier day; true means the invoice cannot
	// be cancelled: the goods come back by a sales return.
	GoodsLeft *bool `json:"goods_left,omitempty"`
}

// Cancel cancels an invoice as the screen and the API ask it: an invoice of
// an earlier day than today needs goods_left, and goods that left are a
// conflict pointing to a sales return. An invoice of today cancels as it
// always did.
func Cancel(tx *book.Tx, number string, in CancelInput, today cal.Date) (Invoice, error) {
	if strings.TrimSpace(in.Reason) == "" {
		return Invoice{}, fail.Invalid("reason", "say why the invoice is cancelled")
	}
	inv, err := GetInvoice(tx, number)
	if err != nil {
		return inv, err
	}
	if inv.Counts() {
		switch {
		case in.GoodsLeft != nil && *in.GoodsLeft:
			return inv, fail.Conflict("goods_left", "the goods of invoice %s left the godown: do not cancel it, post a sales return (credit note) against it for what comes back", inv.Number)
		case in.GoodsLeft == nil && today != "" && inv.Date < today:
			return inv, fail.Conflict("goods_left", "invoice %s is of %s, an earlier day: say whether its goods left the godown (goods_left); if they did, post a sales return instead", inv.Number, inv.Date.Display())
		}
	}
	return CancelInvoice(tx, number, in.Reason, today)
}

// CancelInvoice cancels a posted invoice: it becomes void from its own date
// (see above): its stock comes back to the same batches on the invoice's
// date, its scheme redemptions are reversed, it leaves outstanding, later
// counts of its batches are restated, and the number stays used. An invoice
// with returns or receipts against it cannot be cancelled (reverse those
// first). today is the day of cancelling, kept in the cancellation.
func CancelInvoice(tx *book.Tx, number, reason string, today cal.Date) (Invoice, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Invoice{}, fail.Invalid("reason", "say why the invoice is cancelled")
	}
	inv, err := GetInvoice(tx, number)
	if err != nil {
		return inv, err
	}
	if inv.Status == StatusCancelled {
		return inv, fail.Conflict("number", "invoice %s was already cancelled on %s", inv.Number, inv.Cancellation.Date.Display())
	}
	if hasReturns(tx, inv.Number) {
		return inv, fail.Conflict("number", "invoice %s has returns against it: it cannot be cancelled", inv.Number)
	}
	if due := getDue(tx, inv.Outlet, inv.Date, inv.Number); due != inv.TotalPaise {
		return inv, fail.Conflict("number", "invoice %s has ₹%s received against it: reverse the receipt first", inv.Number, inv.TotalPaise-due)
	}
	co, err := company(tx)
	if err != nil {
		return inv, err
	}
	before := invoiceSummary(&inv)
	if today == "" || today < inv.Date {
		today = inv.Date
	}
	void := inv.VoidDate()
	back := map[countKey]money.Qty{}
	for _, ln := range inv.Lines {
		for _, p := range ln.Batches {
			if _, err := stock.Move(tx, stock.Movement{Date: void, Item: ln.Item, Batch: p.Batch, Godown: p.Godown,
				Qty: p.Qty, Kind: stock.SaleCancel, Doc: inv.Number}, co.AllowNegativeStock); err != nil {
				return inv, err
			}
			g := p.Godown
			if g == "" {
				g = stock.MainGodown
			}
			back[countKey{ln.Item, p.Batch, g}] += p.Qty
		}
	}
	if err := restateCounts(tx, &inv, back, time.Time{}); err != nil {
		return inv, err
	}
	if inv.HasSchemes() {
		all := map[int]money.Qty{}
		for _, ln := range inv.Lines {
			if !ln.Free {
				all[ln.No] = ln.Qty
			}
		}
		if _, err := Schemes.Reverse(tx, inv.Number, "CANCEL "+inv.Number, void, all, keptOf(tx, &inv, all)); err != nil {
			return inv, err
		}
	}
	if err := dropDue(tx, inv.Outlet, inv.Date, inv.Number); err != nil {
		return inv, err
	}
	inv.Status = StatusCancelled
	inv.Cancellation = &Cancellation{Reason: reason, Date: today, At: Now(), By: tx.Actor.User}
	if err := putInvoice(tx, inv.Number, &inv); err != nil {
		return inv, err
	}
	if err := tx.Audit("cancel", KindInvoice, inv.Number, before, invoiceSummary(&inv), reason); err != nil {
		return inv, err
	}
	if err := tx.Enqueue(book.TallyQueue, KindCancel, inv.Number); err != nil {
		return inv, err
	}
	return inv, tx.Enqueue(book.UploadQueue, KindCancel, inv.Number)
}

type countKey struct{ item, batch, godown string }

// CountRestatement is what a cancellation changed in a count posted after
// its invoice: the pieces that came back on the invoice's date were on the
// shelf when counted.
type CountRestatement struct {
	Invoice string    `json:"invoice"`
	Item    string    `json:"item"`
	Batch   string    `json:"batch"`
	Godown  string    `json:"godown"`
	Qty     money.Qty `json:"qty"` // added to the book figure, taken off the variance
}

// restateCounts restates, for each batch and godown the invoice took from,
// the earliest count posted after the invoice and dated on or after it.
// cancelledAt, when set, is an earlier cancellation being brought to this
// meaning (a book migration): only counts posted before it are restated,
// and a batch and godown counted again since is left as it stands (that
// count already took the pieces off), as is one already restated.
func restateCounts(tx *book.Tx, inv *Invoice, back map[countKey]money.Qty, cancelledAt time.Time) error {
	if len(back) == 0 {
		return nil
	}
	var counts []StockDoc
	done := map[countKey]bool{}
	err := eachCount(tx, func(d *StockDoc) (bool, error) {
		if d.Kind != KindCount || d.Date < inv.Date || d.PostedAt.Before(inv.PostedAt) {
			return true, nil
		}
		if !cancelledAt.IsZero() && !d.PostedAt.Before(cancelledAt) {
			for _, l := range d.Lines {
				done[countKey{l.Item, l.Batch, l.Godown}] = true
			}
			return true, nil
		}
		for _, r := range d.Restated {
			if r.Invoice == inv.Number {
				done[countKey{r.Item, r.Batch, r.Godown}] = true
			}
		}
		counts = append(counts, *d)
		return true, nil
	})
	if err != nil || len(counts) == 0 {
		return err
	}
	sort.SliceStable(counts, func(i, j int) bool {
		if counts[i].Date != counts[j].Date {
			return counts[i].Date < counts[j].Date
		}
		return counts[i].PostedAt.Before(counts[j].PostedAt)
	})
	for ci := range counts {
		d := &counts[ci]
		changed := false
		for li := range d.Lines {
			l := &d.Lines[li]
			k := countKey{l.Item, l.Batch, l.Godown}
			q := back[k]
			if q == 0 || done[k] || l.Counted == nil || l.BookQty == nil {
				continue
			}
			done[k] = true
			m, err := stock.Move(tx, stock.Movement{Date: d.Date, Item: l.Item, Batch: l.Batch, Godown: l.Godown,
				Qty: -q, Kind: stock.Count, Doc: d.Number}, true)
			if err != nil {
				return err
			}
			bq := *l.BookQty + q
			l.BookQty = &bq
			l.Qty -= q
			l.Value += m.Value
			d.Value += m.Value
			d.Restated = append(d.Restated, CountRestatement{Invoice: inv.Number, Item: l.Item, Batch: l.Batch, Godown: l.Godown, Qty: q})
			changed = true
		}
		if changed {
			if err := putStockDoc(tx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
