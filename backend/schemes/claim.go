package schemes

import (
	"fmt"
	"sort"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// ClaimTotals is what a scheme cost over some redemptions (rules.ClaimTotals).
type ClaimTotals = rules.ClaimTotals

// OutletClaim is one outlet's part of a claim.
type OutletClaim struct {
	Outlet string `json:"outlet"`
	ClaimTotals
}

// InvoiceClaim is one invoice's part of a claim, net of its returns in the
// period.
type InvoiceClaim struct {
	Invoice string   `json:"invoice"`
	Date    cal.Date `json:"date"` // of the first redemption in the period
	Outlet  string   `json:"outlet"`
	ClaimTotals
}

// ClaimStatement is what the distributor claims back from the brand for a
// scheme over a period: redemptions dated in the period less reversals
// dated in it. Total, the outlets' sum and the invoices' sum are equal, and
// equal the sum of Lines, exactly.
type ClaimStatement struct {
	Scheme   string         `json:"scheme"`
	Name     string         `json:"name"`
	From     cal.Date       `json:"from"`
	To       cal.Date       `json:"to"`
	Total    ClaimTotals    `json:"total"`
	Outlets  []OutletClaim  `json:"outlets"`
	Invoices []InvoiceClaim `json:"invoices"`
	Lines    []Redemption   `json:"lines"`
}

// Claim builds the claim statement for a scheme between two dates
// inclusive, outlet-wise and invoice-wise.
func Claim(tx *book.Tx, code string, from, to cal.Date) (ClaimStatement, error) {
	s, err := Get(tx, code)
	if err != nil {
		return ClaimStatement{}, err
	}
	if !from.Valid() || !to.Valid() || to.Before(from) {
		return ClaimStatement{}, fmt.Errorf("claim %s: from and to must be dates with from on or before to", code)
	}
	cs := ClaimStatement{Scheme: code, Name: s.Name, From: from, To: to, Outlets: []OutletClaim{}, Invoices: []InvoiceClaim{}}
	outlets := map[string]int{}
	invoices := map[string]int{}
	// The claims index names each invoice with redemptions of the scheme on
	// a date; the invoice's own redemptions say which lines and how much.
	err = eachClaimed(tx, code, from, to, func(date cal.Date, invoice string) error {
		return eachRedemption(tx, invoice, func(r Redemption) error {
			if r.Scheme == code && r.Date == date {
				cs.Lines = append(cs.Lines, r)
			}
			return nil
		})
	})
	if err != nil {
		return ClaimStatement{}, err
	}
	// by date, then in the order written
	sort.Slice(cs.Lines, func(i, j int) bool {
		a, b := &cs.Lines[i], &cs.Lines[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.Seq < b.Seq
	})
	for k := range cs.Lines {
		r := &cs.Lines[k]
		cs.Total.Add(r)
		i, ok := outlets[r.Outlet]
		if !ok {
			i = len(cs.Outlets)
			outlets[r.Outlet] = i
			cs.Outlets = append(cs.Outlets, OutletClaim{Outlet: r.Outlet})
		}
		cs.Outlets[i].Add(r)
		j, ok := invoices[r.Invoice]
		if !ok {
			j = len(cs.Invoices)
			invoices[r.Invoice] = j
			cs.Invoices = append(cs.Invoices, InvoiceClaim{Invoice: r.Invoice, Date: r.Date, Outlet: r.Outlet})
		}
		cs.Invoices[j].Add(r)
	}
	sort.Slice(cs.Outlets, func(i, j int) bool { return cs.Outlets[i].Outlet < cs.Outlets[j].Outlet })
	sort.Slice(cs.Invoices, func(i, j int) bool {
		a, b := cs.Invoices[i], cs.Invoices[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.Invoice < b.Invoice
	})
	return cs, nil
}

// Sale is sell-through of one item to one outlet over a period, net of
// returns, as billing reports it.
type Sale struct {
	Outlet     string      `json:"outlet"`
	Item       string      `json:"item"`
	Brand      string      `json:"brand,omitempty"`
	Category   string      `json:"category,omitempty"`
	Qty        money.Qty   `json:"qty"`
	ValuePaise money.Paise `json:"value_paise"`
}

// Sales is what billing offers the scheme report: sales by outlet and item
// between two dates inclusive.
type Sales interface {
	SalesByOutletItem(from, to cal.Date) ([]Sale, error)
}

// Performance sets what a scheme cost against what the outlets that took it
// bought of its items, in the scheme's period and in the period of equal
// length just before it.
type Performance struct {
	Scheme         string      `json:"scheme"`
	From           cal.Date    `json:"from"`
	To             cal.Date    `json:"to"`
	PrevFrom       cal.Date    `json:"prev_from"`
	PrevTo         cal.Date    `json:"prev_to"`
	Outlets        int         `json:"outlets"` // outlets that redeemed
	CostPaise      money.Paise `json:"cost_paise"`
	Qty            money.Qty   `json:"qty"`
	ValuePaise     money.Paise `json:"value_paise"`
	PrevQty        money.Qty   `json:"prev_qty"`
	PrevValuePaise money.Paise `json:"prev_value_paise"`
	UpliftQty      money.Qty   `json:"uplift_qty"`
	UpliftPaise    money.Paise `json:"uplift_paise"`
	// CostBP is the cost as a share of the value sold in the period.
	CostBP money.BP `json:"cost_bp"`
	// CostPerExtraUnitPaise is the cost of each unit sold above the previous
	// period; 0 when nothing extra sold.
	CostPerExtraUnitPaise money.Paise `json:"cost_per_extra_unit_paise"`
}

// Measure reports a scheme's performance over its validity (to asOf, if
// the scheme is still running).
func Measure(tx *book.Tx, code string, asOf cal.Date, sales Sales) (Performance, error) {
	s, err := Get(tx, code)
	if err != nil {
		return Performance{}, err
	}
	to := s.ValidTo
	if asOf.Valid() && asOf.Before(to) {
		to = asOf
	}
	days := s.ValidFrom.DaysUntil(to) + 1
	p := Performance{Scheme: code, From: s.ValidFrom, To: to, PrevFrom: s.ValidFrom.AddDays(-days), PrevTo: s.ValidFrom.AddDays(-1)}
	if days <= 0 {
		return p, nil
	}
	claim, err := Claim(tx, code, p.From, p.To)
	if err != nil {
		return Performance{}, err
	}
	p.CostPaise = claim.Total.ValuePaise
	took := map[string]bool{}
	for _, o := range claim.Outlets {
		took[o.Outlet] = true
	}
	p.Outlets = len(took)
	sum := func(from, to cal.Date) (money.Qty, money.Paise, error) {
		rows, err := sales.SalesByOutletItem(from, to)
		if err != nil {
			return 0, 0, fmt.Errorf("scheme %s performance: sales %s..%s: %w", code, from, to, err)
		}
		var q money.Qty
		var v money.Paise
		for _, r := range rows {
			if took[r.Outlet] && sells(&s, &r) {
				q += r.Qty
				v += r.ValuePaise
			}
		}
		return q, v, nil
	}
	if p.Qty, p.ValuePaise, err = sum(p.From, p.To); err != nil {
		return Performance{}, err
	}
	if p.PrevQty, p.PrevValuePaise, err = sum(p.PrevFrom, p.PrevTo); err != nil {
		return Performance{}, err
	}
	p.UpliftQty, p.UpliftPaise = p.Qty-p.PrevQty, p.ValuePaise-p.PrevValuePaise
	if p.ValuePaise > 0 && p.CostPaise > 0 {
		p.CostBP = money.BP(rules.MulDiv(int64(p.CostPaise), 10000, int64(p.ValuePaise)))
	}
	if p.UpliftQty > 0 && p.CostPaise > 0 {
		p.CostPerExtraUnitPaise = p.CostPaise.DivRound(int64(p.UpliftQty))
	}
	return p, nil
}

// sells reports whether a sale is of an item the scheme covers (any item,
// for an invoice_value scheme with no item scope).
func sells(s *Scheme, r *Sale) bool {
	if s.Kind == Combo {
		for _, p := range s.Combo {
			if p.Item == r.Item {
				return true
			}
		}
		return false
	}
	return s.Covers(&Line{Item: r.Item, Brand: r.Brand, Category: r.Category})
}
