package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// cancelOldWay cancels an invoice as a book before schema 3 held it (its
// stock back and its scheme reversals on the day the clerk cancelled) and,
// when sent, puts it into Tally as a book before schema 4 did: a credit note
// "<invoice>-CXL" (REMOTEID "<prefix>:cancel:<invoice>") with the invoice's
// own lines, dated that day, confirmed by Tally.
func (s *crossShop) cancelOldWay(number string, today cal.Date, sent bool) {
	s.t.Helper()
	s.cancel(number, today)
	err := s.a.Book.Update(func(tx *book.Tx) error {
		var seqs []uint64
		if err := stock.Movements(tx, 0, func(m *stock.Movement) (bool, error) {
			if m.Kind == stock.SaleCancel && m.Doc == number {
				seqs = append(seqs, m.Seq)
			}
			return true, nil
		}); err != nil {
			return err
		}
		for _, q := range seqs {
			if _, err := stock.Redate(tx, q, today); err != nil {
				return err
			}
		}
		if _, err := schemes.RedateReversals(tx, number, "CANCEL "+number, today); err != nil {
			return err
		}
		_, err := posting.Ingest(tx)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if !sent {
		return
	}
	var note tallybridge.Voucher
	var set posting.Settings
	err = s.a.Book.View(func(tx *book.Tx) error {
		var err error
		if set, err = posting.GetSettings(tx); err != nil {
			return err
		}
		names, err := posting.TallyNames(tx)
		if err != nil {
			return err
		}
		m, err := posting.GetMapping(tx)
		if err != nil {
			return err
		}
		ad, err := posting.NewAdapter(tx, set, names.Prefix)
		if err != nil {
			return err
		}
		inv, err := billing.GetInvoice(tx, number)
		if err != nil {
			return err
		}
		if note, err = ad.Invoice(inv); err != nil {
			return err
		}
		// the Adapter.Cancel of before schema 4
		note.Cancel = nil
		note.Kind = tallybridge.CreditNote
		note.RemoteID = ad.RemoteID(billing.KindCancel, number)
		note.Number = number + "-CXL"
		note.Date = today.Time()
		note.BillRef = number
		note.Narration = fmt.Sprintf("Cancellation of Vitaran invoice %s: %s", number, inv.Cancellation.Reason)
		note = m.Apply(note)
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := set.Client().PostVouchers(context.Background(), []tallybridge.Voucher{note}, 0); err != nil {
		s.t.Fatalf("the old credit note %s: %v", note.Number, err)
	}
	q := posting.NewQueue(s.a.Book)
	id := posting.QueueID(billing.KindCancel, number)
	at := s.a.Now()
	if err := q.MarkSending([]string{id}, at); err != nil {
		s.t.Fatal(err)
	}
	if err := q.MarkPosted(id, tallybridge.Posting{At: at, Attempts: 1}); err != nil {
		s.t.Fatal(err)
	}
}

// dayBook is what Tally holds of this book per day: the numbers of the
// vouchers that count (cancelled ones apart), and per item the pieces that
// went out (sales) less those that came back (credit notes).
func (s *crossShop) dayBook(from, to cal.Date) (map[cal.Date][]string, map[cal.Date]map[string]money.Qty, []tallybridge.HeldVoucher) {
	s.t.Helper()
	var set posting.Settings
	var names posting.Names
	if err := s.a.Book.View(func(tx *book.Tx) error {
		var err error
		if set, err = posting.GetSettings(tx); err != nil {
			return err
		}
		names, err = posting.TallyNames(tx)
		return err
	}); err != nil {
		s.t.Fatal(err)
	}
	vs, err := set.Client().Vouchers(context.Background(), from.Time(), to.Time())
	if err != nil {
		s.t.Fatal(err)
	}
	docs := map[cal.Date][]string{}
	out := map[cal.Date]map[string]money.Qty{}
	for _, v := range vs {
		if !names.Ours(v.RemoteID) || v.Cancelled {
			continue
		}
		d, err := tallyDay(v.Date)
		if err != nil {
			s.t.Fatal(err)
		}
		docs[d] = append(docs[d], v.Number)
		sign := money.Qty(0)
		switch v.Type {
		case "Sales":
			sign = 1
		case "Credit Note":
			sign = -1
		}
		for _, l := range v.Lines {
			if out[d] == nil {
				out[d] = map[string]money.Qty{}
			}
			out[d][names.Item(l.Item)] += sign * l.Actual
		}
	}
	for _, ns := range docs {
		sort.Strings(ns)
	}
	return docs, out, vs
}

// A book that cancelled invoices before schema 4 holds them in Tally the
// old way: the sale live, a "-CXL" credit note on the day of cancelling.
// Once upgraded, the next push cancels each sale and deletes each credit
// note; Tally's day book, party balances and stock per day are then the
// book's, and check --cross finds no difference with the book or head
// office.
func TestAnUpgradedBookPutsTallysOldCancellationsRight(t *testing.T) {
	s := newCrossShop(t)
	a := s.bill("2026-11-03", "KVS02", qty("MG100", 30), qty("GD200", 20)) // cancelled on the 5th
	b := s.bill("2026-11-03", "BLR03", qty("CK300", 10))                   // cancelled the same day
	c := s.bill("2026-11-03", "KVS02", qty("CK300", 6))
	if p, err := s.a.PushTally(crossAdmin, true); err != nil || p.Posted != 5 || p.StillFailed+p.StillWaiting != 0 {
		t.Fatalf("push (two GRNs, three invoices) %+v %v", p, err)
	}
	s.cancelOldWay(b.Number, "2026-11-03", true)
	d := s.bill("2026-11-05", "BLR03", qty("MG100", 12))
	e := s.bill("2026-11-05", "KVS02", qty("GD200", 11)) // cancelled, never sent before the upgrade
	if p, err := s.a.PushTally(crossAdmin, true); err != nil || p.Posted != 2 {
		t.Fatalf("push %+v %v", p, err)
	}
	s.cancelOldWay(a.Number, "2026-11-05", true)
	s.cancelOldWay(e.Number, "2026-11-05", false)
	for _, n := range []string{a.Number, b.Number} {
		if s.sim.CountByNumber(n+"-CXL") != 1 {
			t.Fatalf("the old way left no credit note for %s", n)
		}
	}
	if _, _, vs := s.dayBook("2026-11-01", "2026-11-06"); len(vs) != 9 {
		t.Fatalf("before the upgrade Tally holds %d vouchers, want 9 (two GRNs, five sales, two credit notes)", len(vs))
	}

	// the book is opened by a Vitaran with schema 4
	if err := s.a.Book.Update(func(tx *book.Tx) error { return tx.Bucket("meta").Put("schema", []byte("2")) }); err != nil {
		t.Fatal(err)
	}
	s.a.Close()
	up, err := Open(s.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.a = up
	s.on("2026-11-06")
	before := s.sim.Requests()
	p, err := s.a.PushTally(crossAdmin, true)
	if err != nil || p.Posted != 5 || p.StillFailed+p.StillWaiting != 0 || p.Error != "" {
		t.Fatalf("the push after the upgrade: %+v %v", p, err)
	}
	t.Logf("after the upgrade: %d vouchers put right (2 sales cancelled, 2 credit notes deleted, 1 cancellation sent the new way) in %d requests",
		p.Posted, s.sim.Requests()-before)
	s.sync()

	for _, inv := range []billing.Invoice{a, b, e} {
		if v := s.heldSale(inv.Number); !v.Cancelled || v.Date != strings.ReplaceAll(string(inv.Date), "-", "") {
			t.Errorf("%s in Tally after the upgrade: %+v", inv.Number, v)
		}
	}
	if n := s.sim.CountByNumber(a.Number+"-CXL") + s.sim.CountByNumber(b.Number+"-CXL"); n != 0 {
		t.Errorf("Tally still holds %d old credit notes", n)
	}
	docs, moved, _ := s.dayBook("2026-11-01", "2026-11-06")
	want := map[cal.Date][]string{"2026-11-03": {c.Number}, "2026-11-05": {d.Number}}
	for day := cal.Date("2026-11-02"); day <= "2026-11-06"; day = day.AddDays(1) {
		if strings.Join(docs[day], " ") != strings.Join(want[day], " ") {
			t.Errorf("Tally's day book of %s: %v, the book's %v", day, docs[day], want[day])
		}
		var recs []stock.Recon
		if err := s.a.Book.View(func(tx *book.Tx) error {
			var err error
			recs, err = stock.Reconcile(tx, stock.ReconOptions{From: day, To: day})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if got := moved[day][r.Item]; got != r.Sold-r.Returned {
				t.Errorf("%s %s: Tally moves %d pieces out, the book %d", day, r.Item, got, r.Sold-r.Returned)
			}
		}
	}
	for outlet, live := range map[string]billing.Invoice{"Kaveri Stores": c, "Bengaluru Mart": d} {
		if got := s.sim.LedgerTotal(outlet); got != -int64(live.TotalPaise) {
			t.Errorf("%s's ledger in Tally: %d, the book's one live invoice %d", outlet, got, -int64(live.TotalPaise))
		}
	}
	// a push started again changes nothing and sends nothing
	before = s.sim.Requests()
	if p, err := s.a.PushTally(crossAdmin, true); err != nil || p.Posted+p.Failed != 0 || s.sim.Requests() != before {
		t.Fatalf("a second push: %+v %v, %d requests", p, err, s.sim.Requests()-before)
	}

	// vitaran check --cross, as the CLI runs it: the book opened read-only,
	// its invariants checked, then the three sides compared
	s.a.Close()
	ro, err := Open(s.dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	s.a = ro
	s.on("2026-11-06")
	if cr, err := s.a.Check(); err != nil || !cr.OK() {
		t.Fatalf("check after the upgrade: %+v %v", cr, err)
	}
	r, err := s.a.CrossCheckWith(context.Background(), "2026-11-01", "2026-11-30", CrossOptions{})
	if err != nil || !r.OK() || r.HeadOffice != "compared" || r.Tally != "compared" {
		t.Fatalf("check --cross after the upgrade: head office %s, Tally %s, %d differences: %v %v", r.HeadOffice, r.Tally, r.DifferenceCount(), r.Differences, err)
	}
	t.Logf("check --cross: %d cells, %d differences", r.CellCount(), r.DifferenceCount())
}

func (s *crossShop) heldSale(number string) tallybridge.HeldVoucher {
	s.t.Helper()
	_, _, vs := s.dayBook("2026-11-01", "2026-11-30")
	for _, v := range vs {
		if v.Number == number && v.Type == "Sales" {
			return v
		}
	}
	s.t.Fatalf("Tally holds no Sales voucher %s", number)
	return tallybridge.HeldVoucher{}
}
