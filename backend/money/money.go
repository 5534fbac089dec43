// Package money holds the value types that carry units: amounts in paise,
// quantities in base units (pieces) and rates in basis points.
//
// Always true: nothing here uses a float. Every amount is an int64 count of
// paise, every quantity an int64 count of base units, every rate an int64
// count of basis points (1 % = 100 bp). Rounding happens in exactly one
// place, MulRate, half away from zero, so the same inputs give the same paise
// on every machine.
package money

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
)

// Paise is an amount of Indian money: 100 paise make a rupee.
type Paise int64

// Qty is a stock quantity in the item's base unit (usually pieces).
type Qty int64

// BP is a rate in basis points: 1800 bp is 18 %.
type BP int64

// Rupees makes an amount from whole rupees.
func Rupees(r int64) Paise { return Paise(r * 100) }

// MulRate returns p × rate, rounded half away from zero to the paisa. The
// product is taken in 128 bits, so it never wraps; a result outside int64
// (only possible for a rate above 100 %) saturates — use CheckedMulRate where
// the rate is not known to be at most 100 %.
func (p Paise) MulRate(rate BP) Paise {
	v, _ := p.CheckedMulRate(rate)
	return v
}

// MulQty returns the amount for q units at p per unit. Callers keep p and q
// within the business limits (limits.go), where it cannot wrap; at the door
// use CheckedMulQty.
func (p Paise) MulQty(q Qty) Paise { return Paise(int64(p) * int64(q)) }

// RoundToRupee rounds to the nearest rupee (half up, as GST invoices do) and
// returns the rounded amount and the round-off that was added.
func (p Paise) RoundToRupee() (rounded, roundOff Paise) {
	r := Paise(divRound(int64(p), 100) * 100)
	return r, r - p
}

// divRound divides a by b (b > 0), rounding half away from zero.
func divRound(a, b int64) int64 {
	if a >= 0 {
		return (a + b/2) / b
	}
	return -((-a + b/2) / b)
}

// DivRound divides an amount by n, rounding half away from zero. It is how a
// per-unit rate is derived from a line amount.
func (p Paise) DivRound(n int64) Paise {
	if n == 0 {
		return 0
	}
	return Paise(divRound(int64(p), n))
}

// Split divides p into the shares given by non-negative weights, largest
// remainder first (ties to the earlier weight), so the shares always add up
// to p exactly. It is how an invoice-level discount is spread over lines.
// Products are taken in 128 bits, so no amount or weight makes it wrap or
// loop: its cost is n log n in the number of weights. Negative weights, or
// weights whose sum is beyond int64, are an error.
func (p Paise) Split(weights []int64) ([]Paise, error) {
	out := make([]Paise, len(weights))
	var total uint64
	for i, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("weight %d is negative: %w", i, ErrOverflow)
		}
		var carry uint64
		total, carry = bits.Add64(total, uint64(w), 0)
		if carry != 0 || total > math.MaxInt64 {
			return nil, fmt.Errorf("weights add up beyond %d: %w", int64(math.MaxInt64), ErrOverflow)
		}
	}
	if total == 0 {
		return out, nil
	}
	sign, v := int64(1), absU(int64(p))
	if p < 0 {
		sign = -1
	}
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		// v × w / total: the quotient is at most v, as w ≤ total, so hi < total
		hi, lo := bits.Mul64(v, uint64(w))
		share, rem := bits.Div64(hi, lo, total)
		out[i] = Paise(sign * int64(share))
		given += share
		rems[i] = rem
	}
	// each share lost less than a paisa, so fewer than len(weights) are left
	left := int(v - given)
	if left > 0 {
		order := make([]int, len(weights))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return rems[order[a]] > rems[order[b]] })
		for _, j := range order[:left] {
			out[j] += Paise(sign)
		}
	}
	return out, nil
}

// String formats the amount as rupees with two decimals and Indian digit
// grouping: 12345678 paise is "1,23,456.78".
func (p Paise) String() string {
	neg := p < 0
	v := int64(p)
	if neg {
		v = -v
	}
	s := GroupIndian(v/100) + fmt.Sprintf(".%02d", v%100)
	if neg {
		return "-" + s
	}
	return s
}

// Plain formats the amount as rupees with two decimals and no grouping
// ("123456.78"): the form Tally and spreadsheets read.
func (p Paise) Plain() string {
	neg := p < 0
	v := int64(p)
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%d.%02d", v/100, v%100)
	if neg {
		return "-" + s
	}
	return s
}

// GroupIndian writes a whole number with Indian grouping: the last three
// digits, then groups of two (1,23,45,678).
func GroupIndian(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	if len(s) > 3 {
		head, tail := s[:len(s)-3], s[len(s)-3:]
		var parts []string
		for len(head) > 2 {
			parts = append([]string{head[len(head)-2:]}, parts...)
			head = head[:len(head)-2]
		}
		if head != "" {
			parts = append([]string{head}, parts...)
		}
		s = strings.Join(parts, ",") + "," + tail
	}
	if neg {
		return "-" + s
	}
	return s
}

// ErrAmount is returned for text that is not an amount.
var ErrAmount = errors.New("not an amount")

// ParseRupees reads an amount written in rupees: "1,531", "₹ 1,23,456.78",
// "125.5", "-3.10". More than two decimals are refused rather than rounded.
func ParseRupees(s string) (Paise, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "₹")
	t = strings.TrimPrefix(t, "Rs.")
	t = strings.TrimPrefix(t, "Rs")
	t = strings.TrimSpace(t)
	t = strings.ReplaceAll(t, ",", "")
	if t == "" {
		return 0, fmt.Errorf("%q: %w", s, ErrAmount)
	}
	neg := false
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("%q: %w", s, ErrAmount)
	}
	if len(frac) > 2 {
		// allow trailing zeros beyond two places ("12.500")
		if strings.Trim(frac[2:], "0") != "" {
			return 0, fmt.Errorf("%q: more than two decimal places", s)
		}
		frac = frac[:2]
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q: %w", s, ErrAmount)
		}
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("%q: amount too large", s)
	}
	var w int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Paise(v), nil
}

// ParsePercent reads a percentage such as "18", "2.5" or "0.25%" into basis points.
func ParsePercent(s string) (BP, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	p, err := ParseRupees(t) // same shape: up to two decimals
	if err != nil {
		return 0, fmt.Errorf("%q: not a percentage", s)
	}
	return BP(p), nil
}

// String formats a rate as a percentage: 1800 → "18%", 250 → "2.5%".
func (r BP) String() string {
	s := Paise(r).Plain()
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}
