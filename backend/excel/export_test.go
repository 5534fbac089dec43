package excel

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"github.com/xuri/nfp"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

func stockColumns() []Column {
	return []Column{
		{Title: "Item Code", Type: Code}, {Title: "Item Name", Type: Text}, {Title: "Qty", Type: Qty, Total: true},
		{Title: "MRP", Type: Money, Total: true}, {Title: "GST %", Type: GSTRate}, {Title: "Expiry", Type: Date},
		{Title: "GSTIN", Type: GSTIN}, {Title: "HSN", Type: HSN}, {Title: "Active", Type: Bool},
	}
}

func TestExportThenImportGivesTheSameData(t *testing.T) {
	lines := []stockLine{
		{"DOVE-100", "Dove Soap 100g", 1200, 5850, 500, "2026-12-31", "29ABCDE1234F1ZW", "34011190", true},
		{"LUX-75", "Lux, 75g \"new\"", 24, 12345678, 1800, "2027-01-05", "", "0401", false},
		{"RIN-1KG", "Rin 1kg", 0, 1, 4000, "", "", "340220", true},
		{"BIG", "Crore item", 3, 1234567890, 0, "2025-09-22", "", "3401", true},
	}
	path := filepath.Join(t.TempDir(), "stock.xlsx")
	out, _ := os.Create(path)
	w := NewExport(out, "Stock", stockColumns())
	for _, l := range lines {
		if err := w.Row(l.Code, l.Name, l.Qty, l.MRP, l.Rate, l.Expiry, l.GSTIN, l.HSN, l.Active); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	got, res := readStock(t, path)
	// The totals row has no item code: it is reported, not imported.
	if !reflect.DeepEqual(got, lines) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, lines)
	}
	if !res.OK() || len(res.Warnings) != 1 || res.Warnings[0] != "row 6 is a totals row: skipped" {
		t.Errorf("the totals row is skipped with a warning: %v %q", res.Errors, res.Warnings)
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Amounts are stored as exact decimal numbers; dates show as DD-MM-YYYY.
	for cell, want := range map[string]string{"D2": "58.5", "D3": "123456.78", "D5": "12345678.9", "D4": "0.01"} {
		if v, _ := f.GetCellValue("Stock", cell, excelize.Options{RawCellValue: true}); v != want {
			t.Errorf("%s holds %q, want %q", cell, v, want)
		}
	}
	for cell, want := range map[string]string{"F2": "31-12-2026", "E3": "18.00%", "C6": "1,227"} {
		if v, _ := f.GetCellValue("Stock", cell); v != want {
			t.Errorf("%s shows %q, want %q", cell, v, want)
		}
	}
	if typ, _ := f.GetCellType("Stock", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("MRP is stored as %v, not a number", typ)
	}
	if v, _ := f.GetCellFormula("Stock", "D6"); v != "SUBTOTAL(109,D2:D5)" {
		t.Errorf("total formula %q", v)
	}
	if raw, _ := f.GetCellValue("Stock", "D6", excelize.Options{RawCellValue: true}); raw != fmt.Sprint(money.Paise(5850+12345678+1+1234567890).Plain()) {
		t.Errorf("total cached value %q", raw)
	}
	panes, _ := f.GetPanes("Stock")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm._FilterDatabase" || names[0].RefersTo != "'Stock'!$A$1:$I$5" {
		t.Errorf("filter: %+v", names)
	}
	if w, _ := f.GetColWidth("Stock", "B"); w < 15 {
		t.Errorf("name column is %v wide", w)
	}
}

func TestAnExportRefusesAValueOfTheWrongType(t *testing.T) {
	w := NewExport(&bytes.Buffer{}, "x", []Column{{Title: "MRP", Type: Money}})
	for range sampleRows + 1 {
		w.Row(money.Paise(1))
	}
	w.Row(12.5)
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "column MRP: want money.Paise, got float64") {
		t.Errorf("got %v", err)
	}
}

// BenchmarkExport60kRows is a month's sales register of the large book:
// 60,000 lines of 15 columns. Bar: < 3 s, peak memory < 300 MB.
func BenchmarkExport60kRows(b *testing.B) {
	cols := []Column{
		{Title: "Invoice No", Type: Code}, {Title: "Date", Type: Date}, {Title: "Outlet Code", Type: Code},
		{Title: "Outlet", Type: Text}, {Title: "GSTIN", Type: GSTIN}, {Title: "Beat", Type: Text},
		{Title: "Item Code", Type: Code}, {Title: "Item", Type: Text}, {Title: "HSN", Type: HSN},
		{Title: "Qty", Type: Qty, Total: true}, {Title: "Rate", Type: Money}, {Title: "Discount", Type: Money, Total: true},
		{Title: "Taxable", Type: Money, Total: true}, {Title: "GST %", Type: GSTRate}, {Title: "Total", Type: Money, Total: true},
	}
	day := cal.MustParse("2026-01-01")
	var peak uint64
	for b.Loop() {
		out, _ := os.Create(filepath.Join(b.TempDir(), "register.xlsx"))
		w := NewExport(out, "Sales Register", cols)
		for i := range 60000 {
			if err := w.Row(fmt.Sprintf("SLA/25-26/%06d", i/8), day.AddDays(i/2000), fmt.Sprintf("OUT%04d", i%5000),
				"Sri Lakshmi General Stores", "29ABCDE1234F1ZW", "Jayanagar Mon", fmt.Sprintf("SKU%04d", i%3000),
				"Dove Cream Beauty Bathing Bar 100g", "34011190", money.Qty(i%48+1), money.Paise(5850),
				money.Paise(i%500), money.Paise(5850*(i%48+1)-i%500), money.BP(1800), money.Paise(6903*(i%48+1))); err != nil {
				b.Fatal(err)
			}
			if i%10000 == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		st, _ := out.Stat()
		b.ReportMetric(float64(st.Size())/1e6, "MB-file")
		out.Close()
	}
	b.ReportMetric(float64(peak)/1e6, "MB-heap-peak")
}

// Excel groups digits only in threes (or by the PC's locale), so lakh and
// crore grouping is spelled out with two conditions. This checks that the
// format is one Excel's grammar accepts: three sections, the first two
// conditional, the commas literal where grouping is spelled out.
func TestTheRupeeFormatIsValidExcelWithLakhAndCroreSections(t *testing.T) {
	p := nfp.NumberFormatParser()
	secs := p.Parse(FormatRupees)
	if len(secs) != 3 {
		t.Fatalf("%d sections", len(secs))
	}
	conds := []string{">=10000000", ">=100000"}
	for i, c := range conds {
		if secs[i].Items[0].TType != nfp.TokenTypeCondition || secs[i].Items[0].TValue != c {
			t.Errorf("section %d starts %+v, want condition %s", i, secs[i].Items[0], c)
		}
		commas := 0
		for _, it := range secs[i].Items {
			if it.TType == nfp.TokenTypeLiteral && it.TValue == "," {
				commas++
			}
		}
		if commas != 3-i {
			t.Errorf("section %d has %d literal commas", i, commas)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(FormatRupees)}); err != nil {
		t.Errorf("excelize refuses the format: %v", err)
	}
}
