package reports

import (
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Period is sales over some days.
type Period struct {
	From     cal.Date `json:"from"`
	To       cal.Date `json:"to"`
	Invoices int      `json:"invoices"`
	// CreditNotes are the sales returns dated in the period; their value
	// is taken off taxable and total.
	CreditNotes int         `json:"credit_notes"`
	Taxable     money.Paise `json:"taxable_paise"`
	Total       money.Paise `json:"total_paise"` // invoice totals with GST and round-off, less credit notes
}

// Compare is a period against the one it is measured by.
type Compare struct {
	Now    Period `json:"now"`
	Before Period `json:"before"`
	// ChangeBP is the change in taxable value in basis points of before
	// (nil when before sold nothing).
	ChangeBP *int64 `json:"change_bp"`
}

// Dashboard is the owner's morning screen, for a day.
type Dashboard struct {
	Date cal.Date `json:"date"`
	// Yesterday against the same weekday a week before.
	Yesterday Compare `json:"yesterday"`
	// Month to date against the same days of last month.
	MonthToDate Compare `json:"month_to_date"`
	// Primary received this month (purchases at cost).
	PrimaryQty   money.Qty   `json:"primary_qty"`
	PrimaryValue money.Paise `json:"primary_value_paise"`
	// Stock on hand at cost and days of cover (stock ÷ average daily
	// sales over the last 30 days; nil when nothing sold).
	StockQty      money.Qty   `json:"stock_qty"`
	StockValue    money.Paise `json:"stock_value_paise"`
	DaysOfCover   *int64      `json:"days_of_cover"`
	Overstocked   Flag        `json:"overstocked"`
	NearExpiry    Flag        `json:"near_expiry"`
	SchemeSpend   money.Paise `json:"scheme_spend_paise"` // claims of the month to date
	Collections   Dues        `json:"collections"`
	NearExpiryIn  int         `json:"near_expiry_days"`
	OverstockOver int         `json:"overstock_days"`
}

// Flag counts items flagged and the stock value they hold.
type Flag struct {
	Items int         `json:"items"`
	Qty   money.Qty   `json:"qty"`
	Value money.Paise `json:"value_paise"`
}

// Dues is what outlets owe.
type Dues struct {
	Outlets     int         `json:"outlets"`
	Outstanding money.Paise `json:"outstanding_paise"`
	Overdue     money.Paise `json:"overdue_paise"`
	OverdueOf   int         `json:"overdue_outlets"`
}

// SalesOf sums posted invoices less credit notes over a period, from the
// book's day summary where it holds the days and the documents otherwise.
func SalesOf(tx *book.Tx, from, to cal.Date) (Period, error) {
	return NewSalesDays().Period(tx, from, to)
}

func compare(now, before Period) Compare {
	c := Compare{Now: now, Before: before}
	if before.Taxable != 0 {
		ch := int64(now.Taxable-before.Taxable) * 10000 / int64(before.Taxable)
		c.ChangeBP = &ch
	}
	return c
}

// MonthStart is the first of d's month.
func MonthStart(d cal.Date) cal.Date { return cal.Date(string(d)[:8] + "01") }

// SameDayLastMonth is d a month back, kept inside that month (31 March →
// 28 or 29 February).
func SameDayLastMonth(d cal.Date) cal.Date {
	t := d.Time()
	first := t.AddDate(0, 0, -t.Day()+1).AddDate(0, -1, 0)
	last := first.AddDate(0, 1, -1)
	day := t.Day()
	if day > last.Day() {
		day = last.Day()
	}
	return cal.Of(first.AddDate(0, 0, day-1))
}

// BuildDashboard reads the morning screen for day d (sales up to the day
// before when d is today: yesterday is the last full day). Stock figures
// come from stock's derived totals, never the ledger; sales from the day
// summary saved in the book (see SalesDays), or the documents where it has
// no entry.
func BuildDashboard(tx *book.Tx, d cal.Date) (*Dashboard, error) {
	return BuildDashboardFrom(tx, d, NewSalesDays())
}

// BuildDashboardFrom is BuildDashboard with a day summary kept between
// screens.
func BuildDashboardFrom(tx *book.Tx, d cal.Date, days *SalesDays) (*Dashboard, error) {
	db := &Dashboard{Date: d, NearExpiryIn: NearExpiryDays, OverstockOver: OverstockDays}
	y := d.AddDays(-1)
	now, err := days.Period(tx, y, y)
	if err != nil {
		return nil, err
	}
	wk, err := days.Period(tx, y.AddDays(-7), y.AddDays(-7))
	if err != nil {
		return nil, err
	}
	db.Yesterday = compare(now, wk)
	ms := MonthStart(d)
	mtd, err := days.Period(tx, ms, d)
	if err != nil {
		return nil, err
	}
	last, err := days.Period(tx, MonthStart(SameDayLastMonth(d)), SameDayLastMonth(d))
	if err != nil {
		return nil, err
	}
	db.MonthToDate = compare(mtd, last)

	recs, err := stock.Reconcile(tx, stock.ReconOptions{From: ms, To: d, NearExpiryDays: NearExpiryDays, OverstockDays: OverstockDays})
	if err != nil {
		return nil, err
	}
	var sold30 money.Qty
	for _, r := range recs {
		db.PrimaryQty += r.Received
		db.PrimaryValue += r.ReceivedValue
		db.StockQty += r.Closing
		db.StockValue += r.ClosingValue
		sold30 += r.Sales30
		if r.Overstock {
			db.Overstocked.Items++
			db.Overstocked.Qty += r.Closing
			db.Overstocked.Value += r.ClosingValue
		}
		if r.NearExpiry && r.Closing > 0 {
			db.NearExpiry.Items++
			db.NearExpiry.Qty += r.NearExpiryQty
			db.NearExpiry.Value += r.ClosingValue.MulQty(r.NearExpiryQty).DivRound(int64(r.Closing))
		}
	}
	if sold30 > 0 {
		cover := int64(db.StockQty) * 30 / int64(sold30)
		db.DaysOfCover = &cover
	}
	claims, err := Claims(tx, Params{From: ms, To: d})
	if err != nil {
		return nil, err
	}
	for _, c := range claims {
		db.SchemeSpend += c.Total.ValuePaise
	}
	dues, err := billing.AllOutstanding(tx, d)
	if err != nil {
		return nil, err
	}
	for _, o := range dues {
		if o.OutstandingPaise <= 0 {
			continue
		}
		db.Collections.Outlets++
		db.Collections.Outstanding += o.OutstandingPaise
		if o.Ageing.Overdue > 0 {
			db.Collections.OverdueOf++
			db.Collections.Overdue += o.Ageing.Overdue
		}
	}
	return db, nil
}

// Drill is the drill-down behind a sales tile: sales by one dimension,
// optionally within one brand.
func Drill(tx *book.Tx, by string, from, to cal.Date, brand string) ([]*SalesRow, error) {
	var keep func(*masters.Item) bool
	if brand != "" {
		keep = func(it *masters.Item) bool { return equalFold(it.Brand, brand) }
	}
	return SalesBy(tx, by, from, to, keep)
}
