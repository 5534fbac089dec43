package headoffice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// BenchmarkIngest measures what the receiver does with a signed batch once
// it has the body: verify the signature, decode and check every part, and
// store rows and rollups in one transaction (fsync included). Each
// iteration is one 10,000-line batch from a different distributor (with
// its ~2,300 scheme redemptions; lines/s counts every row of both).
//
// cpu-ms/op and lines/cpu-s are the process's CPU time (user + system,
// setup between iterations included, so a little pessimistic): on a shared
// 2-core PC they say what the receiver costs when wall time is crowded out.
func BenchmarkIngest(b *testing.B) {
	st, err := OpenStore(b.TempDir(), book.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	g := wiretest.NewGen("D", 3)
	var lines []wire.SalesLine
	var reds []wire.Redemption
	for d := cal.Date("2025-10-01"); len(lines) < 10_000; d = d.AddDays(1) {
		l, r := g.Day(d, 300)
		lines, reds = append(lines, l...), append(reds, r...)
	}
	batch := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: "2025-10-01", PeriodTo: "2025-10-05", CreatedAt: time.Now()}, SalesLines: lines[:10_000], Redemptions: reds}
	body, err := batch.Encode()
	if err != nil {
		b.Fatal(err)
	}
	nl := bytes.IndexByte(body, '\n')
	parts := body[nl+1:]
	key := wire.NewKey()
	rows := batch.Lines()
	b.ResetTimer()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		b.StopTimer()
		i++
		code := "D" + strconv.Itoa(i)
		if err := st.AddDistributor(Distributor{Code: code, Region: "South", Key: key}); err != nil {
			b.Fatal(err)
		}
		m := batch.Manifest
		m.DistributorCode, m.BatchID = code, code+"-1"
		head, _ := json.Marshal(&m)
		req := append(append(head, '\n'), parts...)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		sig := wire.Sign(key, ts, req)
		b.StartTimer()

		if !wire.ValidSignature(key, ts, req, sig) {
			b.Fatal("signature")
		}
		dec, err := wire.DecodeBatch(req, wire.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		ack, _, err := st.Ingest(dec, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if ack.New[wire.PartSalesLines] != len(batch.SalesLines) {
			b.Fatalf("ack %v", ack)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "lines/cpu-s")
	}
}

func TestIngestKeepsRollupsEqualToRawLines(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: wire.NewKey()})
	g := wiretest.NewGen("D001", 5)
	var want Sum
	for i, d := range []cal.Date{"2025-10-06", "2025-10-07"} {
		lines, reds := g.Day(d, 50)
		// A return of the first line, as a negative line.
		r := lines[0]
		r.DocType, r.RefInvoiceNo, r.InvoiceNo = wire.DocReturn, r.InvoiceNo, fmt.Sprintf("CN%d", i)
		r.Qty, r.FreeQty, r.TaxablePaise, r.CGSTPaise, r.SGSTPaise, r.DiscountPaise = -r.Qty, -r.FreeQty, -r.TaxablePaise, -r.CGSTPaise, -r.SGSTPaise, -r.DiscountPaise
		lines = append(lines, r)
		for j := range lines {
			want.Add(salesSum(&lines[j]))
		}
		// The second batch resends the first's lines too (a full refresh):
		// they are counted once.
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B" + strconv.Itoa(i), Kind: wire.KindDelta, PeriodFrom: d, PeriodTo: d, CreatedAt: time.Now()}, SalesLines: lines, Redemptions: reds}
		body, _ := b.Encode()
		dec, err := wire.DecodeBatch(body, wire.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Ingest(dec, time.Now()); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			again := *b
			again.Manifest.BatchID, again.Manifest.Kind = "FULL", wire.KindFull
			body, _ := again.Encode()
			dec, _ := wire.DecodeBatch(body, wire.Limits{})
			ack, _, err := st.Ingest(dec, time.Now())
			if err != nil || ack.New[wire.PartSalesLines] != 0 || ack.Received[wire.PartSalesLines] != len(lines) {
				t.Fatalf("resent lines: %+v %v", ack, err)
			}
		}
	}
	for _, roll := range []Rollup{RollSalesDist, RollSalesBeat, RollSalesOutlet, RollSalesSalesman, RollSalesSKU} {
		var got Sum
		st.ScanRollup(roll, "D001", "2025-10-01", "2025-10-31", func(_ cal.Date, _ string, s Sum) error { got.Add(s); return nil })
		w := want
		if roll == RollSalesSKU {
			w.Invoices = 0 // an invoice has many SKUs: none counted per SKU
		}
		if got != w {
			t.Errorf("rollup %s sums to %+v; the lines to %+v", roll, got, w)
		}
	}
}
