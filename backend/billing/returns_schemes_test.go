package billing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// Free goods of schemes whose rule reads more than one line's quantity —
// value slabs, combos, invoice-value schemes — are settled on a part
// return by the scheme's own rule on what the outlet keeps (all the
// invoice's lines, net of this and earlier returns), not by a pro-rata
// share of the pieces.

func soap(batch string, qty money.Qty) PurchaseLineInput {
	return PurchaseLineInput{Item: "SOAP75", Batch: batch, Expiry: "2027-09-30", MRPPaise: 3500, Qty: qty, RatePaise: 2400}
}

// freeShop is shop with 300 Good Day (B1) and 300 Lux (L1) and the given schemes.
func freeShop(t testing.TB, ss ...schemes.Scheme) *book.Book {
	t.Helper()
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 300), soap("L1", 300))
	must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) {
		for _, s := range ss {
			s.ValidFrom, s.ValidTo = "2026-11-01", "2026-12-31"
			if err := schemes.Save(tx, s); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	}))
	return b
}

// ₹600 of Good Day on a line earns 1 Good Day free, ₹900 earns 3.
var valueSlab = schemes.Scheme{Code: "GDVAL", Name: "Good Day value slab", Kind: schemes.ValueSlab, Items: []string{"GD200"}, FreeItem: "GD200",
	Slabs: []schemes.Slab{{MinValuePaise: 60000, FreeQty: 1}, {MinValuePaise: 90000, FreeQty: 3}}}

// 4 Good Day and 2 Lux make a set; each set earns 1 Good Day free.
var combo = schemes.Scheme{Code: "GDLUX", Name: "Good Day + Lux", Kind: schemes.Combo, FreeItem: "GD200", FreeQty: 1,
	Combo: []schemes.ComboPart{{Item: "GD200", Qty: 4}, {Item: "SOAP75", Qty: 2}}}

// a bill of ₹1,000 earns 1 Good Day free, ₹2,000 earns 2.
var billValue = schemes.Scheme{Code: "BILL2K", Name: "Big bill", Kind: schemes.InvoiceValue, FreeItem: "GD200",
	Slabs: []schemes.Slab{{MinValuePaise: 100000, FreeQty: 1}, {MinValuePaise: 200000, FreeQty: 2}}}

func claimFor(t testing.TB, b *book.Book, code string) schemes.ClaimTotals {
	t.Helper()
	var c schemes.ClaimStatement
	b.View(func(tx *book.Tx) error {
		c = must[schemes.ClaimStatement](t)(schemes.Claim(tx, code, "2026-11-01", "2026-12-31"))
		return nil
	})
	return c.Total
}

// 30 Good Day at ₹30.00 = ₹900.00 earn 3 free. 5 back leave ₹750.00,
// which earn 1: 2 are due back (a pro-rata share would have kept 2 of
// them). 6 more back leave ₹570.00, below the first slab: the last one is
// due, and the outlet keeps it and pays for it.
func TestAValueSlabPartReturnSettlesTheFreeGoodsTheKeptValueNoLongerEarns(t *testing.T) {
	b := freeShop(t, valueSlab)
	inv := sell(t, b, "SLS01", day, "GD200", 30)
	if len(inv.Lines) != 2 || inv.Lines[1].Qty != 3 || inv.Lines[1].FreeValuePaise != 9000 {
		t.Fatalf("₹900.00 earns 3 free worth ₹90.00: %+v", inv.Lines)
	}
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 5}))
	l := cn.Lines[0]
	if l.GrossPaise != 15000 || l.TaxablePaise != 15000 || l.CGSTPaise != 375 || l.SGSTPaise != 375 || l.FreeDue != 2 || l.FreeRecovered != 2 {
		t.Fatalf("5 at ₹30.00 = ₹150.00 + 2.5 %% + 2.5 %%, 2 free due and back: %+v", l)
	}
	if len(cn.Lines) != 2 || cn.Lines[1].Qty != 2 || cn.Lines[1].FreeValuePaise != 6000 || cn.TotalPaise != 15800 {
		t.Fatalf("2 free back worth ₹60.00, ₹157.50 credited (₹158.00 rounded): %+v", cn)
	}
	if c := claimFor(t, b, "GDVAL"); c.FreeQty != 1 || c.FreeValuePaise != 3000 {
		t.Fatalf("the claim keeps the 1 free piece ₹750.00 earns: %+v", c)
	}
	cn2 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 6, FreeRecovered: qty(0)}))
	l = cn2.Lines[0]
	if len(cn2.Lines) != 1 || l.FreeDue != 1 || l.FreeDeductedPaise != 3000 || l.GrossPaise != 18000 || l.TaxablePaise != 15000 ||
		l.CGSTPaise != 375 || l.SGSTPaise != 375 || cn2.FreeDeductedPaise != 3000 || cn2.TotalPaise != 15800 {
		t.Fatalf("₹180.00 less the kept free piece's ₹30.00 = ₹150.00 + GST: %+v", cn2)
	}
	if c := claimFor(t, b, "GDVAL"); c.FreeQty != 0 || c.FreeValuePaise != 0 {
		t.Fatalf("₹570.00 earns nothing, nothing is claimed: %+v", c)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 300-33+5+2+6 {
		t.Fatalf("5 and 6 billed and 2 free back: %d", got)
	}
	// the rest back: nothing free is left to settle
	cn3 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 19}))
	if len(cn3.Lines) != 1 || cn3.Lines[0].FreeDue != 0 {
		t.Fatalf("nothing more due: %+v", cn3.Lines)
	}
	checkBook(t, b)
}

// 12 Good Day and 6 Lux make 3 sets: 3 Good Day free, written against the
// Good Day line. 2 Lux back leave 2 sets: 1 free piece is due, and the
// note settles it though it returns no Good Day. 5 Good Day back leave 7,
// 1 set: one more is due.
func TestAComboPartReturnOfEitherItemSettlesTheSetsItEnds(t *testing.T) {
	b := freeShop(t, combo)
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 12}, {Item: "SOAP75", Qty: 6}}}))
	if len(inv.Lines) != 3 || !inv.Lines[2].Free || inv.Lines[2].Qty != 3 || inv.Lines[2].ForLine != 1 || inv.Lines[2].FreeValuePaise != 9000 {
		t.Fatalf("3 sets earn 3 Good Day free against line 1: %+v", inv.Lines)
	}
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 2, Qty: 2}))
	l := cn.Lines[0]
	if l.InvoiceLine != 2 || l.GrossPaise != 5700 || l.TaxablePaise != 5700 || l.CGSTPaise != 513 || l.SGSTPaise != 513 || l.FreeDue != 1 || l.FreeRecovered != 1 {
		t.Fatalf("2 Lux at ₹28.50 = ₹57.00 + 9 %% + 9 %%, 1 Good Day free due and back: %+v", l)
	}
	if len(cn.Lines) != 2 || cn.Lines[1].Item != "GD200" || cn.Lines[1].InvoiceLine != 3 || cn.Lines[1].Qty != 1 || cn.Lines[1].FreeValuePaise != 3000 {
		t.Fatalf("the free Good Day comes back on the note: %+v", cn.Lines)
	}
	if c := claimFor(t, b, "GDLUX"); c.FreeQty != 2 || c.FreeValuePaise != 6000 {
		t.Fatalf("2 sets kept, 2 free claimed: %+v", c)
	}
	cn2 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 5, FreeRecovered: qty(0)}))
	l = cn2.Lines[0]
	if len(cn2.Lines) != 1 || l.FreeDue != 1 || l.FreeDeductedPaise != 3000 || l.GrossPaise != 15000 || l.TaxablePaise != 12000 || l.CGSTPaise != 300 {
		t.Fatalf("5 Good Day ₹150.00 less the kept free piece ₹30.00 = ₹120.00: %+v", l)
	}
	if c := claimFor(t, b, "GDLUX"); c.FreeQty != 1 || c.FreeValuePaise != 3000 {
		t.Fatalf("7 Good Day and 4 Lux make 1 set: %+v", c)
	}
	// the last set ends with the last 2 Lux
	cn3 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 2, Qty: 3}))
	if cn3.Lines[0].FreeDue != 1 || len(cn3.Lines) != 2 {
		t.Fatalf("3 Lux back leave 1: no set, the last free piece due: %+v", cn3.Lines)
	}
	if c := claimFor(t, b, "GDLUX"); c.FreeQty != 0 || c.FreeValuePaise != 0 {
		t.Fatalf("no set kept, nothing claimed: %+v", c)
	}
	checkBook(t, b)
}

// 40 Good Day (₹1,200.00) and 30 Lux (₹855.00) make ₹2,055.00: 2 Good Day
// free. 3 Lux back leave ₹1,969.50: 1 is due. 30 Good Day back leave
// ₹1,069.50: still ₹1,000, nothing due. 4 Lux back leave ₹954.00: the last
// is due.
func TestAnInvoiceValuePartReturnSettlesWhatTheKeptBillNoLongerEarns(t *testing.T) {
	b := freeShop(t, billValue)
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 40}, {Item: "SOAP75", Qty: 30}}}))
	if len(inv.Lines) != 3 || inv.Lines[2].Qty != 2 || inv.Lines[2].FreeValuePaise != 6000 {
		t.Fatalf("₹2,055.00 earns 2 free: %+v", inv.Lines)
	}
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 2, Qty: 3}))
	if l := cn.Lines[0]; l.GrossPaise != 8550 || l.TaxablePaise != 8550 || l.CGSTPaise != 770 || l.FreeDue != 1 || len(cn.Lines) != 2 || cn.Lines[1].Qty != 1 {
		t.Fatalf("3 Lux ₹85.50, 1 Good Day free back: %+v", cn.Lines)
	}
	cn2 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 30}))
	if len(cn2.Lines) != 1 || cn2.Lines[0].FreeDue != 0 || cn2.Lines[0].TaxablePaise != 90000 {
		t.Fatalf("₹1,069.50 still earns the 1 kept: %+v", cn2.Lines)
	}
	if c := claimFor(t, b, "BILL2K"); c.FreeQty != 1 || c.FreeValuePaise != 3000 {
		t.Fatalf("1 kept: %+v", c)
	}
	cn3 := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 2, Qty: 4, FreeRecovered: qty(0)}))
	if l := cn3.Lines[0]; l.FreeDue != 1 || l.FreeDeductedPaise != 3000 || l.GrossPaise != 11400 || l.TaxablePaise != 8400 || l.CGSTPaise != 756 || l.SGSTPaise != 756 {
		t.Fatalf("4 Lux ₹114.00 less the kept Good Day's ₹30.00 = ₹84.00 + 9 %% + 9 %%: %+v", l)
	}
	if c := claimFor(t, b, "BILL2K"); c.FreeQty != 0 || c.FreeValuePaise != 0 {
		t.Fatalf("₹954.00 earns nothing: %+v", c)
	}
	checkBook(t, b)
}

// The property: for random bills under all three kinds and random
// sequences of part returns, after every note the free goods settled
// (recovered and deducted) never exceed what was given, what stays with
// the outlet is what a fresh bill for the kept quantities earns, and the
// brand claim says the same.
func TestPropertyFreeGoodsKeptAreWhatAFreshBillForTheKeptQuantitiesEarns(t *testing.T) {
	b := freeShop(t, valueSlab, combo, billValue)
	receive(t, b, "BRT/2", gd("B2", "2027-07-31", 100000), soap("L2", 100000))
	rng := rand.New(rand.NewPCG(12, 12))
	for n := range 25 {
		steps := make([]byte, 8)
		for i := range steps {
			steps[i] = byte(rng.IntN(256))
		}
		checkFreeSettlement(t, b, money.Qty(1+rng.IntN(50)), money.Qty(1+rng.IntN(40)), steps, fmt.Sprint(n))
	}
}

// FuzzFreeSettlement drives the same property from the fuzzer's bytes.
func FuzzFreeSettlement(f *testing.F) {
	f.Add(uint8(30), uint8(6), []byte{5, 200, 13, 1})
	f.Add(uint8(12), uint8(6), []byte{130, 5, 3})
	f.Add(uint8(40), uint8(30), []byte{131, 30, 132})
	b := freeShop(f, valueSlab, combo, billValue)
	receive(f, b, "BRT/2", gd("B2", "2027-07-31", 1000000), soap("L2", 1000000))
	f.Fuzz(func(t *testing.T, g, s uint8, steps []byte) {
		if g == 0 || s == 0 || len(steps) > 12 {
			t.Skip()
		}
		checkFreeSettlement(t, b, money.Qty(g), money.Qty(s), steps, "fuzz")
	})
}

// checkFreeSettlement bills g Good Day and s Lux and returns them as steps
// say (each byte: its top bit picks the line, the rest the quantity, its
// second bit whether the free goods come back or are deducted).
func checkFreeSettlement(t *testing.T, b *book.Book, g, s money.Qty, steps []byte, name string) {
	t.Helper()
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: g}, {Item: "SOAP75", Qty: s}}}))
	given := map[string]money.Qty{}
	for _, ln := range inv.Lines {
		if ln.Free {
			given[ln.Scheme] += ln.Qty
		}
	}
	kept := [3]money.Qty{0, g, s}
	var settled money.Qty
	for _, st := range steps {
		ln := 1 + int(st>>7)
		if kept[ln] == 0 {
			ln = 3 - ln
		}
		if kept[ln] == 0 {
			break
		}
		q := 1 + money.Qty(st&0x3f)%kept[ln]
		in := SalesReturnLineInput{Line: ln, Qty: q}
		if st&0x40 != 0 {
			in.FreeRecovered = qty(0)
		}
		cn, err := giveBack(t, b, inv.Number, in)
		if err != nil {
			// keeping free goods worth more than the credit is refused;
			// giving them back is always accepted
			in.FreeRecovered = nil
			cn = must[SalesReturn](t)(giveBack(t, b, inv.Number, in))
		}
		kept[ln] -= q
		for _, l := range cn.Lines {
			settled += l.FreeDue
		}
		var total money.Qty
		for _, v := range given {
			total += v
		}
		if settled > total {
			t.Fatalf("%s: %d free settled of %d given", name, settled, total)
		}
		fresh := freshFree(t, b, kept[1], kept[2])
		var claimed money.Qty
		for code, v := range given {
			c := claimOf1(t, b, inv.Number, code)
			if want := min(fresh[code], v); c != want {
				t.Fatalf("%s: billed %d+%d, kept %d+%d: %s gave %d and the claim keeps %d, a fresh bill earns %d", name, g, s, kept[1], kept[2], code, v, c, fresh[code])
			}
			claimed += c
		}
		if claimed != total-settled {
			t.Fatalf("%s: billed %d+%d, kept %d+%d: %d given, %d settled on the notes, but %d claimed", name, g, s, kept[1], kept[2], total, settled, claimed)
		}
	}
}

// freshFree is what a bill of g Good Day and s Lux earns free, by scheme.
func freshFree(t *testing.T, b *book.Book, g, s money.Qty) map[string]money.Qty {
	t.Helper()
	out := map[string]money.Qty{}
	var lines []schemes.Line
	for i, l := range []schemes.Line{{Item: "GD200", Brand: "Britannia", Category: "Biscuits/Cookies", Qty: g, RatePaise: 3000},
		{Item: "SOAP75", Brand: "HUL", Category: "Personal Care/Soap", Qty: s, RatePaise: 2850}} {
		l.No = i + 1
		if l.Qty > 0 {
			lines = append(lines, l)
		}
	}
	b.View(func(tx *book.Tx) error {
		res := must[schemes.Result](t)(BookSchemes{}.Evaluate(tx, schemes.Invoice{Date: day, Outlet: schemes.Outlet{Code: "SLS01"}, Lines: lines}))
		for _, f := range res.Free {
			out[f.Scheme] += f.FreeQty
		}
		return nil
	})
	return out
}

// claimOf1 is the free pieces the claim holds for one invoice and scheme.
func claimOf1(t *testing.T, b *book.Book, invoice, code string) money.Qty {
	t.Helper()
	var q money.Qty
	b.View(func(tx *book.Tx) error {
		c := must[schemes.ClaimStatement](t)(schemes.Claim(tx, code, "2026-11-01", "2026-12-31"))
		for _, i := range c.Invoices {
			if i.Invoice == invoice {
				q += i.FreeQty
			}
		}
		return nil
	})
	return q
}
