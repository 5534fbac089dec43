package excel

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// headerScan is how many rows from the top may hold titles, dates and
// merged banners before the header.
const headerScan = 20

// Row is one good data row, its cells read by their fields' types. Get
// values by the field's canonical name.
type Row struct {
	Num int // 1-based row number in the sheet

	spec  *Spec
	res   *Result
	cells []string // raw cells, by field index ("" when blank or absent)
	vals  []int64  // numeric value, by field index
	texts []string // text/code/date/GSTIN/HSN value, by field index
	set   []bool   // whether the cell had a value (or a default)
}

func (r *Row) idx(name string) int {
	i := r.spec.field(name)
	if i < 0 {
		panic(fmt.Sprintf("excel: spec %s has no field %q", r.spec.Kind, name))
	}
	return i
}

// Has reports whether the field's cell had a value (or a default).
func (r *Row) Has(name string) bool { return r.set[r.idx(name)] }

// Text is a Text, Code, GSTIN or HSN cell's value ("" when blank).
func (r *Row) Text(name string) string { return r.texts[r.idx(name)] }

// Raw is the cell as written, trimmed.
func (r *Row) Raw(name string) string { return r.cells[r.idx(name)] }

// Written is a copy of the row's cells as written, kept past the row (the
// reader reuses Row) so an error found later — against the book — can still
// show the value the clerk typed.
func (r *Row) Written() Written {
	return Written{spec: r.spec, cells: append([]string(nil), r.cells...)}
}

// Written is a row's cells as written, by field; see Row.Written.
type Written struct {
	spec  *Spec
	cells []string
}

// Value is the cell of the named field as written ("" for none).
func (w Written) Value(name string) string {
	if w.spec == nil {
		return ""
	}
	if i := w.spec.field(name); i >= 0 && i < len(w.cells) {
		return w.cells[i]
	}
	return ""
}

// Qty is a Qty cell's value.
func (r *Row) Qty(name string) money.Qty { return money.Qty(r.vals[r.idx(name)]) }

// Int is an Int cell's value.
func (r *Row) Int(name string) int64 { return r.vals[r.idx(name)] }

// Paise is a Money cell's value.
func (r *Row) Paise(name string) money.Paise { return money.Paise(r.vals[r.idx(name)]) }

// BP is a Percent or GSTRate cell's value.
func (r *Row) BP(name string) money.BP { return money.BP(r.vals[r.idx(name)]) }

// Date is a Date cell's value ("" when blank).
func (r *Row) Date(name string) cal.Date { return cal.Date(r.texts[r.idx(name)]) }

// Bool is a Bool cell's value.
func (r *Row) Bool(name string) bool { return r.vals[r.idx(name)] != 0 }

// Error makes a RowError for this row and field, naming the column as the
// file wrote it and the cell as the clerk typed it.
func (r *Row) Error(name, reason string) RowError {
	i := r.idx(name)
	return RowError{Row: r.Num, Column: r.res.title(i, name), Value: r.cells[i], Reason: reason}
}

func (res *Result) title(i int, name string) string {
	if i < len(res.titles) && res.titles[i] != "" {
		return res.titles[i]
	}
	return name
}

// source yields a file's rows: number (1-based) and cells as written.
type source interface {
	next() (num int, cells []string, err error) // io.EOF at the end
	close() error
}

// ReadFile reads path, an .xlsx or .csv, against spec; see Read.
func ReadFile(path string, spec *Spec, fn func(*Row) error) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, filepath.Base(path), spec, fn)
}

// Read reads a spreadsheet against spec and calls fn with every row that has
// no error, in order. It returns every problem in Result.Errors; fn may
// return a RowError (e.g. from Row.Error) to add its own, and any other error
// stops the read. The file kind is told from its content (.xlsx is a zip),
// not trusted from name, which is used in messages.
//
// The error return is for a file that cannot be read at all (not a
// spreadsheet, no header found); problems with cells are in the Result.
func Read(r io.Reader, name string, spec *Spec, fn func(*Row) error) (*Result, error) {
	src, res, err := open(r, name)
	if err != nil {
		return nil, err
	}
	defer src.close()
	res.specNames = make([]string, len(spec.Fields))
	for i, f := range spec.Fields {
		res.specNames[i] = f.Name
	}

	// Find the header: the row among the first few that names the most fields.
	var head [][]string
	var nums []int
	best, bestFound := -1, 0
	var bestCols []int
	for len(head) < headerScan {
		num, cells, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", name, num, err)
		}
		cells = append([]string(nil), cells...) // the CSV reader reuses its slice
		head, nums = append(head, cells), append(nums, num)
		if cols, found := matchHeader(spec, cells); found > bestFound {
			best, bestFound, bestCols = len(head)-1, found, cols
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("%s: no header row found in the first %d rows: expected columns such as %s",
			name, headerScan, strings.Join(requiredNames(spec), ", "))
	}
	res.HeaderRow = nums[best]
	res.Header = trimAll(head[best])
	res.titles = make([]string, len(spec.Fields))
	colOf := make([]int, len(spec.Fields))
	for i := range colOf {
		colOf[i] = -1
	}
	for c, f := range bestCols {
		if f >= 0 {
			colOf[f], res.titles[f] = c, res.Header[c]
		} else if res.Header[c] != "" {
			res.Warnings = append(res.Warnings, fmt.Sprintf("column %s (%q) is not used", colName(c), res.Header[c]))
		}
	}
	for f, c := range colOf {
		if c < 0 && spec.Fields[f].Required {
			res.Add(RowError{Row: res.HeaderRow, Column: spec.Fields[f].Name,
				Reason: fmt.Sprintf("required column is missing: add a column headed %q", spec.Fields[f].Name)})
		}
	}
	if !res.OK() {
		return res, nil
	}

	row := &Row{spec: spec, res: res,
		cells: make([]string, len(spec.Fields)), vals: make([]int64, len(spec.Fields)),
		texts: make([]string, len(spec.Fields)), set: make([]bool, len(spec.Fields))}
	handle := func(num int, cells []string) error {
		if blank(cells) || isHeader(cells, res.Header) {
			return nil // blank rows, and the header repeated on every printed page
		}
		if isTotals(cells) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("row %d is a totals row: skipped", num))
			return nil
		}
		res.Rows++
		row.Num = num
		bad := false
		for f := range spec.Fields {
			c := colOf[f]
			cell := ""
			if c >= 0 && c < len(cells) {
				cell = clean(cells[c])
			}
			row.cells[f] = cell
			if e, ok := readCell(row, f, cell, res.Date1904); !ok {
				e.Row, e.Column = num, res.title(f, spec.Fields[f].Name)
				res.Add(e)
				bad = true
			}
		}
		if bad {
			return nil
		}
		if err := fn(row); err != nil {
			var re RowError
			if errors.As(err, &re) {
				res.Add(re)
				return nil
			}
			return err
		}
		return nil
	}
	for i := best + 1; i < len(head); i++ {
		if err := handle(nums[i], head[i]); err != nil {
			return res, err
		}
	}
	head = nil
	for {
		num, cells, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, fmt.Errorf("%s: row %d: %w", name, num, err)
		}
		if num > MaxRows {
			return res, fmt.Errorf("%s: %w: it goes past row %d: split it into files of at most %d rows", name, ErrTooBig, MaxRows, MaxRows)
		}
		if err := handle(num, cells); err != nil {
			return res, err
		}
	}
	return res, nil
}

// readCell parses one cell into row's slot f. On failure it returns the
// error with Value and Reason filled.
func readCell(row *Row, f int, cell string, date1904 bool) (RowError, bool) {
	fd := &row.spec.Fields[f]
	row.vals[f], row.texts[f], row.set[f] = 0, "", false
	if cell == "" {
		if fd.Required {
			return RowError{Reason: "is required and cannot be blank"}, false
		}
		if fd.Default == "" {
			return RowError{}, true
		}
		cell = fd.Default
	}
	var err error
	var n int64
	var s string
	switch fd.Type {
	case Text:
		s = cell
	case Code:
		s = ParseCode(cell)
	case Qty:
		var q money.Qty
		q, err = ParseQty(cell, fd.AllowNegative)
		n = int64(q)
	case Int:
		n, err = ParseInt(cell, fd.AllowNegative)
	case Money:
		var p money.Paise
		p, err = ParseMoney(cell, fd.AllowNegative)
		n = int64(p)
	case Percent:
		var b money.BP
		b, err = ParsePercent(cell, fd.AllowNegative)
		n = int64(b)
	case GSTRate:
		var b money.BP
		b, err = ParseGSTRate(cell)
		n = int64(b)
	case Date:
		var d cal.Date
		d, err = ParseDate(cell, date1904)
		s = string(d)
	case Bool:
		var b bool
		b, err = ParseBool(cell)
		if b {
			n = 1
		}
	case GSTIN:
		s, err = ParseGSTIN(cell)
	case HSN:
		s, err = ParseHSN(cell)
	}
	if err != nil {
		return RowError{Value: cell, Reason: err.Error()}, false
	}
	row.vals[f], row.texts[f], row.set[f] = n, s, true
	return RowError{}, true
}

// isTotals reports whether a row is a report's totals line: its first
// filled cell says Total. Importing it would make an item called TOTAL.
func isTotals(cells []string) bool {
	for _, c := range cells {
		if c = clean(c); c != "" {
			switch norm(c) {
			case "total", "totals", "grandtotal", "subtotal", "nettotal":
				return true
			}
			return false
		}
	}
	return false
}

func requiredNames(spec *Spec) []string {
	var out []string
	for _, f := range spec.Fields {
		if f.Required {
			out = append(out, fmt.Sprintf("%q", f.Name))
		}
	}
	return out
}

// isHeader reports whether a row repeats the header (cell by cell, trimmed,
// ignoring trailing blanks), without building strings for every row.
func isHeader(cells, header []string) bool {
	n := len(cells)
	for n > 0 && clean(cells[n-1]) == "" {
		n--
	}
	h := len(header)
	for h > 0 && header[h-1] == "" {
		h--
	}
	if n != h {
		return false
	}
	for i := 0; i < n; i++ {
		if clean(cells[i]) != header[i] {
			return false
		}
	}
	return true
}

func blank(cells []string) bool {
	for _, c := range cells {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

func trimAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = clean(c)
	}
	return out
}

func colName(c int) string {
	n, _ := excelize.ColumnNumberToName(c + 1)
	return n
}

// open tells an .xlsx from a .csv by its first bytes and opens the rows.
func open(r io.Reader, name string) (source, *Result, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(8)
	switch {
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")):
		return openXLSX(br, name)
	case bytes.HasPrefix(magic, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, nil, fmt.Errorf("%s is an old-style .xls workbook or is password-protected: open it in Excel and save it as .xlsx (Excel Workbook) without a password", name)
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" {
		return nil, nil, fmt.Errorf("%s is not an Excel workbook (the file may be damaged or only renamed): save it again from Excel as .xlsx", name)
	}
	return openCSV(br), &Result{}, nil
}

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	num  int
}

func openXLSX(r io.Reader, name string) (source, *Result, error) {
	f, err := openWorkbook(r, name)
	if errors.Is(err, ErrTooBig) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot open the workbook: %w", name, err)
	}
	res := &Result{}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		res.Date1904 = *p.Date1904
	}
	sheet := ""
	for _, s := range f.GetSheetList() {
		if v, err := f.GetSheetVisible(s); err == nil && v {
			sheet = s
			break
		}
	}
	if sheet == "" {
		f.Close()
		return nil, nil, fmt.Errorf("%s: the workbook has no visible sheet", name)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: sheet %s: %w", name, sheet, err)
	}
	res.Sheet = sheet
	return &xlsxSource{f: f, rows: rows}, res, nil
}

func (x *xlsxSource) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return x.num, nil, err
		}
		return 0, nil, io.EOF
	}
	x.num++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	return x.num, cells, err
}

func (x *xlsxSource) close() error {
	x.rows.Close()
	return x.f.Close()
}

type csvSource struct {
	r *csv.Reader
}

func openCSV(br *bufio.Reader) source {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	// Excel in many locales saves "CSV" with semicolons; some tools use tabs.
	if first, err := br.Peek(4096); len(first) > 0 && (err == nil || err == io.EOF || err == bufio.ErrBufferFull) {
		line, _, _ := bytes.Cut(first, []byte("\n"))
		c, s, t := bytes.Count(line, []byte(",")), bytes.Count(line, []byte(";")), bytes.Count(line, []byte("\t"))
		switch {
		case t > c && t >= s:
			cr.Comma = '\t'
		case s > c:
			cr.Comma = ';'
		}
	}
	return &csvSource{r: cr}
}

func (c *csvSource) next() (int, []string, error) {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return pe.StartLine, nil, pe.Err
		}
		return 0, nil, err
	}
	line, _ := c.r.FieldPos(0)
	for i, f := range rec {
		if !utf8.ValidString(f) { // saved as Windows-1252 / Latin-1, not UTF-8
			rs := make([]rune, len(f))
			for j := 0; j < len(f); j++ {
				rs[j] = rune(f[j])
			}
			rec[i] = string(rs)
		}
	}
	return line, rec, nil
}

func (c *csvSource) close() error { return nil }
