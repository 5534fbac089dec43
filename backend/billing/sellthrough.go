package billing

import (
	"math"
	"sort"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// SchemeSales is sell-through as billing's posted documents tell it:
// taxable value and quantity of billed (not free) lines by outlet and item,
// less the sales returns dated in the period. Cancelled invoices count for
// nothing. It is what schemes.Measure compares periods with; billing owns it
// because the invoices and credit notes it reads are billing's.
func SchemeSales(tx *book.Tx) schemes.Sales { return sellThrough{tx} }

type sellThrough struct{ tx *book.Tx }

func (s sellThrough) SalesByOutletItem(from, to cal.Date) ([]schemes.Sale, error) {
	type key struct{ outlet, item string }
	sum := map[key]*schemes.Sale{}
	items := map[string]masters.Item{}
	add := func(outlet, item string, q money.Qty, v money.Paise) {
		k := key{outlet, item}
		r := sum[k]
		if r == nil {
			it, ok := items[item]
			if !ok {
				it, _ = masters.GetItem(s.tx, item)
				items[item] = it
			}
			r = &schemes.Sale{Outlet: outlet, Item: item, Brand: it.Brand, Category: it.Category}
			sum[k] = r
		}
		r.Qty += q
		r.ValuePaise += v
	}
	list, err := ListInvoices(s.tx, InvoiceFilter{From: from, To: to, Limit: math.MaxInt})
	if err != nil {
		return nil, err
	}
	for _, is := range list {
		if is.Status == "cancelled" {
			continue
		}
		inv, err := GetInvoice(s.tx, is.Number)
		if err != nil {
			return nil, err
		}
		for _, l := range inv.Lines {
			if !l.Free {
				add(inv.Outlet, l.Item, l.Qty, l.TaxablePaise)
			}
		}
	}
	err = creditNoteNumbers(s.tx, func(number string) (bool, error) {
		cn, err := GetSalesReturn(s.tx, number)
		if err != nil {
			return false, err
		}
		if cn.Date < from || cn.Date > to {
			return true, nil
		}
		for _, l := range cn.Lines {
			if !l.Free {
				add(cn.Outlet, l.Item, -l.Qty, -l.TaxablePaise)
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]schemes.Sale, 0, len(sum))
	for _, r := range sum {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Outlet != out[j].Outlet {
			return out[i].Outlet < out[j].Outlet
		}
		return out[i].Item < out[j].Item
	})
	return out, nil
}
