package app

import (
	"net/url"
	"os"
	"testing"

	"vitaran/backend/cal"
)

// The app's tests run on a pinned day, never the wall clock's: 25 November
// 2026 unless VITARAN_TODAY names another (make test-dates runs the OnAnyDay
// tests on a 1st of a month, 1 April, 31 March and 29 February).
func init() {
	if os.Getenv(cal.TodayEnv) == "" {
		cal.Pin("2026-11-25")
	}
}

// On any day: the server's day is the pinned one, yesterday's and today's
// invoices take their own financial year's series (so on 1 April the
// numbering restarts at 000001), and the dashboard's month runs from the 1st
// to today.
func TestOnAnyDayInvoicesAreNumberedInTheirFinancialYearAndTheMonthStartsOnThe1st(t *testing.T) {
	today := cal.Today()
	d := shopDoor(t)
	if _, me := d.do("GET", "/api/me", nil); me["today"] != string(today) {
		t.Fatalf("the server's today is %v, pinned %s", me["today"], today)
	}
	yesterday := today.AddDays(-1)
	st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": string(yesterday),
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": string(today.AddDays(400)), "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}})
	if st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	series := func(d cal.Date) string { return "SI/" + cal.FYOf(d, 4).Short() + "/" }
	want := map[cal.Date]string{yesterday: series(yesterday) + "000001", today: series(today) + "000002"}
	if series(today) != series(yesterday) { // 1 April: a new year, a new series
		want[today] = series(today) + "000001"
	}
	for _, day := range []cal.Date{yesterday, today} {
		st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": string(day),
			"lines": []map[string]any{{"item": "GD200", "qty": 3}}})
		if st != 201 || body["number"] != want[day] {
			t.Fatalf("%s: %d %v, want %s", day, st, body["number"], want[day])
		}
	}
	st, body = d.do("GET", "/api/invoices/"+url.PathEscape(want[today]), nil)
	if st != 200 || body["date"] != string(today) {
		t.Fatalf("today's invoice %d %v", st, body)
	}
	st, body = d.do("GET", "/api/dashboard", nil)
	if st != 200 {
		t.Fatalf("dashboard %d %v", st, body)
	}
	mtd := body["month_to_date"].(map[string]any)["now"].(map[string]any)
	if mtd["from"] != string(today[:8])+"01" || mtd["to"] != string(today) {
		t.Fatalf("month to date runs %v to %v on %s", mtd["from"], mtd["to"], today)
	}
	if mtd["total_paise"].(float64) <= 0 {
		t.Fatalf("today's invoice is not in the month to date: %v", mtd)
	}
}
