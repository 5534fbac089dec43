package billing

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// The benchmarks run on a generated book built once per run. VITARAN_BENCH_SIZE
// picks it: "large" is the DESIGN.md reference (3,000 SKUs, 5,000 outlets, a
// year at 300 invoices a day of ~8 lines); the default "small" keeps CI fast.

const benchTo = cal.Date("2026-11-25")

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
	benchLoad time.Duration
	// benchLoadCPU is the CPU the load took (the whole process: nothing else runs then)
	benchLoadCPU time.Duration
	benchSize    int64
	benchStat    HistoryStats
)

func benchBook(b *testing.B) string {
	benchOnce.Do(func() {
		// VITARAN_BENCH_BOOK names a book generated before (kept, never
		// written): to measure postings again without loading a year
		if p := os.Getenv("VITARAN_BENCH_BOOK"); p != "" {
			benchPath = p
			if st, err := os.Stat(p); err == nil {
				benchSize = st.Size()
			}
			return
		}
		items, outlets, days, perDay := 300, 400, 60, 100
		if os.Getenv("VITARAN_BENCH_SIZE") == "large" {
			items, outlets, days, perDay = 3000, 5000, 365, 300
		}
		dir, err := os.MkdirTemp("", "vitaran-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, book.FileName)
		bk, err := book.Open(benchPath, book.Options{NoSync: true})
		if err != nil {
			benchErr = err
			return
		}
		seedMasters(b, bk, items, outlets)
		start, c0 := time.Now(), cpuTime()
		benchStat, benchErr = GenerateHistory(bk, HistoryOptions{Seed: 1, To: benchTo, Days: days, InvoicesPerDay: perDay, LinesPerInvoice: 8})
		benchLoad, benchLoadCPU = time.Since(start), cpuTime()-c0
		bk.Close()
		if st, err := os.Stat(benchPath); err == nil {
			benchSize = st.Size()
		}
		fmt.Fprintf(os.Stderr, "bench book: %+v loaded in %v (CPU %v), %.1f MB\n", benchStat, benchLoad.Round(time.Millisecond), benchLoadCPU.Round(time.Millisecond), float64(benchSize)/1e6)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// copyBook gives a benchmark its own copy to write to.
func copyBook(b *testing.B, noSync bool) *book.Book {
	src := benchBook(b)
	dst := filepath.Join(b.TempDir(), book.FileName)
	raw, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dst, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	// VITARAN_BENCH_BATCH_DELAY (a Go duration) overrides the group-commit wait
	delay, _ := time.ParseDuration(os.Getenv("VITARAN_BENCH_BATCH_DELAY"))
	bk, err := book.Open(dst, book.Options{NoSync: noSync, BatchDelay: delay})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { bk.Close() })
	// restock generously so the benchmark never runs short
	err = bk.Update(func(tx *book.Tx) error {
		var lines []PurchaseLineInput
		for i := 0; i < 12; i++ {
			lines = append(lines, PurchaseLineInput{Item: fmt.Sprintf("SKU%05d", i), Batch: "BENCH", Expiry: "2030-12-31", MRPPaise: 99999, Qty: 10_000_000, RatePaise: 100})
		}
		_, err := PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: "BENCH-1", Date: benchTo, Lines: lines})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return bk
}

func twelveLines(i int) InvoiceInput {
	in := InvoiceInput{Outlet: fmt.Sprintf("OUT%05d", i%400), Date: benchTo}
	for k := 0; k < 12; k++ {
		in.Lines = append(in.Lines, LineInput{Item: fmt.Sprintf("SKU%05d", k), Qty: money.Qty(1 + (i+k)%10), DiscountBP: money.BP(100 * (k % 3))})
	}
	return in
}

// reportCPU reports the CPU time spent since c0 per unit (op, invoice…).
func reportCPU(b *testing.B, c0 time.Duration, n int, unit string) {
	if n > 0 {
		b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(n), "cpu-ms/"+unit)
	}
}

// reportPages reports the pages written per unit since w0: what a posting
// makes dirty is what it costs on disk.
func reportPages(b *testing.B, bk *book.Book, w0 book.WriteStats, n int) {
	if n > 0 {
		w := bk.WriteStats()
		b.ReportMetric(float64(w.Pages-w0.Pages)/float64(n), "pages/op")
	}
}

func reportP99(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkPostInvoice12Lines posts one 12-line invoice per operation, each
// its own transaction (schemes, GST, FEFO, ledger, queues), with and
// without fsync.
func BenchmarkPostInvoice12Lines(b *testing.B) {
	for _, sync := range []bool{false, true} {
		name := "nosync"
		if sync {
			name = "fsync"
		}
		b.Run(name, func(b *testing.B) {
			bk := copyBook(b, !sync)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			c0, w0 := cpuTime(), bk.WriteStats()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				err := bk.UpdateAs(book.Actor{User: "bench"}, func(tx *book.Tx) error { _, err := PostInvoice(tx, twelveLines(i)); return err })
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportCPU(b, c0, b.N, "op")
			reportPages(b, bk, w0, b.N)
			reportP99(b, lat)
		})
	}
}

// BenchmarkSustainedInvoices posts 12-line invoices from 32 concurrent
// clerks through book.Batch (group commit, fsync on) and reports invoices/s.
func BenchmarkSustainedInvoices(b *testing.B) {
	bk := copyBook(b, false)
	var n atomic.Int64
	b.SetParallelism(16)
	start := time.Now()
	b.ResetTimer()
	c0, w0 := cpuTime(), bk.WriteStats()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			err := bk.BatchAs(book.Actor{User: "bench"}, func(tx *book.Tx) error { _, err := PostInvoice(tx, twelveLines(i)); return err })
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	reportCPU(b, c0, int(n.Load()), "invoice")
	reportPages(b, bk, w0, int(n.Load()))
	b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "invoices/s")
}

// BenchmarkStockSummaryAllSKUs reads stock on hand for every item.
func BenchmarkStockSummaryAllSKUs(b *testing.B) {
	bk, err := book.Open(benchBook(b), book.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		bk.View(func(tx *book.Tx) error {
			s, err := stock.Summary(tx, "")
			if err != nil || len(s) == 0 {
				b.Fatal(err, len(s))
			}
			return nil
		})
	}
	reportCPU(b, c0, b.N, "op")
}

// BenchmarkMonthReconciliationAllSKUs reconciles every item for a month.
func BenchmarkMonthReconciliationAllSKUs(b *testing.B) {
	bk, err := book.Open(benchBook(b), book.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		bk.View(func(tx *book.Tx) error {
			r, err := stock.Reconcile(tx, stock.ReconOptions{From: "2026-10-01", To: "2026-10-31", NearExpiryDays: 60, OverstockDays: 45})
			if err != nil || len(r) == 0 {
				b.Fatal(err, len(r))
			}
			return nil
		})
	}
	reportCPU(b, c0, b.N, "op")
}

// BenchmarkLoadHistory reports how long the generated book took to load and
// its size (built once per run; the figure is the same for every N).
func BenchmarkLoadHistory(b *testing.B) {
	benchBook(b)
	for i := 0; i < b.N; i++ {
	}
	b.ReportMetric(benchLoad.Seconds(), "load-s")
	b.ReportMetric(benchLoadCPU.Seconds(), "load-cpu-s")
	b.ReportMetric(float64(benchSize)/1e6, "book-MB")
	b.ReportMetric(float64(benchStat.Invoices), "invoices")
	b.ReportMetric(float64(benchStat.Lines), "lines")
}

// BenchmarkOpenAndFirstScreen opens the book and reads the stock summary.
func BenchmarkOpenAndFirstScreen(b *testing.B) {
	path := benchBook(b)
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		bk, err := book.Open(path, book.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		bk.View(func(tx *book.Tx) error { _, err := stock.Summary(tx, ""); return err })
		bk.Close()
	}
	reportCPU(b, c0, b.N, "op")
}

// BenchmarkCheck runs the whole-book checker.
func BenchmarkCheck(b *testing.B) {
	bk, err := book.Open(benchBook(b), book.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		bk.View(func(tx *book.Tx) error {
			p, err := Check(tx)
			if err != nil || len(p) > 0 {
				b.Fatal(err, p)
			}
			return nil
		})
	}
	reportCPU(b, c0, b.N, "op")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchPath != "" && os.Getenv("VITARAN_BENCH_BOOK") == "" {
		os.RemoveAll(filepath.Dir(benchPath))
	}
	os.Exit(code)
}
