package demo

import (
	"path/filepath"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/masters"
)

func TestTheSmallDemoIsAWholeValidDistributor(t *testing.T) {
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := Masters(b, Sizes["small"], 1); err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *book.Tx) error {
		items, _ := masters.ListItems(tx, masters.ItemFilter{}, "2026-11-25")
		outlets, _ := masters.ListOutlets(tx, masters.OutletFilter{})
		if len(items) != 60 || len(outlets) != 80 {
			t.Fatalf("%d items, %d outlets", len(items), len(outlets))
		}
		brandsSeen := map[string]bool{}
		for _, it := range items {
			brandsSeen[it.Brand] = true
			if it.PricePaise <= 0 || it.PricePaise >= it.MRPPaise {
				t.Fatalf("%s priced %d for MRP %d", it.Code, it.PricePaise, it.MRPPaise)
			}
		}
		if len(brandsSeen) < 10 {
			t.Fatalf("only %d brands", len(brandsSeen))
		}
		inter := 0
		for _, o := range outlets {
			if o.StateCode == "33" {
				inter++
			}
		}
		if inter == 0 {
			t.Fatal("no inter-state outlet")
		}
		return nil
	})
	if err := Masters(b, Sizes["small"], 1); err == nil {
		t.Fatal("demo wrote over a book with a company")
	}
}
