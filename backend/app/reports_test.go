package app

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/xuri/excelize/v2"
)

// billSome posts a purchase and three invoices through the door.
func billSome(t *testing.T, d *door) {
	t.Helper()
	st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": "2026-11-01",
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 500, "rate_paise": 2500}}})
	if st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	for i, q := range []int{30, 7, 13} {
		date := []string{"2026-11-17", "2026-11-24", "2026-11-24"}[i]
		st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": date, "lines": []map[string]any{{"item": "GD200", "qty": q}}})
		if st != 201 {
			t.Fatalf("invoice %d %v", st, body)
		}
	}
}

type reportAnswer struct {
	Columns []struct {
		Key   string `json:"key"`
		Total bool   `json:"total"`
	} `json:"columns"`
	Rows   [][]any          `json:"rows"`
	Totals map[string]int64 `json:"totals"`
	Total  int              `json:"total"`
}

func (d *door) report(path string) reportAnswer {
	d.t.Helper()
	st, raw := d.raw("GET", path, nil)
	var r reportAnswer
	if err := json.Unmarshal(raw, &r); err != nil || st != 200 {
		d.t.Fatalf("%s: %d %s", path, st, raw)
	}
	return r
}

func TestEveryReportsTotalsAreTheSumOfItsRowsAndSalesMatchTheInvoiceRegister(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)
	period := "?from=2026-11-01&to=2026-11-30"
	reg := d.report("/api/reports/invoice-register" + period)
	for _, name := range []string{"sales-register", "invoice-register", "item-sales", "outlet-sales", "beat-sales", "salesman-sales",
		"brand-sales", "hsn-summary", "reconciliation", "scheme-claims", "stock-summary", "outstanding", "outstanding-bills"} {
		r := d.report("/api/reports/" + name + period)
		for i, c := range r.Columns {
			if !c.Total {
				continue
			}
			var sum int64
			for _, row := range r.Rows {
				if v, ok := row[i].(float64); ok {
					sum += int64(v)
				}
			}
			if sum != r.Totals[c.Key] {
				t.Errorf("%s: %s rows sum to %d, total says %d", name, c.Key, sum, r.Totals[c.Key])
			}
		}
		if _, ok := r.Totals["taxable_paise"]; ok && name != "outstanding" {
			if r.Totals["taxable_paise"] != reg.Totals["taxable_paise"] {
				t.Errorf("%s taxable %d, invoice register %d", name, r.Totals["taxable_paise"], reg.Totals["taxable_paise"])
			}
		}
	}
	if reg.Totals["taxable_paise"] != 50*3000 {
		t.Errorf("register taxable %d", reg.Totals["taxable_paise"])
	}
	st, raw := d.raw("GET", "/api/reports/sales-register"+period+"&format=xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if st != 200 || err != nil {
		t.Fatalf("xlsx %d %v", st, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) < 4 || rows[0][0] != "Date" {
		t.Errorf("xlsx rows %v", rows)
	}
	if st, _ := d.raw("GET", "/api/reports/sales-register?from=2026-11-30&to=2026-11-01", nil); st != 400 {
		t.Errorf("a backwards period: %d", st)
	}
	if st, _ := d.raw("GET", "/api/reports/nonsense"+period, nil); st != 404 {
		t.Errorf("no such report: %d", st)
	}
}

func TestTheDashboardAgreesWithTheReports(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)
	st, body := d.do("GET", "/api/dashboard?date=2026-11-25", nil)
	if st != 200 {
		t.Fatalf("%d %v", st, body)
	}
	y := body["yesterday"].(map[string]any)
	reg := d.report("/api/reports/invoice-register?from=2026-11-24&to=2026-11-24")
	if got := int64(y["now"].(map[string]any)["taxable_paise"].(float64)); got != reg.Totals["taxable_paise"] || got != 20*3000 {
		t.Errorf("yesterday %d, register %d", got, reg.Totals["taxable_paise"])
	}
	wk := y["before"].(map[string]any)["taxable_paise"].(float64)
	if wk != 30*3000 {
		t.Errorf("same weekday last week %v", wk)
	}
	mtd := body["month_to_date"].(map[string]any)["now"].(map[string]any)
	reg = d.report("/api/reports/invoice-register?from=2026-11-01&to=2026-11-25")
	if int64(mtd["total_paise"].(float64)) != reg.Totals["total_paise"] {
		t.Errorf("month to date %v, register %d", mtd["total_paise"], reg.Totals["total_paise"])
	}
	stockRep := d.report("/api/reports/stock-summary?as_of=2026-11-25")
	if int64(body["stock_value_paise"].(float64)) != stockRep.Totals["value_paise"] {
		t.Errorf("stock value %v, stock summary %d", body["stock_value_paise"], stockRep.Totals["value_paise"])
	}
	out := d.report("/api/reports/outstanding?as_of=2026-11-25")
	if int64(body["collections"].(map[string]any)["outstanding_paise"].(float64)) != out.Totals["outstanding_paise"] {
		t.Errorf("collections %v, outstanding %d", body["collections"], out.Totals["outstanding_paise"])
	}
	if body["tally"].(map[string]any)["waiting"].(float64) < 4 {
		t.Errorf("tally %v", body["tally"])
	}
	st, raw := d.raw("GET", "/api/dashboard/sales?from=2026-11-01&to=2026-11-25&by=item&brand=Britannia", nil)
	var rows []map[string]any
	json.Unmarshal(raw, &rows)
	if st != 200 || len(rows) != 1 || int64(rows[0]["taxable_paise"].(float64)) != reg.Totals["taxable_paise"] {
		t.Errorf("drill %d %s", st, raw)
	}
}

func TestASalesReturnIsNettedIntoTheSalesReportsOnItsOwnDate(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)
	// The dashboard is read first, so its saved day summary must notice the
	// credit note that comes after.
	if st, body := d.do("GET", "/api/dashboard?date=2026-11-28", nil); st != 200 {
		t.Fatalf("%d %v", st, body)
	}
	list := d.report("/api/reports/invoice-register?from=2026-11-17&to=2026-11-17")
	inv := list.Rows[0][1]
	if st, body := d.do("POST", "/api/returns", map[string]any{"invoice": inv, "date": "2026-11-26", "reason": "torn",
		"lines": []map[string]any{{"line": 1, "qty": 4}}}); st != 201 {
		t.Fatalf("return %d %v", st, body)
	}
	period := "?from=2026-11-01&to=2026-11-30"
	reg := d.report("/api/reports/invoice-register" + period)
	if len(reg.Rows) != 4 {
		t.Fatalf("register rows %v", reg.Rows)
	}
	cn := reg.Rows[0] // newest first
	if cn[0] != "2026-11-26" || cn[2] != "Credit note" || int64(cn[8].(float64)) != -4*3000 {
		t.Errorf("credit note row %v", cn)
	}
	if reg.Totals["taxable_paise"] != 46*3000 {
		t.Errorf("register taxable %d, want the 50 sold less the 4 returned", reg.Totals["taxable_paise"])
	}
	for _, name := range []string{"sales-register", "item-sales", "outlet-sales", "beat-sales", "salesman-sales", "brand-sales", "hsn-summary"} {
		r := d.report("/api/reports/" + name + period)
		if r.Totals["taxable_paise"] != reg.Totals["taxable_paise"] {
			t.Errorf("%s taxable %d, register %d", name, r.Totals["taxable_paise"], reg.Totals["taxable_paise"])
		}
		if q, ok := r.Totals["qty"]; ok && q != 46 {
			t.Errorf("%s qty %d, want 46", name, q)
		}
	}
	st, body := d.do("GET", "/api/dashboard?date=2026-11-28", nil)
	if st != 200 {
		t.Fatalf("%d %v", st, body)
	}
	mtd := body["month_to_date"].(map[string]any)["now"].(map[string]any)
	if int64(mtd["taxable_paise"].(float64)) != 46*3000 || mtd["credit_notes"].(float64) != 1 || int64(mtd["total_paise"].(float64)) != reg.Totals["total_paise"] {
		t.Errorf("month to date %v, register total %d", mtd, reg.Totals["total_paise"])
	}
}

func TestTheDashboardForgetsACancelledInvoiceOnItsOwnDay(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)
	mtd := func() map[string]any {
		st, body := d.do("GET", "/api/dashboard?date=2026-11-30", nil)
		if st != 200 {
			t.Fatalf("%d %v", st, body)
		}
		return body["month_to_date"].(map[string]any)["now"].(map[string]any)
	}
	if got := mtd()["taxable_paise"].(float64); got != 50*3000 {
		t.Fatalf("month to date %v", got)
	}
	inv := d.report("/api/reports/invoice-register?from=2026-11-17&to=2026-11-17").Rows[0][1].(string)
	if st, body := d.do("POST", "/api/invoices/"+url.PathEscape(inv)+"/cancel", map[string]any{"reason": "wrong outlet", "goods_left": false}); st != 200 {
		t.Fatalf("cancel %d %v", st, body)
	}
	if got := mtd(); got["taxable_paise"].(float64) != 20*3000 || got["invoices"].(float64) != 2 {
		t.Errorf("after cancelling the 17th's invoice: %v", got)
	}
}

func TestOutstandingBillByBillShowsPartPaymentsAndTheAmountOnAccount(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)
	inv := d.report("/api/reports/invoice-register?from=2026-11-01&to=2026-11-30")
	first := inv.Rows[len(inv.Rows)-1][1].(string) // newest first: the 17th's bill is last
	// ₹500 against the oldest bill only, ₹200 more on account.
	st, body := d.do("POST", "/api/receipts", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "mode": "cash", "amount_paise": 70000,
		"allocations": []map[string]any{{"invoice": first, "amount_paise": 50000}}, "on_account": true})
	if st != 201 || body["on_account_paise"] != float64(20000) {
		t.Fatalf("receipt %d %v", st, body)
	}
	bills := d.report("/api/reports/outstanding-bills?as_of=2026-11-25")
	sum := d.report("/api/reports/outstanding?as_of=2026-11-25")
	if bills.Totals["due_paise"] != sum.Totals["outstanding_paise"] {
		t.Errorf("bill by bill owes %d, the outstanding report %d", bills.Totals["due_paise"], sum.Totals["outstanding_paise"])
	}
	var part, onAccount []any
	for _, r := range bills.Rows {
		switch r[2] {
		case first:
			part = r
		case "On account":
			onAccount = r
		}
	}
	if part == nil || part[7] != float64(50000) || part[8] != part[6].(float64)-50000 || part[9] != "0–30 days" {
		t.Errorf("the part-paid bill reads %v", part)
	}
	if onAccount == nil || onAccount[7] != float64(20000) || onAccount[8] != float64(-20000) {
		t.Errorf("the on-account row reads %v", onAccount)
	}
	if bills.Totals["received_paise"] != 70000 {
		t.Errorf("received %d, want the whole ₹700", bills.Totals["received_paise"])
	}
}
