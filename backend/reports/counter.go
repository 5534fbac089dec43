package reports

import (
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/excel"
	"vitaran/backend/money"
)

// per is a value per base unit for the eye, to the nearest paisa.
func per(v money.Paise, q money.Qty) money.Paise {
	if q <= 0 {
		return 0
	}
	return (v*2 + money.Paise(q)) / (2 * money.Paise(q))
}

func init() {
	// Loss-on-bill: every line of the period sold below its landed cost
	// (billing.LineLoss: the batches' purchase rate, with the free goods a
	// scheme gave for it), with how much was lost.
	register(&Def{Name: "loss-on-bill", Title: "Loss on bill", Period: true, Columns: []Column{
		{Key: "date", Title: "Date", Type: excel.Date},
		{Key: "invoice", Title: "Invoice", Type: excel.Text, Width: 18},
		{Key: "outlet", Title: "Outlet", Type: excel.Text},
		{Key: "outlet_name", Title: "Outlet name", Type: excel.Text, Width: 28},
		{Key: "salesman", Title: "Salesman", Type: excel.Text},
		{Key: "line", Title: "Line", Type: excel.Int, Width: 6},
		{Key: "item", Title: "Item", Type: excel.Text},
		{Key: "item_name", Title: "Item name", Type: excel.Text, Width: 30},
		{Key: "qty", Title: "Qty", Type: excel.Qty, Total: true},
		{Key: "rate_paise", Title: "Rate", Type: excel.Money},
		{Key: "discount_paise", Title: "Discount", Type: excel.Money, Total: true},
		{Key: "scheme_discount_paise", Title: "Scheme discount", Type: excel.Money, Total: true},
		{Key: "net_rate_paise", Title: "Net rate", Type: excel.Money},
		{Key: "cost_rate_paise", Title: "Landed cost rate", Type: excel.Money},
		{Key: "taxable_paise", Title: "Net (taxable)", Type: excel.Money, Total: true},
		{Key: "cost_paise", Title: "Landed cost", Type: excel.Money, Total: true},
		{Key: "loss_paise", Title: "Loss", Type: excel.Money, Total: true},
	}, run: func(tx *book.Tx, p Params, emit func([]any) error) error {
		return Invoices(tx, p.From, p.To, func(inv *billing.Invoice) error {
			for i := range inv.Lines {
				l := &inv.Lines[i]
				loss, cost, err := billing.LineLoss(tx, inv, l)
				if err != nil {
					return err
				}
				if loss == 0 {
					continue
				}
				if err := emit([]any{inv.Date, inv.Number, inv.Outlet, inv.OutletName, inv.Salesman, l.No, l.Item, l.Name, l.Qty,
					l.RatePaise, l.DiscountPaise, l.SchemeDiscountPaise, per(l.TaxablePaise, l.Qty), per(cost, l.Qty),
					l.TaxablePaise, cost, loss}); err != nil {
					return err
				}
			}
			return nil
		})
	}})
}
