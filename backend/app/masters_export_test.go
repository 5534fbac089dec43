package app

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestMastersExportInTheirImportColumnsBesideReadingOneByCode(t *testing.T) {
	d := shopDoor(t)
	if st, body := d.do("PUT", "/api/outlets/SLS01", map[string]any{"credit_limit_bills": 3, "credit_limit_days": 30, "credit_mode": "stop",
		"temp_credit_limit_paise": 250000, "temp_credit_until": "2026-12-31"}); st != 200 {
		t.Fatalf("credit terms %d %v", st, body)
	}
	for kind, first := range map[string]string{"items": "Item Code", "outlets": "Outlet Code", "beats": "Beat Code", "salesmen": "Salesman Code"} {
		st, raw := d.raw("GET", "/api/"+kind+"/export.xlsx", nil)
		if st != 200 {
			t.Fatalf("%s export: %d %s", kind, st, raw)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) < 1 || rows[0][0] != first {
			t.Fatalf("%s export rows %v", kind, rows)
		}
		if len(rows) == 1 {
			continue // the shop has none: the header alone
		}
		// Imported back as it is, nothing changes.
		st, body := d.upload("/api/import/"+kind+"?dry_run=1", kind+".xlsx", raw)
		if st != 200 || body["unchanged"].(float64) != float64(len(rows)-1) || body["new"].(float64)+body["updated"].(float64) != 0 {
			t.Errorf("%s export re-imported: %d %v", kind, st, body)
		}
	}
	if st, body := d.do("GET", "/api/items/GD200", nil); st != 200 || body["code"] != "GD200" {
		t.Errorf("an item by code beside the export: %d %v", st, body)
	}
}
