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
	// SumMonths is SumRollup over r's month cells (see MonthGrain) with a
	// month in [from, to] (first days), for scopes (every one when nil):
	// distributors' codes, or regions for the rollups kept by region.
	SumMonths(r Rollup, scopes []string, from, to cal.Date, byScope, byDim bool, fn func(scope, dim string, s Sum) error) error
	// StockMonths is StockDays over the stock's month cells.
	StockMonths(codes []string, from, to cal.Date, fn func(code string, last cal.Date, s Sum, days int) error) error
}

func codesOf(ds []Distributor) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

// sumRollups sums roll over p for scope (all: every registered
// distributor; region: scope is that region's distributors), grouped as
// asked, and calls fn once per group in code and dim order. The calendar
// months wholly inside p are read from the month cells (see MonthGrain),
// the days left at either end from the day cells.
func (r *Receiver) sumRollups(roll Rollup, scope []Distributor, all bool, region string, p Period, byCode, byDim bool, fn func(code, dim string, s Sum) error) error {
	type key struct{ code, dim string }
	acc := map[key]*Sum{}
	add := func(code, dim string, s Sum) error {
		k := key{}
		if byCode {
			k.code = code
		}
		if byDim {
			k.dim = dim
		}
		if acc[k] == nil {
			acc[k] = &Sum{}
		}
		acc[k].Add(s)
		return nil
	}
	first, last, days, whole := wholeMonths(p)
	grain := MonthGrain(roll)
	if grain == NoMonths || (grain == MonthsByRegion && (byCode || (!all && region == ""))) {
		whole, days = false, []Period{p}
	}
	for _, d := range days {
		if err := r.sumDays(roll, scope, all, d, add); err != nil {
			return err
		}
	}
	if whole {
		if err := r.sumMonths(roll, grain, scope, all, region, first, last, add); err != nil {
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

// sumDays calls add with roll's day cells over p, per distributor and dim
// (summed over the days where the store can).
func (r *Receiver) sumDays(roll Rollup, scope []Distributor, all bool, p Period, add func(code, dim string, s Sum) error) error {
	if rs, ok := r.store.(RollupSummer); ok {
		var codes []string
		if !all {
			codes = codesOf(scope)
			if len(codes) == 0 {
				return nil
			}
		}
		return rs.SumRollup(roll, codes, p.From, p.To, true, true, add)
	}
	for _, d := range scope {
		err := r.store.ScanRollup(roll, d.Code, p.From, p.To, func(_ cal.Date, dim string, s Sum) error { return add(d.Code, dim, s) })
		if err != nil {
			return err
		}
	}
	return nil
}

// sumMonths calls add with roll's month cells over the months [first,
// last]: per distributor, or (grain by region) per region's SKU with code "".
func (r *Receiver) sumMonths(roll Rollup, grain Grain, scope []Distributor, all bool, region string, first, last cal.Date, add func(code, dim string, s Sum) error) error {
	var scopes []string
	switch {
	case grain == MonthsByRegion && !all:
		scopes = []string{region}
	case grain == MonthsByRegion:
		// every region: nil
	case !all:
		scopes = codesOf(scope)
	}
	if !all && len(scopes) == 0 {
		return nil
	}
	byScope := grain == MonthsByDistributor
	emit := func(sc, dim string, s Sum) error {
		if !byScope {
			sc = ""
		}
		return add(sc, dim, s)
	}
	if rs, ok := r.store.(RollupSummer); ok {
		return rs.SumMonths(roll, scopes, first, last, byScope, true, emit)
	}
	if scopes == nil {
		if grain == MonthsByRegion {
			seen := map[string]bool{}
			for _, d := range scope {
				if !seen[d.Region] {
					seen[d.Region] = true
					scopes = append(scopes, d.Region)
				}
			}
		} else {
			scopes = codesOf(scope)
		}
	}
	for _, sc := range scopes {
		if err := r.store.ScanMonths(roll, sc, first, last, func(_ cal.Date, dim string, s Sum) error { return emit(sc, dim, s) }); err != nil {
			return err
		}
	}
	return nil
}

// stockSoFar is a distributor's stock cover read so far: the last day with
// a statement and its closing, the units sold and the days reported.
type stockSoFar struct {
	last  cal.Date
	s     Sum
	days  int
	found bool
}

func (a *stockSoFar) add(last cal.Date, s Sum, days int) {
	if !a.found || a.last.Before(last) {
		a.last, a.s.Qty, a.s.Value = last, s.Qty, s.Value
	}
	a.found = true
	a.s.Sold += s.Sold
	a.days += days
}

// covers is each distributor's stock cover over p, by code: whole months
// from the month cells, the days at either end from the day cells.
func (r *Receiver) covers(scope []Distributor, all bool, p Period, threshold int) (map[string]Cover, error) {
	acc := make(map[string]*stockSoFar, len(scope))
	add := func(code string, last cal.Date, s Sum, days int) error {
		if acc[code] == nil {
			acc[code] = &stockSoFar{}
		}
		acc[code].add(last, s, days)
		return nil
	}
	var codes []string
	if !all {
		codes = codesOf(scope)
	}
	rs, bulk := r.store.(RollupSummer)
	first, last, days, whole := wholeMonths(p)
	for _, d := range days {
		if bulk {
			if err := rs.StockDays(codes, d.From, d.To, add); err != nil {
				return nil, err
			}
			continue
		}
		for _, ds := range scope {
			err := r.store.ScanRollup(RollStockDist, ds.Code, d.From, d.To, func(day cal.Date, _ string, s Sum) error { return add(ds.Code, day, s, 1) })
			if err != nil {
				return nil, err
			}
		}
	}
	if whole {
		if bulk {
			if err := rs.StockMonths(codes, first, last, add); err != nil {
				return nil, err
			}
		} else {
			for _, ds := range scope {
				err := r.store.ScanMonths(RollStockDist, ds.Code, first, last, func(_ cal.Date, lastDay string, s Sum) error {
					return add(ds.Code, cal.Date(lastDay), s, int(s.Lines))
				})
				if err != nil {
					return nil, err
				}
			}
		}
	}
	out := make(map[string]Cover, len(scope))
	for _, d := range scope {
		c := Cover{Code: d.Code}
		if a := acc[d.Code]; a != nil {
			c.StockDate, c.StockQty, c.StockValuePaise, c.SoldQty, c.days = a.last, a.s.Qty, a.s.Value, a.s.Sold, a.days
		}
		out[d.Code] = finishCover(c, threshold)
	}
	return out, nil
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
