package billing

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// Books before schema 3 dated a cancellation's stock movements (kind
// sale_cancel, doc the invoice) and its scheme reversals ("CANCEL " and the
// invoice) on the day the clerk cancelled. Since then a cancelled invoice
// is void from its own date (Invoice.VoidDate): the migration moves those
// movements and reversals to the invoice's date, so the reconciliation
// sells none of it in the invoice's month and nothing negative in the
// cancellation's month, and the scheme claim carries neither. Usage
// counters do not change, nor do balances, but for one case: a physical
// count posted between an invoice and its old-style cancellation counted
// the goods that never left as surplus, and the cancellation then added
// them once more. It is restated as a cancellation does now (see
// CancelInvoice): its variance loses the pieces, and so does the stock on
// hand — unless the batch was counted again after the cancellation, which
// already took them off (that count and the first stand as posted). It is
// a no-op on a book that never held an old-style cancellation, and running
// it again changes nothing.
func init() { book.OnMigrate(3, voidFromInvoiceDate) }

func voidFromInvoiceDate(tx *book.Tx) error {
	type move struct {
		seq  uint64
		date cal.Date
	}
	byDoc := map[string][]move{}
	var docs []string
	err := stock.Movements(tx, 0, func(m *stock.Movement) (bool, error) {
		if m.Kind == stock.SaleCancel {
			if _, ok := byDoc[m.Doc]; !ok {
				docs = append(docs, m.Doc)
			}
			byDoc[m.Doc] = append(byDoc[m.Doc], move{m.Seq, m.Date})
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, no := range docs {
		inv, err := GetInvoice(tx, no)
		if err != nil {
			return err
		}
		if inv.Status != StatusCancelled {
			continue
		}
		void := inv.VoidDate()
		for _, m := range byDoc[no] {
			if m.date == void {
				continue
			}
			if _, err := stock.Redate(tx, m.seq, void); err != nil {
				return err
			}
		}
		if _, err := schemes.RedateReversals(tx, inv.Number, "CANCEL "+inv.Number, void); err != nil {
			return err
		}
		if inv.Cancellation == nil || inv.Cancellation.At.IsZero() {
			continue
		}
		back := map[countKey]money.Qty{}
		for _, ln := range inv.Lines {
			for _, p := range ln.Batches {
				g := p.Godown
				if g == "" {
					g = stock.MainGodown
				}
				back[countKey{ln.Item, p.Batch, g}] += p.Qty
			}
		}
		if err := restateCounts(tx, &inv, back, inv.Cancellation.At); err != nil {
			return err
		}
	}
	return nil
}
