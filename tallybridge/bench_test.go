package tallybridge_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// The bar in DESIGN.md: Tally XML for 10,000 vouchers in under a second.
func BenchmarkBuildXML10000Vouchers(b *testing.B) {
	vs := make([]tallybridge.Voucher, 10000)
	for i := range vs {
		vs[i] = sale(fmt.Sprintf("INV-%06d", i), 8)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if err := tallybridge.WriteVouchers(io.Discard, company, tallybridge.OldForm, vs); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time too: on a shared, busy machine wall time says little
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
}

// Pushing 1,000 eight-line invoices to the emulator in batches of 100,
// masters first; each iteration starts from a fresh company.
func BenchmarkPushToEmulator1000Vouchers(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		sim, c := startSim(b, tallysim.Options{})
		q := tallybridge.NewMemQueue()
		for j := 0; j < 1000; j++ {
			q.Add(sale(fmt.Sprintf("INV-%06d", j), 8))
		}
		b.StartTimer()
		rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{BatchSize: 100})
		if err != nil || rep.Posted != 1000 {
			b.Fatalf("%+v %v", rep, err)
		}
		b.StopTimer()
		sim.Close()
		b.StartTimer()
	}
}
