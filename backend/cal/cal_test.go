package cal

import (
	"testing"
	"time"
)

func TestFinancialYearRunsAprilToMarch(t *testing.T) {
	cases := map[Date]string{"2026-11-25": "2026-27", "2027-03-31": "2026-27", "2027-04-01": "2027-28", "2026-01-10": "2025-26"}
	for d, want := range cases {
		if got := FYOf(d, 4).Label(); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
	fy := FYOf("2026-11-25", 4)
	if fy.First() != "2026-04-01" || fy.Last() != "2027-03-31" || fy.Short() != "26-27" {
		t.Fatalf("%v %v %v", fy.First(), fy.Last(), fy.Short())
	}
}

func TestDatesDisplayDayFirst(t *testing.T) {
	if got := MustParse("2026-11-25").Display(); got != "25-11-2026" {
		t.Fatal(got)
	}
	if _, err := Parse("25-11-2026"); err == nil {
		t.Fatal("day-first accepted as ISO")
	}
	if d := Date("2026-02-28").AddDays(1); d != "2026-03-01" {
		t.Fatal(d)
	}
}

func TestPinMovesTodayAndUnpinRestoresIt(t *testing.T) {
	defer Pin("")
	for _, d := range []Date{"2026-12-01", "2027-04-01", "2027-03-31", "2028-02-29"} {
		Pin(d)
		if got := Today(); got != d {
			t.Errorf("pinned %s, Today is %s", d, got)
		}
		if got := Of(Now().In(IST)); got != d {
			t.Errorf("pinned %s, Now is on %s", d, got)
		}
	}
	Pin("")
	if d := time.Since(Now()); d > time.Second || d < -time.Second {
		t.Fatal("unpinned clock is not the wall clock")
	}
}

func TestLeapDayFallsInItsFinancialYear(t *testing.T) {
	fy := FYOf("2028-02-29", 4)
	if fy.Label() != "2027-28" || fy.Last() != "2028-03-31" {
		t.Fatal(fy.Label(), fy.Last())
	}
	if d := Date("2028-02-28").AddDays(1); d != "2028-02-29" {
		t.Fatal(d)
	}
}
