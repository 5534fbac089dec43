// Package importer brings the distributor's spreadsheets into the book:
// items, outlets, beats and salesmen today; opening stock, purchases from
// the brand's invoices, orders, price lists and schemes as their domain
// packages land (their Specs and records are here, ready to wire).
//
// Always true: an import is one book transaction. Every row is read and
// checked — cells by package excel, then against the book (duplicate codes
// in the file, unknown beats and salesmen, the masters' own rules) — and
// every error is reported. A file with any error writes nothing, and a dry
// run goes through the very same writes and rolls them back, so what it
// reports (new, updated, unchanged per record) is exactly what an import
// would do.
package importer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
)

// Change says what an import does to one record.
type Change string

const (
	New       Change = "new"
	Updated   Change = "updated"
	Unchanged Change = "unchanged"
)

// Outcome is what happens to one record of the file.
type Outcome struct {
	Row    int    `json:"row"`
	Key    string `json:"key"` // the record's code
	Change Change `json:"change"`
}

// Report is the whole answer to an import or a dry run.
type Report struct {
	Kind      string           `json:"kind"`
	File      string           `json:"file"`
	DryRun    bool             `json:"dry_run"`
	Committed bool             `json:"committed"` // true only when the book was written
	Rows      int              `json:"rows"`
	New       int              `json:"new"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Records   []Outcome        `json:"records"`
	Errors    []excel.RowError `json:"errors"` // at most excel.MaxErrors
	// MoreErrors counts the errors past the first excel.MaxErrors.
	MoreErrors int      `json:"more_errors"`
	Warnings   []string `json:"warnings"`
	// NewBeats, NewSalesmen and NewChannels are what an outlet file names
	// that the book does not have, sorted; with Options.CreateMissing the import
	// creates them (MissingCreated) in the same all-or-nothing transaction.
	NewBeats    []string `json:"new_beats,omitempty"`
	NewSalesmen []string `json:"new_salesmen,omitempty"`
	NewChannels []string `json:"new_channels,omitempty"` // as the file spells them
	// NewBeatWeekdays gives each new beat the weekday the file's Beat Day
	// column sets for it, "" when none does (then a warning says so).
	NewBeatWeekdays map[string]string `json:"new_beat_weekdays,omitempty"`
	MissingCreated  bool              `json:"missing_created,omitempty"`

	// Result is the file as read; pass it to excel.WriteBadRows with the
	// file again to give the clerk the rows to fix.
	Result *excel.Result `json:"-"`
}

// Options tune one import.
type Options struct {
	DryRun bool
	Today  cal.Date   // the day new GST rates start; cal.Today() when empty
	Actor  book.Actor // recorded in the audit log
	// CreateMissing creates the beats, salesmen and channels an outlet file
	// names that are not in the book (a beat's weekday from the file's Beat Day, else not set), in
	// the import's own transaction: nothing is created unless all of it is.
	CreateMissing bool
	// Progress, when set, is told how far the import has got: rows read
	// (total 0 while reading), then records applied of total.
	Progress func(done, total int, label string)
}

// Kind is one kind of file.
type Kind struct {
	Name  string
	Title string // "Items (SKUs)"
	Spec  *excel.Spec
	// Wired is false for kinds whose domain package has no write API yet:
	// their files can be checked (dry run) but not imported.
	Wired bool

	// decode turns a good row into the kind's record (or a RowError).
	decode func(*excel.Row) (record, error)
	// fields maps the domain's field names (fail.Error.Field) to the Spec's.
	fields map[string]string
	// keyField is the Spec field that must be unique within a file.
	keyField string
	// applyAll, when set, applies the whole file at once: for documents
	// that span rows (a purchase invoice, an order, the opening stock).
	// Problems a clerk can fix go into res naming the row; the error
	// return is for a book that could not be used.
	applyAll func(tx *book.Tx, opt Options, rows []rowRec, res *excel.Result) ([]Outcome, error)
	// whole, when set, reads and applies the file itself (a domain package
	// with its own reader, like the schemes circular).
	whole func(b *book.Book, r io.Reader, name string, opt Options) (*Report, error)
	// prepare, when set, runs in the import's transaction before the rows
	// are applied: what the rows need that the book lacks (an outlet file's
	// new beats), listed in the report and created when asked.
	prepare func(tx *book.Tx, opt Options, recs []rowRec, rep *Report) error
}

// rowRec is a decoded record and the row it came from.
type rowRec struct {
	row     int
	rec     record
	written excel.Written // the cells as typed, for the errors the book finds
}

// record is one decoded row, ready to apply to the book.
type record interface {
	key() string
	// apply writes the record in tx and says what changed.
	apply(tx *book.Tx, opt Options) (Change, error)
}

var kinds = map[string]*Kind{}

func register(k *Kind) { kinds[k.Name] = k }

// Kinds lists the kinds, wired first, by name.
func Kinds() []*Kind {
	var out []*Kind
	for _, k := range kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Wired != out[j].Wired {
			return out[i].Wired
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Lookup finds a kind by name ("items", "outlets", …).
func Lookup(name string) (*Kind, error) {
	k, ok := kinds[name]
	if !ok {
		var names []string
		for _, k := range Kinds() {
			names = append(names, k.Name)
		}
		return nil, fail.Invalid("kind", "%q is not a kind of import: use one of %v", name, names)
	}
	return k, nil
}

// Template writes the kind's blank form with its example row.
func Template(kind string, out io.Writer) error {
	k, err := Lookup(kind)
	if err != nil {
		return err
	}
	return excel.WriteTemplate(out, k.Spec)
}

// ImportFile imports path; see Import.
func ImportFile(b *book.Book, kind, path string, opt Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Import(b, kind, f, filepath.Base(path), opt)
}

// errRollback ends a dry run or a failed import's transaction.
var errRollback = errors.New("import rolled back")

// Import reads a file of the given kind and applies it to the book in one
// transaction, or (with any error, or on a dry run) not at all. The error
// return is for a file or book that could not be used at all; problems with
// rows are in Report.Errors.
func Import(b *book.Book, kind string, r io.Reader, name string, opt Options) (*Report, error) {
	k, err := Lookup(kind)
	if err != nil {
		return nil, err
	}
	if opt.Today == "" {
		opt.Today = cal.Today()
	}
	if k.whole != nil {
		return k.whole(b, r, name, opt)
	}
	rep := &Report{Kind: k.Name, File: name, DryRun: opt.DryRun}
	progress := opt.Progress
	if progress == nil {
		progress = func(int, int, string) {}
	}
	var recs []rowRec
	read := 0
	firstRow := map[string]int{}
	res, err := excel.Read(r, name, k.Spec, func(row *excel.Row) error {
		if read++; read%5000 == 0 {
			progress(read, 0, "reading rows")
		}
		rec, err := k.decode(row)
		if err != nil {
			return err
		}
		key := rec.key()
		if first, dup := firstRow[key]; dup {
			return row.Error(k.keyField, fmt.Sprintf("appears again: the same code is on row %d", first))
		}
		firstRow[key] = row.Num
		recs = append(recs, rowRec{row.Num, rec, row.Written()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Result, rep.Rows, rep.Warnings = res, res.Rows, res.Warnings
	if !k.Wired && res.OK() {
		res.Add(excel.RowError{Reason: fmt.Sprintf("%s files can be checked but not yet imported: their part of Vitaran is not ready", k.Title)})
	}
	// The good rows are checked against the book even when others failed,
	// so the clerk sees every problem at once.
	if k.Wired {
		err = b.UpdateAs(opt.Actor, func(tx *book.Tx) error {
			progress(0, len(recs), "checking against the book")
			if k.prepare != nil {
				if err := k.prepare(tx, opt, recs, rep); err != nil {
					return err
				}
			}
			if k.applyAll != nil {
				outs, err := k.applyAll(tx, opt, recs, res)
				if err != nil {
					return err
				}
				for _, o := range outs {
					rep.count(o)
				}
				recs = nil
			}
			for i, rr := range recs {
				if i%5000 == 0 && i > 0 {
					progress(i, len(recs), "checking against the book")
				}
				ch, err := rr.rec.apply(tx, opt)
				if err != nil {
					if fe, ok := fail.As(err); ok {
						col, val := fe.Field, ""
						if f, ok := k.fields[fe.Field]; ok {
							col, val = res.Title(f), rr.written.Value(f)
						}
						res.Add(excel.RowError{Row: rr.row, Column: col, Value: val, Reason: fe.Reason})
						continue
					}
					return fmt.Errorf("row %d: %w", rr.row, err)
				}
				rep.count(Outcome{Row: rr.row, Key: rr.rec.key(), Change: ch})
			}
			if !res.OK() || opt.DryRun {
				return errRollback
			}
			return nil
		})
		if err != nil && !errors.Is(err, errRollback) {
			return nil, err
		}
		rep.Committed = err == nil
	}
	progress(rep.Rows, rep.Rows, "done")
	res.Sort()
	rep.Errors, rep.MoreErrors = res.Errors, res.MoreErrors
	if !res.OK() {
		rep.Records, rep.New, rep.Updated, rep.Unchanged = nil, 0, 0, 0
	}
	return rep, nil
}

func (rep *Report) count(o Outcome) {
	rep.Records = append(rep.Records, o)
	switch o.Change {
	case New:
		rep.New++
	case Updated:
		rep.Updated++
	default:
		rep.Unchanged++
	}
}
