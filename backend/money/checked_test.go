package money

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// The bill that froze a server: a scheme discount on a line of 10,000,000
// units at ₹1,00,00,000 was split with a product that wrapped, and the
// remainder loop then ran once per paisa. Split now answers at once and the
// shares still add up.
func TestSplitOfAHugeDiscountNeitherWrapsNorLoops(t *testing.T) {
	gross := int64(10_000_000) * 1_00_00_000_00 // 10^16 paise
	disc := Paise(gross / 10)
	parts, err := disc.Split([]int64{gross, gross / 3, 7})
	if err != nil {
		t.Fatal(err)
	}
	var sum Paise
	for i, x := range parts {
		if x < 0 {
			t.Fatalf("share %d is negative: %v", i, parts)
		}
		sum += x
	}
	if sum != disc {
		t.Fatalf("shares %v add up to %d, want %d", parts, sum, disc)
	}
	if _, err := Paise(1).Split([]int64{math.MaxInt64, 1}); !errors.Is(err, ErrOverflow) {
		t.Fatalf("weights beyond int64: %v", err)
	}
	if _, err := Paise(1).Split([]int64{1, -1}); !errors.Is(err, ErrOverflow) {
		t.Fatalf("negative weight: %v", err)
	}
}

// Split matches exact arithmetic: each share is the floor of its exact
// part, and the paise left over go to the largest remainders, earlier first.
func TestSplitMatchesExactArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(6)
		w := make([]int64, n)
		for i := range w {
			w[i] = r.Int64N(1 << (1 + r.IntN(60)))
		}
		p := Paise(r.Int64N(1<<(1+r.IntN(62))) - 1<<20)
		got, err := p.Split(w)
		var total big.Int
		for _, x := range w {
			total.Add(&total, big.NewInt(x))
		}
		if !total.IsInt64() {
			if err == nil {
				t.Fatalf("%d over %v: no error for weights beyond int64", p, w)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%d over %v: %v", p, w, err)
		}
		want := exactSplit(p, w, &total)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%d over %v: got %v, want %v", p, w, got, want)
			}
		}
	}
}

func exactSplit(p Paise, w []int64, total *big.Int) []Paise {
	out := make([]Paise, len(w))
	if total.Sign() == 0 {
		return out
	}
	v := big.NewInt(int64(p))
	sign := int64(1)
	if v.Sign() < 0 {
		sign = -1
		v.Neg(v)
	}
	rems := make([]*big.Int, len(w))
	given := new(big.Int)
	for i, x := range w {
		q, m := new(big.Int).QuoRem(new(big.Int).Mul(v, big.NewInt(x)), total, new(big.Int))
		out[i] = Paise(sign * q.Int64())
		given.Add(given, q)
		rems[i] = m
	}
	left := new(big.Int).Sub(v, given).Int64()
	for ; left > 0; left-- {
		best := 0
		for j := range rems {
			if rems[j].Cmp(rems[best]) > 0 {
				best = j
			}
		}
		out[best] += Paise(sign)
		rems[best] = big.NewInt(-1)
	}
	return out
}

func TestCheckedArithmeticRefusesToWrap(t *testing.T) {
	if _, err := CheckedAdd(math.MaxInt64, 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("MaxInt64 + 1: %v", err)
	}
	if _, err := CheckedAdd(math.MinInt64, -1); !errors.Is(err, ErrOverflow) {
		t.Errorf("MinInt64 - 1: %v", err)
	}
	if s, err := CheckedSum(math.MaxInt64, -5, 5); err != nil || s != math.MaxInt64 {
		t.Errorf("sum: %d %v", s, err)
	}
	if _, err := CheckedSum(9223372036854775807, 9223372036854775807); !errors.Is(err, ErrOverflow) {
		t.Errorf("two receipts of MaxInt64: %v", err)
	}
	if _, err := Paise(1_00_00_000_00).CheckedMulQty(1_000_000_000_000); !errors.Is(err, ErrOverflow) {
		t.Errorf("₹1 crore × 10^12: %v", err)
	}
	if v, err := Paise(-1_00_00_000_00).CheckedMulQty(10_000_000); err != nil || v != -1e16 {
		t.Errorf("₹-1 crore × 10^7: %d %v", v, err)
	}
	// 10^16 × 18 % needed 128 bits before: the old product wrapped
	if v, err := Paise(1e16).CheckedMulRate(1800); err != nil || v != 18e14 {
		t.Errorf("10^16 × 18%%: %d %v", v, err)
	}
	if got := Paise(1e16).MulRate(900); got != 9e14 {
		t.Errorf("MulRate 10^16 × 9%%: %d", got)
	}
	if v, err := Paise(-25).CheckedMulRate(1800); err != nil || v != -5 {
		t.Errorf("-25 × 18%%: %d %v", v, err)
	}
	if _, err := Paise(math.MaxInt64).CheckedMulRate(20000); !errors.Is(err, ErrOverflow) {
		t.Errorf("MaxInt64 × 200%%: %v", err)
	}
}
