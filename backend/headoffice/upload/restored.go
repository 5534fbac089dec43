package upload

import (
	"encoding/json"

	"vitaran/backend/book"
)

// Delivered reports how far a book's documents reached head office: drained
// is the last upload-queue seq turned into rows, and settled says every row
// drained so far went out in a batch the receiver acknowledged. A restore
// reads it from the book it replaces to say which lost documents head office
// holds.
func Delivered(tx *book.Tx) (drained uint64, settled bool, err error) {
	drained = getU64(tx.Bucket(bucketDrain).Get("queue"))
	settled = true
	if err := tx.Bucket(bucketPending).Scan("", func(string, []byte) (bool, error) { settled = false; return false, nil }); err != nil {
		return 0, false, err
	}
	err = tx.Bucket(bucketOutbox).Scan("", func(_ string, v []byte) (bool, error) {
		var ob OutboxBatch
		if err := json.Unmarshal(v, &ob); err != nil {
			return false, err
		}
		if !ob.Sent() {
			settled = false
			return false, nil
		}
		return true, nil
	})
	return drained, settled, err
}
