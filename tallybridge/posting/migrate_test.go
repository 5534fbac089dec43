package posting

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// cancelOldWay cancels an invoice on day and puts the cancellation into
// Tally as a book before schema 4 did: a credit note "<invoice>-CXL" under
// REMOTEID "<prefix>:cancel:<invoice>", the invoice's own lines, dated the
// day it was cancelled. reached says how far it got: posted (Tally
// confirmed it), sending (Tally took it and the reply was lost) or pending
// (it never left the queue).
func cancelOldWay(t *testing.T, b *book.Book, url, number string, on cal.Date, reached tallybridge.State) {
	t.Helper()
	if err := b.Update(func(tx *book.Tx) error {
		if _, err := billing.CancelInvoice(tx, number, "billed to the wrong shop", on); err != nil {
			return err
		}
		_, err := Ingest(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if reached == tallybridge.StatePending {
		return
	}
	var note tallybridge.Voucher
	if err := b.View(func(tx *book.Tx) error {
		s, err := GetSettings(tx)
		if err != nil {
			return err
		}
		a, err := NewAdapter(tx, s, storedPrefix(tx))
		if err != nil {
			return err
		}
		inv, err := billing.GetInvoice(tx, number)
		if err != nil {
			return err
		}
		if note, err = a.Invoice(inv); err != nil {
			return err
		}
		// the old Adapter.Cancel
		note.Cancel = nil
		note.Kind = tallybridge.CreditNote
		note.RemoteID = a.RemoteID(billing.KindCancel, number)
		note.Number = number + "-CXL"
		note.Date = day(inv.Cancellation.Date)
		note.BillRef = number
		note.Narration = fmt.Sprintf("Cancellation of Vitaran invoice %s: %s", number, inv.Cancellation.Reason)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	q := NewQueue(b)
	id := QueueID(billing.KindCancel, number)
	at := on.Time().Add(18 * time.Hour)
	if err := q.MarkSending([]string{id}, at); err != nil {
		t.Fatal(err)
	}
	if _, err := tallybridge.NewClient(url, company).PostVouchers(context.Background(), []tallybridge.Voucher{note}, 0); err != nil {
		t.Fatalf("the old credit note %s: %v", note.Number, err)
	}
	if reached == tallybridge.StatePosted {
		if err := q.MarkPosted(id, tallybridge.Posting{At: at, Attempts: 1}); err != nil {
			t.Fatal(err)
		}
	}
}

func held(t *testing.T, tally *tallysim.Server, id string) tallysim.Voucher {
	t.Helper()
	v, ok := tally.VoucherByRemoteID(id)
	if !ok {
		t.Fatalf("Tally holds no voucher %s", id)
	}
	return v
}

// upgrade reopens the book as written by a Vitaran before schema 4: Open
// runs the migration.
func upgrade(t *testing.T, s *shop) {
	t.Helper()
	if err := s.b.Update(func(tx *book.Tx) error { return tx.Bucket("meta").Put("schema", []byte("3")) }); err != nil {
		t.Fatal(err)
	}
	s.b.Close()
	b, err := book.Open(s.path, book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	s.b = b
}

// An upgraded book's old cancellations become cancelled Sales vouchers in
// Tally, their "-CXL" credit notes deleted: one confirmed by Tally (cancel
// and delete queued), one whose reply was lost (delete queued, its own entry
// sent the new way), one that never left (nothing queued: it goes as a
// cancel), and one cancelled the new way already (untouched). A push whose
// replies are lost, retried, and the migration run again change nothing more.
func TestAnUpgradedBookCancelsOldCancellationsInTallyAndDeletesTheirCreditNotes(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("first push: %d failed: %v", failed, err)
	}
	var outlet, item, party string
	if err := s.b.View(func(tx *book.Tx) error {
		inv, err := billing.GetInvoice(tx, inv1)
		outlet, item, party = inv.Outlet, inv.Lines[0].Item, inv.OutletName
		return err
	}); err != nil {
		t.Fatal(err)
	}
	base := tally.LedgerTotal(party)
	var late []string // confirmed, reply lost, never sent
	for range 3 {
		if err := s.b.Update(func(tx *book.Tx) error {
			inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: outlet, Date: billDay, Lines: []billing.LineInput{{Item: item, Qty: 4}}})
			late = append(late, inv.Number)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("push of the late invoices: %d failed: %v", failed, err)
	}
	cancelDay := billDay.AddDays(3) // a day the book has nothing else
	cancelOldWay(t, s.b, url, late[0], cancelDay, tallybridge.StatePosted)
	cancelOldWay(t, s.b, url, late[1], cancelDay, tallybridge.StateSending)
	cancelOldWay(t, s.b, url, late[2], cancelDay, tallybridge.StatePending)
	for _, n := range late[:2] {
		if v, ok := tally.VoucherByRemoteID(remoteID(t, s.b, billing.KindCancel, n)); !ok || v.Type != "Credit Note" || v.Date != "20261128" {
			t.Fatalf("the old way left no credit note for %s: %+v", n, v)
		}
	}
	unsent := held(t, tally, remoteID(t, s.b, billing.KindInvoice, late[2]))
	if got := tally.LedgerTotal(party); got != base+unsent.Ledgers[party] {
		t.Fatalf("before the upgrade the party stands at %d: the old notes net their invoices, the unsent cancellation's invoice counts (%d + %d)", got, base, unsent.Ledgers[party])
	}
	untouched := held(t, tally, remoteID(t, s.b, billing.KindInvoice, inv3)) // cancelled the new way at the first push

	upgrade(t, s)
	var rows []Row
	if err := s.b.View(func(tx *book.Tx) error {
		p, err := List(tx, "", 0, 0)
		for _, r := range p.Rows {
			if r.State != tallybridge.StatePosted {
				rows = append(rows, r)
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	queued := map[string]string{}
	for _, r := range rows {
		queued[r.ID] = r.RemoteID
	}
	// the book cannot tell the new-way cancellation of inv3 from an old
	// one: its credit note's delete waits too, and Tally is asked first
	want := map[string]string{
		QueueID(KindOldCancelNote, late[0]+"-CXL"): remoteID(t, s.b, billing.KindCancel, late[0]),
		QueueID(KindOldCancelNote, late[1]+"-CXL"): remoteID(t, s.b, billing.KindCancel, late[1]),
		QueueID(KindOldCancelNote, inv3+"-CXL"):    remoteID(t, s.b, billing.KindCancel, inv3),
		QueueID(billing.KindCancel, late[1]):       remoteID(t, s.b, billing.KindInvoice, late[1]), // its reply was lost
		QueueID(billing.KindCancel, late[2]):       remoteID(t, s.b, billing.KindInvoice, late[2]), // never sent
	}
	for id, rid := range want {
		if queued[id] != rid {
			t.Errorf("after the upgrade %s should wait for Tally as %s: %v", id, rid, queued)
		}
	}
	if len(queued) != len(want) {
		t.Errorf("after the upgrade %d entries wait, want %d: %v", len(queued), len(want), queued)
	}

	// the first push after the upgrade reads what Tally holds, then loses
	// every reply; the next, started by a person, reads again and sends
	// what is still wrong
	lost, err := Push(context.Background(), s.b, PushOptions{URL: url, Company: company, SkipMasters: true,
		Progress: func(done, total int) {
			if done == 0 {
				tally.SetFault(tallysim.LoseReply)
			}
		}})
	if err == nil || lost.Due != 5 {
		t.Fatalf("a push whose replies were lost: %+v %v", lost, err)
	}
	tally.SetFault(tallysim.None)
	for _, n := range late {
		if v := held(t, tally, remoteID(t, s.b, billing.KindInvoice, n)); !v.Cancelled {
			t.Fatalf("the lost push did not reach Tally: %s %+v", n, v)
		}
	}
	posted, failed, err := push(t, s.b, url, PushOptions{Manual: true})
	if err != nil || failed != 0 || posted != 3 {
		t.Fatalf("the push after the lost replies: posted %d, failed %d: %v", posted, failed, err)
	}
	check := func(when string) {
		t.Helper()
		for _, n := range late {
			v := held(t, tally, remoteID(t, s.b, billing.KindInvoice, n))
			if !v.Cancelled || v.Type != "Sales" || v.Date != "20261125" || v.Number != n {
				t.Errorf("%s: %s in Tally: %+v", when, n, v)
			}
			if c := tally.CountByNumber(n + "-CXL"); c != 0 {
				t.Errorf("%s: Tally still holds %d credit note(s) %s-CXL", when, c, n)
			}
		}
		if got := tally.LedgerTotal(party); got != base {
			t.Errorf("%s: the party stands at %d in Tally, %d before the cancelled invoices", when, got, base)
		}
		if v := held(t, tally, remoteID(t, s.b, billing.KindInvoice, inv3)); v.AlterID != untouched.AlterID {
			t.Errorf("%s: the invoice cancelled the new way was sent again: %+v", when, v)
		}
		for _, v := range tally.Vouchers() {
			if v.Date == "20261128" {
				t.Errorf("%s: Tally holds %s %s on the day of cancelling, the book nothing", when, v.Type, v.Number)
			}
		}
		if failed, waiting := status(t, s.b).Left(); failed+waiting != 0 {
			t.Errorf("%s: %d failed and %d waiting", when, failed, waiting)
		}
	}
	check("after the upgrade")

	// the migration's work again: nothing is queued, nothing sent
	if err := s.b.Update(withdrawOldCancelNotes); err != nil {
		t.Fatal(err)
	}
	reqs := tally.Requests()
	if posted, failed, err := push(t, s.b, url, PushOptions{}); err != nil || posted+failed != 0 || tally.Requests() != reqs {
		t.Fatalf("the migration run again sent %d (%d failed, %d requests): %v", posted, failed, tally.Requests()-reqs, err)
	}
	check("after the migration ran twice")
}

// The accountant removed an old credit note by hand in Tally: the sale it
// netted is live there again. The push finds no credit note to delete and
// cancels the sale.
func TestAnOldCreditNoteRemovedByHandStillCancelsTheSale(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("first push: %d failed: %v", failed, err)
	}
	var late billing.Invoice
	if err := s.b.Update(func(tx *book.Tx) error {
		inv, err := billing.GetInvoice(tx, inv1)
		if err != nil {
			return err
		}
		late, err = billing.PostInvoice(tx, billing.InvoiceInput{Outlet: inv.Outlet, Date: billDay, Lines: []billing.LineInput{{Item: inv.Lines[0].Item, Qty: 2}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("push: %d failed: %v", failed, err)
	}
	cancelOldWay(t, s.b, url, late.Number, billDay.AddDays(1), tallybridge.StatePosted)
	if !tally.Remove(remoteID(t, s.b, billing.KindCancel, late.Number)) {
		t.Fatal("the emulator holds no old credit note")
	}
	upgrade(t, s)
	// a file for the accountant carries no delete: only a push can ask
	// Tally whether the sale is still live
	file := filepath.Join(t.TempDir(), "tally.xml")
	if _, err := Export(s.b, file, company); err != nil {
		t.Fatal(err)
	}
	if x, err := os.ReadFile(file); err != nil || strings.Contains(string(x), "-CXL") {
		t.Fatalf("the export names the old credit note (%v):\n%s", err, x)
	}
	reqs := tally.Requests()
	posted, failed, err := push(t, s.b, url, PushOptions{SkipMasters: true})
	if err != nil || posted != 1 || failed != 0 {
		t.Fatalf("push: posted %d, failed %d: %v", posted, failed, err)
	}
	// two days read (the invoice's, the cancellation's), one cancel sent
	if n := tally.Requests() - reqs; n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if v := held(t, tally, remoteID(t, s.b, billing.KindInvoice, late.Number)); !v.Cancelled {
		t.Errorf("the sale stays live in Tally: %+v", v)
	}
	if failed, waiting := status(t, s.b).Left(); failed+waiting != 0 {
		t.Errorf("%d failed and %d waiting", failed, waiting)
	}
}
