package excel

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

func testSpec() *Spec {
	return &Spec{Kind: "stock", Fields: []Field{
		{Name: "Item Code", Synonyms: []string{"SKU", "Product Code"}, Type: Code, Required: true},
		{Name: "Item Name", Synonyms: []string{"Description"}, Type: Text},
		{Name: "Qty", Synonyms: []string{"Quantity"}, Type: Qty, Required: true},
		{Name: "MRP", Type: Money},
		{Name: "GST %", Synonyms: []string{"Tax Rate", "GST Rate", "GST"}, Type: GSTRate},
		{Name: "Expiry", Synonyms: []string{"Expiry Date", "Exp"}, Type: Date},
		{Name: "GSTIN", Type: GSTIN},
		{Name: "HSN", Synonyms: []string{"HSN Code"}, Type: HSN},
		{Name: "Active", Type: Bool, Default: "Yes"},
	}}
}

type stockLine struct {
	Code, Name string
	Qty        money.Qty
	MRP        money.Paise
	Rate       money.BP
	Expiry     cal.Date
	GSTIN, HSN string
	Active     bool
}

func readStock(t *testing.T, path string) ([]stockLine, *Result) {
	t.Helper()
	var got []stockLine
	res, err := ReadFile(path, testSpec(), func(r *Row) error {
		got = append(got, stockLine{r.Text("Item Code"), r.Text("Item Name"), r.Qty("Qty"), r.Paise("MRP"),
			r.BP("GST %"), r.Date("Expiry"), r.Text("GSTIN"), r.Text("HSN"), r.Bool("Active")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, res
}

// writeBook writes rows (any values, as excelize sets them) to a workbook.
func writeBook(t testing.TB, name string, rows [][]any, setup func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if setup != nil {
		setup(f)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// The distributor's old software exports a title, the firm's name and a
// date range above the header, merged across the columns; the brand's
// sheet has its own header names in its own order, an extra column, blank
// rows, numbers typed as text and dates both as Excel dates and as text.
func TestANastyStockSheetGivesEveryErrorWithRowAndColumn(t *testing.T) {
	path := writeBook(t, "opening stock.xlsx", [][]any{
		{"SRI LAKSHMI AGENCIES"},
		{"Opening Stock as on 01-04-2026"},
		{},
		{"Sl No", "SKU", "Description", "Quantity", "M.R.P.", "Tax Rate", "Exp", "GSTIN", "HSN Code", "Remarks"},
		{1, "  dove-100 ", "Dove Soap 100g", "1,200", "₹ 58.00", 0.05, 46387, "29ABCDE1234F1ZW", 34011190, "ok"},
		{},
		{2, "LUX-75", "Lux 75g", 24, 35.5, "5%", "31/12/2026", "", "3401", ""},
		{3, "CLOSE-UP", "Closeup 150g", -6, "abc", 18, "31-02-2026", "29ABCDE1234F1ZX", "34A6", ""},
		{"", "", "", "", "", "", "", "", "", ""},
		{4, "", "no code", "twelve", 10, 17, "tomorrow", "", "", ""},
		{5, "VIM-BAR", "Vim Bar", "12.5", "12.345", "18", "2027-03-31", "URP", "340220", ""},
	}, func(f *excelize.File) {
		f.MergeCell("Sheet1", "A1", "J1")
		f.MergeCell("Sheet1", "A2", "J2")
	})
	got, res := readStock(t, path)
	want := []stockLine{
		{"DOVE-100", "Dove Soap 100g", 1200, 5800, 500, "2026-12-31", "29ABCDE1234F1ZW", "34011190", true},
		{"LUX-75", "Lux 75g", 24, 3550, 500, "2026-12-31", "", "3401", true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("good rows:\n got %+v\nwant %+v", got, want)
	}
	wantErrs := []string{
		"row 8, column Quantity: -6: cannot be negative",
		"row 8, column M.R.P.: abc: is not an amount in rupees (write it like 40 or 40.50)",
		"row 8, column Exp: 31-02-2026: February has no day 31",
		"row 8, column GSTIN: 29ABCDE1234F1ZX: the last character should be W",
		"row 8, column HSN Code: 34A6: must be digits only",
		"row 10, column SKU: is required and cannot be blank",
		"row 10, column Quantity: twelve: is not a quantity (write it like 12 or 1,200)",
		"row 10, column Tax Rate: 17: is not a GST rate: use 0, 0.25, 3, 5, 12, 18, 28 or 40",
		"row 10, column Exp: tomorrow: is not a date: write dates as DD-MM-YYYY",
		"row 11, column Quantity: 12.5: must be a whole number",
		"row 11, column M.R.P.: 12.345: has more than 2 decimal places",
	}
	var gotErrs []string
	for _, e := range res.Errors {
		gotErrs = append(gotErrs, e.Error())
	}
	if !reflect.DeepEqual(gotErrs, wantErrs) {
		t.Errorf("errors:\n got %s\nwant %s", strings.Join(gotErrs, "\n     "), strings.Join(wantErrs, "\n     "))
	}
	if res.HeaderRow != 4 || res.Rows != 5 {
		t.Errorf("header on row %d, %d data rows; want 4 and 5", res.HeaderRow, res.Rows)
	}
	if !reflect.DeepEqual(res.Warnings, []string{`column A ("Sl No") is not used`, `column J ("Remarks") is not used`}) {
		t.Errorf("warnings: %q", res.Warnings)
	}
	if e := res.Err(); e == nil || !strings.HasPrefix(e.Error(), "11 errors in 3 rows, nothing imported; first: row 8, column Quantity") {
		t.Errorf("summary: %v", e)
	}

	// The bad rows go back to the clerk with their cells and the reasons.
	var buf bytes.Buffer
	src, _ := os.Open(path)
	defer src.Close()
	if err := WriteBadRows(&buf, src, path, res); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Rows to fix")
	if len(rows) != 4 || rows[0][10] != "Reason" || rows[1][1] != "CLOSE-UP" || rows[3][1] != "VIM-BAR" {
		t.Fatalf("bad rows file: %q", rows)
	}
	if !strings.HasPrefix(rows[2][10], "SKU: is required and cannot be blank; Quantity: twelve: is not a quantity") {
		t.Errorf("reason cell: %q", rows[2][10])
	}
	// Each row keeps its number in the file sent, though the rows to fix sit together.
	var nums []string
	for _, r := range rows {
		nums = append(nums, r[11])
	}
	if !reflect.DeepEqual(nums, []string{"Row in file", "8", "10", "11"}) {
		t.Errorf("row numbers %q", nums)
	}
}

func TestAMissingRequiredColumnIsOneClearError(t *testing.T) {
	path := writeBook(t, "x.xlsx", [][]any{{"Product Code", "Description", "MRP"}, {"A1", "x", 10}}, nil)
	_, res := readStock(t, path)
	if len(res.Errors) != 1 || res.Errors[0].Error() != `row 1, column Qty: required column is missing: add a column headed "Qty"` {
		t.Errorf("errors: %v", res.Errors)
	}
}

func TestAFileWithNoHeaderIsRefused(t *testing.T) {
	path := writeBook(t, "x.xlsx", [][]any{{"hello", "world"}, {1, 2}}, nil)
	_, err := ReadFile(path, testSpec(), func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `no header row found in the first 20 rows: expected columns such as "Item Code", "Qty"`) {
		t.Errorf("got %v", err)
	}
}

func TestA1904WorkbookCountsDatesFrom1904(t *testing.T) {
	path := writeBook(t, "mac.xlsx", [][]any{{"Item Code", "Qty", "Expiry"}, {"A", 1, 44196}}, func(f *excelize.File) {
		yes := true
		f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
	})
	got, res := readStock(t, path)
	if !res.OK() || len(got) != 1 || got[0].Expiry != "2025-01-01" {
		t.Errorf("got %+v, %v", got, res.Errors)
	}
}

func TestCSVWithBOMSemicolonsAndExcelLineNumbers(t *testing.T) {
	body := "\ufeffItem Code;Qty;MRP;Expiry\r\n\r\nA1;\" 1,200 \";\"₹ 40.50\";05/01/26\r\nA2;-1;10;\r\n"
	path := filepath.Join(t.TempDir(), "stock.csv")
	os.WriteFile(path, []byte(body), 0o644)
	got, res := readStock(t, path)
	if len(got) != 1 || got[0] != (stockLine{Code: "A1", Qty: 1200, MRP: 4050, Expiry: "2026-01-05", Active: true}) {
		t.Errorf("got %+v", got)
	}
	if len(res.Errors) != 1 || res.Errors[0].Error() != "row 4, column Qty: -1: cannot be negative" {
		t.Errorf("errors %v", res.Errors)
	}
}

func TestAnOldXLSFileIsNamedAsSuch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.xls")
	os.WriteFile(path, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, 0o644)
	if _, err := ReadFile(path, testSpec(), nil); err == nil || !strings.Contains(err.Error(), "save it as .xlsx") {
		t.Errorf("got %v", err)
	}
}

func TestTemplateReadsBackAsItsExample(t *testing.T) {
	spec := testSpec()
	ex := map[string]string{"Item Code": "DOVE-100", "Item Name": "Dove Soap 100g", "Qty": "1200", "MRP": "58.50",
		"GST %": "5", "Expiry": "31-12-2026", "GSTIN": "29ABCDE1234F1ZW", "HSN": "34011190", "Active": "Yes"}
	for i := range spec.Fields {
		spec.Fields[i].Example = ex[spec.Fields[i].Name]
	}
	path := filepath.Join(t.TempDir(), "template.xlsx")
	out, _ := os.Create(path)
	if err := WriteTemplate(out, spec); err != nil {
		t.Fatal(err)
	}
	out.Close()
	got, res := readStock(t, path)
	want := stockLine{"DOVE-100", "Dove Soap 100g", 1200, 5850, 500, "2026-12-31", "29ABCDE1234F1ZW", "34011190", true}
	if !res.OK() || len(got) != 1 || got[0] != want {
		t.Errorf("template read back %+v, %v", got, res.Errors)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("Item Code,Qty,MRP\nA,1,2\n")
	f.Add("\ufefftitle\n\nSKU;Quantity;M.R.P.;Exp\n a ;1,200;₹ 4;05/01/26\n\"b\nc\";x;;\n")
	f.Add("\"unterminated\nItem Code,Qty\n")
	f.Fuzz(func(t *testing.T, body string) {
		res, err := Read(strings.NewReader(body), "f.csv", testSpec(), func(r *Row) error {
			if r.Text("Item Code") == "" || r.Qty("Qty") < 0 {
				t.Fatalf("a good row without a code or with a negative quantity: %q", body)
			}
			return nil
		})
		if err == nil {
			for _, e := range res.Errors {
				if e.Reason == "" {
					t.Fatalf("an error without a reason: %+v", e)
				}
			}
		}
	})
}

func BenchmarkRead100kRows(b *testing.B) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"Item Code", "Item Name", "Qty", "MRP", "GST %", "Expiry", "HSN"})
	for i := 2; i <= 100001; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{fmt.Sprintf("SKU%05d", i), "Some FMCG item 100g", i % 500, "58.50", 18, 46387, "34011190"})
	}
	sw.Flush()
	path := filepath.Join(b.TempDir(), "big.xlsx")
	f.SaveAs(path)
	f.Close()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		res, err := ReadFile(path, testSpec(), func(*Row) error { n++; return nil })
		if err != nil || !res.OK() || n != 100000 {
			b.Fatalf("%d rows, %v, %v", n, err, res.Errors[:min(3, len(res.Errors))])
		}
	}
}
