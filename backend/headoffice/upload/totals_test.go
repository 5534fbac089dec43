package upload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// A distributor asks, signed, what head office holds of its sales per day
// and outlet and per day and SKU: a return nets off its day, a cancellation
// voids its invoice's day; a wrong key, no signature or a period too long
// get nothing.
func TestHeadOfficeTellsADistributorItsSalesPerDayOutletAndSKU(t *testing.T) {
	st, err := headoffice.OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key := wire.NewKey()
	st.AddDistributor(headoffice.Distributor{Code: "D001", Region: "South", Key: key})
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	lines := []wire.SalesLine{
		{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "SLS01", BeatCode: "MON", SKUCode: "GD200", Qty: 10, FreeQty: 1, TaxablePaise: 30000},
		{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/000011", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "KVS02", BeatCode: "MON", SKUCode: "GD200", Qty: 4, TaxablePaise: 12000},
		{DocType: wire.DocCancel, InvoiceNo: "SI/26-27/000011", RefInvoiceNo: "SI/26-27/000011", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "KVS02", BeatCode: "MON", SKUCode: "GD200", Qty: -4, TaxablePaise: -12000},
		{DocType: wire.DocReturn, InvoiceNo: "CN/26-27/000004", RefInvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-25", LineNo: 1, OutletCode: "SLS01", BeatCode: "MON", SKUCode: "GD200", Qty: -3, TaxablePaise: -9000},
	}
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
	defer srv.Close()
	set := Settings{URL: srv.URL, DistributorCode: "D001", Key: key}
	got, err := AskTotals(context.Background(), set, at, "2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	cell := func(cs []wire.TotalsCell, day cal.Date, key string) wire.TotalsCell {
		for _, c := range cs {
			if c.Day == day && c.Key == key {
				return c
			}
		}
		return wire.TotalsCell{}
	}
	if c := cell(got.Outlets, "2026-11-24", "SLS01"); c.Qty != 10 || c.FreeQty != 1 || c.Taxable != 30000 || c.Invoices != 1 || c.Lines != 1 {
		t.Errorf("SLS01 on the 24th: %+v", c)
	}
	if c := cell(got.Outlets, "2026-11-24", "KVS02"); c.Qty != 0 || c.Taxable != 0 || c.Invoices != 0 || c.Lines != 0 {
		t.Errorf("the cancelled invoice counts: %+v", c)
	}
	if c := cell(got.SKUs, "2026-11-25", "GD200"); c.Qty != -3 || c.Taxable != -9000 {
		t.Errorf("the return's day: %+v", c)
	}
	if _, err := AskTotals(context.Background(), Settings{URL: srv.URL, DistributorCode: "D001", Key: wire.NewKey()}, at, "2026-11-01", "2026-11-30"); err == nil || !strings.Contains(err.Error(), "bad_signature") {
		t.Errorf("a wrong key: %v", err)
	}
	if _, err := AskTotals(context.Background(), set, at, "2025-11-01", "2026-11-30"); err == nil || !strings.Contains(err.Error(), "at most 366 days") {
		t.Errorf("a period too long: %v", err)
	}
	resp, err := http.Post(srv.URL+wire.TotalsPath, "application/json", strings.NewReader(`{"from":"2026-11-01","to":"2026-11-30"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: %d", resp.StatusCode)
	}
}
