package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/pgstore"
	"vitaran/backend/headoffice/wire"
)

// A batch that fails in its last part leaves nothing behind: no lines, no
// rollup, no batch, the distributor's counts as they were.
func TestIngestIsWholeOrNothing(t *testing.T) {
	st := open(t, newDB(t))
	defer st.Close()
	st.AddDistributor(headoffice.Distributor{Code: "D001", Region: "South", Key: wire.NewKey(), AddedAt: t0})
	b := batchOf("D001", "B1", 20)
	// Built in memory, past the decoder: the database refuses the date.
	b.Redemptions = []wire.Redemption{{RedemptionID: "R1", SchemeCode: "S", InvoiceNo: "SI/1", InvoiceDate: "2025-13-45", OutletCode: "O1", ValuePaise: 1}}
	b.Manifest.Parts = []wire.PartInfo{{Name: wire.PartSalesLines, Rows: 20}, {Name: wire.PartRedemptions, Rows: 1}}
	if _, _, err := st.Ingest(b, t0); err == nil {
		t.Fatal("a bad redemption date is stored")
	}
	ctx := context.Background()
	for _, table := range []string{"ho_sales_lines", "ho_rollups", "ho_month_rollups", "ho_batches", "ho_redemptions"} {
		var n int
		if err := st.Pool().QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s holds %d rows after a failed batch (%v)", table, n, err)
		}
	}
	if d, _, _ := st.Distributor("D001"); d.Batches != 0 || d.SalesLines != 0 {
		t.Errorf("distributor after a failed batch: %+v", d)
	}
}

// A line resent under its key with other content keeps the held line and
// is listed for the operator; lines fall in one partition per month.
func TestConflictsAndMonthlyPartitions(t *testing.T) {
	db := newDB(t)
	st := open(t, db)
	defer st.Close()
	st.AddDistributor(headoffice.Distributor{Code: "D001", Region: "South", Key: wire.NewKey(), AddedAt: t0})
	b := batchOf("D001", "B1", 4)
	b.SalesLines[3].InvoiceDate = cal.MustParse("2025-11-02")
	b.Manifest.PeriodTo = "2025-11-02"
	if _, _, err := st.Ingest(b, t0); err != nil {
		t.Fatal(err)
	}
	b2 := batchOf("D001", "B2", 2)
	b2.SalesLines[1].Qty = 9
	ack, _, err := st.Ingest(b2, t0)
	if err != nil || ack.New[wire.PartSalesLines] != 0 {
		t.Fatalf("resend: %+v %v", ack, err)
	}
	cs, err := st.Conflicts("")
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts: %+v %v", cs, err)
	}
	var held, sent wire.SalesLine
	json.Unmarshal(cs[0].Held, &held)
	json.Unmarshal(cs[0].Sent, &sent)
	if cs[0].BatchID != "B2" || cs[0].Part != wire.PartSalesLines || cs[0].RowKey != "invoice|2025-10-07|SI/1|2" || held.Qty != 1 || sent.Qty != 9 {
		t.Fatalf("conflict: %+v", cs[0])
	}
	if out := runCLI(t, "headoffice", "conflicts", "--db", db); !strings.Contains(out, `"row_key": "invoice|2025-10-07|SI/1|2"`) {
		t.Fatalf("headoffice conflicts: %s", out)
	}
	var n int
	st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM pg_inherits WHERE inhparent = 'ho_sales_lines'::regclass`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d partitions for two months", n)
	}
}

// A database from before month cells gets them when migrated, made from
// its day cells: the same as ingest keeps them.
func TestMigrationBuildsMonthCellsFromTheDays(t *testing.T) {
	st := open(t, newDB(t))
	defer st.Close()
	st.AddDistributor(headoffice.Distributor{Code: "D001", Region: "South", Key: wire.NewKey(), AddedAt: t0})
	b := batchOf("D001", "B1", 30)
	b.SalesLines[29].InvoiceDate = "2025-11-01"
	b.Manifest.PeriodTo = "2025-11-01"
	b.Receipts = []wire.PrimaryReceipt{{GRNNo: "G1", GRNDate: "2025-10-07", LineNo: 1, SKUCode: "SKU1", Qty: 24, RatePaise: 700, TaxablePaise: 16800}}
	b.Stock = []wire.StockLine{{Date: "2025-10-06", SKUCode: "SKU1", Closing: 30, Sold: 2, ClosingValuePaise: 2100}, {Date: "2025-10-07", SKUCode: "SKU1", Closing: 20, Sold: 10, ClosingValuePaise: 1400}}
	b.Redemptions = []wire.Redemption{{RedemptionID: "R1", SchemeCode: "S", InvoiceNo: "SI/1", InvoiceDate: "2025-10-07", OutletCode: "O1", ValuePaise: 100}}
	if _, _, err := st.Ingest(b, t0); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	read := func() string {
		rows, err := st.Pool().Query(ctx, `SELECT * FROM (SELECT rollup, scope, month::text, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise
			FROM ho_month_rollups UNION ALL
			SELECT rollup, code, day::text, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise
			FROM ho_rollups WHERE rollup LIKE '%_region' OR rollup LIKE '%_national') x ORDER BY 1, 2, 3, dim COLLATE "C"`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			v, _ := rows.Values()
			out = append(out, fmt.Sprint(v...))
		}
		return strings.Join(out, "\n")
	}
	kept := read()
	if !strings.Contains(kept, "sales_skuSouth2025-11-01") || !strings.Contains(kept, "stock_distD0012025-10-012025-10-07") || !strings.Contains(kept, "stock_regionSouth2025-10-01") || !strings.Contains(kept, "sales_regionSouth2025-11-01") ||
		!strings.Contains(kept, "sales_sku_regionSouth2025-11-01") || !strings.Contains(kept, "primary_regionSouth2025-10-07") || !strings.Contains(kept, "scheme_regionSouth2025-10-07") ||
		!strings.Contains(kept, "sales_sku_national2025-11-01") || !strings.Contains(kept, "primary_sku_national2025-10-07SKU1") {
		t.Fatalf("month cells kept by ingest:\n%s", kept)
	}
	if _, err := st.Pool().Exec(ctx, `DROP TABLE ho_month_rollups; DROP TABLE ho_login_limits; DELETE FROM ho_schema_version WHERE version >= 3`); err != nil {
		t.Fatal(err)
	}
	if from, to, err := st.Migrate(ctx); err != nil || from != 2 || to != pgstore.Version() {
		t.Fatalf("migrate: %d → %d %v", from, to, err)
	}
	if built := read(); built != kept {
		t.Fatalf("built by the migration:\n%s\nkept by ingest:\n%s", built, kept)
	}
}
