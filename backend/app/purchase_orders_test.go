package app

import (
	"net/url"
	"testing"
)

// Over HTTP, to the piece: 90 GD200 sold in 30 days and 10 on hand; a
// year's cover (1095) is 46 cases of 24 short. Ten cases ordered take the
// suggestion down by ten; a GRN of six made from the order leaves four
// pending; closing the order leaves none.
func TestOverHTTPAnOrderPlacedIsSubtractedUntilReceivedOrClosed(t *testing.T) {
	d := shopDoor(t)
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-10-20",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	d.do("PUT", "/api/outlets/SLS01", map[string]any{"credit_limit_paise": 0})
	for _, date := range []string{"2026-11-01", "2026-11-25"} {
		if st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": date, "lines": []map[string]any{{"item": "GD200", "qty": 45}}}); st != 201 {
			t.Fatalf("invoice %d %v", st, body)
		}
	}
	gd := func() map[string]any {
		t.Helper()
		st, s := d.do("GET", "/api/purchase-suggestions?brand=Britannia&cover_days=365", nil)
		if st != 200 || s["pending_orders"] != true {
			t.Fatalf("suggestion %d %v", st, s)
		}
		return s["rows"].([]any)[0].(map[string]any)
	}
	if l := gd(); l["suggested_cases"] != 46.0 || l["on_order"] != 0.0 {
		t.Fatalf("before the order: %v", l)
	}

	st, o := d.do("POST", "/api/purchase-orders", map[string]any{"brand": "Britannia", "lines": []map[string]any{{"item": "GD200", "qty": 240}}})
	if st != 201 || o["number"] != "PO/26-27/000001" || o["date"] != "2026-11-25" || o["status"] != "open" || o["pending"] != 240.0 {
		t.Fatalf("place %d %v", st, o)
	}
	num := url.PathEscape("PO/26-27/000001")
	if l := gd(); l["suggested_cases"] != 36.0 || l["on_order"] != 240.0 {
		t.Fatalf("ten cases on order: %v", l)
	}

	st, p := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/2", "date": "2026-11-25", "purchase_order": "PO/26-27/000001",
		"lines": []map[string]any{{"item": "GD200", "batch": "B2", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 144, "rate_paise": 2500}}})
	if st != 201 || p["purchase_order"] != "PO/26-27/000001" {
		t.Fatalf("GRN from the order %d %v", st, p)
	}
	if st, g := d.do("GET", "/api/purchases/"+url.PathEscape(p["number"].(string)), nil); st != 200 || g["purchase_order"] != "PO/26-27/000001" {
		t.Fatalf("the GRN names its order %d %v", st, g)
	}
	_, o = d.do("GET", "/api/purchase-orders/"+num, nil)
	if o["status"] != "open" || o["received"] != 144.0 || o["pending"] != 96.0 {
		t.Fatalf("six of ten received: %v", o)
	}
	if l := gd(); l["stock"] != 154.0 || l["on_order"] != 96.0 || l["suggested_cases"] != 36.0 {
		t.Fatalf("four cases still on order: %v", l)
	}
	st, list := d.do("GET", "/api/purchase-orders?brand=britannia&status=open&limit=1", nil)
	if st != 200 || list["total"] != 1.0 || list["totals"].(map[string]any)["pending"] != 96.0 {
		t.Fatalf("list %d %v", st, list)
	}

	if st, body := d.do("POST", "/api/purchase-orders/"+num+"/close", map[string]any{"reason": ""}); st != 400 || body["field"] != "reason" {
		t.Fatalf("close without a reason %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/purchase-orders/"+num+"/close", map[string]any{"reason": "brand short"}); st != 200 || body["status"] != "closed" || body["pending"] != 0.0 {
		t.Fatalf("close %d %v", st, body)
	}
	if l := gd(); l["on_order"] != 0.0 || l["suggested_cases"] != 40.0 {
		t.Fatalf("closed: nothing on order: %v", l)
	}
	// A GRN against a closed order is refused whole: no GRN is written.
	st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/3", "date": "2026-11-25", "purchase_order": "PO/26-27/000001",
		"lines": []map[string]any{{"item": "GD200", "batch": "B3", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 24, "rate_paise": 2500}}})
	if st != 409 || body["field"] != "purchase_order" {
		t.Fatalf("GRN on a closed order %d %v", st, body)
	}
	if l := gd(); l["stock"] != 154.0 {
		t.Fatalf("the refused GRN wrote stock: %v", l)
	}
	if st, body := d.do("GET", "/api/purchase-orders?status=nope", nil); st != 400 || body["field"] != "status" {
		t.Fatalf("bad status %d %v", st, body)
	}
}

// A placement sent again with its request_id (its answer was lost) answers
// the order it placed, 200 and replayed; other lines under that id are 409.
func TestOverHTTPAnOrderSentTwiceIsPlacedOnce(t *testing.T) {
	d := shopDoor(t)
	body := map[string]any{"brand": "Britannia", "request_id": "po-7", "lines": []map[string]any{{"item": "GD200", "qty": 240}}}
	st, first := d.do("POST", "/api/purchase-orders", body)
	if st != 201 || first["number"] != "PO/26-27/000001" {
		t.Fatalf("place %d %v", st, first)
	}
	st, again := d.do("POST", "/api/purchase-orders", body)
	if st != 200 || again["number"] != "PO/26-27/000001" || again["replayed"] != true {
		t.Fatalf("the retry %d %v", st, again)
	}
	if _, list := d.do("GET", "/api/purchase-orders", nil); list["total"] != 1.0 {
		t.Fatalf("orders after the retry: %v", list["total"])
	}
	body["lines"] = []map[string]any{{"item": "GD200", "qty": 480}}
	if st, out := d.do("POST", "/api/purchase-orders", body); st != 409 || out["field"] != "request_id" {
		t.Fatalf("other lines under the same request_id %d %v", st, out)
	}
}
