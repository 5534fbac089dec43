package posting

import (
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

func setMode(t testing.TB, b *book.Book, mode string) {
	t.Helper()
	if err := b.Update(func(tx *book.Tx) error {
		set, _ := GetSettings(tx)
		set.Mode = mode
		_, err := PutSettings(tx, set)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// bookSales is the book's net sales: the taxable value of every invoice not
// cancelled, less every sales return's.
func bookSales(t testing.TB, b *book.Book) money.Paise {
	t.Helper()
	var net money.Paise
	if err := b.View(func(tx *book.Tx) error {
		sums, err := billing.ListInvoices(tx, billing.InvoiceFilter{Limit: 1 << 20})
		if err != nil {
			return err
		}
		for _, s := range sums {
			if s.Status != billing.StatusCancelled {
				net += s.Taxable
			}
		}
		rs, err := billing.ListSalesReturns(tx, billing.DocFilter{})
		for _, r := range rs {
			for _, l := range r.Lines {
				net -= l.TaxablePaise
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return net
}

// tallySales is what Tally's sales ledgers hold over the vouchers that count.
func tallySales(tally *tallysim.Server) money.Paise {
	var net int64
	for _, v := range tally.Vouchers() {
		if v.Cancelled {
			continue
		}
		for l, a := range v.Ledgers {
			if strings.HasPrefix(l, "Sales @ ") {
				net += a
			}
		}
	}
	return money.Paise(net)
}

func pushClean(t *testing.T, b *book.Book, url, what string) {
	t.Helper()
	if posted, failed, err := push(t, b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("%s: posted %d failed %d: %v %+v", what, posted, failed, err, status(t, b).Failed)
	}
	if st := status(t, b); st.Days != 0 || st.Counts[tallybridge.StatePending]+st.Counts[tallybridge.StateSending] != 0 {
		t.Fatalf("%s: left %+v, %d days to post", what, st.Counts, st.Days)
	}
}

// Day-wise mode: when a day's GST-rate group empties (its only invoice
// cancelled) its summary voucher is deleted from Tally; switching between
// invoice-wise and day-wise posting strands nothing; Tally's sales equal the
// book's after every step.
func TestDayWiseSummaryOfACancelledDayIsDeletedAndModeSwitchesStrandNothing(t *testing.T) {
	s := newShop(t)
	setMode(t, s.b, ModeDaily)
	tally, url := sim(t)
	pushClean(t, s.b, url, "first push")
	if got, want := tallySales(tally), bookSales(t, s.b); got != want {
		t.Fatalf("after the first push Tally's sales are %s, the book's %s", got.Plain(), want.Plain())
	}
	// a day with one invoice: its summary, then its cancellation
	lone := billDay.AddDays(3)
	var inv billing.Invoice
	if err := s.b.Update(func(tx *book.Tx) error {
		first, err := billing.GetInvoice(tx, inv1)
		if err != nil {
			return err
		}
		inv, err = billing.PostInvoice(tx, billing.InvoiceInput{Outlet: first.Outlet, Date: lone, Lines: []billing.LineInput{{Item: first.Lines[0].Item, Qty: 2}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pushClean(t, s.b, url, "the lone day")
	summary := remoteID(t, s.b, "", "")[:len(remoteID(t, s.b, "", ""))-2] + ":DS-" + strings.ReplaceAll(string(lone), "-", "") + "-" + inv.Lines[0].GSTRateBP.String()
	if tally.CountByRemoteID(summary) != 1 {
		t.Fatalf("no summary %s in Tally", summary)
	}
	count := tally.VoucherCount()
	if err := s.b.Update(func(tx *book.Tx) error {
		_, err := billing.CancelInvoice(tx, inv.Number, "shop closed", lone)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pushClean(t, s.b, url, "the lone day cancelled")
	if tally.CountByRemoteID(summary) != 0 || tally.VoucherCount() != count-1 {
		t.Fatalf("the emptied day's summary stays in Tally (%d vouchers, were %d)", tally.VoucherCount(), count)
	}
	if got, want := tallySales(tally), bookSales(t, s.b); got != want {
		t.Fatalf("after the cancellation Tally's sales are %s, the book's %s", got.Plain(), want.Plain())
	}

	// switch to invoice-wise, bill on a summarised day, cancel a folded
	// invoice; switch back, bill again: nothing stranded, sales agree
	bill := func(date cal.Date, qty money.Qty) string {
		t.Helper()
		var n string
		if err := s.b.Update(func(tx *book.Tx) error {
			first, err := billing.GetInvoice(tx, inv1)
			if err != nil {
				return err
			}
			got, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: first.Outlet, Date: date, Lines: []billing.LineInput{{Item: first.Lines[1].Item, Qty: qty}}})
			n = got.Number
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	folded := bill(billDay, 2)
	pushClean(t, s.b, url, "one more folded invoice")
	setMode(t, s.b, ModeInvoice)
	single := bill(billDay, 3)
	if err := s.b.Update(func(tx *book.Tx) error {
		_, err := billing.CancelInvoice(tx, folded, "duplicate", billDay)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pushClean(t, s.b, url, "invoice-wise on a summarised day")
	if tally.CountByRemoteID(remoteID(t, s.b, billing.KindInvoice, single)) != 1 {
		t.Fatalf("%s was not posted on its own", single)
	}
	if got, want := tallySales(tally), bookSales(t, s.b); got != want {
		t.Fatalf("after the switch to invoice-wise Tally's sales are %s, the book's %s", got.Plain(), want.Plain())
	}
	setMode(t, s.b, ModeDaily)
	bill(billDay, 1)
	pushClean(t, s.b, url, "back to day-wise")
	if got, want := tallySales(tally), bookSales(t, s.b); got != want {
		t.Fatalf("after the switch back Tally's sales are %s, the book's %s", got.Plain(), want.Plain())
	}
}
