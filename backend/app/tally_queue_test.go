package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/tallybridge/posting"
	"vitaran/tallybridge/tallysim"
)

// GET /api/tally/status only reads and stays small however many vouchers
// failed; the queue pages on the server, newest first, with the total.
func TestTallyStatusOnlyReadsAndTheQueuePages(t *testing.T) {
	d, _ := tallyDoor(t, tallysim.Options{})
	if st, body := d.do("POST", "/api/tally/push", nil); st != 200 || tnum(body, "posted") != 4 {
		t.Fatalf("push %d %v", st, body)
	}
	// 25 invoices to a party Tally lacks, with masters left to the accountant
	var numbers []string
	err := d.app.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "NEW01", Name: "Navaneetham Stores", StateCode: "33", Active: true}); err != nil {
			return err
		}
		for i := 0; i < 25; i++ {
			inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "NEW01", Date: cal.Date("2026-11-25"),
				Lines: []billing.LineInput{{Item: "GD200", Qty: 1}}})
			if err != nil {
				return err
			}
			numbers = append(numbers, inv.Number)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, s := d.do("GET", "/api/tally/settings", nil)
	s["skip_masters"] = true
	if st, body := d.do("PUT", "/api/tally/settings", s); st != 200 {
		t.Fatalf("settings %d %v", st, body)
	}
	// status before the push: the new invoices wait in the book, nothing is written
	before := d.app.Book.WriteStats()
	for i := 0; i < 3; i++ {
		st, body := d.do("GET", "/api/tally/status", nil)
		if st != 200 || tnum(body, "waiting") != 25 {
			t.Fatalf("status %d %v", st, body)
		}
	}
	if after := d.app.Book.WriteStats(); after != before {
		t.Fatalf("GET /api/tally/status wrote to the book: %+v → %+v", before, after)
	}
	if st, body := d.do("POST", "/api/tally/push", nil); st != 200 || tnum(body, "failed") != 25 {
		t.Fatalf("push to a missing ledger %d %v", st, body)
	}
	st, raw := d.raw("GET", "/api/tally/status", nil)
	var status posting.Status
	if err := json.Unmarshal(raw, &status); err != nil || st != 200 {
		t.Fatalf("status %d %s", st, raw)
	}
	if status.Counts["failed"] != 25 || len(status.Failed) != posting.StatusFailed || status.Failed[0].Number != numbers[24] {
		t.Fatalf("status: %d failed, %d listed, newest %q", status.Counts["failed"], len(status.Failed), status.Failed[0].Number)
	}
	page := func(q string) posting.Page {
		t.Helper()
		st, raw := d.raw("GET", "/api/tally/queue"+q, nil)
		var p posting.Page
		if err := json.Unmarshal(raw, &p); err != nil || st != 200 {
			t.Fatalf("queue%s: %d %s", q, st, raw)
		}
		return p
	}
	p := page("?state=failed&limit=10&offset=20")
	if p.Total != 25 || len(p.Rows) != 5 || p.Rows[4].Number != numbers[0] || p.Limit != 10 || p.Offset != 20 {
		t.Fatalf("last page of failures: total %d, %d rows, oldest %q", p.Total, len(p.Rows), p.Rows[len(p.Rows)-1].Number)
	}
	all := page("")
	if all.Total != 25+4 || len(all.Rows) != all.Total || all.Rows[0].Number != numbers[24] || all.Rows[all.Total-1].Kind != billing.KindPurchase {
		t.Fatalf("everything: total %d, %d rows, first %+v", all.Total, len(all.Rows), all.Rows[0])
	}
	for _, bad := range []string{"?limit=5000", "?limit=x", "?offset=-1", "?state=lost"} {
		if st, body := d.do("GET", "/api/tally/queue"+bad, nil); st != 400 || !strings.Contains(fmt.Sprint(body), strings.Split(bad[1:], "=")[0]) {
			t.Errorf("queue%s: %d %v", bad, st, body)
		}
	}
}
