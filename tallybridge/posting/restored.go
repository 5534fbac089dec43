package posting

import (
	"vitaran/backend/book"
	"vitaran/tallybridge"
)

// InTally reports whether Tally is known to hold the voucher of a document
// (posted, or folded into a posted day summary). A restore reads it from the
// book it replaces to say which lost documents Tally holds.
func InTally(tx *book.Tx, kind, number string) bool {
	d, ok, err := getDoc(tx, QueueID(kind, number))
	if err != nil || !ok {
		return false
	}
	if d.InTally || d.State == tallybridge.StatePosted {
		return true
	}
	if d.State == StateFolded && d.Day != "" {
		day, err := getDay(tx, d.Day)
		if err != nil {
			return false
		}
		for _, id := range day.IDs {
			if s, ok, err := getDoc(tx, id); err == nil && ok && (s.InTally || s.State == tallybridge.StatePosted) {
				return true
			}
		}
	}
	return false
}
