package rules

import (
	"math/bits"
	"strings"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Invoice is what the engine needs to know of a bill being made. Billing
// fills it from the screen on every change and again inside the posting
// transaction.
type Invoice struct {
	Date   cal.Date `json:"date"`
	Outlet Outlet   `json:"outlet"`
	Lines  []Line   `json:"lines"`
	// Rates prices free goods per base unit (the outlet's price list), so
	// free quantity can be valued for budgets and claims. A free item that
	// is also billed on a line takes that line's rate when it is missing here.
	Rates map[string]money.Paise `json:"rates,omitempty"`
}

// Outlet is the retailer being billed, as far as scheme scope goes.
type Outlet struct {
	Code    string `json:"code"`
	Channel string `json:"channel,omitempty"`
	Beat    string `json:"beat,omitempty"`
	State   string `json:"state,omitempty"`
}

// Line is one billed item. Quantities are base units: billing turns
// "2 cases + 5 pieces" into 2×case_size+5 before it calls the engine.
type Line struct {
	No       int       `json:"line"`
	Item     string    `json:"item"`
	Brand    string    `json:"brand,omitempty"`
	Category string    `json:"category,omitempty"` // a path: "Biscuits/Cream"
	Qty      money.Qty `json:"qty"`
	CaseSize money.Qty `json:"case_size,omitempty"` // only for wording near misses
	// RatePaise is per base unit. GrossPaise, when 0, is qty × rate.
	RatePaise  money.Paise `json:"rate_paise"`
	GrossPaise money.Paise `json:"gross_paise,omitempty"`
	// DiscountBP is the clerk's own discount; schemes work on what is left.
	DiscountBP money.BP `json:"discount_bp,omitempty"`
}

// Usage is what each scheme has already cost, keyed by scheme code: across
// all outlets and for the outlet being billed. Read it with UsageOf
// inside the posting transaction.
type Usage map[string]Used

// Used is one scheme's consumption so far.
type Used struct {
	CostPaise       money.Paise `json:"cost_paise"`
	FreeQty         money.Qty   `json:"free_qty"`
	OutletCostPaise money.Paise `json:"outlet_cost_paise"`
	OutletFreeQty   money.Qty   `json:"outlet_free_qty"`
}

// inScope reports whether the scheme runs on the date for the outlet.
func (s *Scheme) inScope(d cal.Date, o *Outlet) bool {
	return d >= s.ValidFrom && d <= s.ValidTo && s.Takes(o)
}

// Takes reports whether the scheme's outlet scope (outlets, channels,
// beats, states) takes in the outlet.
func (s *Scheme) Takes(o *Outlet) bool {
	return matchCode(s.Outlets, o.Code) && matchName(s.Channels, o.Channel) &&
		matchName(s.Beats, o.Beat) && matchName(s.States, o.State)
}

// Covers reports whether the scheme's item scope takes in the line.
func (s *Scheme) Covers(l *Line) bool {
	return matchCode(s.Items, l.Item) && matchName(s.Brands, l.Brand) && inCategory(s.Categories, l.Category)
}

// matchCode matches codes exactly; an empty list matches all.
func matchCode(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// matchName matches names without regard to case; an empty list matches all.
func matchName(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// inCategory reports whether path lies at or under one of the categories:
// "Biscuits" covers "Biscuits" and "Biscuits/Cream", never "Biscuits2".
// Segments are compared without regard to case; slashes at the ends and
// spaces around the path are ignored.
func inCategory(list []string, path string) bool {
	if len(list) == 0 {
		return true
	}
	path = cleanPath(path)
	for _, c := range list {
		c = cleanPath(c)
		if len(path) >= len(c) && strings.EqualFold(path[:len(c)], c) && (len(path) == len(c) || path[len(c)] == '/') {
			return true
		}
	}
	return false
}

func cleanPath(p string) string { return strings.Trim(strings.TrimSpace(p), "/") }

// MulDiv returns a×b/c rounded half away from zero, for a, b ≥ 0 and c > 0,
// without overflowing on the way: how a share of a discount or of free
// goods' value is taken, here and in the book's claims and returns.
func MulDiv(a, b, c int64) int64 {
	q, r := mulDivRem(a, b, c)
	if 2*r >= c {
		q++
	}
	return q
}

// mulDivFloor returns ⌊a×b/c⌋ for a, b ≥ 0 and c > 0.
func mulDivFloor(a, b, c int64) int64 { q, _ := mulDivRem(a, b, c); return q }

func mulDivRem(a, b, c int64) (int64, int64) {
	if a <= 0 || b <= 0 || c <= 0 {
		return 0, 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<62 - 1, 0 // beyond any real amount; callers cap it
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if q > 1<<62 {
		return 1<<62 - 1, 0
	}
	return int64(q), int64(r)
}
