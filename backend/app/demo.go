package app

import (
	"fmt"
	"os"
	"path/filepath"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
	"vitaran/backend/reports"
)

// DemoOptions say what `vitaran demo` writes.
type DemoOptions struct {
	Size demo.Size
	Seed uint64 // the same seed and To give the same book
	To   cal.Date
	// MastersOnly writes masters without transaction history.
	MastersOnly bool
	// Progress is told the days of history written so far.
	Progress func(done, total int)
}

// WriteDemo writes a realistic demo distributor into a new book in dataDir
// and answers the book's size in bytes. It writes only where there is no
// book yet, and leaves none behind when it fails. Like RestoreWith it works
// on the folder, not an open App: the book it makes is new.
func WriteDemo(dataDir string, o DemoOptions) (int64, error) {
	path := filepath.Join(dataDir, book.FileName)
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("%s already has a book: demo writes only into an empty folder", dataDir)
	}
	b, err := book.Open(path, book.Options{NoSync: true})
	if err != nil {
		return 0, err
	}
	err = demo.Masters(b, o.Size, o.Seed)
	if err == nil && !o.MastersOnly {
		err = demoHistory(b, o)
	}
	if err != nil {
		b.Close()
		os.Remove(path)
		return 0, err
	}
	size := b.Size()
	return size, b.Close()
}

// demoHistory adds schemes and transactions to a demo book, and saves the
// dashboard's day summary for the last two months, as the first look at
// the dashboard would, so the demo opens at full speed.
func demoHistory(b *book.Book, d DemoOptions) error {
	o := billing.HistoryOptions{Seed: d.Seed, To: d.To, Progress: d.Progress, Days: 365}
	if d.Size.Name == "small" {
		// A quarter of a small shop's trade: enough for every screen and report.
		o.Days, o.InvoicesPerDay, o.LinesPerInvoice = 90, 25, 6
	}
	if err := demo.Schemes(b, o.To.AddDays(-o.Days), o.To.AddDays(90)); err != nil {
		return err
	}
	if _, err := billing.GenerateHistory(b, o); err != nil {
		return err
	}
	days := reports.NewSalesDays()
	return b.Update(func(tx *book.Tx) error {
		if _, err := days.Period(tx, reports.MonthStart(o.To).AddDays(-31), o.To); err != nil {
			return err
		}
		return days.Save(tx)
	})
}
