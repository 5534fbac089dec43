package billing

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// How undelivered goods came back.
const (
	BackByCancel     = "cancelled"
	BackByCreditNote = "credit_note"
)

// TakeBackUndelivered brings the goods of an invoice the van could not
// deliver back to stock, on the day the van came back, as the rules allow:
//   - on the invoice's own day, with nothing received or returned against it
//     (and mayCancel: no IRN the portal would have to cancel), the invoice is
//     cancelled with goods_left false — it is void from its own date;
//   - otherwise a credit note (sales return) for everything not yet
//     returned, saleable, back to the batches it left.
//
// It answers how (BackByCancel or BackByCreditNote) and the document: the
// invoice's number, or the credit note's.
func TakeBackUndelivered(tx *book.Tx, number string, on cal.Date, reason string, mayCancel bool) (string, string, error) {
	inv, err := GetInvoice(tx, number)
	if err != nil {
		return "", "", err
	}
	returned := hasReturns(tx, inv.Number)
	if mayCancel && inv.Counts() && on == inv.Date && !returned && DueOn(tx, &inv) == inv.TotalPaise {
		left := false
		if _, err := Cancel(tx, inv.Number, CancelInput{Reason: reason, GoodsLeft: &left}, on); err != nil {
			return "", "", err
		}
		return BackByCancel, inv.Number, nil
	}
	in := SalesReturnInput{Invoice: inv.Number, Date: on, Reason: reason}
	for _, l := range inv.Lines {
		if rest := l.Qty - getReturned(tx, inv.Number, l.No).Qty; rest > 0 {
			in.Lines = append(in.Lines, SalesReturnLineInput{Line: l.No, Qty: rest, Condition: "saleable"})
		}
	}
	sr, err := PostSalesReturn(tx, in)
	if err != nil {
		return "", "", err
	}
	return BackByCreditNote, sr.Number, nil
}
