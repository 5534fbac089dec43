package app

import (
	"sync"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/headoffice/upload"
	"vitaran/backend/reports"
	"vitaran/backend/stock"
)

// DashboardView is the owner's morning screen: the book's figures, Tally's
// queue and head office's upload state.
type DashboardView struct {
	*reports.Dashboard
	Tally      TallyState     `json:"tally"`
	HeadOffice *upload.Status `json:"head_office"`
}

// TallyState is the Tally queue as the book knows it. Posted and failed are
// kept by the Tally bridge; until it records them in the book they are nil.
type TallyState struct {
	Waiting int  `json:"waiting"`
	Posted  *int `json:"posted"`
	Failed  *int `json:"failed"`
}

// dashCache keeps the last dashboard per app and day until the stock
// ledger moves (every posting moves it), so the screen's refreshes cost
// nothing while nobody bills.
var dashCache sync.Map // *App → cachedDash

// salesDays keeps each app's sales-by-day summary (see reports.SalesDays);
// it is saved into the book when a screen had to read documents, so the
// next opening of the book answers from it.
var salesDays sync.Map // *App → *reports.SalesDays

func (a *App) salesDays() *reports.SalesDays {
	if s, ok := salesDays.Load(a); ok {
		return s.(*reports.SalesDays)
	}
	s, _ := salesDays.LoadOrStore(a, reports.NewSalesDays())
	return s.(*reports.SalesDays)
}

type cachedDash struct {
	date cal.Date
	seq  uint64
	d    *reports.Dashboard
}

// Dashboard reads the morning screen for day d (today when empty).
func (a *App) Dashboard(d cal.Date) (*DashboardView, error) {
	if d == "" {
		d = a.Today()
	}
	if !d.Valid() {
		return nil, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", d)
	}
	v := &DashboardView{}
	days := a.salesDays()
	err := a.view(func(tx *book.Tx) error {
		seq := stock.LastSeq(tx)
		if c, ok := dashCache.Load(a); ok && c.(cachedDash).date == d && c.(cachedDash).seq == seq {
			v.Dashboard = c.(cachedDash).d
		} else {
			db, err := reports.BuildDashboardFrom(tx, d, days)
			if err != nil {
				return err
			}
			dashCache.Store(a, cachedDash{d, seq, db})
			v.Dashboard = db
		}
		v.Tally.Waiting = tx.QueueLen(book.TallyQueue)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if days.Unsaved() {
		// Derived and rebuilt on demand: a summary that cannot be saved
		// costs the next opening a little time, never a wrong figure.
		_ = a.Book.Update(days.Save)
	}
	if st, err := upload.UploadStatus(a.Book, a.Now()); err == nil {
		v.HeadOffice = &st
	}
	return v, nil
}

// DashboardSales is the drill-down behind the sales tiles.
func (a *App) DashboardSales(by string, from, to cal.Date, brand string) ([]*reports.SalesRow, error) {
	ok := false
	for _, d := range reports.Dimensions {
		ok = ok || d == by
	}
	if !ok {
		return nil, fail.Invalid("by", "use one of %v", reports.Dimensions)
	}
	if !from.Valid() || !to.Valid() || to < from {
		return nil, fail.Invalid("from", "give a period: from and to (YYYY-MM-DD), from not after to")
	}
	return read(a, func(tx *book.Tx) ([]*reports.SalesRow, error) { return reports.Drill(tx, by, from, to, brand) })
}

// getDashboard answers GET /api/dashboard.
func (a *App) getDashboard(c *Call) (any, error) {
	return a.Dashboard(cal.Date(c.Query("date")))
}

// getDashboardSales answers GET /api/dashboard/sales.
func (a *App) getDashboardSales(c *Call) (any, error) {
	by := c.Query("by")
	if by == "" {
		by = "brand"
	}
	return a.DashboardSales(by, cal.Date(c.Query("from")), cal.Date(c.Query("to")), c.Query("brand"))
}
