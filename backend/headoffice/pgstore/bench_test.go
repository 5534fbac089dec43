package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/pgstore"
	"vitaran/backend/headoffice/wire"
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
		key := wire.NewKey()
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
// month of N distributors (VITARAN_HO_BENCH_DISTRIBUTORS, default 2,500) in
// 10 regions, 3,000 SKUs in 12 brands. The state is seeded straight into
// the tables by SQL, shaped as ingest leaves it: every distributor's day
// cells for October 2025 (sales and primary a day, a stock statement a
// day; in region R03 sales on 8 beats a day too) and the month cells summed
// from them; the region × month × SKU
// cells are summed from 20 SKU cells a distributor a day, generated and
// grouped in the database (the day × SKU cells themselves, 20 × 31 × N rows,
// are not stored: no month view reads them); the region twins of the
// distributor cells are summed from those as migration 5 does, and the
// region × day cells as migration 6 does (by SKU from the same generated
// SKU cells, grouped by region and day), and the national × SKU cells from
// the regions' as migration 8 does. Each view runs 10 times an op;
// p95-ms is over every run.
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
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, sold, taxable_paise, tax_paise)
		 SELECT r, 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, '', 1000, 8000, 300, 50000000 + i * 7 + d, 2500000
		 FROM generate_series(1, $1) i, generate_series(0, 30) d, unnest(array['sales_dist', 'primary_dist']) r`,
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, sold, value_paise)
		 SELECT 'stock_dist', 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, '', 300, 90000 - d, 8000, 700000000
		 FROM generate_series(1, $1) i, generate_series(0, 30) d`,
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, free_qty, discount_paise, value_paise)
		 SELECT 'scheme', 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, 'SCH-' || (i % 4), 40, 30, 20000, 90000
		 FROM generate_series(1, $1) i, generate_series(0, 30) d`,
		// Region R03's distributors sell on 8 beats a day.
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, sold, taxable_paise, tax_paise)
		 SELECT 'sales_beat', 'D' || lpad(i::text, 5, '0'), date '2025-10-01' + d, 'B' || k, 125, 1000, 40, 6250000 + i, 312500
		 FROM generate_series(3, $1, 10) i, generate_series(0, 30) d, generate_series(0, 7) k`,
		// Month cells as ingest keeps them (the same sums migrations 3 and 9 make).
		`INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
		 SELECT rollup, code, date_trunc('month', day)::date, dim, sum(lines), sum(qty), sum(free_qty), sum(sold),
			sum(discount_paise), sum(taxable_paise), sum(tax_paise), sum(value_paise)
		 FROM ho_rollups WHERE rollup IN ('sales_dist', 'primary_dist', 'scheme', 'sales_beat') GROUP BY 1, 2, 3, 4`,
		`INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, sold, value_paise)
		 SELECT 'stock_dist', code, date_trunc('month', day)::date, (array_agg(day::text ORDER BY day DESC))[1], count(*),
			(array_agg(qty ORDER BY day DESC))[1], sum(sold), (array_agg(value_paise ORDER BY day DESC))[1]
		 FROM ho_rollups WHERE rollup = 'stock_dist' GROUP BY code, 3`,
		// The region twins, as migration 5 sums them.
		`INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
		 SELECT CASE m.rollup WHEN 'sales_dist' THEN 'sales_region' WHEN 'primary_dist' THEN 'primary_region' ELSE 'scheme_region' END,
			d.region, m.month, m.dim, sum(m.lines), sum(m.qty), sum(m.free_qty), sum(m.sold),
			sum(m.discount_paise), sum(m.taxable_paise), sum(m.tax_paise), sum(m.value_paise)
		 FROM ho_month_rollups m JOIN ho_distributors d ON d.code = m.scope
		 WHERE m.rollup IN ('sales_dist', 'primary_dist', 'scheme') GROUP BY 1, 2, 3, 4`,
		`INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, sold, value_paise)
		 SELECT 'stock_region', d.region, m.month, '', count(*), sum(m.qty), sum(m.sold * 1000 / greatest(m.lines, 1)), sum(m.value_paise)
		 FROM ho_month_rollups m JOIN ho_distributors d ON d.code = m.scope
		 WHERE m.rollup = 'stock_dist' GROUP BY 2, 3`,
		// The region × day cells, as migration 6 sums them; by SKU summed
		// from the same generated SKU cells, and the month cells from those.
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
		 SELECT CASE r.rollup WHEN 'sales_dist' THEN 'sales_region' WHEN 'primary_dist' THEN 'primary_region' ELSE 'scheme_region' END,
			d.region, r.day, r.dim, sum(r.lines), sum(r.qty), sum(r.free_qty), sum(r.sold),
			sum(r.discount_paise), sum(r.taxable_paise), sum(r.tax_paise), sum(r.value_paise)
		 FROM ho_rollups r JOIN ho_distributors d ON d.code = r.code
		 WHERE r.rollup IN ('sales_dist', 'primary_dist', 'scheme') GROUP BY 1, 2, 3, 4`,
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, taxable_paise, tax_paise)
		 SELECT r || '_region', 'R' || lpad((i % 10)::text, 2, '0'), date '2025-10-01' + d, 'BR' || ((i * 7 + d * 131 + k * 149) % 3000), sum(50), sum(400), sum(2500000), sum(125000)
		 FROM generate_series(1, $1) i, generate_series(0, 30) d, generate_series(0, 19) k, unnest(array['sales_sku', 'primary_sku']) r
		 GROUP BY 1, 2, 3, 4`,
		`INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, taxable_paise, tax_paise)
		 SELECT replace(rollup, '_region', ''), code, date '2025-10-01', dim, sum(lines), sum(qty), sum(taxable_paise), sum(tax_paise)
		 FROM ho_rollups WHERE rollup IN ('sales_sku_region', 'primary_sku_region') GROUP BY 1, 2, 3, 4`,
		// The national × SKU cells, as migration 8 sums them from the regions'.
		`INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, taxable_paise, tax_paise)
		 SELECT replace(rollup, '_region', '_national'), '', day, dim, sum(lines), sum(qty), sum(taxable_paise), sum(tax_paise)
		 FROM ho_rollups WHERE rollup IN ('sales_sku_region', 'primary_sku_region') GROUP BY 1, 2, 3, 4`,
		`INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, taxable_paise, tax_paise)
		 SELECT rollup || '_national', '', month, dim, sum(lines), sum(qty), sum(taxable_paise), sum(tax_paise)
		 FROM ho_month_rollups WHERE rollup IN ('sales_sku', 'primary_sku') GROUP BY 1, 2, 3, 4`,
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
	var cells, monthCells int64
	st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM ho_rollups), (SELECT count(*) FROM ho_month_rollups)`).Scan(&cells, &monthCells)
	b.Logf("%d distributors' October seeded in %s: %d day cells, %d month cells", n, time.Since(start).Round(time.Millisecond), cells, monthCells)
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return t0 }})
	month := headoffice.Period{From: "2025-10-01", To: "2025-10-31"}
	days30 := headoffice.Period{From: "2025-10-02", To: "2025-10-31"}
	// The lists are asked as the dashboard asks them: the first page, of
	// the default size (resp-bytes is that answer's JSON).
	first := headoffice.Page{Limit: headoffice.PageDefault}
	for _, tc := range []struct {
		name string
		run  func() (any, error)
	}{
		{"national-summary", func() (any, error) { return r.Summary(month) }},
		{"region-drill", func() (any, error) { return r.Drill(headoffice.DrillQuery{Period: month, By: "region"}) }},
		{"one-region-by-distributor", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: month, By: "distributor", Region: "R03", Page: first})
		}},
		{"national-by-distributor", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: month, By: "distributor", Page: first})
		}},
		{"national-sku", func() (any, error) { return r.Drill(headoffice.DrillQuery{Period: month, By: "sku"}) }},
		{"one-region-sku", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: month, By: "sku", Region: "R03"})
		}},
		{"national-brand", func() (any, error) { return r.Drill(headoffice.DrillQuery{Period: month, By: "brand"}) }},
		{"national-schemes", func() (any, error) { return r.SchemesOf(headoffice.SchemeQuery{Period: month, Page: first}) }},
		// The dashboard's default, a rolling 30 days (2–31 October): no
		// whole month, every day from the region × day cells (stock cover
		// and the by-distributor views from the distributors' day cells).
		{"30d-national-summary", func() (any, error) { return r.Summary(days30) }},
		{"30d-region-drill", func() (any, error) { return r.Drill(headoffice.DrillQuery{Period: days30, By: "region"}) }},
		{"30d-one-region-by-distributor", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: days30, By: "distributor", Region: "R03", Page: first})
		}},
		{"30d-national-by-distributor", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: days30, By: "distributor", Page: first})
		}},
		{"30d-national-sku", func() (any, error) { return r.Drill(headoffice.DrillQuery{Period: days30, By: "sku"}) }},
		{"30d-one-region-sku", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: days30, By: "sku", Region: "R03"})
		}},
		{"30d-national-brand", func() (any, error) { return r.Drill(headoffice.DrillQuery{Period: days30, By: "brand"}) }},
		{"30d-one-region-by-beat", func() (any, error) {
			return r.Drill(headoffice.DrillQuery{Period: days30, By: "beat", Region: "R03", Page: first})
		}},
		{"30d-national-series", func() (any, error) { return r.Series(headoffice.SeriesQuery{Period: days30}) }},
		{"30d-stock-cover", func() (any, error) {
			return r.StockCoverOf(headoffice.StockQuery{Period: days30, Threshold: 30, Page: first})
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var took []time.Duration
			var answer any
			for b.Loop() {
				for range 10 {
					t := time.Now()
					v, err := tc.run()
					if err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(t))
					answer = v
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[(len(took)*95+99)/100-1].Microseconds())/1000, "p95-ms")
			// What the dashboard sends for it: the JSON answer's size.
			raw, err := json.Marshal(answer)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(raw)), "resp-bytes")
		})
	}
	b.ReportMetric(float64(schemaBytes(b, st))/(1<<20), "MiB")
}

func containsArg(q string) bool {
	for i := 0; i+1 < len(q); i++ {
		if q[i] == '$' && q[i+1] == '1' {
			return true
		}
	}
	return false
}
