package billing

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// A cheque for two bills and ₹50 on account bounces with a ₹250 charge: both
// bills owe again what the cheque paid, the ₹50 on account is gone, the
// charge is an open bill of its own, and a second bounce is refused.
func TestABouncedChequeReopensItsBillsAndChargesTheOutlet(t *testing.T) {
	b := shop(t)
	receiveOn(t, b, "B-1", "2026-07-01", gd("A", "2027-12-31", 200))
	b1 := sell(t, b, "SLS01", "2026-11-10", "GD200", 10) // ₹315.00
	b2 := sell(t, b, "SLS01", "2026-11-20", "GD200", 20) // ₹630.00
	r := must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cheque", Reference: "004512", Bank: "Canara Bank",
			ChequeDate: day, AmountPaise: 31500 + 20000 + 5000, OnAccount: true,
			Allocations: []Allocation{{Invoice: b1.Number, AmountPaise: 31500}, {Invoice: b2.Number, AmountPaise: 20000}}})
	}))
	owes := func() OutletOutstanding {
		var os OutletOutstanding
		b.View(func(tx *book.Tx) error { os, _ = OutstandingOf(tx, "SLS01", day); return nil })
		return os
	}
	if os := owes(); os.DuePaise != 43000 || os.OnAccountPaise != 5000 || len(os.Bills) != 1 {
		t.Fatalf("before the bounce: ₹430 due on %s, ₹50 on account: %+v", b2.Number, os)
	}
	_, err := update(t, b, func(tx *book.Tx) (ChequeBounce, error) {
		return BounceCheque(tx, r.Number, BounceInput{Date: day, Reason: "funds insufficient"})
	})
	wantKind(t, err, fail.KindConflict, "receipt") // never deposited
	must[Cheque](t)(update(t, b, func(tx *book.Tx) (Cheque, error) { return DepositCheque(tx, r.Number, day) }))
	bo := must[ChequeBounce](t)(update(t, b, func(tx *book.Tx) (ChequeBounce, error) {
		return BounceCheque(tx, r.Number, BounceInput{Date: "2026-11-27", Reason: "funds insufficient", ChargePaise: 25000})
	}))
	if bo.Number != "CHB/26-27/000001" || len(bo.Reopened) != 2 || bo.OnAccountPaise != 5000 {
		t.Fatalf("bounce %+v", bo)
	}
	os := owes()
	if os.DuePaise != 31500+63000+25000 || os.OnAccountPaise != 0 || os.OutstandingPaise != 119500 || len(os.Bills) != 3 {
		t.Fatalf("after the bounce both bills owe in full and the ₹250 charge is due: %+v", os)
	}
	if c := os.Bills[2]; c.Invoice != bo.Number || c.DuePaise != 25000 || c.Date != "2026-11-27" {
		t.Fatalf("the charge is a bill of the bounce's number: %+v", c)
	}
	_, err = update(t, b, func(tx *book.Tx) (ChequeBounce, error) {
		return BounceCheque(tx, r.Number, BounceInput{Date: "2026-11-27", Reason: "again"})
	})
	wantKind(t, err, fail.KindConflict, "receipt")
	// the charge is settled like a bill; the book's outstanding still proves out
	must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: "2026-11-27", Mode: "cash", AmountPaise: 25000,
			Allocations: []Allocation{{Invoice: bo.Number, AmountPaise: 25000}}})
	}))
	if os := owes(); os.DuePaise != 31500+63000 || len(os.Bills) != 2 {
		t.Fatalf("charge paid: %+v", os)
	}
	checkBook(t, b)
	// the outlet's account closes on what it owes
	var l OutletLedger
	b.View(func(tx *book.Tx) error { l, err = LedgerOf(tx, "SLS01", "", ""); return err })
	if err != nil || l.ClosingPaise != owes().OutstandingPaise || len(l.Entries) != 5 || l.DebitPaise-l.CreditPaise != l.ClosingPaise {
		t.Fatalf("ledger %+v (owes %s) %v", l, owes().OutstandingPaise, err)
	}
	var cs []Cheque
	b.View(func(tx *book.Tx) error { cs, err = ListCheques(tx, DocFilter{}, ChequeBounced); return err })
	if err != nil || len(cs) != 1 || cs[0].Bounce != bo.Number || cs[0].Bank != "Canara Bank" || cs[0].ChequeDate != day {
		t.Fatalf("the register shows the bounced cheque: %+v %v", cs, err)
	}
}

func TestAStaleChequeIsRefused(t *testing.T) {
	b := shop(t)
	_, err := update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cheque", Reference: "1", ChequeDate: "2026-08-01", AmountPaise: 100})
	})
	wantKind(t, err, fail.KindInvalid, "cheque_date")
	_, err = update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cash", ChequeDate: day, AmountPaise: 100})
	})
	wantKind(t, err, fail.KindInvalid, "cheque_date")
}
