package rules

import (
	"testing"

	"vitaran/backend/money"
)

func TestRupeesReadAsPaiseString(t *testing.T) {
	for _, p := range []money.Paise{0, 1, 9, 10, 99, 100, 105, 12345, -1, -150, -123456789, 9_99_99_999, 1<<40 + 7} {
		if got, want := rs(p), "₹"+p.String(); got != want {
			t.Fatalf("rs(%d) = %q, want %q", p, got, want)
		}
	}
}
