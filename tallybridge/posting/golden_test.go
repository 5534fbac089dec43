package posting

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The intra-state invoice with a discount, as Tally will read it.
func TestGoldenInvoiceXML(t *testing.T) {
	s := newShop(t)
	var body []byte
	err := s.b.View(func(tx *book.Tx) error {
		set, _ := GetSettings(tx)
		a, err := NewAdapter(tx, set, "vitaran:DB-KA-0142")
		if err != nil {
			return err
		}
		inv, err := billing.GetInvoice(tx, "SI/26-27/000001")
		if err != nil {
			return err
		}
		v, err := a.Invoice(inv)
		if err != nil {
			return err
		}
		body, err = tallybridge.VouchersXML(company, tallybridge.OldForm, []tallybridge.Voucher{v})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "invoice.xml")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(body) {
		t.Fatalf("invoice XML differs from %s (go test -update to accept):\n%s", golden, body)
	}
}

// Day-wise mode: the day's invoices go as one summary voucher per GST rate;
// a cancellation re-summarises the day and alters those vouchers.
func TestDayWiseModeFoldsTheDayAndACancelAltersTheSummary(t *testing.T) {
	s := newShop(t)
	// Switch mode before the queue is first read: every invoice folds.
	setMode(t, s.b, ModeDaily)
	tally, url := sim(t)
	posted, failed, err := push(t, s.b, url, PushOptions{})
	if err != nil || failed != 0 {
		t.Fatalf("push: %d %d %v %+v", posted, failed, err, status(t, s.b).Failed)
	}
	st := status(t, s.b)
	if st.Counts[StateFolded] != 4 || st.Days != 0 {
		t.Fatalf("folded %+v days %d", st.Counts, st.Days)
	}
	n := tally.VoucherCount()
	// purchase, return, receipt, transfer, plus the day's summaries
	if n < 5 || tally.CountByNumber("SI/26-27/000001") != 0 {
		t.Fatalf("Tally holds %d vouchers", n)
	}
	// a late invoice for that day, then its cancellation, re-summarise the
	// day: its vouchers are altered, never added to
	var late string
	if err := s.b.Update(func(tx *book.Tx) error {
		inv, err := billing.GetInvoice(tx, "SI/26-27/000001")
		if err != nil {
			return err
		}
		in := billing.InvoiceInput{Outlet: inv.Outlet, Date: billDay, Lines: []billing.LineInput{{Item: inv.Lines[0].Item, Qty: 1}}}
		got, err := billing.PostInvoice(tx, in)
		late = got.Number
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		posted, failed, err = push(t, s.b, url, PushOptions{})
		if err != nil || failed != 0 || posted == 0 {
			t.Fatalf("re-push %d: %d %d %v", round, posted, failed, err)
		}
		if tally.VoucherCount() != n {
			t.Fatalf("the re-summarised day changed the voucher count: %d → %d", n, tally.VoucherCount())
		}
		if round == 0 {
			if err := s.b.Update(func(tx *book.Tx) error {
				_, err := billing.CancelInvoice(tx, late, "wrong outlet", billDay)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = tallysim.None
}
