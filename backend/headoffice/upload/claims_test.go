package upload

import (
	"context"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// A 10+1 on 25 pieces gives 2 free and 5 % off 17 pieces; 10 of the 25
// come back (15 earn 1: a free piece is due back), then 6 more (9 earn
// none: the outlet keeps the piece and pays for it), with 7 of the 17. At
// each step head office, recomputing what the invoice earned from the
// uploaded lines net of the uploaded returns, arrives at the distributor's
// own claim to the paisa and the piece, and its claim check flags nothing.
func TestHeadOfficeRecomputesTheClaimNetOfReturnsAsTheBookDoes(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 20:00"))
	ho := newHeadOffice(t, clk)
	ho.start(nil)
	key, err := headoffice.AddDistributor(ho.store, "D001", "South", "Sri Balaji Agencies")
	if err != nil {
		t.Fatal(err)
	}
	pc := newRealPC(t, clk, ho.url(), "D001", key)
	issued := pc.schemes("2025-10-01", "2025-10-31")
	if err := ho.store.SetSchemes(issued); err != nil {
		t.Fatal(err)
	}
	pc.purchase("2025-10-06")
	var inv billing.Invoice
	pc.update(func(tx *book.Tx) error {
		inv, err = billing.PostInvoice(tx, billing.InvoiceInput{Outlet: pc.outlets[0].Code, Date: "2025-10-06", Lines: []billing.LineInput{
			{Item: pc.items[0].Code, Qty: 25}, {Item: pc.items[1].Code, Qty: 17}}})
		return err
	})
	zero := money.Qty(0)
	steps := []struct {
		day      cal.Date
		lines    []billing.SalesReturnLineInput
		freeKept money.Qty // of B10G1's 2
	}{
		{"2025-10-06", nil, 2},
		{"2025-10-08", []billing.SalesReturnLineInput{{Line: 1, Qty: 10}, {Line: 2, Qty: 7}}, 1},
		{"2025-10-09", []billing.SalesReturnLineInput{{Line: 1, Qty: 6, FreeRecovered: &zero}}, 0},
	}
	for _, st := range steps {
		if st.lines != nil {
			pc.update(func(tx *book.Tx) error {
				_, err := billing.PostSalesReturn(tx, billing.SalesReturnInput{Invoice: inv.Number, Date: st.day, Reason: "shop returned", Lines: st.lines})
				return err
			})
		}
		clk.set(ist(string(st.day) + " 20:00"))
		if rep, err := pc.up.Now(context.Background()); err != nil || rep.Waiting != 0 {
			t.Fatalf("%s: upload: %+v %v", st.day, rep, err)
		}
		var lines, returns []*wire.SalesLine
		err := ho.store.SalesLines("D001", "2025-10-01", "2025-10-31", func(l wire.SalesLine) error {
			switch {
			case l.DocType == wire.DocInvoice && l.InvoiceNo == inv.Number:
				lines = append(lines, &l)
			case l.DocType == wire.DocReturn && l.RefInvoiceNo == inv.Number:
				returns = append(returns, &l)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		outlets := map[string]wire.Outlet{}
		ho.store.Outlets("D001", func(o wire.Outlet) error { outlets[o.OutletCode] = o; return nil })
		check, err := headoffice.NewSchemeRules(ho.store, issued)
		if err != nil {
			t.Fatal(err)
		}
		for i := range issued {
			s := &issued[i]
			var claim schemes.ClaimStatement
			pc.book.View(func(tx *book.Tx) error {
				claim, err = schemes.Claim(tx, s.Code, "2025-10-01", "2025-10-31")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			earned := check.Earned(s, inv.Date, inv.Outlet, outlets[inv.Outlet], lines, returns)
			b, h := claim.Total, earned
			if b.FreeQty != h.FreeQty || b.DiscountPaise != h.DiscountPaise || b.FreeValuePaise != h.FreeValuePaise || b.ValuePaise != h.ValuePaise {
				t.Errorf("%s %s: the book claims %+v; head office recomputes %+v", st.day, s.Code, b, h)
			}
			if s.Code == "B10G1" && h.FreeQty != st.freeKept {
				t.Errorf("%s: head office leaves %d free of B10G1, want %d", st.day, h.FreeQty, st.freeKept)
			}
		}
		sum, err := headoffice.CheckClaims(ho.store, headoffice.RulesFromStore(ho.store), "2025-10-01", "2025-10-31")
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Flags) != 0 || sum.LeakagePaise != 0 {
			t.Errorf("%s: an honest claim net of its returns is flagged: %+v", st.day, sum.Flags)
		}
	}
}
