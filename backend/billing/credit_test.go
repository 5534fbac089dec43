package billing

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// setOutlet changes SLS01's credit terms.
func setOutlet(t *testing.T, b *book.Book, fn func(o *masters.Outlet)) {
	t.Helper()
	must[masters.Outlet](t)(update(t, b, func(tx *book.Tx) (masters.Outlet, error) {
		o, err := masters.GetOutlet(tx, "SLS01")
		if err != nil {
			return o, err
		}
		fn(&o)
		return masters.UpdateOutlet(tx, o)
	}))
}

func goodDay(qty money.Qty, d cal.Date) InvoiceInput {
	return InvoiceInput{Outlet: "SLS01", Date: d, Lines: []LineInput{{Item: "GD200", Qty: qty}}}
}

func TestAStopLimitRefusesAtTheLimitAndNotAPaisaBefore(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditMode = "stop"; o.CreditLimitPaise = 62999 })
	sell(t, b, "SLS01", day, "GD200", 10)  // ₹315.00
	_, err := bill(t, b, goodDay(10, day)) // another ₹315.00 makes ₹630.00, a paisa over ₹629.99
	wantError(t, err, fail.KindConflict, "credit_limit_paise: outlet SLS01 is on credit stop: outstanding ₹315.00 + this bill ₹315.00 is over the credit limit ₹629.99 (collect first, or have an admin override it with a reason)")
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditLimitPaise = 63000 })
	at := must[Invoice](t)(bill(t, b, goodDay(10, day)))
	if at.TotalPaise != 31500 || len(at.Warnings) != 0 {
		t.Fatalf("a bill that brings the outstanding to exactly the limit passes clean: %+v", at.Warnings)
	}
	_, err = bill(t, b, goodDay(1, day))
	wantKind(t, err, fail.KindConflict, "credit_limit_paise")
	if got := onHand(t, b, "GD200", "MAIN", "A"); got != 180 {
		t.Fatalf("the refused bills took no stock: %d on hand", got)
	}
	checkBook(t, b)
}

func TestTheOutletsOwnModeWinsOverTheCompanys(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	must[masters.Company](t)(update(t, b, func(tx *book.Tx) (masters.Company, error) {
		co, _ := masters.GetCompany(tx)
		co.CreditCheck = "block"
		return masters.PutCompany(tx, co)
	}))
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditMode = "warn"; o.CreditLimitPaise = 10000 })
	warned := sell(t, b, "SLS01", day, "GD200", 10)
	if len(warned.Warnings) != 1 || warned.Warnings[0].Kind != "credit_limit" {
		t.Fatalf("a warn outlet in a blocking company is warned, not stopped: %+v", warned.Warnings)
	}
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditMode = "" })
	_, err := bill(t, b, goodDay(1, day))
	wantKind(t, err, fail.KindConflict, "credit_limit_paise")
}

func TestALimitOfOpenBillsCountsTheBillsNotYetPaid(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditMode = "stop"; o.CreditLimitBills = 2 })
	first := sell(t, b, "SLS01", day, "GD200", 10)
	sell(t, b, "SLS01", day, "GD200", 1)
	_, err := bill(t, b, goodDay(1, day))
	wantError(t, err, fail.KindConflict, "credit_limit_bills: outlet SLS01 is on credit stop: 2 bills are open and the limit is 2: this bill would be bill 3 (collect first, or have an admin override it with a reason)")
	// part of the first bill paid: still open
	must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cash", AmountPaise: 31499, Allocations: []Allocation{{Invoice: first.Number, AmountPaise: 31499}}})
	}))
	_, err = bill(t, b, goodDay(1, day))
	wantKind(t, err, fail.KindConflict, "credit_limit_bills")
	// the last paisa closes it: two bills open again would be allowed, one is
	must[Receipt](t)(update(t, b, func(tx *book.Tx) (Receipt, error) {
		return PostReceipt(tx, ReceiptInput{Outlet: "SLS01", Date: day, Mode: "cash", AmountPaise: 1, Allocations: []Allocation{{Invoice: first.Number, AmountPaise: 1}}})
	}))
	third := must[Invoice](t)(bill(t, b, goodDay(1, day)))
	var c Credit
	b.View(func(tx *book.Tx) (err error) { c, err = CreditOf(tx, "SLS01", day); return err })
	if c.OpenBills != 2 || !c.Stopped || c.Field != "credit_limit_bills" {
		t.Fatalf("after the third bill, two are open and the next is stopped: %+v", c)
	}
	// cancelling a bill closes it too
	must[Invoice](t)(update(t, b, func(tx *book.Tx) (Invoice, error) {
		return Cancel(tx, third.Number, CancelInput{Reason: "keyed twice"}, day)
	}))
	b.View(func(tx *book.Tx) (err error) { c, err = CreditOf(tx, "SLS01", day); return err })
	if c.OpenBills != 1 || c.Stopped {
		t.Fatalf("a cancelled bill is no longer open: %+v", c)
	}
	checkBook(t, b)
}

func TestALimitOfDaysRefusesWhenTheOldestOpenBillIsOlder(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditMode = "stop"; o.CreditLimitDays = 30 })
	sell(t, b, "SLS01", "2026-11-01", "GD200", 10)
	sell(t, b, "SLS01", "2026-11-20", "GD200", 10)
	on30 := must[Invoice](t)(bill(t, b, goodDay(1, "2026-12-01")))
	if len(on30.Warnings) != 0 {
		t.Fatalf("a bill 30 days old is within 30 days: %+v", on30.Warnings)
	}
	_, err := bill(t, b, goodDay(1, "2026-12-02"))
	wantError(t, err, fail.KindConflict, "credit_limit_days: outlet SLS01 is on credit stop: the oldest open bill, of 01-11-2026, is 31 days old and the limit is 30 days (collect first, or have an admin override it with a reason)")
	checkBook(t, b)
}

func TestATemporaryLimitHoldsToItsLastDayAndThenTheStandingOneIsBack(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	setOutlet(t, b, func(o *masters.Outlet) {
		o.CreditMode, o.CreditLimitPaise, o.TempCreditLimitPaise, o.TempCreditUntil = "stop", 50000, 100000, "2026-11-26"
	})
	sell(t, b, "SLS01", day, "GD200", 10)                 // ₹315.00
	big := sell(t, b, "SLS01", "2026-11-26", "GD200", 20) // ₹630.00: ₹945.00 of ₹1,000.00
	if big.TotalPaise != 63000 || len(big.Warnings) != 0 {
		t.Fatalf("within the temporary limit on its last day: %+v", big)
	}
	_, err := bill(t, b, goodDay(2, "2026-11-26")) // ₹63.00 more: ₹1,008.00
	wantError(t, err, fail.KindConflict, "temp_credit_limit_paise: outlet SLS01 is on credit stop: outstanding ₹945.00 + this bill ₹63.00 is over the temporary credit limit (to 26-11-2026) ₹1,000.00 (collect first, or have an admin override it with a reason)")
	_, err = bill(t, b, goodDay(1, "2026-11-27"))
	wantError(t, err, fail.KindConflict, "credit_limit_paise: outlet SLS01 is on credit stop: outstanding ₹945.00 + this bill ₹32.00 is over the credit limit ₹500.00 (collect first, or have an admin override it with a reason)")
}

func TestAnOverrideWithAReasonPassesAStopAndIsAudited(t *testing.T) {
	b := shop(t)
	receive(t, b, "B-1", gd("A", "2027-12-31", 200))
	setOutlet(t, b, func(o *masters.Outlet) { o.CreditMode = "stop"; o.CreditLimitPaise = 10000 })
	in := goodDay(10, day)
	in.CreditOverride = &CreditOverride{Reason: "  "}
	_, err := bill(t, b, in)
	wantKind(t, err, fail.KindInvalid, "credit_override.reason")
	in.CreditOverride.Reason = "owner paid cash at the counter, receipt follows"
	inv := must[Invoice](t)(bill(t, b, in))
	if inv.CreditOverride == nil || len(inv.Warnings) != 1 || inv.Warnings[0].Kind != "credit_limit" {
		t.Fatalf("the override posts and still says what it broke: %+v", inv)
	}
	var entries []book.AuditEntry
	b.View(func(tx *book.Tx) (err error) {
		entries, err = tx.AuditLog(0, 0, func(e *book.AuditEntry) bool { return e.Action == "credit_override" })
		return err
	})
	if len(entries) != 1 || entries[0].Key != inv.Number || entries[0].Note != "owner paid cash at the counter, receipt follows" || entries[0].User != "clerk" {
		t.Fatalf("one audit entry for the override: %+v", entries)
	}
	checkBook(t, b)
}

func TestAnOutletsCreditTermsAreChecked(t *testing.T) {
	for _, c := range []struct {
		o     masters.Outlet
		field string
	}{
		{masters.Outlet{CreditMode: "block"}, "credit_mode"},
		{masters.Outlet{CreditLimitBills: -1}, "credit_limit_bills"},
		{masters.Outlet{CreditLimitDays: 366}, "credit_limit_days"},
		{masters.Outlet{TempCreditLimitPaise: 100000}, "temp_credit_until"},
		{masters.Outlet{TempCreditLimitPaise: 100000, TempCreditUntil: "26-11-2026"}, "temp_credit_until"},
	} {
		o := c.o
		o.Code, o.Name, o.StateCode = "X1", "X", "33"
		wantKind(t, o.Validate(), fail.KindInvalid, c.field)
	}
}
