package app

import (
	"testing"
	"time"

	"vitaran/backend/cal"
)

// An invoice dated 1900 was accepted and numbered SI/99-00/000001, the
// series FY 2099-00 would also use. Dates outside the company's window are
// refused for a clerk, an admin may override within the numbered years,
// and a date the two-digit label cannot name is refused to everyone.
func TestADocumentDateOutsideTheWindowIsRefusedOrOverriddenByAnAdmin(t *testing.T) {
	d := shopDoor(t)
	d.app.Now = func() time.Time { return cal.Date("2026-11-25").Time().Add(12 * time.Hour) }
	d.user("clerk", "billing", "clerk-secret-1")
	receipt := func(date string, override bool) (int, map[string]any) {
		in := map[string]any{"outlet": "SLS01", "date": date, "mode": "cash", "amount_paise": 100}
		if override {
			in["date_override"] = true
		}
		return d.do("POST", "/api/receipts", in)
	}
	invoice := map[string]any{"outlet": "SLS01", "date": "1900-01-01", "lines": []map[string]any{{"item": "GD200", "qty": 1}}}
	if st, body := d.do("POST", "/api/invoices/preview", invoice); st != 400 || body["field"] != "date" {
		t.Fatalf("a 1900 invoice: %d %v", st, body)
	}
	for _, date := range []string{"1900-01-01", "2000-03-31", "2100-04-01"} {
		if st, body := receipt(date, true); st != 400 || body["field"] != "date" {
			t.Fatalf("%s, even for an admin: %d %v", date, st, body)
		}
	}
	if st := d.login("clerk", "clerk-secret-1"); st != 200 {
		t.Fatalf("clerk login %d", st)
	}
	for date, want := range map[string]int{
		"2026-11-27": 201, // two days ahead
		"2026-11-28": 400, // three
		"2025-04-01": 201, // the previous financial year is open
		"2025-03-31": 400, // the one before is closed
	} {
		if st, body := receipt(date, false); st != want || (st == 400 && body["field"] != "date") {
			t.Errorf("a clerk's receipt dated %s: %d %v, want %d", date, st, body, want)
		}
	}
	if st, body := receipt("2024-06-01", true); st != 403 {
		t.Fatalf("a clerk's override: %d %v", st, body)
	}
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("admin login %d", st)
	}
	if st, body := receipt("2024-06-01", true); st != 201 || body["number"] != "RCT/24-25/000001" {
		t.Fatalf("an admin's override: %d %v", st, body)
	}
	if st, body := receipt("2100-03-31", true); st != 201 || body["number"] != "RCT/99-00/000001" {
		t.Fatalf("FY 2099-00 keeps its label: %d %v", st, body)
	}
	// the window is the company's to set
	st, co := d.do("GET", "/api/company", nil)
	if st != 200 {
		t.Fatalf("company %d", st)
	}
	co["books_open_from"], co["days_ahead"] = "2026-10-01", 5
	if st, body := d.do("PUT", "/api/company", co); st != 200 {
		t.Fatalf("company %d %v", st, body)
	}
	if st := d.login("clerk", "clerk-secret-1"); st != 200 {
		t.Fatalf("clerk login %d", st)
	}
	for date, want := range map[string]int{"2026-09-30": 400, "2026-10-01": 201, "2026-11-30": 201, "2026-12-01": 400} {
		if st, body := receipt(date, false); st != want {
			t.Errorf("books open from 1 Oct, 5 days ahead: %s: %d %v, want %d", date, st, body, want)
		}
	}
}
