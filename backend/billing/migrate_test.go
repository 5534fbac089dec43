package billing

import (
	"bytes"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// cancelOldStyle cancels an invoice as books before schema 3 did: the
// stock back and the scheme reversals dated the day the clerk cancelled.
// It is the old CancelInvoice, kept to write a book the old way.
func cancelOldStyle(tx *book.Tx, number, reason string, today cal.Date) error {
	inv, err := GetInvoice(tx, number)
	if err != nil {
		return err
	}
	for _, ln := range inv.Lines {
		for _, p := range ln.Batches {
			if _, err := stock.Move(tx, stock.Movement{Date: today, Item: ln.Item, Batch: p.Batch, Godown: p.Godown,
				Qty: p.Qty, Kind: stock.SaleCancel, Doc: inv.Number}, false); err != nil {
				return err
			}
		}
	}
	all := map[int]money.Qty{}
	for _, ln := range inv.Lines {
		if !ln.Free {
			all[ln.No] = ln.Qty
		}
	}
	if _, err := Schemes.Reverse(tx, inv.Number, "CANCEL "+inv.Number, today, all, nil); err != nil {
		return err
	}
	if err := dropDue(tx, inv.Outlet, inv.Date, inv.Number); err != nil {
		return err
	}
	inv.Status = StatusCancelled
	inv.Cancellation = &Cancellation{Reason: reason, Date: today, At: Now(), By: tx.Actor.User}
	if err := putDoc(tx.Bucket(bInvoices), inv.Number, inv); err != nil {
		return err
	}
	if err := tx.Enqueue(book.TallyQueue, KindCancel, inv.Number); err != nil {
		return err
	}
	return tx.Enqueue(book.UploadQueue, KindCancel, inv.Number)
}

// dump is every key and value of the buckets a cancellation's migration
// may touch, to show a second run changes nothing.
func dump(t *testing.T, b *book.Book) []byte {
	t.Helper()
	var out bytes.Buffer
	b.View(func(tx *book.Tx) error {
		for _, name := range []string{"stock.moves", "stock.day", "stock.month", "stock.bal", "stock.item",
			"schemes.redeemed", "schemes.claims", "schemes.usage"} {
			tx.Bucket(name).Scan("", func(k string, v []byte) (bool, error) {
				out.WriteString(name + "/" + k + "=")
				out.Write(v)
				out.WriteByte('\n')
				return true, nil
			})
		}
		return nil
	})
	return out.Bytes()
}

func TestABookWithOldStyleCancellationsIsVoidFromTheInvoicesDateAfterMigrating(t *testing.T) {
	tickingNow(t)
	b := shop(t)
	path := b.Path()
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
	must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) {
		return struct{}{}, schemes.Save(tx, schemes.Scheme{Code: "GD10P1", Name: "Good Day 10+1", Kind: schemes.BuyXGetY,
			ValidFrom: "2026-11-01", ValidTo: "2026-12-31", Items: []string{"GD200"}, BuyQty: 10, FreeQty: 1})
	}))
	wrong := sell(t, b, "SLS01", day, "GD200", 25) // 25 billed + 2 free
	kept := sell(t, b, "SLS01", day, "GD200", 10)  // 10 billed + 1 free
	if len(wrong.Lines) != 2 || wrong.Lines[1].Qty != 2 || len(kept.Lines) != 2 {
		t.Fatalf("the 10+1 scheme gives 2 free on 25 and 1 on 10: %+v %+v", wrong.Lines, kept.Lines)
	}
	must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) {
		if err := cancelOldStyle(tx, wrong.Number, "billed to the wrong outlet", "2026-12-02"); err != nil {
			return struct{}{}, err
		}
		if err := stock.Fold(tx); err != nil { // a big book's movements are in its daily and monthly totals
			return struct{}{}, err
		}
		return struct{}{}, tx.Bucket("meta").Put("schema", []byte("2"))
	}))
	if dec := recon(t, b, "2026-12-01", "2026-12-31"); dec.Sold != -27 {
		t.Fatalf("the old meaning sells −27 in December: %+v", dec)
	}
	b.Close()

	b, err := book.Open(path, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	nov := recon(t, b, "2026-11-01", "2026-11-30")
	if nov.Received != 100 || nov.Sold != 11 || nov.SoldValue != 27500 || nov.Closing != 89 || nov.ClosingValue != 222500 {
		t.Fatalf("November sells the kept 10 + 1 free only and closes on the 89 that were there: %+v", nov)
	}
	if onDay := recon(t, b, day, day); onDay.Opening != 100 || onDay.Sold != 11 || onDay.Closing != 89 {
		t.Fatalf("the invoice's own day: %+v", onDay)
	}
	if dec := recon(t, b, "2026-12-01", "2026-12-31"); dec.Opening != 89 || dec.Sold != 0 || dec.SoldValue != 0 || dec.Closing != 89 {
		t.Fatalf("December sells nothing, not −27: %+v", dec)
	}
	b.View(func(tx *book.Tx) error {
		d := must[schemes.ClaimStatement](t)(schemes.Claim(tx, "GD10P1", "2026-12-01", "2026-12-31"))
		if len(d.Lines) != 0 {
			t.Fatalf("December's claim carries no reversal: %+v", d.Lines)
		}
		n := must[schemes.ClaimStatement](t)(schemes.Claim(tx, "GD10P1", "2026-11-01", "2026-11-30"))
		if n.Total.FreeQty != 1 || n.Total.Redemptions != 3 || len(n.Lines) != 3 {
			t.Fatalf("November claims the kept invoice's 1 free; the cancelled one's 2 and −2 net out: %+v", n.Total)
		}
		for _, r := range n.Lines {
			if r.Date != day {
				t.Fatalf("every redemption of the cancelled invoice is on its date: %+v", r)
			}
		}
		return nil
	})
	checkBook(t, b)

	before := dump(t, b)
	if err := b.Update(voidFromInvoiceDate); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, dump(t, b)) {
		t.Fatal("a second run of the migration changed the book")
	}
}

// oldBook writes a book the old way with fn, marks it schema 2 and opens it
// again, migrated.
func oldBook(t *testing.T, fn func(b *book.Book)) *book.Book {
	t.Helper()
	b := shop(t)
	path := b.Path()
	fn(b)
	must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) {
		return struct{}{}, tx.Bucket("meta").Put("schema", []byte("2"))
	}))
	b.Close()
	b, err := book.Open(path, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// A count posted between an invoice and its old-style cancellation found
// the 30 that never left as surplus, and the old cancellation added them
// again (125 on the book, 95 on the shelf). The migration restates the
// count as a cancellation now does; counted again after the cancellation,
// the batch already stood right and is left alone.
func TestAnOldCancellationAfterACountIsRestatedByTheMigration(t *testing.T) {
	tickingNow(t)
	count := func(b *book.Book, d string, n money.Qty) StockDoc {
		return must[StockDoc](t)(update(t, b, func(tx *book.Tx) (StockDoc, error) {
			return PostCount(tx, StockDocInput{Date: cal.Date(d), Reason: "month-end count", Lines: []StockLineInput{{Item: "GD200", Batch: "B1", Counted: &n}}})
		}))
	}
	oldCancel := func(b *book.Book, no string) {
		must[struct{}](t)(update(t, b, func(tx *book.Tx) (struct{}, error) {
			return struct{}{}, cancelOldStyle(tx, no, "billed to the wrong outlet", "2026-12-02")
		}))
	}
	var first StockDoc
	b := oldBook(t, func(b *book.Book) {
		receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
		inv := sell(t, b, "SLS01", day, "GD200", 30)
		first = count(b, "2026-11-28", 95)
		oldCancel(b, inv.Number)
		if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 125 {
			t.Fatalf("the old way counts the 30 twice: %d", got)
		}
	})
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 95 {
		t.Fatalf("after the migration stock is what was counted: %d", got)
	}
	b.View(func(tx *book.Tx) error {
		c := must[StockDoc](t)(GetStockDoc(tx, first.Number))
		if l := c.Lines[0]; *l.BookQty != 100 || l.Qty != -5 || len(c.Restated) != 1 {
			t.Fatalf("the count reads book 100, found 95, variance −5: %+v %+v", l, c.Restated)
		}
		return nil
	})
	if nov := recon(t, b, "2026-11-01", "2026-11-30"); nov.Sold != 0 || nov.Adjusted != -5 || nov.Closing != 95 {
		t.Fatalf("November: sold 0, counted 5 short, closing 95: %+v", nov)
	}
	if dec := recon(t, b, "2026-12-01", "2026-12-31"); dec.Opening != 95 || dec.Sold != 0 || dec.Closing != 95 {
		t.Fatalf("December: %+v", dec)
	}
	checkBook(t, b)
	before := dump(t, b)
	if err := b.Update(voidFromInvoiceDate); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, dump(t, b)) {
		t.Fatal("a second run restated the count again")
	}

	b = oldBook(t, func(b *book.Book) {
		receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
		inv := sell(t, b, "SLS01", day, "GD200", 30)
		count(b, "2026-11-28", 95)
		oldCancel(b, inv.Number)
		count(b, "2026-12-03", 95) // found the 30 too many and took them off
	})
	if got := onHand(t, b, "GD200", stock.MainGodown, "B1"); got != 95 {
		t.Fatalf("counted again since: stock stays what was counted: %d", got)
	}
	if nov := recon(t, b, "2026-11-01", "2026-11-30"); nov.Sold != 0 || nov.Adjusted != 25 || nov.Closing != 125 {
		t.Fatalf("November keeps the first count as posted: %+v", nov)
	}
	checkBook(t, b)
}
