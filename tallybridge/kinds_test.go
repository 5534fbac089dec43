package tallybridge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vitaran/tallybridge/tallysim"
)

// Every voucher kind, masters and all, is accepted by a fresh company.
func TestEveryKindPostsToAFreshCompany(t *testing.T) {
	sim := tallysim.New(tallysim.Options{Company: "Lakshmi Distributors & Sons"})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	c := NewClient(url, "Lakshmi Distributors & Sons")
	c.ReadTimeout = 2 * time.Second
	q := NewMemQueue()
	all := []Voucher{intraStateSale(), interStateSale(), creditNote(), purchase(), debitNote(), receipt(), stockJournal()}
	for _, v := range all {
		q.Add(v)
	}
	rep, err := Push(context.Background(), c, q, PushOptions{BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Posted != len(all) {
		for _, e := range q.All() {
			t.Logf("%s %s: %s", e.ID, e.State, e.Reason)
		}
		t.Fatalf("posted %d of %d", rep.Posted, len(all))
	}
	for _, want := range []struct{ ledger, parent string }{
		{"HDFC Bank", GroupBank}, {"Glow Consumer Ltd", GroupCreditors}, {"Freight Inward", GroupIndirectExp},
		{"Input CGST", GroupDuties}, {"Purchase @ 5%", GroupPurchases}, {"Sales @ 18%", GroupSales},
	} {
		if l, ok := sim.HasLedger(want.ledger); !ok || l.Parent != want.parent {
			t.Errorf("ledger %q: %+v", want.ledger, l)
		}
	}
	if !sim.HasGodown("Damaged") {
		t.Error("godown Damaged not created")
	}

	// the day summary of the two sales posts too, to one party
	sum, err := SummariseByDay([]Voucher{intraStateSale(), interStateSale()}, SummaryOptions{Party: Party{Name: "Retail Sales (Day Summary)", State: "Tamil Nadu"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range sum {
		q.Add(v)
	}
	if rep, err := Push(context.Background(), c, q, PushOptions{}); err != nil || rep.Posted != len(sum) {
		t.Fatalf("summary push %+v %v", rep, err)
	}
}

func TestFileMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vouchers.xml")
	vs := []Voucher{intraStateSale(), purchase()}
	if err := WriteImportFile(path, "Lakshmi Distributors & Sons", Needed(vs), vs); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || strings.Count(string(b), "<VOUCHER ") != 2 {
		t.Fatalf("voucher file: %v", err)
	}
	// the masters file is itself an import envelope, as a Tally export is:
	// reading it back gives the masters written
	m, _, err := ReadMastersFile(filepath.Join(dir, "vouchers-masters.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Ledgers) != len(Needed(vs).Ledgers) || len(m.Items) != 2 {
		t.Fatalf("read back %d ledgers, %d items", len(m.Ledgers), len(m.Items))
	}
	for _, it := range m.Items {
		if it.GSTRate != 500 || it.HSN == "" || it.BaseUnit != "Nos" {
			t.Errorf("item %+v", it)
		}
	}
	// a bad voucher leaves no file behind
	bad := intraStateSale()
	bad.Total++
	if err := WriteImportFile(filepath.Join(dir, "bad.xml"), "X", Masters{}, []Voucher{bad}); err == nil {
		t.Fatal("unbalanced voucher written")
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.xml")); !os.IsNotExist(err) {
		t.Fatal("half-written file left behind")
	}
}
