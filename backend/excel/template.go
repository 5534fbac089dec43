package excel

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteTemplate writes the blank form for a kind of file: a bold, frozen
// header with every field's canonical name and one example row, typed as
// the import reads it. A clerk fills it in and imports it unchanged.
func WriteTemplate(out io.Writer, spec *Spec) error {
	cols := make([]Column, len(spec.Fields))
	example := make([]any, len(spec.Fields))
	row := &Row{spec: spec, res: &Result{}, cells: make([]string, len(spec.Fields)),
		vals: make([]int64, len(spec.Fields)), texts: make([]string, len(spec.Fields)), set: make([]bool, len(spec.Fields))}
	for i, f := range spec.Fields {
		cols[i] = Column{Title: f.Name, Type: f.Type}
		if f.Example == "" {
			continue
		}
		if e, ok := readCell(row, i, f.Example, false); !ok {
			return fmt.Errorf("template %s: example for %s: %s: %s", spec.Kind, f.Name, f.Example, e.Reason)
		}
		example[i] = typed(row, i)
	}
	w := NewExport(out, spec.Kind, cols)
	if err := w.Row(example...); err != nil {
		return err
	}
	return w.Close()
}

// typed returns field i of row as the value Export takes for its type.
func typed(row *Row, i int) any {
	name := row.spec.Fields[i].Name
	if !row.set[i] {
		return nil
	}
	switch row.spec.Fields[i].Type {
	case Money:
		return row.Paise(name)
	case Qty:
		return row.Qty(name)
	case Int:
		return row.Int(name)
	case Percent, GSTRate:
		return row.BP(name)
	case Date:
		return row.Date(name)
	case Bool:
		return row.Bool(name)
	}
	return row.Text(name)
}

// WriteBadRows writes the rows of a file that had errors, with their
// original header and cells, a column "Reason" listing every problem and a
// last column "Row in file" with the row's number in the file sent (the
// rows to fix sit together, so their own row numbers are not the file's),
// so the clerk can fix them and import just those rows again. src
// is the same file read again (rows stream, memory stays flat).
func WriteBadRows(out io.Writer, src io.Reader, name string, res *Result) error {
	reasons := map[int]string{}
	for _, e := range res.Errors {
		r := e.Reason
		if e.Value != "" {
			r = e.Value + ": " + r
		}
		if e.Column != "" {
			r = e.Column + ": " + r
		}
		if prev, ok := reasons[e.Row]; ok {
			r = prev + "; " + r
		}
		reasons[e.Row] = r
	}
	s, _, err := open(src, name)
	if err != nil {
		return err
	}
	defer s.close()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Rows to fix"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	width := len(res.Header)
	header := make([]any, width+2)
	for i, h := range res.Header {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	header[width] = excelize.Cell{StyleID: bold, Value: "Reason"}
	header[width+1] = excelize.Cell{StyleID: bold, Value: "Row in file"}
	if err := sw.SetColWidth(width+1, width+1, 80); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	for {
		num, cells, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		r, bad := reasons[num]
		if !bad || num == res.HeaderRow {
			continue
		}
		vals := make([]any, width+2)
		for i, c := range cells[:min(width, len(cells))] {
			vals[i] = clean(c)
		}
		vals[width], vals[width+1] = r, num
		n++
		ref, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(ref, vals); err != nil {
			return err
		}
		delete(reasons, num)
	}
	// Errors about the header itself (a missing column) have no data row.
	if r, ok := reasons[res.HeaderRow]; ok && res.HeaderRow > 0 {
		n++
		ref, _ := excelize.CoordinatesToCellName(width+1, n)
		if err := sw.SetRow(ref, []any{r, res.HeaderRow}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(out)
	return err
}
