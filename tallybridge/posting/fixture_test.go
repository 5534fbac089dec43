package posting

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/tallybridge/tallysim"
)

const (
	company = "Demo Traders & Co"
	billDay = cal.Date("2026-11-25")
)

func gstin(state, pan string) string {
	s := state + pan + "1Z"
	return s + string(gst.CheckChar(s))
}

// books is the small demo book with a week of real postings through billing:
// a GRN, an intra-state invoice with a discount, an inter-state one, a
// cancelled one, a return, a receipt and a godown transfer.
type shop struct {
	b    *book.Book
	path string
	docs []string // queue ids, in posting order
}

func newShop(t testing.TB) *shop {
	t.Helper()
	path := filepath.Join(t.TempDir(), book.FileName)
	b, err := book.Open(path, book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := demo.Masters(b, demo.Sizes["small"], 1); err != nil {
		t.Fatal(err)
	}
	s := &shop{b: b, path: path}
	var items []masters.Item
	var local masters.Outlet
	err = b.Update(func(tx *book.Tx) error {
		all, err := masters.ListItems(tx, masters.ItemFilter{ActiveOnly: true}, billDay)
		if err != nil {
			return err
		}
		items = all[:3]
		outs, err := masters.ListOutlets(tx, masters.OutletFilter{ActiveOnly: true})
		if err != nil {
			return err
		}
		for _, o := range outs {
			if o.StateCode == "29" && o.GSTIN != "" {
				local = o
				break
			}
		}
		_, err = masters.CreateOutlet(tx, masters.Outlet{Code: "TNX01", Name: "Hosur Cash & Carry", StateCode: "33",
			GSTIN: gstin("33", "ABCDE1234F"), Channel: "wholesale", Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	post := func(kind string, fn func(tx *book.Tx) (string, error)) string {
		t.Helper()
		var n string
		if err := b.Update(func(tx *book.Tx) error { var err error; n, err = fn(tx); return err }); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		s.docs = append(s.docs, QueueID(kind, n))
		return n
	}
	post(billing.KindPurchase, func(tx *book.Tx) (string, error) {
		var lines []billing.PurchaseLineInput
		for i, it := range items {
			lines = append(lines, billing.PurchaseLineInput{Item: it.Code, Batch: "B" + string(rune('1'+i)), Expiry: "2027-12-31",
				MRPPaise: it.MRPPaise, Qty: 200, RatePaise: it.PricePaise * 80 / 100})
		}
		p, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "HUL/778", Date: billDay.AddDays(-2),
			Supplier: "Hindustan Unilever Ltd", SupplierGSTIN: gstin("29", "AAACH1004N"), Lines: lines})
		return p.Number, err
	})
	inv1 := post(billing.KindInvoice, func(tx *book.Tx) (string, error) {
		inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: local.Code, Date: billDay, Lines: []billing.LineInput{
			{Item: items[0].Code, Qty: 12, DiscountBP: 500}, {Item: items[1].Code, Qty: 7}}})
		return inv.Number, err
	})
	inv2 := post(billing.KindInvoice, func(tx *book.Tx) (string, error) {
		inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "TNX01", Date: billDay, Lines: []billing.LineInput{
			{Item: items[2].Code, Qty: 24}, {Item: items[0].Code, Qty: 5, DiscountBP: 250}}})
		return inv.Number, err
	})
	inv3 := post(billing.KindInvoice, func(tx *book.Tx) (string, error) {
		inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: local.Code, Date: billDay, Lines: []billing.LineInput{
			{Item: items[1].Code, Qty: 3}}})
		return inv.Number, err
	})
	post(billing.KindCancel, func(tx *book.Tx) (string, error) {
		inv, err := billing.CancelInvoice(tx, inv3, "billed to the wrong shop", billDay)
		return inv.Number, err
	})
	post(billing.KindSalesReturn, func(tx *book.Tx) (string, error) {
		r, err := billing.PostSalesReturn(tx, billing.SalesReturnInput{Invoice: inv1, Date: billDay.AddDays(1), Reason: "damaged in transit",
			Lines: []billing.SalesReturnLineInput{{Line: 1, Qty: 2, Condition: "damaged"}}})
		return r.Number, err
	})
	post(billing.KindReceipt, func(tx *book.Tx) (string, error) {
		var inv billing.Invoice
		inv, err := billing.GetInvoice(tx, inv2)
		if err != nil {
			return "", err
		}
		r, err := billing.PostReceipt(tx, billing.ReceiptInput{Outlet: "TNX01", Date: billDay.AddDays(2), Mode: "upi", Reference: "UTR123",
			AmountPaise: inv.TotalPaise, Allocations: []billing.Allocation{{Invoice: inv2, AmountPaise: inv.TotalPaise}}})
		return r.Number, err
	})
	post(billing.KindTransfer, func(tx *book.Tx) (string, error) {
		d, err := billing.PostTransfer(tx, billing.StockDocInput{Date: billDay.AddDays(2), Reason: "van load", From: "MAIN", To: "VAN1",
			Lines: []billing.StockLineInput{{Item: items[1].Code, Qty: 20}}})
		return d.Number, err
	})
	return s
}

// sim starts an emulated Tally with a fresh company (default groups only).
func sim(t testing.TB) (*tallysim.Server, string) {
	t.Helper()
	s := tallysim.New(tallysim.Options{Company: company})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, url
}

func push(t testing.TB, b *book.Book, url string, o PushOptions) (int, int, error) {
	t.Helper()
	o.URL = url
	if o.Company == "" {
		o.Company = company
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rep, err := Push(ctx, b, o)
	return rep.Posted, rep.Failed, err
}
