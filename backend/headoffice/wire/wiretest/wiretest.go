// Package wiretest holds test support shared by the head-office packages'
// tests: a deterministic distributor that makes wire rows, and a signed
// upload poster. Only tests import it, so it is never linked into a binary.
package wiretest

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/money"
)

// Distributor is a large distributor, deterministic: 3,000 SKUs, 5,000 outlets, 120 beats,
// 20 salesmen, 300 invoices a day of about 8 lines.
type Distributor struct {
	rng     *rand.Rand
	Code    string
	SKUs    []wire.SKU
	Outlets []wire.Outlet
	invNo   int
	grnNo   int
	redNo   int
}

// NewGen makes the distributor code, its masters drawn from seed.
func NewGen(code string, seed uint64) *Distributor {
	g := &Distributor{rng: rand.New(rand.NewPCG(seed, 7)), Code: code}
	brands := []string{"Sunlite", "Glow", "Crunch", "FreshMint", "Aqua"}
	for i := range 3000 {
		g.SKUs = append(g.SKUs, wire.SKU{SKUCode: fmt.Sprintf("BR%05d", i+1), ItemCode: fmt.Sprintf("IT%04d", i+1), Name: fmt.Sprintf("Item %d 100g", i+1), Brand: brands[i%len(brands)], Category: "FMCG", HSN: "34011190", GSTRateBP: 500, MRPPaise: money.Paise(1000 + g.rng.IntN(40000)), CaseSize: 24, Active: true})
	}
	for i := range 5000 {
		g.Outlets = append(g.Outlets, wire.Outlet{OutletCode: fmt.Sprintf("OUT%05d", i+1), Name: fmt.Sprintf("Shop %d", i+1), BeatCode: fmt.Sprintf("BT%03d", i%120+1), SalesmanCode: fmt.Sprintf("SM%02d", i%20+1), Channel: "grocery", StateCode: "33", Active: true})
	}
	return g
}

// Day makes a day's invoices: lines, redemptions.
func (g *Distributor) Day(d cal.Date, invoices int) ([]wire.SalesLine, []wire.Redemption) {
	var lines []wire.SalesLine
	var reds []wire.Redemption
	for range invoices {
		g.invNo++
		o := g.Outlets[g.rng.IntN(len(g.Outlets))]
		no := fmt.Sprintf("SI/25-26/%05d", g.invNo)
		lat, lng := 13.0+float64(g.rng.IntN(100000))/1e5, 80.0+float64(g.rng.IntN(100000))/1e5
		taken := fmt.Sprintf("%sT%02d:%02d:00+05:30", d, 9+g.rng.IntN(9), g.rng.IntN(60))
		n := 3 + g.rng.IntN(11)
		for ln := 1; ln <= n; ln++ {
			s := g.SKUs[g.rng.IntN(len(g.SKUs))]
			qty := money.Qty(1 + g.rng.IntN(24))
			rate := s.MRPPaise * 80 / 100
			gross := rate.MulQty(qty)
			l := wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: no, InvoiceDate: d, LineNo: ln, OutletCode: o.OutletCode, BeatCode: o.BeatCode, SalesmanCode: o.SalesmanCode, SKUCode: s.SKUCode, ItemCode: s.ItemCode, BatchNo: fmt.Sprintf("B%03d", g.rng.IntN(40)), Qty: qty, RatePaise: rate, OrderID: fmt.Sprintf("ORD%06d", g.invNo), OrderLat: lat, OrderLng: lng, OrderTakenAt: taken}
			if ln%4 == 0 {
				l.SchemeCodes = []string{"SCH-10+1"}
				l.FreeQty = qty / 10
				l.DiscountPaise = gross.MulRate(500)
				g.redNo++
				reds = append(reds, wire.Redemption{RedemptionID: fmt.Sprintf("R%07d", g.redNo), SchemeCode: "SCH-10+1", InvoiceNo: no, InvoiceDate: d, LineNo: ln, OutletCode: o.OutletCode, SKUCode: s.SKUCode, FreeQty: l.FreeQty, DiscountPaise: l.DiscountPaise, ValuePaise: l.DiscountPaise + rate.MulQty(l.FreeQty)})
			}
			l.TaxablePaise = gross - l.DiscountPaise
			l.CGSTPaise = l.TaxablePaise.MulRate(250)
			l.SGSTPaise = l.CGSTPaise
			lines = append(lines, l)
		}
	}
	return lines, reds
}

// Receipts makes one goods receipt of n lines dated d.
func (g *Distributor) Receipts(d cal.Date, n int) []wire.PrimaryReceipt {
	g.grnNo++
	var out []wire.PrimaryReceipt
	for i := 1; i <= n; i++ {
		s := g.SKUs[g.rng.IntN(len(g.SKUs))]
		qty := money.Qty(24 * (1 + g.rng.IntN(10)))
		rate := s.MRPPaise * 70 / 100
		tx := rate.MulQty(qty)
		out = append(out, wire.PrimaryReceipt{GRNNo: fmt.Sprintf("GRN%05d", g.grnNo), GRNDate: d, LineNo: i, BrandInvoice: fmt.Sprintf("BI%06d", g.grnNo), BrandInvDate: d, SKUCode: s.SKUCode, ItemCode: s.ItemCode, Qty: qty, RatePaise: rate, TaxablePaise: tx, CGSTPaise: tx.MulRate(250), SGSTPaise: tx.MulRate(250)})
	}
	return out
}

// PostSigned posts body to the receiver at url as distributor code, with
// the timestamp and signature given (right or wrong).
func PostSigned(t *testing.T, url, code, ts, sig string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+wire.UploadPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", wire.ContentType)
	req.Header.Set(wire.HeaderDistributor, code)
	req.Header.Set(wire.HeaderTimestamp, ts)
	req.Header.Set(wire.HeaderSignature, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}
