package posting

import (
	"path/filepath"
	"testing"

	"vitaran/backend/book"
	"vitaran/tallybridge"
)

// A restore asks the replaced book which lost documents Tally holds: posted
// ones, and invoices folded into a day summary Tally took.
func TestInTallyReadsWhatTallyHolds(t *testing.T) {
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *book.Tx) error {
		if Used(tx) {
			t.Error("a new book has used Tally")
		}
		for id, d := range map[string]docState{
			QueueID("invoice", "SI/26-27/000001"): {Kind: "invoice", Number: "SI/26-27/000001", State: tallybridge.StatePosted},
			QueueID("invoice", "SI/26-27/000002"): {Kind: "invoice", Number: "SI/26-27/000002", State: tallybridge.StateFailed},
			QueueID("invoice", "SI/26-27/000003"): {Kind: "invoice", Number: "SI/26-27/000003", State: StateFolded, Day: "2026-11-25"},
			"day:2026-11-25:0":                    {Kind: "day", Number: "2026-11-25", State: tallybridge.StatePosted, InTally: true},
		} {
			if err := putDoc(tx, id, d); err != nil {
				return err
			}
		}
		return putDay(tx, "2026-11-25", dayState{Invoices: []string{"SI/26-27/000003"}, IDs: []string{"day:2026-11-25:0"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *book.Tx) error {
		for n, want := range map[string]bool{"SI/26-27/000001": true, "SI/26-27/000002": false, "SI/26-27/000003": true, "SI/26-27/000009": false} {
			if got := InTally(tx, "invoice", n); got != want {
				t.Errorf("%s in Tally: %v, want %v", n, got, want)
			}
		}
		if !Used(tx) {
			t.Error("a book with a posted voucher has not used Tally")
		}
		return nil
	})
}
