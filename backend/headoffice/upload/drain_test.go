package upload

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// realPC is a distributor's real book: demo masters, postings through
// billing, the drain and the uploader over BookSource.
type realPC struct {
	t       *testing.T
	book    *book.Book
	up      *Uploader
	items   []masters.Item
	outlets []masters.Outlet
	n       int
}

var clerk = book.Actor{User: "clerk", Role: "billing"}

func newRealPC(t *testing.T, clk *clock, url, code, key string) *realPC {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := demo.Masters(b, demo.Sizes["small"], 1); err != nil {
		t.Fatal(err)
	}
	pc := &realPC{t: t, book: b}
	err = b.View(func(tx *book.Tx) error {
		if pc.items, err = masters.ListItems(tx, masters.ItemFilter{ActiveOnly: true}, "2025-10-01"); err != nil {
			return err
		}
		pc.outlets, err = masters.ListOutlets(tx, masters.OutletFilter{ActiveOnly: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pc.items, pc.outlets = pc.items[:8], pc.outlets[:12]
	if url != "" {
		if err := SaveSettings(b, Settings{URL: url, DistributorCode: code, Key: key}); err != nil {
			t.Fatal(err)
		}
	}
	pc.up = NewUploader(b, BookSource{}, UploaderOptions{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Now: clk.now, Timeout: 10 * time.Second})
	return pc
}

func (pc *realPC) update(fn func(tx *book.Tx) error) {
	pc.t.Helper()
	if err := pc.book.UpdateAs(clerk, fn); err != nil {
		pc.t.Fatal(err)
	}
}

// schemes issues a buy-10-get-1 on the first item and 5 % off the second.
func (pc *realPC) schemes(from, to cal.Date) []schemes.Scheme {
	ss := []schemes.Scheme{
		{Code: "B10G1", Name: "Buy 10 get 1", Kind: schemes.BuyXGetY, ValidFrom: from, ValidTo: to, Items: []string{pc.items[0].Code}, BuyQty: 10, FreeQty: 1},
		{Code: "PCT5", Name: "5% off", Kind: schemes.Percent, ValidFrom: from, ValidTo: to, Items: []string{pc.items[1].Code}, DiscountBP: 500},
	}
	pc.update(func(tx *book.Tx) error {
		for _, s := range ss {
			if err := schemes.Save(tx, s); err != nil {
				return err
			}
		}
		return nil
	})
	return ss
}

func (pc *realPC) purchase(day cal.Date) {
	pc.update(func(tx *book.Tx) error {
		var lines []billing.PurchaseLineInput
		for _, it := range pc.items {
			lines = append(lines, billing.PurchaseLineInput{Item: it.Code, Batch: "B" + day.Compact(), Expiry: "2027-12-31", MRPPaise: it.MRPPaise, Qty: 2000, RatePaise: it.PricePaise * 8 / 10})
		}
		_, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BR/" + day.Compact(), Date: day, Lines: lines})
		return err
	})
}

// bill posts n invoices of three lines on day and returns their numbers.
func (pc *realPC) bill(day cal.Date, n int) []string {
	var nos []string
	for range n {
		pc.n++
		o := pc.outlets[pc.n%len(pc.outlets)]
		in := billing.InvoiceInput{Outlet: o.Code, Date: day, Salesman: o.Salesman}
		for j := range 3 {
			it := pc.items[(pc.n+j)%len(pc.items)]
			in.Lines = append(in.Lines, billing.LineInput{Item: it.Code, Qty: money.Qty(5 + (pc.n*7+j)%20)})
		}
		pc.update(func(tx *book.Tx) error {
			inv, err := billing.PostInvoice(tx, in)
			nos = append(nos, inv.Number)
			return err
		})
	}
	return nos
}

// register is the distributor's own sales register: lines and net taxable
// over invoices, cancellations and credit notes.
type register struct {
	lines   int
	taxable money.Paise
	reds    int
}

func (pc *realPC) register() register {
	var r register
	err := pc.book.View(func(tx *book.Tx) error {
		qs, err := tx.Queued(book.UploadQueue, 0, 0)
		if err != nil {
			return err
		}
		for _, e := range qs {
			switch e.Kind {
			case billing.KindInvoice:
				inv, err := billing.GetInvoice(tx, e.ID)
				if err != nil {
					return err
				}
				r.lines += len(inv.Lines)
				r.taxable += inv.TaxablePaise
				rs, _ := schemes.Redemptions(tx, e.ID)
				r.reds += len(rs) // each redemption and reversal is uploaded once
			case billing.KindCancel:
				inv, err := billing.GetInvoice(tx, e.ID)
				if err != nil {
					return err
				}
				r.lines += len(inv.Lines)
				r.taxable -= inv.TaxablePaise
			case billing.KindSalesReturn:
				sr, err := billing.GetSalesReturn(tx, e.ID)
				if err != nil {
					return err
				}
				r.lines += len(sr.Lines)
				r.taxable -= sr.TaxablePaise
			}
		}
		return nil
	})
	if err != nil {
		pc.t.Fatal(err)
	}
	return r
}

func lastBody(t *testing.T, b *book.Book) []byte {
	var body []byte
	b.View(func(tx *book.Tx) error {
		return tx.Bucket(bucketBodies).Reverse("", "", func(_ string, v []byte) (bool, error) {
			body = append([]byte(nil), v...)
			return false, nil
		})
	})
	if body == nil {
		t.Fatal("no batch body in the outbox")
	}
	return body
}

// A real distributor book — demo masters, purchases and invoices posted
// through billing, a cancellation, a credit note, schemes — uploads to a real
// receiver on 127.0.0.1 that is down for three days of billing, dies while
// the first waiting batch is on the wire and loses an ack. A duplicate batch
// stores nothing, a tampered body and a stale signature are refused. Every
// line arrives once, and head office's totals equal the distributor's own
// register to the paisa.
func TestRealBookReachesHeadOfficeExactlyOnce(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 23:30"))
	ho := newHeadOffice(t, clk)
	key, err := headoffice.AddDistributor(ho.store, "D001", "South", "Sri Balaji Agencies")
	if err != nil {
		t.Fatal(err)
	}
	pc := newRealPC(t, clk, ho.url(), "D001", key)
	pc.schemes("2025-10-01", "2025-10-31")
	ctx := context.Background()

	// Day 1: goods in, bills out, head office up.
	ho.start(nil)
	pc.purchase("2025-10-06")
	day1 := pc.bill("2025-10-06", 6)
	if rep, err := pc.up.Now(ctx); err != nil || len(rep.Sent) == 0 {
		t.Fatalf("day 1: %+v %v", rep, err)
	}

	// Three days with head office down: a cancellation and a return too.
	ho.stop()
	for i, day := range []cal.Date{"2025-10-07", "2025-10-08", "2025-10-09"} {
		clk.set(ist(string(day) + " 23:30"))
		pc.bill(day, 5)
		switch i {
		case 0:
			pc.update(func(tx *book.Tx) error { _, err := billing.CancelInvoice(tx, day1[0], "wrong outlet", day); return err })
		case 1:
			pc.update(func(tx *book.Tx) error {
				_, err := billing.PostSalesReturn(tx, billing.SalesReturnInput{Invoice: day1[1], Date: day, Reason: "damaged in transit",
					Lines: []billing.SalesReturnLineInput{{Line: 1, Qty: 2, Condition: "damaged"}, {Line: 2, Qty: 1}}})
				return err
			})
		}
		if _, err := pc.up.Now(ctx); err == nil {
			t.Fatalf("%s: upload succeeded with head office down", day)
		}
	}
	if st, _ := pc.up.Status(); st.Waiting != 3 {
		t.Fatalf("waiting batches = %d, want 3", st.Waiting)
	}
	body := lastBody(t, pc.book) // kept to send again later, as a duplicate

	// Head office comes back and dies mid-body; then an ack is lost.
	stopped := make(chan struct{})
	ho.start(killMidBody(stopped))
	pc.up.Send(ctx)
	<-stopped
	ho.stop()
	ho.start(ackLost)
	clk.add(time.Hour)
	if rep, err := pc.up.Now(ctx); err != nil || rep.Waiting != 0 {
		t.Fatalf("after restart: %+v %v", rep, err)
	}
	if st, _ := pc.up.Status(); st.Waiting != 0 || st.PendingRows != 0 {
		t.Fatalf("status after catching up: %+v", st)
	}

	want := pc.register()
	stats := func() headoffice.DistributorStats {
		s, err := headoffice.Stats(ho.store)
		if err != nil || len(s) != 1 {
			t.Fatal(s, err)
		}
		return s[0]
	}
	got := stats()
	if got.SalesLines != want.lines || got.SalesTaxablePaise != want.taxable {
		t.Fatalf("head office: %d lines %s; register: %d lines %s", got.SalesLines, got.SalesTaxablePaise, want.lines, want.taxable)
	}
	var reds int
	ho.store.Redemptions("D001", func(wire.Redemption) error { reds++; return nil })
	if reds != want.reds || reds == 0 {
		t.Fatalf("redemptions at head office %d, posted %d", reds, want.reds)
	}
	// The evidence supports every claim the real book made.
	cs, err := headoffice.CheckClaims(ho.store, nil, "2025-10-01", "2025-10-31")
	if err != nil || len(cs.Flags) != 0 {
		t.Fatalf("claims on a clean book: %+v %v", cs.Flags, err)
	}

	// A duplicate of the last batch: acknowledged, nothing changes.
	ts := strconv.FormatInt(clk.now().Unix(), 10)
	if code, raw := post(t, ho.url(), "D001", key, ts, body); code != http.StatusOK {
		t.Fatalf("duplicate: %d %s", code, raw)
	}
	// Tampered: one byte of the last part flipped.
	bad := append([]byte(nil), body...)
	bad[len(bad)-3] ^= 0xff
	ts = strconv.FormatInt(clk.now().Unix()+1, 10)
	if code, raw := post(t, ho.url(), "D001", key, ts, bad); code/100 != 4 {
		t.Fatalf("tampered body: %d %s", code, raw)
	}
	// Stale: signed ten minutes ago.
	ts = strconv.FormatInt(clk.now().Add(-10*time.Minute).Unix(), 10)
	if code, raw := post(t, ho.url(), "D001", key, ts, body); code != http.StatusUnauthorized || refusalOf(t, raw).Error != "stale_timestamp" {
		t.Fatalf("stale signature: %d %s", code, raw)
	}
	after := stats()
	if after.SalesLines != got.SalesLines || after.SalesTaxablePaise != got.SalesTaxablePaise || after.Batches != got.Batches {
		t.Fatalf("duplicate or refused batches changed head office: %+v → %+v", got, after)
	}
}

// A drain that fails half way (an error injected after half the documents,
// as a crash would) leaves nothing in the outbox and the cursor where it
// was; the next drain records every document once, and a third finds
// nothing.
func TestDrainIsAllOrNothing(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 20:00"))
	pc := newRealPC(t, clk, "", "", "")
	pc.schemes("2025-10-01", "2025-10-31")
	pc.purchase("2025-10-06")
	nos := pc.bill("2025-10-06", 10)
	pc.update(func(tx *book.Tx) error {
		_, err := billing.CancelInvoice(tx, nos[3], "duplicate bill", "2025-10-06")
		return err
	})

	var docs int
	pc.book.View(func(tx *book.Tx) error { docs = tx.QueueLen(book.UploadQueue); return nil })
	boom := errors.New("power cut")
	drainFault = func(i int) error {
		if i == docs/2 {
			return boom
		}
		return nil
	}
	_, err := Drain(pc.book)
	drainFault = nil
	if !errors.Is(err, boom) {
		t.Fatalf("drain with a fault: %v", err)
	}
	pending := func() (n int, cursor uint64) {
		pc.book.View(func(tx *book.Tx) error {
			n = tx.Bucket(bucketPending).Len()
			cursor = getU64(tx.Bucket(bucketDrain).Get("queue"))
			return nil
		})
		return
	}
	if n, cur := pending(); n != 0 || cur != 0 {
		t.Fatalf("after a failed drain: %d rows pending, cursor %d; want nothing", n, cur)
	}
	res, err := Drain(pc.book)
	if err != nil || res.Documents != docs {
		t.Fatalf("drain: %+v %v (want %d documents)", res, err, docs)
	}
	n1, _ := pending()
	if n1 != res.Rows+res.Masters {
		t.Fatalf("pending %d, recorded %d", n1, res.Rows+res.Masters)
	}
	want := pc.register()
	var lines int
	var taxable money.Paise
	pc.book.View(func(tx *book.Tx) error {
		var b wire.Batch
		return tx.Bucket(bucketPending).Scan("", func(_ string, v []byte) (bool, error) {
			var p pendingRow
			if err := json.Unmarshal(v, &p); err != nil {
				return false, err
			}
			if p.Part == wire.PartSalesLines {
				b.SalesLines = b.SalesLines[:0]
				if err := addRaw(&b, p.Part, p.Row); err != nil {
					return false, err
				}
				lines++
				taxable += b.SalesLines[0].TaxablePaise
			}
			return true, nil
		})
	})
	if lines != want.lines || taxable != want.taxable {
		t.Fatalf("outbox %d lines %s; register %d lines %s", lines, taxable, want.lines, want.taxable)
	}
	if again, err := Drain(pc.book); err != nil || again.Documents != 0 || again.Rows != 0 {
		t.Fatalf("second drain: %+v %v", again, err)
	}
	// The stock statement the builder carries balances for every SKU.
	pc.book.View(func(tx *book.Tx) error {
		rows, err := BookSource{}.StockStatement(tx, "2025-10-06")
		if err != nil || len(rows) != len(pc.items) {
			t.Fatalf("stock statement: %d rows %v", len(rows), err)
		}
		for _, r := range rows {
			if !r.Balanced() || r.Received != 2000 {
				t.Fatalf("stock row %+v", r)
			}
		}
		return nil
	})

}
