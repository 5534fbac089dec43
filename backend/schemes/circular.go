package schemes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/schemes/rules"
)

// The circular's shape and reading are package rules' (ReadCircular), so
// head office reads a circular exactly as a distributor does; this side
// checks it against the book's masters and saves it.

// CircularSpec is the shape of a scheme circular (rules.CircularSpec).
var CircularSpec = rules.CircularSpec

// ErrCircularRefused and ErrUnreadable are rules'.
var (
	ErrCircularRefused = rules.ErrCircularRefused
	ErrUnreadable      = rules.ErrUnreadable
)

// CircularError is one problem in a circular, where the clerk finds it.
type CircularError = rules.CircularError

// CircularOutcome is what the import does to one scheme of the file.
type CircularOutcome struct {
	Row    int    `json:"row"`
	Key    string `json:"key"`    // the scheme code
	Change string `json:"change"` // new, updated, unchanged
}

// Report is the answer to a circular import or its dry run.
type Report struct {
	File      string            `json:"file"`
	DryRun    bool              `json:"dry_run"`
	Committed bool              `json:"committed"` // true only when the schemes were saved
	Rows      int               `json:"rows"`
	New       int               `json:"new"`
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Records   []CircularOutcome `json:"records"`
	Errors    []CircularError   `json:"errors"`
	Warnings  []string          `json:"warnings"`
	// Result is the file as read: pass it to excel.WriteBadRows with the
	// file again to give the clerk the rows to fix.
	Result *excel.Result `json:"-"`
}

// ImportCircular reads a brand's scheme circular (.xlsx or .csv) and saves
// its schemes in tx, all or nothing: every cell is read, every definition
// validated and every free item looked up before anything is written, and
// a file with any error writes nothing and returns ErrCircularRefused
// (wrapped) with the Report listing each error by row and column. A dry run
// writes nothing either; its Report says which schemes are new, updated or
// unchanged. today only words warnings (a scheme that has already ended).
// The error return is otherwise for a file that cannot be read at all.
func ImportCircular(tx *book.Tx, r io.Reader, name string, dryRun bool, today cal.Date) (Report, error) {
	rep := Report{File: name, DryRun: dryRun, Records: []CircularOutcome{}, Errors: []CircularError{}, Warnings: []string{}}
	c, err := rules.ReadCircular(r, name, func(row *excel.Row, s *Scheme) []excel.RowError {
		var errs []excel.RowError
		if s.FreeItem != "" {
			if _, err := masters.GetItem(tx, s.FreeItem); err != nil {
				errs = append(errs, row.Error("Free Item", "is not in the item master: add the item first, free goods leave stock like any line"))
			}
		}
		return append(errs, frozenRow(tx, row, s)...)
	})
	for _, p := range c.Rows {
		s := &p.Scheme
		for _, code := range append(append([]string(nil), s.Items...), comboItems(s)...) {
			if _, err := masters.GetItem(tx, code); err != nil {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("row %d: item %s is not in the item master; %s will not apply to it until it is", p.Row, code, s.Code))
			}
		}
		if today.Valid() && s.ValidTo.Valid() && s.ValidTo.Before(today) {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("row %d: %s ended on %s", p.Row, s.Code, s.ValidTo.Display()))
		}
	}
	if c.Result != nil {
		rep.Result, rep.Rows = c.Result, c.Result.Rows
		rep.Warnings = append(rep.Warnings, c.Result.Warnings...)
	}
	rep.Errors = append(rep.Errors, c.Errors...)
	if err != nil {
		return rep, err
	}
	for _, p := range c.Rows {
		change := "new"
		old, err := Get(tx, p.Scheme.Code)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return rep, err
		default:
			a, _ := json.Marshal(old)
			b, _ := json.Marshal(p.Scheme)
			change = "updated"
			if bytes.Equal(a, b) {
				change = "unchanged"
			}
		}
		rep.Records = append(rep.Records, CircularOutcome{Row: p.Row, Key: p.Scheme.Code, Change: change})
		switch change {
		case "new":
			rep.New++
		case "updated":
			rep.Updated++
		default:
			rep.Unchanged++
		}
		if dryRun || change == "unchanged" {
			continue
		}
		if err := Save(tx, p.Scheme); err != nil {
			return rep, fmt.Errorf("circular %s row %d: %w", name, p.Row, err)
		}
	}
	rep.Committed = !dryRun
	return rep, nil
}

// frozenRow refuses a row that would change the terms of a scheme an
// invoice redeemed, with Save's own words, under the first changed
// field's column (FrozenTerms).
func frozenRow(tx *book.Tx, row *excel.Row, s *Scheme) []excel.RowError {
	old, err := Get(tx, s.Code)
	if err != nil {
		return nil // new (or unreadable: Save says so)
	}
	err = FrozenTerms(tx, &old, s)
	if err == nil {
		return nil
	}
	col, reason := "Scheme Code", err.Error()
	if e, ok := fail.As(err); ok {
		reason = e.Reason
		if c := rules.CircularColumn(e.Field); c != "" {
			col = c
		}
	}
	return []excel.RowError{row.Error(col, reason)}
}

func comboItems(s *Scheme) []string {
	var out []string
	for _, p := range s.Combo {
		out = append(out, p.Item)
	}
	return out
}

// circularNotes explain the template's columns; the example row is a valid
// quantity slab a clerk can import as it stands.
var circularNotes = [][2]string{
	{"One row per scheme", "A code may appear once. To change a scheme, import it again with the same code: it is updated, and the audit log keeps the old definition. Once an invoice has redeemed a scheme only its name, Valid To (not before the last invoice that redeemed it), budget and outlet caps may change: for new terms, end the scheme and add a new code."},
	{"Type", "percent, flat, buy_x_get_y, qty_slab, value_slab, invoice_value or combo (also: discount, rs off, free, bill value)."},
	{"Valid From / Valid To", "Any date Excel or a clerk writes: 01-04-2026, 1/4/26, 1-Apr-2026, a date cell. Both days are included."},
	{"Items, Brands, Categories, Channels, Beats, States, Outlets", "Comma-separated lists; an empty cell means all. Every filled list must match. A category covers the ones nested under it (Biscuits covers Biscuits/Cream)."},
	{"Slabs", "threshold:benefit separated by semicolons. qty_slab: 10:5%; 25:7.5%; 50:2 free (pieces). value_slab and invoice_value: 5000:2%; 10000:₹150 (rupees)."},
	{"Combo", "ITEM:QTY separated by commas, e.g. GD200:2, MG100:1; give the benefit in Discount %, Amount Off or Free Qty + Free Item."},
	{"Buy Qty / Free Qty / Free Item", "buy_x_get_y: buy 10 get 1 free is Buy Qty 10, Free Qty 1; Free Item blank means the same item."},
	{"Discount % / Amount Off", "percent: Discount % (5 or 7.5%). flat: Amount Off per piece in rupees."},
	{"Budget / Outlet Cap", "The most the scheme may cost in rupees (discount plus free goods at rate), in all and per outlet; blank is no cap."},
	{"Exclusive / Priority", "An exclusive scheme never combines with others on the same line or bill; higher priority applies first."},
}

// WriteCircularTemplate writes the blank circular with a valid example row
// and a second sheet explaining every column.
func WriteCircularTemplate(out io.Writer) error {
	var buf bytes.Buffer
	if err := excel.WriteTemplate(&buf, CircularSpec); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return err
	}
	defer f.Close()
	const sheet = "How to fill"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	f.SetColWidth(sheet, "A", "A", 34)
	f.SetColWidth(sheet, "B", "B", 110)
	f.SetCellValue(sheet, "A1", "Column")
	f.SetCellValue(sheet, "B1", "How to write it")
	for i, n := range circularNotes {
		f.SetCellValue(sheet, fmt.Sprintf("A%d", i+2), n[0])
		f.SetCellValue(sheet, fmt.Sprintf("B%d", i+2), n[1])
	}
	return f.Write(out)
}
