package upload

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// memSource is a Source over a few fixed rows, standing in for billing.
type memSource struct {
	stock   map[cal.Date][]wire.StockLine
	outlets []wire.Outlet
	skus    []wire.SKU
	lines   []wire.SalesLine
}

func (m *memSource) StockStatement(_ *book.Tx, d cal.Date) ([]wire.StockLine, error) {
	return m.stock[d], nil
}
func (m *memSource) Outlets(_ *book.Tx, fn func(wire.Outlet) error) error {
	return each(m.outlets, fn)
}
func (m *memSource) SKUs(_ *book.Tx, fn func(wire.SKU) error) error { return each(m.skus, fn) }
func (m *memSource) SalesLines(_ *book.Tx, from, to cal.Date, fn func(wire.SalesLine) error) error {
	for _, l := range m.lines {
		if l.InvoiceDate >= from && l.InvoiceDate <= to {
			if err := fn(l); err != nil {
				return err
			}
		}
	}
	return nil
}
func (m *memSource) PrimaryReceipts(*book.Tx, cal.Date, cal.Date, func(wire.PrimaryReceipt) error) error {
	return nil
}
func (m *memSource) Redemptions(*book.Tx, cal.Date, cal.Date, func(wire.Redemption) error) error {
	return nil
}

func each[T any](rows []T, fn func(T) error) error {
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func mq(n int64) money.Qty { return money.Qty(n) }

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// oneLargeDay is one day of a large distributor (as the server's wire tests have it).
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
