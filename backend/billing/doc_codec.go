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

// Invoices are the book's largest documents; they are stored as JSON
// deflated (marked by a leading 0x01 byte) so a year of them stays small.
// A value starting with '{' is plain JSON.

var flaters = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, flate.BestSpeed); return w }}

func encodeDoc(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(raw)/3 + 16)
	buf.WriteByte(1)
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

func decodeDoc(raw []byte, v any) error {
	if len(raw) > 0 && raw[0] == 1 {
		r := flate.NewReader(bytes.NewReader(raw[1:]))
		plain, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("document is corrupt: %w", err)
		}
		raw = plain
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
