package app

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Two lines sold below the ₹25.00 they cost and one above: the report
// lists the two, a page at a time with the totals of both, and as .xlsx;
// the outlet's last rate for the item is the last line billed.
func TestTheLossOnBillReportListsTheLinesSoldBelowCostAndTheLastRateIsOneKey(t *testing.T) {
	d := shopDoor(t)
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	bill := func(rate, disc int) {
		t.Helper()
		if st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25",
			"lines": []map[string]any{{"item": "GD200", "qty": 10, "rate_paise": rate, "discount_bp": disc}}}); st != 201 {
			t.Fatalf("invoice %d %v", st, body)
		}
	}
	bill(2600, 1000) // ₹23.40 net: ₹16.00 lost
	bill(3000, 0)    // a profit
	bill(2450, 0)    // ₹24.50: ₹5.00 lost
	r := d.report("/api/reports/loss-on-bill?from=2026-11-01&to=2026-11-30&limit=1")
	if r.Total != 2 || len(r.Rows) != 1 || r.Totals["loss_paise"] != 2100.0 || r.Totals["cost_paise"] != 50000.0 {
		t.Fatalf("two lines lost ₹21.00 in all, one on the page: %+v", r)
	}
	st, raw := d.raw("GET", "/api/reports/loss-on-bill?from=2026-11-01&to=2026-11-30&format=xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if st != 200 || err != nil {
		t.Fatalf("xlsx %d %v", st, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	found := 0
	for _, row := range rows {
		for _, c := range row {
			if c == "SI/26-27/000001" || c == "SI/26-27/000003" {
				found++
			}
		}
	}
	if found != 2 {
		t.Fatalf("the sheet names both invoices: %v", rows)
	}
	st, last := d.do("GET", "/api/outlets/SLS01/last-rate?item=GD200", nil)
	if st != 200 || last["found"] != true || last["rate_paise"] != 2450.0 || last["invoice"] != "SI/26-27/000003" {
		t.Fatalf("last rate %d %v", st, last)
	}
	if st, _ := d.do("GET", "/api/outlets/SLS01/last-rate", nil); st != 400 {
		t.Fatalf("no item: %d", st)
	}
}
