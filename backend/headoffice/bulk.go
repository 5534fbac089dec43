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

func codesOf(ds []Listed) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

// selection is the distributors a view covers: every registered one (all),
// or those listed, which are exactly region's when region is not "".
type selection struct {
	all    bool
	region string
	load   func() ([]Listed, error)
	listed []Listed
	loaded bool
}

// list is the selection's distributors, read once, when first needed.
func (s *selection) list() ([]Listed, error) {
	if !s.loaded {
		l, err := s.load()
		if err != nil {
			return nil, err
		}
		s.listed, s.loaded = l, true
	}
	return s.listed, nil
}

// codes is nil for every distributor, else the selection's codes.
func (s *selection) codes() ([]string, error) {
	if s.all {
		return nil, nil
	}
	l, err := s.list()
	return codesOf(l), err
}

// group is what a sum is grouped by, besides the dim.
type group int

const (
	groupNone group = iota
	groupCode
	groupRegion
)

// sumRollups sums roll over p for sel, grouped by g (and dim when byDim),
// and calls fn once per group in key and dim order. p is read as
// monthPlan cuts it: months from the month cells (see MonthGrain), days
// added or taken off from the day cells; a cell per region (and day, see
// DayTwin) where the selection is all or one region and the grouping
// allows it (per SKU only, see NationalTwin, for every distributor's SKU
// cells not grouped), else a cell per distributor. A group whose cells net
// to nothing (a month less its days) is left out.
func (r *Receiver) sumRollups(roll Rollup, sel *selection, p Period, g group, byDim bool, fn func(key, dim string, s Sum) error) error {
	type key struct{ key, dim string }
	acc := map[key]*Sum{}
	add := func(k, dim string, s Sum) {
		if !byDim {
			dim = ""
		}
		kk := key{k, dim}
		if acc[kk] == nil {
			acc[kk] = &Sum{}
		}
		acc[kk].Add(s)
	}
	var regionOf map[string]string
	byCode := func(code, dim string, s Sum) error {
		switch g {
		case groupCode:
			add(code, dim, s)
		case groupRegion:
			add(regionOf[code], dim, s)
		default:
			add("", dim, s)
		}
		return nil
	}
	months, plus, minus := monthPlan(p)
	twin, dayTwin := RegionTwin(roll), DayTwin(roll)
	if nt := NationalTwin(roll); nt != "" && sel.all && g == groupNone {
		twin, dayTwin = nt, nt // a cell per SKU, not per region and SKU
	}
	regional := twin != "" && dayTwin != "" && g != groupCode && (sel.all || sel.region != "")
	if !regional && MonthGrain(roll) != MonthsByDistributor {
		months, plus, minus = nil, []Period{p}, nil
	}
	toRegion := func(sign int64) func(region, dim string, s Sum) error {
		return func(region, dim string, s Sum) error {
			if g != groupRegion {
				region = ""
			}
			if sign < 0 {
				s = negative(s)
			}
			add(region, dim, s)
			return nil
		}
	}
	toCode := func(sign int64) func(code, dim string, s Sum) error {
		return func(code, dim string, s Sum) error {
			if sign < 0 {
				s = negative(s)
			}
			return byCode(code, dim, s)
		}
	}
	if g == groupRegion && !regional {
		l, err := sel.list()
		if err != nil {
			return err
		}
		regionOf = make(map[string]string, len(l))
		for _, d := range l {
			regionOf[d.Code] = d.Region
		}
	}
	for _, m := range months {
		var err error
		if regional {
			err = r.scanMonths(twin, sel, m.From, m.To, g == groupRegion, byDim, toRegion(1))
		} else {
			err = r.scanMonths(roll, sel, m.From, m.To, g != groupNone, byDim, toCode(1))
		}
		if err != nil {
			return err
		}
	}
	for i, d := range append(slices.Clone(plus), minus...) {
		sign := int64(1)
		if i >= len(plus) {
			sign = -1
		}
		var err error
		if regional {
			err = r.sumRegionDays(dayTwin, sel, d, g == groupRegion, byDim, toRegion(sign))
		} else {
			err = r.sumDays(roll, sel, d, g != groupNone, byDim, toCode(sign))
		}
		if err != nil {
			return err
		}
	}
	keys := make([]key, 0, len(acc))
	for k, v := range acc {
		if *v != (Sum{}) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.dim, b.dim)) })
	for _, k := range keys {
		if err := fn(k.key, k.dim, *acc[k]); err != nil {
			return err
		}
	}
	return nil
}

// sumDays calls add with roll's day cells over p, per distributor (when
// byCode) and dim (when byDim), summed over the days where the store can.
func (r *Receiver) sumDays(roll Rollup, sel *selection, p Period, byCode, byDim bool, add func(code, dim string, s Sum) error) error {
	if rs, ok := r.store.(RollupSummer); ok {
		codes, err := sel.codes()
		if err != nil || (codes != nil && len(codes) == 0) {
			return err
		}
		return rs.SumRollup(roll, codes, p.From, p.To, byCode, byDim, add)
	}
	l, err := sel.list()
	if err != nil {
		return err
	}
	for _, d := range l {
		err := r.store.ScanRollup(roll, d.Code, p.From, p.To, func(_ cal.Date, dim string, s Sum) error { return add(d.Code, dim, s) })
		if err != nil {
			return err
		}
	}
	return nil
}

// sumRegionDays calls add with the region × day cells of twin (see
// DayTwin) over p, per region (when byRegion) and dim (when byDim): of
// every region when sel is all, else of sel's region; or the national day
// cells of a NationalTwin.
func (r *Receiver) sumRegionDays(twin Rollup, sel *selection, p Period, byRegion, byDim bool, add func(region, dim string, s Sum) error) error {
	var regions []string
	switch {
	case MonthGrain(twin) == MonthsNational:
		regions = []string{National}
	case !sel.all:
		regions = []string{sel.region}
	}
	if rs, ok := r.store.(RollupSummer); ok {
		return rs.SumRollup(twin, regions, p.From, p.To, byRegion, byDim, add)
	}
	if regions == nil {
		n, err := r.store.Regions()
		if err != nil {
			return err
		}
		for rg := range n {
			regions = append(regions, rg)
		}
		slices.Sort(regions)
	}
	for _, rg := range regions {
		if err := r.store.ScanRollup(twin, rg, p.From, p.To, func(_ cal.Date, dim string, s Sum) error { return add(rg, dim, s) }); err != nil {
			return err
		}
	}
	return nil
}

// scanMonths calls add with roll's month cells over the months [first,
// last] of sel's scopes: National for a national rollup, regions for a
// rollup kept by region (every one, or sel's one), else distributors.
func (r *Receiver) scanMonths(roll Rollup, sel *selection, first, last cal.Date, byScope, byDim bool, add func(scope, dim string, s Sum) error) error {
	var scopes []string
	switch MonthGrain(roll) {
	case MonthsNational:
		scopes = []string{National}
	case MonthsByRegion:
		if !sel.all {
			scopes = []string{sel.region}
		}
	default:
		var err error
		if scopes, err = sel.codes(); err != nil {
			return err
		}
	}
	if scopes != nil && len(scopes) == 0 {
		return nil
	}
	if rs, ok := r.store.(RollupSummer); ok {
		return rs.SumMonths(roll, scopes, first, last, byScope, byDim, add)
	}
	if scopes == nil {
		if MonthGrain(roll) == MonthsByRegion {
			regions, err := r.store.Regions()
			if err != nil {
				return err
			}
			for rg := range regions {
				scopes = append(scopes, rg)
			}
			slices.Sort(scopes)
		} else {
			l, err := sel.list()
			if err != nil {
				return err
			}
			scopes = codesOf(l)
		}
	}
	for _, sc := range scopes {
		if err := r.store.ScanMonths(roll, sc, first, last, func(_ cal.Date, dim string, s Sum) error { return add(sc, dim, s) }); err != nil {
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
func (r *Receiver) covers(sel *selection, p Period, threshold int) (map[string]Cover, error) {
	scope, err := sel.list()
	if err != nil {
		return nil, err
	}
	acc := make(map[string]*stockSoFar, len(scope))
	add := func(code string, last cal.Date, s Sum, days int) error {
		if acc[code] == nil {
			acc[code] = &stockSoFar{}
		}
		acc[code].add(last, s, days)
		return nil
	}
	var codes []string
	if !sel.all {
		codes = codesOf(scope)
	}
	rs, bulk := r.store.(RollupSummer)
	first, last, days, whole := wholeMonths(p)
	// A period that starts inside a month it then covers to the month's
	// end with more days than it leaves out (the rolling 30 days) reads
	// that month's stock cells less the days before the period: each
	// distributor's month cell whose last day is inside the period, its
	// units sold and days reported less those of the days left out.
	if m := MonthOf(p.From); bulk && m != p.From && (!whole || m.Before(first)) {
		end := nextMonth(m).AddDays(-1)
		if !p.To.Before(end) && p.From.DaysUntil(end)+1 > m.DaysUntil(p.From) {
			if len(days) > 0 && days[0].From == p.From {
				if end.Before(days[0].To) {
					days[0].From = end.AddDays(1)
				} else {
					days = days[1:]
				}
			}
			taken := map[string]bool{}
			if err := rs.StockMonths(codes, m, m, func(code string, lastDay cal.Date, s Sum, n int) error {
				if lastDay.Before(p.From) {
					return nil
				}
				taken[code] = true
				return add(code, lastDay, s, n)
			}); err != nil {
				return nil, err
			}
			if err := rs.StockDays(codes, m, p.From.AddDays(-1), func(code string, _ cal.Date, s Sum, n int) error {
				if a := acc[code]; taken[code] && a != nil {
					a.s.Sold -= s.Sold
					a.days -= n
				}
				return nil
			}); err != nil {
				return nil, err
			}
		}
	}
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
