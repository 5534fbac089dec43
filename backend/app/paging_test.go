package app

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

type invoicePage struct {
	Rows   []billing.InvoiceSummary `json:"rows"`
	Total  int                      `json:"total"`
	Totals map[string]int64         `json:"totals"`
	Offset int                      `json:"offset"`
	Limit  int                      `json:"limit"`
}

// More than 1,000 invoices in a month: the list, the register and the audit
// trail count them all, total them all, and page newest first.
func TestListsPageOnTheServerAndNeverStopAtAThousand(t *testing.T) {
	d := shopDoor(t)
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 5000, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	const n = 1203
	var want int64
	err := d.app.Book.Update(func(tx *book.Tx) error {
		for i := 0; i < n; i++ {
			day := cal.MustParse("2026-11-02").AddDays(i % 28)
			inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "SLS01", Date: day, Lines: []billing.LineInput{{Item: "GD200", Qty: money.Qty(1 + i%3)}}})
			if err != nil {
				return err
			}
			want += int64(inv.TotalPaise)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(q string) invoicePage {
		t.Helper()
		st, raw := d.raw("GET", "/api/invoices?from=2026-11-01&to=2026-11-30"+q, nil)
		var p invoicePage
		if err := json.Unmarshal(raw, &p); st != 200 || err != nil {
			t.Fatalf("%s: %d %s", q, st, raw)
		}
		return p
	}
	first := get("")
	if first.Total != n || len(first.Rows) != listPage || first.Totals["total_paise"] != want || first.Totals["invoices"] != n {
		t.Fatalf("first page: total %d, %d rows, totals %v (want %d, ₹ %d)", first.Total, len(first.Rows), first.Totals, n, want)
	}
	if first.Rows[0].Date != "2026-11-29" || first.Rows[len(first.Rows)-1].Date > first.Rows[0].Date {
		t.Errorf("not newest first: %s … %s", first.Rows[0].Date, first.Rows[len(first.Rows)-1].Date)
	}
	seen := map[string]bool{}
	for off := 0; off < n; off += 400 {
		p := get(fmt.Sprintf("&limit=400&offset=%d", off))
		for _, r := range p.Rows {
			seen[r.Number] = true
		}
		if p.Total != n || p.Totals["total_paise"] != want {
			t.Fatalf("offset %d: %d, %v", off, p.Total, p.Totals)
		}
	}
	if len(seen) != n {
		t.Errorf("paged %d distinct invoices of %d", len(seen), n)
	}
	if old := get("&order=oldest&limit=1"); old.Rows[0].Date != "2026-11-02" {
		t.Errorf("oldest first starts %v", old.Rows)
	}
	if past := get("&offset=5000"); past.Total != n || len(past.Rows) != 0 {
		t.Errorf("past the end: %d rows of %d", len(past.Rows), past.Total)
	}
	for _, q := range []struct{ q, field string }{{"&limit=0", "limit"}, {"&offset=-1", "offset"}, {"&order=up", "order"}} {
		if st, body := d.do("GET", "/api/invoices?"+q.q, nil); st != 400 || body["field"] != q.field {
			t.Errorf("%s: %d %v", q.q, st, body)
		}
	}

	// Cancelling one keeps it in the list, out of the totals.
	victim := first.Rows[0]
	if st, body := d.do("POST", "/api/invoices/"+url.PathEscape(victim.Number)+"/cancel", map[string]any{"reason": "wrong outlet", "goods_left": false}); st != 200 {
		t.Fatalf("cancel %d %v", st, body)
	}
	if p := get("&limit=1"); p.Total != n || p.Totals["cancelled"] != 1 || p.Totals["total_paise"] != want-int64(victim.Total) {
		t.Errorf("after a cancellation: %d, %v", p.Total, p.Totals)
	}

	// The invoice register: every invoice, newest first, a page of it.
	reg := d.report("/api/reports/invoice-register?from=2026-11-01&to=2026-11-30&limit=50&offset=1180")
	if reg.Total != n-1 || len(reg.Rows) != n-1-1180 || reg.Totals["total_paise"] != want-int64(victim.Total) {
		t.Errorf("register: total %d, %d rows, totals %v", reg.Total, len(reg.Rows), reg.Totals)
	}
	if top := d.report("/api/reports/invoice-register?from=2026-11-01&to=2026-11-30&limit=1"); top.Rows[0][0] != "2026-11-29" {
		t.Errorf("register not newest first: %v", top.Rows[0])
	}

	// The audit trail: newest first, counted whole.
	st, raw := d.raw("GET", "/api/audit?limit=5", nil)
	var a AuditPage
	if err := json.Unmarshal(raw, &a); st != 200 || err != nil {
		t.Fatalf("audit %d %s", st, raw)
	}
	if a.Total < n || len(a.Entries) != 5 || a.Entries[0].Seq < a.Entries[4].Seq || !a.More {
		t.Errorf("audit: total %d, %d entries, more %v", a.Total, len(a.Entries), a.More)
	}
	st, raw = d.raw("GET", fmt.Sprintf("/api/audit?limit=5&offset=%d", a.Total-2), nil)
	var tail AuditPage
	if err := json.Unmarshal(raw, &tail); st != 200 || err != nil || len(tail.Entries) != 2 || tail.More || tail.Entries[1].Seq != 1 {
		t.Errorf("audit's last page: %d %s", st, raw)
	}
}
