// Package masters keeps the distributor's master data in the book: the
// company profile, items (SKUs) with their GST rate history, outlets
// (retailers), beats, salesmen and godowns.
//
// Always true after every commit:
//   - codes are unique per kind, upper-case, without spaces, at most 20 characters;
//   - an outlet names an existing beat and salesman (when it names one), and a
//     registered outlet's GSTIN is valid and belongs to the outlet's state;
//   - an item has at least one GST rate, each a notified slab on its date,
//     and its rate on any day is the latest one effective on or before it;
//   - the MAIN and DAMAGED godowns exist;
//   - every create and update writes an audit entry with the record before
//     and after, and a new masters Revision, in the same transaction.
//
// Functions take a *book.Tx so a caller can combine them with other writes
// (an import writes a thousand outlets in one transaction, or none).
package masters

import (
	"regexp"
	"strings"

	"vitaran/backend/fail"
)

var codeRe = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._/-]{0,19}$`)

// NormalizeCode trims and upper-cases a code as typed.
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func validCode(field, code string) error {
	if code == "" {
		return fail.Invalid(field, "is required")
	}
	if !codeRe.MatchString(code) {
		return fail.Invalid(field, "%q: use up to 20 letters, digits, '.', '_', '/' or '-', starting with a letter or digit", code)
	}
	return nil
}

func required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return fail.Invalid(field, "is required")
	}
	return nil
}

// matches reports whether every word of q appears in one of the fields
// (case-insensitive): "good 200" finds "GD200 Good Day Cashew 200g".
func matches(q string, fields ...string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return true
	}
	hay := strings.ToLower(strings.Join(fields, " "))
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
