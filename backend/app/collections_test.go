package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/collections"
	"vitaran/backend/masters"
)

// collectionShop is shopDoor with a beat, a salesman and three outlets on
// the beat, stock, and four bills: ANB01 ₹315 (1 Nov) and ₹630 (20 Nov),
// MKS02 ₹945, OTH01 ₹315.
func collectionShop(t *testing.T) (*door, []string) {
	d := shopDoor(t)
	err := d.app.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.CreateBeat(tx, masters.Beat{Code: "JAYA-MON", Name: "Jayanagar", Weekday: "Monday"}); err != nil {
			return err
		}
		if _, err := masters.CreateSalesman(tx, masters.Salesman{Code: "RAVI", Name: "Ravi Kumar", Active: true}); err != nil {
			return err
		}
		for _, o := range []masters.Outlet{
			{Code: "ANB01", Name: "Annai Bakery", StateCode: "33", Beat: "JAYA-MON", CreditDays: 7, Active: true},
			{Code: "MKS02", Name: "Murugan Kirana", StateCode: "33", Beat: "JAYA-MON", Active: true},
			{Code: "OTH01", Name: "Other Beat Stores", StateCode: "33", Active: true},
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
	var bills []string
	for _, b := range []struct {
		outlet, date string
		qty          int
	}{{"ANB01", "2026-11-01", 10}, {"ANB01", "2026-11-20", 20}, {"MKS02", "2026-11-24", 30}, {"OTH01", "2026-11-24", 10}} {
		st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": b.outlet, "date": b.date, "date_override": true,
			"lines": []map[string]any{{"item": "GD200", "qty": b.qty}}})
		if st != 201 {
			t.Fatalf("invoice %s: %d %v", b.outlet, st, body)
		}
		bills = append(bills, body["number"].(string))
	}
	return d, bills
}

func (d *door) getJSON(path string, into any) {
	d.t.Helper()
	st, raw := d.raw("GET", path, nil)
	if st != 200 {
		d.t.Fatalf("%s: %d %s", path, st, raw)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		d.t.Fatal(err)
	}
}

func (d *door) owes(outlet string) billing.OutletOutstanding {
	d.t.Helper()
	var o billing.OutletOutstanding
	d.getJSON("/api/outlets/"+outlet+"/outstanding?on=2026-11-25", &o)
	return o
}

// Three bills tagged to Ravi; he brings back ₹315 cash for the first (paid),
// a ₹400 cheque against the second (short), nothing for the third. One
// settlement posts exactly two receipts set against exactly those bills;
// the short and unpaid bills stay open and untagged, the bill never
// tagged is untouched, and the sheet cannot be settled twice.
func TestACollectionSettlesExactlyTheTaggedBills(t *testing.T) {
	d, bills := collectionShop(t)
	anb1, anb2, mks, oth := bills[0], bills[1], bills[2], bills[3]

	var open []collections.OpenBill
	d.getJSON("/api/collections/open-bills?beat=JAYA-MON&date=2026-11-25", &open)
	if len(open) != 3 || open[0].Invoice != anb1 || open[0].DaysOverdue != 17 || open[0].DuePaise != 31500 || open[2].Invoice != mks {
		t.Fatalf("the beat's open bills, oldest first, days past the 7 credit days: %+v", open)
	}

	st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "ravi", "date": "2026-11-25", "bills": []string{mks, anb2, anb1}})
	if st != 201 || body["id"] != float64(1) || body["status"] != "open" || body["due_paise"] != float64(31500+63000+94500) || body["salesman_name"] != "Ravi Kumar" {
		t.Fatalf("sheet %d %v", st, body)
	}
	var sheet collections.Sheet
	d.getJSON("/api/collections/1", &sheet)
	if len(sheet.Bills) != 3 || sheet.Bills[0].Invoice != anb1 || sheet.Bills[0].DaysOverdue != 17 || sheet.Bills[2].Invoice != mks || sheet.Bills[2].DaysOverdue != 1 {
		t.Fatalf("the sheet reads outlet by outlet, oldest bill first: %+v", sheet.Bills)
	}
	// a bill is on one open sheet at a time; a paid or unknown bill is refused
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-25", "bills": []string{oth, anb1}}); st != 409 || body["field"] != "bills[1]" {
		t.Fatalf("tagged twice: %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "NOBODY", "date": "2026-11-25", "bills": []string{oth}}); st != 400 || body["field"] != "salesman" {
		t.Fatalf("unknown salesman: %d %v", st, body)
	}

	// a bad line refuses the whole settlement and writes nothing
	var before ListPage[billing.Receipt]
	d.getJSON("/api/receipts", &before)
	for _, bad := range []struct {
		line  map[string]any
		field string
	}{
		{map[string]any{"invoice": anb2, "amount_paise": 63001, "mode": "cash"}, "bills[1].amount_paise"},
		{map[string]any{"invoice": oth, "amount_paise": 100, "mode": "cash"}, "bills[1].invoice"},
		{map[string]any{"invoice": anb2, "amount_paise": 100, "mode": "cheque", "cheque_no": "1"}, "bills[1].bank"},
		{map[string]any{"invoice": anb2, "amount_paise": 100, "mode": "upi"}, "bills[1].reference"},
	} {
		st, body := d.do("POST", "/api/collections/1/settle", map[string]any{"bills": []map[string]any{
			{"invoice": anb1, "amount_paise": 31500, "mode": "cash"}, bad.line}})
		if st != 400 || body["field"] != bad.field {
			t.Errorf("%v: %d %v", bad.line, st, body)
		}
	}
	var after ListPage[billing.Receipt]
	d.getJSON("/api/receipts", &after)
	if after.Total != before.Total || d.owes("ANB01").DuePaise != 94500 {
		t.Fatalf("a refused settlement posted something: %d → %d receipts", before.Total, after.Total)
	}

	st, body = d.do("POST", "/api/collections/1/settle", map[string]any{"bills": []map[string]any{
		{"invoice": anb1, "amount_paise": 31500, "mode": "cash"},
		{"invoice": anb2, "amount_paise": 40000, "mode": "cheque", "cheque_no": "004512", "bank": "Canara Bank", "cheque_date": "2026-11-25"},
		{"invoice": mks, "amount_paise": 0, "mode": "cash"},
	}})
	if st != 200 {
		t.Fatalf("settle %d %v", st, body)
	}
	raw, _ := json.Marshal(body)
	json.Unmarshal(raw, &sheet)
	if sheet.Status != "settled" || sheet.CollectedPaise != 71500 || len(sheet.Receipts) != 2 {
		t.Fatalf("settled sheet %+v", sheet)
	}
	results := map[string]string{}
	for _, b := range sheet.Bills {
		results[b.Invoice] = b.Result
	}
	if results[anb1] != "paid" || results[anb2] != "short" || results[mks] != "unpaid" {
		t.Fatalf("results %v", results)
	}
	// ANB01 paid two receipts' worth: one cash, one cheque, each set bill-wise
	var got []billing.Receipt
	for _, n := range sheet.Receipts {
		var r billing.Receipt
		d.getJSON("/api/receipts/"+url.PathEscape(n), &r)
		got = append(got, r)
	}
	if got[0].Mode != "cash" || got[0].AmountPaise != 31500 || len(got[0].Allocations) != 1 || got[0].Allocations[0].Invoice != anb1 || got[0].OnAccountPaise != 0 ||
		got[1].Mode != "cheque" || got[1].Reference != "004512" || got[1].Bank != "Canara Bank" || got[1].AmountPaise != 40000 ||
		len(got[1].Allocations) != 1 || got[1].Allocations[0].Invoice != anb2 || got[1].Allocations[0].AmountPaise != 40000 {
		t.Fatalf("receipts %+v", got)
	}
	if o := d.owes("ANB01"); len(o.Bills) != 1 || o.Bills[0].Invoice != anb2 || o.Bills[0].DuePaise != 23000 || o.OnAccountPaise != 0 {
		t.Fatalf("ANB01 owes ₹230 on %s: %+v", anb2, o)
	}
	if d.owes("MKS02").DuePaise != 94500 || d.owes("OTH01").DuePaise != 31500 {
		t.Fatal("the unpaid and the untagged bills are untouched")
	}
	if st, body := d.do("POST", "/api/collections/1/settle", map[string]any{"bills": []map[string]any{}}); st != 409 {
		t.Fatalf("settled twice: %d %v", st, body)
	}
	// untagged: the short and unpaid bills go out again the next day
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-26", "bills": []string{anb2, mks}}); st != 201 || body["due_paise"] != float64(23000+94500) {
		t.Fatalf("tag again: %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-26", "bills": []string{anb1}}); st != 400 || body["field"] != "bills[0]" {
		t.Fatalf("a paid bill: %d %v", st, body)
	}

	var page ListPage[collections.Summary]
	d.getJSON("/api/collections?limit=1", &page)
	if page.Total != 2 || len(page.Rows) != 1 || page.Rows[0].ID != 2 || page.Totals["collected_paise"] != 71500 || page.Totals["open"] != 1 {
		t.Fatalf("list %+v", page)
	}

	// the sheet as .xlsx: outlet, bill, date, amount due, days overdue
	st, x := d.raw("GET", "/api/collections/1?format=xlsx", nil)
	if st != 200 {
		t.Fatalf("xlsx %d %s", st, x)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Collection sheet", excelize.Options{RawCellValue: true})
	if len(rows) != 5 || rows[0][0] != "Outlet" || rows[1][2] != anb1 || rows[1][4] != "315" || rows[1][5] != "17" || rows[3][7] != "unpaid" {
		t.Fatalf("xlsx rows %q", rows)
	}
	if st, _ := d.do("GET", "/api/collections/99", nil); st != 404 {
		t.Fatalf("unknown sheet %d", st)
	}
	if st, _ := d.do("GET", "/api/collections/x", nil); st != 404 {
		t.Fatalf("bad id %d", st)
	}
	checkApp(t, d)
}

// The cheque Ravi brought back is deposited and bounces with a ₹250
// charge: the bill it paid owes again, the charge is a bill on the outlet,
// and the register shows it bounced.
func TestABouncedChequeReopensTheBillOnTheOutlet(t *testing.T) {
	d, bills := collectionShop(t)
	anb2 := bills[1]
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-25", "bills": []string{anb2}}); st != 201 {
		t.Fatalf("sheet %d %v", st, body)
	}
	st, body := d.do("POST", "/api/collections/1/settle", map[string]any{"bills": []map[string]any{
		{"invoice": anb2, "amount_paise": 63000, "mode": "cheque", "cheque_no": "7781", "bank": "SBI", "cheque_date": "2026-11-25"}}})
	if st != 200 {
		t.Fatalf("settle %d %v", st, body)
	}
	rct := body["receipts"].([]any)[0].(string)
	path := "/api/cheques/" + url.PathEscape(rct)
	if st, body := d.do("POST", path+"/bounce", map[string]any{"date": "2026-11-25", "reason": "funds insufficient"}); st != 409 || body["field"] != "receipt" {
		t.Fatalf("bounce before deposit: %d %v", st, body)
	}
	if st, body := d.do("POST", path+"/deposit", map[string]any{"date": "2027-03-01"}); st != 400 || body["field"] != "date" {
		t.Fatalf("a deposit months ahead: %d %v", st, body)
	}
	if st, body := d.do("POST", path+"/deposit", map[string]any{"date": "2026-11-25"}); st != 200 || body["status"] != "deposited" {
		t.Fatalf("deposit %d %v", st, body)
	}
	if st, body := d.do("POST", path+"/bounce", map[string]any{"date": "2026-11-25", "reason": "", "charge_paise": 25000}); st != 400 || body["field"] != "reason" {
		t.Fatalf("no reason: %d %v", st, body)
	}
	st, body = d.do("POST", path+"/bounce", map[string]any{"date": "2026-11-25", "reason": "funds insufficient", "charge_paise": 25000})
	if st != 201 || body["number"] != "CHB/26-27/000001" {
		t.Fatalf("bounce %d %v", st, body)
	}
	o := d.owes("ANB01")
	if o.DuePaise != 31500+63000+25000 || len(o.Bills) != 3 || o.Bills[2].Invoice != "CHB/26-27/000001" {
		t.Fatalf("the outlet owes the bill again and the charge: %+v", o)
	}
	var page ListPage[billing.Cheque]
	d.getJSON("/api/cheques?status=bounced", &page)
	if page.Total != 1 || page.Rows[0].Bounce != "CHB/26-27/000001" || page.Rows[0].Reference != "7781" || page.Totals["amount_paise"] != 63000 {
		t.Fatalf("cheques %+v", page)
	}
	// the outlet's account: the bounce is a debit of the cheque and its
	// charge, and the closing balance is what the outlet owes
	var led ListPage[billing.LedgerEntry]
	d.getJSON("/api/outlets/ANB01/ledger?order=oldest", &led)
	last := led.Rows[len(led.Rows)-1]
	if led.Totals["closing_paise"] != int64(o.OutstandingPaise) || last.Kind != "cheque_bounce" || last.DebitPaise != 63000+25000 ||
		last.BalancePaise != o.OutstandingPaise || led.Total != 4 {
		t.Fatalf("ledger %+v, outlet owes %d", led, o.OutstandingPaise)
	}
	d.getJSON("/api/outlets/ANB01/ledger?from=2026-11-20&order=oldest", &led)
	if led.Totals["opening_paise"] != 31500 || led.Total != 3 || led.Rows[0].BalancePaise != 31500+63000 {
		t.Fatalf("ledger from the 20th %+v", led)
	}
	// Ravi carries the bill and the charge out again and brings the charge in cash
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-25", "bills": []string{anb2, "CHB/26-27/000001"}}); st != 201 || body["due_paise"] != float64(63000+25000) {
		t.Fatalf("tag the charge: %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/collections/2/settle", map[string]any{"bills": []map[string]any{
		{"invoice": "CHB/26-27/000001", "amount_paise": 25000, "mode": "cash"}}}); st != 200 {
		t.Fatalf("settle the charge: %d %v", st, body)
	}
	if o := d.owes("ANB01"); o.DuePaise != 31500+63000 || len(o.Bills) != 2 {
		t.Fatalf("the charge is paid: %+v", o)
	}
	var bo billing.ChequeBounce
	d.getJSON("/api/cheque-bounces/"+url.PathEscape("CHB/26-27/000001"), &bo)
	if bo.Receipt != rct || len(bo.Reopened) != 1 || bo.Reopened[0].Invoice != anb2 {
		t.Fatalf("bounce %+v", bo)
	}
	checkApp(t, d)
}

func checkApp(t *testing.T, d *door) {
	t.Helper()
	d.app.Book.View(func(tx *book.Tx) error {
		probs, err := billing.Check(tx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			t.Error("check: " + p)
		}
		return nil
	})
}

// The accountant settles Ravi's sheet, the answer is lost and the screen
// sends it again, and again after the server restarted: the receipts are
// posted once, each retry answers the sheet as first settled. The same
// request_id with other figures, or on another sheet, is refused.
func TestARetriedSettlementPostsItsReceiptsOnce(t *testing.T) {
	d, bills := collectionShop(t)
	anb1, mks := bills[0], bills[2]
	for _, b := range [][]string{{anb1}, {mks}} {
		if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-25", "bills": b}); st != 201 {
			t.Fatalf("sheet %d %v", st, body)
		}
	}
	settle := map[string]any{"request_id": "settle-7f3a", "bills": []map[string]any{{"invoice": anb1, "amount_paise": 31500, "mode": "cash"}}}
	st, first := d.do("POST", "/api/collections/1/settle", settle)
	if st != 200 || first["status"] != "settled" || first["settle_request_id"] != "settle-7f3a" || first["replayed"] != nil {
		t.Fatalf("settle %d %v", st, first)
	}
	st, again := d.do("POST", "/api/collections/1/settle", settle)
	if st != 200 || again["replayed"] != true || again["collected_paise"] != float64(31500) || again["receipts"].([]any)[0] != first["receipts"].([]any)[0] {
		t.Fatalf("retry %d %v", st, again)
	}

	dir := d.app.DataDir
	d.srv.Close()
	d.app.Close()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler(nil))
	t.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	d2 := &door{t: t, app: a, srv: srv, c: &http.Client{Jar: jar}}
	if st := d2.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login %d", st)
	}
	if st, again := d2.do("POST", "/api/collections/1/settle", settle); st != 200 || again["replayed"] != true {
		t.Fatalf("retry after a restart %d %v", st, again)
	}
	var rcts ListPage[billing.Receipt]
	d2.getJSON("/api/receipts", &rcts)
	if rcts.Total != 1 || rcts.Rows[0].AmountPaise != 31500 {
		t.Fatalf("three sends, one receipt of ₹315: %+v", rcts)
	}
	if o := d2.owes("ANB01"); o.DuePaise != 63000 || o.OnAccountPaise != 0 {
		t.Fatalf("ANB01 owes only its second bill: %+v", o)
	}

	other := map[string]any{"request_id": "settle-7f3a", "bills": []map[string]any{{"invoice": anb1, "amount_paise": 30000, "mode": "cash"}}}
	if st, body := d2.do("POST", "/api/collections/1/settle", other); st != 409 || body["field"] != "request_id" {
		t.Fatalf("same request_id, other figures: %d %v", st, body)
	}
	onTwo := map[string]any{"request_id": "settle-7f3a", "bills": []map[string]any{{"invoice": mks, "amount_paise": 94500, "mode": "cash"}}}
	if st, body := d2.do("POST", "/api/collections/2/settle", onTwo); st != 409 || body["field"] != "request_id" {
		t.Fatalf("same request_id on another sheet: %d %v", st, body)
	}
	if st, body := d2.do("POST", "/api/collections/2/settle", map[string]any{"request_id": "bad id!", "bills": []map[string]any{}}); st != 400 || body["field"] != "request_id" {
		t.Fatalf("a malformed request_id: %d %v", st, body)
	}
	onTwo["request_id"] = "settle-8c21"
	if st, body := d2.do("POST", "/api/collections/2/settle", onTwo); st != 200 || body["replayed"] != nil {
		t.Fatalf("a new request_id settles the other sheet: %d %v", st, body)
	}
	if r, err := CheckBook(a.Book); err != nil || !r.OK() {
		t.Fatalf("check %v %v", r.Problems, err)
	}
}

// Three cheques come back from the beat: one stays in hand, one is
// deposited, one clears. A cheque clears only once deposited and not
// before its deposit; a cleared cheque cannot bounce and its bill stays
// paid. The register filters by state, with the totals of all that state's
// cheques, not of the page.
func TestAClearedChequeCannotBounceAndTheRegisterFiltersByState(t *testing.T) {
	d, bills := collectionShop(t)
	anb1, anb2, mks := bills[0], bills[1], bills[2]
	if st, body := d.do("POST", "/api/collections", map[string]any{"salesman": "RAVI", "date": "2026-11-25", "bills": []string{anb1, anb2, mks}}); st != 201 {
		t.Fatalf("sheet %d %v", st, body)
	}
	cheque := func(bill, no string, paise int) map[string]any {
		return map[string]any{"invoice": bill, "amount_paise": paise, "mode": "cheque", "cheque_no": no, "bank": "SBI", "cheque_date": "2026-11-24"}
	}
	st, body := d.do("POST", "/api/collections/1/settle", map[string]any{"bills": []map[string]any{
		cheque(anb1, "1001", 31500), cheque(anb2, "1002", 63000), cheque(mks, "2001", 94500)}})
	if st != 200 || len(body["receipts"].([]any)) != 3 {
		t.Fatalf("settle %d %v", st, body)
	}
	rcts := body["receipts"].([]any)
	path := func(i int) string { return "/api/cheques/" + url.PathEscape(rcts[i].(string)) }

	if st, body := d.do("POST", path(2)+"/clear", map[string]any{"date": "2026-11-25"}); st != 409 || body["field"] != "receipt" {
		t.Fatalf("clear a cheque in hand: %d %v", st, body)
	}
	for _, i := range []int{1, 2} {
		if st, body := d.do("POST", path(i)+"/deposit", map[string]any{"date": "2026-11-25"}); st != 200 {
			t.Fatalf("deposit %d %v", st, body)
		}
	}
	if st, body := d.do("POST", path(2)+"/clear", map[string]any{"date": "2026-11-24"}); st != 400 || body["field"] != "date" {
		t.Fatalf("clear before the deposit: %d %v", st, body)
	}
	st, body = d.do("POST", path(2)+"/clear", map[string]any{"date": "2026-11-25"})
	if st != 200 || body["status"] != "cleared" || body["cleared_on"] != "2026-11-25" || body["deposited_on"] != "2026-11-25" {
		t.Fatalf("clear %d %v", st, body)
	}
	if st, body := d.do("POST", path(2)+"/clear", map[string]any{"date": "2026-11-25"}); st != 409 {
		t.Fatalf("cleared twice: %d %v", st, body)
	}
	if st, body := d.do("POST", path(2)+"/bounce", map[string]any{"date": "2026-11-25", "reason": "funds insufficient", "charge_paise": 25000}); st != 409 || body["field"] != "receipt" ||
		!strings.Contains(body["error"].(string), "a cleared cheque cannot bounce") {
		t.Fatalf("a cleared cheque bounced: %d %v", st, body)
	}
	if o := d.owes("MKS02"); o.DuePaise != 0 {
		t.Fatalf("the cleared cheque's bill stays paid: %+v", o)
	}

	want := map[string]struct {
		total int
		paise int64
	}{"": {3, 189000}, "in_hand": {1, 31500}, "deposited": {1, 63000}, "cleared": {1, 94500}, "bounced": {0, 0}}
	for status, w := range want {
		var page ListPage[billing.Cheque]
		d.getJSON("/api/cheques?limit=1&status="+status, &page)
		if page.Total != w.total || page.Totals["amount_paise"] != w.paise || len(page.Rows) != min(1, w.total) {
			t.Errorf("status %q: %d cheques ₹%d, want %d ₹%d", status, page.Total, page.Totals["amount_paise"], w.total, w.paise)
		}
		for _, c := range page.Rows {
			if status != "" && c.Status != status {
				t.Errorf("status %q lists a %s cheque", status, c.Status)
			}
		}
		if status == "" && (page.Totals["cleared"] != 1 || page.Totals["cleared_paise"] != 94500 || page.Totals["in_hand_paise"] != 31500) {
			t.Errorf("the register's counts per state: %v", page.Totals)
		}
	}
	if st, body := d.do("GET", "/api/cheques?status=clear", nil); st != 400 || body["field"] != "status" {
		t.Fatalf("an unknown state: %d %v", st, body)
	}
	checkApp(t, d)
}
