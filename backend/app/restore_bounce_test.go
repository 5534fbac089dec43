package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
	"vitaran/tallybridge/tallysim"
)

// bouncedShop bills SLS01 and takes a ₹100.00 cheque against the bill on
// the 21st; the backup is taken before the receipt (receiptLost) or after
// its deposit; the bank returns it on the 23rd with a ₹150.00 charge, and
// both reach Tally. It answers the invoice, the receipt, the bounce and
// the backup.
func bouncedShop(t *testing.T, receiptLost bool) (*crossShop, billing.Invoice, billing.Receipt, billing.ChequeBounce, string) {
	t.Helper()
	s := newCrossShop(t)
	inv := s.bill("2026-11-20", "SLS01", qty("GD200", 5))
	s.sync()
	saved := filepath.Join(t.TempDir(), "before.book")
	backup := func() {
		if err := s.a.Book.BackupFile(saved); err != nil {
			t.Fatal(err)
		}
	}
	if receiptLost {
		backup()
	}
	s.on("2026-11-21")
	r, err := s.a.PostReceipt(crossAdmin, billing.ReceiptInput{Outlet: "SLS01", Date: "2026-11-21", Mode: "cheque", Reference: "004512", AmountPaise: 10000,
		Allocations: []billing.Allocation{{Invoice: inv.Number, AmountPaise: 10000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.DepositCheque(crossAdmin, r.Number, "2026-11-21"); err != nil {
		t.Fatal(err)
	}
	s.sync()
	if !receiptLost {
		backup()
	}
	s.on("2026-11-23")
	bo, err := s.a.BounceCheque(crossAdmin, r.Number, billing.BounceInput{Date: "2026-11-23", Reason: "funds insufficient", ChargePaise: 15000})
	if err != nil {
		t.Fatal(err)
	}
	s.sync()
	return s, inv, r, bo, saved
}

// restoreAndPull restores the backup over the shop's book, reopens it on
// the 25th and pulls back from Tally.
func (s *crossShop) restoreAndPull(saved string) (RestoreReport, PullReport) {
	s.t.Helper()
	s.a.Close()
	rep, err := RestoreWith(s.dir, saved, RestoreOptions{Now: func() time.Time { return cal.Date("2026-11-25").Time().Add(6 * time.Hour) }})
	if err != nil {
		s.t.Fatal(err)
	}
	if s.a, err = Open(s.dir, Options{}); err != nil {
		s.t.Fatal(err)
	}
	s.on("2026-11-25")
	pulled, err := s.a.PullFromTally(crossAdmin)
	if err != nil {
		s.t.Fatal(err)
	}
	return rep, pulled
}

// owes is what the book says SLS01 owes on the 25th and what Tally's
// ledger of it says.
func (s *crossShop) owes() (bookOwes, tallyOwes money.Paise) {
	s.t.Helper()
	var party string
	err := s.a.Book.View(func(tx *book.Tx) error {
		o, err := billing.OutstandingOf(tx, "SLS01", "2026-11-25")
		bookOwes = o.OutstandingPaise
		names, err2 := posting.TallyNames(tx)
		for ledger, code := range names.Outlets {
			if code == "SLS01" {
				party = ledger
			}
		}
		if err == nil {
			err = err2
		}
		return err
	})
	if err != nil || party == "" {
		s.t.Fatalf("outstanding: %v (party %q)", err, party)
	}
	for _, v := range s.sim.Vouchers() {
		if strings.EqualFold(v.Party, party) {
			party = v.Party
			break
		}
	}
	return bookOwes, money.Paise(-s.sim.LedgerTotal(party))
}

// A cheque receipt and its bounce, both lost by a restore, come back
// together from Tally: the receipt sets the bill, the bounce opens it
// again and charges the outlet ₹150.00, the cheque is bounced — and what
// the book says the outlet owes is what Tally's ledger says, with nothing
// sent to Tally twice.
func TestALostChequeBounceIsPulledBackWithItsReceipt(t *testing.T) {
	s, inv, r, bo, saved := bouncedShop(t, true)
	before := s.sim.VoucherCount()
	rep, pulled := s.restoreAndPull(saved)
	if len(rep.Lost) != 2 {
		t.Fatalf("restore lost %+v", rep.Lost)
	}
	for _, d := range rep.Lost {
		if !d.FromTally {
			t.Fatalf("Tally's voucher of %s %s can be pulled back: %+v", d.Kind, d.Number, rep.Lost)
		}
	}
	if len(pulled.Pulled) != 2 || pulled.Pulled[0] != r.Number || pulled.Pulled[1] != bo.Number || len(pulled.NotPulled) != 0 ||
		!strings.Contains(strings.Join(pulled.Summary, "\n"), "1 receipts, 1 cheque bounces") {
		t.Fatalf("pull %+v", pulled)
	}
	err := s.a.Book.View(func(tx *book.Tx) error {
		c, err := billing.GetCheque(tx, r.Number)
		if err != nil || c.Status != billing.ChequeBounced || c.Bounce != bo.Number || c.BouncedOn != "2026-11-23" {
			t.Errorf("the cheque is bounced by %s: %+v %v", bo.Number, c.ChequeState, err)
		}
		b, err := billing.GetChequeBounce(tx, bo.Number)
		if err != nil || b.ChargePaise != 15000 || b.AmountPaise != 10000 || b.Reason != "funds insufficient" || len(b.Reopened) != 1 ||
			b.Reopened[0].Invoice != inv.Number || b.Reopened[0].AmountPaise != 10000 {
			t.Errorf("the bounce as the book's own: %+v %v", b, err)
		}
		if due := billing.DueOn(tx, &inv); due != inv.TotalPaise {
			t.Errorf("the bill is open again in full: due ₹%s of ₹%s", due, inv.TotalPaise)
		}
		probs, err := billing.Check(tx)
		if err != nil || len(probs) != 0 {
			t.Errorf("the book checks: %v %v", probs, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, ty := s.owes(); b != inv.TotalPaise+15000 || b != ty {
		t.Fatalf("the outlet owes the bill and the charge: book ₹%s, Tally ₹%s", b, ty)
	}
	s.sync()
	if after := s.sim.VoucherCount(); after != before {
		t.Fatalf("nothing is sent to Tally again: %d vouchers, %d before", after, before)
	}
	for _, sec := range s.check("2026-11-01", "2026-11-25").Sections {
		if sec.Name == SectionMoney && (len(sec.Differences) != 0 || sec.Cells == 0) {
			t.Fatalf("the money received and bounced per day and outlet: book = Tally: %+v", sec)
		}
	}
}

// A bounce lost by a restore whose receipt the backup had comes back on
// its own.
func TestALostBounceOfAReceiptTheBackupHadIsPulledBack(t *testing.T) {
	s, inv, r, bo, saved := bouncedShop(t, false)
	_, pulled := s.restoreAndPull(saved)
	if len(pulled.Pulled) != 1 || pulled.Pulled[0] != bo.Number || len(pulled.NotPulled) != 0 {
		t.Fatalf("pull %+v", pulled)
	}
	if b, ty := s.owes(); b != inv.TotalPaise+15000 || b != ty {
		t.Fatalf("book ₹%s, Tally ₹%s", b, ty)
	}
	s.a.Book.View(func(tx *book.Tx) error {
		if c, err := billing.GetCheque(tx, r.Number); err != nil || c.Status != billing.ChequeBounced {
			t.Errorf("cheque %+v %v", c, err)
		}
		return nil
	})
}

// The accountant altered the bounce's journal in Tally (it opens the bill
// by ₹50.00, not the ₹100.00 the receipt set): it does not come out as
// Tally holds it, so neither it nor its receipt is pulled back, and the
// report says why and what to do.
func TestABounceJournalThatDoesNotRecomputeIsNotPulledBack(t *testing.T) {
	s, inv, r, bo, saved := bouncedShop(t, true)
	err := s.a.Book.View(func(tx *book.Tx) error {
		set, err := posting.GetSettings(tx)
		if err != nil {
			return err
		}
		names, err := posting.TallyNames(tx)
		if err != nil {
			return err
		}
		ad, err := posting.NewAdapter(tx, set, names.Prefix)
		if err != nil {
			return err
		}
		v, err := ad.Voucher(billing.KindChequeBounce, bo.Number)
		if err != nil {
			return err
		}
		v.Bills[0].Amount = 5000
		_, err = set.Client().PostVouchers(context.Background(), []tallybridge.Voucher{v}, 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, pulled := s.restoreAndPull(saved)
	if len(pulled.Pulled) != 0 || !strings.Contains(pulled.NotPulled[r.Number], "its cheque bounce "+bo.Number+", lost too, could not come back with it") ||
		!strings.Contains(pulled.NotPulled[r.Number], inv.Number+" opens again by ₹100.00; Tally's journal ₹50.00") ||
		!strings.Contains(pulled.NotPulled[bo.Number], "comes back only with its receipt "+r.Number) {
		t.Fatalf("pull %+v", pulled)
	}
	s.a.Book.View(func(tx *book.Tx) error {
		if _, err := billing.GetReceipt(tx, r.Number); err == nil {
			t.Errorf("the receipt came back without its bounce")
		}
		return nil
	})
}

// A journal on an outlet that the bridge did not post (the accountant's,
// in Tally alone), dated after what the backup knows, is named by the
// restore and the pull with what the clerk must do, and never pulled.
func TestAJournalTheBridgeDidNotPostIsNamedNotPulled(t *testing.T) {
	s, _, _, bo, saved := bouncedShop(t, false)
	err := s.a.Book.View(func(tx *book.Tx) error {
		set, err := posting.GetSettings(tx)
		if err != nil {
			return err
		}
		names, err := posting.TallyNames(tx)
		if err != nil {
			return err
		}
		ad, err := posting.NewAdapter(tx, set, names.Prefix)
		if err != nil {
			return err
		}
		v, err := ad.Voucher(billing.KindChequeBounce, bo.Number)
		if err != nil {
			return err
		}
		v.RemoteID, v.Number, v.Narration = "ACCOUNTS-J-7", "J/7", "rate difference written off"
		v.Date = cal.Date("2026-11-24").Time()
		_, err = set.Client().PostVouchers(context.Background(), []tallybridge.Voucher{v}, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, pulled := s.restoreAndPull(saved)
	if len(rep.TallyOnly) != 1 || rep.TallyOnly[0].Number != "J/7" || rep.TallyOnly[0].Type != "Journal" || rep.TallyOnly[0].Date != "2026-11-24" ||
		!strings.Contains(rep.TallyOnly[0].Why, "was not posted by Vitaran and is never pulled back") ||
		!strings.Contains(rep.TallyOnly[0].Why, "post the same in the book") {
		t.Fatalf("restore names the accountant's journal: %+v", rep.TallyOnly)
	}
	if words := strings.Join(rep.Summary, "\n"); !strings.Contains(words, "in Tally only: journal J/7 of 24-11-2026") {
		t.Fatalf("the restore's words:\n%s", words)
	}
	if len(pulled.Pulled) != 1 || pulled.Pulled[0] != bo.Number || !strings.Contains(strings.Join(pulled.Summary, "\n"), "in Tally only: journal J/7") {
		t.Fatalf("pull %+v", pulled)
	}
}

// A restore in day-wise mode names the day summary the backup never sent
// and the lost invoice inside it, each with what the clerk must do: the
// summary holds only the day's totals, so the day's invoices are billed
// again, dated that day.
func TestADaySummaryAndTheInvoicesInItAreNamedWithWhatToDo(t *testing.T) {
	s := newCrossShop(t)
	s.mode(posting.ModeDaily)
	s.bill("2026-11-20", "SLS01", qty("GD200", 5))
	s.sync()
	saved := filepath.Join(t.TempDir(), "before.book")
	if err := s.a.Book.BackupFile(saved); err != nil {
		t.Fatal(err)
	}
	lost := s.bill("2026-11-21", "KVS02", qty("MG100", 6))
	s.sync()
	summary := func() (tallysim.Voucher, int) {
		var found tallysim.Voucher
		n := 0
		for _, v := range s.sim.Vouchers() {
			if strings.HasPrefix(v.Number, "DS-20261121") && !v.Cancelled {
				found, n = v, n+1
			}
		}
		return found, n
	}
	sent, _ := summary()
	rep, pulled := s.restoreAndPull(saved)
	var inv *LostDoc
	for i := range rep.Lost {
		if rep.Lost[i].Number == lost.Number {
			inv = &rep.Lost[i]
		}
	}
	if inv == nil || inv.FromTally || !strings.Contains(inv.Why, "only inside its day's summary") || !strings.Contains(inv.Why, "bill it again from the printed copy, dated its own day") {
		t.Fatalf("the lost invoice: %+v", rep.Lost)
	}
	if len(rep.TallyOnly) != 1 || rep.TallyOnly[0].Date != "2026-11-21" || !strings.HasPrefix(rep.TallyOnly[0].Number, "DS-20261121") ||
		!strings.Contains(rep.TallyOnly[0].Why, "holds only that day's totals per GST rate") ||
		!strings.Contains(rep.TallyOnly[0].Why, "Bill that day's lost invoices again from their printed copies, dated 21-11-2026") {
		t.Fatalf("the day summary of the 21st: %+v", rep.TallyOnly)
	}
	words := strings.Join(rep.Summary, "\n")
	if !strings.Contains(words, "lost: invoice "+lost.Number+" (in Tally, at head office): Tally holds it only inside") || !strings.Contains(words, "in Tally only: day summary DS-20261121") {
		t.Fatalf("the restore's words:\n%s", words)
	}
	if len(pulled.Pulled) != 0 || !strings.Contains(pulled.NotPulled[lost.Number], "day's summary") ||
		!strings.Contains(strings.Join(pulled.Summary, "\n"), "in Tally only: day summary DS-20261121") {
		t.Fatalf("pull %+v", pulled)
	}
	// as the words say: billed again dated the 21st, the day's summary
	// goes again and Tally's holds the sale once
	again := s.bill("2026-11-21", "KVS02", qty("MG100", 6))
	s.sync()
	if got, n := summary(); n != 1 || again.TotalPaise != lost.TotalPaise || fmt.Sprint(got.Ledgers) != fmt.Sprint(sent.Ledgers) {
		t.Fatalf("Tally's summary of the 21st: %d of them, %v; before the restore %v", n, got.Ledgers, sent.Ledgers)
	}
}
