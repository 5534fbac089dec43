package wire

import (
	"fmt"
	"math/rand/v2"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// A large distributor, deterministic: 3,000 SKUs, 5,000 outlets, 120 beats,
// 20 salesmen, 300 invoices a day of about 8 lines.
type genDistributor struct {
	rng     *rand.Rand
	code    string
	skus    []SKU
	outlets []Outlet
	invNo   int
	grnNo   int
	redNo   int
}

func newGen(code string, seed uint64) *genDistributor {
	g := &genDistributor{rng: rand.New(rand.NewPCG(seed, 7)), code: code}
	brands := []string{"Sunlite", "Glow", "Crunch", "FreshMint", "Aqua"}
	for i := range 3000 {
		g.skus = append(g.skus, SKU{SKUCode: fmt.Sprintf("BR%05d", i+1), ItemCode: fmt.Sprintf("IT%04d", i+1), Name: fmt.Sprintf("Item %d 100g", i+1), Brand: brands[i%len(brands)], Category: "FMCG", HSN: "34011190", GSTRateBP: 500, MRPPaise: money.Paise(1000 + g.rng.IntN(40000)), CaseSize: 24, Active: true})
	}
	for i := range 5000 {
		g.outlets = append(g.outlets, Outlet{OutletCode: fmt.Sprintf("OUT%05d", i+1), Name: fmt.Sprintf("Shop %d", i+1), BeatCode: fmt.Sprintf("BT%03d", i%120+1), SalesmanCode: fmt.Sprintf("SM%02d", i%20+1), Channel: "grocery", StateCode: "33", Active: true})
	}
	return g
}

// day makes a day's invoices: lines, redemptions.
func (g *genDistributor) day(d cal.Date, invoices int) ([]SalesLine, []Redemption) {
	var lines []SalesLine
	var reds []Redemption
	for range invoices {
		g.invNo++
		o := g.outlets[g.rng.IntN(len(g.outlets))]
		no := fmt.Sprintf("SI/25-26/%05d", g.invNo)
		lat, lng := 13.0+float64(g.rng.IntN(100000))/1e5, 80.0+float64(g.rng.IntN(100000))/1e5
		taken := fmt.Sprintf("%sT%02d:%02d:00+05:30", d, 9+g.rng.IntN(9), g.rng.IntN(60))
		n := 3 + g.rng.IntN(11)
		for ln := 1; ln <= n; ln++ {
			s := g.skus[g.rng.IntN(len(g.skus))]
			qty := money.Qty(1 + g.rng.IntN(24))
			rate := s.MRPPaise * 80 / 100
			gross := rate.MulQty(qty)
			l := SalesLine{DocType: DocInvoice, InvoiceNo: no, InvoiceDate: d, LineNo: ln, OutletCode: o.OutletCode, BeatCode: o.BeatCode, SalesmanCode: o.SalesmanCode, SKUCode: s.SKUCode, ItemCode: s.ItemCode, BatchNo: fmt.Sprintf("B%03d", g.rng.IntN(40)), Qty: qty, RatePaise: rate, OrderID: fmt.Sprintf("ORD%06d", g.invNo), OrderLat: lat, OrderLng: lng, OrderTakenAt: taken}
			if ln%4 == 0 {
				l.SchemeCodes = []string{"SCH-10+1"}
				l.FreeQty = qty / 10
				l.DiscountPaise = gross.MulRate(500)
				g.redNo++
				reds = append(reds, Redemption{RedemptionID: fmt.Sprintf("R%07d", g.redNo), SchemeCode: "SCH-10+1", InvoiceNo: no, InvoiceDate: d, LineNo: ln, OutletCode: o.OutletCode, SKUCode: s.SKUCode, FreeQty: l.FreeQty, DiscountPaise: l.DiscountPaise, ValuePaise: l.DiscountPaise + rate.MulQty(l.FreeQty)})
			}
			l.TaxablePaise = gross - l.DiscountPaise
			l.CGSTPaise = l.TaxablePaise.MulRate(250)
			l.SGSTPaise = l.CGSTPaise
			lines = append(lines, l)
		}
	}
	return lines, reds
}

func (g *genDistributor) receipts(d cal.Date, n int) []PrimaryReceipt {
	g.grnNo++
	var out []PrimaryReceipt
	for i := 1; i <= n; i++ {
		s := g.skus[g.rng.IntN(len(g.skus))]
		qty := money.Qty(24 * (1 + g.rng.IntN(10)))
		rate := s.MRPPaise * 70 / 100
		tx := rate.MulQty(qty)
		out = append(out, PrimaryReceipt{GRNNo: fmt.Sprintf("GRN%05d", g.grnNo), GRNDate: d, LineNo: i, BrandInvoice: fmt.Sprintf("BI%06d", g.grnNo), BrandInvDate: d, SKUCode: s.SKUCode, ItemCode: s.ItemCode, Qty: qty, RatePaise: rate, TaxablePaise: tx, CGSTPaise: tx.MulRate(250), SGSTPaise: tx.MulRate(250)})
	}
	return out
}

func mq(n int64) money.Qty { return money.Qty(n) }
