package billing

import (
	"math"
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
