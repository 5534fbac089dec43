package app_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/app"
	"vitaran/backend/book"
	"vitaran/backend/cli"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/stock"
)

func TestTheCLIImportListsEveryBadRowOnStderrAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	a, err := app.Open(dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Book.Update(func(tx *book.Tx) error {
		g := "33AAAPM1234C1Z"
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33", GSTIN: g + string(gst.CheckChar(g))}); err != nil {
			return err
		}
		_, err := masters.CreateItem(tx, masters.Item{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}, "2026-11-25")
		return err
	})
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"Bill No", "Bill Date", "SKU", "Batch", "Expiry", "MRP", "Qty", "Rate", "GST"},
		{"BRT/9", "01-11-2026", "GD200", "B1", "30/06/27", "40", "240", "25", "5"},
		{"BRT/10", "02-11-2026", "GD200", "B2", "30/06/27", "40", "-24", "25", "5"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	path := filepath.Join(t.TempDir(), "brand.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := cli.Run(&cli.Env{Stdout: &out, Stderr: &errb}, []string{"import", "purchases", path, "--data", dir, "--bad-rows", path + ".bad.xlsx"})
	if code == 0 || !strings.Contains(errb.String(), "row 3, column Qty: -24: cannot be negative") || !strings.Contains(errb.String(), "nothing was written") {
		t.Fatalf("cli exit %d\nstdout %s\nstderr %s", code, out.String(), errb.String())
	}
	code = cli.Run(&cli.Env{Stdout: &out, Stderr: &errb}, []string{"import", "purchases", path + ".bad.xlsx", "--dry-run", "--data", dir})
	if code == 0 {
		t.Errorf("the bad rows file still has the bad row: %s", errb.String())
	}
	b, err := book.Open(filepath.Join(dir, book.FileName), book.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *book.Tx) error {
		if q := stock.ItemTotal(tx, "GD200").Qty; q != 0 {
			t.Errorf("a failed CLI import left %d in stock", q)
		}
		return nil
	})
}
