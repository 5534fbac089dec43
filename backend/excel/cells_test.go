package excel

import (
	"strings"
	"testing"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

func TestNumbersAreReadFromTheirText(t *testing.T) {
	money_ := map[string]money.Paise{
		"40": 4000, "₹ 40.00": 4000, "1,23,456.78": 12345678, " 12 ": 1200, "Rs. 40/-": 4000,
		"40.1": 4010, "40.000000000000004": 4000, "12.299999999999999": 1230, "1.5E+3": 150000,
		"(12.50)": -1250, "-3.10": -310, "0.5": 50, ".5": 50, "12.500": 1250, "INR 1,531": 153100,
		"\u00a040\u00a0": 4000,
	}
	for in, want := range money_ {
		got, err := ParseMoney(in, true)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	refused := map[string]string{
		"abc": "is not an amount in rupees (write it like 40 or 40.50)", "40.123": "has more than 2 decimal places",
		"1.2.3": "is not an amount", "": "is not an amount", "₹": "is not an amount", "12 pcs": "is not an amount",
		"99999999999999999999": "is too large",
	}
	for in, want := range refused {
		if _, err := ParseMoney(in, true); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseMoney(%q): got %v, want %q", in, err, want)
		}
	}
	if _, err := ParseMoney("-5", false); err == nil || err.Error() != "cannot be negative" {
		t.Errorf("a negative price is refused: %v", err)
	}
	qty := map[string]money.Qty{"1,234": 1234, " 12 ": 12, "12.0": 12, "1E+3": 1000, "0": 0}
	for in, want := range qty {
		if got, err := ParseQty(in, false); err != nil || got != want {
			t.Errorf("ParseQty(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseQty("12.5", false); err == nil || err.Error() != "must be a whole number" {
		t.Errorf("half a piece: %v", err)
	}
	if _, err := ParseQty("-3", false); err == nil || err.Error() != "cannot be negative" {
		t.Errorf("negative quantity: %v", err)
	}
	if q, err := ParseQty("-3", true); err != nil || q != -3 {
		t.Errorf("negative adjustment: %d %v", q, err)
	}
}

func TestPercentagesAndGSTRates(t *testing.T) {
	pct := map[string]money.BP{"18": 1800, "18%": 1800, "2.5 %": 250, "0.5": 50, "100": 10000}
	for in, want := range pct {
		if got, err := ParsePercent(in, false); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParsePercent("101", false); err == nil {
		t.Error("101% accepted")
	}
	rates := map[string]money.BP{"18": 1800, "5%": 500, "0.18": 1800, "0.05": 500, "0.25": 25, "0.4": 4000, "40": 4000}
	for in, want := range rates {
		if got, err := ParseGSTRate(in); err != nil || got != want {
			t.Errorf("ParseGSTRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseGSTRate("17"); err == nil || !strings.Contains(err.Error(), "not a GST rate") {
		t.Errorf("17%% is not a slab: %v", err)
	}
}

func TestDatesAsExcelSerialsAndAsIndianText(t *testing.T) {
	cases := map[string]cal.Date{
		"46027": "2026-01-05", "46027.75": "2026-01-05", "05-01-2026": "2026-01-05", "5/1/2026": "2026-01-05",
		"05/01/26": "2026-01-05", "2026-01-05": "2026-01-05", "5-Jan-2026": "2026-01-05", "05 Jan 26": "2026-01-05",
		"5-January-2026": "2026-01-05", "05.01.2026": "2026-01-05", "20260105": "2026-01-05",
		"2026-01-05T00:00:00Z": "2026-01-05", "05/01/2026 00:00": "2026-01-05", "Jan 5, 2026": "2026-01-05",
		"29-02-2024": "2024-02-29", "31/03/1999": "1999-03-31",
	}
	for in, want := range cases {
		if got, err := ParseDate(in, false); err != nil || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	refused := map[string]string{
		"01/15/2026": "month 15 does not exist: write dates as DD-MM-YYYY",
		"29-02-2025": "February has no day 29", "tomorrow": "is not a date: write dates as DD-MM-YYYY",
		"12": "is 12-01-1900, not a plausible date: write dates as DD-MM-YYYY", "": "is not a date",
		"60": "is 29-02-1900, a day that never was (an Excel quirk)",
	}
	for in, want := range refused {
		if _, err := ParseDate(in, false); err == nil || err.Error() != want {
			t.Errorf("ParseDate(%q): got %v, want %q", in, err, want)
		}
	}
}

func TestExcelSerialsKeepThe1900LeapYearBugAndThe1904System(t *testing.T) {
	cases := []struct {
		n     int64
		d1904 bool
		want  cal.Date
	}{
		{1, false, "1900-01-01"}, {59, false, "1900-02-28"}, {61, false, "1900-03-01"},
		{45658, false, "2025-01-01"}, {0, true, "1904-01-01"}, {44196, true, "2025-01-01"},
	}
	for _, c := range cases {
		if got, err := SerialDate(c.n, c.d1904); err != nil || got != c.want {
			t.Errorf("SerialDate(%d, 1904=%v) = %q, %v; want %s", c.n, c.d1904, got, err, c.want)
		}
	}
	if _, err := SerialDate(60, false); err == nil {
		t.Error("serial 60 is 29-02-1900, which never was")
	}
	if got := Serial("2025-01-01"); got != 45658 {
		t.Errorf("Serial(2025-01-01) = %d", got)
	}
}

func TestBooleansGSTINsAndHSNs(t *testing.T) {
	for in, want := range map[string]bool{"Yes": true, "n": false, "TRUE": true, "0": false, "Active": true, " inactive ": false, "Y": true} {
		if got, err := ParseBool(in); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseBool("maybe"); err == nil {
		t.Error("maybe is not yes or no")
	}
	if g, err := ParseGSTIN(" 29abcde1234f1zw "); err != nil || g != "29ABCDE1234F1ZW" {
		t.Errorf("lower-case GSTIN with spaces: %q %v", g, err)
	}
	if _, err := ParseGSTIN("29ABCDE1234F1ZX"); err == nil || err.Error() != "the last character should be W" {
		t.Errorf("wrong check character: %v", err)
	}
	for _, none := range []string{"", "URP", "Unregistered", "NA", "-"} {
		if g, err := ParseGSTIN(none); err != nil || g != "" {
			t.Errorf("%q means unregistered: %q %v", none, g, err)
		}
	}
	for in, want := range map[string]string{"34011190": "34011190", "3401.11.90": "34011190", "401": "0401", "190531": "190531"} {
		if got, err := ParseHSN(in); err != nil || got != want {
			t.Errorf("ParseHSN(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	if _, err := ParseHSN("34AB"); err == nil || err.Error() != "must be digits only" {
		t.Errorf("letters in an HSN: %v", err)
	}
	if _, err := ParseHSN("34"); err == nil || err.Error() != "must be 4, 6 or 8 digits" {
		t.Errorf("short HSN: %v", err)
	}
}

func TestHeadersMatchRegardlessOfCaseSpacingPunctuationAndSynonyms(t *testing.T) {
	spec := testSpec()
	cols, found := matchHeader(spec, []string{"m.r.p. (₹)", " QUANTITY ", "sku", "Remarks", "Tax Rate", "Item Name*"})
	if found != 5 {
		t.Fatalf("found %d fields, want 5: %v", found, cols)
	}
	want := []string{"MRP", "Qty", "Item Code", "", "GST %", "Item Name"}
	for i, f := range cols {
		got := ""
		if f >= 0 {
			got = spec.Fields[f].Name
		}
		if got != want[i] {
			t.Errorf("column %d: got %q, want %q", i, got, want[i])
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"40", "₹ 1,23,456.78", "(12.50)", "1.5E+3", "40.000000000000004", "-0.01", "1e-30", ".", "Rs."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseMoney(s, true)
		if err != nil {
			return
		}
		// What was read prints back to the same paise.
		if q, err := ParseMoney(p.Plain(), true); err != nil || q != p {
			t.Fatalf("%q → %d → %q → %d, %v", s, p, p.Plain(), q, err)
		}
	})
}

func FuzzParseQty(f *testing.F) {
	for _, s := range []string{"1,234", " 12 ", "12.0", "-3", "1E+3", "12.5", "(7)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQty(s, false)
		if err == nil && q < 0 {
			t.Fatalf("%q gave a negative quantity %d", s, q)
		}
	})
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"18", "18%", "0.18", "2.5 %", "0.25"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := ParsePercent(s, false); err == nil && (b < 0 || b > 10000) {
			t.Fatalf("%q gave %d bp", s, b)
		}
		if b, err := ParseGSTRate(s); err == nil && !isSlab(b) {
			t.Fatalf("%q gave a rate that is not a slab: %d", s, b)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"46027", "05-01-2026", "5/1/26", "2026-01-05", "5-Jan-2026", "60", "20260105", "1 2 3", "2026-01-05T10:00:00"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, d1904 bool) {
		d, err := ParseDate(s, d1904)
		if err != nil {
			return
		}
		if !d.Valid() {
			t.Fatalf("%q gave an invalid date %q", s, d)
		}
		// A date read back from its own display form is itself.
		if e, err := ParseDate(d.Display(), false); err != nil || e != d {
			t.Fatalf("%q → %s → %q, %v", s, d, e, err)
		}
	})
}

func FuzzParseBoolGSTINHSN(f *testing.F) {
	for _, s := range []string{"Yes", "0", "29ABCDE1234F1ZW", "URP", "3401.11", "401"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseBool(s)
		if g, err := ParseGSTIN(s); err == nil && g != "" && len(g) != 15 {
			t.Fatalf("%q gave GSTIN %q", s, g)
		}
		if h, err := ParseHSN(s); err == nil && len(h) != 4 && len(h) != 6 && len(h) != 8 {
			t.Fatalf("%q gave HSN %q", s, h)
		}
		_ = ParseCode(s)
	})
}
