package app

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"vitaran/backend/cal"
)

// A cancelled invoice counts nowhere, from its own date: the registers, the
// reconciliation and the dashboard agree, to the paisa and the piece, for a
// same-day and a later-day cancellation; the document list still shows it.
func TestACancelledInvoiceCountsNowhereFromItsOwnDate(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)           // 500 at ₹25.00 on 1 Nov; 30 on 17 Nov (…001), 7 and 13 on 24 Nov (…002, …003) at ₹30 + 5%
	on := func(day string) { // the clerk logs in on that day
		d.app.Now = func() time.Time { return cal.Date(day).Time().Add(12 * time.Hour) }
		if st := d.login("admin", "admin-secret"); st != 200 {
			t.Fatalf("login %d", st)
		}
	}
	cancel := func(number string, in map[string]any) (int, map[string]any) {
		return d.do("POST", "/api/invoices/"+url.PathEscape(number)+"/cancel", in)
	}
	mtd := func(day string) map[string]any {
		st, body := d.do("GET", "/api/dashboard?date="+day, nil)
		if st != 200 {
			t.Fatalf("dashboard %d %v", st, body)
		}
		return body
	}
	mtd("2026-11-30") // the day summary is saved before the cancellations and must follow them

	on("2026-11-24")
	if st, body := cancel("SI/26-27/000003", map[string]any{"reason": "typed twice"}); st != 200 || body["status"] != "cancelled" {
		t.Fatalf("a same-day cancellation needs no goods_left: %d %v", st, body)
	}

	on("2026-12-02")
	st, body := cancel("SI/26-27/000001", map[string]any{"reason": "billed to the wrong outlet"})
	if st != 409 || body["field"] != "goods_left" {
		t.Fatalf("an earlier day's invoice asks whether the goods left: %d %v", st, body)
	}
	st, body = cancel("SI/26-27/000001", map[string]any{"reason": "billed to the wrong outlet", "goods_left": true})
	if st != 409 || body["field"] != "goods_left" || body["error"] != "the goods of invoice SI/26-27/000001 left the godown: do not cancel it, post a sales return (credit note) against it for what comes back" {
		t.Fatalf("goods that left go back by a sales return: %d %v", st, body)
	}
	st, body = cancel("SI/26-27/000001", map[string]any{"reason": "billed to the wrong outlet", "goods_left": false})
	if st != 200 || body["status"] != "cancelled" {
		t.Fatalf("cancel %d %v", st, body)
	}

	// registers: only the 7 on 24 Nov remain
	nov := "?from=2026-11-01&to=2026-11-30"
	reg := d.report("/api/reports/invoice-register" + nov)
	if len(reg.Rows) != 1 || reg.Totals["taxable_paise"] != 21000 || reg.Totals["total_paise"] != 22100 {
		t.Fatalf("invoice register %v %v", reg.Rows, reg.Totals)
	}
	for _, name := range []string{"sales-register", "item-sales", "outlet-sales", "hsn-summary"} {
		r := d.report("/api/reports/" + name + nov)
		if r.Totals["taxable_paise"] != 21000 {
			t.Errorf("%s taxable %d", name, r.Totals["taxable_paise"])
		}
		if q, ok := r.Totals["qty"]; ok && q != 7 {
			t.Errorf("%s qty %d", name, q)
		}
	}
	if r := d.report("/api/reports/invoice-register?from=2026-12-01&to=2026-12-02"); len(r.Rows) != 0 || r.Totals["taxable_paise"] != 0 {
		t.Errorf("December has no −sale: %v %v", r.Rows, r.Totals)
	}

	// reconciliation: the stock came back on the invoices' own dates
	recon := func(q string) map[string]any {
		st, raw := d.raw("GET", "/api/reconciliation"+q, nil)
		var rs []map[string]any
		if err := json.Unmarshal(raw, &rs); err != nil || st != 200 || len(rs) != 1 {
			t.Fatalf("recon %s: %d %s", q, st, raw)
		}
		return rs[0]
	}
	for q, want := range map[string][4]float64{ // opening, sold, closing, closing value
		nov:                              {0, 7, 493, 493 * 2500},
		"?from=2026-11-17&to=2026-11-17": {500, 0, 500, 500 * 2500},
		"?from=2026-11-24&to=2026-11-24": {500, 7, 493, 493 * 2500},
		"?from=2026-12-01&to=2026-12-02": {493, 0, 493, 493 * 2500},
		"?from=2026-11-01&to=2026-12-31": {0, 7, 493, 493 * 2500},
		"?from=2026-11-18&to=2026-11-23": {500, 0, 500, 500 * 2500},
		"?from=2026-12-02&to=2026-12-02": {493, 0, 493, 493 * 2500},
		"?from=2026-11-25&to=2026-11-30": {493, 0, 493, 493 * 2500},
		"?from=2026-11-17&to=2026-11-24": {500, 7, 493, 493 * 2500},
		"?from=2026-11-01&to=2026-11-16": {0, 0, 500, 500 * 2500},
		"?from=2026-11-24&to=2026-12-02": {500, 7, 493, 493 * 2500},
		"?from=2026-12-01&to=2026-12-31": {493, 0, 493, 493 * 2500},
		"?from=2026-11-01&to=2026-11-24": {0, 7, 493, 493 * 2500},
		"?from=2026-11-17&to=2026-12-02": {500, 7, 493, 493 * 2500},
		"?from=2026-11-30&to=2026-12-01": {493, 0, 493, 493 * 2500},
	} {
		r := recon(q)
		got := [4]float64{r["opening"].(float64), r["sold"].(float64), r["closing"].(float64), r["closing_value_paise"].(float64)}
		if got != want {
			t.Errorf("recon %s: opening, sold, closing, value %v, want %v", q, got, want)
		}
	}

	// dashboard: November's month to date is the 7; December sells nothing
	db := mtd("2026-11-30")
	now := db["month_to_date"].(map[string]any)["now"].(map[string]any)
	if now["invoices"].(float64) != 1 || now["taxable_paise"].(float64) != 21000 || now["total_paise"].(float64) != 22100 {
		t.Errorf("November to date %v", now)
	}
	if db["stock_qty"].(float64) != 493 || db["stock_value_paise"].(float64) != 493*2500 {
		t.Errorf("stock on the dashboard %v %v", db["stock_qty"], db["stock_value_paise"])
	}
	db = mtd("2026-12-02")
	now = db["month_to_date"].(map[string]any)["now"].(map[string]any)
	if now["invoices"].(float64) != 0 || now["taxable_paise"].(float64) != 0 || now["total_paise"].(float64) != 0 {
		t.Errorf("December to date %v", now)
	}

	// the document list still shows both, stamped cancelled with who, why and when
	st, raw := d.raw("GET", "/api/invoices?from=2026-11-01&to=2026-11-30", nil)
	var list struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(raw, &list); err != nil || st != 200 || len(list.Rows) != 3 {
		t.Fatalf("list %d %s", st, raw)
	}
	stamped := 0
	for _, r := range list.Rows {
		if c, ok := r["cancellation"].(map[string]any); ok && r["status"] == "cancelled" && c["reason"] != "" && c["by"] == "admin" && c["at"] != "" {
			stamped++
		}
	}
	if stamped != 2 {
		t.Errorf("the list stamps both cancelled invoices with why, who and when: %s", raw)
	}
	st, body = d.do("GET", "/api/invoices/"+url.PathEscape("SI/26-27/000001"), nil)
	c, _ := body["cancellation"].(map[string]any)
	if st != 200 || body["status"] != "cancelled" || c["reason"] != "billed to the wrong outlet" || c["by"] != "admin" || c["date"] != "2026-12-02" || c["at"] == "" {
		t.Errorf("invoice %d %v", st, body)
	}
	if r, err := CheckBook(d.app.Book); err != nil || !r.OK() {
		t.Fatalf("check %v %v", err, r.Problems)
	}
}
