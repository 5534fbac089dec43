package upload

import (
	"context"
	"testing"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/reports"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// returnFigures is one credit note as one side tells it.
type returnFigures struct {
	Qty, FreeQty                money.Qty
	Gross, Discounts, Taxable   money.Paise
	SchemeFreeQty               money.Qty
	SchemeDiscount, SchemeValue money.Paise
}

// Partial returns of lines that earned a 10+1's free goods (one bringing
// the free piece back, one keeping it and paying for it) and a 5 % scheme
// discount, on an invoice with the clerk's discount too: the book's sales
// register, its reconciliation, its scheme claim and head office's batch
// tell each credit note the same, to the paisa and the piece.
func TestAPartialReturnIsTheSameInTheRegisterTheReconciliationTheClaimAndAtHeadOffice(t *testing.T) {
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
	pc.purchase("2025-10-06")
	free, pct := pc.items[0], pc.items[1]
	var inv billing.Invoice
	pc.update(func(tx *book.Tx) error {
		inv, err = billing.PostInvoice(tx, billing.InvoiceInput{Outlet: pc.outlets[0].Code, Date: "2025-10-06", Lines: []billing.LineInput{
			{Item: free.Code, Qty: 25, DiscountBP: 1000}, {Item: pct.Code, Qty: 17, DiscountBP: 250}}})
		return err
	})
	if len(inv.Lines) != 3 || inv.Lines[2].Qty != 2 || inv.Lines[1].SchemeDiscountPaise == 0 || inv.Lines[0].DiscountPaise == 0 {
		t.Fatalf("25 earn 2 free, 17 a 5 %% discount, both a clerk's discount: %+v", inv.Lines)
	}
	ret := func(d cal.Date, lines ...billing.SalesReturnLineInput) billing.SalesReturn {
		var cn billing.SalesReturn
		pc.update(func(tx *book.Tx) error {
			cn, err = billing.PostSalesReturn(tx, billing.SalesReturnInput{Invoice: inv.Number, Date: d, Reason: "shop returned", Lines: lines})
			return err
		})
		return cn
	}
	zero := money.Qty(0)
	// 10 back leave 15, which earn 1: the other free piece comes back
	cn1 := ret("2025-10-08", billing.SalesReturnLineInput{Line: 1, Qty: 10}, billing.SalesReturnLineInput{Line: 2, Qty: 7})
	// 6 more leave 9, which earn none: the outlet keeps the piece and pays for it
	cn2 := ret("2025-10-09", billing.SalesReturnLineInput{Line: 1, Qty: 6, FreeRecovered: &zero})
	if cn1.Lines[0].FreeRecovered != 1 || len(cn1.Lines) != 3 || cn2.Lines[0].FreeDue != 1 || cn2.FreeDeductedPaise == 0 {
		t.Fatalf("free goods: %+v / %+v", cn1.Lines, cn2.Lines)
	}
	clk.set(ist("2025-10-09 20:00"))
	if rep, err := pc.up.Now(context.Background()); err != nil || rep.Waiting != 0 {
		t.Fatalf("upload: %+v %v", rep, err)
	}

	for _, cn := range []billing.SalesReturn{cn1, cn2} {
		var reg, recon, claim returnFigures
		var deducted money.Paise
		err := pc.book.View(func(tx *book.Tx) error {
			r, err := reports.Run(tx, "sales-register", reports.Params{From: cn.Date, To: cn.Date})
			if err != nil {
				return err
			}
			col := map[string]int{}
			for i, c := range r.Columns {
				col[c.Key] = i
			}
			for _, row := range r.Rows {
				if row[col["invoice"]] != cn.Number {
					continue
				}
				q := row[col["qty"]].(money.Qty)
				if row[col["free"]].(bool) {
					reg.FreeQty += q
				} else {
					reg.Qty += q
				}
				p := func(k string) money.Paise { return row[col[k]].(money.Paise) }
				reg.Gross += p("gross_paise")
				reg.Discounts += p("discount_paise") + p("scheme_discount_paise") + p("free_deducted_paise")
				reg.Taxable += p("taxable_paise")
				reg.SchemeDiscount += p("scheme_discount_paise")
				reg.SchemeValue += p("scheme_discount_paise") + p("free_value_paise")
				deducted += p("free_deducted_paise")
				if got := p("gross_paise") - p("discount_paise") - p("scheme_discount_paise") - p("free_deducted_paise"); got != p("taxable_paise") {
					t.Errorf("%s line %v: gross less discounts %d is not taxable %d", cn.Number, row[col["line"]], got, p("taxable_paise"))
				}
			}
			recs, err := stock.Reconcile(tx, stock.ReconOptions{From: cn.Date, To: cn.Date})
			for _, rc := range recs {
				recon.Qty -= rc.Returned
			}
			for _, code := range []string{"B10G1", "PCT5"} {
				c, err := schemes.Claim(tx, code, cn.Date, cn.Date)
				if err != nil {
					return err
				}
				for _, l := range c.Lines {
					if l.Return == cn.Number {
						claim.SchemeFreeQty += l.FreeQty
						claim.SchemeDiscount += l.DiscountPaise
						claim.SchemeValue += l.CostPaise()
					}
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var hq returnFigures
		err = ho.store.SalesLines("D001", cn.Date, cn.Date, func(l wire.SalesLine) error {
			if l.DocType == wire.DocReturn && l.InvoiceNo == cn.Number {
				hq.Qty += l.Qty
				hq.FreeQty += l.FreeQty
				hq.Gross += l.RatePaise.MulQty(l.Qty)
				hq.Discounts += l.DiscountPaise
				hq.Taxable += l.TaxablePaise
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var hoClaim returnFigures
		err = ho.store.Redemptions("D001", func(r wire.Redemption) error {
			if r.InvoiceNo == inv.Number && (r.FreeQty < 0 || r.DiscountPaise < 0) {
				if bookRet := claimReturnOf(t, pc, r.RedemptionID); bookRet == cn.Number {
					hoClaim.SchemeFreeQty += r.FreeQty
					hoClaim.SchemeDiscount += r.DiscountPaise
					hoClaim.SchemeValue += r.ValuePaise
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if reg.Qty+reg.FreeQty != recon.Qty {
			t.Errorf("%s: the register returns %d + %d free pieces, the reconciliation %d", cn.Number, -reg.Qty, -reg.FreeQty, -recon.Qty)
		}
		if reg.Qty != hq.Qty || reg.FreeQty != hq.FreeQty || reg.Gross != hq.Gross || reg.Discounts != hq.Discounts || reg.Taxable != hq.Taxable {
			t.Errorf("%s: register %+v, head office %+v", cn.Number, reg, hq)
		}
		if reg.Taxable != -cn.TaxablePaise || reg.Discounts != reg.Gross-reg.Taxable {
			t.Errorf("%s: register taxable %d, the note's %d", cn.Number, reg.Taxable, cn.TaxablePaise)
		}
		if reg.SchemeDiscount != claim.SchemeDiscount || reg.SchemeValue != claim.SchemeValue || claim != hoClaim {
			t.Errorf("%s: the register takes %d discount and %d scheme value off; the claim %+v; head office %+v", cn.Number, reg.SchemeDiscount, reg.SchemeValue, claim, hoClaim)
		}
		if cn.Number == cn2.Number && (claim.SchemeFreeQty != -1 || reg.FreeQty != 0 || deducted != -cn2.FreeDeductedPaise) {
			t.Errorf("%s: 1 free piece off the claim, none back in stock, its value deducted: claim %+v, register free %d, deducted %d", cn.Number, claim, reg.FreeQty, deducted)
		}
	}
}

// claimReturnOf names the return (or "") a redemption id head office holds
// was written by, from the book's own redemptions.
func claimReturnOf(t *testing.T, pc *realPC, id string) string {
	t.Helper()
	var ret string
	pc.book.View(func(tx *book.Tx) error {
		for _, code := range []string{"B10G1", "PCT5"} {
			c, err := schemes.Claim(tx, code, "2025-10-01", "2025-10-31")
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.Lines {
				if redemptionID(&c.Lines[i]) == id {
					ret = c.Lines[i].Return
				}
			}
		}
		return nil
	})
	return ret
}
