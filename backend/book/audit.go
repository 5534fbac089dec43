package book

import (
	"encoding/json"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log: who did what, when, from where,
// and the record before and after. The log is append-only: the app offers no
// way to change or switch it off (the edit-log rule for Indian companies'
// accounting software).
type AuditEntry struct {
	Seq    uint64          `json:"seq"`
	At     time.Time       `json:"at"`
	User   string          `json:"user"`
	Role   string          `json:"role,omitempty"`
	From   string          `json:"from,omitempty"`
	Action string          `json:"action"` // create, update, cancel, post, import, setting, login, …
	Kind   string          `json:"kind"`   // item, outlet, invoice, …
	Key    string          `json:"key"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	Note   string          `json:"note,omitempty"`
}

// Audit appends an entry for the transaction's actor. before and after may
// be nil; they are stored as JSON.
func (t *Tx) Audit(action, kind, key string, before, after any, note string) error {
	b := t.Bucket("audit")
	n, err := b.NextSeq()
	if err != nil {
		return err
	}
	e := AuditEntry{Seq: n, At: time.Now().UTC(), User: t.Actor.User, Role: t.Actor.Role, From: t.Actor.From,
		Action: action, Kind: kind, Key: key, Note: note}
	if e.User == "" {
		e.User = "system"
	}
	if before != nil {
		if e.Before, err = json.Marshal(before); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	if after != nil {
		if e.After, err = json.Marshal(after); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	return b.PutJSON(SeqKey(n), e)
}

// AuditLog returns entries with seq > after, oldest first, at most limit
// (0 = all), filtered by keep when it is not nil.
func (t *Tx) AuditLog(after uint64, limit int, keep func(*AuditEntry) bool) ([]AuditEntry, error) {
	var out []AuditEntry
	err := t.Bucket("audit").Range(SeqKey(after+1), "", func(_ string, v []byte) (bool, error) {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return false, err
		}
		if keep == nil || keep(&e) {
			out = append(out, e)
		}
		return limit == 0 || len(out) < limit, nil
	})
	return out, err
}

// UpdateAs is Update with the actor recorded on the transaction.
func (b *Book) UpdateAs(a Actor, fn func(*Tx) error) error {
	return b.Update(func(t *Tx) error { t.Actor = a; return fn(t) })
}

// BatchAs is Batch with the actor recorded on the transaction.
func (b *Book) BatchAs(a Actor, fn func(*Tx) error) error {
	return b.Batch(func(t *Tx) error { t.Actor = a; return fn(t) })
}
