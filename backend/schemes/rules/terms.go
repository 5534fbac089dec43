package rules

import (
	"slices"
	"strings"
)

// TermDiff names, in the definition's JSON words, each term that decides
// what an invoice earns (the frozen terms: see package schemes, terms.go)
// and differs between old and s. The book refuses such a change on a
// scheme an invoice redeemed; head office on a circular already in force.
// Lists of codes compare as sets, ignoring order and case; slabs and combo
// parts compare in order.
func TermDiff(old, s *Scheme) []string {
	var out []string
	diff := func(field string, changed bool) {
		if changed {
			out = append(out, field)
		}
	}
	diff("kind", old.Kind != s.Kind)
	diff("valid_from", old.ValidFrom != s.ValidFrom)
	diff("items", !sameSet(old.Items, s.Items))
	diff("brands", !sameSet(old.Brands, s.Brands))
	diff("categories", !sameSet(old.Categories, s.Categories))
	diff("channels", !sameSet(old.Channels, s.Channels))
	diff("beats", !sameSet(old.Beats, s.Beats))
	diff("states", !sameSet(old.States, s.States))
	diff("outlets", !sameSet(old.Outlets, s.Outlets))
	diff("exclusive", old.Exclusive != s.Exclusive)
	diff("priority", old.Priority != s.Priority)
	diff("min_qty", old.MinQty != s.MinQty)
	diff("max_qty", old.MaxQty != s.MaxQty)
	diff("min_value_paise", old.MinValuePaise != s.MinValuePaise)
	diff("max_value_paise", old.MaxValuePaise != s.MaxValuePaise)
	diff("discount_bp", old.DiscountBP != s.DiscountBP)
	diff("amount_paise", old.AmountPaise != s.AmountPaise)
	diff("buy_qty", old.BuyQty != s.BuyQty)
	diff("free_qty", old.FreeQty != s.FreeQty)
	diff("free_item", !strings.EqualFold(old.FreeItem, s.FreeItem))
	diff("slabs", !slices.Equal(old.Slabs, s.Slabs))
	diff("combo", !slices.EqualFunc(old.Combo, s.Combo, func(a, b ComboPart) bool {
		return a.Qty == b.Qty && strings.EqualFold(a.Item, b.Item)
	}))
	return out
}

func sameSet(a, b []string) bool {
	norm := func(l []string) []string {
		out := make([]string, 0, len(l))
		for _, v := range l {
			out = append(out, strings.ToUpper(strings.TrimSpace(v)))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}
