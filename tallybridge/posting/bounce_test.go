package posting

import (
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
)

// A cheque that bounces with a ₹150 charge reaches Tally as a journal on the
// bounce day: the outlet owes again in Tally exactly what it owes in the
// book (its bill reopened Agst Ref, the charge a New Ref), the bank gives
// back the cheque, the charge is income; the receipt stays as it was.
func TestABouncedChequeReversesInTallyAndTallyEqualsTheBook(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	var inv billing.Invoice
	var rct billing.Receipt
	var bo billing.ChequeBounce
	err := s.b.Update(func(tx *book.Tx) error {
		var err error
		other, err := billing.GetInvoice(tx, s.docs[2][len(billing.KindInvoice)+1:])
		if err != nil {
			return err
		}
		inv, err = billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "TNX01", Date: billDay.AddDays(2), Lines: []billing.LineInput{{Item: other.Lines[0].Item, Qty: 6}}})
		if err != nil {
			return err
		}
		rct, err = billing.PostReceipt(tx, billing.ReceiptInput{Outlet: "TNX01", Date: billDay.AddDays(2), Mode: "cheque", Reference: "000781",
			Bank: "Indian Bank", ChequeDate: billDay.AddDays(2), AmountPaise: inv.TotalPaise, Allocations: []billing.Allocation{{Invoice: inv.Number, AmountPaise: inv.TotalPaise}}})
		if err != nil {
			return err
		}
		if _, err := billing.DepositCheque(tx, rct.Number, billDay.AddDays(3)); err != nil {
			return err
		}
		bo, err = billing.BounceCheque(tx, rct.Number, billing.BounceInput{Date: billDay.AddDays(5), Reason: "funds insufficient", ChargePaise: 15000})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("push: %d failed: %v", failed, err)
	}
	party := inv.OutletName
	var owes billing.OutletOutstanding
	s.b.View(func(tx *book.Tx) error {
		owes, err = billing.OutstandingOf(tx, "TNX01", billDay.AddDays(5))
		return err
	})
	if err != nil || owes.OutstandingPaise != inv.TotalPaise+15000 {
		t.Fatalf("book: %+v %v", owes, err)
	}
	if got := tally.LedgerTotal(party); got != -int64(owes.OutstandingPaise) {
		t.Fatalf("Tally's %s ledger %d, the book says the outlet owes %d", party, got, owes.OutstandingPaise)
	}
	j, ok := tally.VoucherByRemoteID(remoteID(t, s.b, billing.KindChequeBounce, bo.Number))
	if !ok || j.Type != "Journal" || j.Date != "20261130" || j.Bills["Agst Ref "+inv.Number] != -int64(inv.TotalPaise) ||
		j.Bills["New Ref "+bo.Number] != -15000 || j.Ledgers[BounceChargeLedger] != 15000 || j.Ledgers["Bank Account"] != int64(inv.TotalPaise) {
		t.Fatalf("the bounce in Tally: %+v", j)
	}
	if r, ok := tally.VoucherByRemoteID(remoteID(t, s.b, billing.KindReceipt, rct.Number)); !ok || r.Cancelled || r.Ledgers["Bank Account"] != -int64(inv.TotalPaise) {
		t.Fatalf("the receipt stays on its day: %+v", r)
	}
}
