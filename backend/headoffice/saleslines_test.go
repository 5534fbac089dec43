package headoffice

import (
	"encoding/json"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

func ingestLines(t *testing.T, st *BookStore, id string, lines []wire.SalesLine) wire.Ack {
	t.Helper()
	b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: id, Kind: wire.KindDelta, PeriodFrom: "2025-10-06", PeriodTo: "2025-10-07", CreatedAt: time.Now()}, SalesLines: lines}
	body, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	dec, err := wire.DecodeBatch(body, wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ack, _, err := st.Ingest(dec, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ack
}

func rawLines(t *testing.T, st *BookStore, from, to cal.Date) (map[string]int, money.Paise) {
	t.Helper()
	got := map[string]int{}
	var taxable money.Paise
	if err := st.SalesLines("D001", from, to, func(l wire.SalesLine) error { got[l.Key()]++; taxable += l.TaxablePaise; return nil }); err != nil {
		t.Fatal(err)
	}
	return got, taxable
}

// A batch that resends some lines already held keeps only its new ones, and
// the raw lines read back each once, whichever batch brought them.
func TestSalesLinesResentInAPartlyNewBatchAreHeldOnce(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: wire.NewKey()})
	g := wiretest.NewGen("D001", 9)
	day1, _ := g.Day("2025-10-06", 20)
	day2, _ := g.Day("2025-10-07", 20)
	if ack := ingestLines(t, st, "B1", day1); ack.New[wire.PartSalesLines] != len(day1) {
		t.Fatalf("first batch: %+v", ack)
	}
	// The second carries day 1 again (a full refresh), day 2, and one of
	// day 2's lines twice.
	both := append(append(append([]wire.SalesLine{}, day1...), day2...), day2[3])
	if ack := ingestLines(t, st, "B2", both); ack.New[wire.PartSalesLines] != len(day2) || ack.Received[wire.PartSalesLines] != len(both) {
		t.Fatalf("second batch: new %d of %d; want %d new", ack.New[wire.PartSalesLines], ack.Received[wire.PartSalesLines], len(day2))
	}
	var want money.Paise
	for _, l := range append(append([]wire.SalesLine{}, day1...), day2...) {
		want += l.TaxablePaise
	}
	got, taxable := rawLines(t, st, "2025-10-01", "2025-10-31")
	if len(got) != len(day1)+len(day2) || taxable != want {
		t.Fatalf("raw lines: %d keys, %s; want %d, %s", len(got), taxable, len(day1)+len(day2), want)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("line %s read %d times", k, n)
		}
	}
	if got, _ := rawLines(t, st, "2025-10-07", "2025-10-07"); len(got) != len(day2) {
		t.Errorf("day 2 alone: %d lines, want %d", len(got), len(day2))
	}
	if d, _, _ := st.Distributor("D001"); d.SalesLines != len(day1)+len(day2) || d.SalesTaxablePaise != want {
		t.Errorf("stats: %d lines %s", d.SalesLines, d.SalesTaxablePaise)
	}
}

// Lines an older receiver stored one key each are still read, and still
// recognised when they are sent again.
func TestSalesLinesStoredOneKeyEachAreStillHeld(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: wire.NewKey()})
	g := wiretest.NewGen("D001", 4)
	old, _ := g.Day("2025-10-06", 10)
	if err := st.b.Update(func(tx *book.Tx) error {
		for i := range old {
			raw, _ := json.Marshal(&old[i])
			if err := tx.Bucket(bLines).Put("D001"+sep+old[i].Key(), raw); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	more, _ := g.Day("2025-10-07", 10)
	ack := ingestLines(t, st, "B9", append(append([]wire.SalesLine{}, old...), more...))
	if ack.New[wire.PartSalesLines] != len(more) {
		t.Fatalf("new %d; want %d (the old lines are held already)", ack.New[wire.PartSalesLines], len(more))
	}
	got, _ := rawLines(t, st, "2025-10-01", "2025-10-31")
	if len(got) != len(old)+len(more) {
		t.Fatalf("raw lines: %d, want %d", len(got), len(old)+len(more))
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("line %s read %d times", k, n)
		}
	}
}
