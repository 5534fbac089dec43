// Package excel reads the distributor's spreadsheets as they really are and
// writes spreadsheets a clerk can use at once.
//
// Reading is tolerant and honest. A Spec names the columns a kind of file
// needs; the header is found wherever it sits in the first 20 rows, matched
// regardless of case, spacing, punctuation and common synonyms, in any order.
// Numbers stored as text, Excel date serials, Indian text dates and stray
// spaces are all understood.
//
// Always true: a cell's number is read from its text, never through a float,
// so "40.10" is 4010 paise on every machine; every error in a file is
// reported (row, column as written, value, reason), not just the first; a
// row with any error never reaches the caller; and rows are streamed, so a
// 100,000-row file takes the memory of one row plus its errors.
//
// Writing (Export, WriteTemplate, WriteBadRows) streams too: typed cells
// (numbers as numbers, dates as dates, rupees with Indian grouping), a bold
// frozen header and a filter.
package excel

import (
	"fmt"
	"sort"
	"strings"
)

// CellType says how a column's cells are read and written.
type CellType int

const (
	Text    CellType = iota // trimmed text
	Code                    // trimmed, upper-cased identifier: item, outlet, beat codes
	Qty                     // whole number of base units (money.Qty)
	Int                     // whole number (days, pieces per case, counts)
	Money                   // rupees read into paise (money.Paise)
	Percent                 // percentage read into basis points (money.BP)
	GSTRate                 // a GST slab in basis points; 0.18 from a %-formatted cell is 18 %
	Date                    // calendar day (cal.Date)
	Bool                    // Yes/No, Y/N, TRUE/FALSE, 1/0, Active/Inactive
	GSTIN                   // GSTIN, validated; blank, "URP" or "Unregistered" mean none
	HSN                     // HSN/SAC code, 4, 6 or 8 digits
)

func (t CellType) String() string {
	switch t {
	case Text:
		return "text"
	case Code:
		return "code"
	case Qty:
		return "quantity"
	case Int:
		return "whole number"
	case Money:
		return "amount"
	case Percent:
		return "percentage"
	case GSTRate:
		return "GST rate"
	case Date:
		return "date"
	case Bool:
		return "yes/no"
	case GSTIN:
		return "GSTIN"
	case HSN:
		return "HSN"
	}
	return "cell"
}

// Field is one column a kind of file may carry.
type Field struct {
	Name          string   // canonical name, also the template's header: "Item Code"
	Synonyms      []string // other headers people write: "SKU", "Product Code"
	Type          CellType
	Required      bool   // a blank cell is an error, and the column must be present
	AllowNegative bool   // numbers below zero are accepted (adjustments, returns)
	Default       string // read in place of a blank cell when not Required
	Example       string // the template's example value, as a clerk would type it
}

// Spec is the shape of one kind of file: items, outlets, opening stock…
type Spec struct {
	Kind   string // "items"; also the template's sheet name
	Fields []Field
}

// field returns the index of the field named name (canonical), or -1.
func (s *Spec) field(name string) int {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return i
		}
	}
	return -1
}

// RowError is one problem with one cell (or one row, when Column is empty).
type RowError struct {
	Row    int    `json:"row"`    // 1-based row number as Excel shows it
	Column string `json:"column"` // the header as written in the file
	Value  string `json:"value"`  // the cell as written
	Reason string `json:"reason"` // what is wrong and, where it helps, what to write instead
}

func (e RowError) Error() string {
	var b strings.Builder
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d", e.Row)
	}
	if e.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "column %s", e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString(e.Value)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Result is what reading a file found: where the header was, how many rows
// were read, and every error and warning.
type Result struct {
	Sheet     string     // the worksheet read ("" for CSV)
	HeaderRow int        // 1-based row of the header
	Header    []string   // the header row as written
	Rows      int        // non-blank data rows seen
	Errors    []RowError // the first MaxErrors errors
	// MoreErrors counts the errors found past MaxErrors (not kept).
	MoreErrors int
	Warnings   []string // unknown columns and the like: worth showing, not fatal
	Date1904   bool     // the workbook counts dates from 1904 (old Mac Excel)

	titles    []string // field index → header as written ("" when absent)
	specNames []string // field index → canonical name
}

// OK reports whether the file had no errors.
func (r *Result) OK() bool { return len(r.Errors) == 0 && r.MoreErrors == 0 }

// Add records an error found after reading, e.g. a duplicate code or an
// unknown beat, so that it is reported and written to the bad-rows file
// alongside the cell errors.
// Past MaxErrors an error is only counted in MoreErrors.
func (r *Result) Add(e RowError) {
	if len(r.Errors) >= MaxErrors {
		r.MoreErrors++
		return
	}
	r.Errors = append(r.Errors, e)
}

// Title is the header as written for a field's canonical name, or the name
// itself when the file has no such column.
func (r *Result) Title(name string) string {
	for i, t := range r.titles {
		if t != "" && i < len(r.specNames) && r.specNames[i] == name {
			return t
		}
	}
	return name
}

// Sort orders the errors by row, then column, as a clerk reads the file.
func (r *Result) Sort() {
	sort.SliceStable(r.Errors, func(i, j int) bool { return r.Errors[i].Row < r.Errors[j].Row })
}

// BadRows counts the distinct rows with an error.
func (r *Result) BadRows() int {
	seen := map[int]bool{}
	for _, e := range r.Errors {
		seen[e.Row] = true
	}
	return len(seen)
}

// Err summarises the errors as one error value, or nil when there are none.
func (r *Result) Err() error {
	if len(r.Errors) == 0 {
		return nil
	}
	r.Sort()
	if len(r.Errors) == 1 {
		return r.Errors[0]
	}
	if r.MoreErrors > 0 {
		return fmt.Errorf("%d errors (%d more after the first %d rows with errors), nothing imported; first: %w", len(r.Errors)+r.MoreErrors, r.MoreErrors, r.BadRows(), r.Errors[0])
	}
	return fmt.Errorf("%d errors in %d rows, nothing imported; first: %w", len(r.Errors), r.BadRows(), r.Errors[0])
}
