package upload

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
)

// A distributor asks, signed, what head office holds of its sales per day
// and outlet and per day and SKU: a return nets off its day, a cancellation
// voids its invoice's day; a wrong key, no signature or a period too long
// get nothing.
func TestHeadOfficeTellsADistributorItsSalesPerDayOutletAndSKU(t *testing.T) {
	lines := []wire.SalesLine{
		{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "SLS01", BeatCode: "MON", SKUCode: "GD200", Qty: 10, FreeQty: 1, TaxablePaise: 30000},
		{DocType: wire.DocInvoice, InvoiceNo: "SI/26-27/000011", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "KVS02", BeatCode: "MON", SKUCode: "GD200", Qty: 4, TaxablePaise: 12000},
		{DocType: wire.DocCancel, InvoiceNo: "SI/26-27/000011", RefInvoiceNo: "SI/26-27/000011", InvoiceDate: "2026-11-24", LineNo: 1, OutletCode: "KVS02", BeatCode: "MON", SKUCode: "GD200", Qty: -4, TaxablePaise: -12000},
		{DocType: wire.DocReturn, InvoiceNo: "CN/26-27/000004", RefInvoiceNo: "SI/26-27/000010", InvoiceDate: "2026-11-25", LineNo: 1, OutletCode: "SLS01", BeatCode: "MON", SKUCode: "GD200", Qty: -3, TaxablePaise: -9000},
	}
	set, at := hoHolding(t, lines)
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
	if len(got.Holds) != 3 || len(got.Returns) != 1 || got.Returns[0] != (wire.TotalsCell{Day: "2026-11-25", Key: "SLS01", SKU: "GD200", Lines: 1, Qty: 3, Taxable: 9000}) {
		t.Errorf("credit notes apart: %v %+v", got.Holds, got.Returns)
	}
	if _, err := AskTotals(context.Background(), Settings{URL: set.URL, DistributorCode: "D001", Key: wire.NewKey()}, at, "2026-11-01", "2026-11-30"); err == nil || !strings.Contains(err.Error(), "bad_signature") {
		t.Errorf("a wrong key: %v", err)
	}
	if _, err := AskTotals(context.Background(), set, at, "2025-11-01", "2026-11-30"); err == nil || !strings.Contains(err.Error(), "at most 366 days") {
		t.Errorf("a period too long: %v", err)
	}
	resp, err := http.Post(set.URL+wire.TotalsPath, "application/json", strings.NewReader(`{"from":"2026-11-01","to":"2026-11-30"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: %d", resp.StatusCode)
	}
}
