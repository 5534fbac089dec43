package billing

import (
	"strconv"

	"vitaran/backend/gst"
	"vitaran/backend/money"
)

// The amounts part of Check: every figure a document stores is derived
// again from the figures it rests on (rate × qty, the discount at its rate,
// the tax at the line's GST rate, the totals from the lines), in checked
// arithmetic, and held to the business limits. A figure that wrapped, or
// was changed on disk, does not add up and is reported.

type reporter func(format string, args ...any)

// lineLimits reports a line's quantity or rate outside the limits.
func lineLimits(report reporter, where string, qty money.Qty, rate money.Paise) bool {
	ok := true
	if qty <= 0 || qty > MaxLineQty {
		report("%s: quantity %d is outside 1…%d", where, qty, MaxLineQty)
		ok = false
	}
	if rate < 0 || rate > MaxRatePaise {
		report("%s: rate ₹%s is outside 0…₹%s", where, rate, MaxRatePaise)
		ok = false
	}
	return ok
}

// taxOn reports a line whose GST or total is not what its taxable value gives.
func taxOn(report reporter, where string, taxable money.Paise, rate money.BP, inter bool, cgst, sgst, igst, total money.Paise) {
	want := gst.Compute(taxable, rate, inter)
	if cgst != want.CGST || sgst != want.SGST || igst != want.IGST {
		report("%s: GST ₹%s + ₹%s + ₹%s, but %s of ₹%s is ₹%s + ₹%s + ₹%s", where, cgst, sgst, igst, rate, taxable, want.CGST, want.SGST, want.IGST)
	}
	if t, err := money.CheckedSum(taxable, cgst, sgst, igst); err != nil || t != total {
		report("%s: total ₹%s is not taxable ₹%s plus GST", where, total, taxable)
	}
}

// totalsOf reports a document whose totals are not its lines' sums.
func totalsOf(report reporter, what string, got, want Totals) {
	for _, f := range []struct {
		name      string
		got, want money.Paise
	}{
		{"gross", got.GrossPaise, want.GrossPaise}, {"discount", got.DiscountPaise, want.DiscountPaise},
		{"scheme discount", got.SchemeDiscountPaise, want.SchemeDiscountPaise}, {"taxable", got.TaxablePaise, want.TaxablePaise},
		{"CGST", got.CGSTPaise, want.CGSTPaise}, {"SGST", got.SGSTPaise, want.SGSTPaise}, {"IGST", got.IGSTPaise, want.IGSTPaise},
		{"round-off", got.RoundOffPaise, want.RoundOffPaise}, {"total", got.TotalPaise, want.TotalPaise},
		{"free value", got.FreeValuePaise, want.FreeValuePaise},
	} {
		if f.got != f.want {
			report("%s: %s ₹%s, but its lines give ₹%s", what, f.name, f.got, f.want)
		}
	}
	if got.TotalPaise > MaxDocumentPaise || got.TotalPaise < -MaxDocumentPaise {
		report("%s: total ₹%s is over the limit of ₹%s for one document", what, got.TotalPaise, MaxDocumentPaise)
	}
}

func checkInvoiceAmounts(report reporter, inv *Invoice) {
	all := true
	for _, l := range inv.Lines {
		where := "invoice " + inv.Number + " line " + strconv.Itoa(l.No)
		if !lineLimits(report, where, l.Qty, l.RatePaise) {
			all = false
		}
		var picked money.Qty
		for _, p := range l.Batches {
			picked += p.Qty
		}
		if len(l.Batches) > 0 && picked != l.Qty {
			report("%s: batches give %d, the line says %d", where, picked, l.Qty)
		}
		value, err := l.RatePaise.CheckedMulQty(l.Qty)
		if err != nil {
			report("%s: %d at ₹%s is beyond any rupee figure", where, l.Qty, l.RatePaise)
			all = false
			continue
		}
		if l.Free {
			if l.TaxablePaise != 0 || l.TotalPaise != 0 || l.CGSTPaise+l.SGSTPaise+l.IGSTPaise != 0 || l.FreeValuePaise != value {
				report("%s: a free row carries taxable ₹%s, total ₹%s, free value ₹%s (rate × qty is ₹%s)", where, l.TaxablePaise, l.TotalPaise, l.FreeValuePaise, value)
			}
			continue
		}
		if l.GrossPaise != value {
			report("%s: gross ₹%s is not rate × qty (₹%s)", where, l.GrossPaise, value)
			all = false
			continue
		}
		if value > MaxLinePaise {
			report("%s: ₹%s is over the limit of ₹%s for one line", where, value, MaxLinePaise)
			all = false
		}
		if want := value.MulRate(l.DiscountBP); l.DiscountBP < 0 || l.DiscountBP > 10000 || l.DiscountPaise != want {
			report("%s: discount ₹%s is not %s of ₹%s (₹%s)", where, l.DiscountPaise, l.DiscountBP, value, want)
		}
		if l.SchemeDiscountPaise < 0 || l.SchemeDiscountPaise > value-l.DiscountPaise {
			report("%s: scheme discount ₹%s is outside 0…₹%s", where, l.SchemeDiscountPaise, value-l.DiscountPaise)
		}
		if l.TaxablePaise != value-l.DiscountPaise-l.SchemeDiscountPaise {
			report("%s: taxable ₹%s is not gross less discounts (₹%s)", where, l.TaxablePaise, value-l.DiscountPaise-l.SchemeDiscountPaise)
		}
		taxOn(report, where, l.TaxablePaise, l.GSTRateBP, inv.InterState, l.CGSTPaise, l.SGSTPaise, l.IGSTPaise, l.TotalPaise)
	}
	if all { // lines within the limits cannot overflow the sums
		totalsOf(report, "invoice "+inv.Number, inv.Totals, sumLines(inv.Lines))
	}
}

// checkDocAmounts checks a GRN (purchase true: taxable is rate × qty less
// the discount), a debit note or a credit note (credit true: its tax is what
// is left of the invoice line's, so only the sums are re-derived).
func checkDocAmounts(report reporter, what string, lines []DocLine, t Totals, inter, purchase, credit bool) {
	all := true
	for _, l := range lines {
		where := what + " line " + strconv.Itoa(l.No)
		if !lineLimits(report, where, l.Qty, l.RatePaise) {
			all = false
		}
		if l.TaxablePaise < 0 || l.TaxablePaise > MaxLinePaise {
			report("%s: taxable ₹%s is outside 0…₹%s", where, l.TaxablePaise, MaxLinePaise)
			all = false
		}
		if purchase {
			gross, err := l.RatePaise.CheckedMulQty(l.Qty)
			if err != nil {
				report("%s: %d at ₹%s is beyond any rupee figure", where, l.Qty, l.RatePaise)
			} else if want := gross - gross.MulRate(l.DiscountBP); l.TaxablePaise != want {
				report("%s: taxable ₹%s is not rate × qty less %s (₹%s)", where, l.TaxablePaise, l.DiscountBP, want)
			}
		}
		if credit {
			if l.CGSTPaise < 0 || l.SGSTPaise < 0 || l.IGSTPaise < 0 {
				report("%s: negative GST", where)
			}
			if s, err := money.CheckedSum(l.TaxablePaise, l.CGSTPaise, l.SGSTPaise, l.IGSTPaise); err != nil || s != l.TotalPaise {
				report("%s: total ₹%s is not taxable ₹%s plus GST", where, l.TotalPaise, l.TaxablePaise)
			}
			if l.GrossPaise != 0 && l.GrossPaise-l.DiscountPaise-l.SchemeDiscountPaise-l.FreeDeductedPaise != l.TaxablePaise {
				report("%s: taxable ₹%s is not gross less discounts and free goods deducted (₹%s)", where, l.TaxablePaise,
					l.GrossPaise-l.DiscountPaise-l.SchemeDiscountPaise-l.FreeDeductedPaise)
			}
			if l.FreeRecovered < 0 || l.FreeRecovered > l.FreeDue || l.FreeDeductedPaise < 0 {
				report("%s: free goods recovered %d of %d due, ₹%s deducted", where, l.FreeRecovered, l.FreeDue, l.FreeDeductedPaise)
			}
			continue
		}
		taxOn(report, where, l.TaxablePaise, l.GSTRateBP, inter, l.CGSTPaise, l.SGSTPaise, l.IGSTPaise, l.TotalPaise)
	}
	if all {
		totalsOf(report, what, t, docTotals(lines))
	}
}

func checkReceiptAmounts(report reporter, r *Receipt) {
	what := "receipt " + r.Number
	if r.AmountPaise <= 0 || r.AmountPaise > MaxDocumentPaise {
		report("%s: amount ₹%s is outside ₹0.01…₹%s", what, r.AmountPaise, MaxDocumentPaise)
	}
	sum := r.OnAccountPaise
	ok := r.OnAccountPaise >= 0
	for _, a := range r.Allocations {
		var err error
		if sum, err = money.CheckedAdd(sum, a.AmountPaise); err != nil || a.AmountPaise <= 0 {
			ok = false
		}
	}
	if !ok || sum != r.AmountPaise {
		report("%s: allocations and on account do not add up to ₹%s", what, r.AmountPaise)
	}
}
