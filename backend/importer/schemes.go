package importer

import (
	"errors"
	"io"

	"vitaran/backend/book"
	"vitaran/backend/excel"
	"vitaran/backend/schemes"
)

// The brand's scheme circular is read and checked by package schemes (its
// rules for slabs, scopes and budgets live there); the importer gives it the
// same transaction, dry run and report as every other kind.
func init() {
	register(&Kind{Name: "schemes", Title: "Schemes (the brand's circular)", Wired: true, keyField: "Scheme Code",
		Spec: schemes.CircularSpec, whole: importCircular})
}

func importCircular(b *book.Book, r io.Reader, name string, opt Options) (*Report, error) {
	var sr schemes.Report
	err := b.UpdateAs(opt.Actor, func(tx *book.Tx) error {
		var err error
		sr, err = schemes.ImportCircular(tx, r, name, opt.DryRun, opt.Today)
		if err != nil {
			return err
		}
		if !sr.Committed {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) && !errors.Is(err, schemes.ErrCircularRefused) {
		return nil, err
	}
	rep := &Report{Kind: "schemes", File: name, DryRun: opt.DryRun, Committed: err == nil && sr.Committed,
		Rows: sr.Rows, Warnings: sr.Warnings, Result: sr.Result, Errors: []excel.RowError{}}
	for _, e := range sr.Errors {
		rep.Errors = append(rep.Errors, excel.RowError{Row: e.Row, Column: e.Column, Value: e.Value, Reason: e.Reason})
	}
	if len(rep.Errors) == 0 {
		for _, o := range sr.Records {
			rep.count(Outcome{Row: o.Row, Key: o.Key, Change: Change(o.Change)})
		}
	}
	if rep.Warnings == nil {
		rep.Warnings = []string{}
	}
	return rep, nil
}
