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
	// (code or dim "" when not grouped by it), in no particular order.
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

// PlanSummer is a Store that reads a rollup kept per distributor over a
// period in one pass: whole months from the month cells, plus and less
// days from the day cells (as monthPlan cuts the period), so a list by
// distributor is read once (PostgreSQL: one query), not once per part.
type PlanSummer interface {
	// SumPlan calls fn with r's cells summed over months (runs of first
	// days; none for a rollup without month cells), plus the days plus and
	// less the days minus, for codes (every distributor when nil), one call
	// per distributor when byCode and per dim when byDim (code or dim ""
	// when not grouped by it), in no particular order.
	SumPlan(r Rollup, codes []string, months, plus, minus []Period, byCode, byDim bool, fn func(code, dim string, s Sum) error) error
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
	if ps, ok := r.store.(PlanSummer); ok && !regional {
		codes, err := sel.codes()
		if err != nil {
			return err
		}
		if codes == nil || len(codes) > 0 {
			if err := ps.SumPlan(roll, codes, months, plus, minus, g != groupNone, byDim, byCode); err != nil {
				return err
			}
		}
		months, plus, minus = nil, nil, nil
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

// stockPart is how covers reads one calendar month of a period: its days
// inside the period (in), read as whole months (a run of them: in is then
// their first days), as day cells, or as the month's cell less the days
// before the period (monthLess).
type stockPart struct {
	in  Period
	how int
}

const (
	stockWhole = iota
	stockDays
	stockMonthLess
)

// stockPlan cuts p for covers: months wholly inside p are read whole; a
// month p covers in part is read from its day cells when p holds no more
// of its days than it leaves out, else as monthLess (the rolling 30 days,
// 2–31 October, is October's cell less the 1st; 1–30 October is October's
// cell of each distributor that reported nothing on the 31st).
func stockPlan(p Period) []stockPart {
	var out []stockPart
	for m := MonthOf(p.From); !p.To.Before(m); m = nextMonth(m) {
		end := nextMonth(m).AddDays(-1)
		in := Period{From: m, To: end}
		if m.Before(p.From) {
			in.From = p.From
		}
		if p.To.Before(end) {
			in.To = p.To
		}
		whole := Period{From: m, To: end}
		switch {
		case in == whole:
			if n := len(out); n > 0 && out[n-1].how == stockWhole && out[n-1].in.To == prevMonth(m) {
				out[n-1].in.To = m
			} else {
				out = append(out, stockPart{in: Period{From: m, To: m}, how: stockWhole})
			}
		case in.Days() <= whole.Days()-in.Days():
			out = append(out, stockPart{in: in, how: stockDays})
		default:
			out = append(out, stockPart{in: in, how: stockMonthLess})
		}
	}
	return out
}

// stockReader reads the stock cells covers needs: in one query per call
// where the store sums in bulk (RollupSummer), else distributor by
// distributor. codes nil is every distributor of scope.
type stockReader struct {
	r     *Receiver
	scope []Listed
}

type stockFn = func(code string, last cal.Date, s Sum, days int) error

func (sr stockReader) each(codes []string) []string {
	if codes == nil {
		return codesOf(sr.scope)
	}
	return codes
}

// months calls fn with each distributor's stock month cells of the months
// [first, last] (first days): the last day reported, its closing, the
// units sold and the days reported.
func (sr stockReader) months(codes []string, first, last cal.Date, fn stockFn) error {
	if rs, ok := sr.r.store.(RollupSummer); ok {
		return rs.StockMonths(codes, first, last, fn)
	}
	for _, code := range sr.each(codes) {
		err := sr.r.store.ScanMonths(RollStockDist, code, first, last, func(_ cal.Date, lastDay string, s Sum) error {
			return fn(code, cal.Date(lastDay), s, int(s.Lines))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// days calls fn once per distributor with a stock statement in [from,
// to]: its last day, that day's closing, the units sold and the days.
func (sr stockReader) days(codes []string, from, to cal.Date, fn stockFn) error {
	if rs, ok := sr.r.store.(RollupSummer); ok {
		return rs.StockDays(codes, from, to, fn)
	}
	for _, code := range sr.each(codes) {
		var last cal.Date
		var sum Sum
		n := 0
		err := sr.r.store.ScanRollup(RollStockDist, code, from, to, func(day cal.Date, _ string, s Sum) error {
			last, sum.Qty, sum.Value = day, s.Qty, s.Value
			sum.Sold += s.Sold
			n++
			return nil
		})
		if err == nil && n > 0 {
			err = fn(code, last, sum, n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// covers is each distributor's stock cover over p, by code, read month by
// month as stockPlan cuts p.
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
	sr := stockReader{r: r, scope: scope}
	for _, part := range stockPlan(p) {
		var err error
		switch part.how {
		case stockWhole:
			err = sr.months(codes, part.in.From, part.in.To, add)
		case stockDays:
			err = sr.days(codes, part.in.From, part.in.To, add)
		default:
			err = monthLess(sr, codes, part.in, acc, add)
		}
		if err != nil {
			return nil, err
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

// monthLess reads the days in of one month as each distributor's month
// cell less its days before in: a cell whose last day is before in holds
// nothing inside it; one whose last day is after in (a period ending
// inside the month, read after its end) cannot give in's closing, and
// that distributor's days in are read instead.
func monthLess(sr stockReader, codes []string, in Period, acc map[string]*stockSoFar, add stockFn) error {
	m := MonthOf(in.From)
	taken := map[string]bool{}
	var later []string
	err := sr.months(codes, m, m, func(code string, last cal.Date, s Sum, n int) error {
		switch {
		case last.Before(in.From):
			return nil
		case in.To.Before(last):
			later = append(later, code)
			return nil
		}
		taken[code] = true
		return add(code, last, s, n)
	})
	if err != nil {
		return err
	}
	if m.Before(in.From) && len(taken) > 0 {
		sub := codes
		if _, bulk := sr.r.store.(RollupSummer); !bulk {
			sub = make([]string, 0, len(taken)) // distributor by distributor: only those taken
			for code := range taken {
				sub = append(sub, code)
			}
		}
		err = sr.days(sub, m, in.From.AddDays(-1), func(code string, _ cal.Date, s Sum, n int) error {
			if a := acc[code]; taken[code] && a != nil {
				a.s.Sold -= s.Sold
				a.days -= n
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(later) > 0 {
		return sr.days(later, in.From, in.To, add)
	}
	return nil
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
