package billing

import (
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
)

// DocFilter narrows a list of purchases, credit notes or receipts.
type DocFilter struct {
	From, To cal.Date
	// Party is the outlet (credit notes, receipts) or the supplier's GSTIN
	// or name (purchases).
	Party string
	Limit int // default 1000
}

func (f *DocFilter) check() error {
	if f.From != "" && !f.From.Valid() {
		return fail.Invalid("from", "%q is not a date (YYYY-MM-DD)", f.From)
	}
	if f.To != "" && !f.To.Valid() {
		return fail.Invalid("to", "%q is not a date (YYYY-MM-DD)", f.To)
	}
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	return nil
}

func (f *DocFilter) inRange(d cal.Date) bool {
	return (f.From == "" || d >= f.From) && (f.To == "" || d <= f.To)
}

// listDocs decodes the documents of a bucket in number order and keeps
// those keep accepts, up to the filter's limit.
func listDocs[T any](tx *book.Tx, bucket string, f DocFilter, keep func(*T) bool) ([]T, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	out := []T{}
	err := shelfOf(tx, bucket).each("", func(k string, v []byte) (bool, error) {
		var d T
		if err := decodeDoc(v, &d); err != nil {
			return false, err
		}
		if keep(&d) {
			out = append(out, d)
		}
		return len(out) < f.Limit, nil
	})
	return out, err
}

// ListPurchases returns GRNs by number, filtered by date and supplier.
func ListPurchases(tx *book.Tx, f DocFilter) ([]Purchase, error) {
	q := strings.ToLower(strings.TrimSpace(f.Party))
	return listDocs(tx, bPurchases, f, func(p *Purchase) bool {
		return f.inRange(p.Date) && (q == "" || strings.EqualFold(p.SupplierGSTIN, q) || strings.Contains(strings.ToLower(p.Supplier), q))
	})
}

// ListSalesReturns returns credit notes by number, filtered by date and outlet.
func ListSalesReturns(tx *book.Tx, f DocFilter) ([]SalesReturn, error) {
	o := masters.NormalizeCode(f.Party)
	return listDocs(tx, bCreditNotes, f, func(r *SalesReturn) bool { return f.inRange(r.Date) && (o == "" || r.Outlet == o) })
}

// ListReceipts returns receipts by number, filtered by date and outlet.
func ListReceipts(tx *book.Tx, f DocFilter) ([]Receipt, error) {
	o := masters.NormalizeCode(f.Party)
	return listDocs(tx, bReceipts, f, func(r *Receipt) bool { return f.inRange(r.Date) && (o == "" || r.Outlet == o) })
}

// ListPurchaseReturns returns debit notes (goods sent back to the brand) by
// number, filtered by date.
func ListPurchaseReturns(tx *book.Tx, f DocFilter) ([]PurchaseReturn, error) {
	return listDocs(tx, bDebitNotes, f, func(r *PurchaseReturn) bool { return f.inRange(r.Date) })
}

// ListChequeBounces returns bounced cheques by number, filtered by date and
// outlet.
func ListChequeBounces(tx *book.Tx, f DocFilter) ([]ChequeBounce, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	o := masters.NormalizeCode(f.Party)
	out := []ChequeBounce{}
	err := eachBounce(tx, func(_ string, b *ChequeBounce) (bool, error) {
		if f.inRange(b.Date) && (o == "" || b.Outlet == o) {
			out = append(out, *b)
		}
		return len(out) < f.Limit, nil
	})
	return out, err
}
