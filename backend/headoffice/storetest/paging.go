package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/money"
)

// Every list the dashboard answers pages the same through either store:
// the pages, read one after another at any size, are the whole list in
// the same order (largest first, ties by code), and every page carries the
// count and the totals of the whole list, equal to the paisa to the sum
// over all the pages.
func paging(t *testing.T, st headoffice.Store) {
	closeAtEnd(t, st)
	SeedPaging(t, st)
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return t0 }})
	periods := []headoffice.Period{{From: "2025-10-01", To: "2025-10-31"}, {From: "2025-10-02", To: "2025-10-31"}}

	pagingChecks(t, st, r, periods)
}

// SeedPaging registers seven distributors in two regions and uploads one
// day's sales, primary, stock and redemptions for five of them, with ties
// in value on purpose (the lists' order breaks them by code).
func SeedPaging(t *testing.T, st headoffice.Store) {
	t.Helper()
	d1 := cal.MustParse("2025-10-06")
	// Ties on purpose: D001 and D002 sell 10,000 each, D003 and D006
	// 5,000; D004 and D007 nothing.
	sales := map[string]int64{"D001": 10, "D002": 10, "D003": 5, "D005": 20, "D006": 5}
	for i := 1; i <= 7; i++ {
		code := fmt.Sprintf("D%03d", i)
		region := "South"
		if i > 4 {
			region = "North"
		}
		add(t, st, code, region)
		qty, ok := sales[code]
		if !ok {
			continue
		}
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: d1, PeriodTo: d1, CreatedAt: t0},
			SKUs: []wire.SKU{{SKUCode: "SKU1", Name: "Soap", Brand: "Glow", Active: true}, {SKUCode: "SKU2", Name: "Paste", Brand: "FreshMint", Active: true},
				{SKUCode: "SKU3", Name: "Oil", Brand: "Glow", Active: true}},
			SalesLines: []wire.SalesLine{line("SI/1", d1, 1, "O1", "B1", "SKU1", qty, 1000), line("SI/1", d1, 2, "O2", "B2", "SKU2", qty/5, 1000),
				line("SI/2", d1, 1, "O3", "B2", "SKU3", 1, 1000)},
			Receipts: []wire.PrimaryReceipt{{GRNNo: "G1", GRNDate: d1, LineNo: 1, SKUCode: "SKU1", Qty: money.Qty(qty), RatePaise: 700, TaxablePaise: money.Paise(qty) * 700}},
			Stock:    []wire.StockLine{{Date: d1, SKUCode: "SKU1", Opening: money.Qty(qty * 4), Closing: money.Qty(qty * 3), ClosingValuePaise: money.Paise(qty) * 2100, Sold: money.Qty(qty)}},
			// R1 is on the invoice; R2 and R3 (on no line) are leakage.
			Redemptions: []wire.Redemption{
				{RedemptionID: "R1", SchemeCode: "S1", InvoiceNo: "SI/1", InvoiceDate: d1, LineNo: 1, OutletCode: "O1", ValuePaise: money.Paise(qty) * 100},
				{RedemptionID: "R2", SchemeCode: "S2", InvoiceNo: "SI/9", InvoiceDate: d1, LineNo: 1, OutletCode: "O1", ValuePaise: 500},
				{RedemptionID: "R3", SchemeCode: "S3", InvoiceNo: "SI/9", InvoiceDate: d1, LineNo: 2, OutletCode: "O2", ValuePaise: money.Paise(qty) * 30},
			}}
		b.SalesLines[0].SchemeCodes = []string{"S1"}
		if _, _, err := st.Ingest(viaWire(t, b), t0); err != nil {
			t.Fatal(err)
		}
	}
}

func pagingChecks(t *testing.T, st headoffice.Store, r *headoffice.Receiver, periods []headoffice.Period) {
	for _, p := range periods {
		// The national list by distributor, pinned: both stores order it so.
		all, err := r.Drill(headoffice.DrillQuery{Period: p, By: "distributor"})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, rw := range all.Rows {
			keys = append(keys, rw.Key)
		}
		if got := strings.Join(keys, " "); got != "D005 D001 D002 D003 D006 D004 D007" || all.TotalRows != 7 || all.Totals["taxable_paise"] != 65000 || all.Totals["primary_taxable_paise"] != 50*700 {
			t.Errorf("by distributor over %+v: %s, %d rows, totals %v", p, got, all.TotalRows, all.Totals)
		}
		sch, err := r.SchemesOf(headoffice.SchemeQuery{Period: p})
		if err != nil {
			t.Fatal(err)
		}
		keys = keys[:0]
		for _, rw := range sch.Rows {
			keys = append(keys, fmt.Sprintf("%s/%s:%d", rw.SchemeCode, rw.DistributorCode, rw.CostPaise))
		}
		if got, want := strings.Join(keys, " "), "S1/D005:2000 S1/D001:1000 S1/D002:1000 S3/D005:600 S1/D003:500 S1/D006:500 S2/D001:500 S2/D002:500 S2/D003:500 S2/D005:500 S2/D006:500 S3/D001:300 S3/D002:300 S3/D003:150 S3/D006:150"; got != want {
			t.Errorf("schemes over %+v:\n got %s\nwant %s", p, got, want)
		}
		for _, q := range []headoffice.DrillQuery{{By: "region"}, {By: "distributor"}, {By: "distributor", Region: "South"}, {By: "beat"}, {By: "salesman"},
			{By: "outlet", Distributor: "D001"}, {By: "brand"}, {By: "sku"}, {By: "sku", Brand: "Glow"}, {By: "distributor", Q: "d00"}} {
			q.Period = p
			whole, err := r.Drill(q)
			if err != nil {
				t.Fatal(err)
			}
			pages(t, fmt.Sprintf("drill %+v", q), whole.TotalRows, whole.Rows, whole.Totals, func(pg headoffice.Page) (any, int, map[string]int64) {
				q.Page = pg
				rep, err := r.Drill(q)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Total != whole.Total || rep.Offset != pg.Offset || rep.Limit != pg.Limit {
					t.Errorf("drill %+v page %+v: total %+v, whole %+v", q, pg, rep.Total, whole.Total)
				}
				return rep.Rows, rep.TotalRows, rep.Totals
			}, func(rows any) map[string]int64 {
				var s headoffice.Sum
				var primary money.Paise
				for _, rw := range rows.([]headoffice.DrillRow) {
					s.Add(rw.Secondary)
					primary += rw.PrimaryPaise
				}
				m := sumMap(s)
				m["primary_taxable_paise"] = int64(primary)
				return m
			})
		}
		for _, by := range []string{"", "scheme", "distributor"} {
			q := headoffice.SchemeQuery{Period: p, By: by}
			whole, err := r.SchemesOf(q)
			if err != nil {
				t.Fatal(err)
			}
			pages(t, "schemes by "+by, whole.TotalRows, whole.Rows, whole.Totals, func(pg headoffice.Page) (any, int, map[string]int64) {
				q.Page = pg
				rep, err := r.SchemesOf(q)
				if err != nil {
					t.Fatal(err)
				}
				return rep.Rows, rep.TotalRows, rep.Totals
			}, func(rows any) map[string]int64 {
				m := map[string]int64{"redemptions": 0, "free_qty": 0, "discount_paise": 0, "cost_paise": 0}
				for _, s := range rows.([]headoffice.SchemeRow) {
					m["redemptions"] += s.Redemptions
					m["free_qty"] += int64(s.FreeQty)
					m["discount_paise"] += int64(s.DiscountPaise)
					m["cost_paise"] += int64(s.CostPaise)
				}
				return m
			})
		}
		for _, th := range []int{0, 2} {
			q := headoffice.StockQuery{Period: p, Threshold: th}
			whole, err := r.StockCoverOf(q)
			if err != nil {
				t.Fatal(err)
			}
			pages(t, fmt.Sprintf("stock cover %+v", q), whole.TotalRows, whole.Distributors, whole.Totals, func(pg headoffice.Page) (any, int, map[string]int64) {
				q.Page = pg
				rep, err := r.StockCoverOf(q)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Overstocked != whole.Overstocked {
					t.Errorf("stock cover page %+v: %d overstocked, the whole list %d", pg, rep.Overstocked, whole.Overstocked)
				}
				return rep.Distributors, rep.TotalRows, rep.Totals
			}, func(rows any) map[string]int64 {
				m := map[string]int64{"distributors": 0, "overstocked": 0, "stock_qty": 0, "stock_value_paise": 0, "sold_qty": 0}
				for _, c := range rows.([]headoffice.Cover) {
					m["distributors"]++
					if c.Overstocked {
						m["overstocked"]++
					}
					m["stock_qty"] += int64(c.StockQty)
					m["stock_value_paise"] += int64(c.StockValuePaise)
					m["sold_qty"] += int64(c.SoldQty)
				}
				return m
			})
		}
	}

	// The claims' three lists, each paged on its own.
	whole, err := headoffice.CheckClaims(st, nil, "2025-10-01", "2025-10-31")
	if err != nil {
		t.Fatal(err)
	}
	if whole.Totals["flagged"] != 10 || whole.Pages["flags"].TotalRows != 10 || whole.Flags[0].LeakagePaise != 600 || whole.Flags[0].DistributorCode != "D005" ||
		whole.Totals["leakage_paise"] != 5*500+50*30 || whole.Totals["redemptions"] != 15 {
		t.Errorf("claims: totals %v, pages %v, first flag %+v", whole.Totals, whole.Pages, whole.Flags[0])
	}
	leak := func(rows any) map[string]int64 {
		m := map[string]int64{"redemptions": 0, "flagged": 0, "claimed_paise": 0, "leakage_paise": 0}
		for _, l := range rows.([]headoffice.LeakageTotal) {
			m["redemptions"] += int64(l.Redemptions)
			m["flagged"] += int64(l.Flagged)
			m["claimed_paise"] += int64(l.ClaimedPaise)
			m["leakage_paise"] += int64(l.LeakagePaise)
		}
		return m
	}
	pages(t, "claims by scheme", len(whole.ByScheme), whole.ByScheme, whole.Totals, func(pg headoffice.Page) (any, int, map[string]int64) {
		c := whole.Paged(headoffice.ClaimPages{ByScheme: pg})
		return c.ByScheme, c.Pages["by_scheme"].TotalRows, c.Totals
	}, leak)
	pages(t, "claims by distributor", len(whole.ByDistributor), whole.ByDistributor, whole.Totals, func(pg headoffice.Page) (any, int, map[string]int64) {
		c := whole.Paged(headoffice.ClaimPages{ByDistributor: pg})
		return c.ByDistributor, c.Pages["by_distributor"].TotalRows, c.Totals
	}, leak)
	pages(t, "claim flags", len(whole.Flags), whole.Flags, map[string]int64{"flagged": whole.Totals["flagged"], "leakage_paise": whole.Totals["leakage_paise"]},
		func(pg headoffice.Page) (any, int, map[string]int64) {
			c := whole.Paged(headoffice.ClaimPages{Flags: pg})
			return c.Flags, c.Pages["flags"].TotalRows, map[string]int64{"flagged": c.Totals["flagged"], "leakage_paise": c.Totals["leakage_paise"]}
		}, func(rows any) map[string]int64 {
			m := map[string]int64{"flagged": 0, "leakage_paise": 0}
			for _, f := range rows.([]headoffice.ClaimFlag) {
				m["flagged"]++
				m["leakage_paise"] += int64(f.LeakagePaise)
			}
			return m
		})
}

// pages reads a list page by page at sizes 1, 2 and 3 and checks the pages
// joined are whole (rows, in order), each page's count is total and its
// totals are totals, and totals are sum over every row.
func pages[T any](t *testing.T, what string, total int, whole []T, totals map[string]int64, page func(headoffice.Page) (any, int, map[string]int64), sum func(any) map[string]int64) {
	t.Helper()
	if total != len(whole) {
		t.Errorf("%s: total_rows %d, %d rows", what, total, len(whole))
	}
	if got := sum(whole); !reflect.DeepEqual(got, totals) {
		t.Errorf("%s: totals %v, the rows sum to %v", what, totals, got)
	}
	for size := 1; size <= 3; size++ {
		var joined []T
		for off := 0; off < len(whole)+size; off += size {
			rows, n, tt := page(headoffice.Page{Limit: size, Offset: off})
			got := rows.([]T)
			if len(got) > size || n != total || !reflect.DeepEqual(tt, totals) {
				t.Errorf("%s: page %d+%d: %d rows, total_rows %d (want %d), totals %v (want %v)", what, off, size, len(got), n, total, tt, totals)
			}
			joined = append(joined, got...)
		}
		if len(joined) != len(whole) || (len(whole) > 0 && !reflect.DeepEqual(joined, whole)) {
			t.Errorf("%s: pages of %d joined:\n%v\nthe whole list:\n%v", what, size, joined, whole)
		}
	}
}

func sumMap(s headoffice.Sum) map[string]int64 {
	return map[string]int64{"lines": s.Lines, "invoices": s.Invoices, "qty": int64(s.Qty), "free_qty": int64(s.FreeQty),
		"discount_paise": int64(s.Discount), "taxable_paise": int64(s.Taxable), "tax_paise": int64(s.Tax)}
}
