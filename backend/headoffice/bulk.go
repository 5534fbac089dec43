package headoffice

import (
	"cmp"
	"slices"

	"vitaran/backend/cal"
)

// RollupSummer is a Store that sums a rollup over many distributors in one
// pass (PostgreSQL: one GROUP BY over the rollup table). The dashboard's
// national and regional views use it when the store has it, and read
// distributor by distributor when it has not.
type RollupSummer interface {
	// SumRollup calls fn with r's cells with a day in [from, to] summed over
	// the days, for the distributors in codes (every one when codes is
	// nil), one call per distributor when byCode and per dim when byDim
	// (code or dim "" when not grouped by it).
	SumRollup(r Rollup, codes []string, from, to cal.Date, byCode, byDim bool, fn func(code, dim string, s Sum) error) error
	// StockDays calls fn for each distributor in codes (every one when nil)
	// with a stock statement in [from, to]: its last day, that day's
	// closing (Qty) and value (Value), the units sold over the period
	// (Sold) and the number of days reported.
	StockDays(codes []string, from, to cal.Date, fn func(code string, last cal.Date, s Sum, days int) error) error
}

func codesOf(ds []Distributor) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

// sumRollups sums roll over p for scope (all: every registered
// distributor), grouped as asked; see RollupSummer.SumRollup.
func (r *Receiver) sumRollups(roll Rollup, scope []Distributor, all bool, p Period, byCode, byDim bool, fn func(code, dim string, s Sum) error) error {
	if rs, ok := r.store.(RollupSummer); ok {
		var codes []string
		if !all {
			codes = codesOf(scope)
			if len(codes) == 0 {
				return nil
			}
		}
		return rs.SumRollup(roll, codes, p.From, p.To, byCode, byDim, fn)
	}
	type key struct{ code, dim string }
	acc := map[key]*Sum{}
	for _, d := range scope {
		err := r.store.ScanRollup(roll, d.Code, p.From, p.To, func(_ cal.Date, dim string, s Sum) error {
			k := key{}
			if byCode {
				k.code = d.Code
			}
			if byDim {
				k.dim = dim
			}
			if acc[k] == nil {
				acc[k] = &Sum{}
			}
			acc[k].Add(s)
			return nil
		})
		if err != nil {
			return err
		}
	}
	keys := make([]key, 0, len(acc))
	for k := range acc {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.dim, b.dim)) })
	for _, k := range keys {
		if err := fn(k.code, k.dim, *acc[k]); err != nil {
			return err
		}
	}
	return nil
}

// covers is each distributor's stock cover over p, by code.
func (r *Receiver) covers(scope []Distributor, all bool, p Period, threshold int) (map[string]Cover, error) {
	out := make(map[string]Cover, len(scope))
	rs, ok := r.store.(RollupSummer)
	if !ok {
		for _, d := range scope {
			c, err := r.cover(d.Code, p, threshold)
			if err != nil {
				return nil, err
			}
			out[d.Code] = c
		}
		return out, nil
	}
	var codes []string
	if !all {
		codes = codesOf(scope)
	}
	err := rs.StockDays(codes, p.From, p.To, func(code string, last cal.Date, s Sum, days int) error {
		out[code] = finishCover(Cover{Code: code, StockDate: last, StockQty: s.Qty, StockValuePaise: s.Value, SoldQty: s.Sold, days: days}, threshold)
		return nil
	})
	for _, d := range scope {
		if _, ok := out[d.Code]; !ok {
			out[d.Code] = finishCover(Cover{Code: d.Code}, threshold)
		}
	}
	return out, err
}

// finishCover works out days of cover and overstock from the stock, the
// units sold and the days reported.
func finishCover(c Cover, threshold int) Cover {
	// Average over the days the distributor reported, not the whole
	// period: a distributor that started uploading last week has sold for
	// a week, not a month.
	c.DaysOfCover = daysOfCover(c.StockQty, c.SoldQty, c.days)
	c.Overstocked = threshold > 0 && c.StockQty > 0 && (c.DaysOfCover == nil || *c.DaysOfCover > int64(threshold))
	return c
}
