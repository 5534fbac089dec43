// Package cal holds the calendar of an Indian business: civil dates without a
// time of day (written YYYY-MM-DD in JSON and keys, DD-MM-YYYY to people),
// the financial year (April–March by default) and its label ("2026-27").
//
// Always true: a Date's string form sorts in calendar order, so it can be a
// key prefix in the book.
package cal

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Date is a calendar day, "YYYY-MM-DD".
type Date string

// IST is India Standard Time; business days are counted in it.
var IST = time.FixedZone("IST", 5*3600+1800)

// Today is the current day in India, by the business clock (see Now).
func Today() Date { return Of(Now().In(IST)) }

// TodayEnv names the test-only setting that pins the business clock to a
// day ("YYYY-MM-DD"), so the demo, the server and every test that spawns them
// agree on "today" whatever the wall clock says. A book in use never sets it.
const TodayEnv = "VITARAN_TODAY"

var clock struct {
	sync.RWMutex
	offset time.Duration // added to the wall clock; zero unless pinned
}

// Now is the business clock: the wall clock, unless Pin moved it. Everything
// that stamps or dates a document asks it, never time.Now directly.
func Now() time.Time {
	clock.RLock()
	off := clock.offset
	clock.RUnlock()
	if off == 0 {
		return time.Now()
	}
	return time.Now().Add(off)
}

// Pin makes d "today": the pinned day starts at 09:00 IST when Pin is called
// and runs on at the machine's pace, so stamps still order. Pin("") unpins.
// For tests and the test-only VITARAN_TODAY setting.
func Pin(d Date) {
	clock.Lock()
	defer clock.Unlock()
	if d == "" {
		clock.offset = 0
		return
	}
	start := time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 9, 0, 0, 0, IST)
	clock.offset = time.Until(start)
	if clock.offset == 0 {
		clock.offset = time.Nanosecond // zero means "not pinned"
	}
}

func init() {
	v := strings.TrimSpace(os.Getenv(TodayEnv))
	if v == "" {
		return
	}
	d, err := Parse(v)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", TodayEnv, err))
	}
	Pin(d)
}

// Of returns the calendar day of t in t's own location.
func Of(t time.Time) Date { return Date(t.Format("2006-01-02")) }

// Parse reads "YYYY-MM-DD" strictly and names the problem.
func Parse(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("%q is not a date: write it as YYYY-MM-DD", s)
	}
	return Of(t), nil
}

// MustParse is Parse for constants in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Time is the day at midnight UTC (for arithmetic, never for display).
func (d Date) Time() time.Time {
	t, _ := time.Parse("2006-01-02", string(d))
	return t
}

// Valid reports whether d is a real date.
func (d Date) Valid() bool { _, err := Parse(string(d)); return err == nil }

// AddDays moves the date by n days.
func (d Date) AddDays(n int) Date { return Of(d.Time().AddDate(0, 0, n)) }

// DaysUntil counts the days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.Time().Sub(d.Time()).Hours() / 24) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d < e }

// Display writes the date as Indians read it: DD-MM-YYYY.
func (d Date) Display() string {
	if len(d) != 10 {
		return string(d)
	}
	return string(d[8:10]) + "-" + string(d[5:7]) + "-" + string(d[0:4])
}

// Compact writes YYYYMMDD, as Tally wants.
func (d Date) Compact() string { return strings.ReplaceAll(string(d), "-", "") }

// FY is a financial year, named by the calendar year it starts in.
type FY struct {
	Start int // e.g. 2026 for 2026-27
	Month int // first month, 4 (April) in India
}

// FYOf returns the financial year containing d, for years starting in startMonth.
func FYOf(d Date, startMonth int) FY {
	if startMonth < 1 || startMonth > 12 {
		startMonth = 4
	}
	t := d.Time()
	y := t.Year()
	if int(t.Month()) < startMonth {
		y--
	}
	return FY{Start: y, Month: startMonth}
}

// Label is "2026-27" (or "2026" for a calendar-year book).
func (f FY) Label() string {
	if f.Month == 1 {
		return fmt.Sprintf("%d", f.Start)
	}
	return fmt.Sprintf("%d-%02d", f.Start, (f.Start+1)%100)
}

// Short is "26-27", the form invoice prefixes use.
func (f FY) Short() string {
	if f.Month == 1 {
		return fmt.Sprintf("%02d", f.Start%100)
	}
	return fmt.Sprintf("%02d-%02d", f.Start%100, (f.Start+1)%100)
}

// First is the first day of the year.
func (f FY) First() Date { return Of(time.Date(f.Start, time.Month(f.Month), 1, 0, 0, 0, 0, time.UTC)) }

// Last is the last day of the year.
func (f FY) Last() Date {
	return Of(time.Date(f.Start+1, time.Month(f.Month), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1))
}
