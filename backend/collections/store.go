package collections

import (
	"encoding/json"
	"strconv"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// The collection sheets' buckets, keys and encodings; nothing else in the
// package (or outside it) opens them.
const (
	bSheets = "collections.sheet"  // SeqKey(id) → Sheet (JSON)
	bTagged = "collections.tagged" // invoice number → sheet id (decimal; open sheets only)
	// request_id → sheet id \0 fingerprint of the settlement's body
	// (book.Requests): the settlement's retry answers the sheet it settled.
	bRequests = "collections.requests"
)

func key(id int64) string { return book.SeqKey(uint64(id)) }

// Get returns a sheet by id.
func Get(tx *book.Tx, id int64) (Sheet, error) {
	var s Sheet
	ok, err := tx.Bucket(bSheets).GetJSON(key(id), &s)
	if err == nil && !ok {
		err = fail.NotFound("collection sheet", strconv.FormatInt(id, 10))
	}
	return s, err
}

func nextSheetID(tx *book.Tx) (int64, error) {
	seq, err := tx.Bucket(bSheets).NextSeq()
	return int64(seq), err
}

func putSheet(tx *book.Tx, s *Sheet) error { return tx.Bucket(bSheets).PutJSON(key(s.ID), s) }

// scanSheets calls fn with each sheet in id order until it answers false.
func scanSheets(tx *book.Tx, fn func(s *Sheet) (bool, error)) error {
	return tx.Bucket(bSheets).Scan("", func(_ string, v []byte) (bool, error) {
		var s Sheet
		if err := json.Unmarshal(v, &s); err != nil {
			return false, err
		}
		return fn(&s)
	})
}

// TaggedTo is the open sheet a bill is tagged to (0: none).
func TaggedTo(tx *book.Tx, invoice string) int64 {
	v := tx.Bucket(bTagged).Get(invoice)
	if v == nil {
		return 0
	}
	id, _ := strconv.ParseInt(string(v), 10, 64)
	return id
}

func tag(tx *book.Tx, invoice string, sheet int64) error {
	return tx.Bucket(bTagged).Put(invoice, []byte(strconv.FormatInt(sheet, 10)))
}

func untag(tx *book.Tx, invoice string) error { return tx.Bucket(bTagged).Delete(invoice) }

// heldRequest is the sheet (as its id's text) a request_id settled and
// whether it came with the same body (book.Requests).
func heldRequest(tx *book.Tx, r *book.Request) (sheet string, same, ok bool) {
	if r == nil {
		return "", false, false
	}
	return book.RequestsIn(tx.Bucket(bRequests), "").Held(r)
}

// putRequest records that r settled the sheet; nil records nothing.
func putRequest(tx *book.Tx, r *book.Request, sheet int64) error {
	if r == nil {
		return nil
	}
	return book.RequestsIn(tx.Bucket(bRequests), "").Put(r, strconv.FormatInt(sheet, 10))
}
