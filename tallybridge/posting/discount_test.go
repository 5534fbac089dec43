package posting

import (
	"path/filepath"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/demo"
	"vitaran/tallybridge"
)

// historyShop is the small demo book with the demo's schemes and a few days
// of generated trade ending on billDay: percentage, slab, flat-rupee, free
// goods and bill-value schemes, returns, cancellations and receipts.
func historyShop(t testing.TB, days int) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := demo.Masters(b, demo.Sizes["small"], 1); err != nil {
		t.Fatal(err)
	}
	if err := demo.Schemes(b, billDay.AddDays(-days), billDay.AddDays(30)); err != nil {
		t.Fatal(err)
	}
	if _, err := billing.GenerateHistory(b, billing.HistoryOptions{Seed: 7, To: billDay, Days: days, InvoicesPerDay: 25, LinesPerInvoice: 6}); err != nil {
		t.Fatal(err)
	}
	return b
}

// Every scheme and trade discount reaches Tally in RATE / DISCOUNT: the
// emulator recomputes each inventory line as Tally does on re-save and
// refuses any whose AMOUNT differs, so one hidden discount fails the push.
func TestSchemeDiscountsReachTallyAsRateAndDiscount(t *testing.T) {
	b := historyShop(t, 4)
	schemeLines := 0
	if err := b.View(func(tx *book.Tx) error {
		sums, err := billing.ListInvoices(tx, billing.InvoiceFilter{Limit: 1 << 20})
		if err != nil {
			return err
		}
		for _, s := range sums {
			inv, err := billing.GetInvoice(tx, s.Number)
			if err != nil {
				return err
			}
			for _, l := range inv.Lines {
				if l.SchemeDiscountPaise > 0 {
					schemeLines++
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if schemeLines < 20 {
		t.Fatalf("only %d lines carry a scheme discount: the test would prove little", schemeLines)
	}
	tally, url := sim(t)
	posted, failed, err := push(t, b, url, PushOptions{})
	if err != nil || failed != 0 {
		st := status(t, b)
		t.Fatalf("posted %d, failed %d: %v\nfirst failures: %+v", posted, failed, err, st.Failed[:min(3, len(st.Failed))])
	}
	if st := status(t, b); st.Counts[tallybridge.StatePosted] != posted || tally.VoucherCount() != posted {
		t.Fatalf("status %+v, Tally holds %d", st.Counts, tally.VoucherCount())
	}
}

// The day-wise summary of the same trade passes the same recomputation.
func TestDaySummariesKeepRateTimesQuantityLessDiscount(t *testing.T) {
	b := historyShop(t, 3)
	setMode(t, b, ModeDaily)
	_, url := sim(t)
	posted, failed, err := push(t, b, url, PushOptions{})
	if err != nil || failed != 0 || posted == 0 {
		st := status(t, b)
		t.Fatalf("posted %d, failed %d: %v\nfirst failures: %+v", posted, failed, err, st.Failed[:min(3, len(st.Failed))])
	}
}
