package headoffice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"vitaran/backend/schemes/rules"
)

// ReadSchemeFile reads the scheme file head office issues, in either form
// the distributors import it: the Excel circular (.xlsx, or .csv), one row
// per scheme, or a JSON array of scheme definitions (or {"schemes": [...]}).
// Every definition is validated; a circular's errors are listed by row and
// column, a JSON file's first bad definition is named.
func ReadSchemeFile(path string) ([]rules.Scheme, error) {
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

func readSchemeJSON(path string, raw []byte) ([]rules.Scheme, error) {
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
	out := make([]rules.Scheme, 0, len(list))
	for i, r := range list {
		s, err := rules.Decode(r)
		if err != nil {
			return nil, fmt.Errorf("%s: scheme %d: %w", path, i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// readCircular reads a circular with the distributors' own reading,
// rules.ReadCircular, so a circular head office accepts is exactly one a
// distributor accepts, read the same way. The one check it leaves out is
// the distributor's: a free item must be in its item master (free goods
// leave its stock); head office keeps no item master.
func readCircular(name string, raw []byte) ([]rules.Scheme, error) {
	c, err := rules.ReadCircular(bytes.NewReader(raw), name, nil)
	if err != nil {
		return nil, circularRefusal(c.Errors, err)
	}
	out := make([]rules.Scheme, len(c.Rows))
	for i, r := range c.Rows {
		out[i] = r.Scheme
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code }) // as the distributor's book lists them
	return out, nil
}

// circularRefusal words a refused circular the way the clerk's import
// screen does: each error with its row and column.
func circularRefusal(errs []rules.CircularError, err error) error {
	if len(errs) == 0 {
		return err
	}
	var b strings.Builder
	for i, e := range errs {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(errs)-i)
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
