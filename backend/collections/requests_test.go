package collections

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// A book from before book.Requests holds a settlement's fingerprint as 32
// hex digits: its retry still answers the settled sheet and posts nothing,
// other figures still conflict.
func TestASettlementRecordedTheOldWayStillAnswersItsRetry(t *testing.T) {
	b, invs := shop(t)
	var s Sheet
	if err := b.Update(func(tx *book.Tx) (err error) {
		s, err = Create(tx, SheetInput{Salesman: "RAVI", Date: "2026-11-25", Bills: []string{invs[0].Number}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	settle := func(in SettleInput) (out Sheet, err error) {
		err = b.Update(func(tx *book.Tx) (err error) { out, err = Settle(tx, s.ID, in); return err })
		return out, err
	}
	in := SettleInput{RequestID: "settle-old", Bills: []Payment{{Invoice: invs[0].Number, AmountPaise: invs[0].TotalPaise, Mode: "cash"}}}
	first, err := settle(in)
	if err != nil {
		t.Fatal(err)
	}
	body := in
	body.RequestID = ""
	raw, _ := json.Marshal(struct {
		Sheet int64       `json:"sheet"`
		Body  SettleInput `json:"body"`
	}{s.ID, body})
	sum := sha256.Sum256(raw)
	if err := b.Update(func(tx *book.Tx) error {
		return tx.Bucket(bRequests).Put("settle-old", []byte(strconv.FormatInt(s.ID, 10)+"\x00"+hex.EncodeToString(sum[:16])))
	}); err != nil {
		t.Fatal(err)
	}
	again, err := settle(in)
	if err != nil || !again.Replayed || len(again.Receipts) != len(first.Receipts) || again.Receipts[0] != first.Receipts[0] {
		t.Fatalf("the retry answers %+v (%v), want sheet %d as first settled, replayed", again, err, s.ID)
	}
	in.Bills[0].AmountPaise--
	if _, err = settle(in); !fail.Is(err, fail.KindConflict) {
		t.Fatalf("the same request_id with other figures: %v, want a conflict", err)
	}
}
