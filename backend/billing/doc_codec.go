package billing

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"vitaran/backend/book"
)

// Invoices, GRNs and debit notes are stored as JSON deflated against
// docDict, marked by a leading 0x02 byte; a year of them stays small
// because each one spells only what differs from the dictionary. Older
// books hold 0x01 (deflated without a dictionary) and plain JSON (starting
// with '{'): both still read. Receipts are written as plain JSON: a
// deflate costs ~40 µs whatever the size (its tables are reset each
// time), too dear for a 270-byte document posted 300 times a day.
//
// Measured (large demo): the dictionary took the book 689.5 -> 560.2 MB,
// billing.inv 200.0 -> 111.3 MB (average value 1287 -> 768 B), billing.rct
// 34.6 -> 13.6 MB, billing.pur 22.3 -> ~3 MB. Receipts back to plain JSON:
// 96k receipts' deflates were ~4 s of the demo's load to save 21 MB; book
// 465.2 -> 485.9 MB, 42.9 s wall (51.2 s before, in a noisier minute). No
// figures were recorded for the first, dictionary-less form (0x01).
// FuzzDocument reads arbitrary bytes.
const (
	docDeflate     = 1
	docDeflateDict = 2
)

// docLevel trades a few microseconds a posting for half the bytes:
// BestSpeed cannot use a dictionary.
const docLevel = 3

var dict = []byte(docDict)

var (
	flaters   = sync.Pool{New: func() any { w, _ := flate.NewWriterDict(nil, docLevel, dict); return w }}
	inflaters sync.Pool
)

func encodeDoc(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(raw)/4 + 16)
	buf.WriteByte(docDeflateDict)
	w := flaters.Get().(*flate.Writer)
	defer flaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func inflate(packed, dict []byte) ([]byte, error) {
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReaderDict(bytes.NewReader(packed), dict)
	} else if err := r.(flate.Resetter).Reset(bytes.NewReader(packed), dict); err != nil {
		return nil, err
	}
	defer inflaters.Put(r)
	var out bytes.Buffer
	out.Grow(len(packed) * 6)
	if _, err := out.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("document is corrupt: %w", err)
	}
	return out.Bytes(), nil
}

func decodeDoc(raw []byte, v any) error {
	if len(raw) > 0 {
		var err error
		switch raw[0] {
		case docDeflate:
			raw, err = inflate(raw[1:], nil)
		case docDeflateDict:
			raw, err = inflate(raw[1:], dict)
		}
		if err != nil {
			return err
		}
	}
	return json.Unmarshal(raw, v)
}

func putDoc(b *book.Bucket, key string, v any) error {
	raw, err := encodeDoc(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

func getDoc(b *book.Bucket, key string, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := decodeDoc(raw, v); err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}
