package posting

import (
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/tallybridge"
)

const (
	inv1 = "SI/26-27/000001" // intra-state, 12 less 5 % and 7
	inv3 = "SI/26-27/000003" // cancelled the day it was billed, before any push
)

func remoteID(t testing.TB, b *book.Book, kind, number string) string {
	t.Helper()
	var p string
	b.View(func(tx *book.Tx) error { p, _ = idPrefix(tx); return nil })
	return p + ":" + kind + ":" + number
}

// A cancelled invoice is its own Sales voucher cancelled in Tally: same
// REMOTEID, date and number, amounts out of every ledger, and no credit
// note anywhere (GSTR-1 Table 13 wants a cancelled invoice, not a return).
func TestACancelledInvoiceIsCancelledInTallyNotReversed(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("push: %d failed: %v", failed, err)
	}
	// cancelled before the first push: created and cancelled in one request
	v3, ok := tally.VoucherByRemoteID(remoteID(t, s.b, billing.KindInvoice, inv3))
	if !ok || !v3.Cancelled || v3.Type != "Sales" || v3.Date != "20261125" || v3.Number != inv3 {
		t.Fatalf("the same-day cancellation: %+v", v3)
	}
	if !strings.Contains(v3.CancelNote, "billed to the wrong shop") {
		t.Errorf("the cancel's narration %q does not say why", v3.CancelNote)
	}

	// a later invoice reaches Tally, and is cancelled the next day
	var late billing.Invoice
	if err := s.b.Update(func(tx *book.Tx) error {
		inv, err := billing.GetInvoice(tx, inv1)
		if err != nil {
			return err
		}
		late, err = billing.PostInvoice(tx, billing.InvoiceInput{Outlet: inv.Outlet, Date: billDay, Lines: []billing.LineInput{{Item: inv.Lines[0].Item, Qty: 4}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("push of the late invoice: %d failed: %v", failed, err)
	}
	party := late.OutletName
	id := remoteID(t, s.b, billing.KindInvoice, late.Number)
	live, ok := tally.VoucherByRemoteID(id)
	if !ok || live.Cancelled || live.Ledgers[party] != -int64(late.TotalPaise) {
		t.Fatalf("the late invoice in Tally: %+v (party %q, total %d)", live, party, late.TotalPaise)
	}
	before := tally.LedgerTotal(party)
	count := tally.VoucherCount()
	if err := s.b.Update(func(tx *book.Tx) error {
		_, err := billing.CancelInvoice(tx, late.Number, "goods refused at the door", billDay.AddDays(1))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	posted, failed, err := push(t, s.b, url, PushOptions{})
	if err != nil || failed != 0 || posted != 1 {
		t.Fatalf("push of the cancellation: posted %d failed %d: %v", posted, failed, err)
	}
	got, _ := tally.VoucherByRemoteID(id)
	if !got.Cancelled || got.Date != live.Date || got.Number != late.Number {
		t.Fatalf("after the cancellation: %+v", got)
	}
	if tally.VoucherCount() != count || tally.CountByNumber(late.Number+"-CXL") != 0 {
		t.Fatalf("the cancellation added a voucher: %d → %d", count, tally.VoucherCount())
	}
	if after := tally.LedgerTotal(party); after != before+int64(late.TotalPaise) {
		t.Fatalf("party ledger %d → %d: the cancelled %d still counts", before, after, late.TotalPaise)
	}
	for _, v := range tally.Vouchers() {
		if v.Type == "Credit Note" && strings.Contains(v.Narration, "Cancellation") {
			t.Fatalf("a reversing credit note stands in for a cancellation: %+v", v)
		}
	}
	// the invoice's own entry stays posted; a second push sends nothing
	reqs := tally.Requests()
	if posted, failed, err := push(t, s.b, url, PushOptions{}); err != nil || posted+failed != 0 || tally.Requests() != reqs {
		t.Fatalf("second push: %d %d %v", posted, failed, err)
	}
	if st := status(t, s.b); st.Counts[tallybridge.StatePosted] != len(s.docs)+2 {
		t.Fatalf("status %+v", st.Counts)
	}
}
