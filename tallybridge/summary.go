package tallybridge

import (
	"fmt"
	"sort"
	"strings"

	"vitaran/backend/money"
)

// SummaryOptions shape the day-wise summary vouchers.
type SummaryOptions struct {
	// Party is the ledger every summary voucher is billed to, e.g.
	// "Retail Sales (Day Summary)". Outlet-wise receivables stay in Vitaran.
	Party Party
	// Prefix starts each summary's number and REMOTEID: "DS" gives
	// "DS-20250401-18%". Re-summarising a day gives the same ids, so the
	// re-post alters the day's vouchers instead of adding to them.
	Prefix string
}

// SummariseByDay folds sales vouchers into one voucher per day per GST rate,
// for companies whose Tally cannot take a voucher per invoice. Lines of the
// same item, godown, batch, unit and ledger are added together; tax legs go
// with their rate (TaxLeg.Rate, or the only rate of the invoice's lines); an
// invoice's round-off goes with its largest rate. Each summary's legs sum to
// zero to the paisa because each is the sum of balanced parts. Vouchers of
// other kinds are refused: returns and receipts are posted one by one.
func SummariseByDay(vs []Voucher, o SummaryOptions) ([]Voucher, error) {
	if o.Party.Name == "" {
		return nil, fmt.Errorf("day summary: no party ledger chosen for the summary vouchers")
	}
	if o.Prefix == "" {
		o.Prefix = "DS"
	}
	type key struct {
		day  string
		rate money.BP
	}
	type lineKey struct{ item, godown, batch, unit, ledger string }
	type group struct {
		v     Voucher
		lines map[lineKey]int
		gross []money.Paise // per summary line: Σ rate × quantity of its parts
		mixed []bool        // per summary line: its parts were sold at different rates
		taxes map[string]int
		count int
	}
	groups := map[key]*group{}
	get := func(k key, src Voucher) *group {
		g := groups[k]
		if g == nil {
			id := fmt.Sprintf("%s-%s-%s", o.Prefix, TallyDate(src.Date), k.rate.String())
			g = &group{v: Voucher{
				Kind: Sales, RemoteID: id, Number: id, Date: src.Date, Party: o.Party,
				RoundOffLedger: src.RoundOffLedger,
			}, lines: map[lineKey]int{}, taxes: map[string]int{}}
			groups[k] = g
		}
		return g
	}
	for _, src := range vs {
		if src.Kind != Sales {
			return nil, fmt.Errorf("day summary: %s %q is not a sale; post it on its own", src.Kind, src.Number)
		}
		if err := src.Check(); err != nil {
			return nil, fmt.Errorf("day summary: %w", err)
		}
		v := src.withDefaults()
		day := TallyDate(v.Date)
		rates := map[money.BP]money.Paise{}
		for _, l := range v.Lines {
			rates[l.GSTRate] += l.Amount
		}
		var biggest money.BP
		first := true
		for r, amt := range rates {
			if first || amt > rates[biggest] || amt == rates[biggest] && r > biggest {
				biggest, first = r, false
			}
		}
		touched := map[key]money.Paise{} // what this invoice adds to each group
		for _, l := range v.Lines {
			k := key{day, l.GSTRate}
			g := get(k, v)
			lk := lineKey{l.Item, l.Godown, l.Batch, l.Unit, l.Ledger}
			i, ok := g.lines[lk]
			if !ok {
				i = len(g.v.Lines)
				g.lines[lk] = i
				g.v.Lines = append(g.v.Lines, Line{Item: l.Item, HSN: l.HSN, GSTRate: l.GSTRate,
					Godown: l.Godown, Batch: l.Batch, Unit: l.Unit, Ledger: l.Ledger, Rate: l.Rate})
				g.gross = append(g.gross, 0)
				g.mixed = append(g.mixed, false)
			}
			sl := &g.v.Lines[i]
			if l.Qty > 0 {
				g.gross[i] += l.gross()
				g.mixed[i] = g.mixed[i] || sl.Qty > 0 && sl.Rate != l.Rate
				if sl.Qty == 0 {
					sl.Rate = l.Rate
				}
			}
			sl.Qty += l.Qty
			sl.FreeQty += l.FreeQty
			sl.Amount += l.Amount
			touched[k] += l.Amount
		}
		for _, t := range v.Taxes {
			rate := t.Rate
			if rate == 0 {
				if len(rates) != 1 {
					return nil, fmt.Errorf("day summary: invoice %q has lines at %d GST rates and a %s leg without a rate", v.Number, len(rates), t.Tax)
				}
				rate = biggest
			}
			k := key{day, rate}
			if _, ok := rates[rate]; !ok {
				return nil, fmt.Errorf("day summary: invoice %q has a %s leg at %s but no line at that rate", v.Number, t.Tax, rate)
			}
			g := get(k, v)
			i, ok := g.taxes[t.Ledger]
			if !ok {
				i = len(g.v.Taxes)
				g.taxes[t.Ledger] = i
				g.v.Taxes = append(g.v.Taxes, TaxLeg{Tax: t.Tax, Rate: rate, Ledger: t.Ledger})
			}
			g.v.Taxes[i].Amount += t.Amount
			touched[k] += t.Amount
		}
		// charges and round-off ride with the invoice's largest rate
		k := key{day, biggest}
		g := get(k, v)
		for _, c := range v.Charges {
			found := false
			for i := range g.v.Charges {
				if g.v.Charges[i].Ledger == c.Ledger {
					g.v.Charges[i].Amount += c.Amount
					found = true
				}
			}
			if !found {
				g.v.Charges = append(g.v.Charges, c)
			}
			touched[k] += c.Amount
		}
		g.v.RoundOff += v.RoundOff
		touched[k] += v.RoundOff
		for k, amt := range touched {
			groups[k].v.Total += amt
			groups[k].count++
		}
	}
	out := make([]Voucher, 0, len(groups))
	for _, g := range groups {
		for i := range g.v.Lines {
			// one rate stays the rate; parts at several rates get their
			// average, rounded up so that the discount that brings
			// RATE × QTY to AMOUNT (which Tally recomputes) is never negative
			l := &g.v.Lines[i]
			switch {
			case l.Qty == 0:
				l.Rate = 0
			case g.mixed[i]:
				q := money.Paise(l.Qty)
				l.Rate = (g.gross[i] + q - 1) / q
			}
			l.Discount = 0
		}
		g.v.Narration = fmt.Sprintf("Day summary of %d invoice(s) from Vitaran", g.count)
		if err := g.v.Check(); err != nil {
			return nil, fmt.Errorf("day summary %s: %w", g.v.Number, err)
		}
		out = append(out, g.v)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Compare(out[i].RemoteID, out[j].RemoteID) < 0 })
	return out, nil
}
