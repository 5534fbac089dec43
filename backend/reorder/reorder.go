// Package reorder suggests the next order to the brand: for each SKU of a
// brand, the quantity that brings usable stock up to a target of days of
// cover at the average daily sales of a chosen window, rounded up to whole
// cases.
//
// Always true of a suggestion: suggested_qty is a whole number of cases (in
// base units) and is the least such that stock + suggested_qty covers
// cover_days at avg_daily — zero when stock already does; stock counts no
// goods in the DAMAGED godown and none expiring within the company's
// near-expiry days of the day; every figure is integer arithmetic on base
// units (avg_daily is shown rounded, never used).
//
// Goods on order — what open purchase orders (order.go) still expect — count
// with stock towards the target (on_order), so an order placed is not
// suggested again; the answer says so (pending_orders true). The target days come from the
// request, else the SKU's own, else the brand's, else the company's
// cover_days; SKU and brand targets are kept here (bCover).
package reorder

import (
	"fmt"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Window limits.
const (
	DefaultWindowDays = 30
	MaxDays           = 365
)

// Params choose a suggestion.
type Params struct {
	Brand      string
	On         cal.Date // the day (today)
	CoverDays  int      // 0: per SKU, brand or company
	WindowDays int      // 0: DefaultWindowDays
}

// Line is one SKU of a suggestion.
type Line struct {
	Item          string    `json:"item"`
	Name          string    `json:"name"`
	BrandCode     string    `json:"brand_code"`
	CaseSize      int64     `json:"case_size"`
	Stock         money.Qty `json:"stock"`           // usable: saleable and not near expiry
	OnOrder       money.Qty `json:"on_order"`        // open purchase orders, not yet received
	NearExpiryQty money.Qty `json:"near_expiry_qty"` // left out of stock
	Sold          money.Qty `json:"sold"`            // net sales over the window
	AvgDaily      float64   `json:"avg_daily"`       // sold ÷ window days, rounded to 2 places (for the eye)
	CoverDays     int       `json:"cover_days"`
	CoverFrom     string    `json:"cover_from"` // request, item, brand or company
	TargetQty     money.Qty `json:"target_qty"` // sales over cover_days, rounded up
	SuggestedQty  money.Qty `json:"suggested_qty"`
	Cases         int64     `json:"suggested_cases"`
}

// Header says what a suggestion was made on.
type Header struct {
	Brand          string   `json:"brand"`
	On             cal.Date `json:"on"`
	WindowDays     int      `json:"window_days"`
	NearExpiryDays int      `json:"near_expiry_days"`
	PendingOrders  bool     `json:"pending_orders"`
	Note           string   `json:"note"`
}

// Suggestion is the suggested order for a brand.
type Suggestion struct {
	Header
	Lines []Line `json:"lines"`
}

// PendingOrdersNote is the note every suggestion carries.
const PendingOrdersNote = "goods ordered on open purchase orders and not yet received (on_order) are subtracted"

func days(field string, d int) error {
	if d < 0 || d > MaxDays {
		return fail.Invalid(field, "must be 1–%d days", MaxDays)
	}
	return nil
}

// Suggest builds the suggestion for one brand's active SKUs, by item code.
func Suggest(tx *book.Tx, p Params) (Suggestion, error) {
	p.Brand = strings.TrimSpace(p.Brand)
	if p.Brand == "" {
		return Suggestion{}, fail.Invalid("brand", "is required: the brand to order from")
	}
	if err := days("cover_days", p.CoverDays); err != nil {
		return Suggestion{}, err
	}
	if err := days("window_days", p.WindowDays); err != nil {
		return Suggestion{}, err
	}
	if p.WindowDays == 0 {
		p.WindowDays = DefaultWindowDays
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return Suggestion{}, err
	}
	items, err := masters.ListItems(tx, masters.ItemFilter{Brand: p.Brand, ActiveOnly: true}, p.On)
	if err != nil {
		return Suggestion{}, err
	}
	s := Suggestion{Header: Header{Brand: p.Brand, On: p.On, WindowDays: p.WindowDays, NearExpiryDays: co.NearExpiryDays, PendingOrders: true, Note: PendingOrdersNote}, Lines: []Line{}}
	if len(items) == 0 {
		return s, fail.NotFound("brand", fmt.Sprintf("%q (no active items of that brand)", p.Brand))
	}
	codes := make([]string, len(items))
	for i := range items {
		codes[i] = items[i].Code
	}
	figs, err := stock.ForOrder(tx, codes, p.On, p.On.AddDays(co.NearExpiryDays), p.WindowDays)
	if err != nil {
		return s, err
	}
	onOrder, err := OnOrder(tx)
	if err != nil {
		return s, err
	}
	brandDays := getCover(tx, "brand", items[0].Brand)
	for i := range items {
		it := &items[i]
		f := figs[it.Code]
		l := Line{Item: it.Code, Name: it.Name, BrandCode: it.BrandCode, CaseSize: max(it.CaseSize, 1), Stock: f.Usable, OnOrder: onOrder[it.Code], NearExpiryQty: f.Excluded, Sold: max(f.Sold, 0)}
		switch own := getCover(tx, "item", it.Code); {
		case p.CoverDays > 0:
			l.CoverDays, l.CoverFrom = p.CoverDays, "request"
		case own > 0:
			l.CoverDays, l.CoverFrom = own, "item"
		case brandDays > 0:
			l.CoverDays, l.CoverFrom = brandDays, "brand"
		default:
			l.CoverDays, l.CoverFrom = co.CoverDays, "company"
		}
		l.AvgDaily = float64((int64(l.Sold)*200+int64(p.WindowDays))/(2*int64(p.WindowDays))) / 100
		l.TargetQty, l.SuggestedQty = suggest(l.Sold, p.WindowDays, l.CoverDays, l.Stock+l.OnOrder, l.CaseSize)
		l.Cases = int64(l.SuggestedQty) / l.CaseSize
		s.Lines = append(s.Lines, l)
	}
	return s, nil
}

// suggest is the rule: target = ⌈sold × cover ÷ window⌉; order the whole
// cases that bring stock to at least the target.
func suggest(sold money.Qty, window, cover int, have money.Qty, caseSize int64) (target, qty money.Qty) {
	if sold <= 0 {
		return 0, 0
	}
	num := int64(sold) * int64(cover)
	target = money.Qty((num + int64(window) - 1) / int64(window))
	need := int64(target - have)
	if need <= 0 {
		return target, 0
	}
	cases := (need + caseSize - 1) / caseSize
	return target, money.Qty(cases * caseSize)
}

// Cover is a target of days of cover for a brand or one SKU.
type Cover struct {
	Brand string `json:"brand,omitempty"`
	Item  string `json:"item,omitempty"`
	Days  int    `json:"days"` // 0 drops the target (the brand's or the company's applies)
}

// PutCover sets (or with 0 days drops) a brand's or a SKU's target.
func PutCover(tx *book.Tx, c Cover) (Cover, error) {
	c.Brand, c.Item = strings.TrimSpace(c.Brand), masters.NormalizeCode(c.Item)
	if (c.Brand == "") == (c.Item == "") {
		return c, fail.Invalid("brand", "give either a brand or an item")
	}
	if err := days("days", c.Days); err != nil {
		return c, err
	}
	kind, key := "brand", c.Brand
	if c.Item != "" {
		if _, err := masters.GetItem(tx, c.Item); err != nil {
			return c, fail.Invalid("item", "item %s does not exist", c.Item)
		}
		kind, key = "item", c.Item
	}
	before := getCover(tx, kind, key)
	if err := putCover(tx, kind, key, c.Days); err != nil {
		return c, err
	}
	return c, tx.Audit("setting", "cover_days", kind+" "+key, before, c.Days, "")
}

// Covers lists the targets kept for brands and SKUs.
func Covers(tx *book.Tx) ([]Cover, error) {
	out := []Cover{}
	err := scanCovers(tx, func(kind, key string, days int) {
		c := Cover{Days: days}
		if kind == "item" {
			c.Item = key
		} else {
			c.Brand = key
		}
		out = append(out, c)
	})
	return out, err
}
