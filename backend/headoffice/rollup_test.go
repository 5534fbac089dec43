package headoffice

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// A store written before rollups were packed by day opens with the same
// cells, now one key per distributor and day.
func TestOpenPacksRollupsWrittenOneKeyPerCell(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := map[string]Sum{
		"D001" + sep + "2025-10-06" + sep + "BR00001": {Lines: 2, Qty: 24, Taxable: 120_000, Tax: 6_000},
		"D001" + sep + "2025-10-06" + sep + "BR00002": {Lines: 1, Qty: 6, Taxable: 30_050},
		"D001" + sep + "2025-10-07" + sep + "BR00001": {Lines: -1, Qty: -12, Taxable: -60_000},
		"D002" + sep + "2025-10-06" + sep + "BR00001": {Lines: 1, Qty: 1, Taxable: 999},
	}
	if err := st.b.Update(func(tx *book.Tx) error {
		bk := tx.Bucket(legacyRollupBucket(RollSalesSKU))
		for k, s := range old {
			if err := bk.Put(k, s.marshal()); err != nil {
				return err
			}
		}
		return tx.Bucket(legacyRollupBucket(RollSalesDist)).Put("D001"+sep+"2025-10-06", (&Sum{Lines: 3, Taxable: 150_050}).marshal())
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st, err = OpenStore(dir, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := map[string]Sum{}
	for _, code := range []string{"D001", "D002"} {
		st.ScanRollup(RollSalesSKU, code, "2025-10-01", "2025-10-31", func(day cal.Date, sku string, s Sum) error {
			got[code+sep+string(day)+sep+sku] = s
			return nil
		})
	}
	if len(got) != len(old) {
		t.Fatalf("packed %d cells, want %d: %v", len(got), len(old), got)
	}
	for k, s := range old {
		if got[k] != s {
			t.Errorf("cell %q: %+v, want %+v", k, got[k], s)
		}
	}
	var dist Sum
	st.ScanRollup(RollSalesDist, "D001", "2025-10-06", "2025-10-06", func(_ cal.Date, dim string, s Sum) error {
		if dim != "" {
			t.Errorf("distributor rollup has dim %q", dim)
		}
		dist.Add(s)
		return nil
	})
	if dist.Taxable != 150_050 || dist.Lines != 3 {
		t.Errorf("distributor day: %+v", dist)
	}
	var month Sum
	st.ScanMonths(RollSalesDist, "D001", "2025-10-01", "2025-10-01", func(_ cal.Date, _ string, s Sum) error { month.Add(s); return nil })
	if month != dist {
		t.Errorf("the packed days' month: %+v, days %+v", month, dist)
	}
	st.b.View(func(tx *book.Tx) error {
		if n := tx.Bucket(legacyRollupBucket(RollSalesSKU)).Len(); n != 0 {
			t.Errorf("%d cells left in the one-key-per-cell bucket", n)
		}
		return nil
	})
}

// A store written before month cells gets them on open, made from its day
// cells: the same as ingest keeps them.
func TestOpenBuildsMonthCellsFromTheDays(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: wire.NewKey()})
	g := wiretest.NewGen("D001", 1)
	b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: "2025-10-30", PeriodTo: "2025-11-01"}}
	for _, d := range []cal.Date{"2025-10-30", "2025-10-31", "2025-11-01"} {
		ls, rs := g.Day(d, 20)
		b.SalesLines, b.Redemptions = append(b.SalesLines, ls...), append(b.Redemptions, rs...)
		b.Receipts = append(b.Receipts, g.Receipts(d, 5)...)
		b.Stock = append(b.Stock, wire.StockLine{Date: d, SKUCode: "BR00001", Closing: mq(40), Sold: mq(3), ClosingValuePaise: 4000})
	}
	if _, _, err := st.Ingest(b, time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		var out []string
		for _, r := range slices.Concat(allRollups, regionTwins, nationalTwins) {
			for _, scope := range []string{"D001", "South", National} {
				st.ScanMonths(r, scope, "2025-01-01", "2025-12-01", func(m cal.Date, dim string, s Sum) error {
					out = append(out, fmt.Sprint(r, scope, m, dim, s))
					return nil
				})
			}
		}
		for _, r := range nationalTwins {
			st.ScanRollup(r, National, "2025-01-01", "2025-12-31", func(d cal.Date, dim string, s Sum) error {
				out = append(out, fmt.Sprint(r, "days", d, dim, s))
				return nil
			})
		}
		return strings.Join(out, "\n")
	}
	kept := read()
	if !strings.Contains(kept, "sales_sku_national2025-11-01") || !strings.Contains(kept, "primary_sku_nationaldays2025-10-30") || !strings.Contains(kept, "sales_skuSouth2025-11-01") || !strings.Contains(kept, "stock_distD0012025-10-01") || !strings.Contains(kept, "stock_regionSouth2025-10-01") || !strings.Contains(kept, "sales_regionSouth2025-11-01") {
		t.Fatalf("month cells kept by ingest:\n%s", kept)
	}
	st.b.Update(func(tx *book.Tx) error {
		var buckets []string
		for _, name := range slices.Concat(allRollups, regionTwins, nationalTwins) {
			buckets = append(buckets, monthBucket(name))
		}
		for _, name := range nationalTwins {
			buckets = append(buckets, rollupBucket(name))
		}
		for _, name := range buckets {
			bk := tx.Bucket(name)
			var keys []string
			bk.Scan("", func(k string, _ []byte) (bool, error) { keys = append(keys, k); return true, nil })
			for _, k := range keys {
				bk.Delete(k)
			}
		}
		return tx.Bucket(bAdmin).Delete(monthsBuilt)
	})
	st.Close()
	if st, err = OpenStore(dir, book.Options{}); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if built := read(); built != kept {
		t.Fatalf("built on open:\n%s\nkept by ingest:\n%s", built, kept)
	}
}
