package posting

import (
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/tallybridge"
)

func status(t testing.TB, b *book.Book) Status {
	t.Helper()
	var st Status
	if err := b.View(func(tx *book.Tx) error { var err error; st, err = GetStatus(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return st
}

func remoteIDs(t testing.TB, s *shop) []string {
	var ids []string
	s.b.View(func(tx *book.Tx) error {
		p, _ := idPrefix(tx)
		seen := map[string]bool{}
		for _, d := range s.docs {
			k, n, _ := strings.Cut(d, ":")
			if k == billing.KindCancel {
				k = billing.KindInvoice // a cancellation cancels the invoice's own voucher
			}
			if id := p + ":" + k + ":" + n; !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		return nil
	})
	return ids
}

// onceEach says Tally holds exactly one voucher per document and nothing else.
func onceEach(t *testing.T, s *shop, tally interface {
	CountByRemoteID(string) int
	VoucherCount() int
}) {
	t.Helper()
	for _, id := range remoteIDs(t, s) {
		if n := tally.CountByRemoteID(id); n != 1 {
			t.Errorf("Tally holds %d vouchers for %s, want 1", n, id)
		}
	}
	if n, want := tally.VoucherCount(), len(remoteIDs(t, s)); n != want {
		t.Errorf("Tally holds %d vouchers for %d documents", n, want)
	}
}

func TestAFreshCompanyGetsItsMastersThenOneVoucherPerDocument(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	posted, failed, err := push(t, s.b, url, PushOptions{})
	if err != nil || failed != 0 || posted != len(s.docs) {
		t.Fatalf("push: posted %d failed %d of %d: %v\n%+v", posted, failed, len(s.docs), err, status(t, s.b).Failed)
	}
	onceEach(t, s, tally)
	if _, ok := tally.HasLedger("Hosur Cash & Carry"); !ok {
		t.Error("the inter-state outlet's ledger was not created")
	}
	for _, l := range []string{"Output IGST", "Output CGST", "Input SGST", "Round Off"} {
		if _, ok := tally.HasLedger(l); !ok {
			t.Errorf("ledger %s was not created", l)
		}
	}
	if !tally.HasGodown("Van 1 (KA-05-AB-1234)") {
		t.Error("the van godown was not created")
	}
	// A second push sends nothing.
	before := tally.Requests()
	posted, failed, err = push(t, s.b, url, PushOptions{})
	if err != nil || posted != 0 || failed != 0 || tally.Requests() != before {
		t.Fatalf("second push: posted %d failed %d, %d requests: %v", posted, failed, tally.Requests()-before, err)
	}
	onceEach(t, s, tally)
	st := status(t, s.b)
	if st.Counts[tallybridge.StatePosted] != len(s.docs) || len(st.Failed) != 0 {
		t.Fatalf("status %+v", st)
	}
}
