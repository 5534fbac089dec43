package masters

import (
	"encoding/binary"
	"math/rand/v2"

	"vitaran/backend/book"
)

// Every masters write stores a fresh random revision in the same
// transaction, so a reader may keep decoded masters for as long as the
// book's revision is the one it decoded them under. A revision is never
// reused — not after a rolled-back write, not in another book — so a
// cache keyed by it cannot serve a record the book does not hold.

// Touch gives the masters a new revision; every masters write calls it. A
// caller that finds no revision may call it to start one.
func Touch(tx *book.Tx) error {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], rand.Uint64())
	binary.BigEndian.PutUint64(b[8:], rand.Uint64())
	return putRevision(tx, b[:])
}
