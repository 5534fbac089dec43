package irp

import "vitaran/backend/book"

// The IRN queue's buckets: one record per document needing an IRN, and the
// cursor into the book's posting log (the Tally queue) up to which postings
// have been looked at. Nothing else in the package (or outside it) opens
// them.
const (
	bRecords = "einvoice.irn"  // kind \0 number → Record (JSON)
	bMeta    = "einvoice.meta" // "cursor" → last Tally-queue seq looked at (JSON number)
)

func recKey(kind, number string) string { return kind + "\x00" + number }

// Get returns a document's record (ok false when it never needed an IRN).
func Get(tx *book.Tx, kind, number string) (Record, bool, error) {
	var r Record
	ok, err := tx.Bucket(bRecords).GetJSON(recKey(kind, number), &r)
	return r, ok, err
}

func put(tx *book.Tx, r *Record) error {
	return tx.Bucket(bRecords).PutJSON(recKey(r.Kind, r.Number), r)
}

// scanRecords calls fn with each record in key order until it answers false.
func scanRecords(tx *book.Tx, fn func(r *Record) (bool, error)) error {
	return tx.Bucket(bRecords).Scan("", func(_ string, v []byte) (bool, error) {
		var r Record
		if err := jsonUnmarshal(v, &r); err != nil {
			return false, err
		}
		return fn(&r)
	})
}

// feedCursor is the last posting-log seq Feed looked at (0: none yet, or
// unreadable: the feed then looks again from the start, which queues
// nothing twice).
func feedCursor(tx *book.Tx) uint64 {
	var cursor uint64
	tx.Bucket(bMeta).GetJSON("cursor", &cursor)
	return cursor
}

func putFeedCursor(tx *book.Tx, cursor uint64) error {
	return tx.Bucket(bMeta).PutJSON("cursor", cursor)
}
