package upload

import (
	"context"
	"testing"
	"vitaran/backend/headoffice"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/reports"
	"vitaran/backend/stock"
)

// dayFigures is one day's sales and closing stock, as the book or head
// office tells it.
type dayFigures struct {
	Invoices, Lines int64
	Taxable         money.Paise
	Qty             money.Qty
	Closing         money.Qty
	ClosingValue    money.Paise
}

// A same-day and a later-day cancellation reach head office as a
// restatement of the invoice's date: per day, head office's invoices,
// lines, taxable value, quantity and closing stock equal the book's own
// register and reconciliation, to the paisa and the piece, and the day of
// the later cancellation carries no −value.
func TestACancelledInvoiceCountsNowhereAtHeadOffice(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 20:00"))
	ho := newHeadOffice(t, clk)
	ho.start(nil)
	key, err := headoffice.AddDistributor(ho.store, "D001", "South", "Sri Balaji Agencies")
	if err != nil {
		t.Fatal(err)
	}
	pc := newRealPC(t, clk, ho.url(), "D001", key)
	pc.schemes("2025-10-01", "2025-10-31")
	ctx := context.Background()
	upload := func() {
		t.Helper()
		if rep, err := pc.up.Now(ctx); err != nil || rep.Waiting != 0 {
			t.Fatalf("upload: %+v %v", rep, err)
		}
	}
	cancel := func(no string, today cal.Date) {
		no_ := false
		pc.update(func(tx *book.Tx) error {
			_, err := billing.Cancel(tx, no, billing.CancelInput{Reason: "billed to the wrong outlet", GoodsLeft: &no_}, today)
			return err
		})
	}

	pc.purchase("2025-10-06")
	d6 := pc.bill("2025-10-06", 4)
	cancel(d6[0], "2025-10-06") // same day
	upload()
	clk.set(ist("2025-10-07 20:00"))
	pc.bill("2025-10-07", 2)
	upload() // stock statements of the 6th and 7th are at head office
	clk.set(ist("2025-10-09 20:00"))
	pc.bill("2025-10-09", 1)
	cancel(d6[1], "2025-10-09") // two days later: the goods never left
	upload()

	bookDay := func(d cal.Date) dayFigures {
		var f dayFigures
		err := pc.book.View(func(tx *book.Tx) error {
			if err := reports.Invoices(tx, d, d, func(inv *billing.Invoice) error {
				f.Invoices++
				f.Lines += int64(len(inv.Lines))
				f.Taxable += inv.TaxablePaise
				for _, l := range inv.Lines {
					if !l.Free {
						f.Qty += l.Qty
					}
				}
				return nil
			}); err != nil {
				return err
			}
			recs, err := stock.Reconcile(tx, stock.ReconOptions{From: d, To: d})
			for _, r := range recs {
				f.Closing += r.Closing
				f.ClosingValue += r.ClosingValue
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	hoDay := func(d cal.Date) dayFigures {
		var f dayFigures
		err := ho.store.ScanRollup(headoffice.RollSalesDist, "D001", d, d, func(_ cal.Date, _ string, s headoffice.Sum) error {
			f.Invoices, f.Lines, f.Taxable, f.Qty = s.Invoices, s.Lines, s.Taxable, s.Qty
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ho.store.StockOn("D001", d)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			f.Closing += r.Closing
			f.ClosingValue += r.ClosingValuePaise
		}
		return f
	}
	for _, d := range []cal.Date{"2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09"} {
		if b, h := bookDay(d), hoDay(d); b != h {
			t.Errorf("%s: book %+v, head office %+v", d, b, h)
		}
	}
	if b := bookDay("2025-10-06"); b.Invoices != 2 || b.Lines != 6 {
		t.Errorf("the 6th keeps two of its four invoices, three lines each: %+v", b)
	}
	for d, want := range map[cal.Date]dayFigures{ // pinned: the book's own figures above are these
		"2025-10-06": {Invoices: 2, Lines: 6, Taxable: 507754, Qty: 63, Closing: 15937, ClosingValue: 65101808},
		"2025-10-07": {Invoices: 2, Lines: 6, Taxable: 402886, Qty: 87, Closing: 15850, ClosingValue: 64779520},
		"2025-10-08": {Closing: 15850, ClosingValue: 64779520},
		"2025-10-09": {Invoices: 1, Lines: 4, Taxable: 100208, Qty: 45, Closing: 15804, ClosingValue: 64697670}, // no −value: the cancellation is on the 6th
	} {
		if got := hoDay(d); got != want {
			t.Errorf("%s at head office: %+v, want %+v", d, got, want)
		}
	}
	s, err := ho.recv.Summary(headoffice.Period{From: "2025-10-01", To: "2025-10-31"})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := ho.recv.Series(headoffice.SeriesQuery{Period: headoffice.Period{From: "2025-10-06", To: "2025-10-09"}})
	if err != nil || len(sr.Points) != 4 {
		t.Fatalf("series %+v %v", sr, err)
	}
	for i, want := range []int64{2, 2, 0, 1} {
		if got := sr.Points[i].SecondaryInvoices; got != want {
			t.Errorf("series %s: %d invoices, want %d", sr.Points[i].From, got, want)
		}
	}
	if s.Secondary.Invoices != 5 || s.Secondary.Lines != 16 {
		t.Errorf("the month at head office: %d invoices, %d lines; want 5 and 16", s.Secondary.Invoices, s.Secondary.Lines)
	}
}
