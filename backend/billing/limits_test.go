package billing

import (
	"math"
	"strings"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

// Each of these was accepted once and left a wrong figure in the book (or
// froze the server): the door now refuses it, naming the field.
func TestAmountsBeyondTheBusinessLimitsAreRefusedAtTheDoor(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	crore := money.Paise(1_00_00_000_00)
	preview := func(in InvoiceInput) error {
		return b.View(func(tx *book.Tx) error { _, err := Preview(tx, in); return err })
	}
	err := preview(InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10_000_000, RatePaise: &crore}}})
	wantError(t, err, fail.KindInvalid, "lines[0].qty: 1,00,00,000 units at ₹1,00,00,000.00 is over the limit of ₹10,00,00,000.00 for one line: split it over several documents")
	over := MaxRatePaise + 1
	err = preview(InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 1, RatePaise: &over}}})
	wantKind(t, err, fail.KindInvalid, "lines[0].rate_paise")
	err = preview(InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: MaxLineQty + 1}}})
	wantKind(t, err, fail.KindInvalid, "lines[0].qty")
	// eleven lines each at the line limit are over the document limit
	var lines []LineInput
	rate := MaxLinePaise / 1000
	for range 11 {
		lines = append(lines, LineInput{Item: "GD200", Qty: 1000, RatePaise: &rate})
	}
	err = preview(InvoiceInput{Outlet: "SLS01", Date: day, Lines: lines})
	wantKind(t, err, fail.KindInvalid, "lines")

	_, err = update(t, b, func(tx *book.Tx) (Purchase, error) {
		return PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: "HUGE", Date: "2026-11-01",
			Lines: []PurchaseLineInput{{Item: "GD200", Batch: "Z", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 10_000_000, RatePaise: crore}}})
	})
	wantKind(t, err, fail.KindInvalid, "lines[0].qty")
	_, err = update(t, b, func(tx *book.Tx) (Purchase, error) {
		return PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: "HUGE", Date: "2026-11-01",
			Lines: []PurchaseLineInput{{Item: "GD200", Batch: "Z", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 1, RatePaise: math.MaxInt64}}})
	})
	wantKind(t, err, fail.KindInvalid, "lines[0].rate_paise")

	for _, amt := range []money.Paise{math.MaxInt64, MaxDocumentPaise + 1} {
		_, err = update(t, b, func(tx *book.Tx) (Receipt, error) {
			return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cash", AmountPaise: amt})
		})
		wantKind(t, err, fail.KindInvalid, "amount_paise")
	}
	checkBook(t, b)
}

// At the limits every figure is exact: a purchase of a full line at 28 %
// stores the CGST that the rupees say.
func TestAPurchaseAtTheLineLimitStoresTheRightTax(t *testing.T) {
	b := shop(t)
	rate := MaxLinePaise / money.Paise(MaxLineQty)
	p := must[Purchase](t)(update(t, b, func(tx *book.Tx) (Purchase, error) {
		return PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: "BIG", Date: "2026-11-01",
			Lines: []PurchaseLineInput{{Item: "SOAP75", Batch: "Z", Expiry: "2027-12-31", MRPPaise: 4000, Qty: MaxLineQty, RatePaise: rate, DiscountBP: 1}}})
	}))
	// ₹10 crore less 0.01 % = ₹9,99,90,000.00; CGST 9 % of that
	l := p.Lines[0]
	if l.TaxablePaise != 9_99_90_000_00 || l.CGSTPaise != 89_99_100_00 || l.SGSTPaise != l.CGSTPaise {
		t.Fatalf("taxable %s CGST %s SGST %s", l.TaxablePaise, l.CGSTPaise, l.SGSTPaise)
	}
	checkBook(t, b)
}

func problems(t *testing.T, b *book.Book) []string {
	t.Helper()
	var ps []string
	if err := b.View(func(tx *book.Tx) (err error) { ps, err = Check(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return ps
}

func wantProblem(t *testing.T, ps []string, text string) {
	t.Helper()
	for _, p := range ps {
		if strings.Contains(p, text) {
			return
		}
	}
	t.Errorf("check did not report %q; it said %q", text, ps)
}

// What the old door let in: two receipts of 9223372036854775807 paise (the
// outlet's money on account wrapped with them) and a GRN of 10,000,000 at
// ₹1,00,00,000 whose CGST wrapped. Check called that book clean; every
// stored amount is now derived again, so it does not.
func TestCheckFindsStoredAmountsThatDoNotAddUp(t *testing.T) {
	b := shop(t)
	pur := receive(t, b, "B-1", PurchaseLineInput{Item: "COLA", Batch: "C", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 100, RatePaise: 2500})
	inv := sell(t, b, "SLS01", day, "COLA", 10)
	var rcts []Receipt
	for range 2 {
		rcts = append(rcts, must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) {
			return PostReceipt(tx, ReceiptInput{Outlet: "TN02", Date: day, Mode: "cash", AmountPaise: 100})
		})))
	}
	if ps := problems(t, b); len(ps) != 0 {
		t.Fatalf("a clean book: %q", ps)
	}
	must[int](t)(update(t, b, func(tx *book.Tx) (int, error) {
		// the receipts as the old door stored them, on account wrapping in step
		var wrapped money.Paise
		for _, r := range rcts {
			r.AmountPaise, r.OnAccountPaise = math.MaxInt64, math.MaxInt64
			wrapped += r.OnAccountPaise
			if err := tx.Bucket(bReceipts).PutJSON(r.Number, r); err != nil {
				return 0, err
			}
		}
		if err := tx.Bucket(bOnAccount).Put("TN02", putU64(int64(wrapped))); err != nil {
			return 0, err
		}
		// the GRN as the old arithmetic stored it
		l := &pur.Lines[0]
		l.Qty, l.RatePaise, l.TaxablePaise = 10_000_000, 1_00_00_000_00, 1e16
		taxable, rate := int64(l.TaxablePaise), int64(l.GSTRateBP/2)
		l.CGSTPaise = money.Paise((taxable*rate + 5000) / 10000) // wraps
		l.SGSTPaise, l.TotalPaise = l.CGSTPaise, l.TaxablePaise+2*l.CGSTPaise
		pur.Totals = docTotals(pur.Lines)
		if err := putDoc(tx.Bucket(bPurchases), pur.Number, pur); err != nil {
			return 0, err
		}
		// an invoice whose total was changed on disk
		inv.TotalPaise += 100
		return 0, putDoc(tx.Bucket(bInvoices), inv.Number, inv)
	}))
	ps := problems(t, b)
	wantProblem(t, ps, "receipt "+rcts[0].Number+": amount ₹92,23,37,20,36,85,47,758.07 is outside ₹0.01…₹1,00,00,00,000.00")
	wantProblem(t, ps, "TN02: the amounts add up beyond any rupee figure")
	wantProblem(t, ps, "purchase "+pur.Number+" line 1: taxable ₹10,00,00,00,00,00,000.00 is outside 0…₹10,00,00,000.00")
	wantProblem(t, ps, "purchase "+pur.Number+" line 1: GST ₹15,53,25,59,26,290.45 + ₹15,53,25,59,26,290.45 + ₹0.00, but 40% of ₹10,00,00,00,00,00,000.00 is ₹2,00,00,00,00,00,000.00 + ₹2,00,00,00,00,00,000.00 + ₹0.00")
	wantProblem(t, ps, "invoice "+inv.Number+": total ₹421.00, but its lines give ₹420.00")
}

// The credit check reads an outlet's due from one sum kept beside its open
// bills; the sum follows every bill, receipt and credit note, and check
// proves it.
func TestAnOutletsDueSumFollowsItsBillsAndReceipts(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	b1 := sell(t, b, "SLS01", "2026-11-20", "GD200", 10) // ₹315.00
	sell(t, b, "SLS01", day, "GD200", 20)                // ₹630.00
	due := func() money.Paise {
		var d money.Paise
		b.View(func(tx *book.Tx) error { d = outstandingOf(tx, "SLS01").due; return nil })
		return d
	}
	if got := due(); got != 94500 {
		t.Fatalf("due %s", got)
	}
	must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cash", AmountPaise: 40000})
	}))
	if got := due(); got != 54500 {
		t.Fatalf("due after ₹400 received %s", got)
	}
	var oldest string
	b.View(func(tx *book.Tx) error { oldest = string(outstandingOf(tx, "SLS01").oldest); return nil })
	if oldest != string(day) || b1.Date != "2026-11-20" {
		t.Fatalf("the oldest unpaid bill after the first was settled: %s", oldest)
	}
	checkBook(t, b)
	must[int](t)(update(t, b, func(tx *book.Tx) (int, error) { return 0, tx.Bucket(bDue).Put("SLS01", putU64(1)) }))
	wantProblem(t, problems(t, b), "outstanding of SLS01: book says ₹0.01 due in all, its bills give ₹545.00")
}

func TestCheckFindsAStockDocumentWhoseValueDoesNotAddUp(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	d := must[StockDoc](t)(update(t, b, func(tx *book.Tx) (StockDoc, error) {
		return PostAdjustment(tx, StockDocInput{Date: day, Reason: "breakage", Lines: []StockLineInput{{Item: "GD200", Batch: "A", Qty: -3}}})
	}))
	checkBook(t, b)
	d.Value += 1
	must[int](t)(update(t, b, func(tx *book.Tx) (int, error) { return 0, tx.Bucket(bStockDocs).PutJSON(d.Number, d) }))
	wantProblem(t, problems(t, b), d.Number+": value ₹-74.99 is not the sum of its lines (₹-75.00)")
}
