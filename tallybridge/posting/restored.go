package posting

import (
	"encoding/json"
	"time"

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
	if d.held() {
		return true
	}
	if d.State == StateFolded && d.Day != "" {
		day, err := getDay(tx, d.Day)
		if err != nil {
			return false
		}
		for _, id := range day.IDs {
			if s, ok, err := getDoc(tx, id); err == nil && ok && s.held() {
				return true
			}
		}
	}
	return false
}

// held reports whether Tally is known to hold the document's own voucher.
func (d docState) held() bool { return d.InTally || d.State == tallybridge.StatePosted }

// Used reports whether any voucher of the book ever reached Tally: then a
// restore with nothing to compare with cannot know what Tally holds since.
func Used(tx *book.Tx) bool {
	used := false
	scanDocRaw(tx, func(_ string, v []byte) (bool, error) {
		var d docState
		if json.Unmarshal(v, &d) == nil && d.held() {
			used = true
			return false, nil
		}
		return true, nil
	})
	return used
}

// MarkHeld records that Tally already holds the voucher of a document
// posted into the book from Tally's own copy (a restore pulling a lost
// invoice back): it is never sent again, nor folded into a day summary.
func MarkHeld(tx *book.Tx, kind, number string, at time.Time) error {
	prefix, err := idPrefix(tx)
	if err != nil {
		return err
	}
	id := QueueID(kind, number)
	return putDoc(tx, id, docState{Kind: kind, Number: number, RemoteID: prefix + ":" + id, State: tallybridge.StatePosted,
		InTally: true, PostedAt: at})
}
