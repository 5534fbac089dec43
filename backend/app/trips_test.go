package app

import (
	"encoding/json"
	"net/url"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/dispatch"
	"vitaran/backend/gst/ewaybill"
	"vitaran/backend/masters"
	"vitaran/backend/stock"
)

// Three bills go out on TN09AB1234 with Selvam: the e-way bills of the two
// above the (lowered) threshold carry the van's number; on return one is
// delivered, today's undelivered bill is cancelled (its goods never left
// the book's day) and yesterday's comes back by a credit note — stock is
// back to the piece and the outlets owe nothing for them.
func TestADispatchCarriesItsVehicleAndTakesBackWhatWasNotDelivered(t *testing.T) {
	d := shopDoor(t)
	if st, co := d.do("PUT", "/api/company", map[string]any{"address": "14 Anna Salai", "city": "Chennai", "pincode": "600002", "ewaybill_threshold_paise": 50000}); st != 200 {
		t.Fatalf("company %d %v", st, co)
	}
	err := d.app.Book.Update(func(tx *book.Tx) error {
		for _, o := range []masters.Outlet{
			{Code: "ANB01", Name: "Annai Bakery", Address: "3 Usman Road", City: "Chennai", Pincode: "600017", StateCode: "33", Active: true},
			{Code: "MKS02", Name: "Murugan Kirana", Address: "8 Bazaar Street", City: "Chennai", Pincode: "600017", StateCode: "33", Active: true},
		} {
			if _, err := masters.CreateOutlet(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/9", "date": "2026-11-01", "lines": []map[string]any{
		{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 500, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	bill := func(outlet, date string, qty int) billing.Invoice {
		t.Helper()
		var inv billing.Invoice
		st, raw := d.raw("POST", "/api/invoices", map[string]any{"outlet": outlet, "date": date, "lines": []map[string]any{{"item": "GD200", "qty": qty}}})
		if st != 201 {
			t.Fatalf("invoice %s: %d %s", outlet, st, raw)
		}
		unmarshal(t, raw, &inv)
		return inv
	}
	onHand := func() int64 {
		var s stock.ItemStock
		d.getJSON("/api/stock/GD200", &s)
		return int64(s.Qty)
	}
	big := bill("ANB01", "2026-11-25", 30)   // ₹945: needs an e-way bill
	small := bill("MKS02", "2026-11-25", 10) // ₹315: does not
	late := bill("MKS02", "2026-11-24", 20)  // ₹630, yesterday's
	stockOut := onHand()

	for body, field := range map[*map[string]any]string{
		{"date": "2026-11-25", "vehicle_no": "TN 9 XYZ", "driver": "Selvam", "invoices": []string{big.Number}}:                            "vehicle_no",
		{"date": "2026-11-25", "vehicle_no": "TN09AB1234", "driver": "", "invoices": []string{big.Number}}:                                "driver",
		{"date": "2026-11-25", "vehicle_no": "TN09AB1234", "driver": "Selvam", "driver_phone": "12345", "invoices": []string{big.Number}}: "driver_phone",
		{"date": "2026-11-24", "vehicle_no": "TN09AB1234", "driver": "Selvam", "invoices": []string{big.Number}}:                          "invoices[0]",
	} {
		if st, got := d.do("POST", "/api/dispatch/trips", *body); st != 400 || got["field"] != field {
			t.Errorf("%v: %d %v", *body, st, got)
		}
	}
	var trip dispatch.Trip
	st, raw := d.raw("POST", "/api/dispatch/trips", map[string]any{"date": "2026-11-25", "vehicle_no": "tn-09-ab-1234", "driver": "Selvam",
		"driver_phone": "9840012345", "distance_km": 12, "invoices": []string{small.Number, big.Number, late.Number}})
	if st != 201 {
		t.Fatalf("dispatch %d %s", st, raw)
	}
	unmarshal(t, raw, &trip)
	if trip.ID != 1 || trip.VehicleNo != "TN09AB1234" || trip.Status != "out" || len(trip.Invoices) != 3 ||
		trip.TotalPaise != big.TotalPaise+small.TotalPaise+late.TotalPaise || !trip.Invoices[0].EWayBill || trip.Invoices[1].EWayBill {
		t.Fatalf("dispatch %+v", trip)
	}
	if st, got := d.do("POST", "/api/dispatch/trips", map[string]any{"date": "2026-11-25", "vehicle_no": "TN09AB9999", "driver": "Kumar",
		"invoices": []string{big.Number}}); st != 409 || got["field"] != "invoices[0]" {
		t.Fatalf("an invoice on two vans: %d %v", st, got)
	}
	var ewb ewaybill.File
	d.getJSON("/api/dispatch/trips/1/ewaybill", &ewb)
	if len(ewb.BillLists) != 2 {
		t.Fatalf("two e-way bills: %+v", ewb)
	}
	for _, b := range ewb.BillLists {
		if b.VehicleNo != "TN09AB1234" || b.TransDistance != 12 || (b.DocNo != big.Number && b.DocNo != late.Number) {
			t.Fatalf("e-way bill %+v", b)
		}
	}

	// back: every invoice needs its result; a bad one refuses it all
	if st, got := d.do("POST", "/api/dispatch/trips/1/return", map[string]any{"invoices": []map[string]any{
		{"invoice": big.Number, "result": "delivered"}, {"invoice": small.Number, "result": "returned"}}}); st != 400 || got["field"] != "invoices" {
		t.Fatalf("a missing result: %d %v", st, got)
	}
	if onHand() != stockOut {
		t.Fatal("a refused return moved stock")
	}
	st, raw = d.raw("POST", "/api/dispatch/trips/1/return", map[string]any{"invoices": []map[string]any{
		{"invoice": big.Number, "result": "delivered"},
		{"invoice": small.Number, "result": "returned", "reason": "shop closed"},
		{"invoice": late.Number, "result": "returned", "reason": "no cash"}}})
	if st != 200 {
		t.Fatalf("return %d %s", st, raw)
	}
	unmarshal(t, raw, &trip)
	by := map[string]dispatch.TripInvoice{}
	for _, ti := range trip.Invoices {
		by[ti.Invoice] = ti
	}
	if trip.Status != "returned" || by[big.Number].Result != "delivered" || by[small.Number].Back != "cancelled" ||
		by[late.Number].Back != "credit_note" || by[late.Number].Doc == "" {
		t.Fatalf("returned %+v", trip)
	}
	var inv billing.Invoice
	d.getJSON("/api/invoices/"+url.PathEscape(small.Number), &inv)
	if inv.Status != "cancelled" {
		t.Fatalf("today's undelivered bill is cancelled: %+v", inv.Status)
	}
	var cn billing.SalesReturn
	d.getJSON("/api/returns/"+url.PathEscape(by[late.Number].Doc), &cn)
	if cn.Invoice != late.Number || cn.TotalPaise != late.TotalPaise || cn.Date != "2026-11-25" {
		t.Fatalf("yesterday's comes back by a credit note for all of it: %+v", cn)
	}
	if got := onHand(); got != stockOut+10+20 {
		t.Fatalf("stock %d, want %d back to the piece", got, stockOut+30)
	}
	if o := d.owes("MKS02"); o.OutstandingPaise != 0 {
		t.Fatalf("MKS02 owes nothing for goods it never got: %+v", o)
	}
	if st, _ := d.do("POST", "/api/dispatch/trips/1/return", map[string]any{"invoices": []map[string]any{}}); st != 409 {
		t.Fatalf("back twice %d", st)
	}
	var page ListPage[dispatch.Trip]
	d.getJSON("/api/dispatch/trips?status=returned", &page)
	if page.Total != 1 || page.Totals["invoices"] != 3 {
		t.Fatalf("list %+v", page)
	}
	checkApp(t, d)
}

func unmarshal(t *testing.T, raw []byte, into any) {
	t.Helper()
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
}
