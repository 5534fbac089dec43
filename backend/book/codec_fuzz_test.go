package book

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// The book's hand-made formats (codec.go) read whatever bytes a damaged
// file holds: decoding must answer an error, never panic, and an entry
// written then read comes back as it was.

func FuzzAuditEntry(f *testing.F) {
	at := time.Date(2026, 11, 25, 10, 30, 0, 123456789, time.UTC)
	for _, e := range []AuditEntry{
		{At: at, User: "ravi", Role: "accountant", From: "10.0.0.4", Action: "update", Kind: "outlet", Key: "OUT1",
			Before: json.RawMessage(`{"name":"Sri <Ganesh> & Sons"}`), After: json.RawMessage(`{"name":"Sri Ganesh Stores"}`), Note: "renamed"},
		{At: at, User: "system", Action: "post", Kind: "invoice", Key: "SI/26-27/000001"},
	} {
		f.Add(appendAuditEntry(nil, &e), e.User, e.Key, e.At.UnixNano())
	}
	old, _ := json.Marshal(AuditEntry{Seq: 1, At: at, User: "asha", Action: "setting", Kind: "company", Key: "gstin",
		After: json.RawMessage(`{"gstin":"29ABCDE1234F1Z5"}`)})
	f.Add(old, "", "", int64(0))
	f.Add([]byte{auditFormat, 0x80}, "\x00", "", int64(-1))
	f.Fuzz(func(t *testing.T, v []byte, s, key string, ns int64) {
		e, err := readAuditEntry(SeqKey(7), v)
		if err == nil && (len(v) == 0 || v[0] != '{') {
			again, err := readAuditEntry(SeqKey(7), appendAuditEntry(nil, &e))
			if err != nil || !reflect.DeepEqual(again, e) {
				t.Fatalf("%x read as %+v, written and read again as %+v, %v", v, e, again, err)
			}
		}
		want := AuditEntry{Seq: 7, At: time.Unix(0, ns).UTC(), User: s, Role: s, From: key, Action: s, Kind: key, Key: key, Note: s}
		if s != "" {
			want.Before = json.RawMessage(s)
		}
		if key != "" {
			want.After = json.RawMessage(key)
		}
		got, err := readAuditEntry(SeqKey(7), appendAuditEntry(nil, &want))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote %+v, read %+v, %v", want, got, err)
		}
	})
}

func FuzzQueueEntry(f *testing.F) {
	at := time.Date(2026, 11, 25, 10, 30, 0, 123456789, time.UTC)
	for _, e := range []QueueEntry{
		{Seq: 1, Kind: "invoice", ID: "SI/26-27/000001", At: at},
		{Seq: 2, Kind: "sales_return", ID: "CN/26-27/000002", At: at.Add(time.Hour)},
	} {
		f.Add(appendQueueEntry(nil, &e), e.Kind, e.ID, e.At.UnixNano())
	}
	old, _ := json.Marshal(QueueEntry{Seq: 1, Kind: "invoice", ID: "SI/26-27/000001", At: at})
	f.Add(old, "", "", int64(0))
	f.Add([]byte{queueFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, "\x00", "", int64(-1))
	f.Fuzz(func(t *testing.T, v []byte, kind, id string, ns int64) {
		e, err := readQueueEntry(9, v)
		if err == nil && (len(v) == 0 || v[0] != '{') {
			again, err := readQueueEntry(9, appendQueueEntry(nil, &e))
			if err != nil || !reflect.DeepEqual(again, e) {
				t.Fatalf("%x read as %+v, written and read again as %+v, %v", v, e, again, err)
			}
		}
		want := QueueEntry{Seq: 9, Kind: kind, ID: id, At: time.Unix(0, ns).UTC()}
		got, err := readQueueEntry(9, appendQueueEntry(nil, &want))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote %+v, read %+v, %v", want, got, err)
		}
	})
}
