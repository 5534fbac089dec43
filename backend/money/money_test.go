package money

import "testing"

func TestIndianGrouping(t *testing.T) {
	cases := map[Paise]string{
		0: "0.00", 5: "0.05", 153100: "1,531.00", 12345678: "1,23,456.78",
		1234567890: "1,23,45,678.90", -184500: "-1,845.00", 99999: "999.99",
	}
	for p, want := range cases {
		if got := p.String(); got != want {
			t.Errorf("%d paise: got %q, want %q", p, got, want)
		}
	}
}

func TestAmountInWordsIndianStyle(t *testing.T) {
	cases := map[Paise]string{
		153100:      "Rupees One Thousand Five Hundred Thirty-One Only",
		1050:        "Rupees Ten and Fifty Paise Only",
		12345678900: "Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine Only",
		100:         "Rupees One Only",
	}
	for p, want := range cases {
		if got := p.Words(); got != want {
			t.Errorf("%d: got %q, want %q", p, got, want)
		}
	}
}

func TestRoundingIsHalfAwayFromZero(t *testing.T) {
	// 18 % of ₹ 0.25 = 4.5 paise → 5 paise
	if got := Paise(25).MulRate(1800); got != 5 {
		t.Fatalf("got %d", got)
	}
	if got := Paise(-25).MulRate(1800); got != -5 {
		t.Fatalf("got %d", got)
	}
	r, off := Paise(153090).RoundToRupee()
	if r != 153100 || off != 10 {
		t.Fatalf("round: %d %d", r, off)
	}
	r, off = Paise(153049).RoundToRupee()
	if r != 153000 || off != -49 {
		t.Fatalf("round down: %d %d", r, off)
	}
}

func TestSplitAlwaysAddsUp(t *testing.T) {
	for _, tc := range []struct {
		p Paise
		w []int64
	}{{100, []int64{1, 1, 1}}, {-100, []int64{1, 1, 1}}, {1, []int64{5, 5}}, {99999, []int64{3, 7, 11, 13}}, {0, []int64{1}}} {
		parts, err := tc.p.Split(tc.w)
		if err != nil {
			t.Fatal(err)
		}
		var sum Paise
		for _, x := range parts {
			sum += x
		}
		if sum != tc.p {
			t.Errorf("split %d over %v = %v (sum %d)", tc.p, tc.w, parts, sum)
		}
	}
}

func TestParseRupees(t *testing.T) {
	good := map[string]Paise{"1,531": 153100, "₹ 1,23,456.78": 12345678, "125.5": 12550, "-3.10": -310, "0.05": 5, "12.500": 1250, ".5": 50}
	for s, want := range good {
		got, err := ParseRupees(s)
		if err != nil || got != want {
			t.Errorf("%q: got %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "abc", "1.234", "12-3", "1e5", "₹", "."} {
		if _, err := ParseRupees(s); err == nil {
			t.Errorf("%q: accepted", s)
		}
	}
}

func FuzzParseRupees(f *testing.F) {
	for _, s := range []string{"1,531", "₹ 1,23,456.78", "-3.10", "", "1.234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseRupees(s)
		if err != nil {
			return
		}
		back, err := ParseRupees(p.Plain())
		if err != nil || back != p {
			t.Fatalf("%q → %d → %q → %d, %v", s, p, p.Plain(), back, err)
		}
	})
}
