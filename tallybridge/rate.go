package tallybridge

import (
	"fmt"
	"math/big"
	"strings"

	"vitaran/backend/money"
)

// Tally recomputes an inventory line's AMOUNT from RATE × BILLEDQTY less
// DISCOUNT (a percentage) whenever the accountant re-saves the voucher
// (TALLY.md, "A GST sales invoice"). A discount carried only in AMOUNT — a
// scheme's rupees off, a slab, a bill discount spread over the lines — would
// then silently raise sales and tax. So every line states a DISCOUNT that
// brings RATE × QTY to its AMOUNT to the paisa, and a stock journal entry a
// RATE precise enough that RATE × QTY is its AMOUNT.
//
// The percentage is written with as few decimals as reproduce the amount
// (the clerk's own "5" when that is enough). That Tally keeps every decimal
// of an imported DISCOUNT or RATE is unconfirmed; the emulator assumes it and
// recomputes each line exactly.

// maxDecimals bounds the search: with 12 decimals of a percent every line
// below ₹1,00,00,00,00,000 finds its amount.
const maxDecimals = 12

// lineDiscount is the DISCOUNT text for a line whose goods are worth gross
// (RATE × QTY) and whose AMOUNT is amount: "" when there is no discount,
// hint (the clerk's percentage) when it alone gives the amount.
func lineDiscount(gross, amount money.Paise, hint money.BP) (string, error) {
	if amount == gross {
		return "", nil
	}
	if gross <= 0 || amount > gross || amount < 0 {
		return "", fmt.Errorf("amount %s is not rate × quantity (%s) less a discount", amount.Plain(), gross.Plain())
	}
	g := new(big.Rat).SetInt64(int64(gross))
	want := new(big.Rat).SetInt64(int64(amount))
	// result is gross × (100 − pct) / 100, the amount Tally computes
	result := func(pct *big.Rat) *big.Rat {
		f := new(big.Rat).Sub(big.NewRat(100, 1), pct)
		f.Quo(f, big.NewRat(100, 1))
		return f.Mul(f, g)
	}
	if hint > 0 && hint < 10000 {
		if near(result(big.NewRat(int64(hint), 100)), want) {
			return TallyPercent(hint), nil
		}
	}
	exact := new(big.Rat).SetInt64(int64(gross - amount))
	exact.Mul(exact, big.NewRat(100, 1))
	exact.Quo(exact, g)
	for k := 0; k <= maxDecimals; k++ {
		pct := roundRat(exact, k)
		if near(result(pct), want) {
			return trimDecimals(pct.FloatString(k)), nil
		}
	}
	return "", fmt.Errorf("no discount percentage of at most %d decimals turns %s into %s", maxDecimals, gross.Plain(), amount.Plain())
}

// exactRate is the RATE text (rupees per unit) for qty units worth amount:
// two decimals when they are enough, more when not.
func exactRate(amount money.Paise, qty money.Qty) (string, error) {
	if qty <= 0 {
		return "", fmt.Errorf("no quantity")
	}
	want := new(big.Rat).SetInt64(int64(amount))
	exact := big.NewRat(int64(amount), int64(qty)*100) // rupees per unit
	for k := 2; k <= maxDecimals; k++ {
		r := roundRat(exact, k)
		got := new(big.Rat).Mul(r, big.NewRat(int64(qty)*100, 1))
		if near(got, want) {
			return r.FloatString(k), nil
		}
	}
	return "", fmt.Errorf("no rate of at most %d decimals gives %s for %d units", maxDecimals, amount.Plain(), qty)
}

// near reports whether got rounds to want under any rounding of halves:
// strictly less than half a paisa away.
func near(got, want *big.Rat) bool {
	d := new(big.Rat).Sub(got, want)
	d.Abs(d)
	return d.Cmp(big.NewRat(1, 2)) < 0
}

// roundRat rounds x (≥ 0) to k decimals, halves up.
func roundRat(x *big.Rat, k int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	n := new(big.Int).Mul(x.Num(), scale)
	n.Mul(n, big.NewInt(2))
	n.Add(n, x.Denom())
	n.Quo(n, new(big.Int).Mul(x.Denom(), big.NewInt(2)))
	return new(big.Rat).SetFrac(n, scale)
}

func trimDecimals(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
