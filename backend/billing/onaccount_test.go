package billing

import (
	"testing"

	"vitaran/backend/book"
)

// Bill-by-bill: with on_account the accountant's allocations are all that is
// set against bills — a part-payment stays part-paid, the rest (or, with no
// allocations, all of it) is kept on account and shows in the outstanding.
func TestAReceiptKeptOnAccountSettlesOnlyTheBillsItNames(t *testing.T) {
	b := shop(t)
	receiveOn(t, b, "B-1", "2026-07-01", gd("A", "2027-12-31", 200))
	b1 := sell(t, b, "SLS01", "2026-07-15", "GD200", 10) // ₹315.00
	b2 := sell(t, b, "SLS01", "2026-09-10", "GD200", 20) // ₹630.00
	pay := func(in ReceiptInput) Receipt {
		in.Outlet, in.Date, in.Mode = "SLS01", day, "cash"
		return must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) { return PostReceipt(tx, in) }))
	}
	r1 := pay(ReceiptInput{AmountPaise: 10000, OnAccount: true})
	if len(r1.Allocations) != 0 || r1.OnAccountPaise != 10000 {
		t.Fatalf("₹100 kept on account, no bill touched: %+v", r1)
	}
	r2 := pay(ReceiptInput{AmountPaise: 50000, OnAccount: true, Allocations: []Allocation{{Invoice: b2.Number, AmountPaise: 30000}}})
	if len(r2.Allocations) != 1 || r2.OnAccountPaise != 20000 {
		t.Fatalf("₹300 against the newer bill, ₹200 on account: %+v", r2)
	}
	var os OutletOutstanding
	var err error
	b.View(func(tx *book.Tx) error { os, err = OutstandingOf(tx, "SLS01", day); return err })
	if err != nil || os.OnAccountPaise != 30000 || os.DuePaise != 31500+33000 || os.OutstandingPaise != 31500+33000-30000 || len(os.Bills) != 2 {
		t.Fatalf("%s untouched (₹315 due), %s part-paid (₹330 due), ₹300 on account: %+v", b1.Number, b2.Number, os)
	}
	checkBook(t, b)
}
