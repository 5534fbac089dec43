package tallybridge

import (
	"testing"

	"vitaran/backend/money"
)

func TestLineDiscountReproducesTheAmount(t *testing.T) {
	cases := []struct {
		name          string
		gross, amount money.Paise
		hint          money.BP
		want          string
	}{
		{"no discount", 125500, 125500, 0, ""},
		{"the clerk's 5 % is enough", 120000, 114000, 500, "5"},
		{"a ₹2-a-piece scheme on 96 at ₹4.09", 39264, 37693 - 192, 0, "4.49"},
		{"a slab 2 % on a line the clerk gave 2.5 %", 200000, 191100, 250, "4.45"},
	}
	for _, c := range cases {
		got, err := lineDiscount(c.gross, c.amount, c.hint)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.want != "" && got != c.want {
			t.Errorf("%s: DISCOUNT %q, want %q", c.name, got, c.want)
		}
		if c.want == "" && got != "" {
			t.Errorf("%s: DISCOUNT %q, want none", c.name, got)
		}
	}
	// every amount below a line's value has its percentage, to the paisa
	for gross := money.Paise(1); gross < 3000; gross += 173 {
		for amount := money.Paise(0); amount <= gross; amount++ {
			if _, err := lineDiscount(gross, amount, 0); err != nil {
				t.Fatalf("%s → %s: %v", gross.Plain(), amount.Plain(), err)
			}
		}
	}
	for _, bad := range [][2]money.Paise{{1000, 1001}, {0, 5}, {1000, -1}} {
		if _, err := lineDiscount(bad[0], bad[1], 0); err == nil {
			t.Errorf("%v: a negative discount was accepted", bad)
		}
	}
}

func TestExactRateReproducesTheAmount(t *testing.T) {
	for _, c := range []struct {
		amount money.Paise
		qty    money.Qty
		want   string
	}{{10000, 10, "10.00"}, {10000, 3, "33.333"}, {1, 7, "0.001"}} {
		got, err := exactRate(c.amount, c.qty)
		if err != nil || got != c.want {
			t.Errorf("%s for %d: %q %v, want %q", c.amount.Plain(), c.qty, got, err, c.want)
		}
	}
}
