package book

import (
	"encoding/json"
	"testing"
	"time"
)

func TestAQueueEntryReadsBackAsPostedAndOldJSONEntriesStillRead(t *testing.T) {
	b, _ := openTemp(t)
	before := time.Now().UTC()
	err := b.Update(func(tx *Tx) error {
		// an entry an older Vitaran wrote as JSON
		if err := tx.Bucket(queueBucket(UploadQueue)).PutJSON(SeqKey(1), QueueEntry{Seq: 1, Kind: "invoice", ID: "SI/26-27/000001",
			At: time.Date(2026, 4, 1, 10, 0, 0, 123456789, time.UTC)}); err != nil {
			return err
		}
		if _, err := tx.Bucket(queueBucket(UploadQueue)).NextSeq(); err != nil {
			return err
		}
		return tx.Enqueue(UploadQueue, "sales_return", "CN/26-27/000002")
	})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *Tx) error {
		q, err := tx.Queued(UploadQueue, 0, 0)
		if err != nil || len(q) != 2 {
			t.Fatalf("queued %+v, %v", q, err)
		}
		if q[0].Seq != 1 || q[0].ID != "SI/26-27/000001" || q[0].At.Nanosecond() != 123456789 {
			t.Fatalf("old entry read as %+v", q[0])
		}
		if q[1].Seq != 2 || q[1].Kind != "sales_return" || q[1].ID != "CN/26-27/000002" || q[1].At.Before(before) || q[1].At.Location() != time.UTC {
			t.Fatalf("new entry read as %+v", q[1])
		}
		if later, _ := tx.Queued(UploadQueue, 1, 0); len(later) != 1 || later[0].Seq != 2 {
			t.Fatalf("after 1: %+v", later)
		}
		if !tx.IsQueued(UploadQueue, "sales_return", "CN/26-27/000002") || tx.QueueLen(UploadQueue) != 2 {
			t.Fatal("the return is not queued")
		}
		return nil
	})
}

func TestAnAuditEntryReadsBackAsWrittenAndOldJSONEntriesStillRead(t *testing.T) {
	b, _ := openTemp(t)
	old := AuditEntry{Seq: 0, At: time.Date(2026, 4, 1, 10, 0, 0, 5, time.UTC), User: "asha", Action: "setting", Kind: "company", Key: "gstin",
		After: json.RawMessage(`{"gstin":"29ABCDE1234F1Z5"}`)}
	err := b.UpdateAs(Actor{User: "ravi", Role: "accountant", From: "10.0.0.4"}, func(tx *Tx) error {
		n, err := tx.Bucket("audit").NextSeq()
		if err != nil {
			return err
		}
		old.Seq = n
		if err := tx.Bucket("audit").PutJSON(SeqKey(n), old); err != nil {
			return err
		}
		return tx.Audit("update", "outlet", "OUT1", map[string]string{"name": "Sri <Ganesh> & Sons"}, map[string]string{"name": "Sri Ganesh Stores"}, "renamed")
	})
	if err != nil {
		t.Fatal(err)
	}
	var log []AuditEntry
	b.View(func(tx *Tx) error { log, err = tx.AuditLog(0, 0, nil); return err })
	if err != nil || len(log) < 2 {
		t.Fatalf("log %+v, %v", log, err)
	}
	n := len(log)
	if got := log[n-2]; got.Seq != old.Seq || !got.At.Equal(old.At) || got.User != "asha" || string(got.After) != string(old.After) || got.Before != nil {
		t.Fatalf("old entry read as %+v", got)
	}
	got := log[n-1]
	if got.Seq != old.Seq+1 || got.User != "ravi" || got.Role != "accountant" || got.From != "10.0.0.4" || got.Action != "update" ||
		got.Kind != "outlet" || got.Key != "OUT1" || got.Note != "renamed" || got.At.Location() != time.UTC ||
		string(got.Before) != `{"name":"Sri \u003cGanesh\u003e \u0026 Sons"}` || string(got.After) != `{"name":"Sri Ganesh Stores"}` {
		t.Fatalf("new entry read as %+v", got)
	}
	if raw, _ := json.Marshal(got); !json.Valid(raw) {
		t.Fatal("the entry does not marshal")
	}
}
