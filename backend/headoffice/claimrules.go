package headoffice

import (
	"fmt"
	"sort"
	"strings"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// SchemeRules is the ClaimChecker over the schemes head office issued: the
// same definitions the distributors import. It recomputes what each invoice
// was entitled to from the uploaded invoice lines with rules.Evaluate, net
// of the uploaded returns against it (rules.Net, as the distributor's book
// reverses its claim: Earned), and flags, per redemption, what the rules do
// not support.
//
// Each scheme is evaluated alone on the invoice (so another scheme's
// exclusivity never cuts an entitlement), with no manual discount (the
// upload carries the net, not the clerk's rate): both make the entitlement
// a ceiling, so an honest distributor is never flagged. Budgets are checked
// per distributor in date order: what goes past the budget is leakage.
type SchemeRules struct {
	Schemes []rules.Scheme
	// SKUs gives brand and category by brand SKU code (for brand and
	// category scopes); nil when head office has no SKU master.
	SKUs map[string]wire.SKU
}

var _ ClaimChecker = (*SchemeRules)(nil)

// NewSchemeRules prepares the rules with the SKU master store holds.
func NewSchemeRules(store Store, ss []rules.Scheme) (*SchemeRules, error) {
	r := &SchemeRules{Schemes: ss, SKUs: map[string]wire.SKU{}}
	if store != nil {
		if err := store.SKUs(func(s wire.SKU) error { r.SKUs[s.SKUCode] = s; return nil }); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// outletEligible is the scheme's outlet scope (rules' Takes) against head
// office's outlet master, which knows a beat by code and by name.
func outletEligible(s *rules.Scheme, o wire.Outlet, code string) bool {
	ro := rules.Outlet{Code: code, Channel: o.Channel, Beat: o.BeatCode, State: o.StateCode}
	if s.Takes(&ro) {
		return true
	}
	ro.Beat = o.BeatName
	return o.BeatName != "" && s.Takes(&ro)
}

type claimGroup struct {
	scheme  string
	inv     string
	date    cal.Date
	outlet  string
	reds    []wire.Redemption
	claimed money.Paise
	free    money.Qty
}

// CheckClaims implements ClaimChecker.
func (r *SchemeRules) CheckClaims(d Distributor, outlets map[string]wire.Outlet, lines []wire.SalesLine, reds []wire.Redemption) ([]ClaimFlag, error) {
	issued := map[string]*rules.Scheme{}
	for i := range r.Schemes {
		issued[r.Schemes[i].Code] = &r.Schemes[i]
	}
	byInv := map[string][]*wire.SalesLine{}
	returns := map[string][]*wire.SalesLine{} // by the invoice they return goods of
	for i := range lines {
		switch l := &lines[i]; l.DocType {
		case wire.DocInvoice:
			k := string(l.InvoiceDate) + sep + l.InvoiceNo
			byInv[k] = append(byInv[k], l)
		case wire.DocReturn:
			returns[l.RefInvoiceNo] = append(returns[l.RefInvoiceNo], l)
		}
	}
	// One group per invoice and scheme: entitlement is per invoice.
	groups := map[string]*claimGroup{}
	var order []*claimGroup
	for _, rd := range reds {
		k := string(rd.InvoiceDate) + sep + rd.InvoiceNo + sep + rd.SchemeCode
		g := groups[k]
		if g == nil {
			g = &claimGroup{scheme: rd.SchemeCode, inv: rd.InvoiceNo, date: rd.InvoiceDate, outlet: rd.OutletCode}
			groups[k] = g
			order = append(order, g)
		}
		g.reds = append(g.reds, rd)
		g.claimed += rd.ValuePaise
		g.free += rd.FreeQty
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].date != order[j].date {
			return order[i].date < order[j].date
		}
		return order[i].inv < order[j].inv
	})
	spent := map[string]money.Paise{}
	spentQty := map[string]money.Qty{}
	var flags []ClaimFlag
	for _, g := range order {
		first := g.reds[0]
		flag := func(reason, detail string, leak money.Paise) {
			flags = append(flags, ClaimFlag{SchemeCode: g.scheme, RedemptionID: first.RedemptionID, InvoiceNo: g.inv,
				InvoiceDate: g.date, OutletCode: g.outlet, Reason: reason, Detail: detail, ClaimedPaise: g.claimed, LeakagePaise: leak})
		}
		if g.claimed <= 0 {
			continue // a net reversal claims nothing
		}
		s := issued[g.scheme]
		switch {
		case s == nil:
			flag(FlagAboveEntitlement, "head office issued no scheme "+g.scheme, g.claimed)
			continue
		case g.date.Before(s.ValidFrom) || s.ValidTo.Before(g.date):
			flag(FlagOutsideDates, fmt.Sprintf("invoice dated %s; the scheme runs %s to %s", g.date, s.ValidFrom, s.ValidTo), g.claimed)
			continue
		case !outletEligible(s, outlets[g.outlet], g.outlet):
			flag(FlagIneligibleOutlet, "outlet "+g.outlet+" is outside the scheme's channels, beats, states or outlets", g.claimed)
			continue
		}
		ent := r.Earned(s, g.date, g.outlet, outlets[g.outlet], byInv[string(g.date)+sep+g.inv], returns[g.inv])
		allowed := g.claimed
		if g.claimed > ent.ValuePaise || g.free > ent.FreeQty {
			leak := g.claimed - ent.ValuePaise
			if leak <= 0 { // more pieces than entitled, valued at the claim's own rate
				leak = g.claimed.MulQty(g.free - ent.FreeQty).DivRound(int64(g.free))
			}
			flag(FlagAboveEntitlement, fmt.Sprintf("claimed %s and %d free; the invoice lines earn %s and %d free", g.claimed, g.free, ent.ValuePaise, ent.FreeQty), leak)
			allowed = g.claimed - leak
		}
		// Budget: what the distributor spent before this, plus this.
		if s.BudgetPaise > 0 && spent[s.Code]+allowed > s.BudgetPaise {
			over := spent[s.Code] + allowed - s.BudgetPaise
			if over > allowed {
				over = allowed
			}
			if allowed == g.claimed { // not already flagged above entitlement
				flag(FlagBudgetExceeded, fmt.Sprintf("budget %s; %s already claimed", s.BudgetPaise, spent[s.Code]), over)
			}
		} else if s.BudgetFreeQty > 0 && spentQty[s.Code]+g.free > s.BudgetFreeQty && allowed == g.claimed {
			over := spentQty[s.Code] + g.free - s.BudgetFreeQty
			if over > g.free {
				over = g.free
			}
			flag(FlagBudgetExceeded, fmt.Sprintf("free-goods budget %d; %d already given", s.BudgetFreeQty, spentQty[s.Code]), g.claimed.MulQty(over).DivRound(int64(g.free)))
		}
		spent[s.Code] += allowed
		spentQty[s.Code] += g.free
	}
	return flags, nil
}

// Earned is what scheme s alone gives an invoice (dated date, to outlet
// code with master row o) on its uploaded lines, net of the returns' lines
// against it: the scheme's own rule on the lines as billed (rules.Evaluate),
// then each redemption net of what came back (rules.Net: the discount's
// share of the quantity returned, the free goods the rule gives on the
// invoice as kept) — the figures the distributor's book claims once its
// returns are reversed. Budgets and caps are left out (CheckClaims checks
// them across invoices), and so is the clerk's own discount (the upload
// carries the line's net, not the clerk's rate): both only make Earned a
// ceiling.
func (r *SchemeRules) Earned(s *rules.Scheme, date cal.Date, code string, o wire.Outlet, lines, returns []*wire.SalesLine) rules.ClaimTotals {
	inv := rules.Invoice{Date: date, Outlet: rules.Outlet{Code: code, Channel: o.Channel, Beat: o.BeatCode, State: o.StateCode},
		Rates: map[string]money.Paise{}}
	for _, l := range lines {
		item := lineItem(l)
		if l.RatePaise > 0 {
			if _, ok := inv.Rates[item]; !ok {
				inv.Rates[item] = l.RatePaise
			}
		}
		if l.Qty <= 0 {
			continue // a free row: its goods are the claim, not the basis
		}
		sku := r.SKUs[l.SKUCode]
		inv.Lines = append(inv.Lines, rules.Line{No: l.LineNo, Item: item, Brand: sku.Brand, Category: sku.Category,
			Qty: l.Qty, RatePaise: l.RatePaise, GrossPaise: l.RatePaise.MulQty(l.Qty), CaseSize: sku.CaseSize})
	}
	s2 := *s
	s2.BudgetPaise, s2.BudgetFreeQty, s2.PerOutletCapPaise, s2.PerOutletCapQty = 0, 0, 0, 0 // budgets are checked across invoices
	res := rules.Evaluate(inv, []rules.Scheme{s2}, nil)
	back, kept := keptAfter(inv.Lines, returns)
	var t rules.ClaimTotals
	for i := range res.Redemptions {
		rd := &res.Redemptions[i]
		if rd.Scheme != s.Code {
			continue
		}
		if kept != nil {
			n := rules.Net(&s2, rd, back[rd.Line], kept)
			rd = &n
		}
		t.Add(rd)
	}
	return t
}

func lineItem(l *wire.SalesLine) string {
	if l.ItemCode != "" {
		return l.ItemCode
	}
	return l.SKUCode
}

// keptAfter is what came back of each billed line (by line number) and
// the invoice as the outlet keeps it, from the returns' lines; nil when
// nothing came back. A return line names the item, not the invoice line:
// its pieces are taken off the invoice's lines of that item in line order,
// as far as each was billed (billing puts one line per item).
func keptAfter(billed []rules.Line, returns []*wire.SalesLine) (map[int]money.Qty, *rules.Kept) {
	back := map[int]money.Qty{}
	some := false
	for _, rl := range returns {
		q := -rl.Qty
		if q <= 0 {
			continue // a free piece back, or a line of nothing
		}
		item := lineItem(rl)
		for i := range billed {
			if l := &billed[i]; q > 0 && strings.EqualFold(l.Item, item) {
				take := min(q, l.Qty-back[l.No])
				back[l.No] += take
				q -= take
				some = some || take > 0
			}
		}
	}
	if !some {
		return nil, nil
	}
	k := &rules.Kept{Lines: make([]rules.KeptLine, 0, len(billed))}
	for _, l := range billed {
		l.Qty -= back[l.No]
		l.GrossPaise = l.RatePaise.MulQty(l.Qty)
		k.Lines = append(k.Lines, rules.KeptLine{Line: l})
	}
	return back, k
}

// storeRules reads the issued schemes and the SKU master afresh on each
// check, so schemes loaded while the receiver runs count at once.
type storeRules struct{ s Store }

// RulesFromStore is the ClaimChecker over the schemes stored in s with
// SetSchemes (`vitaran headoffice schemes --file F`).
func RulesFromStore(s Store) ClaimChecker { return storeRules{s} }

func (r storeRules) CheckClaims(d Distributor, outlets map[string]wire.Outlet, lines []wire.SalesLine, reds []wire.Redemption) ([]ClaimFlag, error) {
	ss, err := r.s.IssuedSchemes()
	if err != nil || len(ss) == 0 {
		return nil, err
	}
	rules, err := NewSchemeRules(r.s, ss)
	if err != nil {
		return nil, err
	}
	return rules.CheckClaims(d, outlets, lines, reds)
}
