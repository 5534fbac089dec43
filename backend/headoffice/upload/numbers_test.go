package upload

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
)

// A restored book asks head office, signed, for the last numbers it holds;
// a wrong key gets nothing.
func TestHeadOfficeTellsADistributorItsLastNumbers(t *testing.T) {
	lines := []wire.SalesLine{
		{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/002185", InvoiceDate: "2026-11-25", LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 7, TaxablePaise: 21000},
		{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 1, TaxablePaise: 3000},
		{DocType: wire.DocReturn, InvoiceNo: "CN/26-27/000004", RefInvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-25", LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: -1, TaxablePaise: -3000},
	}
	set, at := hoHolding(t, lines)
	got, err := AskNumbers(context.Background(), set, at, "2025-10-01")
	if err != nil || got["SI/26-27"] != 2185 || got["CN/26-27"] != 4 {
		t.Fatalf("numbers %v %v", got, err)
	}
	if _, err := AskNumbers(context.Background(), Settings{URL: set.URL, DistributorCode: "D001", Key: wire.NewKey()}, at, "2025-10-01"); err == nil || !strings.Contains(err.Error(), "bad_signature") {
		t.Fatalf("a wrong key: %v", err)
	}
}

// hoHolding starts a head office on a real book holding lines as one batch
// from distributor D001, and returns the signed settings to ask it with and
// the instant its clock stands at.
func hoHolding(t *testing.T, lines []wire.SalesLine) (Settings, time.Time) {
	t.Helper()
	st, err := headoffice.OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key := wire.NewKey()
	st.AddDistributor(headoffice.Distributor{Code: "D001", Region: "South", Key: key})
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: "2026-11-24", PeriodTo: "2026-11-25", CreatedAt: at}, SalesLines: lines}
	body, _ := b.Encode()
	dec, err := wire.DecodeBatch(body, wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Ingest(dec, at); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: func() time.Time { return at }}).Handler())
	t.Cleanup(srv.Close)
	return Settings{URL: srv.URL, DistributorCode: "D001", Key: key}, at
}
