package billing

import (
	"testing"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// tickingNow makes each posting a minute after the one before, from a
// pinned instant, so "posted after" is decided by the clock as in a shop.
func tickingNow(t *testing.T) {
	t.Helper()
	at := time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)
	old := Now
	Now = func() time.Time { at = at.Add(time.Minute); return at }
	t.Cleanup(func() { Now = old })
}

func recon(t *testing.T, b *book.Book, from, to cal.Date) stock.Recon {
	t.Helper()
	var r []stock.Recon
	b.View(func(tx *book.Tx) error {
		r = must[[]stock.Recon](t)(stock.Reconcile(tx, stock.ReconOptions{From: from, To: to, Item: "GD200"}))
		return nil
	})
	if len(r) != 1 {
		t.Fatalf("recon %s..%s: %+v", from, to, r)
	}
	return r[0]
}

func cancelAs(t *testing.T, b *book.Book, number string, in CancelInput, today cal.Date) (Invoice, error) {
	t.Helper()
	return update(t, b, func(tx *book.Tx) (Invoice, error) { return Cancel(tx, number, in, today) })
}

var no = false

func TestACancelledInvoiceIsVoidFromItsOwnDateInTheReconciliation(t *testing.T) {
	tickingNow(t)
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100)) // 100 at ₹25.00 cost
	wrong := sell(t, b, "SLS01", day, "GD200", 30)
	kept := sell(t, b, "SLS01", day, "GD200", 10)
	if wrong.TotalPaise != 94500 || kept.TotalPaise != 31500 {
		t.Fatalf("totals %d %d", wrong.TotalPaise, kept.TotalPaise)
	}
	c := must[Invoice](t)(cancelAs(t, b, wrong.Number, CancelInput{Reason: "billed to the wrong outlet", GoodsLeft: &no}, "2026-12-02"))
	if c.Status != StatusCancelled || c.Counts() || c.Cancellation.Date != "2026-12-02" || c.Cancellation.By != "clerk" ||
		c.Cancellation.Reason != "billed to the wrong outlet" || c.Cancellation.At.IsZero() {
		t.Fatalf("the cancellation keeps who, when and why: %+v", c.Cancellation)
	}
	nov := recon(t, b, "2026-11-01", "2026-11-30")
	if nov.Received != 100 || nov.Sold != 10 || nov.SoldValue != 25000 || nov.Closing != 90 || nov.ClosingValue != 225000 {
		t.Fatalf("November sells the kept 10 only and closes on the 90 that were there: %+v", nov)
	}
	onDay := recon(t, b, day, day)
	if onDay.Opening != 100 || onDay.Sold != 10 || onDay.Closing != 90 {
		t.Fatalf("the invoice's own day: %+v", onDay)
	}
	dec := recon(t, b, "2026-12-01", "2026-12-31")
	if dec.Opening != 90 || dec.Sold != 0 || dec.SoldValue != 0 || dec.Adjusted != 0 || dec.Closing != 90 {
		t.Fatalf("December sells nothing, not −30: %+v", dec)
	}
	b.View(func(tx *book.Tx) error {
		list := must[[]InvoiceSummary](t)(ListInvoices(tx, InvoiceFilter{From: day, To: day, Limit: 10}))
		if len(list) != 2 || list[0].Number != wrong.Number || list[0].Status != StatusCancelled {
			t.Fatalf("the list still shows it, stamped cancelled: %+v", list)
		}
		return nil
	})
	checkBook(t, b)
}

func TestCancellingAnEarlierDaysInvoiceAsksWhetherTheGoodsLeft(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
	inv := sell(t, b, "SLS01", day, "GD200", 30)
	_, err := cancelAs(t, b, inv.Number, CancelInput{Reason: "wrong outlet"}, "2026-11-26")
	wantError(t, err, fail.KindConflict, "goods_left: invoice SI/26-27/000001 is of 25-11-2026, an earlier day: say whether its goods left the godown (goods_left); if they did, post a sales return instead")
	yes := true
	_, err = cancelAs(t, b, inv.Number, CancelInput{Reason: "wrong outlet", GoodsLeft: &yes}, "2026-11-26")
	wantError(t, err, fail.KindConflict, "goods_left: the goods of invoice SI/26-27/000001 left the godown: do not cancel it, post a sales return (credit note) against it for what comes back")
	_, err = cancelAs(t, b, inv.Number, CancelInput{GoodsLeft: &no}, "2026-11-26")
	wantKind(t, err, fail.KindInvalid, "reason")
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 70 {
		t.Fatalf("a refused cancellation writes nothing: %d", got)
	}
	same := sell(t, b, "SLS01", day, "GD200", 5)
	if c := must[Invoice](t)(cancelAs(t, b, same.Number, CancelInput{Reason: "typed twice"}, day)); c.Status != StatusCancelled {
		t.Fatalf("a same-day cancellation needs no answer: %+v", c)
	}
	must[Invoice](t)(cancelAs(t, b, inv.Number, CancelInput{Reason: "wrong outlet", GoodsLeft: &no}, "2026-11-26"))
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 100 {
		t.Fatalf("both cancelled: %d", got)
	}
	checkBook(t, b)
}

// A count posted after the invoice found the goods that never left on the
// shelf: its variance took them in as surplus. The cancellation restates
// it, so the count still says what was there and the variance is counted
// less the restated book.
func TestALaterCountKeepsWhatWasCountedAndItsVarianceIsRestated(t *testing.T) {
	tickingNow(t)
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
	inv := sell(t, b, "SLS01", day, "GD200", 30)
	count := func(d cal.Date, n money.Qty) StockDoc {
		return must[StockDoc](t)(update(t, b, func(tx *book.Tx) (StockDoc, error) {
			return PostCount(tx, StockDocInput{Date: d, Reason: "month-end count", Lines: []StockLineInput{{Item: "GD200", Batch: "B1", Counted: &n}}})
		}))
	}
	first := count("2026-11-28", 95) // the 30 never left; 5 torn packs thrown away
	if l := first.Lines[0]; *l.BookQty != 70 || l.Qty != 25 {
		t.Fatalf("before: book 70, found 95, variance +25: %+v", l)
	}
	second := count("2026-11-30", 95)
	must[Invoice](t)(cancelAs(t, b, inv.Number, CancelInput{Reason: "billed to the wrong outlet", GoodsLeft: &no}, "2026-12-02"))

	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 95 {
		t.Fatalf("stock is what was counted, not 95 + 30: %d", got)
	}
	var c1, c2 StockDoc
	b.View(func(tx *book.Tx) error {
		c1 = must[StockDoc](t)(GetStockDoc(tx, first.Number))
		c2 = must[StockDoc](t)(GetStockDoc(tx, second.Number))
		return nil
	})
	l := c1.Lines[0]
	if *l.BookQty != 100 || *l.Counted != 95 || l.Qty != -5 || l.Value != -12500 || c1.Value != -12500 ||
		len(c1.Restated) != 1 || c1.Restated[0] != (CountRestatement{Invoice: inv.Number, Item: "GD200", Batch: "B1", Godown: "MAIN", Qty: 30}) {
		t.Fatalf("after: book 100, found 95, variance −5 worth −₹125.00: %+v %+v", l, c1.Restated)
	}
	if l := c2.Lines[0]; *l.BookQty != 95 || l.Qty != 0 || len(c2.Restated) != 0 {
		t.Fatalf("the later count counted a book the first had set right: %+v", c2)
	}
	nov := recon(t, b, "2026-11-01", "2026-11-30")
	if nov.Received != 100 || nov.Sold != 0 || nov.Adjusted != -5 || nov.AdjustedValue != -12500 || nov.Closing != 95 {
		t.Fatalf("November: received 100, sold 0, counted 5 short, closing 95: %+v", nov)
	}
	if r := recon(t, b, day, "2026-11-27"); r.Sold != 0 || r.Closing != 100 {
		t.Fatalf("before the count the 30 were in stock: %+v", r)
	}
	checkBook(t, b)
}
