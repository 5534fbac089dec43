package headoffice

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: NewKey()})
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	send := func(id string, lines []SalesLine) Ack {
		t.Helper()
		b := &Batch{Manifest: Manifest{DistributorCode: "D001", BatchID: id, Kind: KindDelta, PeriodFrom: "2026-11-25", PeriodTo: "2026-11-25", CreatedAt: at}, SalesLines: lines}
		body, _ := b.Encode()
		dec, err := DecodeBatch(body, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		ack, _, err := st.Ingest(dec, at)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	sale := SalesLine{DocType: DocInvoice, InvoiceNo: "SI/26-27/002185", InvoiceDate: cal.MustParse("2026-11-25"), LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 7, RatePaise: 3000, TaxablePaise: 21000}
	send("B1", []SalesLine{sale})
	if ack := send("B2", []SalesLine{sale}); ack.New[PartSalesLines] != 0 {
		t.Fatalf("the same line resent: %+v", ack)
	}
	if d, _, _ := st.Distributor("D001"); d.Conflicts != 0 {
		t.Fatalf("a resend is not a conflict: %+v", d)
	}
	other := sale
	other.Qty, other.TaxablePaise = 3, 9000
	send("B3-r1", []SalesLine{other})
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

// A restored book asks head office, signed, for the last numbers it holds;
// a wrong key gets nothing.
func TestHeadOfficeTellsADistributorItsLastNumbers(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key := NewKey()
	st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: key})
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	lines := []SalesLine{
		{DocType: DocInvoice, InvoiceNo: "SI/26-27/002185", InvoiceDate: "2026-11-25", LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 7, TaxablePaise: 21000},
		{DocType: DocInvoice, InvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 1, TaxablePaise: 3000},
		{DocType: DocReturn, InvoiceNo: "CN/26-27/000004", RefInvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-25", LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: -1, TaxablePaise: -3000},
	}
	b := &Batch{Manifest: Manifest{DistributorCode: "D001", BatchID: "B1", Kind: KindDelta, PeriodFrom: "2026-11-24", PeriodTo: "2026-11-25", CreatedAt: at}, SalesLines: lines}
	body, _ := b.Encode()
	dec, err := DecodeBatch(body, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Ingest(dec, at); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewReceiver(st, ReceiverOptions{Now: func() time.Time { return at }}).Handler())
	defer srv.Close()
	got, err := AskNumbers(context.Background(), Settings{URL: srv.URL, DistributorCode: "D001", Key: key}, at, "2025-10-01")
	if err != nil || got["SI/26-27"] != 2185 || got["CN/26-27"] != 4 {
		t.Fatalf("numbers %v %v", got, err)
	}
	if _, err := AskNumbers(context.Background(), Settings{URL: srv.URL, DistributorCode: "D001", Key: NewKey()}, at, "2025-10-01"); err == nil || !strings.Contains(err.Error(), "bad_signature") {
		t.Fatalf("a wrong key: %v", err)
	}
}
