package importer

import (
	"bytes"
	"encoding/csv"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/masters"
	"vitaran/backend/stock"
)

// The importer's row → record conversion under random cell texts: it must
// never panic, and a file it does not commit (any error, or a dry run)
// must leave the book exactly as it was.

func csvFile(rows ...[]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	return buf.Bytes()
}

// footprint is what an import could change: the masters and the ledger.
func footprint(t *testing.T, b *book.Book) [4]int {
	var fp [4]int
	b.View(func(tx *book.Tx) error {
		its, _ := masters.ListItems(tx, masters.ItemFilter{}, roundTripDay)
		os, _ := masters.ListOutlets(tx, masters.OutletFilter{})
		bs, _ := masters.ListBeats(tx, "")
		fp = [4]int{len(its), len(os), len(bs), int(stock.LastSeq(tx))}
		return nil
	})
	return fp
}

func fuzzImport(t *testing.T, b *book.Book, kind string, dry bool, file []byte) {
	before := footprint(t, b)
	rep, err := Import(b, kind, bytes.NewReader(file), kind+".csv", Options{DryRun: dry, Today: roundTripDay})
	if err != nil {
		return // not a spreadsheet at all: nothing was written
	}
	if rep.Committed && (dry || len(rep.Errors) > 0) {
		t.Fatalf("committed a dry run or a file with errors: %+v", rep)
	}
	if !rep.Committed {
		if after := footprint(t, b); after != before {
			t.Fatalf("nothing committed, but the book moved from %v to %v: %v", before, after, errs(rep))
		}
	}
}

func FuzzImportOutletRow(f *testing.F) {
	f.Add("OUT1", "Shop", "29", "29ABCDE1234F1ZW", "JAYA-MON", "25,000.50", "7", "yes", false)
	f.Add(" out 2 ", "", "Karnataka", "", "", "-1", "x", "N", true)
	f.Add("OUT1", "Shop\x00", "99", "29ABCDE1234F1Z", "", "1e308", "99999999999999999999", "", false)
	b := openBook(f)
	f.Fuzz(func(t *testing.T, code, name, state, gstin, beat, limit, days, active string, dry bool) {
		fuzzImport(t, b, "outlets", dry, csvFile(
			[]string{"Outlet Code", "Outlet Name", "State", "GSTIN", "Beat", "Credit Limit", "Credit Days", "Active"},
			[]string{code, name, state, gstin, beat, limit, days, active},
			[]string{code + "X", name, state, "", "", limit, days, active}))
	})
}

func FuzzImportItemRow(f *testing.F) {
	f.Add("DOVE100", "Dove 100g", "Dove", "Soap", "34011190", "5", "58.00", "₹49.50", "48", false)
	f.Add("a", "b", "c", "d", "3401", "18%", "0", "", "-3", true)
	f.Add("X", "Y", "Z", "W", "12345678901", "0.28", "1,00,000", "abc", "1.5", false)
	b := openBook(f)
	f.Fuzz(func(t *testing.T, code, name, brand, cat, hsn, gst, mrp, price, caseSize string, dry bool) {
		fuzzImport(t, b, "items", dry, csvFile(
			[]string{"Item Code", "Item Name", "Brand", "Category", "HSN", "GST %", "MRP", "Selling Price", "Case Size"},
			[]string{code, name, brand, cat, hsn, gst, mrp, price, caseSize}))
	})
}

func FuzzImportOpeningStockRow(f *testing.F) {
	f.Add("DOVE100", "B1", "MAIN", "31-12-2027", "10", "58", "40", false)
	f.Add("NOPE", "", "DAMAGED", "45000", "-1", "", "x", true)
	f.Add("DOVE100", "B2", "", "2027/02/30", "1e9", "0", "0", false)
	b := openBook(f)
	items := csvFile([]string{"Item Code", "Item Name", "Brand", "Category", "HSN", "GST %", "MRP"},
		[]string{"DOVE100", "Dove", "Dove", "Soap", "34011190", "5", "58"})
	if rep, err := Import(b, "items", bytes.NewReader(items), "items.csv", Options{Today: roundTripDay}); err != nil || !rep.Committed {
		f.Fatalf("items: %v %v", err, errs(rep))
	}
	spec := kinds["opening-stock"].Spec
	var head []string
	for _, fd := range spec.Fields {
		head = append(head, fd.Name)
	}
	f.Fuzz(func(t *testing.T, item, batch, godown, expiry, qty, mrp, cost string, dry bool) {
		vals := map[string]string{"Item Code": item, "Batch": batch, "Godown": godown, "Expiry": expiry, "Qty": qty, "MRP": mrp, "Cost": cost}
		row := make([]string, len(head))
		for i, h := range head {
			row[i] = vals[h]
		}
		fuzzImport(t, b, "opening-stock", dry, csvFile(head, row))
	})
}
