package rules

import "vitaran/backend/money"

// Kept is an invoice as the outlet keeps it after its returns: every line
// it billed (free rows aside), with the quantity not come back. A return
// recomputes on it the free goods of value slabs, combos and invoice-value
// schemes, whose rule reads more than one line's quantity: the outlet keeps
// what a fresh bill for the kept quantities would earn under the scheme's
// own rule, never more than it was given.
type Kept struct {
	Lines []KeptLine `json:"lines"`
}

// KeptLine is one billed line as kept. Line is the line as billed (item,
// brand, category, rate, the clerk's discount_bp) with Qty the quantity
// kept and GrossPaise its gross (0: qty × rate). LineSchemePaise is what
// the line-level schemes' discounts leave on it: bill-level schemes judge
// their thresholds on the net after them, as Evaluate does.
type KeptLine struct {
	Line
	LineSchemePaise money.Paise `json:"line_scheme_paise,omitempty"`
}

// BillLevel reports whether the kind looks at the whole bill (combo,
// invoice_value) rather than one line.
func (k Kind) BillLevel() bool { return k.billLevel() }

// FreeOnKept is how many free pieces scheme s gives the invoice as kept,
// on the redemption's line for a line-level scheme and on the bill for a
// bill-level one: the engine's own rule (onLine, onCombo, onBillValue) on
// the kept quantities, with no budget or cap (those only ever cut what was
// given, and the caller holds it to that).
func FreeOnKept(s *Scheme, r *Redemption, k *Kept) money.Qty {
	e := &evaluation{inv: &Invoice{}, spent: map[string]*spent{}}
	e.lines = make([]lineState, 0, len(k.Lines))
	for _, kl := range k.Lines {
		gross := kl.GrossPaise
		if gross == 0 {
			gross = kl.RatePaise.MulQty(kl.Qty)
		}
		var manual money.Paise
		if kl.DiscountBP > 0 && kl.DiscountBP <= 10000 {
			manual = gross.MulRate(kl.DiscountBP)
		}
		value := gross - manual
		e.lines = append(e.lines, lineState{in: kl.Line, value: value, net: value - kl.LineSchemePaise, res: &LineResult{}})
	}
	if !s.Kind.billLevel() {
		for i := range e.lines {
			l := &e.lines[i]
			if l.in.No != r.Line {
				continue
			}
			// the redemption says the scheme covered the line; its
			// master may have moved brand or category since
			if l.in.Qty <= 0 || l.value <= 0 {
				return 0
			}
			b, _ := e.onLine(s, l, l.net)
			return b.freeQty
		}
		return 0
	}
	nets := make([]money.Paise, len(e.lines))
	for i := range e.lines {
		nets[i] = e.lines[i].net
	}
	var b benefit
	if s.Kind == Combo {
		b, _ = e.onCombo(s, nets)
	} else {
		b, _ = e.onBillValue(s, nets, nets)
	}
	return b.freeQty
}

// Net is what redemption r still gives once returned of its line's pieces
// have come back, over all returns, and the invoice stands as k: the
// discount less its share of the quantity returned, the free pieces the
// scheme's own rule gives on k (FreeOnKept; FreeKept on the line when the
// invoice as kept or the scheme is not known), never more than were given,
// and their value at the rate they were given. A line-level redemption on a
// line nothing came back of is kept whole; a bill-level one (combo,
// invoice value) is settled on k whichever line came back.
//
// It is where the book's reversals leave a redemption (schemes.Reverse
// takes the same shares, return by return), so head office, netting an
// invoice's returns with it, recomputes the distributor's claim to the
// paisa and the piece.
func Net(s *Scheme, r *Redemption, returned money.Qty, k *Kept) Redemption {
	n := *r
	billLevel := s != nil && s.Kind.billLevel()
	if returned <= 0 && (!billLevel || k == nil) {
		return n
	}
	if sold := int64(r.LineQty); returned > 0 && sold > 0 {
		n.DiscountPaise -= money.Paise(MulDiv(int64(r.DiscountPaise), min(int64(returned), sold), sold))
	}
	if r.FreeQty <= 0 {
		return n
	}
	if k != nil && s != nil {
		n.FreeQty = min(FreeOnKept(s, r, k), r.FreeQty)
	} else {
		n.FreeQty = FreeKept(s, r, r.LineQty-returned)
	}
	n.FreeValuePaise -= money.Paise(MulDiv(int64(r.FreeValuePaise), int64(r.FreeQty-n.FreeQty), int64(r.FreeQty)))
	return n
}
