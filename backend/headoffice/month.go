package headoffice

import (
	"fmt"
	"slices"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Month cells. Beside each distributor's day cells, both stores keep the
// rollups the national and regional views read summed per calendar month,
// in the ingest's own transaction:
//
//	per distributor × month: sales_dist, primary_dist, scheme (by scheme),
//	                         stock_dist, sales_beat (by beat),
//	                         sales_salesman (by salesman)
//	per region × month:      sales_sku, primary_sku (by SKU), and the
//	                         region's twins of the distributor ones:
//	                         sales_region, primary_region, scheme_region,
//	                         stock_region
//
// so a month of 25,000 distributors reads one cell per region (national and
// region views), per region and SKU (brand and SKU views) or per
// distributor of one region, instead of one per distributor, day and SKU.
// A region's cells are keyed by the distributor's region when the batch
// arrived (head office has no command that moves a distributor).
//
// Always, after every commit: a month cell equals the sum of its month's day
// cells (for a region, of its distributors'), whatever was resent,
// cancelled or replaced; storetest checks it on both stores. A month's
// stock cell is not a sum but is recomputed from the month's day cells by
// every ingest that touches them: Lines the days reported, Sold the units
// sold over them, Qty and Value the last day's closing, dim that last day.
// A region's stock cell sums its distributors' month cells as the national
// summary weighs them: Lines the distributors reporting, Qty and Value
// their closings, Sold their daily sales rates (thousandths of a unit a
// day, each distributor's sold × 1000 ÷ its days), kept by taking a
// distributor's old month cell out and its new one in.

// The region twins of the distributor rollups: month cells only.
const (
	RollSalesRegion   Rollup = "sales_region"
	RollPrimaryRegion Rollup = "primary_region"
	RollSchemeRegion  Rollup = "scheme_region"
	RollStockRegion   Rollup = "stock_region"
)

// RegionTwin is the region-grain rollup kept beside r ("" if none).
func RegionTwin(r Rollup) Rollup {
	switch r {
	case RollSalesDist:
		return RollSalesRegion
	case RollPrimaryDist:
		return RollPrimaryRegion
	case RollScheme:
		return RollSchemeRegion
	case RollStockDist:
		return RollStockRegion
	case RollSalesSKU, RollPrimarySKU:
		return r
	}
	return ""
}

var regionTwins = []Rollup{RollSalesRegion, RollPrimaryRegion, RollSchemeRegion, RollStockRegion}

// Region × day cells. Beside the month cells, the additive rollups the
// national and regional views sum (sales, primary and schemes, and sales
// and primary by SKU) keep a day cell per region, in the same transaction
// and the same day buckets (tables) as the distributors' ones, scoped by
// the region instead of the code. A period that is not whole months reads
// its months from month cells and the days at either end from these: a
// cell per region and day (and SKU or scheme), not per distributor.
const (
	RollSalesSKURegion   Rollup = "sales_sku_region"
	RollPrimarySKURegion Rollup = "primary_sku_region"
)

// DayTwin is the rollup whose day cells, scoped by region, sum r's day
// cells over a region's distributors ("" if none).
func DayTwin(r Rollup) Rollup {
	switch r {
	case RollSalesDist:
		return RollSalesRegion
	case RollPrimaryDist:
		return RollPrimaryRegion
	case RollScheme:
		return RollSchemeRegion
	case RollSalesSKU:
		return RollSalesSKURegion
	case RollPrimarySKU:
		return RollPrimarySKURegion
	}
	return ""
}

var dayTwins = []Rollup{RollSalesRegion, RollPrimaryRegion, RollSchemeRegion, RollSalesSKURegion, RollPrimarySKURegion}

// National × SKU cells. The SKU rollups also keep a day cell and a month
// cell per SKU for the whole country, in the same transaction and the same
// buckets (tables) as the others, scoped by "" (National), so the national
// SKU and brand views read a cell per SKU and month or day, not one per
// region: a brand's SKU follows from the SKU master. Always, after every
// commit: a national cell equals the sum of the regions' cells (and so of
// the lines), whatever was resent, cancelled or replaced.
const (
	RollSalesSKUNational   Rollup = "sales_sku_national"
	RollPrimarySKUNational Rollup = "primary_sku_national"
)

// National is the scope of the national cells.
const National = ""

// NationalTwin is the rollup whose cells, scoped by National, sum r's
// cells over every distributor ("" if none).
func NationalTwin(r Rollup) Rollup {
	switch r {
	case RollSalesSKU:
		return RollSalesSKUNational
	case RollPrimarySKU:
		return RollPrimarySKUNational
	}
	return ""
}

var nationalTwins = []Rollup{RollSalesSKUNational, RollPrimarySKUNational}

// nationalDaysOf is what a batch's day cells add to the national day cells.
func nationalDaysOf(r rollups) rollups {
	out := rollups{}
	for name, cells := range r {
		twin := NationalTwin(name)
		if twin == "" {
			continue
		}
		for c, s := range cells {
			out.add(twin, c, *s)
		}
	}
	return out
}

// monthsOfDays is day cells summed into their months' cells.
func monthsOfDays(r rollups) rollups {
	out := rollups{}
	for name, cells := range r {
		for c, s := range cells {
			out.add(name, cell{day: MonthOf(c.day), dim: c.dim, dim2: c.dim2}, *s)
		}
	}
	return out
}

// regionDaysOf is what a batch's day cells add to its region's day cells.
func regionDaysOf(r rollups) rollups {
	out := rollups{}
	for name, cells := range r {
		twin := DayTwin(name)
		if twin == "" {
			continue
		}
		for c, s := range cells {
			out.add(twin, c, *s)
		}
	}
	return out
}

// stockRate is what one distributor's stock month cell adds to its
// region's: see the month cells above.
func stockRate(c Sum) Sum {
	out := Sum{Lines: 1, Qty: c.Qty, Value: c.Value}
	if c.Lines > 0 {
		out.Sold = c.Sold * 1000 / money.Qty(c.Lines)
	}
	return out
}

// Grain is whose month cells a rollup keeps.
type Grain int

// The grains of month cells.
const (
	NoMonths            Grain = iota // only day cells
	MonthsByDistributor              // scope: the distributor's code
	MonthsByRegion                   // scope: the distributor's region
	MonthsNational                   // scope: National
)

// MonthGrain is the grain of r's month cells.
func MonthGrain(r Rollup) Grain {
	switch r {
	case RollSalesDist, RollPrimaryDist, RollScheme, RollStockDist, RollSalesBeat, RollSalesSalesman:
		return MonthsByDistributor
	case RollSalesSKU, RollPrimarySKU, RollSalesRegion, RollPrimaryRegion, RollSchemeRegion, RollStockRegion:
		return MonthsByRegion
	case RollSalesSKUNational, RollPrimarySKUNational:
		return MonthsNational
	}
	return NoMonths
}

// MonthOf is the first day of d's month.
func MonthOf(d cal.Date) cal.Date {
	if len(d) < 8 {
		return d
	}
	return d[:8] + "01"
}

// wholeMonths splits p into the calendar months wholly inside it (first
// days, ok false when none) and the days left before and after them.
func wholeMonths(p Period) (first, last cal.Date, edges []Period, ok bool) {
	first = MonthOf(p.From)
	if first != p.From {
		first = nextMonth(first)
	}
	after := nextMonth(MonthOf(p.To)) // the day after p.To's month
	last = MonthOf(p.To)
	if after.AddDays(-1) != p.To {
		last = prevMonth(last)
	}
	if last.Before(first) {
		return "", "", []Period{p}, false
	}
	if p.From.Before(first) {
		edges = append(edges, Period{From: p.From, To: first.AddDays(-1)})
	}
	if end := nextMonth(last).AddDays(-1); end.Before(p.To) {
		edges = append(edges, Period{From: end.AddDays(1), To: p.To})
	}
	return first, last, edges, true
}

// monthPlan is how an additive rollup (everything but stock) answers p
// from the fewest cells: the calendar months to read whole (runs of first
// days), and the days to add and to take off. A month wholly inside p is
// read whole; a month p covers in part is either its days inside p, or
// the whole month less its days outside p, whichever is fewer days, so
// the rolling 2–31 October is October less the 1st, not 30 days.
func monthPlan(p Period) (months, plus, minus []Period) {
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
		if in != whole && in.Days() <= whole.Days()-in.Days() {
			plus = append(plus, in)
			continue
		}
		if n := len(months); n > 0 && months[n-1].To == prevMonth(m) {
			months[n-1].To = m
		} else {
			months = append(months, Period{From: m, To: m})
		}
		if m.Before(in.From) {
			minus = append(minus, Period{From: m, To: in.From.AddDays(-1)})
		}
		if in.To.Before(end) {
			minus = append(minus, Period{From: in.To.AddDays(1), To: end})
		}
	}
	return months, plus, minus
}

// negative is s taken off.
func negative(s Sum) Sum {
	return Sum{Lines: -s.Lines, Invoices: -s.Invoices, Qty: -s.Qty, FreeQty: -s.FreeQty, Sold: -s.Sold, Discount: -s.Discount, Taxable: -s.Taxable, Tax: -s.Tax, Value: -s.Value}
}

func nextMonth(m cal.Date) cal.Date {
	t := m.Time()
	return cal.Of(t.AddDate(0, 1, 1-t.Day()))
}

func prevMonth(m cal.Date) cal.Date {
	t := m.Time()
	return cal.Of(t.AddDate(0, -1, 1-t.Day()))
}

// monthsOf is what a batch's day cells add to the month cells: by the
// distributor's code and by its region (stock is recomputed, not added).
func monthsOf(r rollups) (byCode, byRegion rollups) {
	byCode, byRegion = rollups{}, rollups{}
	for name, cells := range r {
		into := byCode
		switch MonthGrain(name) {
		case MonthsByRegion:
			into = byRegion
		case NoMonths:
			continue
		}
		if name == RollStockDist {
			continue
		}
		twin := RegionTwin(name)
		for c, s := range cells {
			m := cell{day: MonthOf(c.day), dim: c.dim, dim2: c.dim2}
			into.add(name, m, *s)
			if twin != "" && twin != name {
				byRegion.add(twin, m, *s)
			}
		}
	}
	return byCode, byRegion
}

// mergeMonths adds a batch's cells into code's and region's month cells,
// the region's and the national day cells (and the national month cells),
// and recomputes code's stock months the batch touched.
func mergeMonths(tx *book.Tx, code, region string, r rollups) error {
	byCode, byRegion := monthsOf(r)
	if err := mergeCells(tx, dayCells, region, regionDaysOf(r)); err != nil {
		return err
	}
	if err := mergeCells(tx, monthCells, code, byCode); err != nil {
		return err
	}
	if err := mergeCells(tx, monthCells, region, byRegion); err != nil {
		return err
	}
	nation := nationalDaysOf(r)
	if err := mergeCells(tx, dayCells, National, nation); err != nil {
		return err
	}
	if err := mergeCells(tx, monthCells, National, monthsOfDays(nation)); err != nil {
		return err
	}
	months := map[cal.Date]bool{}
	for c := range r[RollStockDist] {
		months[MonthOf(c.day)] = true
	}
	stock := rollups{}
	for m := range months {
		if err := restateStockMonth(tx, code, m, stock); err != nil {
			return err
		}
	}
	return mergeCells(tx, monthCells, region, stock)
}

// restateStockMonth recomputes code's stock cell of month m from its days,
// and adds to region what that changes in the region's cell.
func restateStockMonth(tx *book.Tx, code string, m cal.Date, region rollups) error {
	months := monthCells(tx, RollStockDist)
	if old := months.get(code, m); old != nil {
		if err := eachCell(old, func(_ []byte, c Sum) error {
			o := stockRate(c)
			region.add(RollStockRegion, cell{day: m}, Sum{Lines: -o.Lines, Qty: -o.Qty, Value: -o.Value, Sold: -o.Sold})
			return nil
		}); err != nil {
			return fmt.Errorf("stock of %s in %s: %w", code, m, err)
		}
	}
	var last cal.Date
	var s Sum
	err := dayCells(tx, RollStockDist).eachDay(code, m, nextMonth(m).AddDays(-1), func(day cal.Date, v []byte) error {
		return eachCell(v, func(_ []byte, c Sum) error {
			last, s.Qty, s.Value = day, c.Qty, c.Value
			s.Sold += c.Sold
			s.Lines++
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("stock of %s in %s: %w", code, m, err)
	}
	if last == "" {
		return months.drop(code, m)
	}
	region.add(RollStockRegion, cell{day: m}, stockRate(s))
	return months.put(code, m, packDay([]dimSum{{string(last), s}}))
}

// buildMonths fills the month cells of a store written before them (or
// whose day cells were packed since) from its day cells, in one
// transaction: whatever month cells it held are made again.
func (s *BookStore) buildMonths() error {
	var done bool
	if err := s.b.View(func(tx *book.Tx) error { done = monthsAreBuilt(tx); return nil }); err != nil || done {
		return err
	}
	return s.b.Update(func(tx *book.Tx) error {
		var made []cells
		for _, name := range slices.Concat(allRollups, regionTwins, nationalTwins) {
			made = append(made, monthCells(tx, name))
		}
		for _, name := range slices.Concat(dayTwins, nationalTwins) {
			made = append(made, dayCells(tx, name))
		}
		for _, c := range made {
			if err := c.clear(); err != nil {
				return err
			}
		}
		region := map[string]string{}
		if err := eachDistributor(tx, func(d Distributor) error { region[d.Code] = d.Region; return nil }); err != nil {
			return err
		}
		for _, name := range allRollups {
			if MonthGrain(name) == NoMonths {
				continue
			}
			byCode := map[string]rollups{}
			if err := dayCells(tx, name).each(name, func(code string, day cal.Date, v []byte) error {
				if byCode[code] == nil {
					byCode[code] = rollups{}
				}
				return eachCell(v, func(dim []byte, sm Sum) error {
					byCode[code].add(name, cell{day: day, dim: string(dim)}, Loaded(name, sm))
					return nil
				})
			}); err != nil {
				return err
			}
			for code, r := range byCode {
				if err := mergeMonths(tx, code, region[code], r); err != nil {
					return err
				}
			}
		}
		return markMonthsBuilt(tx)
	})
}
