package upload

import (
	"fmt"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice/wire"
)

// Books before schema 3 dated a cancellation on the day the clerk
// cancelled, and so did the rows their drain recorded for head office: the
// invoice's lines negated (doc_type cancel) and its scheme reversals, all
// with invoice_date that day. billing's migration re-dates the book's side
// to the invoice's date (Invoice.VoidDate); this one restates both days at
// head office on the next upload, for every such cancellation already
// drained (one not drained yet is drained the new way):
//
//   - the invoice's date, as any cancellation restates it now: the
//     cancellation's lines on that date, which the next build follows with
//     the stock statement of every day from there (Build);
//   - the day it was cancelled: the invoice's own lines once more, on that
//     day, so the cancel lines head office holds there net to nothing — in
//     value, pieces, lines and invoices alike.
//
// The scheme reversals go the same way, under ids of their own (a
// redemption resent under its id with another date is a conflict): each
// reversal again on the invoice's date, its id marked "@" and that date
// from now on (so a full refresh resends it as sent here), and its
// opposite on the cancelling day, which nets the stale one there.
//
// Head office never forgets a row it holds (version 1 of the protocol has
// no withdrawal), so on the cancelling day its raw lines keep the stale
// rows beside their counterparts; every cell it sums comes out as the
// book's.
func init() { book.OnMigrate(3, restateOldCancellations) }

// redemptionIDOf is the id a redemption goes under at head office.
func (c *converter) redemptionIDOf(id string) string {
	if d := redatedOn(c.tx, id); d != "" {
		return id + "@" + d
	}
	return id
}

func restateOldCancellations(tx *book.Tx) error {
	drained := drainCursor(tx, "queue")
	if drained == 0 {
		return nil
	}
	entries, err := tx.Queued(book.UploadQueue, 0, 0)
	if err != nil {
		return fmt.Errorf("upload queue: %w", err)
	}
	c := newConverter(tx)
	for _, e := range entries {
		if e.Seq > drained {
			break
		}
		if e.Kind != billing.KindCancel {
			continue
		}
		inv, err := billing.GetInvoice(tx, e.ID)
		if err != nil {
			return fmt.Errorf("cancellation of %s: %w", e.ID, err)
		}
		if inv.Cancellation == nil || !inv.Cancellation.Date.Valid() || inv.Cancellation.Date == inv.VoidDate() {
			continue // drained with its invoice's date already
		}
		if err := restateCancellation(c, &inv, inv.Cancellation.Date); err != nil {
			return fmt.Errorf("cancellation of %s: %w", inv.Number, err)
		}
	}
	return nil
}

// restateCancellation records the rows that restate a cancellation head
// office holds on day (see restateOldCancellations).
func restateCancellation(c *converter, inv *Invoice, day cal.Date) error {
	reds, err := c.invoiceRedemptions(inv, "CANCEL "+inv.Number)
	if err != nil {
		return err
	}
	net := make([]wire.Redemption, 0, len(reds))
	for i := range reds {
		r := &reds[i]
		if err := setRedatedOn(c.tx, r.RedemptionID, r.InvoiceDate); err != nil {
			return err
		}
		n := *r
		n.RedemptionID, n.InvoiceDate = r.RedemptionID+"@"+string(day), day
		n.FreeQty, n.DiscountPaise, n.ValuePaise = -r.FreeQty, -r.DiscountPaise, -r.ValuePaise
		net = append(net, n)
		r.RedemptionID += "@" + string(r.InvoiceDate)
	}
	if err := RecordRedemptions(c.tx, append(reds, net...)...); err != nil {
		return err
	}
	cancel, err := c.invoiceLines(inv, wire.DocCancel, reds)
	if err != nil {
		return err
	}
	sold, err := c.invoiceRedemptions(inv, "")
	if err != nil {
		return err
	}
	again, err := c.invoiceLines(inv, wire.DocInvoice, sold)
	if err != nil {
		return err
	}
	for i := range again {
		again[i].InvoiceDate = day
	}
	return RecordSales(c.tx, append(cancel, again...)...)
}
