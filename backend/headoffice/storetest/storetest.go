// Package storetest is the one test suite every head-office store passes:
// the embedded book (package headoffice's tests) and PostgreSQL (package
// pgstore's) run the same cases through headoffice.Store.
package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/loginlimit"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// Open returns a new, empty store; the suite closes it.
type Open func(t *testing.T) headoffice.Store

var t0 = time.Date(2025, 10, 8, 2, 0, 0, 0, time.UTC)

// Run runs every case against stores made by open.
func Run(t *testing.T, open Open) {
	t.Run("distributors", func(t *testing.T) { distributors(t, open(t)) })
	t.Run("ingest", func(t *testing.T) { ingest(t, open(t)) })
	t.Run("unknown distributor", func(t *testing.T) { unknown(t, open(t)) })
	t.Run("admin and schemes", func(t *testing.T) { adminSchemes(t, open(t)) })
	t.Run("claims net of returns", func(t *testing.T) { claimsNetOfReturns(t, open(t)) })
	t.Run("sessions", func(t *testing.T) { sessionCases(t, open(t)) })
	t.Run("replay", func(t *testing.T) { replay(t, open(t)) })
	t.Run("dashboard", func(t *testing.T) { dashboard(t, open(t)) })
	t.Run("conflicts", func(t *testing.T) { conflicts(t, open(t)) })
	t.Run("month cells after restatements", func(t *testing.T) { restatements(t, open(t)) })
	t.Run("login limits", func(t *testing.T) { loginLimits(t, open(t)) })
	t.Run("paging", func(t *testing.T) { paging(t, open(t)) })
}

// The login throttle's entries come back as saved, an empty one is
// deleted, and any key (the shared overflow entry's holds a NUL) is kept.
func loginLimits(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	until := t0.Add(4 * time.Second)
	save := func(es ...loginlimit.Entry) {
		t.Helper()
		if err := st.SaveLoginLimits(es); err != nil {
			t.Fatal(err)
		}
	}
	read := func() map[string]loginlimit.Entry {
		t.Helper()
		es, err := st.LoginLimits()
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]loginlimit.Entry{}
		for _, e := range es {
			m[fmt.Sprintf("%v %q", e.User, e.Key)] = e
		}
		return m
	}
	save(loginlimit.Entry{Key: "203.0.113.7", N: 6, Until: until, Last: t0},
		loginlimit.Entry{User: true, Key: "admin", N: 12, Last: t0, Addrs: []string{"203.0.113.7", "198.51.100.1"}, Good: []string{"192.0.2.10"}},
		loginlimit.Entry{Key: "\x00overflow", N: 40, Until: until, Last: t0})
	got := read()
	a, u, o := got[`false "203.0.113.7"`], got[`true "admin"`], got[`false "\x00overflow"`]
	if len(got) != 3 || a.N != 6 || !a.Until.Equal(until) || !a.Last.Equal(t0) || u.N != 12 || len(u.Addrs) != 2 || len(u.Good) != 1 || o.N != 40 {
		t.Fatalf("read back %+v", got)
	}
	// a success forgets the address and keeps the user's good address
	save(loginlimit.Entry{Key: "203.0.113.7"}, loginlimit.Entry{User: true, Key: "admin", Last: t0, Good: []string{"192.0.2.10"}})
	got = read()
	if u := got[`true "admin"`]; len(got) != 2 || u.N != 0 || len(u.Good) != 1 {
		t.Fatalf("after a success %+v", got)
	}
}

func closeAtEnd(t *testing.T, st headoffice.Store) {
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
}

func add(t *testing.T, st headoffice.Store, code, region string) {
	t.Helper()
	if err := st.AddDistributor(headoffice.Distributor{Code: code, Region: region, Name: "Dist " + code, Key: wire.NewKey(), AddedAt: t0}); err != nil {
		t.Fatal(err)
	}
}

func distributors(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	add(t, st, "D002", "North")
	add(t, st, "D001", "South")
	if err := st.AddDistributor(headoffice.Distributor{Code: "D001", Region: "East", Key: "k"}); err == nil {
		t.Fatal("a code registered twice is accepted")
	}
	d, ok, err := st.Distributor("D001")
	if err != nil || !ok || d.Region != "South" || d.Name != "Dist D001" || !d.AddedAt.Equal(t0) || len(d.Key) != 64 {
		t.Fatalf("D001: %+v %v %v", d, ok, err)
	}
	if _, ok, err := st.Distributor("D404"); ok || err != nil {
		t.Fatalf("unknown code: %v %v", ok, err)
	}
	ds, err := st.Distributors()
	if err != nil || len(ds) != 2 || ds[0].Code != "D001" || ds[1].Code != "D002" {
		t.Fatalf("list: %+v %v", ds, err)
	}
}

// Encode and decode, as the receiver gets it.
func viaWire(t *testing.T, b *wire.Batch) *wire.Batch {
	t.Helper()
	body, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	dec, err := wire.DecodeBatch(body, wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return dec
}

func line(inv string, day cal.Date, no int, outlet, beat, sku string, qty int64, rate money.Paise) wire.SalesLine {
	tx := money.Paise(qty) * rate
	return wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: inv, InvoiceDate: day, LineNo: no, OutletCode: outlet, BeatCode: beat,
		SalesmanCode: "SM1", SKUCode: sku, Qty: money.Qty(qty), RatePaise: rate, TaxablePaise: tx, CGSTPaise: tx / 40, SGSTPaise: tx / 40}
}

// salesSum is what the sales rollups (but the SKU one) hold for ls: a
// cancellation's line counts −1 line, and its line 1 −1 invoice.
func salesSum(ls []wire.SalesLine) headoffice.Sum {
	var s headoffice.Sum
	for _, l := range ls {
		n := int64(1)
		if l.DocType == wire.DocCancel {
			n = -1
		}
		c := headoffice.Sum{Lines: n, Qty: l.Qty, FreeQty: l.FreeQty, Discount: l.DiscountPaise, Taxable: l.TaxablePaise, Tax: l.CGSTPaise + l.SGSTPaise + l.IGSTPaise}
		if l.LineNo == 1 && l.DocType != wire.DocReturn {
			c.Invoices = n
		}
		s.Add(c)
	}
	return s
}

func rollup(t *testing.T, st headoffice.Store, r headoffice.Rollup, code string, from, to cal.Date) (headoffice.Sum, map[string]headoffice.Sum) {
	t.Helper()
	var total headoffice.Sum
	by := map[string]headoffice.Sum{}
	var last cal.Date
	err := st.ScanRollup(r, code, from, to, func(day cal.Date, dim string, s headoffice.Sum) error {
		if day < last {
			return fmt.Errorf("day %s after %s", day, last)
		}
		last = day
		total.Add(s)
		c := by[dim]
		c.Add(s)
		by[dim] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total, by
}

func ingest(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	add(t, st, "D001", "South")
	add(t, st, "D002", "South")
	d1, d2 := cal.MustParse("2025-10-06"), cal.MustParse("2025-10-07")
	lines := []wire.SalesLine{
		line("SI/1", d1, 1, "O1", "B1", "SKU1", 10, 1000),
		line("SI/1", d1, 2, "O1", "B1", "SKU2", 5, 2000),
		line("SI/2", d1, 1, "O2", "B2", "SKU1", 3, 1000),
		line("SI/3", d2, 1, "O2", "B2", "SKU2", 7, 2000),
	}
	lines[1].FreeQty, lines[1].DiscountPaise, lines[1].SchemeCodes = 1, 500, []string{"S10"}
	ret := line("CN/1", d2, 1, "O1", "B1", "SKU1", -2, 1000)
	ret.DocType, ret.RefInvoiceNo = wire.DocReturn, "SI/1"
	lines = append(lines, ret)
	receipts := []wire.PrimaryReceipt{
		{GRNNo: "G1", GRNDate: d1, LineNo: 1, SKUCode: "SKU1", Qty: 240, RatePaise: 700, TaxablePaise: 168000, CGSTPaise: 4200, SGSTPaise: 4200},
		{GRNNo: "G1", GRNDate: d1, LineNo: 2, SKUCode: "SKU2", Qty: 48, RatePaise: 1400, TaxablePaise: 67200},
	}
	stock := []wire.StockLine{
		{Date: d1, SKUCode: "SKU1", Opening: 100, Received: 240, Sold: 13, Closing: 327, ClosingValuePaise: 228900},
		{Date: d1, SKUCode: "SKU2", Opening: 10, Received: 48, Sold: 6, Closing: 52, ClosingValuePaise: 72800},
	}
	reds := []wire.Redemption{{RedemptionID: "R1", SchemeCode: "S10", InvoiceNo: "SI/1", InvoiceDate: d1, LineNo: 2, OutletCode: "O1", SKUCode: "SKU2", FreeQty: 1, DiscountPaise: 500, ValuePaise: 2500}}
	outlets := []wire.Outlet{{OutletCode: "O1", Name: "Shop One", BeatCode: "B1", Active: true}, {OutletCode: "O2", Name: "Shop Two", BeatCode: "B2", Active: true}}
	skus := []wire.SKU{{SKUCode: "SKU1", Name: "Soap", Brand: "Glow", Active: true}, {SKUCode: "SKU2", Name: "Paste", Brand: "FreshMint", Active: true}}
	b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: d1, PeriodTo: d2, CreatedAt: t0},
		SalesLines: lines, Receipts: receipts, Stock: stock, Redemptions: reds, Outlets: outlets, SKUs: skus}
	ack, dup, err := st.Ingest(viaWire(t, b), t0)
	if err != nil || dup {
		t.Fatalf("ingest: %v %v", dup, err)
	}
	want := wire.Counts{wire.PartSalesLines: 5, wire.PartReceipts: 2, wire.PartStock: 2, wire.PartRedemptions: 1, wire.PartOutlets: 2, wire.PartSKUs: 2}
	if fmt.Sprint(ack.New) != fmt.Sprint(want) || fmt.Sprint(ack.Received) != fmt.Sprint(want) || ack.BatchID != "B1" || !ack.ReceivedAt.Equal(t0) {
		t.Fatalf("ack: %+v", ack)
	}

	t.Run("a batch sent again is the same ack, stored once", func(t *testing.T) {
		again, dup, err := st.Ingest(viaWire(t, b), t0.Add(time.Hour))
		if err != nil || !dup || fmt.Sprint(again) != fmt.Sprint(ack) {
			t.Fatalf("again: %+v %v %v", again, dup, err)
		}
		changed := *b
		changed.SalesLines = lines[:2]
		if _, _, err := st.Ingest(viaWire(t, &changed), t0); !errors.Is(err, headoffice.ErrBatchConflict) {
			t.Fatalf("same batch id, other content: %v", err)
		}
	})

	t.Run("the totals answer holds credit notes, primary and stock apart", func(t *testing.T) {
		a, err := headoffice.SalesTotals(st, "D001", "2025-10-01", "2025-10-31")
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Holds) != 3 || len(a.Returns) != 1 || a.Returns[0] != (wire.TotalsCell{Day: d2, Key: "O1", SKU: "SKU1", Lines: 1, Qty: 2, Taxable: 2000, Tax: 100}) {
			t.Errorf("returns %v %+v", a.Holds, a.Returns)
		}
		if len(a.Primary) != 2 || a.Primary[0] != (wire.TotalsCell{Day: d1, Key: "SKU1", Lines: 1, Qty: 240, Taxable: 168000, Tax: 8400}) {
			t.Errorf("primary %+v", a.Primary)
		}
		if a.StockDay != d1 || len(a.Stock) != 2 || a.Stock[1] != (wire.StockCell{SKU: "SKU2", Closing: 52, ClosingValue: 72800}) {
			t.Errorf("stock of %s: %+v", a.StockDay, a.Stock)
		}
	})

	t.Run("rollups add up to the lines", func(t *testing.T) {
		wantSales := salesSum(lines)
		for _, r := range []headoffice.Rollup{headoffice.RollSalesDist, headoffice.RollSalesBeat, headoffice.RollSalesOutlet, headoffice.RollSalesSalesman, headoffice.RollSalesSKU} {
			want := wantSales
			if r == headoffice.RollSalesSKU {
				want.Invoices = 0 // an invoice has many SKUs: none counted per SKU
			}
			if got, _ := rollup(t, st, r, "D001", "2025-10-01", "2025-10-31"); got != want {
				t.Errorf("%s: %+v, lines %+v", r, got, want)
			}
		}
		_, bySKU := rollup(t, st, headoffice.RollSalesSKU, "D001", "2025-10-01", "2025-10-31")
		if bySKU["SKU1"].Qty != 11 || bySKU["SKU2"].Qty != 12 || bySKU["SKU2"].FreeQty != 1 {
			t.Errorf("by SKU: %+v", bySKU)
		}
		_, byOutlet := rollup(t, st, headoffice.RollSalesOutlet, "D001", "2025-10-01", "2025-10-31")
		if byOutlet["B1\x1fO1"].Lines != 3 || byOutlet["B2\x1fO2"].Lines != 2 {
			t.Errorf("by outlet: %+v", byOutlet)
		}
		if day1, _ := rollup(t, st, headoffice.RollSalesDist, "D001", d1, d1); day1.Lines != 3 || day1.Invoices != 2 {
			t.Errorf("one day: %+v", day1)
		}
		if other, _ := rollup(t, st, headoffice.RollSalesDist, "D002", "2025-10-01", "2025-10-31"); other != (headoffice.Sum{}) {
			t.Errorf("another distributor's rollup: %+v", other)
		}
		if p, bySKU := rollup(t, st, headoffice.RollPrimarySKU, "D001", "2025-10-01", "2025-10-31"); p.Lines != 2 || p.Qty != 288 || p.Taxable != 235200 || p.Tax != 8400 || bySKU["SKU2"].Qty != 48 {
			t.Errorf("primary: %+v %+v", p, bySKU)
		}
		if s, by := rollup(t, st, headoffice.RollScheme, "D001", "2025-10-01", "2025-10-31"); s.Lines != 1 || by["S10"].Value != 2500 || s.Discount != 500 || s.FreeQty != 1 {
			t.Errorf("scheme: %+v", s)
		}
		if s, _ := rollup(t, st, headoffice.RollStockDist, "D001", d1, d1); s.Lines != 2 || s.Qty != 379 || s.Sold != 19 || s.Value != 301700 {
			t.Errorf("stock: %+v", s)
		}
	})

	t.Run("raw rows read back", func(t *testing.T) {
		var got []wire.SalesLine
		if err := st.SalesLines("D001", "2025-10-01", "2025-10-31", func(l wire.SalesLine) error { got = append(got, l); return nil }); err != nil {
			t.Fatal(err)
		}
		key := func(l wire.SalesLine) string { return l.Key() }
		slices.SortFunc(got, func(a, b wire.SalesLine) int { return compare(key(a), key(b)) })
		exp := slices.Clone(lines)
		slices.SortFunc(exp, func(a, b wire.SalesLine) int { return compare(key(a), key(b)) })
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", exp) {
			t.Fatalf("sales lines:\n got %+v\nwant %+v", got, exp)
		}
		n := 0
		st.SalesLines("D001", d2, d2, func(l wire.SalesLine) error { n++; return nil })
		if n != 2 {
			t.Errorf("one day's lines: %d", n)
		}
		var os []wire.Outlet
		st.Outlets("D001", func(o wire.Outlet) error { os = append(os, o); return nil })
		if fmt.Sprint(os) != fmt.Sprint(outlets) {
			t.Errorf("outlets: %+v", os)
		}
		var ss []wire.SKU
		st.SKUs(func(s wire.SKU) error { ss = append(ss, s); return nil })
		if fmt.Sprint(ss) != fmt.Sprint(skus) {
			t.Errorf("SKUs: %+v", ss)
		}
		var rs []wire.Redemption
		st.Redemptions("D001", func(r wire.Redemption) error { rs = append(rs, r); return nil })
		if fmt.Sprint(rs) != fmt.Sprint(reds) {
			t.Errorf("redemptions: %+v", rs)
		}
		if sl, err := st.StockOn("D001", d2); err != nil || fmt.Sprint(sl) != fmt.Sprint(stock) {
			t.Errorf("stock on the next day is the last day's: %+v %v", sl, err)
		}
		if sl, err := st.StockOn("D001", "2025-10-05"); err != nil || len(sl) != 0 {
			t.Errorf("stock before any: %+v %v", sl, err)
		}
		d, _, _ := st.Distributor("D001")
		if d.Batches != 1 || d.SalesLines != 5 || d.SalesTaxablePaise != salesSum(lines).Taxable || d.LastBatchID != "B1" || d.DataTo != d2 || !d.LastUpload.Equal(t0) {
			t.Errorf("distributor after one batch: %+v", d)
		}
	})

	t.Run("a line resent under a new batch counts once; a day's stock is replaced", func(t *testing.T) {
		more := line("SI/4", d2, 1, "O1", "B1", "SKU1", 1, 1000)
		st2 := []wire.StockLine{{Date: d1, SKUCode: "SKU1", Opening: 100, Received: 240, Sold: 14, Closing: 326, ClosingValuePaise: 228200}}
		b2 := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B2", Kind: wire.KindFull, PeriodFrom: d1, PeriodTo: d2, CreatedAt: t0},
			SalesLines: append(slices.Clone(lines), more), Receipts: receipts, Stock: st2}
		ack, dup, err := st.Ingest(viaWire(t, b2), t0.Add(time.Hour))
		if err != nil || dup || ack.New[wire.PartSalesLines] != 1 || ack.New[wire.PartReceipts] != 0 || ack.New[wire.PartStock] != 0 {
			t.Fatalf("resend: %+v %v %v", ack, dup, err)
		}
		if got, _ := rollup(t, st, headoffice.RollSalesDist, "D001", "2025-10-01", "2025-10-31"); got != salesSum(append(slices.Clone(lines), more)) {
			t.Errorf("sales after resend: %+v", got)
		}
		if p, _ := rollup(t, st, headoffice.RollPrimaryDist, "D001", "2025-10-01", "2025-10-31"); p.Lines != 2 {
			t.Errorf("receipts after resend: %+v", p)
		}
		if s, _ := rollup(t, st, headoffice.RollStockDist, "D001", d1, d1); s.Lines != 2 || s.Qty != 378 || s.Sold != 20 || s.Value != 301000 {
			t.Errorf("stock after a day's row is replaced: %+v", s)
		}
		d, _, _ := st.Distributor("D001")
		if d.Batches != 2 || d.SalesLines != 6 {
			t.Errorf("distributor after two batches: %+v", d)
		}
	})

	t.Run("a cancellation restates its invoice's date: no line, no invoice, no value", func(t *testing.T) {
		before, _ := rollup(t, st, headoffice.RollSalesDist, "D001", d1, d1)
		cx := line("SI/2", d1, 1, "O2", "B2", "SKU1", -3, 1000)
		cx.DocType, cx.RefInvoiceNo = wire.DocCancel, "SI/2"
		b3 := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B3", Kind: wire.KindDelta, PeriodFrom: d2, PeriodTo: d2, CreatedAt: t0},
			SalesLines: []wire.SalesLine{cx}}
		if _, _, err := st.Ingest(viaWire(t, b3), t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := rollup(t, st, headoffice.RollSalesDist, "D001", d1, d1)
		if before.Lines != 3 || before.Invoices != 2 || got.Lines != 2 || got.Invoices != 1 || got.Qty != 15 || got.Taxable != 20000 || got.Tax != 1000 {
			t.Errorf("day 1 before %+v, after the cancellation of SI/2 %+v", before, got)
		}
		if _, byOutlet := rollup(t, st, headoffice.RollSalesOutlet, "D001", d1, d1); byOutlet["B2\x1fO2"] != (headoffice.Sum{}) {
			t.Errorf("the cancelled invoice's outlet on its date: %+v", byOutlet["B2\x1fO2"])
		}
		if _, bySKU := rollup(t, st, headoffice.RollSalesSKU, "D001", d1, d1); bySKU["SKU1"].Lines != 1 || bySKU["SKU1"].Qty != 10 || bySKU["SKU1"].Invoices != 0 {
			t.Errorf("by SKU: %+v", bySKU)
		}
		if d2s, _ := rollup(t, st, headoffice.RollSalesDist, "D001", d2, d2); d2s.Taxable != 14000-2000+1000 || d2s.Lines != 3 || d2s.Invoices != 2 {
			t.Errorf("nothing lands on another day: %+v", d2s)
		}
	})
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func unknown(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D404", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: "2025-10-06", PeriodTo: "2025-10-06", CreatedAt: t0},
		SalesLines: []wire.SalesLine{line("SI/1", "2025-10-06", 1, "O1", "B1", "SKU1", 1, 100)}}
	if _, _, err := st.Ingest(viaWire(t, b), t0); !errors.Is(err, headoffice.ErrUnknownDistributor) {
		t.Fatalf("unknown distributor: %v", err)
	}
}

func adminSchemes(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	if u, h, err := st.Admin(); u != "" || h != nil || err != nil {
		t.Fatalf("no admin yet: %q %v %v", u, h, err)
	}
	if err := st.SetAdmin("ops", []byte("hash1")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetAdmin("ops2", []byte("hash2")); err != nil {
		t.Fatal(err)
	}
	if u, h, err := st.Admin(); u != "ops2" || string(h) != "hash2" || err != nil {
		t.Fatalf("admin: %q %q %v", u, h, err)
	}
	if ss, err := st.IssuedSchemes(); ss != nil || err != nil {
		t.Fatalf("no schemes yet: %v %v", ss, err)
	}
	ss := []rules.Scheme{{Code: "S10", Name: "10+1"}}
	if err := st.SetSchemes(ss); err != nil {
		t.Fatal(err)
	}
	if got, err := st.IssuedSchemes(); err != nil || len(got) != 1 || got[0].Code != "S10" || got[0].Name != "10+1" {
		t.Fatalf("schemes: %+v %v", got, err)
	}
}

// A 10+1 on 25 pieces gave 2 free; 10 came back in the next month, so the
// 15 kept earn 1. The distributor who reversed the piece it no longer
// earns is not flagged; the one who still claims both is, for the one
// piece's value. The claim check reads the return although it is dated
// after the period: what an invoice earned is what the outlet kept.
func claimsNetOfReturns(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	oct6, nov3 := cal.MustParse("2025-10-06"), cal.MustParse("2025-11-03")
	if err := st.SetSchemes([]rules.Scheme{{Code: "B10G1", Name: "Buy 10 get 1", Kind: rules.BuyXGetY, ValidFrom: "2025-10-01", ValidTo: "2025-10-31",
		Items: []string{"SKU1"}, BuyQty: 10, FreeQty: 1}}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"D001", "D002"} {
		add(t, st, code, "South")
		sold := line("SI/1", oct6, 1, "O1", "B1", "SKU1", 25, 3000)
		free := line("SI/1", oct6, 2, "O1", "B1", "SKU1", 0, 3000)
		free.FreeQty, free.TaxablePaise, free.CGSTPaise, free.SGSTPaise = 2, 0, 0, 0
		sold.SchemeCodes, free.SchemeCodes = []string{"B10G1"}, []string{"B10G1"}
		reds := []wire.Redemption{{RedemptionID: "R1", SchemeCode: "B10G1", InvoiceNo: "SI/1", InvoiceDate: oct6, LineNo: 2, OutletCode: "O1",
			SKUCode: "SKU1", FreeSKUCode: "SKU1", FreeQty: 2, ValuePaise: 6000}}
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: oct6, PeriodTo: oct6, CreatedAt: t0},
			SalesLines: []wire.SalesLine{sold, free}, Redemptions: reds,
			Outlets: []wire.Outlet{{OutletCode: "O1", Name: "Shop One", BeatCode: "B1", Active: true}},
			SKUs:    []wire.SKU{{SKUCode: "SKU1", Name: "Soap", Brand: "Glow", CaseSize: 1, Active: true}}}
		back := line("CN/1", nov3, 1, "O1", "B1", "SKU1", -10, 3000)
		freeBack := line("CN/1", nov3, 2, "O1", "B1", "SKU1", 0, 3000)
		freeBack.FreeQty, freeBack.TaxablePaise, freeBack.CGSTPaise, freeBack.SGSTPaise = -1, 0, 0, 0
		back.DocType, back.RefInvoiceNo, freeBack.DocType, freeBack.RefInvoiceNo = wire.DocReturn, "SI/1", wire.DocReturn, "SI/1"
		b2 := &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: "B2", Kind: wire.KindDelta, PeriodFrom: nov3, PeriodTo: nov3, CreatedAt: t0},
			SalesLines: []wire.SalesLine{back, freeBack}}
		if code == "D001" { // the honest book reverses the piece the 15 no longer earn
			b2.Redemptions = []wire.Redemption{{RedemptionID: "R1-CN1", SchemeCode: "B10G1", InvoiceNo: "SI/1", InvoiceDate: oct6, LineNo: 2, OutletCode: "O1",
				SKUCode: "SKU1", FreeSKUCode: "SKU1", FreeQty: -1, ValuePaise: -3000}}
		}
		for _, batch := range []*wire.Batch{b, b2} {
			if _, _, err := st.Ingest(viaWire(t, batch), t0); err != nil {
				t.Fatalf("%s %s: %v", code, batch.Manifest.BatchID, err)
			}
		}
	}
	sum, err := headoffice.CheckClaims(st, headoffice.RulesFromStore(st), "2025-10-01", "2025-10-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Flags) != 1 || sum.Flags[0].DistributorCode != "D002" || sum.Flags[0].Reason != headoffice.FlagAboveEntitlement ||
		sum.Flags[0].LeakagePaise != 3000 || sum.ClaimedPaise != 3000+6000 || sum.LeakagePaise != 3000 {
		t.Fatalf("D001 netted its return, D002 did not: %+v", sum)
	}
}

func sessionCases(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	if err := st.OpenSession("s1", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.SessionValid("s1", t0); !ok || err != nil {
		t.Fatalf("open session: %v %v", ok, err)
	}
	if ok, _ := st.SessionValid("s2", t0); ok {
		t.Fatal("a session never opened is valid")
	}
	if ok, _ := st.SessionValid("s1", t0.Add(2*time.Hour)); ok {
		t.Fatal("an expired session is valid")
	}
	st.OpenSession("s3", t0.Add(time.Hour))
	if err := st.CloseSession("s3"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.SessionValid("s3", t0); ok {
		t.Fatal("a closed session is valid")
	}
}

func replay(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	w := 5 * time.Minute
	if first, err := st.FirstSignature("sig1", t0, t0, w); !first || err != nil {
		t.Fatalf("first: %v %v", first, err)
	}
	if first, err := st.FirstSignature("sig1", t0, t0.Add(time.Minute), w); first || err != nil {
		t.Fatalf("replayed inside the window: %v %v", first, err)
	}
	if first, _ := st.FirstSignature("sig2", t0, t0.Add(time.Minute), w); !first {
		t.Fatal("another signature is refused")
	}
}

// The dashboard's views read the same through either store (PostgreSQL
// sums across distributors in the database, the book one by one).
func dashboard(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	add(t, st, "D001", "South")
	add(t, st, "D002", "North")
	add(t, st, "D003", "North") // nothing uploaded
	d1 := cal.MustParse("2025-10-06")
	l1 := []wire.SalesLine{line("SI/1", d1, 1, "O1", "B1", "SKU1", 10, 1000), line("SI/1", d1, 2, "O1", "B1", "SKU2", 5, 2000)}
	l2 := []wire.SalesLine{line("SI/1", d1, 1, "O9", "B7", "SKU1", 4, 1000)}
	b1 := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: d1, PeriodTo: d1, CreatedAt: t0},
		SalesLines: l1, SKUs: []wire.SKU{{SKUCode: "SKU1", Name: "Soap", Brand: "Glow", Active: true}, {SKUCode: "SKU2", Name: "Paste", Brand: "FreshMint", Active: true}},
		Receipts:    []wire.PrimaryReceipt{{GRNNo: "G1", GRNDate: d1, LineNo: 1, SKUCode: "SKU1", Qty: 24, RatePaise: 700, TaxablePaise: 16800}},
		Stock:       []wire.StockLine{{Date: d1, SKUCode: "SKU1", Opening: 10, Received: 24, Sold: 10, Closing: 24, ClosingValuePaise: 16800}},
		Redemptions: []wire.Redemption{{RedemptionID: "R1", SchemeCode: "S10", InvoiceNo: "SI/1", InvoiceDate: d1, OutletCode: "O1", FreeQty: 1, ValuePaise: 700}}}
	b2 := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D002", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: d1, PeriodTo: d1, CreatedAt: t0}, SalesLines: l2}
	for _, b := range []*wire.Batch{b1, b2} {
		if _, _, err := st.Ingest(viaWire(t, b), t0); err != nil {
			t.Fatal(err)
		}
	}
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return t0 }})
	month := headoffice.Period{From: "2025-10-01", To: "2025-10-31"}
	sum, err := r.Summary(month)
	if err != nil {
		t.Fatal(err)
	}
	all := append(slices.Clone(l1), l2...)
	if sum.Distributors != 3 || sum.Secondary != salesSum(all) || sum.Primary.Taxable != 16800 || sum.SchemeRedemptions != 1 || sum.SchemeCostPaise != 700 || sum.StockQty != 24 || sum.StockValuePaise != 16800 {
		t.Errorf("summary: %+v", sum)
	}
	drill := func(q headoffice.DrillQuery) map[string]headoffice.DrillRow {
		t.Helper()
		q.Period = month
		rep, err := r.Drill(q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]headoffice.DrillRow{}
		for _, rw := range rep.Rows {
			out[rw.Key] = rw
		}
		return out
	}
	if rows := drill(headoffice.DrillQuery{By: "region"}); len(rows) != 2 || rows["South"].Secondary != salesSum(l1) || rows["South"].PrimaryPaise != 16800 || rows["North"].Secondary != salesSum(l2) {
		t.Errorf("by region: %+v", rows)
	}
	if rows := drill(headoffice.DrillQuery{By: "distributor", Region: "North"}); len(rows) != 2 || rows["D002"].Secondary != salesSum(l2) || rows["D003"].Secondary.Lines != 0 {
		t.Errorf("North by distributor: %+v", rows)
	}
	if rows := drill(headoffice.DrillQuery{By: "sku"}); len(rows) != 2 || rows["SKU1"].Secondary.Qty != 14 || rows["SKU1"].PrimaryPaise != 16800 || rows["SKU1"].Name != "Soap" {
		t.Errorf("by SKU: %+v", rows)
	}
	if rows := drill(headoffice.DrillQuery{By: "sku", Region: "South", Brand: "FreshMint"}); len(rows) != 1 || rows["SKU2"].Secondary.Qty != 5 {
		t.Errorf("South's FreshMint by SKU: %+v", rows)
	}
	if rows := drill(headoffice.DrillQuery{By: "brand"}); rows["Glow"].Secondary.Qty != 14 || rows["FreshMint"].Secondary.Qty != 5 {
		t.Errorf("by brand: %+v", rows)
	}
	if rows := drill(headoffice.DrillQuery{By: "beat"}); len(rows) != 2 || rows["D001/B1"].Secondary.Lines != 2 || rows["D002/B7"].Secondary.Lines != 1 {
		t.Errorf("by beat: %+v", rows)
	}
	if rows := drill(headoffice.DrillQuery{By: "outlet", Distributor: "D001"}); len(rows) != 1 || rows["O1"].Secondary.Lines != 2 {
		t.Errorf("D001 by outlet: %+v", rows)
	}
	cover, err := r.StockCover(month, 1)
	if err != nil || len(cover.Distributors) != 3 || cover.Distributors[0].Code != "D001" || cover.Distributors[0].StockQty != 24 || cover.Distributors[0].SoldQty != 10 || !cover.Distributors[0].Overstocked {
		t.Errorf("stock cover: %+v %v", cover, err)
	}
	// Any period: the month's cell where it holds more of the month than
	// it leaves out (from the 1st or not), the days otherwise; a
	// statement before the period counts for nothing.
	for _, c := range []struct {
		p    headoffice.Period
		last cal.Date
	}{{headoffice.Period{From: "2025-10-01", To: "2025-10-30"}, d1}, {headoffice.Period{From: "2025-10-03", To: "2025-10-30"}, d1},
		{headoffice.Period{From: "2025-10-01", To: "2025-10-06"}, d1}, {headoffice.Period{From: "2025-09-20", To: "2025-10-20"}, d1},
		{headoffice.Period{From: "2025-10-07", To: "2025-10-30"}, ""}, {headoffice.Period{From: "2025-10-01", To: "2025-10-05"}, ""}} {
		cover, err := r.StockCover(c.p, 1)
		d := cover.Distributors[0]
		if want := map[bool]money.Qty{true: 24, false: 0}[c.last != ""]; err != nil || d.Code != "D001" || d.StockDate != c.last || d.StockQty != want || d.SoldQty != want*10/24 {
			t.Errorf("stock cover over %+v: %+v %v", c.p, d, err)
		}
	}
	sch, err := r.Schemes(month)
	if err != nil || len(sch) != 1 || sch[0].SchemeCode != "S10" || sch[0].DistributorCode != "D001" || sch[0].CostPaise != 700 || sch[0].FreeQty != 1 {
		t.Errorf("schemes: %+v %v", sch, err)
	}
}

// A sales line, a receipt line and a redemption resent under their keys
// with other content keep the held rows and are listed, held beside sent,
// for the operator; the same rows resent unchanged are no conflict.
func conflicts(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	add(t, st, "D001", "South")
	add(t, st, "D002", "North")
	d1 := cal.MustParse("2025-10-06")
	sale := line("SI/1", d1, 1, "O1", "B1", "SKU1", 10, 1000)
	grn := wire.PrimaryReceipt{GRNNo: "G1", GRNDate: d1, LineNo: 1, SKUCode: "SKU1", Qty: 24, RatePaise: 700, TaxablePaise: 16800}
	red := wire.Redemption{RedemptionID: "R1", SchemeCode: "S10", InvoiceNo: "SI/1", InvoiceDate: d1, OutletCode: "O1", FreeQty: 1, ValuePaise: 700}
	send := func(code, id string, l wire.SalesLine, g wire.PrimaryReceipt, r wire.Redemption) wire.Ack {
		t.Helper()
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: id, Kind: wire.KindDelta, PeriodFrom: d1, PeriodTo: d1, CreatedAt: t0},
			SalesLines: []wire.SalesLine{l}, Receipts: []wire.PrimaryReceipt{g}, Redemptions: []wire.Redemption{r}}
		ack, _, err := st.Ingest(viaWire(t, b), t0)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	send("D001", "B1", sale, grn, red)
	send("D002", "B1", sale, grn, red)
	send("D001", "B2", sale, grn, red)
	if cs, err := st.Conflicts(""); err != nil || len(cs) != 0 {
		t.Fatalf("rows resent unchanged are conflicts: %+v %v", cs, err)
	}
	other, grn2, red2 := sale, grn, red
	other.Qty, other.TaxablePaise = 3, 3000
	grn2.Qty = 48
	red2.ValuePaise = 900
	if ack := send("D001", "B3", other, grn2, red2); ack.New[wire.PartSalesLines] != 0 || ack.New[wire.PartReceipts] != 0 || ack.New[wire.PartRedemptions] != 0 {
		t.Fatalf("a conflicting row is stored: %+v", ack)
	}
	cs, err := st.Conflicts("")
	if err != nil || len(cs) != 3 {
		t.Fatalf("conflicts: %+v %v", cs, err)
	}
	want := []struct{ part, key string }{{wire.PartReceipts, grn.Key()}, {wire.PartSalesLines, sale.Key()}, {wire.PartRedemptions, "R1"}}
	for i, c := range cs {
		if c.Code != "D001" || c.BatchID != "B3" || c.Part != want[i].part || c.RowKey != want[i].key || !c.ReceivedAt.Equal(t0) {
			t.Errorf("conflict %d: %+v", i, c)
		}
	}
	var held, sent wire.SalesLine
	if err := json.Unmarshal(cs[1].Held, &held); err != nil || json.Unmarshal(cs[1].Sent, &sent) != nil || held.Qty != 10 || sent.Qty != 3 {
		t.Errorf("sales line held %+v, sent %+v (%v)", held, sent, err)
	}
	var g1, g2 wire.PrimaryReceipt
	if json.Unmarshal(cs[0].Held, &g1) != nil || json.Unmarshal(cs[0].Sent, &g2) != nil || g1.Qty != 24 || g2.Qty != 48 {
		t.Errorf("receipt held %+v, sent %+v", g1, g2)
	}
	if got, _ := rollup(t, st, headoffice.RollSalesDist, "D001", d1, d1); got != salesSum([]wire.SalesLine{sale}) {
		t.Errorf("the held line is what the rollup counts: %+v", got)
	}
	if cs, err := st.Conflicts("D002"); err != nil || len(cs) != 0 {
		t.Errorf("D002's conflicts: %+v %v", cs, err)
	}
	if cs, err := st.Conflicts("D001"); err != nil || len(cs) != 3 {
		t.Errorf("D001's conflicts: %+v %v", cs, err)
	}
	// The distributor counts its conflicting sales lines and names the
	// last, what the freshness view shows the operator.
	if d, _, err := st.Distributor("D001"); err != nil || d.Conflicts != 1 || !strings.Contains(d.LastConflict, "batch B3") || !strings.Contains(d.LastConflict, "SI/1") {
		t.Errorf("D001 after a conflict: %d %q %v", d.Conflicts, d.LastConflict, err)
	}
	if d, _, err := st.Distributor("D002"); err != nil || d.Conflicts != 0 || d.LastConflict != "" {
		t.Errorf("D002 without a conflict: %d %q %v", d.Conflicts, d.LastConflict, err)
	}
	send("D001", "B4", sale, grn, red)
	if ds, err := st.Distributors(); err != nil || ds[0].Conflicts != 1 || !strings.Contains(ds[0].LastConflict, "batch B3") {
		t.Errorf("a clean batch after the conflict: %+v %v", ds, err)
	}
}

// Month cells stay the sum of the lines through restatements: a day sent
// again whole with a line more, a stock day replaced, an invoice cancelled
// (netting to zero), a line across the month's end, and two distributors of
// one region adding to the same region × SKU cells.
func restatements(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	add(t, st, "D001", "South")
	add(t, st, "D002", "South")
	add(t, st, "D003", "North")
	d1, d2, nov := cal.MustParse("2025-10-06"), cal.MustParse("2025-10-31"), cal.MustParse("2025-11-01")
	skus := []wire.SKU{{SKUCode: "SKU1", Name: "Soap", Brand: "Glow", Active: true}, {SKUCode: "SKU2", Name: "Paste", Brand: "FreshMint", Active: true}}
	send := func(code, id string, ls []wire.SalesLine, rc []wire.PrimaryReceipt, stock []wire.StockLine, reds []wire.Redemption) {
		t.Helper()
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: id, Kind: wire.KindDelta, PeriodFrom: d1, PeriodTo: nov, CreatedAt: t0},
			SalesLines: ls, Receipts: rc, Stock: stock, Redemptions: reds, SKUs: skus}
		if _, _, err := st.Ingest(viaWire(t, b), t0); err != nil {
			t.Fatal(err)
		}
	}
	day1 := []wire.SalesLine{line("SI/1", d1, 1, "O1", "B1", "SKU1", 10, 1000), line("SI/1", d1, 2, "O1", "B1", "SKU2", 5, 2000), line("SI/2", d1, 1, "O2", "B2", "SKU1", 3, 1000)}
	grn := []wire.PrimaryReceipt{{GRNNo: "G1", GRNDate: d1, LineNo: 1, SKUCode: "SKU1", Qty: 24, RatePaise: 700, TaxablePaise: 16800}}
	stock := func(day cal.Date, closing money.Qty, sold money.Qty) wire.StockLine {
		return wire.StockLine{Date: day, SKUCode: "SKU1", Opening: closing + sold, Sold: sold, Closing: closing, ClosingValuePaise: money.Paise(closing) * 700}
	}
	red := []wire.Redemption{{RedemptionID: "R1", SchemeCode: "S10", InvoiceNo: "SI/1", InvoiceDate: d1, OutletCode: "O1", FreeQty: 1, ValuePaise: 700}}
	send("D001", "B1", day1, grn, []wire.StockLine{stock(d1, 50, 13)}, red)
	// The day again, whole, with a line more; its stock restated.
	resent := append(slices.Clone(day1), line("SI/3", d1, 1, "O1", "B1", "SKU2", 2, 2000))
	send("D001", "B2", resent, grn, []wire.StockLine{stock(d1, 48, 15), stock(d2, 40, 8)}, red)
	// SI/2 cancelled; a line on the next month's first day.
	cx := line("SI/2", d1, 1, "O2", "B2", "SKU1", -3, 1000)
	cx.DocType, cx.RefInvoiceNo = wire.DocCancel, "SI/2"
	send("D001", "B3", []wire.SalesLine{cx, line("SI/4", nov, 1, "O1", "B1", "SKU1", 1, 1000)}, nil, nil, nil)
	send("D002", "B1", []wire.SalesLine{line("SI/1", d2, 1, "O7", "B7", "SKU1", 4, 1000)}, nil, nil, nil)
	send("D003", "B1", []wire.SalesLine{line("SI/1", d2, 1, "O9", "B9", "SKU2", 6, 2000)}, nil, nil, nil)

	oct := cal.Date("2025-10-01")
	months := func(r headoffice.Rollup, scope string, m cal.Date) map[string]headoffice.Sum {
		t.Helper()
		out := map[string]headoffice.Sum{}
		if err := st.ScanMonths(r, scope, m, m, func(month cal.Date, dim string, s headoffice.Sum) error {
			if month != m {
				return fmt.Errorf("month %s asked for %s", month, m)
			}
			c := out[dim]
			c.Add(s)
			out[dim] = c
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	linesOf := func(code string, m cal.Date) []wire.SalesLine {
		var out []wire.SalesLine
		if err := st.SalesLines(code, m, headoffice.MonthOf(m).AddDays(30), func(l wire.SalesLine) error {
			if headoffice.MonthOf(l.InvoiceDate) == m {
				out = append(out, l)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, m := range []cal.Date{oct, "2025-11-01"} {
		bySKU := map[string]map[string]headoffice.Sum{} // region → SKU → lines' sum
		for _, d := range []struct{ code, region string }{{"D001", "South"}, {"D002", "South"}, {"D003", "North"}} {
			ls := linesOf(d.code, m)
			if got := months(headoffice.RollSalesDist, d.code, m)[""]; got != salesSum(ls) {
				t.Errorf("%s %s sales month cell %+v, lines %+v", d.code, m, got, salesSum(ls))
			}
			if bySKU[d.region] == nil {
				bySKU[d.region] = map[string]headoffice.Sum{}
			}
			for _, l := range ls {
				c := salesSum([]wire.SalesLine{l})
				c.Invoices = 0
				sum := bySKU[d.region][l.SKUCode]
				sum.Add(c)
				bySKU[d.region][l.SKUCode] = sum
			}
			// Every month cell is the sum of its days.
			for _, r := range []headoffice.Rollup{headoffice.RollSalesDist, headoffice.RollPrimaryDist, headoffice.RollScheme, headoffice.RollSalesBeat, headoffice.RollSalesSalesman} {
				_, days := rollup(t, st, r, d.code, m, headoffice.MonthOf(m).AddDays(30))
				if got := months(r, d.code, m); fmt.Sprint(nonzero(got)) != fmt.Sprint(nonzero(days)) {
					t.Errorf("%s %s %s: months %+v, days %+v", d.code, m, r, got, days)
				}
			}
		}
		for region, want := range bySKU {
			if got := months(headoffice.RollSalesSKU, region, m); fmt.Sprint(nonzero(got)) != fmt.Sprint(nonzero(want)) {
				t.Errorf("%s %s by SKU: months %+v, lines %+v", region, m, got, want)
			}
		}
		// A region's twins are the sums of its distributors' month cells
		// (stock: their closings and daily rates).
		for region, codes := range map[string][]string{"South": {"D001", "D002"}, "North": {"D003"}} {
			for _, r := range []headoffice.Rollup{headoffice.RollSalesDist, headoffice.RollPrimaryDist, headoffice.RollScheme, headoffice.RollStockDist} {
				want := map[string]headoffice.Sum{}
				for _, code := range codes {
					for dim, c := range months(r, code, m) {
						if r == headoffice.RollStockDist {
							dim, c = "", headoffice.Sum{Lines: 1, Qty: c.Qty, Value: c.Value, Sold: c.Sold * 1000 / money.Qty(c.Lines)}
						}
						w := want[dim]
						w.Add(c)
						want[dim] = w
					}
				}
				if got := months(headoffice.RegionTwin(r), region, m); fmt.Sprint(nonzero(got)) != fmt.Sprint(nonzero(want)) {
					t.Errorf("%s %s %s: %+v, its distributors' %+v", region, m, headoffice.RegionTwin(r), got, want)
				}
			}
		}
	}
	// The cancelled invoice nets to nothing: O2's day is empty.
	if _, byOutlet := rollup(t, st, headoffice.RollSalesOutlet, "D001", d1, d1); byOutlet["B2\x1fO2"] != (headoffice.Sum{}) {
		t.Errorf("a cancelled invoice's outlet: %+v", byOutlet["B2\x1fO2"])
	}
	if got := months(headoffice.RollSalesDist, "D001", oct)[""]; got.Lines != 3 || got.Invoices != 2 || got.Taxable != 24000 {
		t.Errorf("D001's October: %+v", got)
	}
	if got := months(headoffice.RollPrimarySKU, "South", oct)["SKU1"]; got.Lines != 1 || got.Qty != 24 {
		t.Errorf("South's primary SKU1 (the GRN resent counts once): %+v", got)
	}
	if got := months(headoffice.RollScheme, "D001", oct)["S10"]; got.Lines != 1 || got.Value != 700 {
		t.Errorf("scheme month: %+v", got)
	}
	// Stock: the days reported, sold over them, the last day's closing.
	if got := months(headoffice.RollStockDist, "D001", oct); len(got) != 1 || got[string(d2)] != (headoffice.Sum{Lines: 2, Qty: 40, Sold: 23, Value: 28000}) {
		t.Errorf("stock month: %+v", got)
	}
	if got := months(headoffice.RollStockRegion, "South", oct)[""]; got != (headoffice.Sum{Lines: 1, Qty: 40, Sold: 11500, Value: 28000}) {
		t.Errorf("South's stock month (the day replaced taken out): %+v", got)
	}
	// Stock over a period starting after a reported day: October less the
	// 1st to the 6th (D001's replaced day, 15 sold) — 8 sold over 1 day.
	for _, p := range []headoffice.Period{{From: "2025-10-07", To: d2}, {From: "2025-10-07", To: "2025-11-15"}, {From: "2025-10-07", To: "2025-12-31"}} {
		cov, err := r0(st).StockCover(p, 0)
		if err != nil || cov.Distributors[0].StockDate != d2 || cov.Distributors[0].SoldQty != 8 || cov.Distributors[0].StockQty != 40 || *cov.Distributors[0].DaysOfCover != 5 {
			t.Errorf("cover over %+v: %+v %v", p, cov, err)
		}
	}
	if cov, err := r0(st).StockCover(headoffice.Period{From: "2025-10-07", To: "2025-10-30"}, 0); err != nil || cov.Distributors[0].StockDate != "" || cov.Distributors[0].SoldQty != 0 {
		t.Errorf("cover with no stock day inside: %+v %v", cov, err)
	}
	// Over most of a month, read after it (D001 reported the 31st): the
	// days inside, not the month's cell — the 6th's replaced statement.
	for _, p := range []headoffice.Period{{From: oct, To: "2025-10-30"}, {From: "2025-10-02", To: "2025-10-30"}} {
		cov, err := r0(st).StockCover(p, 0)
		if err != nil || cov.Distributors[0].StockDate != d1 || cov.Distributors[0].SoldQty != 15 || cov.Distributors[0].StockQty != 48 || *cov.Distributors[0].DaysOfCover != 3 {
			t.Errorf("cover over %+v: %+v %v", p, cov, err)
		}
	}
	// A region's day cells are the sums of its distributors' day cells, day
	// by day, after the resent day, the cancellation and the next month.
	for region, codes := range map[string][]string{"South": {"D001", "D002"}, "North": {"D003"}} {
		for _, r := range []headoffice.Rollup{headoffice.RollSalesDist, headoffice.RollPrimaryDist, headoffice.RollScheme, headoffice.RollSalesSKU, headoffice.RollPrimarySKU} {
			want, got := map[string]headoffice.Sum{}, map[string]headoffice.Sum{}
			into := func(m map[string]headoffice.Sum) func(cal.Date, string, headoffice.Sum) error {
				return func(day cal.Date, dim string, c headoffice.Sum) error {
					k := string(day) + "/" + dim
					w := m[k]
					w.Add(c)
					m[k] = w
					return nil
				}
			}
			for _, code := range codes {
				if err := st.ScanRollup(r, code, "2025-09-01", "2025-12-31", into(want)); err != nil {
					t.Fatal(err)
				}
			}
			if err := st.ScanRollup(headoffice.DayTwin(r), region, "2025-09-01", "2025-12-31", into(got)); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(nonzero(got)) != fmt.Sprint(nonzero(want)) {
				t.Errorf("%s %s: region days %+v, its distributors' %+v", region, headoffice.DayTwin(r), got, want)
			}
		}
	}
	// The national × SKU cells are the sums of the regions' cells, day by
	// day and month by month.
	for _, r := range []headoffice.Rollup{headoffice.RollSalesSKU, headoffice.RollPrimarySKU} {
		want, got := map[string]headoffice.Sum{}, map[string]headoffice.Sum{}
		wantM, gotM := map[string]headoffice.Sum{}, map[string]headoffice.Sum{}
		into := func(m map[string]headoffice.Sum) func(cal.Date, string, headoffice.Sum) error {
			return func(day cal.Date, dim string, c headoffice.Sum) error {
				k := string(day) + "/" + dim
				w := m[k]
				w.Add(c)
				m[k] = w
				return nil
			}
		}
		for _, region := range []string{"South", "North"} {
			if err := st.ScanRollup(headoffice.DayTwin(r), region, "2025-09-01", "2025-12-31", into(want)); err != nil {
				t.Fatal(err)
			}
			if err := st.ScanMonths(r, region, "2025-09-01", "2025-12-01", into(wantM)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.ScanRollup(headoffice.NationalTwin(r), headoffice.National, "2025-09-01", "2025-12-31", into(got)); err != nil {
			t.Fatal(err)
		}
		if err := st.ScanMonths(headoffice.NationalTwin(r), headoffice.National, "2025-09-01", "2025-12-01", into(gotM)); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(nonzero(got)) != fmt.Sprint(nonzero(want)) || len(nonzero(got)) == 0 {
			t.Errorf("%s: national days %+v, the regions' %+v", headoffice.NationalTwin(r), got, want)
		}
		if fmt.Sprint(nonzero(gotM)) != fmt.Sprint(nonzero(wantM)) || len(nonzero(gotM)) == 0 {
			t.Errorf("%s: national months %+v, the regions' %+v", headoffice.NationalTwin(r), gotM, wantM)
		}
	}
	brandOf := map[string]string{}
	for _, s := range skus {
		brandOf[s.SKUCode] = s.Brand
	}
	// Any range (whole months, edge days, no whole month at all) answers
	// the sum of the lines in it, nationally, by region, by SKU and by
	// brand, row by row (primary too: the GRN resent counts once).
	for _, p := range []headoffice.Period{{From: "2025-10-02", To: nov}, {From: "2025-09-20", To: "2025-11-30"}, {From: d1, To: d1}, {From: "2025-10-07", To: "2025-10-30"}, {From: oct, To: nov}, {From: "2025-10-02", To: d2}} {
		rows := func(by string) map[string]headoffice.DrillRow {
			t.Helper()
			rep, err := r0(st).Drill(headoffice.DrillQuery{Period: p, By: by})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]headoffice.DrillRow{}
			for _, rw := range rep.Rows {
				if rw.Secondary != (headoffice.Sum{}) || rw.PrimaryPaise != 0 {
					out[rw.Key] = headoffice.DrillRow{Key: rw.Key, Secondary: rw.Secondary, PrimaryPaise: rw.PrimaryPaise}
				}
			}
			return out
		}
		wantSKU, wantBrand := map[string]headoffice.DrillRow{}, map[string]headoffice.DrillRow{}
		addRow := func(m map[string]headoffice.DrillRow, k string, s headoffice.Sum, primary money.Paise) {
			rw := m[k]
			rw.Key = k
			rw.Secondary.Add(s)
			rw.PrimaryPaise += primary
			m[k] = rw
		}
		for _, code := range []string{"D001", "D002", "D003"} {
			if err := st.SalesLines(code, p.From, p.To, func(l wire.SalesLine) error {
				c := salesSum([]wire.SalesLine{l})
				c.Invoices = 0
				addRow(wantSKU, l.SKUCode, c, 0)
				addRow(wantBrand, brandOf[l.SKUCode], c, 0)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, g := range grn {
			if !g.GRNDate.Before(p.From) && !p.To.Before(g.GRNDate) {
				addRow(wantSKU, g.SKUCode, headoffice.Sum{}, g.TaxablePaise)
				addRow(wantBrand, brandOf[g.SKUCode], headoffice.Sum{}, g.TaxablePaise)
			}
		}
		// Beats and salesmen, nationally (code/beat) and for one
		// distributor, from its months and edge days.
		wantBeat, wantSalesman, wantD001 := map[string]headoffice.DrillRow{}, map[string]headoffice.DrillRow{}, map[string]headoffice.DrillRow{}
		for _, code := range []string{"D001", "D002", "D003"} {
			if err := st.SalesLines(code, p.From, p.To, func(l wire.SalesLine) error {
				c := salesSum([]wire.SalesLine{l})
				addRow(wantBeat, code+"/"+l.BeatCode, c, 0)
				addRow(wantSalesman, code+"/"+l.SalesmanCode, c, 0)
				if code == "D001" {
					addRow(wantD001, l.BeatCode, c, 0)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		if got := rows("beat"); fmt.Sprint(got) != fmt.Sprint(nonzeroRows(wantBeat)) {
			t.Errorf("by beat over %+v:\n got %+v\nlines %+v", p, got, wantBeat)
		}
		if got := rows("salesman"); fmt.Sprint(got) != fmt.Sprint(nonzeroRows(wantSalesman)) {
			t.Errorf("by salesman over %+v:\n got %+v\nlines %+v", p, got, wantSalesman)
		}
		rep, err := r0(st).Drill(headoffice.DrillQuery{Period: p, By: "beat", Distributor: "D001"})
		got := map[string]headoffice.DrillRow{}
		for _, rw := range rep.Rows {
			if rw.Secondary != (headoffice.Sum{}) {
				got[rw.Key] = rw
			}
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(nonzeroRows(wantD001)) {
			t.Errorf("D001 by beat over %+v:\n got %+v\nlines %+v (%v)", p, got, wantD001, err)
		}
		// Schemes by distributor: D001's one redemption, on the 6th.
		sch, err := r0(st).Schemes(p)
		in := !d1.Before(p.From) && !p.To.Before(d1)
		if err != nil || (in && (len(sch) != 1 || sch[0].DistributorCode != "D001" || sch[0].Redemptions != 1 || sch[0].CostPaise != 700)) || (!in && len(sch) != 0) {
			t.Errorf("schemes over %+v: %+v %v", p, sch, err)
		}
		if got := rows("sku"); fmt.Sprint(got) != fmt.Sprint(wantSKU) {
			t.Errorf("national by SKU over %+v:\n got %+v\nlines %+v", p, got, wantSKU)
		}
		if got := rows("brand"); fmt.Sprint(got) != fmt.Sprint(wantBrand) {
			t.Errorf("national by brand over %+v:\n got %+v\nlines %+v", p, got, wantBrand)
		}
	}
	for _, p := range []headoffice.Period{{From: "2025-10-02", To: nov}, {From: "2025-09-20", To: "2025-11-30"}, {From: d1, To: d1}, {From: "2025-10-07", To: "2025-10-30"}} {
		var in []wire.SalesLine
		for _, code := range []string{"D001", "D002", "D003"} {
			if err := st.SalesLines(code, p.From, p.To, func(l wire.SalesLine) error { in = append(in, l); return nil }); err != nil {
				t.Fatal(err)
			}
		}
		want := salesSum(in)
		sum, err := r0(st).Summary(p)
		if err != nil || sum.Secondary != want {
			t.Errorf("summary over %+v: %+v, lines %+v (%v)", p, sum.Secondary, want, err)
		}
		byRegion, err := r0(st).Drill(headoffice.DrillQuery{Period: p, By: "region"})
		if err != nil || byRegion.Total != want {
			t.Errorf("by region over %+v: %+v, lines %+v (%v)", p, byRegion.Total, want, err)
		}
		bySKU, err := r0(st).Drill(headoffice.DrillQuery{Period: p, By: "sku"})
		want.Invoices = 0
		if err != nil || bySKU.Total != want {
			t.Errorf("by SKU over %+v: %+v, lines %+v (%v)", p, bySKU.Total, want, err)
		}
	}
	// The dashboard reads the same over a month, days, or both.
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return t0 }})
	all := append(append(linesOf("D001", oct), linesOf("D002", oct)...), linesOf("D003", oct)...)
	for _, p := range []headoffice.Period{{From: oct, To: d2}, {From: "2025-10-02", To: d2}, {From: "2025-09-15", To: d2}} {
		sum, err := r.Summary(p)
		if err != nil || sum.Secondary != salesSum(all) || sum.StockQty != 40 || sum.Primary.Lines != 1 {
			t.Errorf("summary %+v: %+v %v", p, sum, err)
		}
		byRegion, err := r.Drill(headoffice.DrillQuery{Period: p, By: "region"})
		if err != nil || len(byRegion.Rows) != 2 || byRegion.Rows[0].Key != "South" || byRegion.Rows[0].Secondary.Invoices != 3 || byRegion.Rows[0].PrimaryPaise != 16800 || byRegion.Rows[1].Secondary.Taxable != 12000 {
			t.Errorf("by region over %+v: %+v %v", p, byRegion, err)
		}
		byDist, err := r.Drill(headoffice.DrillQuery{Period: p, By: "distributor", Region: "South"})
		if err != nil || len(byDist.Rows) != 2 || byDist.Rows[0].Key != "D001" || byDist.Rows[0].Secondary.Taxable != 24000 || byDist.Rows[1].Name != "Dist D002" {
			t.Errorf("South by distributor over %+v: %+v %v", p, byDist, err)
		}
		rep, err := r.Drill(headoffice.DrillQuery{Period: p, By: "sku", Region: "South"})
		if err != nil || len(rep.Rows) != 2 || rep.Total.Lines != 4 || rep.Total.Taxable != 28000 {
			t.Errorf("South by SKU over %+v: %+v %v", p, rep, err)
		}
		cov, err := r.StockCover(p, 0)
		if err != nil || cov.Distributors[0].StockDate != d2 || cov.Distributors[0].SoldQty != 23 || *cov.Distributors[0].DaysOfCover != 3 {
			t.Errorf("cover over %+v: %+v %v", p, cov, err)
		}
	}
}

func r0(st headoffice.Store) *headoffice.Receiver {
	return headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return t0 }})
}

// nonzeroRows leaves out the rows that net to nothing (a cancelled
// invoice's beat), as the drill does.
func nonzeroRows(m map[string]headoffice.DrillRow) map[string]headoffice.DrillRow {
	out := map[string]headoffice.DrillRow{}
	for k, v := range m {
		if v.Secondary != (headoffice.Sum{}) || v.PrimaryPaise != 0 {
			out[k] = v
		}
	}
	return out
}

func nonzero(m map[string]headoffice.Sum) map[string]headoffice.Sum {
	out := map[string]headoffice.Sum{}
	for k, v := range m {
		if v != (headoffice.Sum{}) {
			out[k] = v
		}
	}
	return out
}
