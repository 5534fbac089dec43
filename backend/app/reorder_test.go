package app

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func sheetRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an .xlsx: %v (%s)", err, raw)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	return rows
}

// Over HTTP: 90 GD200 sold in 30 days, 10 on hand: 21 days want 63, so
// 53 short is three cases of 24; the clerk edits it to one case and the
// brand's sheet says so.
func TestOverHTTPTheSuggestedOrderPagesAndExportsAsTheBrandsSheet(t *testing.T) {
	d := shopDoor(t)
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-10-20",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	if st, body := d.do("PUT", "/api/outlets/SLS01", map[string]any{"credit_limit_paise": 0}); st != 200 {
		t.Fatalf("outlet %d %v", st, body)
	}
	for _, date := range []string{"2026-11-01", "2026-11-25"} {
		if st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": date, "lines": []map[string]any{{"item": "GD200", "qty": 45}}}); st != 201 {
			t.Fatalf("invoice %d %v", st, body)
		}
	}
	st, s := d.do("GET", "/api/purchase-suggestions?brand=Britannia&window_days=30", nil)
	rows, _ := s["rows"].([]any)
	if st != 200 || len(rows) != 1 || s["total"] != 1.0 || s["pending_orders"] != true || s["note"] == "" {
		t.Fatalf("suggestion %d %v", st, s)
	}
	gd := rows[0].(map[string]any)
	if gd["item"] != "GD200" || gd["stock"] != 10.0 || gd["avg_daily"] != 3.0 || gd["suggested_qty"] != 72.0 || gd["suggested_cases"] != 3.0 {
		t.Fatalf("GD200 %v", gd)
	}
	if tot := s["totals"].(map[string]any); tot["suggested_qty"] != 72.0 {
		t.Fatalf("totals %v", tot)
	}
	st, raw := d.raw("GET", "/api/purchase-suggestions?brand=Britannia&format=xlsx", nil)
	if st != 200 || len(sheetRows(t, raw)) != 2 || sheetRows(t, raw)[1][6] != "72" {
		t.Fatalf("the suggestion's sheet %d %v", st, sheetRows(t, raw))
	}
	st, raw = d.raw("POST", "/api/purchase-suggestions/order.xlsx", map[string]any{"brand": "Britannia", "lines": []map[string]any{{"item": "GD200", "qty": 30}}})
	if r := sheetRows(t, raw); st != 200 || len(r) != 2 || r[0][4] != "Cases" || r[1][4] != "1" || r[1][5] != "6" || r[1][6] != "30" {
		t.Fatalf("the edited order %d %v", st, r)
	}
	if st, body := d.do("POST", "/api/purchase-suggestions/order.xlsx", map[string]any{"brand": "HUL", "lines": []map[string]any{{"item": "GD200", "qty": 30}}}); st != 400 || body["field"] != "lines[0].item" {
		t.Fatalf("another brand's item %d %v", st, body)
	}
	if st, body := d.do("PUT", "/api/purchase-suggestions/cover", map[string]any{"brand": "Britannia", "days": 7}); st != 200 {
		t.Fatalf("cover %d %v", st, body)
	}
	_, s = d.do("GET", "/api/purchase-suggestions?brand=Britannia", nil)
	if gd := s["rows"].([]any)[0].(map[string]any); gd["cover_days"] != 7.0 || gd["suggested_qty"] != 24.0 {
		t.Fatalf("7 days of the brand: %v", gd)
	}
	if st, body := d.do("GET", "/api/purchase-suggestions?brand=Britannia&cover_days=0", nil); st != 400 || body["field"] != "cover_days" {
		t.Fatalf("cover_days 0 %d %v", st, body)
	}
}
