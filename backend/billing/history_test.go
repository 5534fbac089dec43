package billing

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// seedMasters writes a distributor's masters the way the demo does: brands
// of items across GST rates, outlets on beats, some in another state.
func seedMasters(t testing.TB, b *book.Book, nItems, nOutlets int) {
	t.Helper()
	brands := []string{"Britannia", "HUL", "Dabur", "ITC", "Nestle", "Marico", "Colgate", "Parle", "Emami", "Godrej", "Wipro", "Tata"}
	rates := []money.BP{500, 500, 500, 1800, 1800, 1200}
	err := b.Update(func(tx *book.Tx) error {
		if err := masters.EnsureDefaults(tx); err != nil {
			return err
		}
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33", GSTIN: GSTIN("33", "AAAPM1234C")}); err != nil {
			return err
		}
		for i := 0; i < nItems; i++ {
			price := money.Paise(500 + (i*37)%20000)
			it := masters.Item{Code: fmt.Sprintf("SKU%05d", i), Name: fmt.Sprintf("Item %d", i), Brand: brands[i%len(brands)],
				Category: "Cat" + fmt.Sprint(i%9) + "/Sub" + fmt.Sprint(i%3), HSN: "19053100", GSTRateBP: rates[i%len(rates)],
				MRPPaise: price * 13 / 10, CaseSize: int64([]int{6, 12, 24, 48}[i%4]), PricePaise: price, Active: true}
			if _, err := masters.CreateItem(tx, it, "2025-01-01"); err != nil {
				return err
			}
		}
		for i := 0; i < max(1, nOutlets/40); i++ {
			if _, err := masters.CreateBeat(tx, masters.Beat{Code: fmt.Sprintf("BEAT%03d", i), Name: "Beat", Weekday: "Monday"}); err != nil {
				return err
			}
		}
		for i := 0; i < nOutlets; i++ {
			o := masters.Outlet{Code: fmt.Sprintf("OUT%05d", i), Name: fmt.Sprintf("Outlet %d", i), StateCode: "33",
				Beat: fmt.Sprintf("BEAT%03d", i%max(1, nOutlets/40)), Active: true, CreditDays: 14}
			if i%3 == 0 {
				o.GSTIN = GSTIN("33", fmt.Sprintf("ABCDE%04dF", i%10000))
			}
			if i%50 == 7 {
				o.StateCode, o.GSTIN = "29", GSTIN("29", fmt.Sprintf("ABCDE%04dF", i%10000))
			}
			if _, err := masters.CreateOutlet(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestGeneratedHistoryIsDeterministicAndPassesCheck(t *testing.T) {
	gen := func() (HistoryStats, []stock.Recon) {
		b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		seedMasters(t, b, 60, 40)
		st, err := GenerateHistory(b, HistoryOptions{Seed: 7, To: "2026-11-25", Days: 45, InvoicesPerDay: 20, LinesPerInvoice: 6})
		if err != nil {
			t.Fatal(err)
		}
		checkBook(t, b)
		var rec []stock.Recon
		b.View(func(tx *book.Tx) error {
			rec, err = stock.Reconcile(tx, stock.ReconOptions{From: "2026-11-01", To: "2026-11-25", NearExpiryDays: 60, OverstockDays: 45})
			return err
		})
		return st, rec
	}
	s1, r1 := gen()
	s2, r2 := gen()
	j1, _ := json.Marshal(r1)
	j2, _ := json.Marshal(r2)
	if s1 != s2 || string(j1) != string(j2) {
		t.Fatalf("two runs differ: %+v / %+v", s1, s2)
	}
	if s1.Invoices < 800 || s1.Returns == 0 || s1.Receipts == 0 || s1.Purchases == 0 || s1.StockDocs == 0 {
		t.Fatalf("thin history %+v", s1)
	}
	for _, r := range r1 {
		if r.Opening+r.Received-r.Sold+r.Returned-r.PurchaseReturned+r.Adjusted != r.Closing ||
			r.OpeningValue+r.ReceivedValue-r.SoldValue+r.ReturnedValue-r.PurchaseReturnedValue+r.AdjustedValue != r.ClosingValue {
			t.Fatalf("%s does not reconcile: %+v", r.Item, r)
		}
	}
	t.Logf("%+v", s1)
}

// The daily and monthly totals take movements in batches (stock.FoldEvery):
// a reconciliation reads the same whether the last movements are folded in
// or still waiting in the ledger, and Check passes either way.
func TestReconciliationIsTheSameBeforeAndAfterAFold(t *testing.T) {
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	seedMasters(t, b, 60, 40)
	if _, err := GenerateHistory(b, HistoryOptions{Seed: 3, To: "2026-11-25", Days: 75, InvoicesPerDay: 20, LinesPerInvoice: 6}); err != nil {
		t.Fatal(err)
	}
	periods := [][2]string{{"2026-11-01", "2026-11-25"}, {"2026-10-03", "2026-11-17"}, {"2026-09-12", "2026-09-12"}, {"2026-11-25", "2026-11-25"}}
	recon := func() string {
		var out []stock.Recon
		err := b.View(func(tx *book.Tx) error {
			for _, p := range periods {
				r, err := stock.Reconcile(tx, stock.ReconOptions{From: cal.Date(p[0]), To: cal.Date(p[1]), NearExpiryDays: 60, OverstockDays: 45})
				if err != nil {
					return err
				}
				out = append(out, r...)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(out)
		return string(j)
	}
	var moves uint64
	b.View(func(tx *book.Tx) error { moves = stock.LastSeq(tx); return nil })
	if moves < 2*stock.FoldEvery {
		t.Fatalf("only %d movements: the history should fold at least twice", moves)
	}
	checkBook(t, b)
	before := recon()
	if err := b.Update(stock.Fold); err != nil {
		t.Fatal(err)
	}
	checkBook(t, b)
	if after := recon(); after != before {
		t.Fatalf("folding changed the reconciliation:\n%s\n%s", before, after)
	}
}
