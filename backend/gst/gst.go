// Package gst holds India's Goods and Services Tax rules that Vitaran needs:
// GSTIN validation (format, state prefix, check character), state codes,
// the notified rate slabs and how a rate splits into CGST + SGST or IGST.
//
// Always true: a tax amount is computed per line on its taxable value, and
// an intra-state line's CGST and SGST are equal (each is half the rate of the
// same taxable value, rounded alike), so CGST + SGST never differs from the
// sum on the invoice by a stray paisa.
package gst

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/money"
)

// Rate is a GST rate in basis points: 1800 is 18 %.
type Rate = money.BP

// GST2 is the day the GST 2.0 slabs took effect (22-09-2025).
var GST2 = time.Date(2025, 9, 22, 0, 0, 0, 0, time.UTC)

// ValidRate reports whether rate is a notified slab on the given date. Since
// GST 2.0 the slabs are 0, 5, 18 and 40 %, with 0.25 and 3 % for special
// goods; 12 and 28 % stay valid for earlier dates and a few goods. 40 % did
// not exist before GST 2.0.
func ValidRate(rate Rate, on time.Time) error {
	switch rate {
	case 0, 25, 300, 500, 1200, 1800, 2800:
		return nil
	case 4000:
		if on.Before(GST2) {
			return fmt.Errorf("40%% GST applies only from 22-09-2025")
		}
		return nil
	}
	return fmt.Errorf("%s is not a GST rate: use 0, 0.25, 3, 5, 12, 18, 28 or 40%%", rate)
}

// Tax is the GST on one taxable value.
type Tax struct {
	CGST, SGST, IGST money.Paise
}

// Total is all tax on the value.
func (t Tax) Total() money.Paise { return t.CGST + t.SGST + t.IGST }

// Compute splits the tax on taxable at rate: half CGST and half SGST within a
// state, all IGST across states.
func Compute(taxable money.Paise, rate Rate, interState bool) Tax {
	if interState {
		return Tax{IGST: taxable.MulRate(rate)}
	}
	half := taxable.MulRate(rate / 2)
	if rate%2 != 0 { // 0.25 % splits into 0.125 % each: compute in tenths
		half = money.Paise(divRoundHalf(int64(taxable)*int64(rate), 20000))
	}
	return Tax{CGST: half, SGST: half}
}

func divRoundHalf(a, b int64) int64 {
	if a >= 0 {
		return (a + b/2) / b
	}
	return -((-a + b/2) / b)
}

// States maps the two-digit GST state code to the state's name.
var States = map[string]string{
	"01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh",
	"05": "Uttarakhand", "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh",
	"10": "Bihar", "11": "Sikkim", "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur",
	"15": "Mizoram", "16": "Tripura", "17": "Meghalaya", "18": "Assam", "19": "West Bengal",
	"20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh", "23": "Madhya Pradesh", "24": "Gujarat",
	"26": "Dadra and Nagar Haveli and Daman and Diu", "27": "Maharashtra", "29": "Karnataka",
	"30": "Goa", "31": "Lakshadweep", "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry",
	"35": "Andaman and Nicobar Islands", "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh",
	"97": "Other Territory",
}

// StateName returns the state's name for a code, or "" if unknown.
func StateName(code string) string { return States[code] }

// ValidState checks a two-digit state code.
func ValidState(code string) error {
	if _, ok := States[code]; !ok {
		return fmt.Errorf("state code %q is not a GST state code (e.g. 29 for Karnataka, 33 for Tamil Nadu)", code)
	}
	return nil
}

const gstinChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// CheckChar computes the 15th character of a GSTIN from its first 14.
func CheckChar(first14 string) byte {
	sum := 0
	for i := 0; i < 14; i++ {
		v := strings.IndexByte(gstinChars, first14[i])
		factor := 1
		if i%2 == 1 {
			factor = 2
		}
		p := v * factor
		sum += p/36 + p%36
	}
	return gstinChars[(36-sum%36)%36]
}

// NormalizeGSTIN upper-cases and trims a GSTIN as typed.
func NormalizeGSTIN(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidateGSTIN checks a GSTIN's shape, state code and check character and
// says what to fix: "GSTIN 29ABCDE1234F1ZX: the last character should be W".
func ValidateGSTIN(g string) error {
	if len(g) != 15 {
		return fmt.Errorf("GSTIN %s: must be 15 characters, not %d", g, len(g))
	}
	for i := 0; i < 15; i++ {
		if strings.IndexByte(gstinChars, g[i]) < 0 {
			return fmt.Errorf("GSTIN %s: character %d (%q) must be a digit or a capital letter", g, i+1, g[i])
		}
	}
	if _, ok := States[g[:2]]; !ok {
		return fmt.Errorf("GSTIN %s: %q is not a state code", g, g[:2])
	}
	for i := 2; i < 12; i++ {
		letter := g[i] >= 'A' && g[i] <= 'Z'
		wantLetter := i < 7 || i == 11
		if letter != wantLetter {
			return fmt.Errorf("GSTIN %s: characters 3–12 must be a PAN (5 letters, 4 digits, 1 letter)", g)
		}
	}
	if g[12] == '0' {
		return fmt.Errorf("GSTIN %s: character 13 (registration number) cannot be 0", g)
	}
	if want := CheckChar(g[:14]); g[14] != want {
		return fmt.Errorf("GSTIN %s: the last character should be %c", g, want)
	}
	return nil
}

// StateOfGSTIN returns the state code a GSTIN belongs to.
func StateOfGSTIN(g string) string {
	if len(g) < 2 {
		return ""
	}
	return g[:2]
}

// ValidateHSN checks an HSN or SAC code: 4, 6 or 8 digits.
func ValidateHSN(h string) error {
	if n := len(h); n != 4 && n != 6 && n != 8 {
		return fmt.Errorf("HSN %q: must be 4, 6 or 8 digits", h)
	}
	for _, c := range h {
		if c < '0' || c > '9' {
			return fmt.Errorf("HSN %q: must be digits only", h)
		}
	}
	return nil
}
