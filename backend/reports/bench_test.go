package reports

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
)

// The benchmarks run on a generated book: VITARAN_BENCH_SIZE=large is the
// DESIGN.md reference (a year at 300 invoices a day of ~8 lines, about
// 60,000 lines a month); the default small book keeps CI fast.

const benchTo = cal.Date("2026-11-25")

var (
	benchOnce sync.Once
	benchBk   *book.Book
	benchErr  error
)

func benchBook(b *testing.B) *book.Book {
	benchOnce.Do(func() {
		size, days, perDay := demo.Sizes["small"], 45, 100
		if os.Getenv("VITARAN_BENCH_SIZE") == "large" {
			size, days, perDay = demo.Sizes["large"], 365, 300
		}
		dir, _ := os.MkdirTemp("", "vitaran-reports-bench-")
		benchBk, benchErr = book.Open(filepath.Join(dir, book.FileName), book.Options{NoSync: true})
		if benchErr != nil {
			return
		}
		if benchErr = demo.Masters(benchBk, size, 1); benchErr != nil {
			return
		}
		_, benchErr = billing.GenerateHistory(benchBk, billing.HistoryOptions{Seed: 1, To: benchTo, Days: days, InvoicesPerDay: perDay, LinesPerInvoice: 8})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchBk
}

func peakRSSMB() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024
}

// BenchmarkSalesRegisterMonthXLSX exports the last 30 days' sales register.
func BenchmarkSalesRegisterMonthXLSX(b *testing.B) {
	bk := benchBook(b)
	b.ResetTimer()
	var rows int
	for i := 0; i < b.N; i++ {
		err := bk.View(func(tx *book.Tx) error {
			var err error
			rows, err = Export(tx, "sales-register", Params{From: benchTo.AddDays(-29), To: benchTo}, io.Discard, nil)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "lines")
	// The process's peak, which includes generating the book above: the
	// export alone is measured as its own process (README, "Speed").
	b.ReportMetric(peakRSSMB(), "process-peak-RSS-MB")
}

// BenchmarkDashboard builds the morning screen: "first" on a book whose
// day summary was never saved (every invoice of two months decoded),
// "open" as a freshly opened book answers it (the saved summary, nothing
// in memory), "warm" with the summary kept in memory between screens.
func BenchmarkDashboard(b *testing.B) {
	bk := benchBook(b)
	run := func(b *testing.B, days func() *SalesDays) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if err := bk.View(func(tx *book.Tx) error { _, err := BuildDashboardFrom(tx, benchTo, days()); return err }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/screen")
	}
	b.Run("first", func(b *testing.B) {
		if err := bk.Update(func(tx *book.Tx) error { return tx.Bucket(bDaySales).Delete(daysSeqKey) }); err != nil {
			b.Fatal(err)
		}
		run(b, NewSalesDays)
	})
	saved := NewSalesDays()
	err := bk.Update(func(tx *book.Tx) error {
		if _, err := BuildDashboardFrom(tx, benchTo, saved); err != nil {
			return err
		}
		return saved.Save(tx)
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("open", func(b *testing.B) { run(b, NewSalesDays) })
	b.Run("warm", func(b *testing.B) { run(b, func() *SalesDays { return saved }) })
}
