package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"
	"vitaran/backend/headoffice"

	"vitaran/backend/cal"
)

// The dashboard's JSON needs a login; after it, the national total, the
// drill and the claims check answer from what was uploaded.
func TestDashboardNeedsLoginThenAnswers(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 23:30"))
	ho := newHeadOffice(t, clk)
	ho.start(nil)
	key, _ := headoffice.AddDistributor(ho.store, "D001", "South", "Sri Balaji")
	if err := headoffice.SetAdmin(ho.store, "admin", "a long enough secret"); err != nil {
		t.Fatal(err)
	}
	pc := newDistributorPC(t, clk, ho.url(), "D001", key)
	pc.bill(t, "2025-10-06", 20)
	if _, err := pc.up.Now(context.Background()); err != nil {
		t.Fatal(err)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if r, _ := c.Get(ho.url() + "/api/ho/summary"); r.StatusCode != 401 {
		t.Fatalf("summary without login: %d", r.StatusCode)
	}
	login := func(pw string) int {
		body, _ := json.Marshal(map[string]string{"user": "admin", "password": pw})
		r, err := c.Post(ho.url()+"/api/ho/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if login("wrong password") != 401 || login("a long enough secret") != 200 {
		t.Fatal("login does not tell a wrong password from the right one")
	}
	var sum headoffice.Summary
	getJSON(t, c, ho.url()+"/api/ho/summary?from=2025-10-01&to=2025-10-31", &sum)
	if sum.Secondary.Taxable != pc.taxable {
		t.Fatalf("national secondary %s; the distributor billed %s", sum.Secondary.Taxable, pc.taxable)
	}
	// One day uploaded in a 31-day period: cover is stock over that day's
	// sales, not over a month's average that never happened.
	var cover headoffice.StockCoverReport
	getJSON(t, c, ho.url()+"/api/ho/stock?from=2025-10-01&to=2025-10-31", &cover)
	if len(cover.Distributors) != 1 {
		t.Fatalf("stock cover: %+v", cover)
	}
	cv := cover.Distributors[0]
	if cv.SoldQty <= 0 || cv.DaysOfCover == nil || *cv.DaysOfCover != int64(cv.StockQty/cv.SoldQty) {
		t.Fatalf("cover %+v: want %d days (stock %d ÷ one day's sales %d)", cv, cv.StockQty/cv.SoldQty, cv.StockQty, cv.SoldQty)
	}
	if sum.DaysOfCover == nil || *sum.DaysOfCover != *cv.DaysOfCover {
		t.Fatalf("national cover %v, the one distributor's %d", sum.DaysOfCover, *cv.DaysOfCover)
	}
	var drill headoffice.DrillReport
	getJSON(t, c, ho.url()+"/api/ho/drill?by=beat&distributor=D001&from=2025-10-01&to=2025-10-31", &drill)
	if drill.Total.Taxable != pc.taxable || len(drill.Rows) == 0 {
		t.Fatalf("beats total %s over %d rows; want %s", drill.Total.Taxable, len(drill.Rows), pc.taxable)
	}
	var claims headoffice.ClaimSummary
	getJSON(t, c, ho.url()+"/api/ho/claims?from=2025-10-01&to=2025-10-31", &claims)
	if claims.ClaimedPaise == 0 || claims.LeakagePaise != 0 {
		t.Fatalf("claims backed by their invoice lines: claimed %s, leakage %s", claims.ClaimedPaise, claims.LeakagePaise)
	}
}

func getJSON(t *testing.T, c *http.Client, url string, v any) {
	t.Helper()
	r, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, r.StatusCode)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// A nightly run missed because the PC was off is due at the next start.
func TestMissedNightlyRunIsDueAtNextStart(t *testing.T) {
	sch, err := parseSchedule("", "")
	if err != nil {
		t.Fatal(err)
	}
	last := ist("2025-10-06 23:30")
	if Missed(sch, last, ist("2025-10-07 22:00")) {
		t.Fatal("a run before 23:30 the next day is not missed")
	}
	if !Missed(sch, last, ist("2025-10-08 09:00")) {
		t.Fatal("the PC was off at 23:30 on the 7th: that run is missed")
	}
	if next := sch.Next(last); !next.Equal(ist("2025-10-07 23:30")) {
		t.Fatalf("next run %s; want 23:30 IST on the 7th", next)
	}
	_ = cal.IST
}
