package headoffice

import (
	"strconv"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// BenchmarkDashboardMonth measures what a head-office user waits for on a
// month of one large distributor (30 days of ~2,400 lines and their
// redemptions, one batch a day): the drill by SKU and by outlet, and the
// claims check, which reads every raw line of the month.
func BenchmarkDashboardMonth(b *testing.B) {
	st, err := OpenStore(b.TempDir(), book.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: wire.NewKey()})
	g := wiretest.NewGen("D001", 11)
	lines := 0
	for i, d := 0, cal.Date("2025-10-01"); i < 30; i, d = i+1, d.AddDays(1) {
		l, r := g.Day(d, 300)
		lines += len(l)
		batch := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B" + strconv.Itoa(i), Kind: wire.KindDelta, PeriodFrom: d, PeriodTo: d, CreatedAt: time.Now()}, SalesLines: l, Redemptions: r}
		body, _ := batch.Encode()
		dec, err := wire.DecodeBatch(body, wire.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := st.Ingest(dec, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	r := NewReceiver(st, ReceiverOptions{})
	month := Period{From: "2025-10-01", To: "2025-10-30"}
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"drill-sku", func() error { _, err := r.Drill(DrillQuery{Period: month, By: "sku"}); return err }},
		{"drill-outlet", func() error {
			_, err := r.Drill(DrillQuery{Period: month, By: "outlet", Distributor: "D001"})
			return err
		}},
		{"claims", func() error { _, err := CheckClaims(st, nil, month.From, month.To); return err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c0 := cpuTime()
			for b.Loop() {
				if err := tc.run(); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - c0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
			b.ReportMetric(float64(lines), "lines")
		})
	}
}
