// Package pgstore is head office's store on PostgreSQL, for a brand's
// scale: several receivers on one database, admin commands while they
// serve, and every constraint (a batch once, a row once) kept by the
// database itself.
package pgstore

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/loginlimit"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// Store is headoffice.Store over a PostgreSQL database.
type Store struct {
	pool   *pgxpool.Pool
	months sync.Map // "2006-01" → struct{}: sales-line partitions known to exist

	purgeMu sync.Mutex
	purged  time.Time
}

var _ headoffice.Store = (*Store)(nil)

// IsURL reports whether db names a PostgreSQL database (postgres:// or
// postgresql://) rather than a folder.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open connects to the database at url and migrates its schema to this
// build's version.
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Connect connects without migrating (for `headoffice migrate`, which
// reports what it did).
func Connect(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("head-office database: %w", err)
	}
	// Each query is planned for its own dates and distributors: a generic
	// plan (what a prepared statement turns to after five runs) reads a
	// month of rollups through the day index, row by row, ten times slower.
	if _, ok := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("head-office database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("head-office database %s@%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, err)
	}
	return &Store{pool: pool}, nil
}

// Pool is the store's connection pool (for tests and benchmarks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() error { s.pool.Close(); return nil }

func bg() context.Context { return context.Background() }

// day is a date parameter: "" stands for open-ended.
func day(d cal.Date, def string) string {
	if d == "" {
		return def
	}
	return string(d)
}

// AddDistributor registers d; a code already registered is an error.
func (s *Store) AddDistributor(d headoffice.Distributor) error {
	tag, err := s.pool.Exec(bg(), `INSERT INTO ho_distributors (code, region, name, key, added_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (code) DO NOTHING`, d.Code, d.Region, d.Name, d.Key, d.AddedAt)
	if err != nil {
		return fmt.Errorf("add distributor %s: %w", d.Code, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("distributor %s is already registered", d.Code)
	}
	return nil
}

const distributorCols = `code, region, name, key, added_at, batches, sales_lines, sales_taxable_paise,
	coalesce(last_upload, 'epoch'::timestamptz), last_batch_id, coalesce(data_to::text, ''), conflicts, last_conflict`

func scanDistributor(row pgx.Row) (headoffice.Distributor, error) {
	var d headoffice.Distributor
	var last time.Time
	var taxable int64
	var dataTo string
	err := row.Scan(&d.Code, &d.Region, &d.Name, &d.Key, &d.AddedAt, &d.Batches, &d.SalesLines, &taxable, &last, &d.LastBatchID, &dataTo, &d.Conflicts, &d.LastConflict)
	if err != nil {
		return d, err
	}
	d.AddedAt = d.AddedAt.UTC()
	if last.Unix() != 0 {
		d.LastUpload = last.UTC()
	}
	d.SalesTaxablePaise = money.Paise(taxable)
	d.DataTo = cal.Date(dataTo)
	return d, nil
}

// Distributor returns the distributor registered under code.
func (s *Store) Distributor(code string) (headoffice.Distributor, bool, error) {
	d, err := scanDistributor(s.pool.QueryRow(bg(), `SELECT `+distributorCols+` FROM ho_distributors WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return headoffice.Distributor{}, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("distributor %s: %w", code, err)
	}
	return d, true, nil
}

// Distributors lists every registered distributor by code.
func (s *Store) Distributors() ([]headoffice.Distributor, error) {
	rows, err := s.pool.Query(bg(), `SELECT `+distributorCols+` FROM ho_distributors ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("distributors: %w", err)
	}
	defer rows.Close()
	var out []headoffice.Distributor
	for rows.Next() {
		d, err := scanDistributor(rows)
		if err != nil {
			return nil, fmt.Errorf("distributors: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Directory lists the registered distributors (region's only, when given)
// by code.
func (s *Store) Directory(region string) ([]headoffice.Listed, error) {
	rows, err := s.pool.Query(bg(), `SELECT code, region, name FROM ho_distributors WHERE $1 = '' OR region = $1 ORDER BY code`, region)
	if err != nil {
		return nil, fmt.Errorf("distributors: %w", err)
	}
	defer rows.Close()
	var out []headoffice.Listed
	for rows.Next() {
		var l headoffice.Listed
		if err := rows.Scan(&l.Code, &l.Region, &l.Name); err != nil {
			return nil, fmt.Errorf("distributors: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Regions counts the registered distributors of each region.
func (s *Store) Regions() (map[string]int, error) {
	rows, err := s.pool.Query(bg(), `SELECT region, count(*) FROM ho_distributors GROUP BY region`)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var region string
		var n int
		if err := rows.Scan(&region, &n); err != nil {
			return nil, fmt.Errorf("regions: %w", err)
		}
		out[region] = n
	}
	return out, rows.Err()
}

// ScanRollup calls fn for each cell of code's rollup r with a day in
// [from, to], in day and dim order.
func (s *Store) ScanRollup(r headoffice.Rollup, code string, from, to cal.Date, fn func(day cal.Date, dim string, sm headoffice.Sum) error) error {
	rows, err := s.pool.Query(bg(), `SELECT day::text, dim, lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise
		FROM ho_rollups WHERE rollup = $1 AND code = $2 AND day BETWEEN $3::text::date AND $4::text::date
		ORDER BY day, dim COLLATE "C"`, string(r), code, day(from, "0001-01-01"), day(to, "9999-12-31"))
	if err != nil {
		return fmt.Errorf("rollup %s of %s: %w", r, code, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, dim string
		var f [8]int64
		if err := rows.Scan(&d, &dim, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
			return fmt.Errorf("rollup %s of %s: %w", r, code, err)
		}
		if err := fn(cal.Date(d), dim, headoffice.Loaded(r, headoffice.SumOf(f))); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanRows calls fn with each row's JSON decoded.
func scanRows[T any](s *Store, what, query string, fn func(T) error, args ...any) error {
	rows, err := s.pool.Query(bg(), query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StockOn returns code's stock rows on the last day ≤ day that has any.
func (s *Store) StockOn(code string, d cal.Date) ([]wire.StockLine, error) {
	var out []wire.StockLine
	err := scanRows(s, "stock of "+code, `SELECT row FROM ho_stock WHERE code = $1 AND day =
		(SELECT max(day) FROM ho_stock WHERE code = $1 AND day <= $2::text::date) ORDER BY sku_code COLLATE "C"`,
		func(l wire.StockLine) error { out = append(out, l); return nil }, code, day(d, "9999-12-31"))
	return out, err
}

// Outlets calls fn for each outlet code's distributor has sent.
func (s *Store) Outlets(code string, fn func(wire.Outlet) error) error {
	return scanRows(s, "outlets of "+code, `SELECT row FROM ho_outlets WHERE code = $1 ORDER BY outlet_code COLLATE "C"`, fn, code)
}

// SKUs calls fn for every SKU any distributor has sent, by brand SKU code.
func (s *Store) SKUs(fn func(wire.SKU) error) error {
	return scanRows(s, "SKUs", `SELECT row FROM ho_skus ORDER BY sku_code COLLATE "C"`, fn)
}

// SalesLines calls fn for code's sales lines dated in [from, to].
func (s *Store) SalesLines(code string, from, to cal.Date, fn func(wire.SalesLine) error) error {
	return scanRows(s, "sales lines of "+code, `SELECT row FROM ho_sales_lines
		WHERE code = $1 AND invoice_date BETWEEN $2::text::date AND $3::text::date
		ORDER BY invoice_date, doc_type COLLATE "C", invoice_no COLLATE "C", line_no`, fn, code, day(from, "0001-01-01"), day(to, "9999-12-31"))
}

// Redemptions calls fn for each of code's redemptions.
func (s *Store) Redemptions(code string, fn func(wire.Redemption) error) error {
	return scanRows(s, "redemptions of "+code, `SELECT row FROM ho_redemptions WHERE code = $1 ORDER BY redemption_id COLLATE "C"`, fn, code)
}

// Admin returns the dashboard's admin user and password hash ("" if unset).
func (s *Store) Admin() (string, []byte, error) {
	var user string
	var hash []byte
	err := s.pool.QueryRow(bg(), `SELECT username, hash FROM ho_admin WHERE id = 1`).Scan(&user, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("admin: %w", err)
	}
	return user, hash, nil
}

// SetAdmin sets the dashboard's admin user and password hash.
func (s *Store) SetAdmin(user string, hash []byte) error {
	_, err := s.pool.Exec(bg(), `INSERT INTO ho_admin (id, username, hash) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET username = excluded.username, hash = excluded.hash`, user, hash)
	if err != nil {
		return fmt.Errorf("set admin: %w", err)
	}
	return nil
}

// SetSchemes replaces the schemes head office issued.
func (s *Store) SetSchemes(ss []rules.Scheme) error {
	raw, err := json.Marshal(ss)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(bg(), `INSERT INTO ho_schemes (id, schemes) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET schemes = excluded.schemes`, string(raw))
	if err != nil {
		return fmt.Errorf("set schemes: %w", err)
	}
	return nil
}

// IssuedSchemes returns the schemes stored with SetSchemes (nil if none).
func (s *Store) IssuedSchemes() ([]rules.Scheme, error) {
	var raw []byte
	err := s.pool.QueryRow(bg(), `SELECT schemes FROM ho_schemes WHERE id = 1`).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("issued schemes: %w", err)
	}
	var ss []rules.Scheme
	if err := json.Unmarshal(raw, &ss); err != nil {
		return nil, fmt.Errorf("issued schemes: %w", err)
	}
	return ss, nil
}

// LoginLimits returns the dashboard login throttle's entries.
func (s *Store) LoginLimits() ([]loginlimit.Entry, error) {
	rows, err := s.pool.Query(bg(), `SELECT entry FROM ho_login_limits`)
	if err != nil {
		return nil, fmt.Errorf("login throttle: %w", err)
	}
	defer rows.Close()
	var out []loginlimit.Entry
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("login throttle: %w", err)
		}
		var e loginlimit.Entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("login throttle: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveLoginLimits writes the entries a login changed, deleting the empty
// ones, in one transaction.
func (s *Store) SaveLoginLimits(changed []loginlimit.Entry) error {
	batch := &pgx.Batch{}
	for _, e := range changed {
		if e.Empty() {
			batch.Queue(`DELETE FROM ho_login_limits WHERE is_user = $1 AND key = $2`, e.User, []byte(e.Key))
			continue
		}
		raw, err := json.Marshal(e)
		if err != nil {
			return err
		}
		batch.Queue(`INSERT INTO ho_login_limits (is_user, key, entry) VALUES ($1, $2, $3)
			ON CONFLICT (is_user, key) DO UPDATE SET entry = excluded.entry`, e.User, []byte(e.Key), raw)
	}
	tx, err := s.pool.Begin(bg())
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	defer tx.Rollback(bg())
	if err := tx.SendBatch(bg(), batch).Close(); err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	if err := tx.Commit(bg()); err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}

func sessionKey(id string) []byte { h := sha256.Sum256([]byte(id)); return h[:] }

// OpenSession keeps id until expires.
func (s *Store) OpenSession(id string, expires time.Time) error {
	_, err := s.pool.Exec(bg(), `INSERT INTO ho_sessions (id_sha256, expires) VALUES ($1, $2)
		ON CONFLICT (id_sha256) DO UPDATE SET expires = excluded.expires`, sessionKey(id), expires)
	if err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	return nil
}

// SessionValid reports whether id is open at now; an expired one is dropped.
func (s *Store) SessionValid(id string, now time.Time) (bool, error) {
	var exp time.Time
	err := s.pool.QueryRow(bg(), `SELECT expires FROM ho_sessions WHERE id_sha256 = $1`, sessionKey(id)).Scan(&exp)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("session: %w", err)
	}
	if now.After(exp) {
		return false, s.CloseSession(id)
	}
	return true, nil
}

// CloseSession ends id.
func (s *Store) CloseSession(id string) error {
	if _, err := s.pool.Exec(bg(), `DELETE FROM ho_sessions WHERE id_sha256 = $1`, sessionKey(id)); err != nil {
		return fmt.Errorf("close session: %w", err)
	}
	return nil
}

// FirstSignature records sig; the primary key makes a second receiver (or
// this one after a restart) see it as already used.
func (s *Store) FirstSignature(sig string, signedAt, now time.Time, window time.Duration) (bool, error) {
	s.purgeMu.Lock()
	purge := now.Sub(s.purged) > window/4
	if purge {
		s.purged = now
	}
	s.purgeMu.Unlock()
	if purge {
		if _, err := s.pool.Exec(bg(), `DELETE FROM ho_replay WHERE signed_at < $1`, now.Add(-window)); err != nil {
			return false, fmt.Errorf("replay cache: %w", err)
		}
	}
	tag, err := s.pool.Exec(bg(), `INSERT INTO ho_replay (signature, signed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, sig, signedAt)
	if err != nil {
		return false, fmt.Errorf("replay cache: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Conflicts lists the rows sent with other content under a held key, by
// distributor, part and key ("" for every distributor).
func (s *Store) Conflicts(code string) ([]headoffice.Conflict, error) {
	rows, err := s.pool.Query(bg(), `SELECT code, part, row_key, batch_id, held::text, sent::text, received_at FROM ho_conflicts
		WHERE $1 = '' OR code = $1 ORDER BY code COLLATE "C", part, row_key COLLATE "C", received_at`, code)
	if err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	defer rows.Close()
	var out []headoffice.Conflict
	for rows.Next() {
		var c headoffice.Conflict
		var held, sent string
		if err := rows.Scan(&c.Code, &c.Part, &c.RowKey, &c.BatchID, &held, &sent, &c.ReceivedAt); err != nil {
			return nil, fmt.Errorf("conflicts: %w", err)
		}
		c.Held, c.Sent, c.ReceivedAt = json.RawMessage(held), json.RawMessage(sent), c.ReceivedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

var _ headoffice.RollupSummer = (*Store)(nil)

// SumRollup sums r over [from, to] for codes (all when nil) in one query,
// grouped by distributor and/or dim.
func (s *Store) SumRollup(r headoffice.Rollup, codes []string, from, to cal.Date, byCode, byDim bool, fn func(code, dim string, sm headoffice.Sum) error) error {
	src, args := scope(codes, string(r), day(from, "0001-01-01"), day(to, "9999-12-31"))
	return s.sumGrouped(r, "code", src, args, byCode, byDim, fn)
}

func (s *Store) sumGrouped(r headoffice.Rollup, keyCol, src string, args []any, byKey, byDim bool, fn func(key, dim string, sm headoffice.Sum) error) error {
	c, d := "''", "''"
	if byKey {
		c = keyCol
	}
	if byDim {
		d = "dim"
	}
	// In no order: every caller adds the sums into its own groups (a list
	// of 25,000 distributors' cells sorted here would be sorted twice).
	rows, err := s.pool.Query(bg(), `SELECT `+c+`, `+d+`, `+sumsOf("sum")+`
		FROM `+src+`
		GROUP BY 1, 2`, args...)
	if err != nil {
		return fmt.Errorf("rollup %s: %w", r, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, dim string
		var f [8]int64
		if err := rows.Scan(&key, &dim, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
			return fmt.Errorf("rollup %s: %w", r, err)
		}
		if err := fn(key, dim, headoffice.Loaded(r, headoffice.SumOf(f))); err != nil {
			return err
		}
	}
	return rows.Err()
}

var _ headoffice.PlanSummer = (*Store)(nil)

// SumPlan sums r over months (runs of first days) from its month cells,
// plus the days plus and less the days minus from its day cells, for codes
// (all when nil), in one query grouped by distributor and/or dim: a list
// by distributor is read and sent once, not once per part of the period.
func (s *Store) SumPlan(r headoffice.Rollup, codes []string, months, plus, minus []headoffice.Period, byCode, byDim bool, fn func(code, dim string, sm headoffice.Sum) error) error {
	args := []any{string(r)}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var in within
	if codes != nil {
		wanted := arg(codes)
		in = within{months: `scope = ANY(` + wanted + `::text[])`, days: `unnest(` + wanted + `::text[]) AS w(wanted)`}
	}
	parts := planParts("$1", in, months, plus, minus, arg)
	if len(parts) == 0 {
		return nil
	}
	c, d := "''", "''"
	if byCode {
		c = "k"
	}
	if byDim {
		d = "dim"
	}
	cols := strings.Split(sumColumns, ", ")
	for i, col := range cols {
		cols[i] = "sum(sign * " + col + ")::bigint"
	}
	rows, err := s.pool.Query(bg(), `SELECT `+c+`, `+d+`, `+strings.Join(cols, ", ")+`
		FROM (`+strings.Join(parts, "\n\tUNION ALL ")+`) x GROUP BY 1, 2`, args...)
	if err != nil {
		return fmt.Errorf("rollup %s: %w", r, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, dim string
		var f [8]int64
		if err := rows.Scan(&key, &dim, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
			return fmt.Errorf("rollup %s: %w", r, err)
		}
		if err := fn(key, dim, headoffice.Loaded(r, headoffice.SumOf(f))); err != nil {
			return err
		}
	}
	return rows.Err()
}

// within is the distributors a plan reads: a condition on the month
// cells' scope, and a FROM item whose column wanted is their codes (each
// read by its own primary-key range, as scope does); both "" for every
// distributor.
type within struct{ months, days string }

// planParts is the SELECTs a plan's sum unites (k, dim, sign and the sum
// columns): the months from roll's month cells, plus and minus its days.
func planParts(roll string, in within, months, plus, minus []headoffice.Period, arg func(any) string) []string {
	var parts []string
	for _, m := range months {
		q := `SELECT scope AS k, dim, 1 AS sign, ` + sumColumns + ` FROM ho_month_rollups WHERE rollup = ` + roll + ` AND month BETWEEN ` +
			arg(day(m.From, "0001-01-01")) + `::text::date AND ` + arg(day(m.To, "9999-12-31")) + `::text::date`
		if in.months != "" {
			q += ` AND ` + in.months
		}
		parts = append(parts, q)
	}
	for i, p := range append(slices.Clone(plus), minus...) {
		sign := "1"
		if i >= len(plus) {
			sign = "-1"
		}
		rows := `ho_rollups WHERE rollup = ` + roll + ` AND day BETWEEN ` + arg(day(p.From, "0001-01-01")) + `::text::date AND ` + arg(day(p.To, "9999-12-31")) + `::text::date`
		if in.days == "" {
			parts = append(parts, `SELECT code AS k, dim, `+sign+` AS sign, `+sumColumns+` FROM `+rows)
			continue
		}
		parts = append(parts, `SELECT r.code AS k, r.dim, `+sign+` AS sign, `+sumColumns+` FROM `+in.days+`,
			LATERAL (SELECT * FROM `+rows+` AND code = w.wanted OFFSET 0) r`)
	}
	return parts
}

// StockDays is each distributor's last stock day in [from, to], with that
// day's closing and value, the units sold over the period and the days
// reported, in one query.
func (s *Store) StockDays(codes []string, from, to cal.Date, fn func(code string, last cal.Date, sm headoffice.Sum, days int) error) error {
	src, args := scope(codes, string(headoffice.RollStockDist), day(from, "0001-01-01"), day(to, "9999-12-31"))
	return s.stockGrouped("code", "day", "day::text", "1", src, args, fn)
}

// stockGrouped reads, per key, the last row's (by order) last day, closing
// and value, and sums sold and days.
func (s *Store) stockGrouped(keyCol, order, last, days, src string, args []any, fn func(code string, last cal.Date, sm headoffice.Sum, days int) error) error {
	rows, err := s.pool.Query(bg(), `SELECT `+keyCol+`, (array_agg(`+last+` ORDER BY `+order+` DESC))[1],
		(array_agg(qty ORDER BY `+order+` DESC))[1], (array_agg(value_paise ORDER BY `+order+` DESC))[1], sum(sold)::bigint, sum(`+days+`)::bigint
		FROM `+src+`
		GROUP BY `+keyCol, args...)
	if err != nil {
		return fmt.Errorf("stock days: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, last string
		var qty, value, sold, days int64
		if err := rows.Scan(&code, &last, &qty, &value, &sold, &days); err != nil {
			return fmt.Errorf("stock days: %w", err)
		}
		if err := fn(code, cal.Date(last), headoffice.Sum{Qty: money.Qty(qty), Value: money.Paise(value), Sold: money.Qty(sold)}, int(days)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scope is the rollup rows a bulk query reads ($1 rollup, $2 and $3 the
// days): every distributor's, or (codes not nil) those of the codes, each
// read by its own primary-key range (OFFSET 0 keeps the planner from
// turning that into a scan of every distributor's rows).
func scope(codes []string, args ...any) (string, []any) {
	return scopeOf(`ho_rollups WHERE rollup = $1 AND day BETWEEN $2::text::date AND $3::text::date`, "code", codes, args)
}

func scopeOf(rows, col string, codes []string, args []any) (string, []any) {
	if codes == nil {
		return rows, args
	}
	return fmt.Sprintf(`unnest($%d::text[]) AS k(wanted), LATERAL (SELECT * FROM `+rows+` AND `+col+` = k.wanted OFFSET 0) r`, len(args)+1), append(args, codes)
}

// monthScope is the month cells ($1 rollup, $2 and $3 the first
// days of the months) of every scope, or of those in scopes.
//
// A month's cells are few (one per distributor or region and dim), so
// those of a list of scopes are read by a filter over the month's cells
// (hashed), not a lookup per scope.
func monthScope(scopes []string, args ...any) (string, []any) {
	const rows = `ho_month_rollups WHERE rollup = $1 AND month BETWEEN $2::text::date AND $3::text::date`
	if scopes == nil {
		return rows, args
	}
	return fmt.Sprintf(rows+` AND scope = ANY($%d::text[])`, len(args)+1), append(args, scopes)
}

// ScanMonths calls fn for each month cell of r kept for scope with a month
// in [from, to], in month and dim order.
func (s *Store) ScanMonths(r headoffice.Rollup, scope string, from, to cal.Date, fn func(month cal.Date, dim string, sm headoffice.Sum) error) error {
	rows, err := s.pool.Query(bg(), `SELECT month::text, dim, `+sumsOf("")+`
		FROM ho_month_rollups WHERE rollup = $1 AND scope = $2 AND month BETWEEN $3::text::date AND $4::text::date
		ORDER BY month, dim COLLATE "C"`, string(r), scope, day(from, "0001-01-01"), day(to, "9999-12-31"))
	if err != nil {
		return fmt.Errorf("month rollup %s of %s: %w", r, scope, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, dim string
		var f [8]int64
		if err := rows.Scan(&m, &dim, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
			return fmt.Errorf("month rollup %s of %s: %w", r, scope, err)
		}
		if err := fn(cal.Date(m), dim, headoffice.Loaded(r, headoffice.SumOf(f))); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sumsOf is the eight sum columns, each wrapped in agg ("" for none).
func sumsOf(agg string) string {
	cols := strings.Split(sumColumns, ", ")
	if agg != "" {
		for i, c := range cols {
			cols[i] = agg + "(" + c + ")::bigint"
		}
	}
	return strings.Join(cols, ", ")
}

const sumColumns = "lines, qty, free_qty, sold, discount_paise, taxable_paise, tax_paise, value_paise"

// SumMonths sums r's month cells over [from, to] for scopes (all when nil)
// in one query, grouped by scope and/or dim.
func (s *Store) SumMonths(r headoffice.Rollup, scopes []string, from, to cal.Date, byScope, byDim bool, fn func(scope, dim string, sm headoffice.Sum) error) error {
	src, args := monthScope(scopes, string(r), day(from, "0001-01-01"), day(to, "9999-12-31"))
	return s.sumGrouped(r, "scope", src, args, byScope, byDim, fn)
}

// StockMonths is each distributor's last stock day in the months [from,
// to], with that day's closing and value, the units sold and the days
// reported, from the stock's month cells in one query.
func (s *Store) StockMonths(codes []string, from, to cal.Date, fn func(code string, last cal.Date, sm headoffice.Sum, days int) error) error {
	src, args := monthScope(codes, string(headoffice.RollStockDist), day(from, "0001-01-01"), day(to, "9999-12-31"))
	return s.stockGrouped("scope", "month", "dim", "lines", src, args, fn)
}
