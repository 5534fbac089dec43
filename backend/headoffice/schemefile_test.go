package headoffice

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/schemes/rules"
)

// writeCircular writes rows under the circular's headers as a brand sends it.
func writeCircular(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	head := []any{"Scheme Code", "Scheme Name", "Type", "Valid From", "Valid To", "Items", "Channels", "Discount %", "Buy Qty", "Free Qty", "Free Item", "Budget"}
	for i, r := range append([][]any{head}, rows...) {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "circular.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Head office loads the very circular it sent the distributors: the same
// schemes as the JSON file, read by the distributors' own import — a free
// item included, though head office keeps no item master.
func TestHeadOfficeLoadsTheExcelCircularDistributorsImport(t *testing.T) {
	xlsx := writeCircular(t, [][]any{
		{"SOAP10+1", "Soap 10+1", "Buy X Get Y", "01-10-2025", "31-10-2025", "SOAP", "grocery", "", 10, 1, "", ""},
		{"PASTE5", "Paste 5%", "percent", "01-10-2025", "31-10-2025", "PASTE", "", "5%", "", "", "", "100"},
		{"PASTE6+BRUSH", "Brush free with 6 paste", "bxgy", "01-10-2025", "31-10-2025", "PASTE", "", "", 6, 1, "BRUSH", ""},
	})
	got, err := ReadSchemeFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]rules.Scheme{}
	for _, s := range got {
		byCode[s.Code] = s
	}
	if len(byCode) != 3 || byCode["PASTE6+BRUSH"].FreeItem != "BRUSH" {
		t.Fatalf("circular read as %+v", got)
	}
	js := filepath.Join(t.TempDir(), "schemes.json")
	raw, _ := json.Marshal(issued)
	os.WriteFile(js, raw, 0o600)
	want, err := ReadSchemeFile(js)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		a, _ := json.Marshal(w)
		b, _ := json.Marshal(byCode[w.Code])
		if string(a) != string(b) {
			t.Errorf("%s from the circular:\n%s\nfrom JSON:\n%s", w.Code, b, a)
		}
	}
}

// A circular with mistakes is refused whole, each mistake by row and column.
func TestAWrongCircularIsRefusedNamingRowAndColumn(t *testing.T) {
	xlsx := writeCircular(t, [][]any{
		{"SOAP10+1", "Soap 10+1", "Buy X Get Y", "01-10-2025", "31-10-2025", "SOAP", "grocery", "", 10, 1, "", ""},
		{"PASTE5", "Paste 5%", "percent", "01-10-2025", "someday", "PASTE", "", "five", "", "", "", ""},
	})
	ss, err := ReadSchemeFile(xlsx)
	if !errors.Is(err, rules.ErrCircularRefused) || ss != nil {
		t.Fatalf("got %d schemes, err %v; want the circular refused", len(ss), err)
	}
	for _, want := range []string{"row 3", "Valid To", "Discount %"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not name %q: %v", want, err)
		}
	}
}
