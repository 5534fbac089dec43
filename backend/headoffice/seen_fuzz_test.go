package headoffice

import (
	"reflect"
	"testing"
)

// FuzzSeenIndex: a day's seen index (store.go) read from any bytes answers
// an error, never a panic, and the entries read, written again, read the
// same.
func FuzzSeenIndex(f *testing.F) {
	var seed []byte
	seed = appendSeen(seed, lineKey{"INV", "SI/26-27/000123", 1}, "1k3x9a")
	seed = appendSeen(seed, lineKey{"CXL", "SI/26-27/000123", 2}, "")
	f.Add(seed)
	f.Add([]byte("INV\x1fA\x1f1"))
	f.Add([]byte("INV\x1fA\x1fx\n"))
	f.Add([]byte("\x1f\x1f-0\x1f\x1f\n"))
	type entry struct {
		k  lineKey
		fp string
	}
	read := func(raw []byte) ([]entry, error) {
		var out []entry
		err := eachSeen(raw, func(k lineKey, fp string) { out = append(out, entry{k, fp}) })
		return out, err
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		es, err := read(raw)
		if err != nil {
			return
		}
		var again []byte
		for _, e := range es {
			again = appendSeen(again, e.k, e.fp)
		}
		back, err := read(again)
		if err != nil || !reflect.DeepEqual(back, es) {
			t.Fatalf("%q read as %v, written and read again as %v, %v", raw, es, back, err)
		}
	})
}
