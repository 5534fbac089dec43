package headoffice

import (
	"strings"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// A restored book that billed a number again sends head office the same key
// with other content: it is counted as a conflict and shown to the operator,
// never taken as a duplicate; the same line resent stays a quiet duplicate.
func TestTheSameKeyWithOtherContentIsAConflictForTheOperator(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: wire.NewKey()})
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	send := func(id string, lines []wire.SalesLine) wire.Ack {
		t.Helper()
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: id, Kind: wire.KindDelta, PeriodFrom: "2026-11-25", PeriodTo: "2026-11-25", CreatedAt: at}, SalesLines: lines}
		body, _ := b.Encode()
		dec, err := wire.DecodeBatch(body, wire.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		ack, _, err := st.Ingest(dec, at)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	sale := wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/002185", InvoiceDate: cal.MustParse("2026-11-25"), LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 7, RatePaise: 3000, TaxablePaise: 21000}
	send("B1", []wire.SalesLine{sale})
	if ack := send("B2", []wire.SalesLine{sale}); ack.New[wire.PartSalesLines] != 0 {
		t.Fatalf("the same line resent: %+v", ack)
	}
	if d, _, _ := st.Distributor("D001"); d.Conflicts != 0 {
		t.Fatalf("a resend is not a conflict: %+v", d)
	}
	other := sale
	other.Qty, other.TaxablePaise = 3, 9000
	send("B3-r1", []wire.SalesLine{other})
	d, _, _ := st.Distributor("D001")
	if d.Conflicts != 1 || !strings.Contains(d.LastConflict, "SI/26-27/002185") || !strings.Contains(d.LastConflict, "B3-r1") {
		t.Fatalf("conflict not recorded: %+v", d)
	}
	r := NewReceiver(st, ReceiverOptions{Now: func() time.Time { return at }})
	fs, err := r.Freshness(48 * time.Hour)
	if err != nil || len(fs) != 1 || fs[0].Conflicts != 1 || fs[0].LastConflict == "" {
		t.Fatalf("the operator does not see it: %+v %v", fs, err)
	}
}
