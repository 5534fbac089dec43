package money

import (
	"errors"
	"math"
	"math/bits"
)

// ErrOverflow is returned by the checked operations when the true result is
// beyond what an int64 holds. Callers name the field: an overflow is always
// an error, never a wrapped value or a saturated one posted as if true.
var ErrOverflow = errors.New("amount out of range")

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1 // |MinInt64| too
	}
	return uint64(v)
}

// signed gives back ±u, or false when it does not fit an int64.
func signed(neg bool, u uint64) (int64, bool) {
	if neg {
		if u > 1<<63 {
			return math.MinInt64, false
		}
		return -int64(u-1) - 1, true
	}
	if u > math.MaxInt64 {
		return math.MaxInt64, false
	}
	return int64(u), true
}

// CheckedAdd returns a + b, or ErrOverflow.
func CheckedAdd(a, b Paise) (Paise, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, ErrOverflow
	}
	return s, nil
}

// CheckedSum adds amounts, or returns ErrOverflow.
func CheckedSum(ps ...Paise) (Paise, error) {
	var t Paise
	for _, p := range ps {
		var err error
		if t, err = CheckedAdd(t, p); err != nil {
			return 0, err
		}
	}
	return t, nil
}

// CheckedMulQty returns p × q, or ErrOverflow (with the saturated value)
// when the product does not fit.
func (p Paise) CheckedMulQty(q Qty) (Paise, error) {
	neg := (p < 0) != (q < 0)
	hi, lo := bits.Mul64(absU(int64(p)), absU(int64(q)))
	if hi != 0 {
		v, _ := signed(neg, math.MaxUint64)
		return Paise(v), ErrOverflow
	}
	v, ok := signed(neg, lo)
	if !ok {
		return Paise(v), ErrOverflow
	}
	return Paise(v), nil
}

// CheckedMulRate returns p × rate rounded half away from zero to the paisa,
// or ErrOverflow (with the saturated value) when the result does not fit.
func (p Paise) CheckedMulRate(rate BP) (Paise, error) {
	neg := (p < 0) != (rate < 0)
	hi, lo := bits.Mul64(absU(int64(p)), absU(int64(rate)))
	// round half away from zero: add 5000 before dividing by 10000
	var c uint64
	lo, c = bits.Add64(lo, 5000, 0)
	hi += c
	if hi >= 10000 {
		v, _ := signed(neg, math.MaxUint64)
		return Paise(v), ErrOverflow
	}
	q, _ := bits.Div64(hi, lo, 10000)
	v, ok := signed(neg, q)
	if !ok {
		return Paise(v), ErrOverflow
	}
	return Paise(v), nil
}
