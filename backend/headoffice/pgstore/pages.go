package pgstore

import (
	"fmt"
	"strings"

	"vitaran/backend/headoffice"
	"vitaran/backend/money"
)

var _ headoffice.PlanPager = (*Store)(nil)

// PagePlan sums q.Roll over its plan (as SumPlan does), groups, orders,
// counts, totals and cuts in one query: the database holds the groups of
// a list of 25,000 distributors, the receiver one page of them. The count
// and totals come from the whole filter (a CTE both read), so they are
// there even for a page past the end.
func (s *Store) PagePlan(q headoffice.PlanPage) (headoffice.PlanPageAnswer, error) {
	var out headoffice.PlanPageAnswer
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var in within
	var region string
	if q.Region != "" {
		region = arg(q.Region)
		in = within{months: `scope IN (SELECT code FROM ho_distributors WHERE region = ` + region + `)`,
			days: `(SELECT code AS wanted FROM ho_distributors WHERE region = ` + region + `) AS w`}
	}
	k, d := "''", "''"
	if q.ByCode || q.Listed {
		k = "k"
	}
	if q.ByDim && !q.Listed {
		d = "dim"
	}
	cols := strings.Split(sumColumns, ", ")
	summed := make([]string, len(cols))
	for i, c := range cols {
		summed[i] = "sum(sign * " + c + ")::bigint AS " + c
	}
	grouped := func(roll headoffice.Rollup) string {
		parts := planParts(arg(string(roll)), in, q.Months, q.Plus, q.Minus, arg)
		if len(parts) == 0 {
			return `SELECT ''::text AS k, ''::text AS dim, ` + strings.Repeat("0::bigint, ", len(cols)-1) + `0::bigint WHERE false`
		}
		return `SELECT ` + k + ` AS k, ` + d + ` AS dim, ` + strings.Join(summed, ", ") + `
			FROM (` + strings.Join(parts, "\n\tUNION ALL ") + `) x GROUP BY 1, 2`
	}
	with := `WITH s AS (` + grouped(q.Roll) + `)`
	primary := "0::bigint"
	if q.Primary != "" {
		with += `, p AS (SELECT k, sum(taxable_paise)::bigint AS taxable_paise FROM (` + grouped(q.Primary) + `) pp GROUP BY k)`
		primary = "coalesce(p.taxable_paise, 0)"
	}
	var g string
	if q.Listed {
		c := make([]string, len(cols))
		for i, col := range cols {
			c[i] = "coalesce(s." + col + ", 0) AS " + col
		}
		g = `SELECT d.code AS k, d.name, ''::text AS dim, ` + strings.Join(c, ", ") + `, ` + primary + ` AS primary_paise
			FROM ho_distributors d LEFT JOIN s ON s.k = d.code`
		if q.Primary != "" {
			g += ` LEFT JOIN p ON p.k = d.code`
		}
		if region != "" {
			g += ` WHERE d.region = ` + region
		}
	} else {
		c := make([]string, len(cols))
		for i, col := range cols {
			c[i] = "s." + col
		}
		// A group whose cells net to nothing (a month less its days) is
		// left out, as the receiver's own sums leave it out.
		g = `SELECT s.k, ''::text AS name, s.dim, ` + strings.Join(c, ", ") + `, ` + primary + ` AS primary_paise FROM s`
		if q.Primary != "" {
			g += ` LEFT JOIN p ON p.k = s.k`
		}
		g += ` WHERE (` + strings.Join(c, ", ") + `) <> (` + strings.Repeat("0, ", len(cols)-1) + `0)`
	}
	if q.Q != "" {
		needle := arg(strings.ToLower(q.Q))
		match := `strpos(lower(k), ` + needle + `) > 0 OR strpos(lower(name), ` + needle + `) > 0 OR strpos(lower(dim), ` + needle + `) > 0`
		if q.Joined {
			match = `strpos(lower(k || '/' || dim), ` + needle + `) > 0`
		}
		g = `SELECT * FROM (` + g + `) gq WHERE ` + match
	}
	var order string
	switch q.OrderBy {
	case "taxable":
		order = "taxable_paise DESC"
	case "value":
		order = "value_paise DESC"
	default:
		return out, fmt.Errorf("page of %s: order by %q", q.Roll, q.OrderBy)
	}
	switch {
	case q.Joined:
		order += `, (k || '/' || dim) COLLATE "C"`
	case q.DimFirst:
		order += `, dim COLLATE "C", k COLLATE "C"`
	default:
		order += `, k COLLATE "C", dim COLLATE "C"`
	}
	var limit any // NULL: every row
	if q.Page.Limit > 0 {
		limit = q.Page.Limit
	}
	tot := make([]string, len(cols))
	for i, col := range cols {
		tot[i] = "coalesce(sum(" + col + "), 0)::bigint"
	}
	sql := with + `, g AS (` + g + `),
		t AS (SELECT count(*)::bigint AS n, ` + strings.Join(tot, ", ") + `, coalesce(sum(primary_paise), 0)::bigint FROM g)
		SELECT t.*, r.k, r.name, r.dim, ` + "r." + strings.Join(cols, ", r.") + `, r.primary_paise
		FROM t LEFT JOIN LATERAL (SELECT * FROM g ORDER BY ` + order + ` LIMIT ` + arg(limit) + `::bigint OFFSET ` + arg(q.Page.Offset) + `::bigint) r ON true`
	rows, err := s.pool.Query(bg(), sql, args...)
	if err != nil {
		return out, fmt.Errorf("page of %s: %w", q.Roll, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n, prim int64
		var t [8]int64
		var code, name, dim *string
		var f [8]*int64
		var rp *int64
		if err := rows.Scan(&n, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7], &prim,
			&code, &name, &dim, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &rp); err != nil {
			return out, fmt.Errorf("page of %s: %w", q.Roll, err)
		}
		out.Count, out.Total, out.Primary = int(n), headoffice.Loaded(q.Roll, headoffice.SumOf(t)), money.Paise(prim)
		if code == nil {
			continue // a page past the end: the totals alone
		}
		var v [8]int64
		for i := range f {
			v[i] = *f[i]
		}
		out.Rows = append(out.Rows, headoffice.PlanRow{Code: *code, Name: *name, Dim: *dim, Sum: headoffice.Loaded(q.Roll, headoffice.SumOf(v)), Primary: money.Paise(*rp)})
	}
	return out, rows.Err()
}
