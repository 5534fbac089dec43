package excel

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/gst"
	"vitaran/backend/money"
)

// The cell parsers take a cell's text (trimmed or not) and return the value
// or an error whose text is the reason a clerk reads after "row 5, column
// MRP: abc: ". None of them goes through a float.

// clean trims every kind of space a pasted cell carries, including the
// non-breaking and zero-width ones web pages and PDFs leave behind.
func clean(s string) string {
	return strings.Trim(strings.TrimSpace(s), "\u200b\ufeff\u00a0 \t\r\n")
}

// numberText strips what people put around a number: currency marks, Indian
// grouping commas, "/-", spaces, accounting parentheses. It reports whether
// the parentheses made the number negative.
func numberText(s string) (string, bool) {
	t := clean(s)
	neg := false
	if len(t) > 2 && t[0] == '(' && t[len(t)-1] == ')' {
		neg, t = true, t[1:len(t)-1]
	}
	for _, p := range []string{"₹", "Rs.", "Rs", "RS.", "RS", "rs.", "rs", "INR", "inr"} {
		if strings.HasPrefix(t, p) {
			t = t[len(p):]
			break
		}
	}
	t = strings.TrimSuffix(t, "/-")
	t = strings.Map(func(r rune) rune {
		switch r {
		case ',', ' ', '\u00a0', '\u200b':
			return -1
		}
		return r
	}, t)
	return t, neg
}

var (
	errNotNumber = errors.New("not a number")
	errTooBig    = errors.New("too large")
)

// decimal reads a plain decimal ("-12.50", "1.5E+3") exactly, scaled by
// 10^places: decimal("40.1", 2) is 4010. Digits beyond places are refused
// unless they are zeros, or float noise from another program
// ("40.100000000000001", fifteen or more significant digits), which is
// rounded half away from zero.
func decimal(s string, places int) (int64, error) {
	if s == "" {
		return 0, errNotNumber
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg, s = s[0] == '-', s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 30 || e < -30 {
			return 0, errNotNumber
		}
		exp = e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" && frac == "" {
		return 0, errNotNumber
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, errNotNumber
		}
	}
	digits := strings.TrimLeft(whole+frac, "0")
	sig := len(strings.TrimRight(digits, "0"))
	k := exp - len(frac) + places // value = digits × 10^k
	var kept string
	roundUp := false
	if k >= 0 {
		if digits != "" {
			kept = digits + strings.Repeat("0", k)
		}
	} else {
		drop := -k
		if drop >= len(digits) {
			kept, digits = "", strings.Repeat("0", drop-len(digits))+digits
		} else {
			kept = digits[:len(digits)-drop]
		}
		dropped := digits[len(digits)-min(drop, len(digits)):]
		if strings.Trim(dropped, "0") != "" {
			if sig < 15 {
				if places == 0 {
					return 0, errors.New("must be a whole number")
				}
				return 0, fmt.Errorf("has more than %d decimal places", places)
			}
			roundUp = dropped[0] >= '5'
		}
	}
	if len(kept) > 17 {
		return 0, errTooBig
	}
	var v int64
	if kept != "" {
		v, _ = strconv.ParseInt(kept, 10, 64)
	}
	if roundUp {
		v++
	}
	if neg {
		v = -v
	}
	return v, nil
}

// ParseQty reads a whole quantity: "1,234", " 12 ", "12.0".
func ParseQty(s string, allowNegative bool) (money.Qty, error) {
	t, paren := numberText(s)
	v, err := decimal(t, 0)
	if err != nil {
		return 0, numberReason(err, "a quantity (write it like 12 or 1,200)")
	}
	if paren {
		v = -v
	}
	if v < 0 && !allowNegative {
		return 0, errors.New("cannot be negative")
	}
	return money.Qty(v), nil
}

// ParseInt reads a whole number the same way as a quantity.
func ParseInt(s string, allowNegative bool) (int64, error) {
	t, paren := numberText(s)
	v, err := decimal(t, 0)
	if err != nil {
		return 0, numberReason(err, "a whole number")
	}
	if paren {
		v = -v
	}
	if v < 0 && !allowNegative {
		return 0, errors.New("cannot be negative")
	}
	return v, nil
}

// ParseMoney reads rupees into paise: "₹ 40.00", "1,23,456.78", "Rs. 40/-",
// "(12.50)" (accounting negative), "40.000000000000004" (float noise).
func ParseMoney(s string, allowNegative bool) (money.Paise, error) {
	t, paren := numberText(s)
	v, err := decimal(t, 2)
	if err != nil {
		return 0, numberReason(err, "an amount in rupees (write it like 40 or 40.50)")
	}
	if paren {
		v = -v
	}
	if v < 0 && !allowNegative {
		return 0, errors.New("cannot be negative")
	}
	return money.Paise(v), nil
}

// ParsePercent reads a percentage into basis points: "18", "18%", "2.5 %".
// The number is taken as written: 0.5 is half a percent.
func ParsePercent(s string, allowNegative bool) (money.BP, error) {
	t, paren := numberText(strings.TrimSuffix(clean(s), "%"))
	v, err := decimal(t, 2)
	if err != nil {
		return 0, numberReason(err, "a percentage (write it like 18 or 2.5)")
	}
	if paren {
		v = -v
	}
	if v < 0 && !allowNegative {
		return 0, errors.New("cannot be negative")
	}
	if v > 10000 {
		return 0, errors.New("is more than 100%")
	}
	return money.BP(v), nil
}

// ParseGSTRate reads a GST rate. Besides "18" and "18%", it understands the
// 0.18 that Excel stores for a cell formatted as a percentage, but only when
// that reading is a GST slab and the literal one is not (0.25 stays 0.25 %).
func ParseGSTRate(s string) (money.BP, error) {
	bp, err := ParsePercent(s, false)
	if err != nil {
		return 0, err
	}
	if bp > 0 && bp < 100 && !isSlab(bp) && isSlab(bp*100) && !strings.Contains(s, "%") {
		bp *= 100
	}
	if !isSlab(bp) {
		return 0, fmt.Errorf("is not a GST rate: use 0, 0.25, 3, 5, 12, 18, 28 or 40")
	}
	return bp, nil
}

func isSlab(bp money.BP) bool {
	switch bp {
	case 0, 25, 300, 500, 1200, 1800, 2800, 4000:
		return true
	}
	return false
}

func numberReason(err error, what string) error {
	if errors.Is(err, errNotNumber) {
		return fmt.Errorf("is not %s", what)
	}
	if errors.Is(err, errTooBig) {
		return errors.New("is too large")
	}
	return err
}

// Date limits: a business date outside these years is a typing mistake
// (or a quantity in the date column), not a date.
const (
	minYear = 1950
	maxYear = 2099
)

var (
	serialBase1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	serialBase1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// SerialDate turns an Excel date serial (whole days) into a date. In the
// 1900 system Excel believes 1900 was a leap year: serial 60 is the
// non-existent 29-02-1900, and serials before it are one day off from those
// after it. In the 1904 system (old Mac workbooks) serial 0 is 01-01-1904.
func SerialDate(n int64, date1904 bool) (cal.Date, error) {
	if n < 0 || n > 2958465 { // 31-12-9999
		return "", fmt.Errorf("is not a date")
	}
	if date1904 {
		return cal.Of(serialBase1904.AddDate(0, 0, int(n))), nil
	}
	switch {
	case n == 0:
		return "", fmt.Errorf("is not a date")
	case n == 60:
		return "", fmt.Errorf("is 29-02-1900, a day that never was (an Excel quirk)")
	case n < 60:
		return cal.Of(serialBase1900.AddDate(0, 0, int(n)+1)), nil
	}
	return cal.Of(serialBase1900.AddDate(0, 0, int(n))), nil
}

// Serial is the Excel 1900-system serial of a date (from 01-03-1900 on).
func Serial(d cal.Date) int64 {
	return int64(d.Time().Sub(serialBase1900).Hours()) / 24
}

var months = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

const dateHint = "write dates as DD-MM-YYYY"

// ParseDate reads a date the way Indian spreadsheets write it: an Excel
// serial (45678, or 45678.5 with a time), DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY,
// DD/MM/YY, YYYY-MM-DD, D-Mon-YYYY ("5-Jan-2026", "05 Jan 26"), YYYYMMDD, and
// ISO date-times. Day comes before month: 03/04/2026 is 3 April.
func ParseDate(s string, date1904 bool) (cal.Date, error) {
	t := clean(s)
	if t == "" {
		return "", errors.New("is not a date")
	}
	if len(t) >= 11 && (t[10] == 'T' || t[10] == ' ') && t[4] == '-' {
		t = t[:10] // ISO date-time
	}
	if f := strings.Fields(t); len(f) > 1 && strings.Contains(f[len(f)-1], ":") {
		t = strings.Join(f[:len(f)-1], " ") // "05/01/2026 00:00"
	} else if len(f) > 2 && strings.Contains(f[len(f)-2], ":") { // "… 10:00 AM"
		t = strings.Join(f[:len(f)-2], " ")
	}
	if isSerial(t) {
		if len(t) == 8 && (t[:2] == "19" || t[:2] == "20") { // YYYYMMDD, as Tally writes
			if d, err := ymd(t[:4], t[4:6], t[6:]); err == nil {
				return d, nil
			}
		}
		whole, _, _ := strings.Cut(t, ".")
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return "", errors.New("is not a date")
		}
		d, err := SerialDate(n, date1904)
		if err != nil {
			return "", err
		}
		return inRange(d)
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '/' || r == '.' || r == ' ' || r == ',' })
	if len(parts) != 3 {
		return "", fmt.Errorf("is not a date: %s", dateHint)
	}
	var d cal.Date
	var err error
	switch {
	case len(parts[0]) == 4 && allDigits(parts[0]):
		d, err = ymd(parts[0], parts[1], parts[2])
	case months[strings.ToLower(parts[1])] != 0:
		d, err = ymd(parts[2], strconv.Itoa(months[strings.ToLower(parts[1])]), parts[0])
	case months[strings.ToLower(parts[0])] != 0: // "Jan 5 2026"
		d, err = ymd(parts[2], strconv.Itoa(months[strings.ToLower(parts[0])]), parts[1])
	default:
		d, err = ymd(parts[2], parts[1], parts[0])
	}
	if err != nil {
		return "", err
	}
	return inRange(d)
}

func isSerial(t string) bool {
	whole, frac, _ := strings.Cut(t, ".")
	return whole != "" && allDigits(whole) && allDigits(frac) && !strings.Contains(frac, ".")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func ymd(ys, ms, ds string) (cal.Date, error) {
	if !allDigits(ys) || !allDigits(ms) || !allDigits(ds) || ys == "" || ms == "" || ds == "" ||
		len(ys) > 4 || len(ms) > 2 || len(ds) > 2 {
		return "", fmt.Errorf("is not a date: %s", dateHint)
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	switch len(ys) {
	case 2:
		if y < 50 {
			y += 2000
		} else {
			y += 1900
		}
	case 4:
	default:
		return "", fmt.Errorf("is not a date: the year should have 4 digits; %s", dateHint)
	}
	if m < 1 || m > 12 {
		return "", fmt.Errorf("month %d does not exist: %s", m, dateHint)
	}
	tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || tm.Day() != d {
		return "", fmt.Errorf("%s has no day %d", time.Month(m), d)
	}
	return cal.Of(tm), nil
}

func inRange(d cal.Date) (cal.Date, error) {
	y := d.Time().Year()
	if y < minYear || y > maxYear {
		return "", fmt.Errorf("is %s, not a plausible date: %s", d.Display(), dateHint)
	}
	return d, nil
}

// ParseBool reads Yes/No, Y/N, TRUE/FALSE, T/F, 1/0, Active/Inactive,
// On/Off, Enabled/Disabled.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(clean(s)) {
	case "yes", "y", "true", "t", "1", "active", "on", "enabled", "✓":
		return true, nil
	case "no", "n", "false", "f", "0", "inactive", "off", "disabled", "blocked":
		return false, nil
	}
	return false, errors.New("is not yes or no (write Yes or No)")
}

// ParseGSTIN reads a GSTIN, upper-cased and without spaces. A blank cell or
// "URP", "Unregistered", "NA", "-" mean the outlet is unregistered: "".
func ParseGSTIN(s string) (string, error) {
	g := strings.ToUpper(strings.Join(strings.Fields(clean(s)), ""))
	switch g {
	case "", "URP", "UNREGISTERED", "UNREG", "NA", "N/A", "NIL", "NONE", "-", "--":
		return "", nil
	}
	if err := gst.ValidateGSTIN(g); err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), "GSTIN "+g+": "))
	}
	return g, nil
}

// ParseHSN reads an HSN or SAC code. Dots and spaces ("3401.11 90") are
// dropped, and a leading zero that Excel ate from a numeric cell (401 for
// 0401, milk) is put back.
func ParseHSN(s string) (string, error) {
	h := strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return r
	}, clean(s))
	if allDigits(h) && (len(h) == 3 || len(h) == 5 || len(h) == 7) {
		h = "0" + h
	}
	if err := gst.ValidateHSN(h); err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), fmt.Sprintf("HSN %q: ", h)))
	}
	return h, nil
}

// ParseCode reads an identifier: trimmed, inner runs of spaces made one,
// upper-cased.
func ParseCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(clean(s)), " "))
}
