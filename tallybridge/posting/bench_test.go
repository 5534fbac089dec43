package posting

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/demo"
	"vitaran/tallybridge/tallysim"
)

// smallDemoBook writes the small demo book as `vitaran demo` does (a
// quarter of trade: 90 days of 25 six-line invoices, with GRNs, returns,
// receipts and transfers) and returns its file.
func smallDemoBook(b *testing.B) string {
	path := filepath.Join(b.TempDir(), book.FileName)
	bk, err := book.Open(path, book.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	if err := demo.Masters(bk, demo.Sizes["small"], 1); err != nil {
		b.Fatal(err)
	}
	// the demo's schemes, as `vitaran demo` runs them: their discounts must
	// reach Tally as RATE × QTY less DISCOUNT, which the emulator recomputes
	if err := demo.Schemes(bk, billDay.AddDays(-90), billDay.AddDays(90)); err != nil {
		b.Fatal(err)
	}
	if _, err := billing.GenerateHistory(bk, billing.HistoryOptions{Seed: 1, To: billDay, Days: 90, InvoicesPerDay: 25, LinesPerInvoice: 6}); err != nil {
		b.Fatal(err)
	}
	return path
}

// The small demo book's whole queue to a fresh emulated company through the
// real path: the book's queue, the adapter, masters first, batches of 25
// over HTTP on 127.0.0.1, each voucher marked in the book.
func BenchmarkPushSmallDemoBookToEmulator(b *testing.B) {
	src := smallDemoBook(b)
	b.ResetTimer()
	var vouchers int
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), book.FileName)
		bk, err := book.Open(src, book.Options{NoSync: true, ReadOnly: true})
		if err == nil {
			err = bk.BackupFile(path)
			bk.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		bk, err = book.Open(path, book.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		tally := tallysim.New(tallysim.Options{Company: company})
		url, err := tally.Start("127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.StartTimer()
		rep, err := Push(context.Background(), bk, PushOptions{URL: url, Company: company})
		b.StopTimer()
		spent += time.Since(start)
		// a cancellation cancels its invoice's own voucher: no voucher of its own
		cancels := 0
		bk.View(func(tx *book.Tx) error {
			return tx.Bucket(bDocs).Range("", "", func(_ string, v []byte) (bool, error) {
				var d docState
				if err := jsonUnmarshal(v, &d); err != nil {
					return false, err
				}
				if d.Kind == billing.KindCancel {
					cancels++
				}
				return true, nil
			})
		})
		if err != nil || rep.Failed != 0 || rep.Posted == 0 || tally.VoucherCount() != rep.Posted-cancels {
			b.Fatalf("push: %+v, %d cancellations, Tally holds %d: %v", rep, cancels, tally.VoucherCount(), err)
		}
		vouchers += rep.Posted
		tally.Close()
		bk.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(vouchers)/float64(b.N), "vouchers/op")
	b.ReportMetric(float64(vouchers)/spent.Seconds(), "vouchers/s")
}
