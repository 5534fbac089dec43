package billing

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// schemeShop is shop with 200 Good Day in batch B1 and a 10+1 scheme on it.
func schemeShop(t *testing.T) *book.Book {
	t.Helper()
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 200))
	must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) {
		return struct{}{}, schemes.Save(tx, schemes.Scheme{Code: "GD10P1", Name: "Good Day 10+1", Kind: schemes.BuyXGetY,
			ValidFrom: "2026-11-01", ValidTo: "2026-12-31", Items: []string{"GD200"}, BuyQty: 10, FreeQty: 1})
	}))
	return b
}

func giveBack(t *testing.T, b *book.Book, inv string, lines ...SalesReturnLineInput) (SalesReturn, error) {
	t.Helper()
	return update(t, b, func(tx *book.Tx) (SalesReturn, error) {
		return PostSalesReturn(tx, SalesReturnInput{Invoice: inv, Date: "2026-11-28", Reason: "shop returned", Lines: lines})
	})
}

func claimOf(t *testing.T, b *book.Book) schemes.ClaimTotals {
	t.Helper()
	var c schemes.ClaimStatement
	b.View(func(tx *book.Tx) error {
		c = must[schemes.ClaimStatement](t)(schemes.Claim(tx, "GD10P1", "2026-11-01", "2026-11-30"))
		return nil
	})
	return c.Total
}

func qty(n money.Qty) *money.Qty { return &n }

// A 10+1 on 25 pieces gives 2 free. 10 of them back leaves 15, which earn
// 1: the other free piece is due back, and comes back with them.
func TestAPartReturnBringsBackTheFreePiecesTheKeptQuantityNoLongerEarns(t *testing.T) {
	b := schemeShop(t)
	inv := sell(t, b, "SLS01", day, "GD200", 25)
	if len(inv.Lines) != 2 || !inv.Lines[1].Free || inv.Lines[1].Qty != 2 || inv.Lines[1].FreeValuePaise != 6000 {
		t.Fatalf("25 billed earn 2 free worth ₹60.00: %+v", inv.Lines)
	}
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 10}))
	l := cn.Lines[0]
	if l.GrossPaise != 30000 || l.DiscountPaise != 0 || l.SchemeDiscountPaise != 0 || l.TaxablePaise != 30000 ||
		l.CGSTPaise != 750 || l.SGSTPaise != 750 || l.FreeDue != 1 || l.FreeRecovered != 1 || l.FreeDeductedPaise != 0 {
		t.Fatalf("10 at ₹30.00: ₹300.00 + 2.5 %% + 2.5 %%, 1 free due and recovered: %+v", l)
	}
	if len(cn.Lines) != 2 || !cn.Lines[1].Free || cn.Lines[1].Qty != 1 || cn.Lines[1].InvoiceLine != 2 || cn.Lines[1].TaxablePaise != 0 ||
		cn.Lines[1].FreeValuePaise != 3000 || cn.Lines[1].Batches[0].Batch != "B1" {
		t.Fatalf("the free piece is its own line of the note, worth ₹30.00, back to B1: %+v", cn.Lines)
	}
	if cn.TotalPaise != 31500 || cn.FreeDeductedPaise != 0 || cn.FreeValuePaise != 3000 {
		t.Fatalf("totals %+v, deducted %d", cn.Totals, cn.FreeDeductedPaise)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 200-27+11 {
		t.Fatalf("10 billed and 1 free back in stock: %d", got)
	}
	if c := claimOf(t, b); c.FreeQty != 1 || c.FreeValuePaise != 3000 {
		t.Fatalf("the claim keeps the 1 free piece the 15 kept earn: %+v", c)
	}
	// 5 more back leaves 10, which still earn the 1 kept
	cn2 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 5}))
	if len(cn2.Lines) != 1 || cn2.Lines[0].FreeDue != 0 || cn2.TotalPaise != 15800 {
		t.Fatalf("5 back, nothing free due: %+v", cn2)
	}
	// the rest back: the last free piece with them, everything undone
	cn3 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 10}))
	if cn3.Lines[0].FreeDue != 1 || len(cn3.Lines) != 2 || cn3.Lines[1].Qty != 1 {
		t.Fatalf("the last 10 bring the last free piece: %+v", cn3.Lines)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 200 {
		t.Fatalf("all back: %d", got)
	}
	if c := claimOf(t, b); c.FreeQty != 0 || c.FreeValuePaise != 0 || c.DiscountPaise != 0 {
		t.Fatalf("nothing left to claim: %+v", c)
	}
	if l1, l2, l3 := cn.Lines[0].TaxablePaise, cn2.Lines[0].TaxablePaise, cn3.Lines[0].TaxablePaise; l1+l2+l3 != inv.Lines[0].TaxablePaise {
		t.Fatalf("the line's taxable comes back exactly: %d+%d+%d", l1, l2, l3)
	}
	checkBook(t, b)
}

// The outlet has sold the free piece on: it stays with the outlet, and its
// value at the invoice's rate (₹30.00) comes off the credit, GST with it.
func TestAFreePieceKeptIsValuedAndDeductedFromTheCredit(t *testing.T) {
	b := schemeShop(t)
	inv := sell(t, b, "SLS01", day, "GD200", 25)
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 10, FreeRecovered: qty(0)}))
	l := cn.Lines[0]
	if len(cn.Lines) != 1 || l.FreeDue != 1 || l.FreeRecovered != 0 || l.FreeDeductedPaise != 3000 || l.GrossPaise != 30000 ||
		l.TaxablePaise != 27000 || l.CGSTPaise != 675 || l.SGSTPaise != 675 || l.TotalPaise != 28350 {
		t.Fatalf("₹300.00 less the free piece's ₹30.00 = ₹270.00 + 2.5 %% + 2.5 %%: %+v", l)
	}
	if cn.FreeDeductedPaise != 3000 || cn.TotalPaise != 28400 || cn.RoundOffPaise != 50 {
		t.Fatalf("the note says what it deducted: %+v, %d", cn.Totals, cn.FreeDeductedPaise)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 200-27+10 {
		t.Fatalf("only the 10 billed come back: %d", got)
	}
	if c := claimOf(t, b); c.FreeQty != 1 || c.FreeValuePaise != 3000 {
		t.Fatalf("the claim drops the piece the outlet paid for: %+v", c)
	}
	_, err := giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 15, FreeRecovered: qty(2)})
	wantError(t, err, fail.KindInvalid, "lines[0].free_recovered: 0 to 1: the free pieces SI/26-27/000001 line 1 no longer earns on what the outlet keeps")
	_, err = giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 2, Qty: 1})
	wantError(t, err, fail.KindInvalid, "lines[0].line: line 2 of SI/26-27/000001 is free goods of scheme GD10P1: they come back with line 1, which earned them (its free_recovered)")
	checkBook(t, b)
}

// 10 billed earn 1 free; 1 back leaves 9, which earn none. The free piece
// is worth ₹30.00, the one piece credited ₹30.00 too: keeping it would
// leave nothing to credit, so the outlet must give it back.
func TestAFreePieceWorthMoreThanTheCreditMustComeBack(t *testing.T) {
	b := schemeShop(t)
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10, DiscountBP: 1000}}}))
	_, err := giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 1, FreeRecovered: qty(0)})
	wantError(t, err, fail.KindInvalid, "lines[0].free_recovered: the 1 free pieces kept are worth ₹30.00, more than the ₹27.00 credited for line 1: the outlet must give them back")
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 1}))
	if l := cn.Lines[0]; l.GrossPaise != 3000 || l.DiscountPaise != 300 || l.TaxablePaise != 2700 || l.FreeRecovered != 1 {
		t.Fatalf("₹30.00 less 10 %% = ₹27.00, the free piece back: %+v", l)
	}
	checkBook(t, b)
}

// Before free goods came back with their line, a clerk could take back a
// free row on its own. Those pieces are back already: a later return of
// the line neither brings them again nor deducts them, and the claim
// drops them as the line comes back.
func TestFreePiecesTakenBackOnTheirOwnBeforeAreNotDueAgain(t *testing.T) {
	b := schemeShop(t)
	inv := sell(t, b, "SLS01", day, "GD200", 25)
	must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) { // the old way: free row 2 back on its own
		free := inv.Lines[1]
		if _, err := stock.Move(tx, stock.Movement{Date: "2026-11-26", Item: free.Item, Batch: free.Batches[0].Batch, Godown: stock.MainGodown,
			Qty: 2, Kind: stock.SalesReturn, Doc: "CN/OLD"}, true); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, putReturned(tx, inv.Number, free.No, returned{Qty: 2})
	}))
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 10, FreeRecovered: qty(0)}))
	if l := cn.Lines[0]; len(cn.Lines) != 1 || l.FreeDue != 0 || l.FreeDeductedPaise != 0 || l.TaxablePaise != 30000 {
		t.Fatalf("nothing free is due again: %+v", cn.Lines)
	}
	must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 15}))
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 200 {
		t.Fatalf("25 billed and 2 free back once each: %d", got)
	}
	if c := claimOf(t, b); c.FreeQty != 0 || c.FreeValuePaise != 0 {
		t.Fatalf("nothing left to claim: %+v", c)
	}
}
