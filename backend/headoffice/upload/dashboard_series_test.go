package upload

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
	"vitaran/backend/headoffice"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// The trend's series adds up to the summary to the paisa at every step,
// a day with no sales is a zero point (not a gap), weeks run Monday to
// Sunday and months are calendar months, both clipped to the period.
func TestSeriesAddsUpToTheSummary(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 23:30"))
	ho := newHeadOffice(t, clk)
	ho.start(nil)
	south, _ := headoffice.AddDistributor(ho.store, "D001", "South", "Sri Balaji")
	north, _ := headoffice.AddDistributor(ho.store, "D002", "North", "Ganga Traders")
	if err := headoffice.SetAdmin(ho.store, "admin", "a long enough secret"); err != nil {
		t.Fatal(err)
	}
	d1 := newDistributorPC(t, clk, ho.url(), "D001", south)
	d2 := newDistributorPC(t, clk, ho.url(), "D002", north)
	for _, day := range []cal.Date{"2025-09-30", "2025-10-01", "2025-10-03", "2025-10-06"} {
		d1.bill(t, day, 5)
	}
	d2.bill(t, "2025-10-02", 4)
	d2.bill(t, "2025-10-06", 3)
	if err := d1.book.Update(func(tx *book.Tx) error { return RecordReceipts(tx, d1.gen.Receipts("2025-10-02", 3)...) }); err != nil {
		t.Fatal(err)
	}
	for _, pc := range []*distributorPC{d1, d2} {
		if _, err := pc.up.Now(context.Background()); err != nil {
			t.Fatal(err)
		}
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if r, _ := c.Get(ho.url() + "/api/ho/series?from=2025-10-01&to=2025-10-06"); r.StatusCode != 401 {
		t.Fatalf("series without login: %d", r.StatusCode)
	}
	loginAdmin(t, c, ho.url())

	for _, tc := range []struct {
		from, to, step string
		want           [][2]cal.Date
	}{
		{"2025-10-01", "2025-10-06", "day", [][2]cal.Date{{"2025-10-01", "2025-10-01"}, {"2025-10-02", "2025-10-02"}, {"2025-10-03", "2025-10-03"}, {"2025-10-04", "2025-10-04"}, {"2025-10-05", "2025-10-05"}, {"2025-10-06", "2025-10-06"}}},
		{"2025-09-24", "2025-10-15", "week", [][2]cal.Date{{"2025-09-24", "2025-09-28"}, {"2025-09-29", "2025-10-05"}, {"2025-10-06", "2025-10-12"}, {"2025-10-13", "2025-10-15"}}},
		{"2025-09-29", "2025-10-05", "week", [][2]cal.Date{{"2025-09-29", "2025-10-05"}}},
		{"2025-08-15", "2025-10-10", "month", [][2]cal.Date{{"2025-08-15", "2025-08-31"}, {"2025-09-01", "2025-09-30"}, {"2025-10-01", "2025-10-10"}}},
	} {
		var s headoffice.SeriesReport
		getJSON(t, c, ho.url()+"/api/ho/series?from="+tc.from+"&to="+tc.to+"&step="+tc.step, &s)
		if s.Step != tc.step || string(s.From) != tc.from || string(s.To) != tc.to || len(s.Points) != len(tc.want) {
			t.Fatalf("%s %s…%s: %+v", tc.step, tc.from, tc.to, s)
		}
		var sec, pri money.Paise
		var lines int64
		for i, pt := range s.Points {
			if pt.From != tc.want[i][0] || pt.To != tc.want[i][1] {
				t.Fatalf("%s point %d is %s…%s; want %s…%s", tc.step, i, pt.From, pt.To, tc.want[i][0], tc.want[i][1])
			}
			sec += pt.SecondaryPaise
			pri += pt.PrimaryPaise
			lines += pt.SecondaryLines
		}
		var sum headoffice.Summary
		getJSON(t, c, ho.url()+"/api/ho/summary?from="+tc.from+"&to="+tc.to, &sum)
		if sec != sum.Secondary.Taxable || pri != sum.Primary.Taxable || lines != sum.Secondary.Lines {
			t.Fatalf("%s %s…%s: points add to secondary %s (%d lines), primary %s; summary says %s (%d lines), %s",
				tc.step, tc.from, tc.to, sec, lines, pri, sum.Secondary.Taxable, sum.Secondary.Lines, sum.Primary.Taxable)
		}
		if sec == 0 || pri == 0 {
			t.Fatalf("%s %s…%s: nothing to add up (secondary %s, primary %s)", tc.step, tc.from, tc.to, sec, pri)
		}
	}

	// By day: the Saturday and Sunday with no sales are zero points, and the
	// days that had sales are not.
	var days headoffice.SeriesReport
	getJSON(t, c, ho.url()+"/api/ho/series?from=2025-10-01&to=2025-10-06&step=day", &days)
	for i, pt := range days.Points {
		quiet := pt.From == "2025-10-04" || pt.From == "2025-10-05"
		if quiet != (pt.SecondaryPaise == 0 && pt.SecondaryLines == 0 && pt.PrimaryPaise == 0) {
			t.Fatalf("day %d %+v: want zero exactly on the quiet weekend", i, pt)
		}
	}
	if days.Points[1].PrimaryPaise == 0 {
		t.Fatalf("the GRN on 2 October is not in its day: %+v", days.Points[1])
	}

	// Filtered to a region or a distributor, the series is that scope's own.
	for _, f := range []struct {
		q    string
		want money.Paise
	}{{"region=South", d1.taxable}, {"distributor=D002", d2.taxable}, {"region=West", 0}} {
		var s headoffice.SeriesReport
		getJSON(t, c, ho.url()+"/api/ho/series?from=2025-09-01&to=2025-10-31&step=week&"+f.q, &s)
		var sec money.Paise
		for _, pt := range s.Points {
			sec += pt.SecondaryPaise
		}
		if sec != f.want {
			t.Fatalf("series %s: %s; want %s", f.q, sec, f.want)
		}
	}

	for _, bad := range []string{"step=fortnight", "from=2025-10-06&to=2025-10-01", "to=06-10-2025"} {
		r, err := c.Get(ho.url() + "/api/ho/series?" + bad)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 400 {
			t.Fatalf("series?%s: %d; want 400", bad, r.StatusCode)
		}
	}
}

func loginAdmin(t *testing.T, c *http.Client, url string) {
	t.Helper()
	r, err := c.Post(url+"/api/ho/login", "application/json", strings.NewReader(`{"user":"admin","password":"a long enough secret"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("login: %d", r.StatusCode)
	}
}
