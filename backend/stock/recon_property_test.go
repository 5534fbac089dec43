package stock

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// A distributor's season in miniature: four items (two whose codes are
// prefixes of each other), three batches each — one expiring inside the
// season — three godowns, dates in any order over three months.
var (
	seasonItems = []string{"SOAP100", "SOAP1000", "TEA250", "DAL1K"}
	seasonFirst = cal.Date("2026-09-20")
	seasonDays  = 82
	seasonGods  = []string{MainGodown, "WH2", DamagedGodown}
)

func seasonBatches() []Batch {
	var out []Batch
	for i, it := range seasonItems {
		for j, exp := range []cal.Date{"2026-10-31", "2027-02-28", "2027-08-31"} {
			out = append(out, Batch{Item: it, Batch: fmt.Sprintf("B%d", j+1), Expiry: exp,
				MRP: money.Paise(5000 + 1000*i + 100*j), Cost: money.Paise(3701 + 517*i + 29*j)})
		}
	}
	return out
}

// ledger is the test's own account of what was posted: the movements with
// the values the test expects, and the balances they leave.
type ledger struct {
	cost  map[string]money.Paise // item \0 batch
	moves []Movement
	bal   map[string]money.Qty // item \0 godown \0 batch
}

func (l *ledger) add(m Movement) {
	m.Value = l.cost[batchKey(m.Item, m.Batch)].MulQty(m.Qty)
	l.moves = append(l.moves, m)
	l.bal[m.Item+"\x00"+m.Godown+"\x00"+m.Batch] += m.Qty
}

// want is the reconciliation worked out from the movements alone.
func (l *ledger) want(item string, from, to cal.Date) Recon {
	r := Recon{Item: item}
	for _, m := range l.moves {
		if m.Item != item || m.Date > to {
			continue
		}
		r.Closing += m.Qty
		r.ClosingValue += m.Value
		if m.Date < from {
			r.Opening += m.Qty
			r.OpeningValue += m.Value
			continue
		}
		switch m.Kind {
		case Purchase:
			r.Received += m.Qty
			r.ReceivedValue += m.Value
		case Sale, SaleCancel:
			r.Sold -= m.Qty
			r.SoldValue -= m.Value
		case SalesReturn:
			r.Returned += m.Qty
			r.ReturnedValue += m.Value
		case PurchaseReturn:
			r.PurchaseReturned -= m.Qty
			r.PurchaseReturnedValue -= m.Value
		default:
			r.Adjusted += m.Qty
			r.AdjustedValue += m.Value
		}
		if m.Qty > 0 && m.Godown == DamagedGodown {
			r.Damaged += m.Qty
			r.DamagedValue += m.Value
		}
	}
	return r
}

func (l *ledger) sales30(item string, to cal.Date) money.Qty {
	var n money.Qty
	from := to.AddDays(-29)
	for _, m := range l.moves {
		if m.Item == item && m.Date >= from && m.Date <= to {
			switch m.Kind {
			case Sale, SaleCancel, SalesReturn:
				n -= m.Qty
			}
		}
	}
	return n
}

// season posts random documents until the ledger holds at least n
// movements, calling checkpoint every so often. Refusals for short stock
// are predicted from the test's own balances.
type season struct {
	t   *testing.T
	rng *rand.Rand
	b   *book.Book
	l   *ledger
	bs  []Batch
}

func newSeason(t *testing.T, b *book.Book, seed uint64) *season {
	s := &season{t: t, rng: rand.New(rand.NewPCG(seed, 42)), b: b, bs: seasonBatches(),
		l: &ledger{cost: map[string]money.Paise{}, bal: map[string]money.Qty{}}}
	update(t, b, func(tx *book.Tx) error {
		for _, bt := range s.bs {
			if _, err := EnsureBatch(tx, bt); err != nil {
				return err
			}
			s.l.cost[batchKey(bt.Item, bt.Batch)] = bt.Cost
		}
		return nil
	})
	return s
}

func (s *season) day() cal.Date { return seasonFirst.AddDays(s.rng.IntN(seasonDays)) }

func (s *season) move(tx *book.Tx, m Movement, allowNegative bool) {
	s.t.Helper()
	cur := s.l.bal[m.Item+"\x00"+m.Godown+"\x00"+m.Batch]
	refuse := m.Qty < 0 && cur+m.Qty < 0 && !allowNegative
	got, err := Move(tx, m, allowNegative)
	if refuse {
		if err == nil {
			s.t.Fatalf("%+v on %d in stock was not refused", m, cur)
		}
		return
	}
	if err != nil {
		s.t.Fatalf("%+v: %v", m, err)
	}
	if want := s.l.cost[batchKey(m.Item, m.Batch)].MulQty(m.Qty); got.Value != want {
		s.t.Fatalf("%+v: value %d, want %d", got, got.Value, want)
	}
	s.l.add(m)
}

// doc posts one document of one to four lines.
func (s *season) doc(tx *book.Tx) {
	r := s.rng
	d := s.day()
	item := seasonItems[r.IntN(len(seasonItems))]
	batchOf := func() string { return s.bs[r.IntN(3)].Batch }
	m := func(kind Kind, godown string, qty money.Qty) Movement {
		return Movement{Date: d, Item: item, Batch: batchOf(), Godown: godown, Qty: qty, Kind: kind, Doc: "D"}
	}
	lines := 1 + r.IntN(4)
	for range lines {
		switch p := r.IntN(100); {
		case p < 18:
			g := MainGodown
			if r.IntN(5) == 0 {
				g = "WH2"
			}
			s.move(tx, m(Purchase, g, money.Qty(1+r.IntN(200))), true)
		case p < 48:
			allow := r.IntN(10) == 0
			picks, short, err := NewAllocator(tx).Pick(item, MainGodown, money.Qty(1+r.IntN(60)), d, "", allow)
			if err != nil {
				s.t.Fatal(err)
			}
			if short > 0 {
				continue // the clerk is told, nothing is posted
			}
			for _, pk := range picks {
				if pk.Expiry < d {
					s.t.Fatalf("sale on %s picked batch %s expired on %s", d, pk.Batch, pk.Expiry)
				}
				s.move(tx, Movement{Date: d, Item: item, Batch: pk.Batch, Godown: MainGodown, Qty: -pk.Qty, Kind: Sale, Doc: "INV"}, allow)
			}
		case p < 53:
			s.move(tx, m(SaleCancel, MainGodown, money.Qty(1+r.IntN(20))), true)
		case p < 60:
			g := MainGodown
			if r.IntN(3) == 0 {
				g = DamagedGodown
			}
			s.move(tx, m(SalesReturn, g, money.Qty(1+r.IntN(15))), true)
		case p < 65:
			s.move(tx, m(PurchaseReturn, MainGodown, -money.Qty(1+r.IntN(40))), false)
		case p < 75:
			q := money.Qty(1 + r.IntN(20))
			if r.IntN(2) == 0 {
				q = -q
			}
			s.move(tx, m(Adjustment, MainGodown, q), false)
		case p < 80:
			q := money.Qty(1 + r.IntN(10))
			if r.IntN(2) == 0 {
				q = -q
			}
			s.move(tx, m(Count, seasonGods[r.IntN(2)], q), true)
		case p < 97:
			kind, from, to := Transfer, MainGodown, "WH2"
			if p >= 90 {
				kind, from, to = Damage, seasonGods[r.IntN(2)], DamagedGodown
			} else if r.IntN(2) == 0 {
				from, to = to, from
			}
			out := m(kind, from, -money.Qty(1+r.IntN(30)))
			if s.l.bal[out.Item+"\x00"+from+"\x00"+out.Batch]+out.Qty < 0 {
				s.move(tx, out, false) // refused: the document stops here
				continue
			}
			in := out
			in.Godown, in.Qty = to, -out.Qty
			s.move(tx, out, false)
			s.move(tx, in, true)
		default:
			s.move(tx, m(Opening, MainGodown, money.Qty(1+r.IntN(50))), true)
		}
	}
}

// post runs documents, a few to a transaction, until the ledger holds at
// least n movements.
func (s *season) post(n int) {
	for len(s.l.moves) < n {
		update(s.t, s.b, func(tx *book.Tx) error {
			for range 8 {
				s.doc(tx)
			}
			return nil
		})
	}
}

// periods are random [from, to], some reaching outside the season.
func (s *season) periods(n int) [][2]cal.Date {
	out := [][2]cal.Date{{seasonFirst.AddDays(-5), seasonFirst.AddDays(seasonDays + 5)}}
	for len(out) < n {
		a := seasonFirst.AddDays(s.rng.IntN(seasonDays+10) - 5)
		b := a.AddDays(s.rng.IntN(60))
		out = append(out, [2]cal.Date{a, b})
	}
	return out
}

// reconcileAll reads the reconciliation of every period.
func reconcileAll(t *testing.T, b *book.Book, periods [][2]cal.Date) [][]Recon {
	t.Helper()
	var out [][]Recon
	view(t, b, func(tx *book.Tx) error {
		for _, p := range periods {
			rs, err := Reconcile(tx, ReconOptions{From: p[0], To: p[1], NearExpiryDays: 60, OverstockDays: 45})
			if err != nil {
				return err
			}
			out = append(out, rs)
		}
		return nil
	})
	return out
}

// verify holds the book against the test's ledger: Check is clean, every
// reconciliation adds up and agrees with the movements, and each item's
// stock on hand is the sum of its movements.
func (s *season) verify(label string) [][2]cal.Date {
	t := s.t
	t.Helper()
	assertWhole(t, s.b)
	periods := s.periods(8)
	got := reconcileAll(t, s.b, periods)
	for i, p := range periods {
		if len(got[i]) != len(seasonItems) {
			t.Fatalf("%s: %s..%s: %d items", label, p[0], p[1], len(got[i]))
		}
		for _, r := range got[i] {
			if q := r.Opening + r.Received - r.Sold + r.Returned - r.PurchaseReturned + r.Adjusted; q != r.Closing {
				t.Fatalf("%s: %s %s..%s: quantities add to %d, closing is %d: %+v", label, r.Item, p[0], p[1], q, r.Closing, r)
			}
			if v := r.OpeningValue + r.ReceivedValue - r.SoldValue + r.ReturnedValue - r.PurchaseReturnedValue + r.AdjustedValue; v != r.ClosingValue {
				t.Fatalf("%s: %s %s..%s: values add to %d, closing is %d", label, r.Item, p[0], p[1], v, r.ClosingValue)
			}
			w := s.l.want(r.Item, p[0], p[1])
			w.Sales30, w.DaysOfCover, w.Overstock = r.Sales30, r.DaysOfCover, r.Overstock
			w.NearExpiry, w.NearExpiryQty, w.Expired = r.NearExpiry, r.NearExpiryQty, r.Expired
			if r != w {
				t.Fatalf("%s: %s %s..%s\n got %+v\nwant %+v", label, r.Item, p[0], p[1], r, w)
			}
			if want := s.l.sales30(r.Item, p[1]); r.Sales30 != want {
				t.Fatalf("%s: %s to %s: sales in 30 days %d, want %d", label, r.Item, p[1], r.Sales30, want)
			}
		}
	}
	view(t, s.b, func(tx *book.Tx) error {
		for _, it := range seasonItems {
			w := s.l.want(it, seasonFirst, seasonFirst.AddDays(seasonDays))
			if got := ItemTotal(tx, it); got != (Total{Qty: w.Closing, Value: w.ClosingValue}) {
				t.Fatalf("%s: %s on hand %+v, movements give %d (%d paise)", label, it, got, w.Closing, w.ClosingValue)
			}
		}
		return nil
	})
	return periods
}

func foldedUpTo(t *testing.T, b *book.Book) (folded, last uint64) {
	view(t, b, func(tx *book.Tx) (err error) {
		folded, err = foldMark(tx, false)
		last = LastSeq(tx)
		return err
	})
	return
}

func TestReconciliationAddsUpOverASeasonOfRandomPostings(t *testing.T) {
	path := filepath.Join(t.TempDir(), book.FileName)
	b, err := book.Open(path, book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s := newSeason(t, b, 20261001)
	for _, n := range []int{300, 1500, 3000, 4000, 4300, 6000, 8000, 8500, 9500} {
		s.post(n)
		folded, last := foldedUpTo(t, b)
		if want := last / FoldEvery * FoldEvery; folded != want {
			t.Fatalf("after %d movements the totals are folded up to %d, want %d", last, folded, want)
		}
		s.verify(fmt.Sprintf("after %d movements", last))
	}
	if folded, _ := foldedUpTo(t, b); folded < 2*FoldEvery {
		t.Fatalf("the totals were caught up only to %d: the test never crossed two folds", folded)
	}

	// the same answers with the tail read from the ledger and folded in
	periods := s.periods(12)
	before := reconcileAll(t, b, periods)
	update(t, b, Fold)
	if folded, last := foldedUpTo(t, b); folded != last {
		t.Fatalf("Fold left the mark at %d of %d", folded, last)
	}
	if after := reconcileAll(t, b, periods); !reflect.DeepEqual(before, after) {
		t.Fatal("reconciliation changed when the waiting movements were folded in")
	}
	s.verify("after Fold")

	// and the same after the book is closed and opened again
	b.Close()
	if s.b, err = book.Open(path, book.Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.b.Close()
	if again := reconcileAll(t, s.b, periods); !reflect.DeepEqual(before, again) {
		t.Fatal("reconciliation changed when the book was reopened")
	}
	s.post(len(s.l.moves) + 500)
	s.verify("after reopening and posting more")

	kinds := map[Kind]int{}
	for _, m := range s.l.moves {
		kinds[m.Kind]++
	}
	for _, k := range Kinds {
		if kinds[k] == 0 {
			t.Errorf("the season never posted a %s", k)
		}
	}
	t.Logf("%d movements: %v", len(s.l.moves), kinds)
}
