package headoffice

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/excel"
	"vitaran/backend/masters"
	"vitaran/backend/schemes"
)

// ReadSchemeFile reads the scheme file head office issues, in either form
// the distributors import it: the Excel circular (.xlsx, or .csv), one row
// per scheme, or a JSON array of scheme definitions (or {"schemes": [...]}).
// Every definition is validated; a circular's errors are listed by row and
// column, a JSON file's first bad definition is named.
func ReadSchemeFile(path string) ([]schemes.Scheme, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")), ext == ".xlsx", ext == ".xlsm", ext == ".xls", ext == ".csv":
		return readCircular(filepath.Base(path), raw)
	}
	return readSchemeJSON(path, raw)
}

func readSchemeJSON(path string, raw []byte) ([]schemes.Scheme, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		var wrapped struct {
			Schemes []json.RawMessage `json:"schemes"`
		}
		if err2 := json.Unmarshal(raw, &wrapped); err2 != nil || wrapped.Schemes == nil {
			return nil, fmt.Errorf("%s: a JSON array of schemes (or an Excel circular, .xlsx or .csv) is expected: %w", path, err)
		}
		list = wrapped.Schemes
	}
	out := make([]schemes.Scheme, 0, len(list))
	for i, r := range list {
		s, err := schemes.Decode(r)
		if err != nil {
			return nil, fmt.Errorf("%s: scheme %d: %w", path, i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

var errScratch = errors.New("scratch book: discarded")

// readCircular reads a circular with the distributors' own import,
// schemes.ImportCircular, so a circular head office accepts is exactly one
// a distributor accepts, read the same way. The import writes into a book,
// so it runs in a throwaway book in a temporary folder, inside a
// transaction that is rolled back once the schemes are read out of it.
//
// One check of that import is the distributor's, not head office's: a
// free item must be in the item master (free goods leave the distributor's
// stock). Head office keeps no item master, so each free item the circular
// names is put in the throwaway book's master first, as a placeholder.
func readCircular(name string, raw []byte) ([]schemes.Scheme, error) {
	free := map[string]bool{}
	// A first look for the free items; an unreadable file is left for the
	// import to report in its own words.
	excel.Read(bytes.NewReader(raw), name, schemes.CircularSpec, func(row *excel.Row) error {
		if c := masters.NormalizeCode(row.Text("Free Item")); c != "" {
			free[c] = true
		}
		return nil
	})
	dir, err := os.MkdirTemp("", "vitaran-circular-")
	if err != nil {
		return nil, fmt.Errorf("circular %s: %w", name, err)
	}
	defer os.RemoveAll(dir)
	scratch, err := book.Open(filepath.Join(dir, "scratch.book"), book.Options{NoSync: true})
	if err != nil {
		return nil, fmt.Errorf("circular %s: %w", name, err)
	}
	defer scratch.Close()
	var out []schemes.Scheme
	err = scratch.Update(func(tx *book.Tx) error {
		for code := range free {
			it := masters.Item{Code: code, Name: code, Brand: "head office", Category: "free goods", HSN: "0000", GSTRateBP: 500, MRPPaise: 1, CaseSize: 1, Active: true}
			if _, err := masters.CreateItem(tx, it, ""); err != nil {
				return fmt.Errorf("free item %s: %w", code, err)
			}
		}
		rep, err := schemes.ImportCircular(tx, bytes.NewReader(raw), name, false, "")
		if err != nil {
			return circularRefusal(name, &rep, err)
		}
		if out, err = schemes.List(tx); err != nil {
			return err
		}
		return errScratch
	})
	if !errors.Is(err, errScratch) {
		return nil, err
	}
	return out, nil
}

// circularRefusal words a refused circular the way the clerk's import
// screen does: each error with its row and column.
func circularRefusal(name string, rep *schemes.Report, err error) error {
	if len(rep.Errors) == 0 {
		return err
	}
	var b strings.Builder
	for i, e := range rep.Errors {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(rep.Errors)-i)
			break
		}
		b.WriteString("\n  ")
		if e.Row > 0 {
			fmt.Fprintf(&b, "row %d, ", e.Row)
		}
		if e.Column != "" {
			fmt.Fprintf(&b, "%s: ", e.Column)
		}
		b.WriteString(e.Reason)
		if e.Value != "" {
			fmt.Fprintf(&b, " (%q)", e.Value)
		}
	}
	return fmt.Errorf("%w:%s", err, b.String())
}
