package posting

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/masters"
	"vitaran/backend/money"
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

// Tally's stock items carry no MRP, and an item cannot be billed without
// one: the preview says so, apply skips the item with the reason until the
// accountant gives the MRP on the pack, and then creates it with that MRP.
func TestNewItemsFromTallyWaitForTheirMRP(t *testing.T) {
	s := newShop(t)
	tally := tallysim.New(tallysim.Options{Company: company, Units: []string{"Nos"}, Items: []tallysim.Item{
		{Name: "Zest Lime Soap 75g", BaseUnit: "Nos", HSN: "34011190", GSTRate: "18"}}})
	url, err := tally.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tally.Close()
	m, err := tallybridge.NewClient(url, company).ListOfAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	preview := func() []PullRecord {
		var rs []PullRecord
		s.b.View(func(tx *book.Tx) error { rs, err = PreviewPull(tx, m, billDay); return err })
		return rs
	}
	rs := preview()
	if len(rs) != 1 || rs[0].Action != "new" || rs[0].Needs != "mrp" || Counts(rs)["needs mrp"] != 1 {
		t.Fatalf("preview %+v", rs)
	}
	var res ApplyResult
	s.b.Update(func(tx *book.Tx) error { res = ApplyPull(tx, rs, billDay, ApplyOptions{}); return nil })
	if res.Applied != 0 || res.Skipped != 1 || res.Refused != 0 || rs[0].Skipped != NeedsMRP {
		t.Fatalf("apply without an MRP: %+v %+v", res, rs[0])
	}
	s.b.View(func(tx *book.Tx) error {
		if _, err := masters.GetItem(tx, rs[0].Code); err == nil {
			t.Error("an item without an MRP was created")
		}
		return nil
	})
	rs = preview()
	var done []int
	s.b.Update(func(tx *book.Tx) error {
		res = ApplyPull(tx, rs, billDay, ApplyOptions{MRP: map[string]money.Paise{"zest lime soap 75G": 4500},
			Progress: func(d, n int) { done = append(done, d) }})
		return nil
	})
	if res.Applied != 1 || res.Skipped != 0 || rs[0].Needs != "" {
		t.Fatalf("apply with the MRP: %+v %+v", res, rs[0])
	}
	if len(done) == 0 || done[len(done)-1] != len(rs) {
		t.Errorf("progress %v", done)
	}
	s.b.View(func(tx *book.Tx) error {
		it, err := masters.GetItem(tx, rs[0].Code)
		if err != nil || it.MRPPaise != 4500 || it.GSTRateBP != 1800 || it.HSN != "34011190" {
			t.Fatalf("created %+v %v", it, err)
		}
		return nil
	})
}

// A receipt set against two invoices goes to Tally as one Agst Ref per
// invoice and On Account for what is left.
func TestReceiptAgainstTwoInvoicesNamesBoth(t *testing.T) {
	s := newShop(t)
	s.b.View(func(tx *book.Tx) error {
		set, _ := GetSettings(tx)
		a, err := NewAdapter(tx, set, "vitaran:T")
		if err != nil {
			t.Fatal(err)
		}
		v, err := a.Receipt(billing.Receipt{Number: "RC/1", Date: billDay, Outlet: "TNX01", Mode: "cash", AmountPaise: 100000,
			Allocations:    []billing.Allocation{{Invoice: "SI/1", AmountPaise: 60000}, {Invoice: "SI/2", AmountPaise: 30000}},
			OnAccountPaise: 10000})
		if err != nil {
			t.Fatal(err)
		}
		want := []tallybridge.Bill{{Ref: "SI/1", Amount: 60000}, {Ref: "SI/2", Amount: 30000}}
		if fmt.Sprint(v.Bills) != fmt.Sprint(want) || v.BillRef != "" {
			t.Fatalf("bills %+v ref %q", v.Bills, v.BillRef)
		}
		body, err := tallybridge.VouchersXML(company, tallybridge.OldForm, []tallybridge.Voucher{v})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"<NAME>SI/1</NAME>", "<NAME>SI/2</NAME>", "<BILLTYPE>On Account</BILLTYPE>", "<AMOUNT>100.00</AMOUNT>"} {
			if !strings.Contains(string(body), w) {
				t.Errorf("no %s in\n%s", w, body)
			}
		}
		return nil
	})
}

// The day-summary party the bridge made in Tally is no shop: a pull after
// a day-wise push proposes no outlet for it.
func TestPullNeverProposesTheDaySummaryPartyAsAnOutlet(t *testing.T) {
	s := newShop(t)
	setMode(t, s.b, ModeDaily)
	tally, url := sim(t)
	if _, failed, err := push(t, s.b, url, PushOptions{}); err != nil || failed != 0 {
		t.Fatalf("push: %d failed %v", failed, err)
	}
	if l, ok := tally.HasLedger("Retail Sales (Day Summary)"); !ok || l.Parent != tallybridge.GroupDebtors {
		t.Fatalf("the summary party in Tally: %+v %v", l, ok)
	}
	m, err := tallybridge.NewClient(url, company).ListOfAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rs []PullRecord
	s.b.View(func(tx *book.Tx) error { rs, err = PreviewPull(tx, m, billDay); return err })
	for _, r := range rs {
		if r.Kind == "outlet" && strings.Contains(r.Tally, "Day Summary") {
			t.Fatalf("the summary party is proposed as an outlet: %+v", r)
		}
	}
}
