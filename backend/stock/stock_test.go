package stock

import (
	"path/filepath"
	"reflect"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

// openBook opens a real book file in a temp dir. NoSync only spares the
// tests an fsync per transaction; everything else is the book as shipped.
func openBook(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func update(t *testing.T, b *book.Book, fn func(tx *book.Tx) error) {
	t.Helper()
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, b *book.Book, fn func(tx *book.Tx) error) {
	t.Helper()
	if err := b.View(fn); err != nil {
		t.Fatal(err)
	}
}

// receive creates the batch (if new) and puts qty of it into godown.
func receive(t *testing.T, b *book.Book, date cal.Date, bt Batch, godown string, qty money.Qty) {
	t.Helper()
	update(t, b, func(tx *book.Tx) error {
		if _, err := EnsureBatch(tx, bt); err != nil {
			return err
		}
		_, err := Move(tx, Movement{Date: date, Item: bt.Item, Batch: bt.Batch, Godown: godown, Qty: qty, Kind: Purchase, Doc: "PUR"}, false)
		return err
	})
}

// shift moves qty of a batch from one godown to another as two movements of
// one kind, the way a transfer or damage document posts them.
func shift(tx *book.Tx, date cal.Date, kind Kind, item, batch, from, to string, qty money.Qty) error {
	if _, err := Move(tx, Movement{Date: date, Item: item, Batch: batch, Godown: from, Qty: -qty, Kind: kind, Doc: "TRF"}, false); err != nil {
		return err
	}
	_, err := Move(tx, Movement{Date: date, Item: item, Batch: batch, Godown: to, Qty: qty, Kind: kind, Doc: "TRF"}, true)
	return err
}

func balanceOf(t *testing.T, b *book.Book, item, godown, batch string) Balance {
	t.Helper()
	var bal Balance
	view(t, b, func(tx *book.Tx) (err error) { bal, err = BalanceOf(tx, item, godown, batch); return err })
	return bal
}

func reconOf(t *testing.T, b *book.Book, o ReconOptions) Recon {
	t.Helper()
	var rs []Recon
	view(t, b, func(tx *book.Tx) (err error) { rs, err = Reconcile(tx, o); return err })
	if len(rs) != 1 {
		t.Fatalf("reconcile %s: %d rows, want 1", o.Item, len(rs))
	}
	return rs[0]
}

func assertWhole(t *testing.T, b *book.Book) {
	t.Helper()
	view(t, b, func(tx *book.Tx) error {
		problems, err := Check(tx)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			t.Fatalf("stock book not whole:\n%v", problems)
		}
		return nil
	})
}

// Batch numbers sort opposite to their expiry, so FEFO cannot pass by
// following the batch number.
var (
	soapLate  = Batch{Item: "SOAP", Batch: "A-LATE", Expiry: "2027-06-30", MRP: 4500, Cost: 3712}
	soapEarly = Batch{Item: "SOAP", Batch: "Z-EARLY", Expiry: "2027-01-31", MRP: 4500, Cost: 3650}
	soapOld   = Batch{Item: "SOAP", Batch: "OLD", Expiry: "2026-10-31", MRP: 4200, Cost: 3400}
)

func pick(t *testing.T, b *book.Book, item string, qty money.Qty, d cal.Date, batch string, allowNegative bool) ([]Pick, money.Qty) {
	t.Helper()
	var picks []Pick
	var short money.Qty
	view(t, b, func(tx *book.Tx) (err error) {
		picks, short, err = NewAllocator(tx).Pick(item, MainGodown, qty, d, batch, allowNegative)
		return err
	})
	return picks, short
}

func TestFEFOTakesTheBatchExpiringFirst(t *testing.T) {
	b := openBook(t)
	receive(t, b, "2026-10-01", soapLate, MainGodown, 100)
	receive(t, b, "2026-10-01", soapEarly, MainGodown, 30)

	picks, short := pick(t, b, "SOAP", 20, "2026-11-01", "", false)
	want := []Pick{{Batch: "Z-EARLY", Expiry: "2027-01-31", MRP: 4500, Godown: MainGodown, Qty: 20}}
	if short != 0 || !reflect.DeepEqual(picks, want) {
		t.Fatalf("20 pieces: got %+v short %d, want %+v", picks, short, want)
	}
}

func TestFEFOSplitsALineAcrossBatchesWhenTheFirstIsShort(t *testing.T) {
	b := openBook(t)
	receive(t, b, "2026-10-01", soapLate, MainGodown, 100)
	receive(t, b, "2026-10-01", soapEarly, MainGodown, 30)

	picks, short := pick(t, b, "SOAP", 50, "2026-11-01", "", false)
	want := []Pick{
		{Batch: "Z-EARLY", Expiry: "2027-01-31", MRP: 4500, Godown: MainGodown, Qty: 30},
		{Batch: "A-LATE", Expiry: "2027-06-30", MRP: 4500, Godown: MainGodown, Qty: 20},
	}
	if short != 0 || !reflect.DeepEqual(picks, want) {
		t.Fatalf("50 pieces: got %+v short %d, want %+v", picks, short, want)
	}
}

func TestTwoLinesOfOneItemDoNotCountTheSameStockTwice(t *testing.T) {
	b := openBook(t)
	receive(t, b, "2026-10-01", soapEarly, MainGodown, 30)
	receive(t, b, "2026-10-01", soapLate, MainGodown, 10)
	view(t, b, func(tx *book.Tx) error {
		a := NewAllocator(tx)
		first, short1, _ := a.Pick("SOAP", MainGodown, 25, "2026-11-01", "", false)
		second, short2, _ := a.Pick("SOAP", MainGodown, 25, "2026-11-01", "", false)
		if short1 != 0 || len(first) != 1 || first[0].Qty != 25 {
			t.Fatalf("first line: %+v short %d", first, short1)
		}
		want := []Pick{
			{Batch: "Z-EARLY", Expiry: "2027-01-31", MRP: 4500, Godown: MainGodown, Qty: 5},
			{Batch: "A-LATE", Expiry: "2027-06-30", MRP: 4500, Godown: MainGodown, Qty: 10},
		}
		if short2 != 10 || !reflect.DeepEqual(second, want) {
			t.Fatalf("second line: got %+v short %d, want %+v short 10", second, short2, want)
		}
		if got := a.Available("SOAP", MainGodown, "2026-11-01"); got != 0 {
			t.Fatalf("available after both lines: %d", got)
		}
		return nil
	})
}

func TestAnExpiredBatchIsNeverPicked(t *testing.T) {
	b := openBook(t)
	receive(t, b, "2026-09-01", soapOld, MainGodown, 50)
	receive(t, b, "2026-09-01", soapEarly, MainGodown, 10)

	// on its expiry date a batch is still sellable
	picks, short := pick(t, b, "SOAP", 30, "2026-10-31", "", false)
	if short != 0 || len(picks) != 1 || picks[0].Batch != "OLD" || picks[0].Qty != 30 {
		t.Fatalf("on the expiry date: %+v short %d", picks, short)
	}
	// the day after, only the live batch counts; the 20 missing are short
	picks, short = pick(t, b, "SOAP", 30, "2026-11-01", "", false)
	want := []Pick{{Batch: "Z-EARLY", Expiry: "2027-01-31", MRP: 4500, Godown: MainGodown, Qty: 10}}
	if short != 20 || !reflect.DeepEqual(picks, want) {
		t.Fatalf("the day after: got %+v short %d, want %+v short 20", picks, short, want)
	}
	// even when negative stock is allowed, the shortfall lands on the live batch
	picks, short = pick(t, b, "SOAP", 30, "2026-11-01", "", true)
	want[0].Qty = 30
	if short != 0 || !reflect.DeepEqual(picks, want) {
		t.Fatalf("negative allowed: got %+v short %d, want %+v", picks, short, want)
	}
	view(t, b, func(tx *book.Tx) error {
		if got := NewAllocator(tx).Available("SOAP", MainGodown, "2026-11-01"); got != 10 {
			t.Fatalf("available on 01-11-2026: %d, want 10 (the expired 50 do not count)", got)
		}
		return nil
	})
}

func TestANamedBatchIsTakenFromThatBatchOrRefused(t *testing.T) {
	b := openBook(t)
	receive(t, b, "2026-09-01", soapOld, MainGodown, 50)
	receive(t, b, "2026-10-01", soapEarly, MainGodown, 30)
	receive(t, b, "2026-10-01", soapLate, MainGodown, 100)

	picks, short := pick(t, b, "SOAP", 10, "2026-11-01", "A-LATE", false)
	want := []Pick{{Batch: "A-LATE", Expiry: "2027-06-30", MRP: 4500, Godown: MainGodown, Qty: 10}}
	if short != 0 || !reflect.DeepEqual(picks, want) {
		t.Fatalf("named batch: got %+v short %d, want %+v (not the earlier expiry)", picks, short, want)
	}
	// more than the batch holds: the rest is short, never taken from another batch
	picks, short = pick(t, b, "SOAP", 40, "2026-11-01", "Z-EARLY", false)
	want = []Pick{{Batch: "Z-EARLY", Expiry: "2027-01-31", MRP: 4500, Godown: MainGodown, Qty: 30}}
	if short != 10 || !reflect.DeepEqual(picks, want) {
		t.Fatalf("named batch short: got %+v short %d, want %+v short 10", picks, short, want)
	}

	for _, c := range []struct {
		batch, want string
	}{
		{"OLD", "batch: batch OLD of SOAP expired on 31-10-2026: it cannot be sold"},
		{"NOPE", "batch: batch NOPE of SOAP does not exist"},
	} {
		err := b.View(func(tx *book.Tx) error {
			_, _, err := NewAllocator(tx).Pick("SOAP", MainGodown, 5, "2026-11-01", c.batch, false)
			return err
		})
		if err == nil || err.Error() != c.want || !fail.Is(err, fail.KindInvalid) {
			t.Errorf("batch %s: got %v, want %q", c.batch, err, c.want)
		}
	}
}

func TestStockCannotGoNegativeUnlessTheCompanyAllowsIt(t *testing.T) {
	b := openBook(t)
	bt := Batch{Item: "TEA250", Batch: "T1", Expiry: "2027-03-31", MRP: 14000, Cost: 11237}
	receive(t, b, "2026-10-01", bt, MainGodown, 5)

	sell := func(allow bool) error {
		return b.Update(func(tx *book.Tx) error {
			_, err := Move(tx, Movement{Date: "2026-10-02", Item: "TEA250", Batch: "T1", Godown: MainGodown, Qty: -8, Kind: Sale, Doc: "INV1"}, allow)
			return err
		})
	}
	err := sell(false)
	const want = "qty: TEA250 batch T1 in MAIN: only 5 in stock, 3 short"
	if err == nil || err.Error() != want || !fail.Is(err, fail.KindConflict) {
		t.Fatalf("got %v, want %q", err, want)
	}
	if got := balanceOf(t, b, "TEA250", MainGodown, "T1"); got.Qty != 5 || got.Value != 5*11237 {
		t.Fatalf("a refused sale changed the balance: %+v", got)
	}
	var last uint64
	view(t, b, func(tx *book.Tx) error { last = LastSeq(tx); return nil })
	if last != 1 {
		t.Fatalf("a refused sale reached the ledger: last movement %d", last)
	}

	if err := sell(true); err != nil {
		t.Fatal(err)
	}
	if got := balanceOf(t, b, "TEA250", MainGodown, "T1"); got.Qty != -3 || got.Value != -3*11237 || got.MRP != 14000 {
		t.Fatalf("allowed negative: %+v, want -3 at cost", got)
	}
	assertWhole(t, b)
}

func TestABatchNumberNamesOneLotItsMRPAndExpiryCannotSilentlyChange(t *testing.T) {
	b := openBook(t)
	bt := Batch{Item: "SOAP", Batch: "B1", Expiry: "2027-03-31", MRP: 1000, Cost: 812}
	receive(t, b, "2026-10-01", bt, MainGodown, 10)

	for _, c := range []struct {
		name   string
		change func(*Batch)
		want   string
	}{
		{"a new MRP", func(x *Batch) { x.MRP = 1200 }, "mrp_paise: batch B1 of SOAP has MRP ₹10.00, not ₹12.00"},
		{"a new expiry", func(x *Batch) { x.Expiry = "2027-04-30" }, "expiry: batch B1 of SOAP expires on 31-03-2027, not 30-04-2027"},
	} {
		x := bt
		c.change(&x)
		err := b.Update(func(tx *book.Tx) error { _, err := EnsureBatch(tx, x); return err })
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	// a second receipt at another rate keeps the first receipt's cost
	x := bt
	x.Cost = 900
	var got Batch
	update(t, b, func(tx *book.Tx) (err error) { got, err = EnsureBatch(tx, x); return err })
	if got != bt {
		t.Fatalf("stored batch %+v, want %+v", got, bt)
	}
}

func TestATransferMovesStockBetweenGodownsWithoutChangingTheItemTotal(t *testing.T) {
	b := openBook(t)
	bt := Batch{Item: "DAL1K", Batch: "D7", Expiry: "2027-05-31", MRP: 16000, Cost: 13333}
	receive(t, b, "2026-10-01", bt, MainGodown, 100)
	update(t, b, func(tx *book.Tx) error {
		return shift(tx, "2026-10-05", Transfer, "DAL1K", "D7", MainGodown, "WH2", 40)
	})

	if got := balanceOf(t, b, "DAL1K", MainGodown, "D7"); got.Qty != 60 || got.Value != 60*13333 {
		t.Errorf("MAIN: %+v", got)
	}
	if got := balanceOf(t, b, "DAL1K", "WH2", "D7"); got.Qty != 40 || got.Value != 40*13333 {
		t.Errorf("WH2: %+v", got)
	}
	view(t, b, func(tx *book.Tx) error {
		if got := ItemTotal(tx, "DAL1K"); got != (Total{Qty: 100, Value: 100 * 13333}) {
			t.Errorf("item total %+v", got)
		}
		return nil
	})
	r := reconOf(t, b, ReconOptions{From: "2026-10-01", To: "2026-10-31", Item: "DAL1K"})
	if r.Received != 100 || r.Adjusted != 0 || r.AdjustedValue != 0 || r.Damaged != 0 || r.Closing != 100 || r.ClosingValue != 100*13333 {
		t.Errorf("reconciliation %+v", r)
	}
	assertWhole(t, b)
}

func TestDamagedAndExpiredStockGoesToTheDamagedGodown(t *testing.T) {
	b := openBook(t)
	receive(t, b, "2026-09-01", soapOld, MainGodown, 20)
	receive(t, b, "2026-10-01", soapLate, MainGodown, 100)
	update(t, b, func(tx *book.Tx) error {
		if err := shift(tx, "2026-11-03", Damage, "SOAP", "A-LATE", MainGodown, DamagedGodown, 7); err != nil {
			return err // torn cartons
		}
		return shift(tx, "2026-11-03", Damage, "SOAP", "OLD", MainGodown, DamagedGodown, 20) // expired
	})

	if got := balanceOf(t, b, "SOAP", DamagedGodown, "A-LATE"); got.Qty != 7 {
		t.Errorf("damaged A-LATE: %+v", got)
	}
	if got := balanceOf(t, b, "SOAP", DamagedGodown, "OLD"); got.Qty != 20 {
		t.Errorf("damaged OLD: %+v", got)
	}
	view(t, b, func(tx *book.Tx) error {
		if got := NewAllocator(tx).Available("SOAP", MainGodown, "2026-11-03"); got != 93 {
			t.Errorf("saleable: %d, want 93", got)
		}
		return nil
	})
	r := reconOf(t, b, ReconOptions{From: "2026-11-01", To: "2026-11-30", Item: "SOAP", NearExpiryDays: 60})
	want := Recon{Item: "SOAP",
		Opening: 120, OpeningValue: 20*3400 + 100*3712,
		Damaged: 27, DamagedValue: 7*3712 + 20*3400,
		Closing: 120, ClosingValue: 20*3400 + 100*3712,
		Overstock: true, // stock and no sales
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("reconciliation\n got %+v\nwant %+v", r, want)
	}
	assertWhole(t, b)
}
