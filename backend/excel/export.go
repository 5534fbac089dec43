package excel

import (
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Number formats. Excel groups digits by the comma pattern only in the
// user's locale, so the rupee format spells the Indian lakh/crore grouping
// with conditions; the last section covers negatives and small amounts.
const (
	FormatRupees = `[>=10000000]"₹"##\,##\,##\,##0.00;[>=100000]"₹"##\,##\,##0.00;"₹"#,##0.00`
	FormatQty    = `#,##0`
	FormatDate   = `dd-mm-yyyy`
	FormatPct    = `0.00"%"`
)

// Column is one column of an exported sheet.
type Column struct {
	Title string
	Type  CellType // Money, Qty, Int, Percent, GSTRate, Date, Bool or text-like
	Width float64  // 0: sized from the title and the first rows
	Total bool     // sum it in a totals row (Money, Qty, Int)
}

// Export writes one sheet of typed rows through excelize's streaming writer:
// memory stays flat however many rows are written.
//
//	w := excel.NewExport(out, "Sales Register", cols)
//	for … { w.Row(inv.No, inv.Date, inv.Outlet, inv.Total) }
//	err := w.Close()
//
// Values by column type: Money takes money.Paise, Qty and Int take
// money.Qty or any int, Percent/GSTRate money.BP, Date cal.Date or
// time.Time, Bool bool (written Yes/No), others string or fmt.Stringer.
// nil or "" leaves a cell blank.
type Export struct {
	out    io.Writer
	sheet  string
	cols   []Column
	f      *excelize.File
	sw     *excelize.StreamWriter
	styles []int
	bold   int
	err    error
	row    int     // last sheet row written
	early  [][]any // rows held back to size the columns
	sums   []int64 // totals, in paise / units / bp
	widths []float64
	buf    []any // a row's cells, reused
}

// sampleRows is how many rows are looked at to size the columns.
const sampleRows = 100

// NewExport starts a workbook with one sheet. Errors are reported by Row
// and Close.
func NewExport(out io.Writer, sheet string, cols []Column) *Export {
	e := &Export{out: out, sheet: sheet, cols: cols, f: excelize.NewFile(),
		sums: make([]int64, len(cols)), widths: make([]float64, len(cols))}
	if sheet == "" {
		e.sheet = "Sheet1"
	}
	if e.sheet != "Sheet1" {
		if e.err = e.f.SetSheetName("Sheet1", e.sheet); e.err != nil {
			return e
		}
	}
	e.bold, e.err = e.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if e.err != nil {
		return e
	}
	e.styles = make([]int, len(cols))
	fmts := map[CellType]string{Money: FormatRupees, Qty: FormatQty, Int: FormatQty, Date: FormatDate,
		Percent: FormatPct, GSTRate: FormatPct}
	for i, c := range cols {
		if nf, ok := fmts[c.Type]; ok {
			nf := nf
			if e.styles[i], e.err = e.f.NewStyle(&excelize.Style{CustomNumFmt: &nf}); e.err != nil {
				return e
			}
		}
		e.widths[i] = max(float64(utf8.RuneCountInString(c.Title))+4, 8)
	}
	e.sw, e.err = e.f.NewStreamWriter(e.sheet)
	return e
}

// Row writes one row, a value per column.
func (e *Export) Row(values ...any) error {
	if e.err != nil {
		return e.err
	}
	if len(values) > len(e.cols) {
		e.err = fmt.Errorf("export %s: row has %d values for %d columns", e.sheet, len(values), len(e.cols))
		return e.err
	}
	if e.early != nil || e.row == 0 {
		if len(e.early) < sampleRows {
			e.early = append(e.early, append([]any(nil), values...))
			return nil
		}
		if e.err = e.start(); e.err != nil {
			return e.err
		}
	}
	e.err = e.write(values)
	return e.err
}

// start fixes the widths from the sampled rows, writes the header and the
// held-back rows.
func (e *Export) start() error {
	for _, vals := range e.early {
		for i, v := range vals {
			e.widths[i] = max(e.widths[i], float64(e.width(i, v)))
		}
	}
	for i, c := range e.cols {
		w := min(e.widths[i], 60)
		if c.Width > 0 {
			w = c.Width
		}
		if err := e.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := e.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(e.cols))
	for i, c := range e.cols {
		head[i] = excelize.Cell{StyleID: e.bold, Value: c.Title}
	}
	e.row = 1
	if err := e.sw.SetRow("A1", head, excelize.RowOpts{StyleID: e.bold}); err != nil {
		return err
	}
	early := e.early
	e.early = nil
	for _, vals := range early {
		if err := e.write(vals); err != nil {
			return err
		}
	}
	return nil
}

func (e *Export) width(i int, v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case money.Paise:
		return len(x.String()) + 4
	case cal.Date, time.Time:
		return 12
	case string:
		return utf8.RuneCountInString(x) + 2
	case fmt.Stringer:
		return utf8.RuneCountInString(x.String()) + 2
	}
	return len(fmt.Sprint(v)) + 3
}

func (e *Export) write(values []any) error {
	e.row++
	cells := e.buf[:0]
	for i, v := range values {
		c, n, err := e.cell(i, v)
		if err != nil {
			return fmt.Errorf("export %s: row %d, column %s: %w", e.sheet, e.row, e.cols[i].Title, err)
		}
		if e.cols[i].Total {
			e.sums[i] += n
		}
		cells = append(cells, c)
	}
	e.buf = cells
	ref, _ := excelize.CoordinatesToCellName(1, e.row)
	return e.sw.SetRow(ref, cells)
}

// cell converts one value to what the stream writer takes, and the integer
// it adds to a total.
func (e *Export) cell(i int, v any) (any, int64, error) {
	if v == nil {
		return nil, 0, nil
	}
	st := e.styles[i]
	switch e.cols[i].Type {
	case Money:
		p, ok := v.(money.Paise)
		if !ok {
			return nil, 0, fmt.Errorf("want money.Paise, got %T", v)
		}
		return excelize.Cell{StyleID: st, Value: rupees(p)}, int64(p), nil
	case Qty, Int:
		n, ok := integer(v)
		if !ok {
			return nil, 0, fmt.Errorf("want a whole number, got %T", v)
		}
		return excelize.Cell{StyleID: st, Value: n}, n, nil
	case Percent, GSTRate:
		b, ok := v.(money.BP)
		if !ok {
			return nil, 0, fmt.Errorf("want money.BP, got %T", v)
		}
		return excelize.Cell{StyleID: st, Value: rupees(money.Paise(b))}, int64(b), nil
	case Date:
		var d cal.Date
		switch x := v.(type) {
		case cal.Date:
			d = x
		case time.Time:
			d = cal.Of(x)
		default:
			return nil, 0, fmt.Errorf("want cal.Date, got %T", v)
		}
		if d == "" {
			return nil, 0, nil
		}
		if !d.Valid() {
			return nil, 0, fmt.Errorf("%q is not a date", d)
		}
		return excelize.Cell{StyleID: st, Value: Serial(d)}, 0, nil
	case Bool:
		if b, ok := v.(bool); ok {
			if b {
				return "Yes", 0, nil
			}
			return "No", 0, nil
		}
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil, 0, nil
		}
		return x, 0, nil
	case fmt.Stringer:
		return x.String(), 0, nil
	}
	return fmt.Sprint(v), 0, nil
}

// rupees is the number Excel stores for an amount. Excel's cells are
// binary floating point, so the value handed over is the double nearest
// the exact decimal text; excelize writes it back as its shortest decimal
// form, which is that same text ("1234.56"): what is in the file is exact.
// Whole rupees go over as integers.
func rupees(p money.Paise) any {
	if p%100 == 0 {
		return int64(p / 100)
	}
	f, _ := strconv.ParseFloat(p.Plain(), 64)
	return f
}

func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case money.Qty:
		return int64(x), true
	case int:
		return int64(x), true
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

// Rows is how many data rows have been written.
func (e *Export) Rows() int {
	if e.row == 0 {
		return len(e.early)
	}
	return e.row - 1 + len(e.early)
}

// Close writes the totals row (if any column asked for one), the filter over
// the data, and the workbook to out.
func (e *Export) Close() error {
	defer e.f.Close()
	if e.err != nil {
		return e.err
	}
	if e.early != nil || e.row == 0 {
		if err := e.start(); err != nil {
			return err
		}
	}
	last := e.row
	lastCol, _ := excelize.ColumnNumberToName(max(len(e.cols), 1))
	if hasTotal(e.cols) && last > 1 {
		tot := make([]any, len(e.cols))
		tot[0] = excelize.Cell{StyleID: e.bold, Value: "Total"}
		for i, c := range e.cols {
			if !c.Total {
				continue
			}
			col, _ := excelize.ColumnNumberToName(i + 1)
			var v any = e.sums[i]
			if c.Type == Money {
				v = rupees(money.Paise(e.sums[i]))
			}
			st, err := e.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: ptr(numFmt(c.Type))})
			if err != nil {
				return err
			}
			tot[i] = excelize.Cell{StyleID: st, Value: v, Formula: fmt.Sprintf("SUBTOTAL(109,%s2:%s%d)", col, col, last)}
		}
		ref, _ := excelize.CoordinatesToCellName(1, last+1)
		if err := e.sw.SetRow(ref, tot); err != nil {
			return err
		}
	}
	// The stream writer and AutoFilter share the sheet until Flush.
	if err := e.f.AutoFilter(e.sheet, fmt.Sprintf("A1:%s%d", lastCol, max(last, 2)), nil); err != nil {
		return err
	}
	if err := e.sw.Flush(); err != nil {
		return err
	}
	_, err := e.f.WriteTo(e.out)
	return err
}

func hasTotal(cols []Column) bool {
	for _, c := range cols {
		if c.Total {
			return true
		}
	}
	return false
}

func numFmt(t CellType) string {
	switch t {
	case Money:
		return FormatRupees
	case Percent, GSTRate:
		return FormatPct
	}
	return FormatQty
}

func ptr[T any](v T) *T { return &v }
