package book

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"vitaran/backend/fail"
)

// Idempotent postings. A client may send a request_id of its own choosing
// with a document it saves (an invoice, a receipt, a settlement, a purchase
// order). The owner of the document records it in the posting's own
// transaction, in a bucket of its own: [scope \0] request_id → reference \0
// fingerprint, the reference naming what the posting made (a number, a
// sheet id) and the fingerprint being the first 16 bytes of the SHA-256 of
// the request's body as JSON (without the request_id). Either both the
// document and the record were committed or neither was, so the same
// request_id again — after a lost answer, a crash, a restart — answers the
// first document and writes nothing; the same request_id with another body
// is a conflict, which the owner words for its document.
//
// Before the requests were kept here, collections and reorder stored the
// fingerprint as hex text (32 and 64 digits); such records still read as
// the same fingerprint (readRequest).

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// Request is a request_id and the fingerprint of the body it came with.
type Request struct {
	ID string
	fp [16]byte
}

// NewRequest checks a request_id's form and fingerprints body (the input
// without its request_id, and without whatever a retry may change, such as
// the date the door fills in). No id → nil: nothing to remember.
func NewRequest(id string, body any) (*Request, error) {
	if id == "" {
		return nil, nil
	}
	if !requestIDRe.MatchString(id) {
		return nil, fail.Invalid("request_id", "use 1–64 letters, digits and . _ : - (a UUID fits)")
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("book: unable to fingerprint request %s: %w", id, err)
	}
	sum := sha256.Sum256(raw)
	r := &Request{ID: id}
	copy(r.fp[:], sum[:])
	return r, nil
}

// Requests is the request_ids one owner has answered, in a bucket the owner
// opens (and names in doc.go's table).
type Requests struct {
	b     *Bucket
	scope string
}

// RequestsIn keeps requests in b, under scope (the kind of document when
// one bucket holds several kinds; "" for none: the key is the request_id).
func RequestsIn(b *Bucket, scope string) Requests { return Requests{b: b, scope: scope} }

func (rs Requests) key(id string) string {
	if rs.scope == "" {
		return id
	}
	return rs.scope + "\x00" + id
}

// Held answers what an earlier request with r's id made (ref) and whether
// it came with the same body; ok is false when the id is new (or r is nil).
// A damaged record reads as another body: a conflict, never a replay.
func (rs Requests) Held(r *Request) (ref string, same, ok bool) {
	if r == nil {
		return "", false, false
	}
	v := rs.b.Get(rs.key(r.ID))
	if v == nil {
		return "", false, false
	}
	ref, fp, err := readRequest(v)
	return ref, err == nil && fp == r.fp, true
}

// Has reports whether the request_id id has already been answered.
func (rs Requests) Has(id string) bool { return id != "" && rs.b.Has(rs.key(id)) }

// Put records that r made ref, in the posting's transaction. A nil r
// (no request_id) records nothing.
func (rs Requests) Put(r *Request, ref string) error {
	if r == nil {
		return nil
	}
	return rs.b.Put(rs.key(r.ID), appendRequest(nil, ref, r.fp))
}

// Each calls fn with every request held under the scope (all of the bucket
// when the scope is ""), in key order, until fn answers false or an error.
// A record that cannot be read answers its reference as far as it goes.
func (rs Requests) Each(fn func(scope, id, ref string) (bool, error)) error {
	prefix := ""
	if rs.scope != "" {
		prefix = rs.scope + "\x00"
	}
	return rs.b.Scan(prefix, func(k string, v []byte) (bool, error) {
		scope, id, found := strings.Cut(k, "\x00")
		if !found {
			scope, id = "", k
		}
		ref, _, _ := bytes.Cut(v, []byte{0})
		return fn(scope, id, string(ref))
	})
}

// appendRequest encodes a record: ref \0 fingerprint (16 bytes). A
// reference never holds \0 (numbers and ids are text).
func appendRequest(dst []byte, ref string, fp [16]byte) []byte {
	dst = append(dst, ref...)
	dst = append(dst, 0)
	return append(dst, fp[:]...)
}

// readRequest decodes a record: the fingerprint is 16 bytes, or, as
// collections and reorder wrote it before, 32 or 64 hex digits (the first
// 16 or all 32 bytes of the same SHA-256).
func readRequest(v []byte) (ref string, fp [16]byte, err error) {
	r, raw, found := bytes.Cut(v, []byte{0})
	if !found {
		return string(r), fp, errors.New("book: request record without a fingerprint")
	}
	switch len(raw) {
	case 16:
		copy(fp[:], raw)
	case 32, 64:
		var sum [32]byte
		if _, err := hex.Decode(sum[:len(raw)/2], raw); err != nil {
			return string(r), fp, fmt.Errorf("book: request record's fingerprint: %w", err)
		}
		copy(fp[:], sum[:])
	default:
		return string(r), fp, fmt.Errorf("book: request record's fingerprint has %d bytes", len(raw))
	}
	return string(r), fp, nil
}
