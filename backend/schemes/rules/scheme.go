package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Kind is what a scheme gives.
type Kind string

// The kinds of scheme a brand's circular uses.
const (
	// Percent takes discount_bp off the line value.
	Percent Kind = "percent"
	// Flat takes amount_paise off each unit.
	Flat Kind = "flat"
	// BuyXGetY gives free_qty of free_item (or the same item) for every
	// whole set of buy_qty bought on a line.
	BuyXGetY Kind = "buy_x_get_y"
	// QtySlab gives the benefit of the highest slab whose min_qty the line reaches.
	QtySlab Kind = "qty_slab"
	// ValueSlab gives the benefit of the highest slab whose min_value_paise
	// the line value reaches.
	ValueSlab Kind = "value_slab"
	// InvoiceValue rewards a bill whose in-scope value reaches
	// min_value_paise (or a slab) with a discount or a free item.
	InvoiceValue Kind = "invoice_value"
	// Combo rewards buying the combo items together, per whole set.
	Combo Kind = "combo"
)

var kinds = []Kind{Percent, Flat, BuyXGetY, QtySlab, ValueSlab, InvoiceValue, Combo}

// billLevel reports whether the kind looks at the whole bill rather than
// one line.
func (k Kind) billLevel() bool { return k == InvoiceValue || k == Combo }

// Scheme is one trade promotion as the brand's circular states it. The JSON
// names are a public contract (API, import, head-office upload).
type Scheme struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Kind      Kind     `json:"kind"`
	ValidFrom cal.Date `json:"valid_from"`
	ValidTo   cal.Date `json:"valid_to"`

	// Scope. Every list that is filled must match; an empty list matches
	// all. Categories are paths ("Biscuits/Cream") and cover everything
	// nested under them.
	Items      []string `json:"items,omitempty"`
	Brands     []string `json:"brands,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Channels   []string `json:"channels,omitempty"`
	Beats      []string `json:"beats,omitempty"`
	States     []string `json:"states,omitempty"`
	Outlets    []string `json:"outlets,omitempty"`

	// Exclusive schemes never combine with another scheme at their level
	// (line or bill); the rest are stackable. Higher priority applies first.
	Exclusive bool `json:"exclusive"`
	Priority  int  `json:"priority"`

	// Limits. A line (a bill, for invoice_value) below a minimum gets
	// nothing; above a maximum it keeps the benefit of the maximum.
	MinQty        money.Qty   `json:"min_qty,omitempty"`
	MaxQty        money.Qty   `json:"max_qty,omitempty"`
	MinValuePaise money.Paise `json:"min_value_paise,omitempty"`
	MaxValuePaise money.Paise `json:"max_value_paise,omitempty"`

	// Caps on what the scheme may cost, 0 = no cap. Cost is discount plus
	// the value of free goods.
	BudgetPaise       money.Paise `json:"budget_paise,omitempty"`
	BudgetFreeQty     money.Qty   `json:"budget_free_qty,omitempty"`
	PerOutletCapPaise money.Paise `json:"per_outlet_cap_paise,omitempty"`
	PerOutletCapQty   money.Qty   `json:"per_outlet_cap_qty,omitempty"`

	// Benefit, by kind.
	DiscountBP  money.BP    `json:"discount_bp,omitempty"`
	AmountPaise money.Paise `json:"amount_paise,omitempty"`
	BuyQty      money.Qty   `json:"buy_qty,omitempty"`
	FreeQty     money.Qty   `json:"free_qty,omitempty"`
	FreeItem    string      `json:"free_item,omitempty"`
	Slabs       []Slab      `json:"slabs,omitempty"`
	Combo       []ComboPart `json:"combo,omitempty"`
}

// Slab is one step of a slab scheme: reach min_qty (qty_slab) or
// min_value_paise (value_slab, invoice_value) and get exactly one of the
// benefits. In a qty_slab amount_paise is per unit; in a value slab it is
// taken once off the line (or bill).
type Slab struct {
	MinQty        money.Qty   `json:"min_qty,omitempty"`
	MinValuePaise money.Paise `json:"min_value_paise,omitempty"`
	DiscountBP    money.BP    `json:"discount_bp,omitempty"`
	AmountPaise   money.Paise `json:"amount_paise,omitempty"`
	FreeQty       money.Qty   `json:"free_qty,omitempty"`
}

// ComboPart is one item of a combo and how many of it make a set.
type ComboPart struct {
	Item string    `json:"item"`
	Qty  money.Qty `json:"qty"`
}

// FieldError names the field of a definition that is wrong and why, so the
// screen, the API (400) and the circular importer can point at it.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("invalid scheme")

// Invalid is all that is wrong with one definition.
type Invalid struct {
	Code   string
	Fields []FieldError
}

func (e *Invalid) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return fmt.Sprintf("scheme %q: %s", e.Code, strings.Join(parts, "; "))
}

func (e *Invalid) Unwrap() error { return ErrInvalid }

// Decode reads one scheme definition from JSON, refusing unknown fields
// (a misspelt "discount_pb" must not silently give nothing), and validates it.
func Decode(raw []byte) (Scheme, error) {
	var s Scheme
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Scheme{}, &Invalid{Fields: []FieldError{{Field: "json", Reason: err.Error()}}}
	}
	if dec.More() {
		return Scheme{}, &Invalid{Fields: []FieldError{{Field: "json", Reason: "more than one scheme in the body"}}}
	}
	if err := s.Validate(); err != nil {
		return Scheme{}, err
	}
	return s, nil
}

// Validate checks the definition and returns *Invalid naming every wrong
// field, or nil.
func (s *Scheme) Validate() error {
	var fe []FieldError
	bad := func(field, format string, a ...any) {
		fe = append(fe, FieldError{Field: field, Reason: fmt.Sprintf(format, a...)})
	}
	s.checkIdentity(bad)
	s.checkDates(bad)
	s.checkLists(bad)
	s.checkNumbers(bad)
	s.checkKindFields(bad)
	s.checkBenefit(bad)
	if len(fe) == 0 {
		return nil
	}
	return &Invalid{Code: s.Code, Fields: fe}
}

// checkIdentity: the code, the name and the kind.
func (s *Scheme) checkIdentity(bad func(string, string, ...any)) {
	switch {
	case strings.TrimSpace(s.Code) == "":
		bad("code", "is required")
	case len(s.Code) > 40:
		bad("code", "is longer than 40 characters")
	case strings.TrimSpace(s.Code) != s.Code || strings.ContainsAny(s.Code, "\x00\t\r\n/"):
		bad("code", "has spaces at the ends, a slash or a control character")
	}
	if strings.TrimSpace(s.Name) == "" {
		bad("name", "is required")
	}
	known := false
	for _, k := range kinds {
		known = known || s.Kind == k
	}
	if !known {
		bad("kind", "must be one of percent, flat, buy_x_get_y, qty_slab, value_slab, invoice_value, combo")
	}
}

// checkDates: valid_from and valid_to are dates, in order.
func (s *Scheme) checkDates(bad func(string, string, ...any)) {
	if !s.ValidFrom.Valid() {
		bad("valid_from", "must be a date written YYYY-MM-DD")
	}
	if !s.ValidTo.Valid() {
		bad("valid_to", "must be a date written YYYY-MM-DD")
	}
	if s.ValidFrom.Valid() && s.ValidTo.Valid() && s.ValidTo.Before(s.ValidFrom) {
		bad("valid_to", "is before valid_from")
	}
}

// checkLists: no empty entry in the items, brands, categories, channels,
// beats, states or outlets the scheme applies to.
func (s *Scheme) checkLists(bad func(string, string, ...any)) {
	for _, l := range []struct {
		name string
		v    []string
	}{{"items", s.Items}, {"brands", s.Brands}, {"categories", s.Categories}, {"channels", s.Channels},
		{"beats", s.Beats}, {"states", s.States}, {"outlets", s.Outlets}} {
		for i, v := range l.v {
			if strings.TrimSpace(v) == "" {
				bad(fmt.Sprintf("%s[%d]", l.name, i), "is empty")
			}
		}
	}
}

// checkNumbers: no figure negative or absurd; a discount at most 100 %;
// each max at or above its min.
func (s *Scheme) checkNumbers(bad func(string, string, ...any)) {
	for _, n := range []struct {
		name string
		v    int64
	}{{"min_qty", int64(s.MinQty)}, {"max_qty", int64(s.MaxQty)}, {"min_value_paise", int64(s.MinValuePaise)},
		{"max_value_paise", int64(s.MaxValuePaise)}, {"budget_paise", int64(s.BudgetPaise)},
		{"budget_free_qty", int64(s.BudgetFreeQty)}, {"per_outlet_cap_paise", int64(s.PerOutletCapPaise)},
		{"per_outlet_cap_qty", int64(s.PerOutletCapQty)}, {"discount_bp", int64(s.DiscountBP)},
		{"amount_paise", int64(s.AmountPaise)}, {"buy_qty", int64(s.BuyQty)}, {"free_qty", int64(s.FreeQty)}} {
		if n.v < 0 {
			bad(n.name, "must not be negative")
		}
		if n.v > 1e15 {
			bad(n.name, "is too large")
		}
	}
	if s.DiscountBP > 10000 {
		bad("discount_bp", "is more than 100%% (10000 bp)")
	}
	if s.MaxQty > 0 && s.MaxQty < s.MinQty {
		bad("max_qty", "is below min_qty")
	}
	if s.MaxValuePaise > 0 && s.MaxValuePaise < s.MinValuePaise {
		bad("max_value_paise", "is below min_value_paise")
	}
}

// checkKindFields: combo and slabs only for the kinds that use them.
func (s *Scheme) checkKindFields(bad func(string, string, ...any)) {
	if s.Kind != Combo && len(s.Combo) > 0 {
		bad("combo", "is only for kind combo")
	}
	if s.Kind != QtySlab && s.Kind != ValueSlab && s.Kind != InvoiceValue && len(s.Slabs) > 0 {
		bad("slabs", "are only for qty_slab, value_slab and invoice_value")
	}
}

// oneBenefit: exactly one benefit, for the kinds that take one directly.
func (s *Scheme) oneBenefit(bad func(string, string, ...any), needFreeItem bool) {
	n := 0
	for _, set := range []bool{s.DiscountBP > 0, s.AmountPaise > 0, s.FreeQty > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		bad("discount_bp", "give exactly one of discount_bp, amount_paise or free_qty")
	}
	if s.FreeQty > 0 && needFreeItem && s.FreeItem == "" {
		bad("free_item", "is required: which item is given free")
	}
}

// checkBenefit: what each kind gives, and nothing it does not use.
func (s *Scheme) checkBenefit(bad func(string, string, ...any)) {
	switch s.Kind {
	case Percent:
		if s.DiscountBP <= 0 {
			bad("discount_bp", "is required for a percent scheme (500 = 5%%)")
		}
		s.noneOf(bad, "amount_paise", "buy_qty", "free_qty", "free_item")
	case Flat:
		if s.AmountPaise <= 0 {
			bad("amount_paise", "is required for a flat scheme (paise off each unit)")
		}
		s.noneOf(bad, "discount_bp", "buy_qty", "free_qty", "free_item")
	case BuyXGetY:
		if s.BuyQty <= 0 {
			bad("buy_qty", "is required for buy_x_get_y")
		}
		if s.FreeQty <= 0 {
			bad("free_qty", "is required for buy_x_get_y")
		}
		s.noneOf(bad, "discount_bp", "amount_paise")
	case QtySlab, ValueSlab:
		s.noneOf(bad, "discount_bp", "amount_paise", "buy_qty", "free_qty")
		if len(s.Slabs) == 0 {
			bad("slabs", "at least one slab is required")
		}
		s.checkSlabs(bad, s.Kind == QtySlab)
	case InvoiceValue:
		s.invoiceValueBenefit(bad)
	case Combo:
		s.comboBenefit(bad)
	}
}

// invoiceValueBenefit: slabs on the bill value, or one benefit above a
// minimum bill value.
func (s *Scheme) invoiceValueBenefit(bad func(string, string, ...any)) {
	if s.BuyQty > 0 {
		bad("buy_qty", "is not used by invoice_value")
	}
	if len(s.Slabs) > 0 {
		s.noneOf(bad, "discount_bp", "amount_paise", "free_qty")
		s.checkSlabs(bad, false)
		if s.FreeItem == "" {
			for _, sl := range s.Slabs {
				if sl.FreeQty > 0 {
					bad("free_item", "is required when a slab gives free_qty")
					break
				}
			}
		}
	} else {
		if s.MinValuePaise <= 0 {
			bad("min_value_paise", "is required: the bill value that earns the scheme")
		}
		s.oneBenefit(bad, true)
	}
}

// comboBenefit: at least two distinct items, each with a quantity, and
// one benefit.
func (s *Scheme) comboBenefit(bad func(string, string, ...any)) {
	if len(s.Combo) < 2 {
		bad("combo", "needs at least two items")
	}
	seen := map[string]bool{}
	for i, p := range s.Combo {
		if strings.TrimSpace(p.Item) == "" {
			bad(fmt.Sprintf("combo[%d].item", i), "is required")
		} else if seen[p.Item] {
			bad(fmt.Sprintf("combo[%d].item", i), "%s is named twice", p.Item)
		}
		seen[p.Item] = true
		if p.Qty <= 0 {
			bad(fmt.Sprintf("combo[%d].qty", i), "must be at least 1")
		}
	}
	if len(s.Items)+len(s.Brands)+len(s.Categories) > 0 {
		bad("items", "a combo names its items in combo, not in items, brands or categories")
	}
	if s.BuyQty > 0 {
		bad("buy_qty", "is not used by combo")
	}
	s.oneBenefit(bad, true)
}

// noneOf reports each named benefit field that is set but means nothing
// for the kind.
func (s *Scheme) noneOf(bad func(string, string, ...any), fields ...string) {
	for _, f := range fields {
		set := false
		switch f {
		case "discount_bp":
			set = s.DiscountBP != 0
		case "amount_paise":
			set = s.AmountPaise != 0
		case "buy_qty":
			set = s.BuyQty != 0
		case "free_qty":
			set = s.FreeQty != 0
		case "free_item":
			set = s.FreeItem != ""
		}
		if set {
			bad(f, "is not used by kind %s", s.Kind)
		}
	}
}

func (s *Scheme) checkSlabs(bad func(string, string, ...any), byQty bool) {
	for i, sl := range s.Slabs {
		f := fmt.Sprintf("slabs[%d]", i)
		n := 0
		for _, set := range []bool{sl.DiscountBP > 0, sl.AmountPaise > 0, sl.FreeQty > 0} {
			if set {
				n++
			}
		}
		if sl.DiscountBP < 0 || sl.AmountPaise < 0 || sl.FreeQty < 0 || sl.MinQty < 0 || sl.MinValuePaise < 0 {
			bad(f, "has a negative number")
		}
		if n != 1 {
			bad(f, "give exactly one of discount_bp, amount_paise or free_qty")
		}
		if sl.DiscountBP > 10000 {
			bad(f+".discount_bp", "is more than 100%%")
		}
		if sl.MinQty > 1e15 || sl.MinValuePaise > 1e15 || sl.AmountPaise > 1e15 || sl.FreeQty > 1e15 {
			bad(f, "has a number too large")
		}
		if byQty {
			if sl.MinQty <= 0 {
				bad(f+".min_qty", "is required and must be at least 1")
			}
			if sl.MinValuePaise != 0 {
				bad(f+".min_value_paise", "is not used by a quantity slab")
			}
			if i > 0 && sl.MinQty <= s.Slabs[i-1].MinQty {
				bad(f+".min_qty", "must be more than the slab before (slabs ascend)")
			}
		} else {
			if sl.MinValuePaise <= 0 {
				bad(f+".min_value_paise", "is required and must be more than 0")
			}
			if sl.MinQty != 0 {
				bad(f+".min_qty", "is not used by a value slab")
			}
			if i > 0 && sl.MinValuePaise <= s.Slabs[i-1].MinValuePaise {
				bad(f+".min_value_paise", "must be more than the slab before (slabs ascend)")
			}
		}
	}
}
