package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
)

// ensureMonths makes the sales-line partitions of the months the lines fall
// in. Each is made once, in its own transaction, under a lock that keeps
// two receivers from making the same one together.
func (s *Store) ensureMonths(ctx context.Context, lines []wire.SalesLine) error {
	var want []time.Time
	seen := map[string]bool{}
	for i := range lines {
		d := string(lines[i].InvoiceDate)
		if len(d) < 7 || seen[d[:7]] {
			continue
		}
		seen[d[:7]] = true
		if _, ok := s.months.Load(d[:7]); ok {
			continue
		}
		t, err := time.Parse("2006-01", d[:7])
		if err != nil {
			return fmt.Errorf("sales line dated %q: %w", d, err)
		}
		want = append(want, t)
	}
	for _, m := range want {
		name := "ho_sales_lines_" + m.Format("2006_01")
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock+1)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF ho_sales_lines FOR VALUES FROM ('%s') TO ('%s')`,
				name, m.Format("2006-01-02"), m.AddDate(0, 1, 0).Format("2006-01-02")))
			return err
		})
		if err != nil {
			return fmt.Errorf("sales-line partition %s: %w", name, err)
		}
		s.months.Store(m.Format("2006-01"), struct{}{})
	}
	return nil
}

// The sums each rollup adds, over the columns an inserted row returns.
const (
	// A cancellation's line counts −1 line, and on line 1 −1 invoice; the
	// invoice count goes in the sold slot, none per SKU (headoffice.Stored).
	salesSums   = `sum(n), sum(qty), sum(free_qty), sum(invs), sum(discount), sum(taxable), sum(tax), 0`
	skuSums     = `sum(n), sum(qty), sum(free_qty), 0, sum(discount), sum(taxable), sum(tax), 0`
	receiptSums = `count(*), sum(qty), sum(free_qty), 0, 0, sum(taxable), sum(tax), 0`
	schemeSums  = `count(*), 0, sum(free_qty), 0, sum(discount), 0, 0, sum(value)`
	addCells    = `DO UPDATE SET
		lines = %[1]s.lines + excluded.lines, qty = %[1]s.qty + excluded.qty,
		free_qty = %[1]s.free_qty + excluded.free_qty, sold = %[1]s.sold + excluded.sold,
		discount_paise = %[1]s.discount_paise + excluded.discount_paise,
		taxable_paise = %[1]s.taxable_paise + excluded.taxable_paise,
		tax_paise = %[1]s.tax_paise + excluded.tax_paise, value_paise = %[1]s.value_paise + excluded.value_paise`
	sumCols = `lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise`
)

// rollCTE adds the rows of from into r's day cells of the distributor.
func rollCTE(name string, r headoffice.Rollup, dim, sums, from string) string {
	return fmt.Sprintf(`%s AS (INSERT INTO ho_rollups (rollup, code, day, dim, %s) SELECT '%s', $1, day, %s, %s FROM %s GROUP BY 1, 2, 3, 4
		ON CONFLICT (rollup, code, day, dim) %s)`, name, sumCols, r, dim, sums, from, fmt.Sprintf(addCells, "ho_rollups"))
}

// monthCTE adds the rows of from into month cells of scope ($1 the
// distributor's code, $5 its region), one group of cells per part. A
// region's cells are shared by its distributors' batches: they are locked
// in key order in one statement, so two batches of one region that add to
// the same cells wait for each other but never deadlock.
func monthCTE(name, scope, from string, parts ...monthPart) string {
	var sel []string
	for _, p := range parts {
		sel = append(sel, fmt.Sprintf(`SELECT '%s' AS r, %s::text AS s, date_trunc('month', day)::date AS m, %s AS d, %s FROM %s GROUP BY 1, 2, 3, 4`,
			p.r, scope, p.dim, p.sums, from))
	}
	return fmt.Sprintf(`%s AS (INSERT INTO ho_month_rollups (rollup, scope, month, dim, %s)
		SELECT * FROM (%s) x ORDER BY 1, 2, 3, 4
		ON CONFLICT (rollup, scope, month, dim) %s)`, name, sumCols, strings.Join(sel, " UNION ALL "), fmt.Sprintf(addCells, "ho_month_rollups"))
}

// regionDayCTE adds the rows of from into the region × day cells ($5 the
// distributor's region; see headoffice.DayTwin), kept in the day cells'
// table with the region as code, locked in key order as monthCTE's.
func regionDayCTE(name, from string, parts ...monthPart) string {
	var sel []string
	for _, p := range parts {
		sel = append(sel, fmt.Sprintf(`SELECT '%s' AS r, $5::text AS s, day AS m, %s AS d, %s FROM %s GROUP BY 1, 2, 3, 4`,
			p.r, p.dim, p.sums, from))
	}
	return fmt.Sprintf(`%s AS (INSERT INTO ho_rollups (rollup, code, day, dim, %s)
		SELECT * FROM (%s) x ORDER BY 1, 2, 3, 4
		ON CONFLICT (rollup, code, day, dim) %s)`, name, sumCols, strings.Join(sel, " UNION ALL "), fmt.Sprintf(addCells, "ho_rollups"))
}

// monthPart is one rollup's cells in a monthCTE: its dim and sums.
type monthPart struct {
	r         headoffice.Rollup
	dim, sums string
}

func n(col string) string { return `coalesce((r->>'` + col + `')::bigint, 0)` }

// nationalOf is the new rows' national × day × SKU cells (see
// headoffice.NationalTwin) as a JSON array of [rollup, day, sku, the eight
// sums], for nationalSQL to add at the end of the batch's transaction.
func nationalOf(r headoffice.Rollup, sums string) string {
	return `(SELECT coalesce(jsonb_agg(c), '[]')::text FROM (SELECT jsonb_build_array('` + string(r) + `', day, sku, ` + sums + `) AS c
	FROM ins GROUP BY day, sku) x)`
}

// The sales lines of one batch: new ones are inserted (the primary key
// keeps a line once however often it is sent), summed into the rollups in
// the same statement, and a held line sent with other content is recorded
// as a conflict.
var salesSQL = `WITH src AS (
	SELECT DISTINCT ON (r->>'doc_type', r->>'invoice_no', r->>'invoice_date', (r->>'line_no')::int) r
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)
	ORDER BY r->>'doc_type', r->>'invoice_no', r->>'invoice_date', (r->>'line_no')::int, n
), ins AS (
	INSERT INTO ho_sales_lines (code, invoice_date, doc_type, invoice_no, line_no, batch_id, row)
	SELECT $1, (r->>'invoice_date')::date, r->>'doc_type', r->>'invoice_no', (r->>'line_no')::int, $2, r FROM src
	ON CONFLICT DO NOTHING
	RETURNING invoice_date AS day, coalesce(row->>'beat_code', '') AS beat, coalesce(row->>'outlet_code', '') AS outlet,
		coalesce(row->>'salesman_code', '') AS salesman, coalesce(row->>'sku_code', '') AS sku,
		coalesce((row->>'qty')::bigint, 0) AS qty, coalesce((row->>'free_qty')::bigint, 0) AS free_qty,
		coalesce((row->>'discount_paise')::bigint, 0) AS discount, coalesce((row->>'taxable_paise')::bigint, 0) AS taxable,
		coalesce((row->>'cgst_paise')::bigint, 0) + coalesce((row->>'sgst_paise')::bigint, 0) + coalesce((row->>'igst_paise')::bigint, 0) AS tax,
		CASE doc_type WHEN '` + wire.DocCancel + `' THEN -1 ELSE 1 END AS n,
		CASE WHEN line_no <> 1 THEN 0 WHEN doc_type = '` + wire.DocInvoice + `' THEN 1 WHEN doc_type = '` + wire.DocCancel + `' THEN -1 ELSE 0 END AS invs
), conf AS (
	INSERT INTO ho_conflicts (code, part, row_key, batch_id, held, sent, received_at)
	SELECT $1, '` + wire.PartSalesLines + `', l.doc_type || '|' || l.invoice_date || '|' || l.invoice_no || '|' || l.line_no, $2, l.row, s.r, $4
	FROM src s JOIN ho_sales_lines l ON l.code = $1 AND l.invoice_date = (s.r->>'invoice_date')::date
		AND l.doc_type = s.r->>'doc_type' AND l.invoice_no = s.r->>'invoice_no' AND l.line_no = (s.r->>'line_no')::int
	WHERE l.row <> s.r
	ON CONFLICT DO NOTHING
	RETURNING 1
), ` + rollCTE("r1", headoffice.RollSalesDist, "''", salesSums, "ins") + `, ` +
	rollCTE("r2", headoffice.RollSalesBeat, "beat", salesSums, "ins") + `, ` +
	rollCTE("r3", headoffice.RollSalesOutlet, "beat || chr(31) || outlet", salesSums, "ins") + `, ` +
	rollCTE("r4", headoffice.RollSalesSalesman, "salesman", salesSums, "ins") + `, ` +
	rollCTE("r5", headoffice.RollSalesSKU, "sku", skuSums, "ins") + `, ` +
	monthCTE("m1", "$1", "ins", monthPart{headoffice.RollSalesDist, "''", salesSums}, monthPart{headoffice.RollSalesBeat, "beat", salesSums},
		monthPart{headoffice.RollSalesSalesman, "salesman", salesSums}) + `, ` +
	monthCTE("m2", "$5", "ins", monthPart{headoffice.RollSalesRegion, "''", salesSums}, monthPart{headoffice.RollSalesSKU, "sku", skuSums}) + `, ` +
	regionDayCTE("d1", "ins", monthPart{headoffice.RollSalesRegion, "''", salesSums}, monthPart{headoffice.RollSalesSKURegion, "sku", skuSums}) + `
SELECT (SELECT count(*) FROM ins), (SELECT coalesce(sum(taxable), 0) FROM ins)::bigint, (SELECT count(*) FROM conf),
	` + nationalOf(headoffice.RollSalesSKUNational, skuSums)

var receiptsSQL = `WITH src AS (
	SELECT DISTINCT ON (r->>'grn_date', r->>'grn_no', (r->>'line_no')::int) r
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)
	ORDER BY r->>'grn_date', r->>'grn_no', (r->>'line_no')::int, n
), ins AS (
	INSERT INTO ho_primary_receipts (code, grn_date, grn_no, line_no, batch_id, row)
	SELECT $1, (r->>'grn_date')::date, r->>'grn_no', (r->>'line_no')::int, $2, r FROM src
	ON CONFLICT DO NOTHING
	RETURNING grn_date AS day, coalesce(row->>'sku_code', '') AS sku,
		coalesce((row->>'qty')::bigint, 0) AS qty, coalesce((row->>'free_qty')::bigint, 0) AS free_qty,
		coalesce((row->>'taxable_paise')::bigint, 0) AS taxable,
		coalesce((row->>'cgst_paise')::bigint, 0) + coalesce((row->>'sgst_paise')::bigint, 0) + coalesce((row->>'igst_paise')::bigint, 0) AS tax
), conf AS (
	INSERT INTO ho_conflicts (code, part, row_key, batch_id, held, sent, received_at)
	SELECT $1, '` + wire.PartReceipts + `', l.grn_date || '|' || l.grn_no || '|' || l.line_no, $2, l.row, s.r, $4
	FROM src s JOIN ho_primary_receipts l ON l.code = $1 AND l.grn_date = (s.r->>'grn_date')::date
		AND l.grn_no = s.r->>'grn_no' AND l.line_no = (s.r->>'line_no')::int
	WHERE l.row <> s.r
	ON CONFLICT DO NOTHING
	RETURNING 1
), ` + rollCTE("r1", headoffice.RollPrimaryDist, "''", receiptSums, "ins") + `, ` +
	rollCTE("r2", headoffice.RollPrimarySKU, "sku", receiptSums, "ins") + `, ` +
	monthCTE("m1", "$1", "ins", monthPart{headoffice.RollPrimaryDist, "''", receiptSums}) + `, ` +
	monthCTE("m2", "$5", "ins", monthPart{headoffice.RollPrimaryRegion, "''", receiptSums}, monthPart{headoffice.RollPrimarySKU, "sku", receiptSums}) + `, ` +
	regionDayCTE("d1", "ins", monthPart{headoffice.RollPrimaryRegion, "''", receiptSums}, monthPart{headoffice.RollPrimarySKURegion, "sku", receiptSums}) + `
SELECT (SELECT count(*) FROM ins), 0::bigint, (SELECT count(*) FROM conf),
	` + nationalOf(headoffice.RollPrimarySKUNational, receiptSums)

var redemptionsSQL = `WITH src AS (
	SELECT DISTINCT ON (r->>'redemption_id') r
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)
	ORDER BY r->>'redemption_id', n
), ins AS (
	INSERT INTO ho_redemptions (code, redemption_id, invoice_date, batch_id, row)
	SELECT $1, r->>'redemption_id', (r->>'invoice_date')::date, $2, r FROM src
	ON CONFLICT DO NOTHING
	RETURNING invoice_date AS day, coalesce(row->>'scheme_code', '') AS scheme,
		coalesce((row->>'free_qty')::bigint, 0) AS free_qty, coalesce((row->>'discount_paise')::bigint, 0) AS discount,
		coalesce((row->>'value_paise')::bigint, 0) AS value
), conf AS (
	INSERT INTO ho_conflicts (code, part, row_key, batch_id, held, sent, received_at)
	SELECT $1, '` + wire.PartRedemptions + `', l.redemption_id, $2, l.row, s.r, $4
	FROM src s JOIN ho_redemptions l ON l.code = $1 AND l.redemption_id = s.r->>'redemption_id'
	WHERE l.row <> s.r
	ON CONFLICT DO NOTHING
	RETURNING 1
), ` + rollCTE("r1", headoffice.RollScheme, "scheme", schemeSums, "ins") + `, ` +
	monthCTE("m1", "$1", "ins", monthPart{headoffice.RollScheme, "scheme", schemeSums}) + `, ` +
	monthCTE("m2", "$5", "ins", monthPart{headoffice.RollSchemeRegion, "scheme", schemeSums}) + `, ` +
	regionDayCTE("d1", "ins", monthPart{headoffice.RollSchemeRegion, "scheme", schemeSums}) + `
SELECT (SELECT count(*) FROM ins), 0::bigint, (SELECT count(*) FROM conf), '[]'`

// A day's stock row replaces the one held for that day and SKU: the
// rollup takes off the held row and adds the new one in one upsert.
var stockSQL = `WITH src AS (
	SELECT DISTINCT ON ((r->>'date')::date, r->>'sku_code') (r->>'date')::date AS day, r->>'sku_code' AS sku, r
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)
	ORDER BY (r->>'date')::date, r->>'sku_code', n DESC
), old AS (
	SELECT s.day, s.row AS r FROM ho_stock s JOIN src ON s.code = $1 AND s.day = src.day AND s.sku_code = src.sku
), delta AS (
	SELECT day, sum(k) AS lines, sum(k * ` + n("closing") + `) AS qty, sum(k * ` + n("sold") + `) AS sold,
		sum(k * ` + n("closing_value_paise") + `) AS value
	FROM (SELECT day, 1 AS k, r FROM src UNION ALL SELECT day, -1, r FROM old) x GROUP BY day
), up AS (
	INSERT INTO ho_stock (code, day, sku_code, batch_id, row) SELECT $1, day, sku, $2, r FROM src
	ON CONFLICT (code, day, sku_code) DO UPDATE SET row = excluded.row, batch_id = excluded.batch_id
	RETURNING (xmax = 0) AS inserted
), ` + rollCTE("r1", headoffice.RollStockDist, "''", `sum(lines), sum(qty), 0, sum(sold), 0, 0, 0, sum(value)`, "delta") + `
SELECT (SELECT count(*) FROM up WHERE inserted), 0::bigint, 0::bigint, '[]'`

// A month's stock cell is recomputed from its day cells (see
// headoffice.MonthGrain), for the months ($2) the batch's stock rows fall
// in: the old cells are taken out of the region's ($3) and the new ones
// put in.
var stockMonthsSQL = []string{
	`WITH old AS (
		DELETE FROM ho_month_rollups WHERE rollup = '` + string(headoffice.RollStockDist) + `' AND scope = $1 AND month = ANY($2::date[])
		RETURNING month, ` + sumCols + `
	) INSERT INTO ho_month_rollups (rollup, scope, month, dim, ` + sumCols + `)
	SELECT '` + string(headoffice.RollStockRegion) + `', $3::text, month, '', -count(*), -sum(qty), 0, -sum(sold * 1000 / greatest(lines, 1)), 0, 0, 0, -sum(value_paise)
	FROM old GROUP BY month ORDER BY month
	ON CONFLICT (rollup, scope, month, dim) ` + fmt.Sprintf(addCells, "ho_month_rollups"),
	`WITH new AS (
		INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, sold, value_paise)
		SELECT '` + string(headoffice.RollStockDist) + `', $1, m, (array_agg(day::text ORDER BY day DESC))[1], count(*),
			(array_agg(qty ORDER BY day DESC))[1], sum(sold), (array_agg(value_paise ORDER BY day DESC))[1]
		FROM unnest($2::date[]) AS m, ho_rollups
		WHERE rollup = '` + string(headoffice.RollStockDist) + `' AND code = $1 AND day >= m AND day < (m + interval '1 month')::date
		GROUP BY m
		RETURNING month, ` + sumCols + `
	) INSERT INTO ho_month_rollups (rollup, scope, month, dim, ` + sumCols + `)
	SELECT '` + string(headoffice.RollStockRegion) + `', $3::text, month, '', count(*), sum(qty), 0, sum(sold * 1000 / greatest(lines, 1)), 0, 0, 0, sum(value_paise)
	FROM new GROUP BY month ORDER BY month
	ON CONFLICT (rollup, scope, month, dim) ` + fmt.Sprintf(addCells, "ho_month_rollups"),
}

var outletsSQL = `INSERT INTO ho_outlets (code, outlet_code, row)
	SELECT DISTINCT ON (r->>'outlet_code') $1, r->>'outlet_code', r
	FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(r, n)
	ORDER BY r->>'outlet_code', n DESC
	ON CONFLICT (code, outlet_code) DO UPDATE SET row = excluded.row`

var skusSQL = `INSERT INTO ho_skus (sku_code, row)
	SELECT DISTINCT ON (r->>'sku_code') r->>'sku_code', r
	FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n)
	ORDER BY r->>'sku_code', n DESC
	ON CONFLICT (sku_code) DO UPDATE SET row = excluded.row`

// nationalSQL adds the national × day × SKU cells the parts returned ($1,
// JSON arrays of [rollup, day, sku, sums]) into the national day and month
// cells (scope ”). Every batch shares them, so a batch adds to them last,
// in key order, and holds their locks only until its commit.
var nationalSQL = `WITH src AS (
	SELECT x->>0 AS r, (x->>1)::date AS day, x->>2 AS dim, (x->>3)::bigint AS lines, (x->>4)::bigint AS qty, (x->>5)::bigint AS free_qty,
		(x->>6)::bigint AS sold, (x->>7)::bigint AS discount, (x->>8)::bigint AS taxable, (x->>9)::bigint AS tax, (x->>10)::bigint AS value
	FROM unnest($1::text[]) AS j, jsonb_array_elements(j::jsonb) AS x
), days AS (
	INSERT INTO ho_rollups (rollup, code, day, dim, ` + sumCols + `)
	SELECT * FROM (SELECT r, '', day, dim, ` + nationalSums + ` FROM src GROUP BY 1, 2, 3, 4) x ORDER BY 1, 2, 3, 4
	ON CONFLICT (rollup, code, day, dim) ` + fmt.Sprintf(addCells, "ho_rollups") + `
) INSERT INTO ho_month_rollups (rollup, scope, month, dim, ` + sumCols + `)
	SELECT * FROM (SELECT r, '', date_trunc('month', day)::date, dim, ` + nationalSums + ` FROM src GROUP BY 1, 2, 3, 4) x ORDER BY 1, 2, 3, 4
	ON CONFLICT (rollup, scope, month, dim) ` + fmt.Sprintf(addCells, "ho_month_rollups")

const nationalSums = `sum(lines), sum(qty), sum(free_qty), sum(sold), sum(discount), sum(taxable), sum(tax), sum(value)`

// Ingest stores a verified batch in one transaction: all of it or none.
// The distributor's row is locked first, so two receivers given the same
// batch at once store it once (the second finds it held and acknowledges
// it as a duplicate).
func (s *Store) Ingest(b *wire.Batch, receivedAt time.Time) (wire.Ack, bool, error) {
	ctx := bg()
	if err := s.ensureMonths(ctx, b.SalesLines); err != nil {
		return wire.Ack{}, false, err
	}
	var ack wire.Ack
	var dup bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		in := &ingest{ctx: ctx, tx: tx, b: b, m: &b.Manifest, code: b.Manifest.DistributorCode, digest: headoffice.ManifestDigest(&b.Manifest)}
		if err := in.lockDistributor(); err != nil {
			return err
		}
		if held, ok, err := in.heldBatch(); err != nil || ok {
			ack, dup = held, ok
			return err
		}
		in.ack = wire.Ack{FormatVersion: wire.FormatVersion, DistributorCode: in.code, BatchID: in.m.BatchID,
			Received: in.m.Counts(), New: wire.Counts{}, ReceivedAt: receivedAt.UTC()}
		for _, step := range []func() error{in.parts, in.stockMonths, in.masters, in.updateDistributor, in.recordBatch, in.nationalCells} {
			if err := step(); err != nil {
				return err
			}
		}
		ack = in.ack
		return nil
	})
	if err != nil {
		return wire.Ack{}, false, err
	}
	return ack, dup, nil
}

// ingest is one batch being stored inside one transaction.
type ingest struct {
	ctx    context.Context
	tx     pgx.Tx
	b      *wire.Batch
	m      *wire.Manifest
	code   string
	digest string
	region string
	ack    wire.Ack

	newLines, newTaxable int64
	conflicts            int      // sales lines held with other content
	national             []string // the parts' national cells (see nationalSQL)
}

// lockDistributor locks the uploading distributor's row; an unknown one is
// refused.
func (in *ingest) lockDistributor() error {
	err := in.tx.QueryRow(in.ctx, `SELECT region FROM ho_distributors WHERE code = $1 FOR UPDATE`, in.code).Scan(&in.region)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("distributor %s: %w", in.code, headoffice.ErrUnknownDistributor)
	}
	return err
}

// heldBatch returns the acknowledgement of the same batch stored before;
// the same id with another manifest is ErrBatchConflict.
func (in *ingest) heldBatch() (wire.Ack, bool, error) {
	var held string
	var heldAck []byte
	err := in.tx.QueryRow(in.ctx, `SELECT manifest_sha256, ack FROM ho_batches WHERE code = $1 AND batch_id = $2`, in.code, in.m.BatchID).Scan(&held, &heldAck)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return wire.Ack{}, false, nil
	case err != nil:
		return wire.Ack{}, false, err
	case held != in.digest:
		return wire.Ack{}, false, fmt.Errorf("batch %s: %w", in.m.BatchID, headoffice.ErrBatchConflict)
	}
	var ack wire.Ack
	err = json.Unmarshal(heldAck, &ack)
	return ack, true, err
}

// part stores one part's rows with its statement (which also rolls them up
// and records conflicts) and counts the new ones.
func (in *ingest) part(name, query string, rows any, count int) (n, taxable int64, err error) {
	if count == 0 {
		return 0, 0, nil
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return 0, 0, err
	}
	args := []any{in.code, in.m.BatchID, raw}
	if strings.Contains(query, "$4") {
		args = append(args, in.ack.ReceivedAt)
	}
	if strings.Contains(query, "$5") {
		args = append(args, in.region)
	}
	var conflicts int64
	var national string
	if err := in.tx.QueryRow(in.ctx, query, args...).Scan(&n, &taxable, &conflicts, &national); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", name, err)
	}
	if national != "[]" {
		in.national = append(in.national, national)
	}
	if name == wire.PartSalesLines {
		in.conflicts = int(conflicts)
	}
	in.ack.New[name] = int(n)
	return n, taxable, nil
}

// parts stores sales lines, receipts, redemptions and the stock days.
func (in *ingest) parts() error {
	b := in.b
	var err error
	if in.newLines, in.newTaxable, err = in.part(wire.PartSalesLines, salesSQL, b.SalesLines, len(b.SalesLines)); err != nil {
		return err
	}
	if _, _, err := in.part(wire.PartReceipts, receiptsSQL, b.Receipts, len(b.Receipts)); err != nil {
		return err
	}
	if _, _, err := in.part(wire.PartRedemptions, redemptionsSQL, b.Redemptions, len(b.Redemptions)); err != nil {
		return err
	}
	_, _, err = in.part(wire.PartStock, stockSQL, b.Stock, len(b.Stock))
	return err
}

// stockMonths restates the month cells of the months the stock rows fall in.
func (in *ingest) stockMonths() error {
	if len(in.b.Stock) == 0 {
		return nil
	}
	var months []string
	seen := map[cal.Date]bool{}
	for i := range in.b.Stock {
		if m := headoffice.MonthOf(in.b.Stock[i].Date); !seen[m] {
			seen[m] = true
			months = append(months, string(m))
		}
	}
	for _, q := range stockMonthsSQL {
		if _, err := in.tx.Exec(in.ctx, q, in.code, months, in.region); err != nil {
			return fmt.Errorf("stock months: %w", err)
		}
	}
	return nil
}

// masters keeps the latest outlet and SKU rows as sent, then settles the
// acknowledgement's counts.
func (in *ingest) masters() error {
	if len(in.b.Outlets) > 0 {
		raw, _ := json.Marshal(in.b.Outlets)
		if _, err := in.tx.Exec(in.ctx, outletsSQL, in.code, raw); err != nil {
			return fmt.Errorf("outlets: %w", err)
		}
	}
	if len(in.b.SKUs) > 0 {
		raw, _ := json.Marshal(in.b.SKUs)
		if _, err := in.tx.Exec(in.ctx, skusSQL, raw); err != nil {
			return fmt.Errorf("SKUs: %w", err)
		}
	}
	in.ack.SettleNew()
	return nil
}

// updateDistributor moves the distributor's totals on.
func (in *ingest) updateDistributor() error {
	last, err := in.lastConflict()
	if err != nil {
		return err
	}
	if _, err := in.tx.Exec(in.ctx, `UPDATE ho_distributors SET batches = batches + 1, sales_lines = sales_lines + $2,
		sales_taxable_paise = sales_taxable_paise + $3, last_upload = $4, last_batch_id = $5,
		data_to = greatest(data_to, nullif($6, '')::date),
		conflicts = conflicts + $7, last_conflict = CASE WHEN $7 > 0 THEN $8 ELSE last_conflict END WHERE code = $1`,
		in.code, in.newLines, in.newTaxable, in.ack.ReceivedAt, in.m.BatchID, string(in.m.PeriodTo), in.conflicts, last); err != nil {
		return fmt.Errorf("distributor %s: %w", in.code, err)
	}
	return nil
}

// lastConflict names the batch's first sales line held with other content,
// as the embedded store does ("" when none).
func (in *ingest) lastConflict() (string, error) {
	if in.conflicts == 0 {
		return "", nil
	}
	rows, err := in.tx.Query(in.ctx, `SELECT row_key FROM ho_conflicts WHERE code = $1 AND part = $2 AND batch_id = $3`, in.code, wire.PartSalesLines, in.m.BatchID)
	if err != nil {
		return "", fmt.Errorf("conflicts: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", fmt.Errorf("conflicts: %w", err)
	}
	held := make(map[string]bool, len(keys))
	for _, k := range keys {
		held[k] = true
	}
	for _, l := range in.b.SalesLines {
		if held[fmt.Sprintf("%s|%s|%s|%d", l.DocType, l.InvoiceDate, l.InvoiceNo, l.LineNo)] {
			msg := fmt.Sprintf("batch %s: %s %s of %s line %d differs from the one already held", in.m.BatchID, l.DocType, l.InvoiceNo, l.InvoiceDate, l.LineNo)
			if in.conflicts > 1 {
				msg += fmt.Sprintf(" (and %d more lines)", in.conflicts-1)
			}
			return msg, nil
		}
	}
	return fmt.Sprintf("batch %s: %d sales lines differ from the ones already held", in.m.BatchID, in.conflicts), nil
}

// nationalCells adds the batch's national × SKU cells, the last thing
// before the commit (see nationalSQL).
func (in *ingest) nationalCells() error {
	if len(in.national) == 0 {
		return nil
	}
	if _, err := in.tx.Exec(in.ctx, nationalSQL, in.national); err != nil {
		return fmt.Errorf("national cells: %w", err)
	}
	return nil
}

// recordBatch keeps the manifest's digest and the acknowledgement, so a
// resent batch is acknowledged again without being stored twice.
func (in *ingest) recordBatch() error {
	rawAck, err := json.Marshal(&in.ack)
	if err != nil {
		return err
	}
	_, err = in.tx.Exec(in.ctx, `INSERT INTO ho_batches (code, batch_id, manifest_sha256, ack, received_at) VALUES ($1, $2, $3, $4, $5)`,
		in.code, in.m.BatchID, in.digest, rawAck, in.ack.ReceivedAt)
	return err
}
