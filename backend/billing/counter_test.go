package billing

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/money"
)

func TestALineBelowItsLandedCostWarnsInThePreviewWithoutBlocking(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100)) // bought at ₹25.00 a unit
	rate := money.Paise(2600)
	in := InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{
		{Item: "GD200", Qty: 10, RatePaise: &rate, DiscountBP: 1000}, // ₹26.00 less 10 % = ₹23.40 a unit
		{Item: "GD200", Qty: 5}, // ₹30.00: a profit
	}}
	var p Invoice
	b.View(func(tx *book.Tx) (err error) { p, err = Preview(tx, in); return err })
	var losses []Warning
	for _, w := range p.Warnings {
		if w.Kind == "loss" {
			losses = append(losses, w)
		}
	}
	if len(losses) != 1 || losses[0].Line != 1 ||
		losses[0].Text != "GD200: net ₹23.40 a unit after discounts and schemes is below the landed cost ₹25.00: a loss of ₹16.00 on the line" {
		t.Fatalf("one loss on line 1: %+v", p.Warnings)
	}
	inv := must[Invoice](t)(bill(t, b, in))
	var lossOf1, lossOf2 int64
	b.View(func(tx *book.Tx) error {
		l1, _, _ := LineLoss(tx, &inv, &inv.Lines[0])
		l2, _, _ := LineLoss(tx, &inv, &inv.Lines[1])
		lossOf1, lossOf2 = int64(l1), int64(l2)
		return nil
	})
	if lossOf1 != 1600 || lossOf2 != 0 {
		t.Fatalf("the posted lines' losses: %d, %d", lossOf1, lossOf2)
	}
	var last LastRate
	b.View(func(tx *book.Tx) error { last = LastRateOf(tx, "sls01", "gd200"); return nil })
	if !last.Found || last.RatePaise != 3000 || last.DiscountBP != 0 || last.Qty != 5 || last.Invoice != inv.Number || last.Date != day {
		t.Fatalf("the last line of the item is the last rate: %+v", last)
	}
	b.View(func(tx *book.Tx) error { last = LastRateOf(tx, "TN02", "GD200"); return nil })
	if last.Found {
		t.Fatalf("an outlet that never bought it has no last rate: %+v", last)
	}
}

func FuzzLastRate(f *testing.F) {
	inv := Invoice{Date: day, Number: "SI/26-27/000042"}
	l := Line{RatePaise: 2600, DiscountBP: 1000, Qty: 24}
	f.Add(encLastRate(&inv, &l))
	f.Add([]byte("2026-11-25"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, v []byte) {
		var r LastRate
		if !decLastRate(v, &r) {
			return
		}
		back := encLastRate(&Invoice{Date: r.Date, Number: r.Invoice}, &Line{RatePaise: r.RatePaise, DiscountBP: r.DiscountBP, Qty: r.Qty})
		var again LastRate
		if !decLastRate(back, &again) || again != r {
			t.Fatalf("%q read as %+v, written back and read as %+v", v, r, again)
		}
	})
}

// A 10+1 at ₹27.00 on goods that cost ₹25.00: the ten pay ₹270.00 for
// eleven that cost ₹275.00, so the scheme's free piece makes it a loss.
func TestTheFreeGoodsASchemeGivesCountInTheLandedCost(t *testing.T) {
	b := schemeShop(t)
	rate := money.Paise(2700)
	var p Invoice
	b.View(func(tx *book.Tx) (err error) {
		p, err = Preview(tx, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10, RatePaise: &rate}}})
		return err
	})
	var got []string
	for _, w := range p.Warnings {
		if w.Kind == "loss" {
			got = append(got, w.Text)
		}
	}
	if len(got) != 1 || got[0] != "GD200: net ₹27.00 a unit after discounts and schemes is below the landed cost ₹27.50: a loss of ₹5.00 on the line" {
		t.Fatalf("the free piece's cost counts: %q (lines %+v)", got, p.Lines)
	}
}
