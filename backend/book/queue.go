package book

import (
	"encoding/json"
	"fmt"
	"time"
)

// The outgoing queues. A posting writes one entry to each in its own
// transaction, so every posted document is queued exactly once: the doc
// index refuses a second entry for the same document.
const (
	TallyQueue  = "tally"
	UploadQueue = "upload"
)

// QueueEntry names a document waiting to go out.
type QueueEntry struct {
	Seq  uint64    `json:"seq"`
	Kind string    `json:"kind"` // invoice, cancel, purchase, sales_return, purchase_return, receipt, adjustment, transfer, count
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
}

func queueBucket(q string) string    { return "queue." + q }
func queueDocBucket(q string) string { return "queue." + q + ".doc" }

// Enqueue adds a document to queue q. A document already queued is an error:
// it would be posted twice.
func (t *Tx) Enqueue(q, kind, id string) error {
	idx := t.Bucket(queueDocBucket(q))
	key := kind + "\x00" + id
	if idx.Has(key) {
		return fmt.Errorf("%s %s is already in the %s queue", kind, id, q)
	}
	b := t.Bucket(queueBucket(q))
	n, err := b.NextSeq()
	if err != nil {
		return err
	}
	if err := b.PutJSON(SeqKey(n), QueueEntry{Seq: n, Kind: kind, ID: id, At: time.Now().UTC()}); err != nil {
		return err
	}
	return idx.Put(key, []byte(SeqKey(n)))
}

// Queued returns entries of queue q with seq > after, oldest first, at most
// limit (0 = all).
func (t *Tx) Queued(q string, after uint64, limit int) ([]QueueEntry, error) {
	var out []QueueEntry
	err := t.Bucket(queueBucket(q)).Range(SeqKey(after+1), "", func(_ string, v []byte) (bool, error) {
		var e QueueEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return false, err
		}
		out = append(out, e)
		return limit == 0 || len(out) < limit, nil
	})
	return out, err
}

// IsQueued reports whether a document is in queue q.
func (t *Tx) IsQueued(q, kind, id string) bool {
	return t.Bucket(queueDocBucket(q)).Has(kind + "\x00" + id)
}

// QueueLen counts the entries ever queued in q.
func (t *Tx) QueueLen(q string) int { return t.Bucket(queueBucket(q)).Len() }
