package headoffice

import (
	"fmt"
	"testing"

	"vitaran/backend/cal"
)

// A period is read as the calendar months wholly inside it and the days
// left at either end.
func TestWholeMonthsSplitsAPeriod(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     string
	}{
		{"2025-10-01", "2025-10-31", "2025-10-01..2025-10-01 []"},
		{"2025-10-01", "2025-10-30", "none [{2025-10-01 2025-10-30}]"},
		{"2025-10-02", "2025-10-31", "none [{2025-10-02 2025-10-31}]"},
		{"2025-09-15", "2025-11-05", "2025-10-01..2025-10-01 [{2025-09-15 2025-09-30} {2025-11-01 2025-11-05}]"},
		{"2025-12-01", "2026-02-28", "2025-12-01..2026-02-01 []"},
		{"2024-02-01", "2024-02-28", "none [{2024-02-01 2024-02-28}]"}, // a leap year's February has 29 days
		{"2024-01-31", "2024-03-01", "2024-02-01..2024-02-01 [{2024-01-31 2024-01-31} {2024-03-01 2024-03-01}]"},
		{"2025-10-07", "2025-10-07", "none [{2025-10-07 2025-10-07}]"},
	} {
		first, last, edges, ok := wholeMonths(Period{From: cal.Date(c.from), To: cal.Date(c.to)})
		got := "none"
		if ok {
			got = fmt.Sprintf("%s..%s", first, last)
		}
		got += fmt.Sprint(" ", edges)
		if got != c.want {
			t.Errorf("%s..%s: %s, want %s", c.from, c.to, got, c.want)
		}
	}
}

func TestMonthPlan(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"2025-10-01", "2025-10-31", "[{2025-10-01 2025-10-01}] [] []"},
		{"2025-10-02", "2025-10-31", "[{2025-10-01 2025-10-01}] [] [{2025-10-01 2025-10-01}]"},
		{"2025-10-03", "2025-11-01", "[{2025-10-01 2025-10-01}] [{2025-11-01 2025-11-01}] [{2025-10-01 2025-10-02}]"},
		{"2025-10-10", "2025-10-12", "[] [{2025-10-10 2025-10-12}] []"},
		{"2025-09-20", "2025-12-05", "[{2025-10-01 2025-11-01}] [{2025-09-20 2025-09-30} {2025-12-01 2025-12-05}] []"},
		{"2025-09-10", "2025-10-31", "[{2025-09-01 2025-10-01}] [] [{2025-09-01 2025-09-09}]"},
		{"2025-10-05", "2025-10-25", "[{2025-10-01 2025-10-01}] [] [{2025-10-01 2025-10-04} {2025-10-26 2025-10-31}]"},
	} {
		months, plus, minus := monthPlan(Period{From: cal.Date(c.from), To: cal.Date(c.to)})
		if got := fmt.Sprint(months, " ", plus, " ", minus); got != c.want {
			t.Errorf("%s..%s: %s, want %s", c.from, c.to, got, c.want)
		}
	}
}
