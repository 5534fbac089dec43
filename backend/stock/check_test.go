package stock

import (
	"fmt"
	"reflect"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/money"
)

func problemsOf(t *testing.T, b *book.Book) []string {
	t.Helper()
	var problems []string
	view(t, b, func(tx *book.Tx) (err error) { problems, err = Check(tx); return err })
	return problems
}

func TestCheckFindsNothingWrongAfterRandomPostings(t *testing.T) {
	b := openBook(t)
	s := newSeason(t, b, 7)
	s.post(FoldEvery + 700) // one fold, and movements waiting after it
	if p := problemsOf(t, b); len(p) > 0 {
		t.Fatalf("with movements waiting: %v", p)
	}
	update(t, b, Fold)
	if p := problemsOf(t, b); len(p) > 0 {
		t.Fatalf("after Fold: %v", p)
	}
}

// Each case writes one wrong value straight into a bucket and expects Check
// to name exactly that record.
func TestCheckNamesTheRecordThatDisagreesWithTheLedger(t *testing.T) {
	b := openBook(t)
	s := newSeason(t, b, 11)
	s.post(1500)
	update(t, b, Fold)

	var someDay string // a day SOAP1000 moved on
	for _, m := range s.l.moves {
		if m.Item == "SOAP1000" {
			someDay = string(m.Date)
			break
		}
	}
	cases := []struct {
		name   string
		bucket string
		key    string
		spoil  func(v []byte) ([]byte, string)
	}{
		{"a balance one piece too many", bBal, balKey("TEA250", MainGodown, "2027-02-28", "B2"), func(v []byte) ([]byte, string) {
			bal := decBal(v)
			bad := bal
			bad.Qty++
			return encBal(bad), fmt.Sprintf("balance TEA250 MAIN 2027-02-28 B2: book has %d (₹%s), movements give %d (₹%s)",
				bal.Qty+1, bal.Value, bal.Qty, bal.Value)
		}},
		{"a balance worth a paisa more", bBal, balKey("DAL1K", "WH2", "2027-08-31", "B3"), func(v []byte) ([]byte, string) {
			bal := decBal(v)
			bad := bal
			bad.Value++
			return encBal(bad), fmt.Sprintf("balance DAL1K WH2 2027-08-31 B3: book has %d (₹%s), movements give %d (₹%s)",
				bal.Qty, bal.Value+1, bal.Qty, bal.Value)
		}},
		{"a daily total with a sale too many", bDay, "", nil}, // the day is one SOAP1000 moved on: set below
		{"a monthly total", bMonth, "SOAP100\x002026-10", func(v []byte) ([]byte, string) {
			tot, err := decTotals(v)
			if err != nil {
				t.Fatal(err)
			}
			tot[kindIndex(Purchase)][1] += 100
			return encTotals(&tot), "monthly total SOAP100 2026-10: book and movements differ"
		}},
		{"an item total", bItem, "DAL1K", func(v []byte) ([]byte, string) {
			tot := decTotal(v)
			bad := tot
			bad.Qty -= 2
			return encTotal(bad), fmt.Sprintf("item total DAL1K: book has %d (₹%s), movements give %d (₹%s)", bad.Qty, tot.Value, tot.Qty, tot.Value)
		}},
	}
	cases[2].key = "SOAP1000\x00" + someDay
	cases[2].spoil = func(v []byte) ([]byte, string) {
		tot, err := decTotals(v)
		if err != nil {
			t.Fatal(err)
		}
		tot[kindIndex(Sale)][0]--
		return encTotals(&tot), "daily total SOAP1000 " + someDay + ": book and movements differ"
	}

	for _, c := range cases {
		var good []byte
		var want string
		update(t, b, func(tx *book.Tx) error {
			bk := tx.Bucket(c.bucket)
			v := bk.Get(c.key)
			if v == nil {
				t.Fatalf("%s: no record at %q", c.name, c.key)
			}
			good = append([]byte(nil), v...)
			var bad []byte
			bad, want = c.spoil(good)
			return bk.Put(c.key, bad)
		})
		if got := problemsOf(t, b); !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
		}
		update(t, b, func(tx *book.Tx) error { return tx.Bucket(c.bucket).Put(c.key, good) })
		if got := problemsOf(t, b); len(got) > 0 {
			t.Fatalf("%s put back: %v", c.name, got)
		}
	}
}

func TestCheckNamesABalanceThatVanished(t *testing.T) {
	b := openBook(t)
	bt := Batch{Item: "SOAP", Batch: "B1", Expiry: "2027-03-31", MRP: 1000, Cost: 812}
	receive(t, b, "2026-10-01", bt, MainGodown, 10)
	update(t, b, func(tx *book.Tx) error { return tx.Bucket(bBal).Delete(balKey("SOAP", MainGodown, bt.Expiry, "B1")) })
	want := []string{"balance SOAP MAIN 2027-03-31 B1: missing, movements give 10 (₹" + money.Paise(8120).String() + ")"}
	if got := problemsOf(t, b); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
