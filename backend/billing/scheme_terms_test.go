package billing

import (
	"strings"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/schemes/rules"
)

// A return recomputes what the kept invoice earns under the terms it was
// billed under: a redeemed scheme's terms cannot be edited, and a line
// keeps the brand and category it was billed with, so the credit note,
// the brand claim and head office's check (with the circular it issued)
// agree to the paisa and the piece.

// b10g1Brand is "buy 10 Britannia, get 1 free" as the brand issued it.
var b10g1Brand = schemes.Scheme{Code: "BRIT10", Name: "Britannia 10+1", Kind: schemes.BuyXGetY, Brands: []string{"Britannia"},
	BuyQty: 10, FreeQty: 1, ValidFrom: "2026-11-01", ValidTo: "2026-12-31"}

// brit600 is "a bill with ₹600 of Britannia earns 1 Good Day free".
var brit600 = schemes.Scheme{Code: "BRIT600", Name: "Britannia ₹600 bill", Kind: schemes.InvoiceValue, Brands: []string{"Britannia"},
	MinValuePaise: 60000, FreeQty: 1, FreeItem: "GD200", ValidFrom: "2026-11-01", ValidTo: "2026-12-31"}

// claimOfInvoice is what the book claims from the brand for one invoice
// under one scheme.
func claimOfInvoice(t *testing.T, b *book.Book, code, invoice string) schemes.ClaimTotals {
	t.Helper()
	var out schemes.ClaimTotals
	b.View(func(tx *book.Tx) error {
		c := must[schemes.ClaimStatement](t)(schemes.Claim(tx, code, "2026-11-01", "2026-12-31"))
		for _, i := range c.Invoices {
			if i.Invoice == invoice {
				out = i.ClaimTotals
			}
		}
		return nil
	})
	out.Redemptions = 0
	return out
}

// headOfficeEarns is head office's check of the invoice's claim: its own
// circular and SKU master, the invoice's lines and the notes' lines as the
// upload sends them (free rows carry no quantity; a return line is
// negative).
func headOfficeEarns(inv *Invoice, notes []SalesReturn, issued schemes.Scheme, skus map[string]wire.SKU) rules.ClaimTotals {
	var lines, returns []*wire.SalesLine
	free := map[int]bool{}
	for _, l := range inv.Lines {
		free[l.No] = l.Free
		q := l.Qty
		if l.Free {
			q = 0
		}
		lines = append(lines, &wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: inv.Number, InvoiceDate: inv.Date, LineNo: l.No,
			OutletCode: inv.Outlet, SKUCode: l.Item, ItemCode: l.Item, Qty: q, RatePaise: l.RatePaise})
	}
	for _, cn := range notes {
		for i, l := range cn.Lines {
			q := -l.Qty
			if free[l.InvoiceLine] {
				q = 0
			}
			returns = append(returns, &wire.SalesLine{DocType: wire.DocReturn, InvoiceNo: cn.Number, InvoiceDate: cn.Date, LineNo: i + 1,
				RefInvoiceNo: inv.Number, OutletCode: inv.Outlet, SKUCode: l.Item, ItemCode: l.Item, Qty: q, RatePaise: l.RatePaise})
		}
	}
	ho := headoffice.SchemeRules{Schemes: []rules.Scheme{issued}, SKUs: skus}
	t := ho.Earned(&issued, inv.Date, inv.Outlet, wire.Outlet{OutletCode: inv.Outlet}, lines, returns)
	t.Redemptions = 0
	return t
}

// headOfficeSKUs is head office's SKU master: Good Day is Britannia there.
var headOfficeSKUs = map[string]wire.SKU{
	"GD200":  {SKUCode: "GD200", Brand: "Britannia", Category: "Biscuits/Cookies"},
	"SOAP75": {SKUCode: "SOAP75", Brand: "HUL", Category: "Personal Care/Soap"},
}

func saveScheme(b *book.Book, s schemes.Scheme) error {
	return b.Update(func(tx *book.Tx) error { return schemes.Save(tx, s) })
}

// Billed under "buy 10 get 1", the scheme cannot become "buy 5 get 1";
// its name and end date can change. 10 of 25 back leave 15, which earn 1
// under the terms billed: 1 free piece is due back, and the note, the
// claim and head office all keep 1 at ₹30.00.
func TestASchemesTermsCannotChangeUnderItsInvoicesAndAReturnRecomputesUnderTheTermsBilled(t *testing.T) {
	b := freeShop(t, b10g1Brand)
	inv := sell(t, b, "SLS01", day, "GD200", 25)
	if len(inv.Lines) != 2 || inv.Lines[1].Qty != 2 || inv.Lines[0].Brand != "" {
		t.Fatalf("25 earn 2 free; a line-level scheme's return reads no brand, none is kept: %+v", inv.Lines)
	}
	edited := b10g1Brand
	edited.BuyQty = 5
	err := saveScheme(b, edited)
	if e, ok := fail.As(err); !ok || e.Kind != fail.KindConflict || e.Field != "buy_qty" || !strings.Contains(e.Reason, "end this scheme") {
		t.Fatalf("buy 5 get 1 is refused on buy_qty: %v", err)
	}
	renamed := b10g1Brand
	renamed.Name, renamed.ValidTo = "Britannia 10+1 (Nov)", "2026-11-30"
	if err := saveScheme(b, renamed); err != nil {
		t.Fatalf("a new name and an earlier end are accepted: %v", err)
	}
	early := renamed
	early.ValidTo = "2026-11-24"
	if e, ok := fail.As(saveScheme(b, early)); !ok || e.Field != "valid_to" || !strings.Contains(e.Reason, inv.Number) {
		t.Fatalf("an end before the invoice that redeemed it is refused: %v", e)
	}

	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 10}))
	if l := cn.Lines[0]; l.FreeDue != 1 || l.FreeRecovered != 1 || len(cn.Lines) != 2 || cn.Lines[1].Qty != 1 || cn.Lines[1].FreeValuePaise != 3000 {
		t.Fatalf("15 kept earn 1 under 10+1: 1 free due and back worth ₹30.00: %+v", cn.Lines)
	}
	claim := claimOfInvoice(t, b, "BRIT10", inv.Number)
	want := schemes.ClaimTotals{FreeQty: 1, FreeValuePaise: 3000, ValuePaise: 3000}
	if claim != want {
		t.Fatalf("the claim keeps 1 free at ₹30.00: %+v", claim)
	}
	if ho := headOfficeEarns(&inv, []SalesReturn{cn}, b10g1Brand, headOfficeSKUs); ho != claim {
		t.Fatalf("head office recomputes %+v, the book claims %+v", ho, claim)
	}
	checkBook(t, b)
}

// Good Day moves to another brand after billing. A return of Lux (outside
// the scheme) leaves ₹900.00 of Good Day, billed as Britannia: the bill
// still earns its free piece, and nothing is due back; read from today's
// master it would have earned nothing. Then 11 Good Day back leave
// ₹570.00, below ₹600.00: the piece is due.
func TestAnItemMovedToAnotherBrandAfterBillingReturnsUnderTheBrandItWasBilledUnder(t *testing.T) {
	b := freeShop(t, brit600)
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 30}, {Item: "SOAP75", Qty: 10}}}))
	if len(inv.Lines) != 3 || !inv.Lines[2].Free || inv.Lines[2].Qty != 1 || inv.Lines[0].Brand != "Britannia" ||
		inv.Lines[1].Brand != "HUL" || inv.Lines[1].Category != "Personal Care/Soap" || inv.Lines[2].Brand != "" {
		t.Fatalf("₹900.00 of Britannia earns 1 Good Day free; the sold lines keep their brand and category: %+v", inv.Lines)
	}
	must[masters.Item](t)(update(t, b, func(tx *book.Tx) (masters.Item, error) {
		it := must[masters.Item](t)(masters.GetItem(tx, "GD200"))
		it.Brand, it.Category = "Britannia Premium", "Biscuits/Premium"
		return masters.UpdateItem(tx, it, day)
	}))
	var notes []SalesReturn
	cn := must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 2, Qty: 4}))
	notes = append(notes, cn)
	if l := cn.Lines[0]; l.FreeDue != 0 || len(cn.Lines) != 1 {
		t.Fatalf("the Good Day kept is still Britannia as billed: nothing due: %+v", cn.Lines)
	}
	want := schemes.ClaimTotals{FreeQty: 1, FreeValuePaise: 3000, ValuePaise: 3000}
	if got := claimOfInvoice(t, b, "BRIT600", inv.Number); got != want {
		t.Fatalf("the claim keeps the free piece: %+v", got)
	}
	if ho := headOfficeEarns(&inv, notes, brit600, headOfficeSKUs); ho != want {
		t.Fatalf("head office, Good Day still Britannia in its master, recomputes %+v", ho)
	}
	cn = must[SalesReturn](t)(giveBack(t, b, inv.Number, SalesReturnLineInput{Line: 1, Qty: 11}))
	notes = append(notes, cn)
	if l := cn.Lines[0]; l.FreeDue != 1 || l.FreeRecovered != 1 {
		t.Fatalf("₹570.00 kept earns nothing: the piece is due and back: %+v", cn.Lines)
	}
	claim := claimOfInvoice(t, b, "BRIT600", inv.Number)
	if claim != (schemes.ClaimTotals{}) {
		t.Fatalf("nothing is claimed: %+v", claim)
	}
	if ho := headOfficeEarns(&inv, notes, brit600, headOfficeSKUs); ho != claim {
		t.Fatalf("head office recomputes %+v, the book claims %+v", ho, claim)
	}
	checkBook(t, b)
}

// An invoice billed before lines kept their brand reads the item master,
// as before.
func TestAnInvoiceBilledBeforeLinesKeptTheirBrandReadsTheMaster(t *testing.T) {
	b := freeShop(t)
	inv := sell(t, b, "SLS01", day, "GD200", 5)
	inv.Lines[0].Brand, inv.Lines[0].Category = "", ""
	b.View(func(tx *book.Tx) error {
		k := keptOf(tx, &inv, map[int]money.Qty{1: 1})
		if len(k.Lines) != 1 || k.Lines[0].Brand != "Britannia" || k.Lines[0].Category != "Biscuits/Cookies" || k.Lines[0].Qty != 4 {
			t.Fatalf("%+v", k.Lines)
		}
		return nil
	})
}
