package upload

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// The distributor book's upload buckets, their keys and encodings; nothing
// else in the package (or outside it) opens them.
const (
	bucketPending  = "upload_pending"  // SeqKey → pendingRow: rows posted, not yet in a batch
	bucketOutbox   = "upload_outbox"   // SeqKey → OutboxBatch: built batches, oldest first
	bucketBodies   = "upload_bodies"   // SeqKey → the batch body, exactly as sent
	bucketState    = "upload_state"    // "state" → uploadState: last build, last full refresh, last success
	bucketSettings = "upload_settings" // "settings" → Settings
	bucketDrain    = "upload_drain"    // "queue", "audit" → last seq drained (8 bytes); "redated\x1f"+id → date
)

type pendingRow struct {
	Part string          `json:"p"`
	Row  json.RawMessage `json:"r"`
}

func loadSettings(tx *book.Tx) (Settings, error) {
	var s Settings
	_, err := tx.Bucket(bucketSettings).GetJSON("settings", &s)
	return s, err
}

func putSettings(tx *book.Tx, s *Settings) error {
	return tx.Bucket(bucketSettings).PutJSON("settings", s)
}

// appendPending adds a row to the pending rows, after the others.
func appendPending(tx *book.Tx, p pendingRow) error {
	bk := tx.Bucket(bucketPending)
	n, err := bk.NextSeq()
	if err != nil {
		return fmt.Errorf("upload outbox: %w", err)
	}
	return bk.PutJSON(book.SeqKey(n), p)
}

// scanPending calls fn with each pending row and its key, oldest first.
func scanPending(tx *book.Tx, fn func(key string, p *pendingRow) error) error {
	return tx.Bucket(bucketPending).Scan("", func(k string, v []byte) (bool, error) {
		var p pendingRow
		if err := json.Unmarshal(v, &p); err != nil {
			return false, fmt.Errorf("upload outbox %s: %w", k, err)
		}
		return true, fn(k, &p)
	})
}

// deletePending removes pending rows (by key) once they are in a batch.
func deletePending(tx *book.Tx, keys []string) error {
	pending := tx.Bucket(bucketPending)
	for _, k := range keys {
		if err := pending.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// anyPending reports whether a row waits for a batch.
func anyPending(tx *book.Tx) bool {
	found := false
	tx.Bucket(bucketPending).Scan("", func(string, []byte) (bool, error) { found = true; return false, nil })
	return found
}

func pendingCount(tx *book.Tx) int { return tx.Bucket(bucketPending).Len() }

// nextOutboxSeq numbers the next built batch.
func nextOutboxSeq(tx *book.Tx) (uint64, error) { return tx.Bucket(bucketOutbox).NextSeq() }

// getOutbox reads a built batch (a zero one when there is none).
func getOutbox(tx *book.Tx, seq uint64) (OutboxBatch, error) {
	var ob OutboxBatch
	_, err := tx.Bucket(bucketOutbox).GetJSON(book.SeqKey(seq), &ob)
	return ob, err
}

func putOutbox(tx *book.Tx, ob *OutboxBatch) error {
	return tx.Bucket(bucketOutbox).PutJSON(book.SeqKey(ob.Seq), ob)
}

// scanOutbox calls fn with each built batch, oldest first, until fn
// answers false.
func scanOutbox(tx *book.Tx, fn func(ob *OutboxBatch) (bool, error)) error {
	return tx.Bucket(bucketOutbox).Scan("", func(k string, v []byte) (bool, error) {
		var ob OutboxBatch
		if err := json.Unmarshal(v, &ob); err != nil {
			return false, fmt.Errorf("upload outbox %s: %w", k, err)
		}
		return fn(&ob)
	})
}

// getBody is a built batch's body as sent; valid only inside tx.
func getBody(tx *book.Tx, seq uint64) []byte { return tx.Bucket(bucketBodies).Get(book.SeqKey(seq)) }

func putBody(tx *book.Tx, seq uint64, body []byte) error {
	return tx.Bucket(bucketBodies).Put(book.SeqKey(seq), body)
}

func deleteBody(tx *book.Tx, seq uint64) error {
	return tx.Bucket(bucketBodies).Delete(book.SeqKey(seq))
}

func readState(tx *book.Tx) (uploadState, error) {
	var s uploadState
	_, err := tx.Bucket(bucketState).GetJSON("state", &s)
	return s, err
}

func writeState(tx *book.Tx, s uploadState) error {
	return tx.Bucket(bucketState).PutJSON("state", &s)
}

// drainCursor is the last seq drained of the upload queue ("queue") or
// the audit log ("audit").
func drainCursor(tx *book.Tx, which string) uint64 {
	return getU64(tx.Bucket(bucketDrain).Get(which))
}

func setDrainCursor(tx *book.Tx, which string, seq uint64) error {
	return tx.Bucket(bucketDrain).Put(which, putU64(seq))
}

// redatedKey marks, in the drain's bucket, a reversal whose id carries the
// date it was restated on (see restateOldCancellations).
func redatedKey(id string) string { return "redated" + "\x1f" + id }

// redatedOn is the date a reversal was restated on, "" if it never was.
func redatedOn(tx *book.Tx, id string) string {
	return string(tx.Bucket(bucketDrain).Get(redatedKey(id)))
}

func setRedatedOn(tx *book.Tx, id string, day cal.Date) error {
	return tx.Bucket(bucketDrain).Put(redatedKey(id), []byte(day))
}

func getU64(v []byte) uint64 {
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func putU64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}
