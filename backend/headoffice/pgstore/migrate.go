package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations are the schema's versions, applied in order, each once, each
// in its own transaction. Never edit one that has shipped: add the next.
var migrations = []string{
	// 1: everything head office keeps.
	`
CREATE TABLE ho_distributors (
	code                text PRIMARY KEY,
	region              text NOT NULL,
	name                text NOT NULL DEFAULT '',
	key                 text NOT NULL,
	added_at            timestamptz NOT NULL,
	batches             integer NOT NULL DEFAULT 0,
	sales_lines         bigint NOT NULL DEFAULT 0,
	sales_taxable_paise bigint NOT NULL DEFAULT 0,
	last_upload         timestamptz,
	last_batch_id       text NOT NULL DEFAULT '',
	data_to             date
);
CREATE INDEX ho_distributors_region ON ho_distributors (region, code);

CREATE TABLE ho_batches (
	code            text NOT NULL REFERENCES ho_distributors,
	batch_id        text NOT NULL,
	manifest_sha256 text NOT NULL,
	ack             jsonb NOT NULL,
	received_at     timestamptz NOT NULL,
	PRIMARY KEY (code, batch_id)
);

-- Sales lines are most of the data: one partition per month of invoice
-- date, made on the first batch that needs it.
CREATE TABLE ho_sales_lines (
	code         text NOT NULL,
	invoice_date date NOT NULL,
	doc_type     text NOT NULL,
	invoice_no   text NOT NULL,
	line_no      integer NOT NULL,
	batch_id     text NOT NULL,
	row          jsonb NOT NULL,
	PRIMARY KEY (code, invoice_date, doc_type, invoice_no, line_no)
) PARTITION BY RANGE (invoice_date);

CREATE TABLE ho_primary_receipts (
	code     text NOT NULL,
	grn_date date NOT NULL,
	grn_no   text NOT NULL,
	line_no  integer NOT NULL,
	batch_id text NOT NULL,
	row      jsonb NOT NULL,
	PRIMARY KEY (code, grn_date, grn_no, line_no)
);

CREATE TABLE ho_redemptions (
	code          text NOT NULL,
	redemption_id text NOT NULL,
	invoice_date  date NOT NULL,
	batch_id      text NOT NULL,
	row           jsonb NOT NULL,
	PRIMARY KEY (code, redemption_id)
);

-- A day's stock row is replaced by a later upload of the same day.
CREATE TABLE ho_stock (
	code     text NOT NULL,
	day      date NOT NULL,
	sku_code text NOT NULL,
	batch_id text NOT NULL,
	row      jsonb NOT NULL,
	PRIMARY KEY (code, day, sku_code)
);

CREATE TABLE ho_outlets (
	code        text NOT NULL,
	outlet_code text NOT NULL,
	row         jsonb NOT NULL,
	PRIMARY KEY (code, outlet_code)
);

CREATE TABLE ho_skus (
	sku_code text PRIMARY KEY,
	row      jsonb NOT NULL
);

-- Rollups are summed in the ingest's own transaction.
CREATE TABLE ho_rollups (
	rollup         text NOT NULL,
	code           text NOT NULL,
	day            date NOT NULL,
	dim            text NOT NULL,
	lines          bigint NOT NULL DEFAULT 0,
	qty            bigint NOT NULL DEFAULT 0,
	free_qty       bigint NOT NULL DEFAULT 0,
	sold           bigint NOT NULL DEFAULT 0,
	discount_paise bigint NOT NULL DEFAULT 0,
	taxable_paise  bigint NOT NULL DEFAULT 0,
	tax_paise      bigint NOT NULL DEFAULT 0,
	value_paise    bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (rollup, code, day, dim)
);

-- A row resent under its key with other content: the held row stays, the
-- operator sees both here.
CREATE TABLE ho_conflicts (
	code        text NOT NULL,
	part        text NOT NULL,
	row_key     text NOT NULL,
	batch_id    text NOT NULL,
	held        jsonb NOT NULL,
	sent        jsonb NOT NULL,
	received_at timestamptz NOT NULL,
	PRIMARY KEY (code, part, row_key, batch_id)
);

CREATE TABLE ho_admin (
	id       integer PRIMARY KEY CHECK (id = 1),
	username text NOT NULL,
	hash     bytea NOT NULL
);

CREATE TABLE ho_schemes (
	id      integer PRIMARY KEY CHECK (id = 1),
	schemes jsonb NOT NULL
);

-- Sessions are kept by the SHA-256 of their cookie, never the cookie.
CREATE TABLE ho_sessions (
	id_sha256 bytea PRIMARY KEY,
	expires   timestamptz NOT NULL
);

CREATE TABLE ho_replay (
	signature text PRIMARY KEY,
	signed_at timestamptz NOT NULL
);
CREATE INDEX ho_replay_signed_at ON ho_replay (signed_at);
`,
	// 2: the dashboard's national and regional views read one rollup for
	// every distributor over a period.
	`CREATE INDEX ho_rollups_by_day ON ho_rollups (rollup, day);`,
	// 3: month cells (headoffice.MonthGrain), kept in the ingest's
	// transaction beside the day cells: per distributor (scope = code) for
	// sales_dist, primary_dist, scheme and stock_dist, per region (scope =
	// region) for sales_sku and primary_sku. Built here from the day cells
	// a database already holds.
	`
CREATE TABLE ho_month_rollups (
	rollup         text NOT NULL,
	scope          text NOT NULL,
	month          date NOT NULL,
	dim            text NOT NULL,
	lines          bigint NOT NULL DEFAULT 0,
	qty            bigint NOT NULL DEFAULT 0,
	free_qty       bigint NOT NULL DEFAULT 0,
	sold           bigint NOT NULL DEFAULT 0,
	discount_paise bigint NOT NULL DEFAULT 0,
	taxable_paise  bigint NOT NULL DEFAULT 0,
	tax_paise      bigint NOT NULL DEFAULT 0,
	value_paise    bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (rollup, scope, month, dim)
);
CREATE INDEX ho_month_rollups_by_month ON ho_month_rollups (rollup, month);

INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT rollup, code, date_trunc('month', day)::date, dim, sum(lines), sum(qty), sum(free_qty), sum(sold),
	sum(discount_paise), sum(taxable_paise), sum(tax_paise), sum(value_paise)
FROM ho_rollups WHERE rollup IN ('sales_dist', 'primary_dist', 'scheme') GROUP BY 1, 2, 3, 4;

INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT r.rollup, d.region, date_trunc('month', r.day)::date, r.dim, sum(r.lines), sum(r.qty), sum(r.free_qty), sum(r.sold),
	sum(r.discount_paise), sum(r.taxable_paise), sum(r.tax_paise), sum(r.value_paise)
FROM ho_rollups r JOIN ho_distributors d ON d.code = r.code
WHERE r.rollup IN ('sales_sku', 'primary_sku') GROUP BY 1, 2, 3, 4;

INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, sold, value_paise)
SELECT 'stock_dist', code, date_trunc('month', day)::date, (array_agg(day::text ORDER BY day DESC))[1], count(*),
	(array_agg(qty ORDER BY day DESC))[1], sum(sold), (array_agg(value_paise ORDER BY day DESC))[1]
FROM ho_rollups WHERE rollup = 'stock_dist' GROUP BY code, 3;
`,
	// 4: the dashboard login's throttle (package loginlimit), so a restart
	// resets no lockout. Key and entry (JSON) are bytes: the shared
	// overflow entry's key holds a NUL, which text and jsonb refuse.
	`CREATE TABLE ho_login_limits (
	is_user boolean NOT NULL,
	key     bytea NOT NULL,
	entry   bytea NOT NULL,
	PRIMARY KEY (is_user, key)
);`,
	// 5: the region twins of the distributor month cells (sales_region,
	// primary_region, scheme_region, stock_region; see headoffice's
	// month.go), so national and region views read a cell per region.
	`
INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT CASE m.rollup WHEN 'sales_dist' THEN 'sales_region' WHEN 'primary_dist' THEN 'primary_region' ELSE 'scheme_region' END,
	d.region, m.month, m.dim, sum(m.lines), sum(m.qty), sum(m.free_qty), sum(m.sold),
	sum(m.discount_paise), sum(m.taxable_paise), sum(m.tax_paise), sum(m.value_paise)
FROM ho_month_rollups m JOIN ho_distributors d ON d.code = m.scope
WHERE m.rollup IN ('sales_dist', 'primary_dist', 'scheme') GROUP BY 1, 2, 3, 4;

INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, sold, value_paise)
SELECT 'stock_region', d.region, m.month, '', count(*), sum(m.qty), sum(m.sold * 1000 / greatest(m.lines, 1)), sum(m.value_paise)
FROM ho_month_rollups m JOIN ho_distributors d ON d.code = m.scope
WHERE m.rollup = 'stock_dist' GROUP BY 2, 3;
`,
	// 6: the region × day cells (sales_region, primary_region,
	// scheme_region, sales_sku_region, primary_sku_region; see
	// headoffice.DayTwin), kept in ho_rollups with the region as code, so a
	// period that is not whole months reads a cell per region and day.
	`
DELETE FROM ho_rollups WHERE rollup IN ('sales_region', 'primary_region', 'scheme_region', 'sales_sku_region', 'primary_sku_region');
INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT CASE r.rollup WHEN 'sales_dist' THEN 'sales_region' WHEN 'primary_dist' THEN 'primary_region' WHEN 'scheme' THEN 'scheme_region'
		WHEN 'sales_sku' THEN 'sales_sku_region' ELSE 'primary_sku_region' END,
	d.region, r.day, r.dim, sum(r.lines), sum(r.qty), sum(r.free_qty), sum(r.sold),
	sum(r.discount_paise), sum(r.taxable_paise), sum(r.tax_paise), sum(r.value_paise)
FROM ho_rollups r JOIN ho_distributors d ON d.code = r.code
WHERE r.rollup IN ('sales_dist', 'primary_dist', 'scheme', 'sales_sku', 'primary_sku') GROUP BY 1, 2, 3, 4;
`,
	// 7: a distributor's conflicting sales lines and the last one (what
	// the freshness view shows), counted from the conflicts held.
	`
ALTER TABLE ho_distributors ADD COLUMN IF NOT EXISTS conflicts integer NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS last_conflict text NOT NULL DEFAULT '';
UPDATE ho_distributors d SET conflicts = c.n, last_conflict = c.last
FROM (SELECT code, count(*) AS n, (array_agg('batch ' || batch_id || ': ' || replace(row_key, '|', ' ') || ' differs from the one already held'
	ORDER BY received_at DESC, batch_id DESC, row_key))[1] AS last
	FROM ho_conflicts WHERE part = 'sales_lines' GROUP BY code) c
WHERE d.code = c.code;
`,
	// 8: the national × SKU cells (sales_sku_national,
	// primary_sku_national; see headoffice.NationalTwin), day cells in
	// ho_rollups and month cells in ho_month_rollups with '' as code and
	// scope, summed from the regions' cells, so the national SKU and brand
	// views read a cell per SKU and day or month.
	`
DELETE FROM ho_rollups WHERE rollup IN ('sales_sku_national', 'primary_sku_national');
DELETE FROM ho_month_rollups WHERE rollup IN ('sales_sku_national', 'primary_sku_national');
INSERT INTO ho_rollups (rollup, code, day, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT replace(rollup, '_region', '_national'), '', day, dim, sum(lines), sum(qty), sum(free_qty), sum(sold),
	sum(discount_paise), sum(taxable_paise), sum(tax_paise), sum(value_paise)
FROM ho_rollups WHERE rollup IN ('sales_sku_region', 'primary_sku_region') GROUP BY 1, 2, 3, 4;
INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT rollup || '_national', '', month, dim, sum(lines), sum(qty), sum(free_qty), sum(sold),
	sum(discount_paise), sum(taxable_paise), sum(tax_paise), sum(value_paise)
FROM ho_month_rollups WHERE rollup IN ('sales_sku', 'primary_sku') GROUP BY 1, 2, 3, 4;
`,
	// 9: month cells per distributor by beat and by salesman, so the beat
	// and salesman drills read a distributor's months and edge days, not
	// every day of the period.
	`
DELETE FROM ho_month_rollups WHERE rollup IN ('sales_beat', 'sales_salesman');
INSERT INTO ho_month_rollups (rollup, scope, month, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise)
SELECT rollup, code, date_trunc('month', day)::date, dim, sum(lines), sum(qty), sum(free_qty), sum(sold),
	sum(discount_paise), sum(taxable_paise), sum(tax_paise), sum(value_paise)
FROM ho_rollups WHERE rollup IN ('sales_beat', 'sales_salesman') GROUP BY 1, 2, 3, 4;
`,
}

// migrateLock is the advisory lock that keeps two receivers starting at
// once from migrating together.
const migrateLock = 0x7669746172616e // "vitaran"

// Version is the schema version this build writes.
func Version() int { return len(migrations) }

// Migrate brings the database's schema to this build's version and returns
// the version found and the version now. A database newer than this build
// is refused.
func (s *Store) Migrate(ctx context.Context) (from, to int, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return 0, 0, fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS ho_schema_version (
		version    integer PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM ho_schema_version`).Scan(&from); err != nil {
		return 0, 0, fmt.Errorf("migrate: read version: %w", err)
	}
	if from > len(migrations) {
		return from, from, fmt.Errorf("migrate: the database is at schema version %d, newer than this build's %d; run the newer vitaran", from, len(migrations))
	}
	for v := from + 1; v <= len(migrations); v++ {
		if err := applyMigration(ctx, tx, v); err != nil {
			return from, v - 1, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return from, from, fmt.Errorf("migrate: commit: %w", err)
	}
	return from, len(migrations), nil
}

func applyMigration(ctx context.Context, tx pgx.Tx, v int) error {
	if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
		return fmt.Errorf("migrate to version %d: %w", v, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ho_schema_version (version) VALUES ($1)`, v); err != nil {
		return fmt.Errorf("migrate to version %d: %w", v, err)
	}
	return nil
}
