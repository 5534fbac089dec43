package book

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"vitaran/backend/cal"
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

// An entry is stored under SeqKey(seq) as kind, id and the time in Unix
// nanoseconds (codec.go): a year of postings queues two entries a
// document. The doc index (kind\x00id) holds the seq as a uvarint.
//
// Measured when it replaced JSON (large demo): an entry ~92 B of JSON
// repeating its own seq -> ~35 B; queue.tally + queue.upload 29.6 + 29.6 ->
// 15.8 + 15.8 MB, their .doc indexes (the seq as 16 hex characters before)
// 13.2 + 13.2 -> 10.1 + 10.1 MB. FuzzQueueEntry reads arbitrary bytes.
const queueFormat = 1

func queueBucket(q string) string    { return "queue." + q }
func queueDocBucket(q string) string { return "queue." + q + ".doc" }

func appendQueueEntry(buf []byte, e *QueueEntry) []byte {
	buf = append(buf, queueFormat)
	buf = appendString(buf, e.Kind)
	buf = appendString(buf, e.ID)
	return binary.AppendVarint(buf, e.At.UnixNano())
}

func readQueueEntry(seq uint64, v []byte) (QueueEntry, error) {
	if len(v) > 0 && v[0] == '{' {
		var e QueueEntry
		err := json.Unmarshal(v, &e)
		return e, err
	}
	if len(v) == 0 || v[0] != queueFormat {
		return QueueEntry{}, fmt.Errorf("queue entry %d is corrupt", seq)
	}
	f := fields{v: v[1:], ok: true}
	e := QueueEntry{Seq: seq, Kind: f.string(), ID: f.string()}
	e.At = time.Unix(0, f.varint()).UTC()
	if !f.done() {
		return QueueEntry{}, fmt.Errorf("queue entry %d is corrupt", seq)
	}
	return e, nil
}

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
	if err := b.Put(SeqKey(n), appendQueueEntry(nil, &QueueEntry{Seq: n, Kind: kind, ID: id, At: cal.Now().UTC()})); err != nil {
		return err
	}
	return idx.Put(key, binary.AppendUvarint(nil, n))
}

// Queued returns entries of queue q with seq > after, oldest first, at most
// limit (0 = all).
func (t *Tx) Queued(q string, after uint64, limit int) ([]QueueEntry, error) {
	var out []QueueEntry
	err := t.Bucket(queueBucket(q)).Range(SeqKey(after+1), "", func(k string, v []byte) (bool, error) {
		n, err := strconv.ParseUint(k, 16, 64)
		if err != nil {
			return false, fmt.Errorf("queue %s: key %q is corrupt", q, k)
		}
		e, err := readQueueEntry(n, v)
		if err != nil {
			return false, fmt.Errorf("queue %s: %w", q, err)
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
