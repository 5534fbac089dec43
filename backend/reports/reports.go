// Package reports answers the distributor's questions about the book: the
// sales register, sales by item, outlet, beat and salesman, stock with its
// batches, the reconciliation, scheme claims, outstanding and ageing, and the
// HSN-wise GST summary for GSTR-1 — as rows for the screen and as a
// spreadsheet, from one definition each.
//
// Always true: a report's totals are the sums of its rows (after its filters),
// in paise and base units, never floats; the sales reports read posted
// invoices (cancelled ones left out) and credit notes (a return is negative
// quantity and value on its own date) in date and number order, so their
// taxable and tax sum to the invoice register's to the paisa; rows are
// produced one at a time, so an export streams from the book to the writer
// without holding the report.
package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

// Column is one column of a report.
type Column struct {
	Key   string         `json:"key"`
	Title string         `json:"title"`
	Type  excel.CellType `json:"-"`
	Kind  string         `json:"type"` // money, qty, int, percent, date, text, bool
	Total bool           `json:"total,omitempty"`
	Width float64        `json:"-"`
}

// Params choose a report's period, filters and order.
type Params struct {
	From, To cal.Date
	// AsOf is the day of a point-in-time report (stock, outstanding); To
	// when empty.
	AsOf cal.Date
	// Filters match a text column's value exactly, without regard to case
	// (outlet=OUT1, beat=JAYA-MON, brand=Dove).
	Filters map[string]string
	// Sort is a column key; Desc reverses it.
	Sort string
	Desc bool
	// Limit caps the rows on screen (0: all) and Offset skips rows before
	// them: a page of the report. Count and totals cover every row.
	Limit, Offset int
	// Oldest keeps a register (a report with a date per row) in date order;
	// by default the screen reads it newest first. Export is always in date
	// order.
	Oldest bool
}

// Report is a report's rows for the screen.
type Report struct {
	Name    string         `json:"name"`
	Title   string         `json:"title"`
	From    cal.Date       `json:"from,omitempty"`
	To      cal.Date       `json:"to,omitempty"`
	Columns []Column       `json:"columns"`
	Rows    [][]any        `json:"rows"`
	Count   int            `json:"count"` // rows before the limit
	Total   int            `json:"total"` // the same: every row of the filter
	Offset  int            `json:"offset"`
	Limit   int            `json:"limit"`
	Order   string         `json:"order,omitempty"` // registers: newest or oldest
	Totals  map[string]any `json:"totals"`
}

// dated says the report is a register: one row per document and date, read
// newest first on screen.
func (d *Def) dated() bool { return d.Period && d.col("date") == 0 }

// Def is one report.
type Def struct {
	Name, Title string
	Columns     []Column
	// Period says the report needs from and to (otherwise an as-of day).
	Period bool
	run    func(tx *book.Tx, p Params, emit func(row []any) error) error
}

var defs = map[string]*Def{}

func register(d *Def) {
	for i := range d.Columns {
		c := &d.Columns[i]
		c.Kind = kindOf(c.Type)
	}
	defs[d.Name] = d
}

func kindOf(t excel.CellType) string {
	switch t {
	case excel.Money:
		return "money"
	case excel.Qty:
		return "qty"
	case excel.Int:
		return "int"
	case excel.Percent, excel.GSTRate:
		return "percent"
	case excel.Date:
		return "date"
	case excel.Bool:
		return "bool"
	}
	return "text"
}

// All lists the reports by name.
func All() []*Def {
	var out []*Def
	for _, d := range defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a report by name.
func Lookup(name string) (*Def, error) {
	d, ok := defs[name]
	if !ok {
		var names []string
		for _, d := range All() {
			names = append(names, d.Name)
		}
		return nil, fail.NotFound("report", fmt.Sprintf("%s (reports: %s)", name, strings.Join(names, ", ")))
	}
	return d, nil
}

func (d *Def) check(p *Params) error {
	if p.AsOf == "" {
		p.AsOf = p.To
	}
	for _, f := range []struct {
		name string
		v    cal.Date
	}{{"from", p.From}, {"to", p.To}, {"as_of", p.AsOf}} {
		if f.v != "" && !f.v.Valid() {
			return fail.Invalid(f.name, "%q is not a date (YYYY-MM-DD)", f.v)
		}
	}
	if d.Period {
		if p.From == "" || p.To == "" {
			return fail.Invalid("from", "the %s needs a period: from and to (YYYY-MM-DD)", d.Title)
		}
		if p.To < p.From {
			return fail.Invalid("to", "ends before from")
		}
	} else if p.AsOf == "" {
		return fail.Invalid("as_of", "the %s needs a day: as_of or to (YYYY-MM-DD)", d.Title)
	}
	for k := range p.Filters {
		if d.col(k) < 0 {
			return fail.Invalid(k, "is not a column of the %s", d.Title)
		}
	}
	if p.Sort != "" && d.col(p.Sort) < 0 {
		return fail.Invalid("sort", "%q is not a column of the %s", p.Sort, d.Title)
	}
	return nil
}

func (d *Def) col(key string) int {
	for i, c := range d.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// rows runs the report with its filters applied.
func (d *Def) rows(tx *book.Tx, p Params, emit func([]any) error) error {
	type match struct {
		i int
		v string
	}
	var ms []match
	for k, v := range p.Filters {
		ms = append(ms, match{d.col(k), v})
	}
	return d.run(tx, p, func(row []any) error {
		for _, m := range ms {
			if !strings.EqualFold(fmt.Sprint(row[m.i]), m.v) {
				return nil
			}
		}
		return emit(row)
	})
}

// Run builds the report for the screen.
func Run(tx *book.Tx, name string, p Params) (*Report, error) {
	d, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if err := d.check(&p); err != nil {
		return nil, err
	}
	r := &Report{Name: d.Name, Title: d.Title, Columns: d.Columns, Rows: [][]any{}, Totals: map[string]any{}}
	if d.Period {
		r.From, r.To = p.From, p.To
	} else {
		r.To = p.AsOf
	}
	sums := make([]int64, len(d.Columns))
	err = d.rows(tx, p, func(row []any) error {
		addTotals(d, sums, row)
		r.Rows = append(r.Rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.Sort != "" {
		sortRows(r.Rows, d.col(p.Sort), p.Desc)
	} else if d.dated() {
		r.Order = "oldest"
		if !p.Oldest {
			r.Order = "newest"
			for i, j := 0, len(r.Rows)-1; i < j; i, j = i+1, j-1 {
				r.Rows[i], r.Rows[j] = r.Rows[j], r.Rows[i]
			}
		}
	}
	r.Count, r.Total, r.Offset, r.Limit = len(r.Rows), len(r.Rows), p.Offset, p.Limit
	if p.Offset > 0 {
		r.Rows = r.Rows[min(p.Offset, len(r.Rows)):]
	}
	if p.Limit > 0 && len(r.Rows) > p.Limit {
		r.Rows = r.Rows[:p.Limit]
	}
	for i, c := range d.Columns {
		if c.Total {
			r.Totals[c.Key] = sums[i]
		}
	}
	return r, nil
}

func addTotals(d *Def, sums []int64, row []any) {
	for i, c := range d.Columns {
		if c.Total {
			sums[i] += asInt(row[i])
		}
	}
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case money.Paise:
		return int64(x)
	case money.Qty:
		return int64(x)
	case money.BP:
		return int64(x)
	case int:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

func sortRows(rows [][]any, i int, desc bool) {
	less := func(a, b any) bool {
		switch x := a.(type) {
		case string:
			return x < b.(string)
		case cal.Date:
			return x < b.(cal.Date)
		case bool:
			return !x && b.(bool)
		}
		return asInt(a) < asInt(b)
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if desc {
			return less(rows[b][i], rows[a][i])
		}
		return less(rows[a][i], rows[b][i])
	})
}

// Export writes the report as an .xlsx: typed cells, ₹ format, a frozen
// bold header, a filter and a totals row. Unsorted, rows go from the book
// straight to the writer. progress, when set, hears every 5,000 rows.
func Export(tx *book.Tx, name string, p Params, out io.Writer, progress func(rows int)) (int, error) {
	d, err := Lookup(name)
	if err != nil {
		return 0, err
	}
	if err := d.check(&p); err != nil {
		return 0, err
	}
	cols := make([]excel.Column, len(d.Columns))
	for i, c := range d.Columns {
		cols[i] = excel.Column{Title: c.Title, Type: c.Type, Width: c.Width, Total: c.Total}
	}
	w := excel.NewExport(out, sheetName(d.Title), cols)
	write := func(row []any) error {
		if err := w.Row(row...); err != nil {
			return err
		}
		if n := w.Rows(); progress != nil && n%5000 == 0 {
			progress(n)
		}
		return nil
	}
	if p.Sort != "" {
		var rows [][]any
		if err := d.rows(tx, p, func(r []any) error { rows = append(rows, r); return nil }); err != nil {
			return 0, err
		}
		sortRows(rows, d.col(p.Sort), p.Desc)
		for _, r := range rows {
			if err := write(r); err != nil {
				return 0, err
			}
		}
	} else if err := d.rows(tx, p, write); err != nil {
		return 0, err
	}
	n := w.Rows()
	return n, w.Close()
}

func sheetName(s string) string {
	s = strings.NewReplacer("/", "-", "\\", "-", "?", "", "*", "", "[", "(", "]", ")", ":", "-").Replace(s)
	if len(s) > 31 {
		s = s[:31]
	}
	return s
}

// FileName is a sensible name for a report's export.
func FileName(name string, p Params) string {
	if p.From != "" && p.To != "" {
		return fmt.Sprintf("%s_%s_%s.xlsx", name, p.From.Compact(), p.To.Compact())
	}
	d := p.AsOf
	if d == "" {
		d = p.To
	}
	return fmt.Sprintf("%s_%s.xlsx", name, d.Compact())
}
