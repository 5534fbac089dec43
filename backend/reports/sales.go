package reports

import (
	"sort"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Invoices calls fn for each posted (not cancelled) invoice dated from..to,
// in date and number order: one range scan of billing's date index and one
// decode per invoice.
func Invoices(tx *book.Tx, from, to cal.Date, fn func(inv *billing.Invoice) error) error {
	return billing.EachInvoiceNumber(tx, from, to, func(number string) (bool, error) {
		inv, err := billing.GetInvoice(tx, number)
		if err != nil {
			return false, err
		}
		if !inv.Counts() { // void from its own date: see billing.Invoice.Counts
			return true, nil
		}
		return true, fn(&inv)
	})
}

// Document types in the registers.
const (
	docInvoice    = "Invoice"
	docCreditNote = "Credit note"
)

// salesDocs calls onInv for each posted invoice and onCN for each credit
// note (sales return) dated from..to, by date; on one day the invoices come
// first. onCN also gets the invoice the goods came back from (for its beat
// and salesman; a bare one with the outlet when it cannot be read).
func salesDocs(tx *book.Tx, from, to cal.Date, onInv func(inv *billing.Invoice) error,
	onCN func(cn *billing.SalesReturn, of *billing.Invoice) error) error {
	var cns []billing.SalesReturn
	if err := CreditNotes(tx, from, to, func(cn *billing.SalesReturn) error { cns = append(cns, *cn); return nil }); err != nil {
		return err
	}
	next := 0
	flush := func(before cal.Date) error {
		for ; next < len(cns) && cns[next].Date < before; next++ {
			cn := &cns[next]
			of, err := billing.GetInvoice(tx, cn.Invoice)
			if err != nil {
				of = billing.Invoice{Number: cn.Invoice, Outlet: cn.Outlet}
				if o, err := masters.GetOutlet(tx, cn.Outlet); err == nil {
					of.OutletName, of.OutletGSTIN, of.Beat, of.Salesman = o.Name, o.GSTIN, o.Beat, o.Salesman
				}
			}
			if err := onCN(cn, &of); err != nil {
				return err
			}
		}
		return nil
	}
	err := Invoices(tx, from, to, func(inv *billing.Invoice) error {
		if err := flush(inv.Date); err != nil {
			return err
		}
		return onInv(inv)
	})
	if err != nil {
		return err
	}
	return flush("\xff")
}

func init() {
	register(&Def{Name: "sales-register", Title: "Sales register", Period: true, Columns: []Column{
		{Key: "date", Title: "Date", Type: excel.Date},
		{Key: "invoice", Title: "Invoice", Type: excel.Text, Width: 18},
		{Key: "doc_type", Title: "Type", Type: excel.Text, Width: 12},
		{Key: "outlet", Title: "Outlet", Type: excel.Text},
		{Key: "outlet_name", Title: "Outlet name", Type: excel.Text, Width: 28},
		{Key: "outlet_gstin", Title: "GSTIN", Type: excel.Text, Width: 17},
		{Key: "beat", Title: "Beat", Type: excel.Text},
		{Key: "salesman", Title: "Salesman", Type: excel.Text},
		{Key: "line", Title: "Line", Type: excel.Int, Width: 6},
		{Key: "item", Title: "Item", Type: excel.Text},
		{Key: "item_name", Title: "Item name", Type: excel.Text, Width: 30},
		{Key: "hsn", Title: "HSN", Type: excel.Text, Width: 10},
		{Key: "qty", Title: "Qty", Type: excel.Qty, Total: true},
		{Key: "free", Title: "Free", Type: excel.Bool, Width: 6},
		{Key: "rate_paise", Title: "Rate", Type: excel.Money},
		{Key: "gross_paise", Title: "Gross", Type: excel.Money, Total: true},
		{Key: "discount_paise", Title: "Discount", Type: excel.Money, Total: true},
		{Key: "scheme_discount_paise", Title: "Scheme discount", Type: excel.Money, Total: true},
		{Key: "taxable_paise", Title: "Taxable", Type: excel.Money, Total: true},
		{Key: "gst_rate_bp", Title: "GST %", Type: excel.GSTRate, Width: 8},
		{Key: "cgst_paise", Title: "CGST", Type: excel.Money, Total: true},
		{Key: "sgst_paise", Title: "SGST", Type: excel.Money, Total: true},
		{Key: "igst_paise", Title: "IGST", Type: excel.Money, Total: true},
		{Key: "total_paise", Title: "Line total", Type: excel.Money, Total: true},
		{Key: "free_value_paise", Title: "Free goods value", Type: excel.Money, Total: true},
		{Key: "free_deducted_paise", Title: "Free goods deducted", Type: excel.Money, Total: true},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		return salesDocs(tx, p.From, p.To, func(inv *billing.Invoice) error {
			for i := range inv.Lines {
				l := &inv.Lines[i]
				err := emit([]any{inv.Date, inv.Number, docInvoice, inv.Outlet, inv.OutletName, inv.OutletGSTIN, inv.Beat, inv.Salesman,
					l.No, l.Item, l.Name, l.HSN, l.Qty, l.Free, l.RatePaise, l.GrossPaise, l.DiscountPaise, l.SchemeDiscountPaise,
					l.TaxablePaise, l.GSTRateBP, l.CGSTPaise, l.SGSTPaise, l.IGSTPaise, l.TotalPaise, l.FreeValuePaise, money.Paise(0)})
				if err != nil {
					return err
				}
			}
			return nil
		}, func(cn *billing.SalesReturn, of *billing.Invoice) error {
			// A return is the sale undone on its own date: negative quantity
			// and values, split as the invoice split them (the same split
			// head office gets, billing.ReturnValuesOf). Free goods value is
			// what the claim no longer carries: the free pieces back, and
			// those kept and deducted from the credit.
			for i := range cn.Lines {
				l := &cn.Lines[i]
				v := billing.ReturnValuesOf(l, of)
				err := emit([]any{cn.Date, cn.Number, docCreditNote, cn.Outlet, of.OutletName, of.OutletGSTIN, of.Beat, of.Salesman,
					l.No, l.Item, l.Name, l.HSN, -l.Qty, l.Free, l.RatePaise, -v.Gross, -v.Discount, -v.SchemeDiscount,
					-v.Taxable, l.GSTRateBP, -l.CGSTPaise, -l.SGSTPaise, -l.IGSTPaise, -l.TotalPaise, -(v.FreeValue + v.FreeDeducted), -v.FreeDeducted})
				if err != nil {
					return err
				}
			}
			return nil
		})
	}})

	register(&Def{Name: "invoice-register", Title: "Invoice register", Period: true, Columns: []Column{
		{Key: "date", Title: "Date", Type: excel.Date},
		{Key: "invoice", Title: "Invoice", Type: excel.Text, Width: 18},
		{Key: "doc_type", Title: "Type", Type: excel.Text, Width: 12},
		{Key: "outlet", Title: "Outlet", Type: excel.Text},
		{Key: "outlet_name", Title: "Outlet name", Type: excel.Text, Width: 28},
		{Key: "beat", Title: "Beat", Type: excel.Text},
		{Key: "salesman", Title: "Salesman", Type: excel.Text},
		{Key: "lines", Title: "Lines", Type: excel.Int, Total: true},
		{Key: "taxable_paise", Title: "Taxable", Type: excel.Money, Total: true},
		{Key: "cgst_paise", Title: "CGST", Type: excel.Money, Total: true},
		{Key: "sgst_paise", Title: "SGST", Type: excel.Money, Total: true},
		{Key: "igst_paise", Title: "IGST", Type: excel.Money, Total: true},
		{Key: "round_off_paise", Title: "Round off", Type: excel.Money, Total: true},
		{Key: "total_paise", Title: "Total", Type: excel.Money, Total: true},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		return salesDocs(tx, p.From, p.To, func(inv *billing.Invoice) error {
			return emit([]any{inv.Date, inv.Number, docInvoice, inv.Outlet, inv.OutletName, inv.Beat, inv.Salesman, len(inv.Lines),
				inv.TaxablePaise, inv.CGSTPaise, inv.SGSTPaise, inv.IGSTPaise, inv.RoundOffPaise, inv.TotalPaise})
		}, func(cn *billing.SalesReturn, of *billing.Invoice) error {
			return emit([]any{cn.Date, cn.Number, docCreditNote, cn.Outlet, of.OutletName, of.Beat, of.Salesman, len(cn.Lines),
				-cn.TaxablePaise, -cn.CGSTPaise, -cn.SGSTPaise, -cn.IGSTPaise, -cn.RoundOffPaise, -cn.TotalPaise})
		})
	}})

	for _, by := range []struct{ name, title, key, keyTitle string }{
		{"item-sales", "Item-wise sales", "item", "Item"},
		{"outlet-sales", "Outlet-wise sales", "outlet", "Outlet"},
		{"beat-sales", "Beat performance", "beat", "Beat"},
		{"salesman-sales", "Salesman performance", "salesman", "Salesman"},
		{"brand-sales", "Brand-wise sales", "brand", "Brand"},
	} {
		register(&Def{Name: by.name, Title: by.title, Period: true, Columns: []Column{
			{Key: by.key, Title: by.keyTitle, Type: excel.Text},
			{Key: "name", Title: "Name", Type: excel.Text, Width: 30},
			{Key: "invoices", Title: "Invoices", Type: excel.Int, Total: true},
			{Key: "outlets", Title: "Outlets billed", Type: excel.Int},
			{Key: "qty", Title: "Qty", Type: excel.Qty, Total: true},
			{Key: "free_qty", Title: "Free qty", Type: excel.Qty, Total: true},
			{Key: "taxable_paise", Title: "Taxable", Type: excel.Money, Total: true},
			{Key: "tax_paise", Title: "GST", Type: excel.Money, Total: true},
			{Key: "total_paise", Title: "Value with GST", Type: excel.Money, Total: true},
			{Key: "scheme_paise", Title: "Scheme cost", Type: excel.Money, Total: true},
		}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
			rows, err := SalesBy(tx, by.key, p.From, p.To, nil)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if err := emit([]any{r.Key, r.Name, r.Invoices, r.Outlets, r.Qty, r.FreeQty, r.Taxable, r.Tax, r.Total, r.Scheme}); err != nil {
					return err
				}
			}
			return nil
		}})
	}
}

// SalesRow is the sales of one item, outlet, beat, salesman or brand.
type SalesRow struct {
	Key      string      `json:"key"`
	Name     string      `json:"name"`
	Invoices int         `json:"invoices"`
	Outlets  int         `json:"outlets"`
	Qty      money.Qty   `json:"qty"`
	FreeQty  money.Qty   `json:"free_qty"`
	Taxable  money.Paise `json:"taxable_paise"`
	Tax      money.Paise `json:"tax_paise"`
	Total    money.Paise `json:"total_paise"` // taxable + GST, before the invoice's round-off
	Scheme   money.Paise `json:"scheme_paise"`

	lastInv string
	outlets map[string]bool
}

// Dimensions are the ways sales can be cut.
var Dimensions = []string{"item", "outlet", "beat", "salesman", "brand"}

// SalesBy sums invoice lines less credit-note lines over a period by one
// dimension, largest value first. A credit note counts against the outlet,
// beat and salesman of the invoice it returns goods of; it is not an
// invoice and bills no outlet. keep, when set, picks the items (the
// dashboard's brand drill-down).
func SalesBy(tx *book.Tx, by string, from, to cal.Date, keep func(it *masters.Item) bool) ([]*SalesRow, error) {
	items := map[string]*masters.Item{}
	item := func(code string) *masters.Item {
		if it, ok := items[code]; ok {
			return it
		}
		it, err := masters.GetItem(tx, code)
		if err != nil {
			it = masters.Item{Code: code}
		}
		items[code] = &it
		return &it
	}
	names := map[string]string{}
	name := func(kind, code string) string {
		k := kind + "\x00" + code
		if n, ok := names[k]; ok {
			return n
		}
		var n string
		switch kind {
		case "beat":
			if b, err := masters.GetBeat(tx, code); err == nil {
				n = b.Name
			}
		case "salesman":
			if s, err := masters.GetSalesman(tx, code); err == nil {
				n = s.Name
			}
		}
		names[k] = n
		return n
	}
	acc := map[string]*SalesRow{}
	row := func(inv *billing.Invoice, item, itemName string, it *masters.Item) *SalesRow {
		var key, nm string
		switch by {
		case "item":
			key, nm = item, itemName
		case "outlet":
			key, nm = inv.Outlet, inv.OutletName
		case "beat":
			key, nm = inv.Beat, name("beat", inv.Beat)
		case "salesman":
			key, nm = inv.Salesman, name("salesman", inv.Salesman)
		default:
			key, nm = it.Brand, it.Brand
		}
		r := acc[key]
		if r == nil {
			r = &SalesRow{Key: key, Name: nm, outlets: map[string]bool{}}
			acc[key] = r
		}
		return r
	}
	err := salesDocs(tx, from, to, func(inv *billing.Invoice) error {
		for i := range inv.Lines {
			l := &inv.Lines[i]
			it := item(l.Item)
			if keep != nil && !keep(it) {
				continue
			}
			r := row(inv, l.Item, l.Name, it)
			if r.lastInv != inv.Number {
				r.lastInv = inv.Number
				r.Invoices++
			}
			r.outlets[inv.Outlet] = true
			if l.Free {
				r.FreeQty += l.Qty
			} else {
				r.Qty += l.Qty
			}
			tax := l.CGSTPaise + l.SGSTPaise + l.IGSTPaise
			r.Taxable += l.TaxablePaise
			r.Tax += tax
			r.Total += l.TaxablePaise + tax
			r.Scheme += l.SchemeDiscountPaise + l.FreeValuePaise
		}
		return nil
	}, func(cn *billing.SalesReturn, of *billing.Invoice) error {
		for i := range cn.Lines {
			l := &cn.Lines[i]
			it := item(l.Item)
			if keep != nil && !keep(it) {
				continue
			}
			r := row(of, l.Item, l.Name, it)
			if l.Free {
				r.FreeQty -= l.Qty
			} else {
				r.Qty -= l.Qty
			}
			tax := l.CGSTPaise + l.SGSTPaise + l.IGSTPaise
			r.Taxable -= l.TaxablePaise
			r.Tax -= tax
			r.Total -= l.TaxablePaise + tax
			v := billing.ReturnValuesOf(l, of)
			r.Scheme -= v.SchemeDiscount + v.FreeValue + v.FreeDeducted
		}
		return nil
	})
	out := make([]*SalesRow, 0, len(acc))
	for _, r := range acc {
		r.Outlets = len(r.outlets)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Taxable != out[j].Taxable {
			return out[i].Taxable > out[j].Taxable
		}
		return out[i].Key < out[j].Key
	})
	return out, err
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
