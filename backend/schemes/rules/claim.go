package rules

import "vitaran/backend/money"

// ClaimTotals is what a scheme cost over some redemptions. ValuePaise is
// the claim: discount plus the value of free goods.
type ClaimTotals struct {
	FreeQty        money.Qty   `json:"free_qty"`
	DiscountPaise  money.Paise `json:"discount_paise"`
	FreeValuePaise money.Paise `json:"free_value_paise"`
	ValuePaise     money.Paise `json:"value_paise"`
	Redemptions    int         `json:"redemptions"`
}

// Add counts one redemption (or reversal) into the totals.
func (c *ClaimTotals) Add(r *Redemption) {
	c.FreeQty += r.FreeQty
	c.DiscountPaise += r.DiscountPaise
	c.FreeValuePaise += r.FreeValuePaise
	c.ValuePaise += r.CostPaise()
	c.Redemptions++
}

// FreeKept is how many of a redemption's free pieces the outlet keeps when
// it keeps `kept` of the LineQty billed, reading that line alone: what the
// scheme's own rule gives on the quantity kept, never more than it was
// given. The rest are due back with the return, as pieces or as their
// value. It serves when the invoice as kept is not known; FreeOnKept
// recomputes every kind on all the kept lines.
//
// This is the rule a brand accepts in a claim: a scheme is paid on net
// sales (sales less returns), so free goods are claimed only as the
// scheme's rule gives them on the quantity the outlet kept — a 10+1 on 25
// pieces gives 2 free; 10 of them back leaves 15, which earn 1, so 1 free
// piece is due back (not 0.8 of one); 5 back leaves 20, which still earn
// both. Value slabs, combos and invoice schemes, whose rule needs more than
// the line's quantity, keep here the whole pieces of their share (rounded
// down).
func FreeKept(s *Scheme, r *Redemption, kept money.Qty) money.Qty {
	if kept >= r.LineQty {
		return r.FreeQty
	}
	if kept <= 0 || r.FreeQty <= 0 {
		return 0
	}
	free := money.Qty(mulDivFloor(int64(r.FreeQty), int64(kept), int64(r.LineQty)))
	switch {
	case s == nil:
	case kept < s.MinQty:
		free = 0
	case s.Kind == BuyXGetY && s.BuyQty > 0:
		eq := kept
		if s.MaxQty > 0 && eq > s.MaxQty {
			eq = s.MaxQty
		}
		free = eq / s.BuyQty * s.FreeQty
	case s.Kind == QtySlab:
		free = 0
		for _, sl := range s.Slabs {
			if kept >= sl.MinQty {
				free = 0
				if sl.DiscountBP == 0 && sl.AmountPaise == 0 {
					free = sl.FreeQty
				}
			}
		}
	}
	return min(free, r.FreeQty)
}
