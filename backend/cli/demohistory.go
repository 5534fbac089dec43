package cli

import (
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
)

func init() {
	DemoHistory = func(b *book.Book, size demo.Size, seed uint64, progress func(done, total int)) error {
		o := billing.HistoryOptions{Seed: seed, To: cal.Today(), Progress: progress}
		if size.Name == "small" {
			// A quarter of a small shop's trade: enough for every screen and report.
			o.Days, o.InvoicesPerDay, o.LinesPerInvoice = 90, 25, 6
		}
		days := o.Days
		if days == 0 {
			days = 365
		}
		if err := demo.Schemes(b, o.To.AddDays(-days), o.To.AddDays(90)); err != nil {
			return err
		}
		_, err := billing.GenerateHistory(b, o)
		return err
	}
}
