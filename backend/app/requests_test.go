package app

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
)

// A LAN PC posts an invoice, times out and sends it again, and again after
// the server restarted: one invoice, the same number each time (201 then 200).
func TestARetriedInvoiceAnswersTheFirstNumberAcrossARestart(t *testing.T) {
	d := shopDoor(t)
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01", "request_id": "grn-1",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	inv := map[string]any{"outlet": "SLS01", "date": "2026-11-25", "request_id": "5b0c9e1e-3f7a-4c1e-9d2b-7a0e6f1c2d3e",
		"lines": []map[string]any{{"item": "GD200", "qty": 3}}}
	st, first := d.do("POST", "/api/invoices", inv)
	if st != 201 || first["number"] != "SI/26-27/000001" || first["request_id"] != inv["request_id"] {
		t.Fatalf("first %d %v", st, first)
	}
	st, again := d.do("POST", "/api/invoices", inv)
	if st != 200 || again["number"] != first["number"] || again["replayed"] != true {
		t.Fatalf("retry %d %v", st, again)
	}

	// restart: the server goes away and comes back on the same book
	dir := d.app.DataDir
	d.srv.Close()
	d.app.Close()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler(nil))
	t.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	d2 := &door{t: t, app: a, srv: srv, c: &http.Client{Jar: jar}}
	if st := d2.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login %d", st)
	}
	st, again = d2.do("POST", "/api/invoices", inv)
	if st != 200 || again["number"] != first["number"] {
		t.Fatalf("retry after a restart %d %v", st, again)
	}
	inv["request_id"] = "another-draft"
	if st, next := d2.do("POST", "/api/invoices", inv); st != 201 || next["number"] != "SI/26-27/000002" {
		t.Fatalf("a new request_id is a new invoice: %d %v", st, next)
	}
	if r, err := CheckBook(a.Book); err != nil || !r.OK() {
		t.Fatalf("check %v %v", r.Problems, err)
	}
}
