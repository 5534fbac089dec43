package gst

import (
	"strings"
	"testing"
	"time"
)

func TestGSTINCheckCharacterNamesTheFix(t *testing.T) {
	good := "29ABCDE1234F1Z" + string(CheckChar("29ABCDE1234F1Z"))
	if err := ValidateGSTIN(good); err != nil {
		t.Fatalf("%s refused: %v", good, err)
	}
	if good != "29ABCDE1234F1ZW" {
		t.Fatalf("check char of the UX example: got %s", good)
	}
	err := ValidateGSTIN("29ABCDE1234F1ZX")
	if err == nil || err.Error() != "GSTIN 29ABCDE1234F1ZX: the last character should be W" {
		t.Fatalf("got %v", err)
	}
	// A real, published GSTIN shape (Karnataka) validates.
	for _, bad := range []string{"29ABCDE1234F1Z", "99ABCDE1234F1ZW", "29ABCD11234F1ZW", "29abcde1234f1zw"} {
		if ValidateGSTIN(bad) == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestIntraStateSplitsHalfAndHalf(t *testing.T) {
	tx := Compute(145800, 500, false) // ₹1,458 at 5 %
	if tx.CGST != 3645 || tx.SGST != 3645 || tx.IGST != 0 {
		t.Fatalf("%+v", tx)
	}
}

func TestInterStateChargesIGST(t *testing.T) {
	tx := Compute(100000, 1800, true)
	if tx.IGST != 18000 || tx.CGST != 0 {
		t.Fatalf("%+v", tx)
	}
}

func TestQuarterPercentSplitsEvenly(t *testing.T) {
	tx := Compute(100000, 25, false) // 0.125 % each of ₹1,000 = 1.25 → 125 paise
	if tx.CGST != 125 || tx.SGST != 125 {
		t.Fatalf("%+v", tx)
	}
}

func TestRatesAreEffectiveDated(t *testing.T) {
	before := time.Date(2025, 9, 21, 0, 0, 0, 0, time.UTC)
	if err := ValidRate(4000, before); err == nil {
		t.Fatal("40% accepted before GST 2.0")
	}
	if err := ValidRate(4000, GST2); err != nil {
		t.Fatal(err)
	}
	if err := ValidRate(1500, GST2); err == nil || !strings.Contains(err.Error(), "not a GST rate") {
		t.Fatalf("got %v", err)
	}
}

func FuzzValidateGSTIN(f *testing.F) {
	f.Add("29ABCDE1234F1ZW")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateGSTIN(s) == nil && CheckChar(s[:14]) != s[14] {
			t.Fatal("accepted a wrong check char")
		}
	})
}

func TestAPINMustBelongToItsState(t *testing.T) {
	for _, c := range []struct{ pin, state, want string }{
		{"560011", "29", ""},
		{"600001", "33", ""},
		{"605001", "34", ""}, // Puducherry
		{"194101", "38", ""}, // Leh, Ladakh
		{"560011", "33", "PIN 560011 is not in Tamil Nadu (33): its PINs start with 600–643"},
		{"56001", "29", `PIN "56001": must be 6 digits`},
		{"56O011", "29", `PIN "56O011": must be digits only`},
		{"060011", "29", "PIN 060011: no Indian PIN starts with 0"},
		{"560011", "97", ""}, // Other Territory has no range to check
	} {
		err := ValidatePIN(c.pin, c.state)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s in %s: got %q, want %q", c.pin, c.state, got, c.want)
		}
	}
}

// Any PIN typed is accepted or refused with a reason, never a panic; an
// accepted one is six digits.
func FuzzValidatePIN(f *testing.F) {
	for _, s := range []string{"560011", "600001", "06001", "５６００１１", ""} {
		f.Add(s, "29")
	}
	f.Fuzz(func(t *testing.T, pin, state string) {
		if ValidatePIN(pin, state) == nil && len(strings.TrimSpace(pin)) != 6 {
			t.Fatalf("%q accepted", pin)
		}
	})
}
