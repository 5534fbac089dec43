package book

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"vitaran/backend/fail"
)

type order struct {
	Brand string `json:"brand"`
	Qty   int    `json:"qty"`
}

// A request_id sent again answers what the first one made, also after the
// book is closed and opened again; with another body it is held but not
// the same, and a malformed id is refused naming request_id.
func TestARequestIDAnswersItsFirstPostingAcrossAReopen(t *testing.T) {
	b, p := openTemp(t)
	first, err := NewRequest("po-7", order{"Britannia", 240})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *Tx) error {
		rs := RequestsIn(tx.Bucket("test.requests"), "invoice")
		if _, _, ok := rs.Held(first); ok {
			t.Error("a new request_id is already held")
		}
		return rs.Put(first, "SI/26-27/000001")
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if b, err = Open(p, Options{}); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	again, _ := NewRequest("po-7", order{"Britannia", 240})
	other, _ := NewRequest("po-7", order{"Britannia", 241})
	b.View(func(tx *Tx) error {
		rs := RequestsIn(tx.Bucket("test.requests"), "invoice")
		if ref, same, ok := rs.Held(again); !ok || !same || ref != "SI/26-27/000001" {
			t.Errorf("the retry: %q same=%v held=%v, want the first invoice", ref, same, ok)
		}
		if ref, same, ok := rs.Held(other); !ok || same || ref != "SI/26-27/000001" {
			t.Errorf("another body: %q same=%v held=%v, want held but not the same", ref, same, ok)
		}
		if _, _, ok := RequestsIn(tx.Bucket("test.requests"), "receipt").Held(again); ok {
			t.Error("a receipt's request_id answered an invoice's: ids are per scope")
		}
		if !rs.Has("po-7") || rs.Has("po-8") || rs.Has("") {
			t.Error("Has does not match what was put")
		}
		var seen []string
		RequestsIn(tx.Bucket("test.requests"), "").Each(func(scope, id, ref string) (bool, error) {
			seen = append(seen, scope+"|"+id+"|"+ref)
			return true, nil
		})
		if len(seen) != 1 || seen[0] != "invoice|po-7|SI/26-27/000001" {
			t.Errorf("Each: %q", seen)
		}
		return nil
	})
	if r, err := NewRequest("", order{}); r != nil || err != nil {
		t.Errorf("no request_id: %v %v, want nothing to remember", r, err)
	}
	if _, err := NewRequest("bad id!", order{}); err == nil {
		t.Error("a request_id with a space was taken")
	} else if f, ok := fail.As(err); !ok || f.Field != "request_id" {
		t.Errorf("a malformed request_id: %v, want an error naming request_id", err)
	}
}

// Collections and reorder kept the fingerprint as hex text before the
// requests moved here (the first 16 bytes and the whole SHA-256): a book
// written that way still answers its retries, and another body is still a
// conflict.
func TestARequestRecordedTheOldWayStillAnswersItsRetry(t *testing.T) {
	b, p := openTemp(t)
	body := order{"Britannia", 240}
	raw, _ := json.Marshal(body)
	sum := sha256.Sum256(raw)
	b.Update(func(tx *Tx) error {
		tx.Bucket("collections.requests").Put("settle-7f3a", []byte("3\x00"+hex.EncodeToString(sum[:16])))
		return tx.Bucket("reorder.po.requests").Put("po-7", []byte("PO/26-27/000004\x00"+hex.EncodeToString(sum[:])))
	})
	b.Close()
	b, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *Tx) error {
		for _, c := range []struct{ bucket, id, ref string }{
			{"collections.requests", "settle-7f3a", "3"},
			{"reorder.po.requests", "po-7", "PO/26-27/000004"},
		} {
			rs := RequestsIn(tx.Bucket(c.bucket), "")
			same, _ := NewRequest(c.id, body)
			if ref, ok2, ok := rs.Held(same); !ok || !ok2 || ref != c.ref {
				t.Errorf("%s: the retry answers %q same=%v held=%v, want %s", c.bucket, ref, ok2, ok, c.ref)
			}
			other, _ := NewRequest(c.id, order{"Britannia", 241})
			if _, ok2, ok := rs.Held(other); !ok || ok2 {
				t.Errorf("%s: another body read as the same", c.bucket)
			}
		}
		return nil
	})
}

// A request record read from a damaged file answers an error, never a
// panic, and one written then read comes back as it was.
func FuzzRequestRecord(f *testing.F) {
	sum := sha256.Sum256([]byte(`{"brand":"Britannia"}`))
	var fp [16]byte
	copy(fp[:], sum[:])
	f.Add(appendRequest(nil, "SI/26-27/000001", fp), "SI/26-27/000001")
	f.Add([]byte("3\x00"+hex.EncodeToString(sum[:16])), "3")
	f.Add([]byte("PO/26-27/000004\x00"+hex.EncodeToString(sum[:])), "")
	f.Add([]byte("7\x00zz"), "\x00")
	f.Add([]byte{}, "")
	f.Fuzz(func(t *testing.T, v []byte, ref string) {
		if r, got, err := readRequest(v); err == nil {
			back := appendRequest(nil, r, got)
			if r2, got2, err := readRequest(back); err != nil || r2 != r || got2 != got {
				t.Fatalf("%q read as %q %x, written and read again as %q %x, %v", v, r, got, r2, got2, err)
			}
		}
		if bytes.IndexByte([]byte(ref), 0) >= 0 {
			return // a reference never holds \0
		}
		var want [16]byte
		copy(want[:], v)
		r, got, err := readRequest(appendRequest(nil, ref, want))
		if err != nil || r != ref || got != want {
			t.Fatalf("%q %x written and read as %q %x, %v", ref, want, r, got, err)
		}
	})
}
