package app

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/dispatch"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// A beat's van is loaded with exactly what its bills of the day carry, batch
// by batch as billed, free goods apart; a cancelled bill, another beat's and
// another day's load nothing. The delivery sheet calls on the outlets in
// route order with each bill's amount, the outlet's phone and what it owes.
func TestALoadingSheetEqualsTheBeatsInvoicesToThePiece(t *testing.T) {
	d := shopDoor(t)
	d.app.Now = func() time.Time { return cal.MustParse("2026-11-25").Time().Add(12 * time.Hour) }
	err := d.app.Book.Update(func(tx *book.Tx) error {
		for _, b := range []masters.Beat{{Code: "JAYA-MON", Name: "Jayanagar", Weekday: "Monday"}, {Code: "BTM-TUE", Name: "BTM Layout", Weekday: "Tuesday"}} {
			if _, err := masters.CreateBeat(tx, b); err != nil {
				return err
			}
		}
		for _, o := range []masters.Outlet{
			{Code: "MKS02", Name: "Murugan Kirana", StateCode: "33", Beat: "JAYA-MON", Phone: "9840000002", Active: true},
			{Code: "ANB01", Name: "Annai Bakery", StateCode: "33", Beat: "JAYA-MON", Phone: "9840000001", Active: true},
			{Code: "OTH01", Name: "Other Beat Stores", StateCode: "33", Beat: "BTM-TUE", Active: true},
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
	// two batches: FEFO bills the March one first
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/9", "date": "2026-11-20", "lines": []map[string]any{
		{"item": "GD200", "batch": "B1", "expiry": "2027-03-31", "mrp_paise": 4000, "qty": 30, "rate_paise": 2500},
		{"item": "GD200", "batch": "B2", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 200, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/schemes", map[string]any{"code": "GD-10P1", "name": "Good Day buy 10 get 1", "kind": "buy_x_get_y",
		"valid_from": "2026-11-01", "valid_to": "2026-11-30", "items": []string{"GD200"}, "buy_qty": 10, "free_qty": 1}); st != 201 {
		t.Fatalf("scheme %d %v", st, body)
	}
	bill := func(outlet, date string, qty int) string {
		t.Helper()
		st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": outlet, "date": date, "lines": []map[string]any{{"item": "GD200", "qty": qty}}})
		if st != 201 {
			t.Fatalf("invoice %s %d: %d %v", outlet, qty, st, body)
		}
		return body["number"].(string)
	}
	mks := bill("MKS02", "2026-11-25", 53) // 30 of B1 + 23 of B2, 5 free
	anb1 := bill("ANB01", "2026-11-25", 7)
	anb2 := bill("ANB01", "2026-11-25", 12) // 1 free
	void := bill("MKS02", "2026-11-25", 20)
	bill("OTH01", "2026-11-25", 10)
	bill("ANB01", "2026-11-24", 4)
	if st, body := d.do("POST", "/api/invoices/"+url.PathEscape(void)+"/cancel", map[string]any{"reason": "billed twice", "goods_left": false}); st != 200 {
		t.Fatalf("cancel %d %v", st, body)
	}

	var sheet dispatch.LoadingSheet
	get := func(path string, into any) {
		t.Helper()
		st, raw := d.raw("GET", path, nil)
		if st != 200 {
			t.Fatalf("%s: %d %s", path, st, raw)
		}
		if err := json.Unmarshal(raw, into); err != nil {
			t.Fatal(err)
		}
	}
	get("/api/dispatch/loading-sheet?date=2026-11-25&beat=jaya-mon", &sheet)

	// what the invoices say, read back over HTTP: per free/billed, batch and godown
	type key struct {
		free          bool
		godown, batch string
	}
	want := map[key]money.Qty{}
	var billed, free money.Qty
	for _, n := range []string{mks, anb1, anb2} {
		var inv billing.Invoice
		get("/api/invoices/"+url.PathEscape(n), &inv)
		for _, l := range inv.Lines {
			if l.Free {
				free += l.Qty
			} else {
				billed += l.Qty
			}
			for _, p := range l.Batches {
				want[key{l.Free, p.Godown, p.Batch}] += p.Qty
			}
		}
	}
	got := map[key]money.Qty{}
	for _, part := range []struct {
		free  bool
		loads []dispatch.Load
	}{{false, sheet.Lines}, {true, sheet.Free}} {
		for _, l := range part.loads {
			if l.Item != "GD200" || l.CaseSize != 24 || money.Qty(l.Cases*24+l.Pieces) != l.Qty || l.Pieces >= 24 {
				t.Errorf("load %+v", l)
			}
			got[key{part.free, l.Godown, l.Batch}] += l.Qty
		}
	}
	if len(got) != len(want) {
		t.Errorf("loads %v, invoices %v", got, want)
	}
	for k, q := range want {
		if got[k] != q {
			t.Errorf("%+v: loads %d, invoices %d", k, got[k], q)
		}
	}
	if billed != 72 || free != 6 || sheet.Totals.Qty != billed || sheet.FreeTotals.Qty != free {
		t.Fatalf("billed %d free %d; sheet %+v free %+v", billed, free, sheet.Totals, sheet.FreeTotals)
	}
	// B1: 30 = 1 case 6 pieces; B2: 23+7+12 = 42 = 1 case 18 pieces
	if len(sheet.Lines) != 2 || sheet.Lines[0].Batch != "B1" || sheet.Lines[0].Cases != 1 || sheet.Lines[0].Pieces != 6 || sheet.Lines[0].Godown != masters.MainGodown ||
		sheet.Lines[1].Batch != "B2" || sheet.Lines[1].Cases != 1 || sheet.Lines[1].Pieces != 18 || sheet.Lines[1].Invoices != 3 ||
		sheet.Totals.Cases != 2 || sheet.Totals.Pieces != 24 || len(sheet.Invoices) != 3 || sheet.BeatName != "Jayanagar" {
		t.Fatalf("loading sheet %+v", sheet)
	}

	var del dispatch.DeliverySheet
	get("/api/dispatch/delivery-sheet?date=2026-11-25&beat=JAYA-MON", &del)
	order := []string{anb1, anb2, mks}
	if len(del.Stops) != 3 || del.Invoices != 3 {
		t.Fatalf("delivery %+v", del)
	}
	var sum money.Paise
	for i, s := range del.Stops {
		var inv billing.Invoice
		get("/api/invoices/"+url.PathEscape(s.Invoice), &inv)
		var owes billing.OutletOutstanding
		get("/api/outlets/"+s.Outlet+"/outstanding?on=2026-11-25", &owes)
		if s.Seq != i+1 || s.Invoice != order[i] || s.TotalPaise != inv.TotalPaise || s.OutstandingPaise != owes.OutstandingPaise || s.OutstandingPaise < s.TotalPaise {
			t.Errorf("stop %d: %+v (invoice %d, owes %d)", i+1, s, inv.TotalPaise, owes.OutstandingPaise)
		}
		sum += inv.TotalPaise
	}
	if del.Stops[0].Phone != "9840000001" || del.Stops[2].Phone != "9840000002" || del.TotalPaise != sum {
		t.Fatalf("delivery %+v, invoices total %d", del, sum)
	}

	// the same sheets as .xlsx: a row a load (billed, then free), a totals row
	st, raw := d.raw("GET", "/api/dispatch/loading-sheet?date=2026-11-25&beat=JAYA-MON&format=xlsx", nil)
	if st != 200 {
		t.Fatalf("xlsx %d %s", st, raw)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Loading sheet")
	if len(rows) != 1+len(sheet.Lines)+len(sheet.Free)+1 || rows[1][3] != "B1" || rows[len(rows)-2][7] != "Yes" || rows[len(rows)-1][10] != "78" {
		t.Fatalf("loading xlsx %q", rows)
	}
	if st, raw := d.raw("GET", "/api/dispatch/delivery-sheet?date=2026-11-25&beat=JAYA-MON&format=xlsx", nil); st != 200 || len(raw) < 100 {
		t.Fatalf("delivery xlsx %d", st)
	}

	// bad input names the field; another beat or day loads only its own
	for path, want := range map[string]int{
		"/api/dispatch/loading-sheet?date=2026-11-25":                           400,
		"/api/dispatch/loading-sheet?date=25-11-2026&beat=JAYA-MON":             400,
		"/api/dispatch/delivery-sheet?date=2026-11-25&beat=NOPE":                404,
		"/api/dispatch/delivery-sheet?date=2026-11-25&beat=JAYA-MON&format=pdf": 400,
	} {
		if st, body := d.do("GET", path, nil); st != want {
			t.Errorf("%s: %d %v", path, st, body)
		}
	}
	var other dispatch.LoadingSheet
	get("/api/dispatch/loading-sheet?date=2026-11-24&beat=JAYA-MON", &other)
	if other.Totals.Qty != 4 || len(other.Invoices) != 1 || len(other.Free) != 0 {
		t.Fatalf("another day %+v", other)
	}
}
