package cli

import (
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
	"vitaran/backend/reports"
)

func init() {
	DemoHistory = func(b *book.Book, size demo.Size, seed uint64, to cal.Date, progress func(done, total int)) error {
		o := billing.HistoryOptions{Seed: seed, To: to, Progress: progress, Days: 365}
		if size.Name == "small" {
			// A quarter of a small shop's trade: enough for every screen and report.
			o.Days, o.InvoicesPerDay, o.LinesPerInvoice = 90, 25, 6
		}
		if err := demo.Schemes(b, o.To.AddDays(-o.Days), o.To.AddDays(90)); err != nil {
			return err
		}
		if _, err := billing.GenerateHistory(b, o); err != nil {
			return err
		}
		// Save the dashboard's day summary for the last two months, as the
		// first look at the dashboard would, so the demo opens at full speed.
		days := reports.NewSalesDays()
		return b.Update(func(tx *book.Tx) error {
			if _, err := days.Period(tx, reports.MonthStart(o.To).AddDays(-31), o.To); err != nil {
				return err
			}
			return days.Save(tx)
		})
	}
}
