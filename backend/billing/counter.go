package billing

import (
	"encoding/binary"
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Money leaks at the counter: a line sold below what its goods cost
// (loss-on-bill), and the rate an outlet got last time (so a clerk does not
// give away a discount the outlet never had).
//
// The landed cost of a line is what its batches cost (each batch's net
// purchase rate, fixed at its first receipt) for the units it takes, plus
// the free goods a scheme gave for it; its net is its taxable value, after
// the clerk's and the schemes' discounts. A line whose net is below its
// landed cost is a loss. Costs are read from the batches, so the preview
// warns and the report finds the same lines without the posting storing
// anything more.

// LineCost is the landed cost of line l of inv: its batches, and the free
// rows it earned. Free rows and lines of batches without a cost give 0.
func LineCost(tx *book.Tx, inv *Invoice, l *Line) (money.Paise, error) {
	if l.Free {
		return 0, nil
	}
	var cost money.Paise
	add := func(ln *Line) error {
		for _, p := range ln.Batches {
			b, ok, err := stock.GetBatch(tx, ln.Item, p.Batch)
			if err != nil || !ok {
				return err
			}
			v, err := b.Cost.CheckedMulQty(p.Qty)
			if err != nil {
				return err
			}
			if cost, err = money.CheckedAdd(cost, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(l); err != nil {
		return 0, err
	}
	for i := range inv.Lines {
		if f := &inv.Lines[i]; f.Free && f.ForLine == l.No {
			if err := add(f); err != nil {
				return 0, err
			}
		}
	}
	return cost, nil
}

// LineLoss is how far line l's net falls below its landed cost (0 when it
// does not), with the cost.
func LineLoss(tx *book.Tx, inv *Invoice, l *Line) (loss, cost money.Paise, err error) {
	cost, err = LineCost(tx, inv, l)
	if err != nil || cost == 0 || l.Free || l.TaxablePaise >= cost {
		return 0, cost, err
	}
	return cost - l.TaxablePaise, cost, nil
}

// perUnit is a value per base unit for the eye, to the nearest paisa.
func perUnit(v money.Paise, q money.Qty) money.Paise {
	if q <= 0 {
		return 0
	}
	return (v*2 + money.Paise(q)) / (2 * money.Paise(q))
}

// lossWarnings are the preview's loss-on-bill warnings.
func lossWarnings(tx *book.Tx, inv *Invoice) ([]Warning, error) {
	var out []Warning
	for i := range inv.Lines {
		l := &inv.Lines[i]
		loss, cost, err := LineLoss(tx, inv, l)
		if err != nil {
			return nil, err
		}
		if loss > 0 {
			out = append(out, Warning{Kind: "loss", Line: l.No, Item: l.Item, Text: fmt.Sprintf(
				"%s: net ₹%s a unit after discounts and schemes is below the landed cost ₹%s: a loss of ₹%s on the line",
				l.Item, perUnit(l.TaxablePaise, l.Qty), perUnit(cost, l.Qty), loss)})
		}
	}
	return out, nil
}

// LastRate is what an outlet paid for an item on its last bill.
type LastRate struct {
	Outlet     string      `json:"outlet"`
	Item       string      `json:"item"`
	Found      bool        `json:"found"`
	Date       cal.Date    `json:"date,omitempty"`
	Invoice    string      `json:"invoice,omitempty"`
	RatePaise  money.Paise `json:"rate_paise"`
	DiscountBP money.BP    `json:"discount_bp"`
	Qty        money.Qty   `json:"qty"`
}

// The last rate is kept per outlet and item (bLastRate), written by the
// posting that sold it, so reading it is one key whatever the outlet's
// history. A book from before has none until the outlet buys the item
// again; a cancelled bill's rates stay (it was still the rate offered).
//
// Its value is the date (10 bytes), rate, discount and qty as varints, then
// the invoice number: about 30 bytes. What it costs the posting
// (BenchmarkPostInvoice12Lines/nosync, small book, 400 invoices, 3 runs on a
// shared 2-core machine): 36.2 → 39.5 pages written an invoice; CPU 1.27–1.53
// against 1.23–2.03 ms, within the noise. FuzzLastRate reads arbitrary bytes.

func encLastRate(inv *Invoice, l *Line) []byte {
	b := make([]byte, 0, 48)
	b = append(b, inv.Date[:]...)
	b = binary.AppendVarint(b, int64(l.RatePaise))
	b = binary.AppendVarint(b, int64(l.DiscountBP))
	b = binary.AppendVarint(b, int64(l.Qty))
	return append(b, inv.Number...)
}

func decLastRate(v []byte, r *LastRate) bool {
	if len(v) < 11 {
		return false
	}
	r.Date = cal.Date(v[:10])
	v = v[10:]
	var xs [3]int64
	for i := range xs {
		x, n := binary.Varint(v)
		if n <= 0 {
			return false
		}
		xs[i], v = x, v[n:]
	}
	r.RatePaise, r.DiscountBP, r.Qty, r.Invoice = money.Paise(xs[0]), money.BP(xs[1]), money.Qty(xs[2]), string(v)
	r.Found = true
	return true
}

// LastRateOf is the rate and discount an outlet got for an item last time.
func LastRateOf(tx *book.Tx, outlet, item string) LastRate {
	r := LastRate{Outlet: masters.NormalizeCode(outlet), Item: masters.NormalizeCode(item)}
	getLastRate(tx, &r)
	return r
}
