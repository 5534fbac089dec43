package app

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/masters"
	"vitaran/backend/stock"
)

// workbook is a nasty file made by the test: rows as a clerk typed them.
func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a file as the import screen does.
func (d *door) importUpload(path, name string, file []byte) (int, []byte, http.Header) {
	d.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", name)
	w.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", d.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", d.csrf)
	resp, err := d.c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header
}

type importAnswer struct {
	Committed bool `json:"committed"`
	New       int  `json:"new"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Errors    []struct {
		Row    int    `json:"row"`
		Column string `json:"column"`
		Value  string `json:"value"`
		Reason string `json:"reason"`
	} `json:"errors"`
	BadRowsID string `json:"bad_rows_id"`
}

func (a importAnswer) errs() string {
	var out []string
	for _, e := range a.Errors {
		out = append(out, strings.Join([]string{itoa(e.Row), e.Column, e.Value, e.Reason}, " | "))
	}
	return strings.Join(out, "\n")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestANastyItemFileIsRefusedWithEveryErrorAndWritesNothing(t *testing.T) {
	d := shopDoor(t)
	nasty := workbook(t,
		[]any{"ITEM MASTER — Sri Murugan Agencies"}, // a merged title row above the header
		[]any{},
		[]any{" code ", "Product Name", "brand name", "Group", "HSN Code", "Tax %", "M.R.P.", "PTR", "UPC"},
		[]any{"SOAP1", "Lux 100g", "Lux", "Soap", "34011190", "5", "40", "33.5", 48},
		[]any{"SOAP2", "Lux 150g", "Lux", "Soap", "3401X", "5", "55", "45", 48},
		[]any{"soap1", "Lux again", "Lux", "Soap", "34011190", "5", "40", "33.5", 48},
		[]any{"SOAP3", "Lux 200g", "Lux", "Soap", "34011190", "7", "forty", "33.5", 48},
	)
	st, raw, _ := d.importUpload("/api/import/items", "items.xlsx", nasty)
	var ans importAnswer
	json.Unmarshal(raw, &ans)
	if st != 200 || ans.Committed {
		t.Fatalf("%d %s", st, raw)
	}
	got := ans.errs()
	for _, want := range []string{
		"5 | HSN Code | 3401X |",
		"6 | code | soap1 | appears again: the same code is on row 4",
		"7 | Tax % | 7 |",
		"7 | M.R.P. | forty |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	d.app.Book.View(func(tx *book.Tx) error {
		if _, err := masters.GetItem(tx, "SOAP1"); err == nil {
			t.Error("a refused file wrote SOAP1")
		}
		return nil
	})
	st, bad, hdr := d.download("GET", "/api/import-bad-rows/"+ans.BadRowsID)
	if st != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "items-bad-rows.xlsx") {
		t.Fatalf("bad rows %d %v", st, hdr)
	}
	f, err := excelize.OpenReader(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) < 4 {
		t.Errorf("bad rows workbook: %v", rows)
	}

	// The same rows fixed: a dry run says what would change, then it imports.
	good := workbook(t,
		[]any{"Item Code", "Item Name", "Brand", "Category", "HSN", "GST %", "MRP", "Selling Price"},
		[]any{"SOAP1", "Lux 100g", "Lux", "Soap", "34011190", "5", "40", "33.50"},
		[]any{"GD200", "Good Day Cashew 200g", "Britannia", "Biscuits", "19053100", "5", "40", "30"},
	)
	st, raw, _ = d.importUpload("/api/import/items?dry_run=1", "items.xlsx", good)
	ans = importAnswer{}
	json.Unmarshal(raw, &ans)
	if st != 200 || ans.Committed || ans.New != 1 || ans.Unchanged+ans.Updated != 1 {
		t.Fatalf("dry run %d %s", st, raw)
	}
	st, raw, _ = d.importUpload("/api/import/items", "items.xlsx", good)
	ans = importAnswer{}
	json.Unmarshal(raw, &ans)
	if st != 200 || !ans.Committed || ans.New != 1 {
		t.Fatalf("import %d %s", st, raw)
	}
}

func TestPurchasesOverHTTPAreAllOrNothingAndTheCLIGivesTheSameErrors(t *testing.T) {
	d := shopDoor(t)
	file := workbook(t,
		[]any{"Bill No", "Bill Date", "SKU", "Batch", "Expiry", "MRP", "Qty", "Rate", "GST", "Supplier GSTIN"},
		[]any{"BRT/9", "01-11-2026", "GD200", "B1", "30/06/27", "40", "240", "25", "5", ""},
		[]any{"BRT/10", "02-11-2026", "GD200", "B2", "30/06/27", "40", "-24", "25", "5", ""},
		[]any{"BRT/11", "02-11-2026", "GD200", "B3", "30/06/27", "40", "24", "25", "5", "33AAAPM1234C1ZX"},
	)
	st, raw, _ := d.importUpload("/api/import/purchases", "brand.xlsx", file)
	var ans importAnswer
	json.Unmarshal(raw, &ans)
	want := "3 | Qty | -24 | cannot be negative\n4 | Supplier GSTIN | 33AAAPM1234C1ZX |"
	if st != 200 || ans.Committed || !strings.HasPrefix(ans.errs(), want) {
		t.Fatalf("%d\n%s", st, ans.errs())
	}
	d.app.Book.View(func(tx *book.Tx) error {
		if q := stock.ItemTotal(tx, "GD200").Qty; q != 0 {
			t.Errorf("the good invoice BRT/9 went in although the file failed: %d", q)
		}
		return nil
	})

}
