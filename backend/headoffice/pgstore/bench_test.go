package pgstore_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/pgstore"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// schemaBytes is what the test's schema holds on disk: tables, partitions,
// indexes, TOAST.
func schemaBytes(b *testing.B, st *pgstore.Store) int64 {
	var n int64
	err := st.Pool().QueryRow(context.Background(), `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkHeadOfficeIngest is the nightly upload end to end: N
// distributors (VITARAN_HO_BENCH_UPLOADERS, default 100) each send a signed
// batch of VITARAN_HO_BENCH_LINES lines (default 1,000) per op, 8 at a
// time, through HTTP, the signature check, decoding and PostgreSQL.
func BenchmarkHeadOfficeIngest(b *testing.B) {
	db := newDB(b)
	st := open(b, db)
	defer st.Close()
	n, lines := envInt("VITARAN_HO_BENCH_UPLOADERS", 100), envInt("VITARAN_HO_BENCH_LINES", 1000)
	var ds []headoffice.LoadDistributor
	for i := range n {
		code := fmt.Sprintf("D%05d", i+1)
		key := headoffice.NewKey()
		if err := st.AddDistributor(headoffice.Distributor{Code: code, Region: fmt.Sprintf("R%02d", i%10), Key: key, AddedAt: t0}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, headoffice.LoadDistributor{Code: code, Key: key})
	}
	now := func() time.Time { return t0 }
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.ServeListener(ctx, ln, "", "")
	var total int64
	var elapsed time.Duration
	day := cal.MustParse("2025-10-01")
	for b.Loop() {
		res, err := headoffice.LoadTest(ctx, headoffice.LoadTestOptions{URL: "http://" + ln.Addr().String(), Distributors: ds, From: day, Days: 1, Lines: lines, Concurrency: 8, Now: now})
		if err != nil || res.Failed > 0 {
			b.Fatalf("load: %+v %v", res, err)
		}
		total += res.Lines
		elapsed += res.Elapsed
		day = day.AddDays(1)
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "lines/s")
	b.ReportMetric(float64(schemaBytes(b, st))/float64(total)*1e6/(1<<20), "MiB/Mlines")
}

// BenchmarkHeadOfficeDashboard is what a brand's user waits for over a
// month of N distributors' rollups (VITARAN_HO_BENCH_DISTRIBUTORS, default
// 2,500) in 10 regions: 30 days, a stock statement a day, and 20 SKU cells
// a distributor a day out of 3,000 SKUs.
func BenchmarkHeadOfficeDashboard(b *testing.B) {
	db := newDB(b)
	st := open(b, db)
	defer st.Close()
	n := envInt("VITARAN_HO_BENCH_DISTRIBUTORS", 2500)
	ctx := context.Background()
	start := time.Now()
	for _, q := range []string{
		`INSERT INTO ho_distributors (code, region, name, key, added_at)
		 SELECT 'D' || lpad(i::text, 5, '0'), 'R' || lpad((i % 10)::text, 2, '0'), 'Dist ' || i, md5(i::text), now() FROM generate_series(1, $1) i`,
		`INSERT INTO ho_skus (sku_code, row) SELECT 'BR' || s, jsonb_build_object('sku_code', 'BR' || s, 'name', 'Item ' || s, 'brand', 'Brand' || (s % 12), 'active', true) FROM generate_series(0, 2999) s`,
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, taxable_paise, tax_paise)
		 SELECT r, 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, '', 1000, 8000, 50000000 + i * 7 + d, 2500000
		 FROM generate_series(1, $1) i, generate_series(0, 29) d, unnest(array['sales_dist', 'primary_dist']) r`,
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, sold, value_paise)
		 SELECT 'stock_dist', 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, '', 300, 90000, 8000, 700000000
		 FROM generate_series(1, $1) i, generate_series(0, 29) d`,
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, taxable_paise, tax_paise)
		 SELECT 'sales_sku', 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, 'BR' || ((i * 7 + d * 131 + k * 149) % 3000), 50, 400, 2500000, 125000
		 FROM generate_series(1, $1) i, generate_series(0, 29) d, generate_series(0, 19) k
		 ON CONFLICT DO NOTHING`,
		`ANALYZE`,
	} {
		args := []any{}
		if len(q) > 0 && containsArg(q) {
			args = append(args, n)
		}
		if _, err := st.Pool().Exec(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d distributors' month of rollups made in %s", n, time.Since(start).Round(time.Millisecond))
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return t0 }})
	month := headoffice.Period{From: "2025-10-01", To: "2025-10-30"}
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"national-summary", func() error { _, err := r.Summary(month); return err }},
		{"region-drill", func() error { _, err := r.Drill(headoffice.DrillQuery{Period: month, By: "region"}); return err }},
		{"one-region-by-distributor", func() error {
			_, err := r.Drill(headoffice.DrillQuery{Period: month, By: "distributor", Region: "R03"})
			return err
		}},
		{"national-sku", func() error { _, err := r.Drill(headoffice.DrillQuery{Period: month, By: "sku"}); return err }},
		{"one-region-sku", func() error {
			_, err := r.Drill(headoffice.DrillQuery{Period: month, By: "sku", Region: "R03"})
			return err
		}},
		{"national-brand", func() error { _, err := r.Drill(headoffice.DrillQuery{Period: month, By: "brand"}); return err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if err := tc.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func containsArg(q string) bool {
	for i := 0; i+1 < len(q); i++ {
		if q[i] == '$' && q[i+1] == '1' {
			return true
		}
	}
	return false
}
