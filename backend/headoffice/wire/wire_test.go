package wire_test

import (
	"testing"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"
	"vitaran/backend/money"
)

func oneLargeDay() *wire.Batch {
	g := wiretest.NewGen("D001", 1)
	d := cal.MustParse("2025-10-06")
	lines, reds := g.Day(d, 300)
	var stock []wire.StockLine
	for i, s := range g.SKUs[:1500] {
		open := int64(100 + i%50)
		stock = append(stock, wire.StockLine{Date: d, SKUCode: s.SKUCode, ItemCode: s.ItemCode, Opening: mq(open), Received: mq(24), Sold: mq(10), Closing: mq(open + 14), ClosingValuePaise: s.MRPPaise.MulQty(mq(open + 14))})
	}
	return &wire.Batch{
		Manifest:    wire.Manifest{DistributorCode: "D001", BatchID: "D001-20251006-000001", Kind: wire.KindDelta, PeriodFrom: d, PeriodTo: d, CreatedAt: time.Date(2025, 10, 6, 18, 0, 0, 0, time.UTC)},
		SalesLines:  lines,
		Receipts:    g.Receipts(d, 40),
		Stock:       stock,
		Redemptions: reds,
	}
}

// One day of a large distributor — ~2,400 invoice lines with their scheme
// redemptions, a GRN and the stock statement of 1,500 SKUs — fits under the
// 150 KB bar on the
func TestOneLargeDayIsUnder150KB(t *testing.T) {
	b := oneLargeDay()
	body, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d sales lines, %d stock rows, %d redemptions: %d bytes on the wire", len(b.SalesLines), len(b.Stock), len(b.Redemptions), len(body))
	if len(b.SalesLines) < 2200 {
		t.Fatalf("the day has only %d lines; the bar is about 2,400", len(b.SalesLines))
	}
	if len(body) >= 150_000 {
		t.Fatalf("one day is %d bytes on the wire; the bar is < 150 KB", len(body))
	}
	back, err := wire.DecodeBatch(body, wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(back.SalesLines) != len(b.SalesLines) || back.SalesLines[17].TaxablePaise != b.SalesLines[17].TaxablePaise {
		t.Fatal("the day does not decode to what was encoded")
	}
}

func BenchmarkWireSizeOneDay(b *testing.B) {
	batch := oneLargeDay()
	var n int
	for b.Loop() {
		body, err := batch.Encode()
		if err != nil {
			b.Fatal(err)
		}
		n = len(body)
	}
	b.ReportMetric(float64(n), "wire-bytes")
	b.ReportMetric(float64(len(batch.SalesLines)), "sales-lines")
}

func mq(n int64) money.Qty { return money.Qty(n) }
