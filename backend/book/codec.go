package book

import "encoding/binary"

// The book's own records (queue entries, audit entries) are stored as a
// format byte then fields as varints and length-prefixed strings: the seq
// is the key, and JSON's field names would be most of each value. Values an
// older book wrote as JSON start with '{' and still read.

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// fields reads a stored record's fields in order; ok turns false, for
// good, at the first that does not fit.
type fields struct {
	v  []byte
	ok bool
}

func (f *fields) bytes() []byte {
	n, k := binary.Uvarint(f.v)
	if !f.ok || k <= 0 || n > uint64(len(f.v)-k) {
		f.ok = false
		return nil
	}
	b := f.v[k : k+int(n)]
	f.v = f.v[k+int(n):]
	return b
}

func (f *fields) string() string { return string(f.bytes()) }

func (f *fields) varint() int64 {
	n, k := binary.Varint(f.v)
	if !f.ok || k <= 0 {
		f.ok = false
		return 0
	}
	f.v = f.v[k:]
	return n
}

// done reports whether every field read and nothing is left over.
func (f *fields) done() bool { return f.ok && len(f.v) == 0 }
