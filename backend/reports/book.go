package reports

import (
	"sort"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// Thresholds of the stock flags, as the dashboard shows them.
const (
	NearExpiryDays = 60
	OverstockDays  = 45
)

func itemNames(tx *book.Tx) (map[string]masters.Item, error) {
	its, err := masters.ListItems(tx, masters.ItemFilter{}, "")
	m := make(map[string]masters.Item, len(its))
	for _, it := range its {
		m[it.Code] = it
	}
	return m, err
}

func init() {
	register(&Def{Name: "stock-summary", Title: "Stock summary with batches", Columns: []Column{
		{Key: "item", Title: "Item", Type: excel.Text},
		{Key: "item_name", Title: "Item name", Type: excel.Text, Width: 30},
		{Key: "brand", Title: "Brand", Type: excel.Text},
		{Key: "batch", Title: "Batch", Type: excel.Text},
		{Key: "godown", Title: "Godown", Type: excel.Text},
		{Key: "expiry", Title: "Expiry", Type: excel.Date},
		{Key: "days_to_expiry", Title: "Days to expiry", Type: excel.Int},
		{Key: "mrp_paise", Title: "MRP", Type: excel.Money},
		{Key: "qty", Title: "Qty", Type: excel.Qty, Total: true},
		{Key: "value_paise", Title: "Value at cost", Type: excel.Money, Total: true},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		names, err := itemNames(tx)
		if err != nil {
			return err
		}
		sum, err := stock.Summary(tx, "")
		if err != nil {
			return err
		}
		for _, is := range sum {
			it := names[is.Item]
			for _, b := range is.Batches {
				if b.Qty == 0 {
					continue
				}
				days := 0
				if b.Expiry != "" {
					days = p.AsOf.DaysUntil(b.Expiry)
				}
				if err := emit([]any{is.Item, it.Name, it.Brand, b.Batch, b.Godown, b.Expiry, days, b.MRP, b.Qty, b.Value}); err != nil {
					return err
				}
			}
		}
		return nil
	}})

	register(&Def{Name: "reconciliation", Title: "Stock reconciliation", Period: true, Columns: []Column{
		{Key: "item", Title: "Item", Type: excel.Text},
		{Key: "item_name", Title: "Item name", Type: excel.Text, Width: 30},
		{Key: "opening", Title: "Opening", Type: excel.Qty, Total: true},
		{Key: "received", Title: "Received", Type: excel.Qty, Total: true},
		{Key: "sold", Title: "Sold", Type: excel.Qty, Total: true},
		{Key: "returned", Title: "Sales returns", Type: excel.Qty, Total: true},
		{Key: "purchase_returned", Title: "Purchase returns", Type: excel.Qty, Total: true},
		{Key: "adjusted", Title: "Adjusted", Type: excel.Qty, Total: true},
		{Key: "closing", Title: "Closing", Type: excel.Qty, Total: true},
		{Key: "closing_value_paise", Title: "Closing value", Type: excel.Money, Total: true},
		{Key: "days_of_cover", Title: "Days of cover", Type: excel.Int},
		{Key: "overstock", Title: "Overstock", Type: excel.Bool},
		{Key: "near_expiry_qty", Title: "Near expiry qty", Type: excel.Qty, Total: true},
		{Key: "expired_qty", Title: "Expired qty", Type: excel.Qty, Total: true},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		names, err := itemNames(tx)
		if err != nil {
			return err
		}
		recs, err := stock.Reconcile(tx, stock.ReconOptions{From: p.From, To: p.To, NearExpiryDays: NearExpiryDays, OverstockDays: OverstockDays})
		if err != nil {
			return err
		}
		for _, r := range recs {
			var cover any
			if r.DaysOfCover != nil {
				cover = *r.DaysOfCover
			}
			if err := emit([]any{r.Item, names[r.Item].Name, r.Opening, r.Received, r.Sold, r.Returned, r.PurchaseReturned,
				r.Adjusted, r.Closing, r.ClosingValue, cover, r.Overstock, r.NearExpiryQty, r.Expired}); err != nil {
				return err
			}
		}
		return nil
	}})

	register(&Def{Name: "outstanding", Title: "Outstanding and ageing", Columns: []Column{
		{Key: "outlet", Title: "Outlet", Type: excel.Text},
		{Key: "outlet_name", Title: "Outlet name", Type: excel.Text, Width: 28},
		{Key: "credit_limit_paise", Title: "Credit limit", Type: excel.Money},
		{Key: "credit_days", Title: "Credit days", Type: excel.Int},
		{Key: "bills", Title: "Open bills", Type: excel.Int, Total: true},
		{Key: "due_paise", Title: "Due", Type: excel.Money, Total: true},
		{Key: "on_account_paise", Title: "On account", Type: excel.Money, Total: true},
		{Key: "outstanding_paise", Title: "Outstanding", Type: excel.Money, Total: true},
		{Key: "days_0_30_paise", Title: "0–30 days", Type: excel.Money, Total: true},
		{Key: "days_31_60_paise", Title: "31–60 days", Type: excel.Money, Total: true},
		{Key: "days_61_90_paise", Title: "61–90 days", Type: excel.Money, Total: true},
		{Key: "days_over_90_paise", Title: "Over 90 days", Type: excel.Money, Total: true},
		{Key: "overdue_paise", Title: "Overdue", Type: excel.Money, Total: true},
		{Key: "oldest_bill", Title: "Oldest bill", Type: excel.Date},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		all, err := billing.AllOutstanding(tx, p.AsOf)
		if err != nil {
			return err
		}
		for _, o := range all {
			a := o.Ageing
			if err := emit([]any{o.Outlet, o.Name, o.CreditLimitPaise, o.CreditDays, len(o.Bills), o.DuePaise, o.OnAccountPaise,
				o.OutstandingPaise, a.Upto30, a.Upto60, a.Upto90, a.Over90, a.Overdue, a.Earliest}); err != nil {
				return err
			}
		}
		return nil
	}})

	// Bill by bill, as Tally's bill-wise outstanding: each open bill with what
	// part-payments and credits took off it, its age and bucket, and one
	// "On account" row per outlet for money received against no bill (a
	// credit, so negative). The Due column sums to the outstanding report's
	// Outstanding.
	register(&Def{Name: "outstanding-bills", Title: "Outstanding bill by bill", Columns: []Column{
		{Key: "outlet", Title: "Outlet", Type: excel.Text},
		{Key: "outlet_name", Title: "Outlet name", Type: excel.Text, Width: 28},
		{Key: "invoice", Title: "Bill", Type: excel.Text, Width: 18},
		{Key: "date", Title: "Date", Type: excel.Date},
		{Key: "due_date", Title: "Due date", Type: excel.Date},
		{Key: "days", Title: "Days", Type: excel.Int},
		{Key: "bill_paise", Title: "Bill amount", Type: excel.Money, Total: true},
		{Key: "received_paise", Title: "Received", Type: excel.Money, Total: true},
		{Key: "due_paise", Title: "Due", Type: excel.Money, Total: true},
		{Key: "ageing", Title: "Ageing", Type: excel.Text, Width: 12},
		{Key: "overdue", Title: "Overdue", Type: excel.Bool, Width: 8},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		all, err := billing.AllOutstanding(tx, p.AsOf)
		if err != nil {
			return err
		}
		for _, x := range all {
			o, err := billing.OutstandingOf(tx, x.Outlet, p.AsOf)
			if err != nil {
				o = x // an outlet no longer in the masters keeps its total
			}
			for _, b := range o.Bills {
				if err := emit([]any{x.Outlet, x.Name, b.Invoice, b.Date, b.DueDate, b.Days, b.TotalPaise, b.TotalPaise - b.DuePaise,
					b.DuePaise, AgeingBucket(b.Days), b.Overdue}); err != nil {
					return err
				}
			}
			if x.OnAccountPaise != 0 {
				if err := emit([]any{x.Outlet, x.Name, "On account", cal.Date(""), cal.Date(""), nil, money.Paise(0), x.OnAccountPaise,
					-x.OnAccountPaise, "On account", false}); err != nil {
					return err
				}
			}
		}
		return nil
	}})

	register(&Def{Name: "hsn-summary", Title: "HSN-wise summary of outward supplies (GSTR-1)", Period: true, Columns: []Column{
		{Key: "hsn", Title: "HSN", Type: excel.Text, Width: 10},
		{Key: "description", Title: "Description", Type: excel.Text, Width: 30},
		{Key: "uqc", Title: "UQC", Type: excel.Text, Width: 8},
		{Key: "qty", Title: "Total quantity", Type: excel.Qty, Total: true},
		{Key: "gst_rate_bp", Title: "Rate", Type: excel.GSTRate, Width: 8},
		{Key: "value_paise", Title: "Total value", Type: excel.Money, Total: true},
		{Key: "taxable_paise", Title: "Taxable value", Type: excel.Money, Total: true},
		{Key: "igst_paise", Title: "Integrated tax", Type: excel.Money, Total: true},
		{Key: "cgst_paise", Title: "Central tax", Type: excel.Money, Total: true},
		{Key: "sgst_paise", Title: "State/UT tax", Type: excel.Money, Total: true},
	}, run: runHSN})

	register(&Def{Name: "scheme-claims", Title: "Scheme claims", Period: true, Columns: []Column{
		{Key: "scheme", Title: "Scheme", Type: excel.Text},
		{Key: "name", Title: "Name", Type: excel.Text, Width: 30},
		{Key: "outlets", Title: "Outlets", Type: excel.Int},
		{Key: "invoices", Title: "Invoices", Type: excel.Int},
		{Key: "redemptions", Title: "Redemptions", Type: excel.Int, Total: true},
		{Key: "free_qty", Title: "Free qty", Type: excel.Qty, Total: true},
		{Key: "discount_paise", Title: "Discount given", Type: excel.Money, Total: true},
		{Key: "free_value_paise", Title: "Free goods value", Type: excel.Money, Total: true},
		{Key: "value_paise", Title: "Claim", Type: excel.Money, Total: true},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		claims, err := Claims(tx, p)
		if err != nil {
			return err
		}
		for _, c := range claims {
			t := c.Total
			if err := emit([]any{c.Scheme, c.Name, len(c.Outlets), len(c.Invoices), t.Redemptions, t.FreeQty, t.DiscountPaise, t.FreeValuePaise, t.ValuePaise}); err != nil {
				return err
			}
		}
		return nil
	}})
}

// Claims is every scheme's claim over a period; schemes with nothing to
// claim are left out.
func Claims(tx *book.Tx, p Params) ([]schemes.ClaimStatement, error) {
	list, err := schemes.List(tx)
	if err != nil {
		return nil, err
	}
	var out []schemes.ClaimStatement
	for _, s := range list {
		if s.ValidTo < p.From || s.ValidFrom > p.To {
			continue
		}
		c, err := schemes.Claim(tx, s.Code, p.From, p.To)
		if err != nil {
			return nil, err
		}
		if c.Total.Redemptions == 0 && c.Total.ValuePaise == 0 {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

type hsnKey struct {
	hsn  string
	rate money.BP
}

type hsnRow struct {
	desc, uqc                        string
	qty                              money.Qty
	taxable, igst, cgst, sgst, value money.Paise
}

func runHSN(tx *book.Tx, p Params, emit func([]any) error) error {
	acc := map[hsnKey]*hsnRow{}
	units := map[string]string{}
	// add counts a line; sign is -1 for a credit note's (GSTR-1's HSN
	// summary is net of returns).
	add := func(item, name, hsn string, rate money.BP, sign int64, qty money.Qty, taxable, igst, cgst, sgst money.Paise) {
		k := hsnKey{hsn, rate}
		r := acc[k]
		if r == nil {
			u, ok := units[item]
			if !ok {
				it, _ := masters.GetItem(tx, item)
				u = uqc(it.Unit)
				units[item] = u
			}
			r = &hsnRow{desc: name, uqc: u}
			acc[k] = r
		}
		s := money.Paise(sign)
		r.qty += qty * money.Qty(sign)
		r.taxable += taxable * s
		r.igst += igst * s
		r.cgst += cgst * s
		r.sgst += sgst * s
		r.value += (taxable + igst + cgst + sgst) * s
	}
	err := salesDocs(tx, p.From, p.To, func(inv *billing.Invoice) error {
		for i := range inv.Lines {
			l := &inv.Lines[i]
			add(l.Item, l.Name, l.HSN, l.GSTRateBP, 1, l.Qty, l.TaxablePaise, l.IGSTPaise, l.CGSTPaise, l.SGSTPaise)
		}
		return nil
	}, func(cn *billing.SalesReturn, _ *billing.Invoice) error {
		for i := range cn.Lines {
			l := &cn.Lines[i]
			add(l.Item, l.Name, l.HSN, l.GSTRateBP, -1, l.Qty, l.TaxablePaise, l.IGSTPaise, l.CGSTPaise, l.SGSTPaise)
		}
		return nil
	})
	if err != nil {
		return err
	}
	keys := make([]hsnKey, 0, len(acc))
	for k := range acc {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].hsn != keys[j].hsn {
			return keys[i].hsn < keys[j].hsn
		}
		return keys[i].rate < keys[j].rate
	})
	for _, k := range keys {
		r := acc[k]
		if err := emit([]any{k.hsn, r.desc, r.uqc, r.qty, k.rate, r.value, r.taxable, r.igst, r.cgst, r.sgst}); err != nil {
			return err
		}
	}
	return nil
}

// uqc is the GST portal's unit quantity code for a base unit.
func uqc(unit string) string {
	switch unit {
	case "", "PCS", "PC", "PIECE", "PIECES", "NOS", "NO":
		return "PCS-PIECES"
	case "KG", "KGS":
		return "KGS-KILOGRAMS"
	case "LTR", "L", "LITRE":
		return "LTR-LITRES"
	case "BOX":
		return "BOX-BOX"
	case "PAC", "PACK", "PKT":
		return "PAC-PACKS"
	}
	return "OTH-OTHERS"
}

// AgeingBucket names the ageing column a bill of this many days falls in,
// as the outstanding report heads them.
func AgeingBucket(days int) string {
	switch {
	case days <= 30:
		return "0–30 days"
	case days <= 60:
		return "31–60 days"
	case days <= 90:
		return "61–90 days"
	}
	return "Over 90 days"
}
