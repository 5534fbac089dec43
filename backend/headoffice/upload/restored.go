package upload

import "vitaran/backend/book"

// Delivered reports how far a book's documents reached head office: drained
// is the last upload-queue seq turned into rows, and settled says every row
// drained so far went out in a batch the receiver acknowledged. A restore
// reads it from the book it replaces to say which lost documents head office
// holds.
func Delivered(tx *book.Tx) (drained uint64, settled bool, err error) {
	drained = drainCursor(tx, "queue")
	settled = !anyPending(tx)
	err = scanOutbox(tx, func(ob *OutboxBatch) (bool, error) {
		if !ob.Sent() {
			settled = false
			return false, nil
		}
		return true, nil
	})
	return drained, settled, err
}
