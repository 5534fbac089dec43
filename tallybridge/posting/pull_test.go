package posting

import (
	"context"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/masters"
	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// After a push, pulling the same company finds every party unchanged; a
// debtor only Tally has is new, previewed first and created on apply.
func TestPullPreviewsThenCreatesOutletsFromTallyDebtors(t *testing.T) {
	s := newShop(t)
	tally := tallysim.New(tallysim.Options{Company: company, Ledgers: []tallysim.Ledger{
		{Name: "Zeenat Kirana Bhandar", Parent: "Sundry Debtors", State: "Karnataka"}}})
	url, err := tally.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tally.Close()
	if _, _, err := push(t, s.b, url, PushOptions{}); err != nil {
		t.Fatal(err)
	}
	m, err := tallybridge.NewClient(url, company).ListOfAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rs []PullRecord
	s.b.View(func(tx *book.Tx) error { rs, err = PreviewPull(tx, m, billDay); return err })
	c := Counts(rs)
	if c["new"] != 1 || c["changed"] != 0 || rs[0].Action != "new" {
		t.Fatalf("preview: %v %+v", c, rs)
	}
	var res ApplyResult
	s.b.Update(func(tx *book.Tx) error { res = ApplyPull(tx, rs, billDay, ApplyOptions{}); return nil })
	if res.Applied != 1 || res.Refused != 0 {
		t.Fatalf("apply: %+v %+v", res, rs)
	}
	s.b.View(func(tx *book.Tx) error {
		o, err := masters.GetOutlet(tx, rs[0].Code)
		if err != nil || o.StateCode != "29" {
			t.Fatalf("created outlet %+v %v", o, err)
		}
		return nil
	})
}
