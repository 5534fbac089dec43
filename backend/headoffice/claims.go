package headoffice

import (
	"slices"
	"sort"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Claim flag reasons. The first four need the scheme's rules (a
// ClaimChecker); the evidence reasons are checked from the uploads alone.
const (
	FlagIneligibleOutlet = "ineligible_outlet"
	FlagOutsideDates     = "outside_dates"
	FlagAboveEntitlement = "above_entitlement"
	FlagBudgetExceeded   = "budget_exceeded"
	FlagNoInvoiceLine    = "no_invoice_line"
	FlagSchemeNotOnLine  = "scheme_not_on_line"
	FlagFreeQtyNotBilled = "free_qty_not_on_line"
)

// ClaimFlag is one redemption the evidence does not support, and how much
// of its value is leakage.
type ClaimFlag struct {
	DistributorCode string      `json:"distributor_code"`
	SchemeCode      string      `json:"scheme_code"`
	RedemptionID    string      `json:"redemption_id"`
	InvoiceNo       string      `json:"invoice_no"`
	InvoiceDate     cal.Date    `json:"invoice_date"`
	OutletCode      string      `json:"outlet_code"`
	Reason          string      `json:"reason"`
	Detail          string      `json:"detail,omitempty"`
	ClaimedPaise    money.Paise `json:"claimed_paise"`
	LeakagePaise    money.Paise `json:"leakage_paise"`
}

// ClaimChecker recomputes redemptions from the schemes head office issued.
// It is the hook for the scheme rules (schemes/rules): given one distributor's
// uploaded lines and redemptions, it returns the flags the scheme rules
// raise (ineligible outlet, outside dates, above entitlement, budget
// exceeded). The receiver adds the evidence checks itself.
type ClaimChecker interface {
	CheckClaims(d Distributor, outlets map[string]wire.Outlet, lines []wire.SalesLine, redemptions []wire.Redemption) ([]ClaimFlag, error)
}

// ClaimSummary is leakage totalled per scheme and per distributor.
type ClaimSummary struct {
	From          cal.Date       `json:"from"`
	To            cal.Date       `json:"to"`
	RulesChecked  bool           `json:"rules_checked"`
	ClaimedPaise  money.Paise    `json:"claimed_paise"`
	LeakagePaise  money.Paise    `json:"leakage_paise"`
	ByScheme      []LeakageTotal `json:"by_scheme"`
	ByDistributor []LeakageTotal `json:"by_distributor"`
	Flags         []ClaimFlag    `json:"flags"`
	// Totals is over every redemption of the period: redemptions, flagged,
	// claimed_paise, leakage_paise. Pages says, for each of the three
	// lists, how many rows it has in all and which of them were sent.
	Totals map[string]int64     `json:"totals"`
	Pages  map[string]ListSlice `json:"pages"`
}

// ListSlice is which rows of one list an answer holds: Limit (0: every
// one) from Offset, of TotalRows.
type ListSlice struct {
	TotalRows int `json:"total_rows"`
	Offset    int `json:"offset"`
	Limit     int `json:"limit"`
}

// ClaimPages is the page asked of each of the claims' lists.
type ClaimPages struct {
	ByScheme, ByDistributor, Flags Page
}

// Paged is sum with one page of each of its lists. The check reads every
// redemption of the period (it must, to total them) and keeps the flags,
// which are the exceptions, whole; only the answer is cut.
func (sum *ClaimSummary) Paged(p ClaimPages) *ClaimSummary {
	out := *sum
	out.ByScheme, out.ByDistributor, out.Flags = cut(sum.ByScheme, p.ByScheme), cut(sum.ByDistributor, p.ByDistributor), cut(sum.Flags, p.Flags)
	out.Pages = map[string]ListSlice{
		"by_scheme":      {TotalRows: len(sum.ByScheme), Offset: p.ByScheme.Offset, Limit: p.ByScheme.Limit},
		"by_distributor": {TotalRows: len(sum.ByDistributor), Offset: p.ByDistributor.Offset, Limit: p.ByDistributor.Limit},
		"flags":          {TotalRows: len(sum.Flags), Offset: p.Flags.Offset, Limit: p.Flags.Limit},
	}
	return &out
}

// LeakageTotal is claimed value and leakage for one scheme or distributor.
type LeakageTotal struct {
	Key          string      `json:"key"`
	Redemptions  int         `json:"redemptions"`
	Flagged      int         `json:"flagged"`
	ClaimedPaise money.Paise `json:"claimed_paise"`
	LeakagePaise money.Paise `json:"leakage_paise"`
}

// CheckClaims checks every redemption dated in [from, to] against the
// uploaded invoice lines and, when rules is set, the issued schemes.
func CheckClaims(store Store, rules ClaimChecker, from, to cal.Date) (*ClaimSummary, error) {
	ds, err := store.Distributors()
	if err != nil {
		return nil, err
	}
	sum := &ClaimSummary{From: from, To: to, RulesChecked: rules != nil, Flags: []ClaimFlag{}}
	byScheme, byDist := map[string]*LeakageTotal{}, map[string]*LeakageTotal{}
	total := func(m map[string]*LeakageTotal, k string) *LeakageTotal {
		if m[k] == nil {
			m[k] = &LeakageTotal{Key: k}
		}
		return m[k]
	}
	for _, d := range ds {
		var lines []wire.SalesLine
		index := map[string]*wire.SalesLine{}
		// The period's lines, and the returns of its invoices dated after it:
		// an invoice earned what it keeps, whenever its goods came back.
		if err := store.SalesLines(d.Code, from, cal.Date("9999-12-31"), func(l wire.SalesLine) error {
			if l.InvoiceDate <= to || (l.DocType == wire.DocReturn && l.RefInvoiceNo != "") {
				lines = append(lines, l)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		for i := range lines {
			if lines[i].DocType == wire.DocInvoice {
				index[string(lines[i].InvoiceDate)+sep+lines[i].InvoiceNo+sep+itoa(lines[i].LineNo)] = &lines[i]
			}
		}
		var reds []wire.Redemption
		if err := store.Redemptions(d.Code, func(r wire.Redemption) error {
			if r.InvoiceDate >= from && r.InvoiceDate <= to {
				reds = append(reds, r)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		flagged := map[string]bool{}
		var flags []ClaimFlag
		for _, r := range reds {
			f := ClaimFlag{DistributorCode: d.Code, SchemeCode: r.SchemeCode, RedemptionID: r.RedemptionID, InvoiceNo: r.InvoiceNo, InvoiceDate: r.InvoiceDate, OutletCode: r.OutletCode, ClaimedPaise: r.ValuePaise}
			l := index[string(r.InvoiceDate)+sep+r.InvoiceNo+sep+itoa(r.LineNo)]
			switch {
			case l == nil:
				f.Reason, f.LeakagePaise, f.Detail = FlagNoInvoiceLine, r.ValuePaise, "no uploaded invoice line carries this redemption"
			case !contains(l.SchemeCodes, r.SchemeCode):
				f.Reason, f.LeakagePaise, f.Detail = FlagSchemeNotOnLine, r.ValuePaise, "the invoice line does not name this scheme"
			case r.FreeQty > l.FreeQty:
				f.Reason = FlagFreeQtyNotBilled
				f.Detail = "claimed free quantity exceeds the free quantity on the invoice line"
				f.LeakagePaise = r.ValuePaise.MulQty(r.FreeQty - l.FreeQty).DivRound(int64(r.FreeQty))
			default:
				continue
			}
			flags = append(flags, f)
			flagged[r.RedemptionID] = true
		}
		if rules != nil {
			outlets := map[string]wire.Outlet{}
			if err := store.Outlets(d.Code, func(o wire.Outlet) error { outlets[o.OutletCode] = o; return nil }); err != nil {
				return nil, err
			}
			more, err := rules.CheckClaims(d, outlets, lines, reds)
			if err != nil {
				return nil, err
			}
			for _, f := range more {
				if !flagged[f.RedemptionID] { // one flag per redemption: leakage is not counted twice
					f.DistributorCode = d.Code
					flags = append(flags, f)
					flagged[f.RedemptionID] = true
				}
			}
		}
		for _, r := range reds {
			sum.ClaimedPaise += r.ValuePaise
			for _, t := range []*LeakageTotal{total(byScheme, r.SchemeCode), total(byDist, d.Code)} {
				t.Redemptions++
				t.ClaimedPaise += r.ValuePaise
			}
		}
		for _, f := range flags {
			sum.LeakagePaise += f.LeakagePaise
			for _, t := range []*LeakageTotal{total(byScheme, f.SchemeCode), total(byDist, d.Code)} {
				t.Flagged++
				t.LeakagePaise += f.LeakagePaise
			}
		}
		sum.Flags = append(sum.Flags, flags...)
	}
	sum.ByScheme, sum.ByDistributor = sortedTotals(byScheme), sortedTotals(byDist)
	// The largest leakage first; ties by distributor, redemption, reason.
	slices.SortFunc(sum.Flags, func(a, b ClaimFlag) int {
		return largestFirst(int64(a.LeakagePaise), int64(b.LeakagePaise), [2]string{a.DistributorCode, b.DistributorCode},
			[2]string{a.RedemptionID, b.RedemptionID}, [2]string{a.Reason, b.Reason})
	})
	var redemptions int64
	for _, t := range sum.ByScheme {
		redemptions += int64(t.Redemptions)
	}
	sum.Totals = map[string]int64{"redemptions": redemptions, "flagged": int64(len(sum.Flags)),
		"claimed_paise": int64(sum.ClaimedPaise), "leakage_paise": int64(sum.LeakagePaise)}
	return sum.Paged(ClaimPages{}), nil
}

func sortedTotals(m map[string]*LeakageTotal) []LeakageTotal {
	out := make([]LeakageTotal, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].LeakagePaise != out[j].LeakagePaise {
			return out[i].LeakagePaise > out[j].LeakagePaise
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
