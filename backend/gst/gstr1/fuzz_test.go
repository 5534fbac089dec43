package gstr1

import "testing"

// A period is MMYYYY or refused; what is read is the month's first and last day.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"112026", "022024", "132026", "002026", "1120266", "ab2026", " 112026", "-12026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, to, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if !from.Valid() || !to.Valid() || from[:7] != to[:7] || from[8:] != "01" || to.AddDays(1)[8:] != "01" {
			t.Fatalf("%q → %s … %s", s, from, to)
		}
	})
}
