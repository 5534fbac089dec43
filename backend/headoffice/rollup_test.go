package headoffice

import (
	"testing"

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
	st.b.View(func(tx *book.Tx) error {
		if n := tx.Bucket(legacyRollupBucket(RollSalesSKU)).Len(); n != 0 {
			t.Errorf("%d cells left in the one-key-per-cell bucket", n)
		}
		return nil
	})
}
