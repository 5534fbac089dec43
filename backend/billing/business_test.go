package billing

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// The business rules of goods coming back, money coming in, stock counted
// and moved, and numbers that start again each April, as the distributor's
// clerk and accountant would check them: amounts to the paisa, stock to the
// piece, errors word for word.

func receiveOn(t testing.TB, b *book.Book, no string, d cal.Date, lines ...PurchaseLineInput) Purchase {
	t.Helper()
	return must[Purchase](t)(update(t, b, func(tx *book.Tx) (Purchase, error) {
		return PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: no, Date: d, Lines: lines})
	}))
}

func sell(t testing.TB, b *book.Book, outlet string, d cal.Date, item string, qty money.Qty) Invoice {
	t.Helper()
	return must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: outlet, Date: d, Lines: []LineInput{{Item: item, Qty: qty}}}))
}

func onHand(t testing.TB, b *book.Book, item, godown, batch string) money.Qty {
	t.Helper()
	var q money.Qty
	b.View(func(tx *book.Tx) error {
		bal, err := stock.BalanceOf(tx, item, godown, batch)
		if err != nil {
			t.Fatal(err)
		}
		q = bal.Qty
		return nil
	})
	return q
}

func wantError(t *testing.T, err error, k fail.Kind, text string) {
	t.Helper()
	e, ok := fail.As(err)
	if !ok || e.Kind != k || err.Error() != text {
		t.Fatalf("want %q (kind %d), got %v", text, k, err)
	}
}

func TestASaleableReturnGoesBackToItsBatchAndDamagedGoodsToDAMAGED(t *testing.T) {
	b := shop(t)
	receive(t, b, "HUL-1", gd("A", "2027-03-31", 100), gd("B", "2027-06-30", 100))
	inv := sell(t, b, "SLS01", day, "GD200", 120) // A 100 (first expiry), B 20
	ret := func(qty money.Qty, cond string) (SalesReturn, error) {
		return update(t, b, func(tx *book.Tx) (SalesReturn, error) {
			return PostSalesReturn(tx, SalesReturnInput{Invoice: inv.Number, Date: day, Reason: "shop closed",
				Lines: []SalesReturnLineInput{{Line: 1, Qty: qty, Condition: cond}}})
		})
	}
	cn := must[SalesReturn](t)(ret(30, ""))
	if cn.Number != "CN/26-27/000001" || cn.TaxablePaise != 90000 || cn.CGSTPaise != 2250 || cn.SGSTPaise != 2250 || cn.TotalPaise != 94500 {
		t.Fatalf("30 of 120 at ₹30 + 5%%: want ₹900.00 + ₹22.50 + ₹22.50 = ₹945.00, got %+v", cn.Totals)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "A"); got != 30 {
		t.Fatalf("saleable goods go back to batch A in MAIN: %d", got)
	}
	cn2 := must[SalesReturn](t)(ret(10, "damaged"))
	if cn2.TotalPaise != 31500 || cn2.Lines[0].Batches[0].Godown != stock.DamagedGodown {
		t.Fatalf("10 damaged: want ₹315.00 to DAMAGED, got %+v", cn2)
	}
	if a, d := onHand(t, b, "GD200", stock.MainGodown, "A"), onHand(t, b, "GD200", stock.DamagedGodown, "A"); a != 30 || d != 10 {
		t.Fatalf("damaged goods go to DAMAGED, not MAIN: MAIN %d, DAMAGED %d", a, d)
	}
	_, err := ret(81, "expired")
	wantError(t, err, fail.KindInvalid, "lines[0].qty: GD200: 120 sold on SI/26-27/000001 line 1, 40 returned before, at most 80 can come back")
	// the rest in full gives back exactly what the line charged
	cn3 := must[SalesReturn](t)(ret(80, "expired"))
	if sum := cn.TotalPaise + cn2.TotalPaise + cn3.TotalPaise; sum != inv.TotalPaise || cn3.TotalPaise != 252000 {
		t.Fatalf("the whole line back: ₹%s of ₹%s (last note ₹%s)", sum, inv.TotalPaise, cn3.TotalPaise)
	}
	if a, bb, d := onHand(t, b, "GD200", stock.DamagedGodown, "A"), onHand(t, b, "GD200", stock.DamagedGodown, "B"), onHand(t, b, "GD200", stock.MainGodown, "B"); a != 70 || bb != 20 || d != 80 {
		t.Fatalf("expired pieces 40–119 of the line: DAMAGED A %d (want 70), DAMAGED B %d (want 20), MAIN B %d (want 80)", a, bb, d)
	}
	checkBook(t, b)
}

func TestAReturnAfterARateChangeUsesTheInvoicesRate(t *testing.T) {
	b := shop(t)
	receiveOn(t, b, "FIZZ-1", "2025-08-01", PurchaseLineInput{Item: "COLA", Batch: "C1", Expiry: "2026-08-01", MRPPaise: 4000, Qty: 50, RatePaise: 2000})
	inv := sell(t, b, "SLS01", "2025-09-10", "COLA", 10) // 28 % then; 40 % from 22-09-2025
	if inv.Number != "SI/25-26/000001" || inv.Lines[0].GSTRateBP != 2800 || inv.TotalPaise != 38400 {
		t.Fatalf("10 × ₹30 at 28 %%: want ₹384.00, got %s %d ₹%s", inv.Number, inv.Lines[0].GSTRateBP, inv.TotalPaise)
	}
	cn := must[SalesReturn](t)(update(t, b, func(tx *book.Tx) (SalesReturn, error) {
		return PostSalesReturn(tx, SalesReturnInput{Invoice: inv.Number, Date: "2025-10-01", Reason: "excess",
			Lines: []SalesReturnLineInput{{Item: "cola", Qty: 5}}})
	}))
	if l := cn.Lines[0]; l.GSTRateBP != 2800 || l.TaxablePaise != 15000 || l.CGSTPaise != 2100 || l.SGSTPaise != 2100 || cn.TotalPaise != 19200 {
		t.Fatalf("5 back on 01-10-2025 at the invoice's 28 %%, not today's 40 %%: want ₹150.00 + ₹21.00 + ₹21.00, got %+v", l)
	}
	checkBook(t, b)
}

func TestNumbersStartAgainInTheNewFinancialYear(t *testing.T) {
	b := shop(t)
	receiveOn(t, b, "B-1", "2026-03-01", gd("A", "2027-03-31", 100))
	var got []string
	for _, d := range []cal.Date{"2026-03-31", "2026-03-31", "2026-04-01", "2026-04-01"} {
		got = append(got, sell(t, b, "SLS01", d, "GD200", 1).Number)
	}
	want := []string{"SI/25-26/000001", "SI/25-26/000002", "SI/26-27/000001", "SI/26-27/000002"}
	for i := range want {
		if got[i] != want[i] || len(got[i]) > 16 {
			t.Fatalf("numbers %v, want %v", got, want)
		}
	}
	checkBook(t, b)
}

func TestReceiptsSettleTheOldestBillFirstOrAsGivenAndAgeWhatIsLeft(t *testing.T) {
	b := shop(t)
	receiveOn(t, b, "B-1", "2026-07-01", gd("A", "2027-12-31", 200))
	b1 := sell(t, b, "SLS01", "2026-07-15", "GD200", 10) // ₹315.00
	b2 := sell(t, b, "SLS01", "2026-09-10", "GD200", 20) // ₹630.00
	b3 := sell(t, b, "SLS01", "2026-10-20", "GD200", 10) // ₹315.00
	b4 := sell(t, b, "SLS01", "2026-11-20", "GD200", 10) // ₹315.00
	pay := func(in ReceiptInput) (Receipt, error) {
		in.Outlet, in.Date = "SLS01", day
		return update(t, b, func(tx *book.Tx) (Receipt, error) { return PostReceipt(tx, in) })
	}
	r1 := must[Receipt](t)(pay(ReceiptInput{Mode: "cash", AmountPaise: 20000}))
	if len(r1.Allocations) != 1 || r1.Allocations[0] != (Allocation{Invoice: b1.Number, AmountPaise: 20000}) {
		t.Fatalf("₹200 unallocated goes to the oldest bill: %+v", r1.Allocations)
	}
	r2 := must[Receipt](t)(pay(ReceiptInput{Mode: "upi", Reference: "UTR123", AmountPaise: 10000, Allocations: []Allocation{{Invoice: b4.Number, AmountPaise: 10000}}}))
	if r2.Allocations[0].Invoice != b4.Number || r2.OnAccountPaise != 0 {
		t.Fatalf("₹100 given against the newest bill: %+v", r2)
	}
	_, err := pay(ReceiptInput{Mode: "cheque", Reference: "000123", AmountPaise: 50000, Allocations: []Allocation{{Invoice: b3.Number, AmountPaise: 40000}}})
	wantError(t, err, fail.KindInvalid, "allocations[0].amount_paise: ₹315.00 is due on "+b3.Number+" and ₹500.00 is left of the receipt")
	_, err = pay(ReceiptInput{Mode: "cash", AmountPaise: 100, Allocations: []Allocation{{Invoice: "SI/26-27/000099", AmountPaise: 100}}})
	wantError(t, err, fail.KindInvalid, "allocations[0].invoice: invoice SI/26-27/000099 is not an open bill of SLS01")

	var os OutletOutstanding
	b.View(func(tx *book.Tx) error { os, err = OutstandingOf(tx, "SLS01", day); return err })
	want := Ageing{Upto30: 21500, Upto60: 31500, Upto90: 63000, Over90: 11500, Overdue: 127500, Earliest: "2026-07-15"}
	if os.DuePaise != 127500 || os.OutstandingPaise != 127500 || os.Ageing != want || len(os.Bills) != 4 {
		t.Fatalf("as of 25-11-2026 SLS01 owes ₹1,275.00: 0–30 ₹215, 31–60 ₹315, 61–90 ₹630, over 90 ₹115; got %+v", os)
	}
	// more than everything due: bills settled oldest first, the rest on account
	r3 := must[Receipt](t)(pay(ReceiptInput{Mode: "bank", Reference: "NEFT9", AmountPaise: 150000}))
	if r3.OnAccountPaise != 22500 || len(r3.Allocations) != 4 || r3.Allocations[0].Invoice != b1.Number || r3.Allocations[1].Invoice != b2.Number {
		t.Fatalf("₹1,500 against ₹1,275 due: %+v", r3)
	}
	b.View(func(tx *book.Tx) error { os, err = OutstandingOf(tx, "SLS01", day); return err })
	if os.DuePaise != 0 || os.OnAccountPaise != 22500 || os.OutstandingPaise != -22500 || len(os.Bills) != 0 {
		t.Fatalf("nothing due and ₹225 on account: %+v", os)
	}
	checkBook(t, b)
}

func TestTheCreditLimitWarnsOrBlocksAsTheCompanySays(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	must[masters.Outlet](t)(update(t, b, func(tx *book.Tx) (masters.Outlet, error) {
		o, _ := masters.GetOutlet(tx, "SLS01")
		o.CreditLimitPaise = 50000
		return masters.UpdateOutlet(tx, o)
	}))
	sell(t, b, "SLS01", day, "GD200", 10) // ₹315.00, within ₹500
	warned := sell(t, b, "SLS01", day, "GD200", 10)
	if len(warned.Warnings) != 1 || warned.Warnings[0].Kind != "credit_limit" ||
		warned.Warnings[0].Text != "outstanding ₹315.00 + this bill ₹315.00 is over the credit limit ₹500.00" {
		t.Fatalf("warn (the default) posts and says why: %+v", warned.Warnings)
	}
	must[masters.Company](t)(update(t, b, func(tx *book.Tx) (masters.Company, error) {
		co, _ := masters.GetCompany(tx)
		co.CreditCheck = "block"
		return masters.PutCompany(tx, co)
	}))
	_, err := bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 1}}})
	wantError(t, err, fail.KindConflict, "credit_limit_paise: outlet SLS01 is on credit stop: outstanding ₹630.00 + this bill ₹32.00 is over the credit limit ₹500.00 (collect first, or have an admin override it with a reason)")
	if got := onHand(t, b, "GD200", stock.MainGodown, "A"); got != 180 {
		t.Fatalf("a blocked bill takes no stock: %d", got)
	}
	checkBook(t, b)
}

func TestACountPostsTheVarianceWithItsReason(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	counted := money.Qty(97)
	doc := must[StockDoc](t)(update(t, b, func(tx *book.Tx) (StockDoc, error) {
		return PostCount(tx, StockDocInput{Date: day, Reason: "monthly count: 3 torn packs", Lines: []StockLineInput{{Item: "GD200", Batch: "A", Counted: &counted}}})
	}))
	l := doc.Lines[0]
	if doc.Reason != "monthly count: 3 torn packs" || l.Qty != -3 || *l.BookQty != 100 || *l.Counted != 97 || l.Value != -7500 {
		t.Fatalf("book 100, found 97: variance −3 worth −₹75.00 at cost, got %+v %+v", doc, l)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "A"); got != 97 {
		t.Fatalf("after the count the book holds what was found: %d", got)
	}
	_, err := update(t, b, func(tx *book.Tx) (StockDoc, error) {
		return PostCount(tx, StockDocInput{Date: day, Lines: []StockLineInput{{Item: "GD200", Batch: "A", Counted: &counted}}})
	})
	wantKind(t, err, fail.KindInvalid, "reason")
	checkBook(t, b)
}

func TestATransferMovesStockBetweenGodownsPieceForPiece(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	must[StockDoc](t)(update(t, b, func(tx *book.Tx) (StockDoc, error) {
		return PostTransfer(tx, StockDocInput{Date: day, Reason: "crushed in the van", From: "MAIN", To: "DAMAGED", Lines: []StockLineInput{{Item: "GD200", Batch: "A", Qty: 5}}})
	}))
	if m, d := onHand(t, b, "GD200", stock.MainGodown, "A"), onHand(t, b, "GD200", stock.DamagedGodown, "A"); m != 95 || d != 5 {
		t.Fatalf("MAIN %d DAMAGED %d, want 95 and 5", m, d)
	}
	_, err := update(t, b, func(tx *book.Tx) (StockDoc, error) {
		return PostTransfer(tx, StockDocInput{Date: day, Reason: "more", From: "DAMAGED", To: "MAIN", Lines: []StockLineInput{{Item: "GD200", Batch: "A", Qty: 6}}})
	})
	wantKind(t, err, fail.KindConflict, "")
	checkBook(t, b)
}

func TestAPurchaseReturnIsADebitNoteAtTheGRNsRate(t *testing.T) {
	b := shop(t)
	grn := receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	ret := func(qty money.Qty) (PurchaseReturn, error) {
		return update(t, b, func(tx *book.Tx) (PurchaseReturn, error) {
			return PostPurchaseReturn(tx, PurchaseReturnInput{Purchase: grn.Number, Date: day, Reason: "short expiry",
				Lines: []PurchaseReturnLineInput{{Item: "GD200", Batch: "A", Qty: qty}}})
		})
	}
	dn := must[PurchaseReturn](t)(ret(10))
	if dn.Number != "DN/26-27/000001" || dn.TaxablePaise != 25000 || dn.CGSTPaise != 625 || dn.SGSTPaise != 625 || dn.TotalPaise != 26300 {
		t.Fatalf("10 at ₹25 + 5%%: ₹250.00 + ₹6.25 + ₹6.25 = ₹262.50, ₹263 rounded; got %s %+v", dn.Number, dn.Totals)
	}
	if got := onHand(t, b, "GD200", stock.MainGodown, "A"); got != 90 {
		t.Fatalf("90 left after sending 10 back: %d", got)
	}
	_, err := ret(91)
	wantError(t, err, fail.KindInvalid, "lines[0].qty: GD200 batch A: 100 received on "+grn.Number+", 10 returned before, 90 left")
	checkBook(t, b)
}

func TestAnOrderConvertsLineByLineAndReportsTheShortfall(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 15))
	o := Order{ID: "field-7f3a", Outlet: "SLS01", Salesman: "S1", Lines: []LineInput{{Item: "GD200", Qty: 20}, {Item: "SOAP75", Qty: 4}}}
	for range 2 {
		if _, err := update(t, b, func(tx *book.Tx) (Order, error) { o2, _, err := PutOrder(tx, o); return o2, err }); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	b.View(func(tx *book.Tx) error { all, _ := ListOrders(tx, ""); n = len(all); return nil })
	if n != 1 {
		t.Fatalf("the same id twice is stored once: %d orders", n)
	}
	conv := must[Conversion](t)(update(t, b, func(tx *book.Tx) (Conversion, error) { return ConvertOrder(tx, "field-7f3a", day) }))
	want := []Shortfall{{Line: 1, Item: "GD200", Ordered: 20, Billed: 15, Short: 5}, {Line: 2, Item: "SOAP75", Ordered: 4, Billed: 0, Short: 4}}
	if len(conv.Invoice.Lines) != 1 || conv.Invoice.Lines[0].Qty != 15 || len(conv.Shortfall) != 2 || conv.Shortfall[0] != want[0] || conv.Shortfall[1] != want[1] {
		t.Fatalf("15 of 20 GD200 billed, no SOAP75 in stock: %+v", conv)
	}
	checkBook(t, b)
}
