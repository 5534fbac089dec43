package app

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
)

func testGSTIN(state, pan string) string {
	s := state + pan + "1Z"
	return s + string(gst.CheckChar(s))
}

// shopDoor is a logged-in door over a Tamil Nadu distributor with one item
// and one outlet.
func shopDoor(t *testing.T) *door {
	d := newDoor(t)
	err := d.app.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33", GSTIN: testGSTIN("33", "AAAPM1234C")}); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}, "2026-11-25"); err != nil {
			return err
		}
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: "SLS01", Name: "Sri Lakshmi Stores", StateCode: "33", Active: true, CreditLimitPaise: 100000})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login %d", st)
	}
	return d
}

func TestAClerkBillsAnInvoiceOverHTTPAndFindsItByItsNumber(t *testing.T) {
	d := shopDoor(t)
	st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}})
	if st != 201 || body["number"] != "GRN/26-27/000001" {
		t.Fatalf("purchase %d %v", st, body)
	}
	st, body = d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}})
	if st != 409 || body["field"] != "supplier_invoice_no" {
		t.Fatalf("duplicate purchase %d %v", st, body)
	}
	inv := map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 30}}}
	st, body = d.do("POST", "/api/invoices/preview", inv)
	if st != 200 || body["total_paise"] != float64(94500) || body["number"] != "" {
		t.Fatalf("preview %d %v", st, body)
	}
	st, body = d.do("POST", "/api/invoices", inv)
	if st != 201 || body["number"] != "SI/26-27/000001" || body["cgst_paise"] != float64(2250) || body["round_off_paise"] != float64(0) {
		t.Fatalf("post %d %v", st, body)
	}
	line := body["lines"].([]any)[0].(map[string]any)
	for _, f := range []string{"taxable_paise", "cgst_paise", "sgst_paise", "igst_paise", "free_qty", "scheme_discount_paise", "batches"} {
		if _, ok := line[f]; !ok {
			t.Errorf("line has no %s", f)
		}
	}
	st, body = d.do("GET", "/api/invoices/"+url.PathEscape("SI/26-27/000001"), nil)
	if st != 200 || body["number"] != "SI/26-27/000001" {
		t.Fatalf("get %d %v", st, body)
	}
	st, _ = d.do("GET", "/api/invoices/"+url.PathEscape("SI/26-27/000009"), nil)
	if st != 404 {
		t.Fatalf("unknown invoice %d", st)
	}
	st, raw := d.raw("GET", "/api/invoices?from=2026-11-01&to=2026-11-30&outlet=SLS01", nil)
	if st != 200 || len(raw) < 10 {
		t.Fatalf("list %d %s", st, raw)
	}
	st, body = d.do("GET", "/api/stock/GD200", nil)
	if st != 200 || body["qty"] != float64(70) || body["value_paise"] != float64(175000) {
		t.Fatalf("stock %d %v", st, body)
	}
	st, body = d.do("GET", "/api/outlets/SLS01/outstanding?on=2026-11-25", nil)
	if st != 200 || body["outstanding_paise"] != float64(94500) {
		t.Fatalf("outstanding %d %v", st, body)
	}
	st, body = d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 71}}})
	if st != 409 || body["field"] != "lines[0].qty" {
		t.Fatalf("short stock %d %v", st, body)
	}
	st, body = d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": "3"}}})
	if st != 400 {
		t.Fatalf("text qty %d %v", st, body)
	}
	st, body = d.do("POST", "/api/invoices/"+url.PathEscape("SI/26-27/000001")+"/cancel", map[string]any{"reason": "wrong outlet", "goods_left": false})
	if st != 200 || body["status"] != "cancelled" {
		t.Fatalf("cancel %d %v", st, body)
	}
	st, raw = d.raw("GET", "/api/reconciliation?from=2026-11-01&to=2026-11-30", nil)
	if st != 200 {
		t.Fatalf("recon %d %s", st, raw)
	}
	r, err := CheckBook(d.app.Book)
	if err != nil || !r.OK() {
		t.Fatalf("check %v %v", err, r.Problems)
	}
}

func TestAnOrderSentTwiceIsStoredOnceAndConvertsAsFarAsStockAllows(t *testing.T) {
	d := shopDoor(t)
	d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 10, "rate_paise": 2500}}})
	order := map[string]any{"id": "dsr1-0001", "outlet": "SLS01", "taken_at": "2026-11-25T09:30:00+05:30", "lat": 13.04, "lng": 80.23,
		"lines": []map[string]any{{"item": "GD200", "qty": 24}}}
	st1, _ := d.do("POST", "/api/orders", order)
	st2, _ := d.do("POST", "/api/orders", order)
	if st1 != 201 || st2 != 200 {
		t.Fatalf("orders %d %d", st1, st2)
	}
	st, raw := d.raw("GET", "/api/orders?status=pending", nil)
	if st != 200 || len(raw) < 20 {
		t.Fatalf("pending %d %s", st, raw)
	}
	st, body := d.do("POST", "/api/orders/dsr1-0001/convert", map[string]any{"date": "2026-11-25"})
	if st != 201 {
		t.Fatalf("convert %d %v", st, body)
	}
	short := body["shortfall"].([]any)[0].(map[string]any)
	if fmt.Sprint(short["ordered"], short["billed"], short["short"]) != "24 10 14" {
		t.Fatalf("shortfall %v", short)
	}
	st, _ = d.do("POST", "/api/orders/dsr1-0001/convert", map[string]any{"date": "2026-11-25"})
	if st != 409 {
		t.Fatalf("second convert %d", st)
	}
}

func TestPurchasesReturnsAndReceiptsAreListedByDateAndParty(t *testing.T) {
	d := shopDoor(t)
	for i, day := range []string{"2026-11-01", "2026-11-10"} {
		st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": fmt.Sprintf("BRT/%d", i), "date": day,
			"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}})
		if st != 201 {
			t.Fatalf("purchase %d %v", st, body)
		}
	}
	st, inv := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 10}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, inv)
	}
	if st, body := d.do("POST", "/api/returns", map[string]any{"invoice": inv["number"], "date": "2026-11-25", "reason": "torn", "lines": []map[string]any{{"line": 1, "qty": 2}}}); st != 201 {
		t.Fatalf("return %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/receipts", map[string]any{"outlet": "SLS01", "date": "2026-11-26", "mode": "cash", "amount_paise": 10000}); st != 201 {
		t.Fatalf("receipt %d %v", st, body)
	}
	count := func(path string, want int) {
		t.Helper()
		st, raw := d.raw("GET", path, nil)
		var list struct {
			Rows  []map[string]any `json:"rows"`
			Total int              `json:"total"`
		}
		if err := json.Unmarshal(raw, &list); st != 200 || err != nil || len(list.Rows) != want || list.Total != want {
			t.Fatalf("GET %s: %d %s, want %d documents", path, st, raw, want)
		}
	}
	count("/api/purchases", 2)
	count("/api/purchases?from=2026-11-05", 1)
	count("/api/purchases?to=2026-11-05", 1)
	count("/api/sales-returns?outlet=sls01", 1)
	count("/api/sales-returns?outlet=OTHER", 0)
	count("/api/receipts?from=2026-11-26&to=2026-11-26&outlet=SLS01", 1)
	count("/api/receipts?to=2026-11-25", 0)
	if st, body := d.do("GET", "/api/receipts?from=25-11-2026", nil); st != 400 || body["field"] != "from" {
		t.Fatalf("a bad date names the field: %d %v", st, body)
	}
}
