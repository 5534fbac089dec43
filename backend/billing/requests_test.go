package billing

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// A clerk's PC retries after a timeout: the same request_id answers the
// invoice already posted (same number, one invoice, stock moved once), also
// after the book is closed and opened again.
func TestTheSameRequestIDTwiceBillsOnceAlsoAfterARestart(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 100))
	in := InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10}}, RequestID: "draft-7f3a-1"}
	first := must[Invoice](t)(bill(t, b, in))
	again := must[Invoice](t)(bill(t, b, in))
	if again.Number != first.Number || !again.Replayed || first.Replayed || again.TotalPaise != first.TotalPaise {
		t.Fatalf("the retry answered %s (replayed %v), the first %s", again.Number, again.Replayed, first.Number)
	}
	path := b.Path()
	b.Close()
	b, err := book.Open(path, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	again = must[Invoice](t)(bill(t, b, in))
	if again.Number != first.Number || !again.Replayed {
		t.Fatalf("after a restart the retry answered %s", again.Number)
	}
	if got := onHand(t, b, "GD200", "MAIN", "A"); got != 90 {
		t.Fatalf("stock moved more than once: %d left of 100", got)
	}
	var n int
	b.View(func(tx *book.Tx) error {
		return tx.Bucket(bInvoices).Scan("", func(string, []byte) (bool, error) { n++; return true, nil })
	})
	if n != 1 {
		t.Fatalf("%d invoices for one request", n)
	}
	// the same id with another body is a conflict, never a second document
	in.Lines[0].Qty = 11
	_, err = bill(t, b, in)
	wantKind(t, err, fail.KindConflict, "request_id")
	in.RequestID = "no spaces please"
	_, err = bill(t, b, in)
	wantKind(t, err, fail.KindInvalid, "request_id")
	checkBook(t, b)
}

// Receipts, returns and purchases take a request_id the same way; ids are
// per kind of document.
func TestReceiptsReturnsAndPurchasesAreIdempotentByRequestID(t *testing.T) {
	b := shop(t)
	pur := PurchaseInput{SupplierInvoiceNo: "BRT/9", Date: "2026-11-01", RequestID: "same-id", Lines: []PurchaseLineInput{gd("A", "2027-12-31", 100)}}
	post := func(in PurchaseInput) Purchase {
		return must[Purchase](t)(update(t, b, func(tx *book.Tx) (Purchase, error) { return PostPurchase(tx, in) }))
	}
	if p1, p2 := post(pur), post(pur); p1.Number != p2.Number || !p2.Replayed {
		t.Fatalf("purchase retried: %s then %s", p1.Number, p2.Number)
	}
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10}}, RequestID: "same-id"}))
	ret := SalesReturnInput{Invoice: inv.Number, Date: day, Reason: "damaged", RequestID: "same-id",
		Lines: []SalesReturnLineInput{{Line: 1, Qty: 2, Condition: "damaged"}}}
	returned := func() SalesReturn {
		return must[SalesReturn](t)(update(t, b, func(tx *book.Tx) (SalesReturn, error) { return PostSalesReturn(tx, ret) }))
	}
	if r1, r2 := returned(), returned(); r1.Number != r2.Number || !r2.Replayed {
		t.Fatalf("return retried: %s then %s", r1.Number, r2.Number)
	}
	rct := ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cash", AmountPaise: 5000, RequestID: "same-id"}
	pay := func() Receipt {
		return must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) { return PostReceipt(tx, rct) }))
	}
	if r1, r2 := pay(), pay(); r1.Number != r2.Number || !r2.Replayed || r2.AmountPaise != 5000 {
		t.Fatalf("receipt retried: %s then %s", r1.Number, r2.Number)
	}
	checkBook(t, b)
}
