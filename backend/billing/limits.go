package billing

import (
	"vitaran/backend/fail"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// Business limits, enforced at the door of every preview and posting. Each
// is far above what a distributor bills and far below where int64 paise run
// out (about ₹92,233 crore crore), so no product, tax or sum taken on
// figures within them can wrap: a line's value times a rate of 100 % is
// 10^14, a document of 300 lines is under 10^13. docs/API.md lists them.
const (
	// MaxLineQty is the most base units on one line (an invoice, purchase,
	// return, order, adjustment or count line).
	MaxLineQty money.Qty = 1_00_00_000 // 1 crore units
	// MaxRatePaise is the most a unit may cost: a rate, an MRP, a cost.
	MaxRatePaise money.Paise = 1_00_00_000_00 // ₹1,00,00,000
	// MaxLinePaise is the most one line may be worth (rate × qty, and the
	// value of a scheme's free goods).
	MaxLinePaise money.Paise = 10_00_00_000_00 // ₹10,00,00,000
	// MaxDocumentPaise is the most one document may total, and the most one
	// receipt may bring in.
	MaxDocumentPaise money.Paise = 1_00_00_00_000_00 // ₹1,00,00,00,000
)

// checkQty checks a quantity's size (its sign is the caller's rule).
func checkQty(field string, q money.Qty) error {
	if q > MaxLineQty || q < -MaxLineQty {
		return fail.Invalid(field, "%s units is over the limit of %s on one line", money.GroupIndian(int64(q)), money.GroupIndian(int64(MaxLineQty)))
	}
	return nil
}

// checkRate checks a per-unit amount: a rate, an MRP or a cost.
func checkRate(field string, p money.Paise) error {
	if p < 0 {
		return fail.Invalid(field, "must not be negative (paise per unit)")
	}
	if p > MaxRatePaise {
		return fail.Invalid(field, "₹%s a unit is over the limit of ₹%s", p, MaxRatePaise)
	}
	return nil
}

// lineValue is rate × qty for line i, refused above MaxLinePaise.
func lineValue(i int, rate money.Paise, q money.Qty) (money.Paise, error) {
	v, err := rate.CheckedMulQty(q)
	if err != nil || v > MaxLinePaise || v < -MaxLinePaise {
		return 0, fail.Invalid(lineField(i, "qty"), "%s units at ₹%s is over the limit of ₹%s for one line: split it over several documents",
			money.GroupIndian(int64(q)), rate, MaxLinePaise)
	}
	return v, nil
}

// checkTotal refuses a document whose total is over MaxDocumentPaise.
func checkTotal(what string, t money.Paise) error {
	if t > MaxDocumentPaise || t < -MaxDocumentPaise {
		return fail.Invalid("lines", "the %s's total ₹%s is over the limit of ₹%s for one document: split it", what, t, MaxDocumentPaise)
	}
	return nil
}

// checkAmount checks an amount received or allocated.
func checkAmount(field string, p money.Paise) error {
	if p <= 0 {
		return fail.Invalid(field, "must be more than zero")
	}
	if p > MaxDocumentPaise {
		return fail.Invalid(field, "₹%s is over the limit of ₹%s for one document", p, MaxDocumentPaise)
	}
	return nil
}

// checkFree checks the free row a scheme gives (row i of the invoice): its
// quantity and value are held to a line's limits like any other line.
func checkFree(i int, f schemes.FreeLine) error {
	field := lineField(i, "free_qty")
	if err := checkQty(field, f.FreeQty); err != nil {
		return fail.Invalid(field, "scheme %s gives %s units of %s: over the limit of %s on one line", f.Scheme,
			money.GroupIndian(int64(f.FreeQty)), f.Item, money.GroupIndian(int64(MaxLineQty)))
	}
	v, err := f.RatePaise.CheckedMulQty(f.FreeQty)
	if err != nil || v > MaxLinePaise || v != f.ValuePaise {
		return fail.Invalid(field, "scheme %s gives %s units of %s at ₹%s: over the limit of ₹%s for one line", f.Scheme,
			money.GroupIndian(int64(f.FreeQty)), f.Item, f.RatePaise, MaxLinePaise)
	}
	return nil
}
