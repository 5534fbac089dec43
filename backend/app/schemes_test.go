package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/excel"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// circularXLSX writes a brand's circular the way a sales-ops desk does: a
// title line above the header, dates as text and as date cells.
func circularXLSX(t *testing.T, header []string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", "Britannia — trade schemes, November 2026")
	f.SetSheetRow("Sheet1", "A3", &header)
	for i, r := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+4), &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var circularHeader = []string{"Scheme Code", "Scheme Name", "Type", "Valid From", "Valid To", "Items", "Brands",
	"Buy Qty", "Free Qty", "Discount %", "Channels", "Budget"}

// upload posts a file as the browser's form does and decodes the answer.
func (d *door) upload(path, name string, file []byte) (int, map[string]any) {
	d.t.Helper()
	status, raw, _ := d.importUpload(path, name, file)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		d.t.Fatalf("%s: %d %s", path, status, raw)
	}
	return status, out
}

// schemeShop is shopDoor with a second Britannia item, a second outlet and
// stock of both.
func schemeShop(t *testing.T) *door {
	d := shopDoor(t)
	err := d.app.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.CreateItem(tx, masters.Item{Code: "MG100", Name: "Marie Gold 100g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 1500, CaseSize: 48, PricePaise: 1200, Active: true}, "2026-11-25"); err != nil {
			return err
		}
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: "KVS02", Name: "Kaveri Stores", StateCode: "33", Channel: "Grocery", Active: true, CreditLimitPaise: 1000000})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/77", "date": "2026-11-20",
		"lines": []map[string]any{
			{"item": "GD200", "batch": "B1", "expiry": "2027-06-30", "mrp_paise": 4000, "qty": 300, "rate_paise": 2500},
			{"item": "MG100", "batch": "M1", "expiry": "2027-03-31", "mrp_paise": 1500, "qty": 300, "rate_paise": 1000}}})
	if st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	return d
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func TestABrandCircularImportedOverHTTPBillsSchemesAndClaimsThemToThePaisa(t *testing.T) {
	d := schemeShop(t)
	circular := circularXLSX(t, circularHeader,
		[]any{"GD-10P1", "Good Day buy 10 get 1", "buy_x_get_y", "01-11-2026", "30-11-2026", "gd200", "", 10, 1, "", "", ""},
		[]any{"BRT-5", "Britannia 5% off", "Percent", "1 Nov 2026", "30/11/2026", "", "Britannia", "", "", "5%", "", "50,000"})

	// a dry run says what would happen and writes nothing
	st, rep := d.upload("/api/schemes/import?dry_run=1", "britannia-nov.xlsx", circular)
	if st != 200 || num(rep["new"]) != 2 || rep["committed"] != false {
		t.Fatalf("dry run %d %v", st, rep)
	}
	if st, raw := d.raw("GET", "/api/schemes", nil); st != 200 || strings.TrimSpace(string(raw)) != "[]" {
		t.Fatalf("a dry run saved schemes: %d %s", st, raw)
	}
	st, rep = d.upload("/api/schemes/import", "britannia-nov.xlsx", circular)
	if st != 200 || num(rep["new"]) != 2 || rep["committed"] != true {
		t.Fatalf("import %d %v", st, rep)
	}
	st, rep = d.upload("/api/schemes/import?dry_run=1", "britannia-nov.xlsx", circular)
	if st != 200 || num(rep["unchanged"]) != 2 {
		t.Fatalf("the same circular again should change nothing: %d %v", st, rep)
	}
	st, sch := d.do("GET", "/api/schemes/GD-10P1", nil)
	if st != 200 || sch["kind"] != "buy_x_get_y" || num(sch["buy_qty"]) != 10 || fmt.Sprint(sch["items"]) != "[GD200]" || sch["valid_from"] != "2026-11-01" {
		t.Fatalf("imported scheme %d %v", st, sch)
	}
	if st, raw := d.raw("GET", "/api/schemes?active=2026-12-01", nil); st != 200 || strings.TrimSpace(string(raw)) != "[]" {
		t.Fatalf("no scheme runs in December: %d %s", st, raw)
	}
	if st, raw := d.raw("GET", "/api/schemes?active=2026-11-25&q=good+day", nil); st != 200 || !strings.Contains(string(raw), "GD-10P1") || strings.Contains(string(raw), "BRT-5") {
		t.Fatalf("filter %d %s", st, raw)
	}

	// 25 pieces of Good Day at ₹30: 2 free (whole sets), and 5% off ₹750
	st, inv1 := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25",
		"lines": []map[string]any{{"item": "GD200", "qty": 25}, {"item": "MG100", "qty": 24}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, inv1)
	}
	lines := inv1["lines"].([]any)
	gd := lines[0].(map[string]any)
	if gd["item"] != "GD200" || num(gd["free_qty"]) != 2 || num(gd["scheme_discount_paise"]) != 3750 {
		t.Fatalf("Good Day line %v", gd)
	}
	mg := lines[1].(map[string]any)
	if num(mg["free_qty"]) != 0 || num(mg["scheme_discount_paise"]) != 1440 { // 5% of 24 × ₹12
		t.Fatalf("Marie line %v", mg)
	}
	freeRows := 0
	for _, l := range lines {
		if l := l.(map[string]any); l["free"] == true {
			freeRows++
			if l["item"] != "GD200" || num(l["qty"]) != 2 || l["scheme"] != "GD-10P1" || num(l["free_value_paise"]) != 6000 {
				t.Fatalf("free row %v", l)
			}
		}
	}
	if freeRows != 1 {
		t.Fatalf("%d free rows in %v", freeRows, lines)
	}
	// 9 pieces earn no free goods but tell the clerk how close they are
	st, inv2 := d.do("POST", "/api/invoices", map[string]any{"outlet": "KVS02", "date": "2026-11-26",
		"lines": []map[string]any{{"item": "GD200", "qty": 12}}})
	if st != 201 || num(inv2["lines"].([]any)[0].(map[string]any)["free_qty"]) != 1 {
		t.Fatalf("second invoice %d %v", st, inv2)
	}

	// the outlet sends back 10 of the 25: its share of both schemes reverses
	st, ret := d.do("POST", "/api/returns", map[string]any{"invoice": inv1["number"], "date": "2026-11-27", "reason": "damaged cartons",
		"lines": []map[string]any{{"line": 1, "qty": 10}}})
	if st != 201 {
		t.Fatalf("return %d %v", st, ret)
	}
	var reds []schemes.Redemption
	d.app.Book.View(func(tx *book.Tx) error {
		for _, n := range []any{inv1["number"], inv2["number"]} {
			rs, err := schemes.Redemptions(tx, n.(string))
			if err != nil {
				t.Fatal(err)
			}
			reds = append(reds, rs...)
		}
		return nil
	})
	reversed := 0
	for _, r := range reds {
		if r.Return != "" {
			reversed++
			if r.Return != ret["number"] || r.DiscountPaise > 0 || r.FreeQty > 0 {
				t.Fatalf("reversal %+v", r)
			}
		}
	}
	if reversed != 2 { // GD-10P1 and BRT-5 on line 1
		t.Fatalf("%d reversals in %+v", reversed, reds)
	}

	for _, code := range []string{"GD-10P1", "BRT-5"} {
		var want schemes.ClaimTotals
		for _, r := range reds {
			if r.Scheme == code {
				want.FreeQty += r.FreeQty
				want.DiscountPaise += r.DiscountPaise
				want.ValuePaise += r.CostPaise()
			}
		}
		// 2 free kept on each bill's Good Day once 10 of 25 came back (0.8 → 1
		// piece back): 1 + 1 pieces at ₹30; 5% of ₹750 − ₹300 + ₹288 + ₹360
		if wantValue := map[string]money.Paise{"GD-10P1": 6000, "BRT-5": 3750 - 1500 + 1440 + 1800}[code]; want.ValuePaise != wantValue {
			t.Fatalf("%s redemptions add up to %+v, want ₹%s", code, want, wantValue)
		}
		st, raw := d.raw("GET", "/api/schemes/"+code+"/claim?from=2026-11-01&to=2026-11-30", nil)
		if st != 200 {
			t.Fatalf("claim %s %d %s", code, st, raw)
		}
		var claim struct {
			Total    map[string]int64     `json:"total"`
			Outlets  []map[string]any     `json:"outlets"`
			Invoices []map[string]any     `json:"invoices"`
			Lines    []schemes.Redemption `json:"lines"`
		}
		if err := json.Unmarshal(raw, &claim); err != nil {
			t.Fatal(err)
		}
		if claim.Total["free_qty"] != int64(want.FreeQty) || claim.Total["discount_paise"] != int64(want.DiscountPaise) || claim.Total["value_paise"] != int64(want.ValuePaise) {
			t.Fatalf("claim %s total %v, redemptions add up to %+v", code, claim.Total, want)
		}
		for _, part := range []struct {
			name string
			rows []map[string]any
		}{{"outlets", claim.Outlets}, {"invoices", claim.Invoices}} {
			var q, disc, val int64
			for _, r := range part.rows {
				q, disc, val = q+num(r["free_qty"]), disc+num(r["discount_paise"]), val+num(r["value_paise"])
			}
			if q != int64(want.FreeQty) || disc != int64(want.DiscountPaise) || val != int64(want.ValuePaise) {
				t.Fatalf("claim %s: %s add up to %d %d %d, redemptions to %+v", code, part.name, q, disc, val, want)
			}
		}
		if len(claim.Outlets) != 2 || len(claim.Invoices) != 2 {
			t.Fatalf("claim %s outlets %v invoices %v", code, claim.Outlets, claim.Invoices)
		}

		// the brand's workbook says the same, in typed rupee cells
		st, xl := d.raw("GET", "/api/schemes/"+code+"/claim.xlsx?from=2026-11-01&to=2026-11-30", nil)
		if st != 200 {
			t.Fatalf("claim.xlsx %s %d %s", code, st, xl)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xl))
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range []struct {
			name   string
			claimC string
		}{{"Outlet-wise", "G"}, {"Invoice-wise", "I"}, {"Redemptions", "L"}} {
			rows, err := f.GetRows(sh.name, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			col, _ := excelize.ColumnNameToNumber(sh.claimC)
			if rows[0][col-1] != "Claim" {
				t.Fatalf("%s header %v", sh.name, rows[0])
			}
			var sum money.Paise
			for _, r := range rows[1 : len(rows)-1] {
				p, err := excel.ParseMoney(r[col-1], true)
				if err != nil {
					t.Fatalf("%s cell %q: %v", sh.name, r[col-1], err)
				}
				sum += p
			}
			last := rows[len(rows)-1]
			total, err := excel.ParseMoney(last[col-1], true)
			if err != nil || last[0] != "Total" || total != want.ValuePaise || sum != want.ValuePaise {
				t.Fatalf("%s %s: rows add up to %d, total row %v (%d), redemptions %d", code, sh.name, sum, last, total, want.ValuePaise)
			}
			cell := fmt.Sprintf("%s2", sh.claimC)
			if typ, _ := f.GetCellType(sh.name, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Fatalf("%s %s is text, want a number", sh.name, cell)
			}
			if st, _ := f.GetCellStyle(sh.name, cell); st == 0 {
				t.Fatalf("%s %s has no rupee format", sh.name, cell)
			}
		}
		f.Close()
	}

	st, perf := d.do("GET", "/api/schemes/GD-10P1/performance?as_of=2026-11-30", nil)
	if st != 200 || num(perf["outlets"]) != 2 || num(perf["qty"]) != 27 || perf["prev_from"] != "2026-10-02" {
		t.Fatalf("performance %d %v", st, perf)
	}
	if r, err := CheckBook(d.app.Book); err != nil || !r.OK() {
		t.Fatalf("check %v %v", err, r.Problems)
	}
}

func TestABadSchemeCircularIsRefusedWithEveryErrorAndNothingSaved(t *testing.T) {
	d := schemeShop(t)
	bad := circularXLSX(t, circularHeader,
		[]any{"GOOD-1", "A good row", "percent", "01-11-2026", "30-11-2026", "GD200", "", "", "", "5", "", ""},
		[]any{"CASHBK", "Cashback", "cashback", "01-11-2026", "30-11-2026", "GD200", "", "", "", "", "", ""},
		[]any{"NEG-1", "Negative buy", "buy_x_get_y", "01-11-2026", "30-11-2026", "GD200", "", -10, 1, "", "", ""},
		[]any{"NODATE", "No dates", "percent", "", "", "", "Britannia", "", "", "5", "", ""},
		[]any{"GOOD-1", "Twice", "percent", "01-11-2026", "30-11-2026", "GD200", "", "", "", "5", "", ""})
	for _, path := range []string{"/api/schemes/import?dry_run=1", "/api/schemes/import"} {
		st, rep := d.upload(path, "bad.xlsx", bad)
		if st != 400 || rep["committed"] != false || rep["field"] != "file" {
			t.Fatalf("%s %d %v", path, st, rep)
		}
		got := map[string]bool{}
		for _, e := range rep["errors"].([]any) {
			e := e.(map[string]any)
			got[fmt.Sprint(e["row"], " ", e["column"])] = true
			if e["reason"] == "" {
				t.Fatalf("error without a reason %v", e)
			}
		}
		for _, want := range []string{"5 Type", "6 Buy Qty", "7 Valid From", "7 Valid To", "8 Scheme Code"} {
			if !got[want] {
				t.Errorf("%s: no error at row/column %q in %v", path, want, rep["errors"])
			}
		}
	}
	if st, raw := d.raw("GET", "/api/schemes", nil); st != 200 || strings.TrimSpace(string(raw)) != "[]" {
		t.Fatalf("a refused circular saved schemes: %d %s", st, raw)
	}
	if st, body := d.upload("/api/schemes/import", "notes.xlsx", []byte("this is not a spreadsheet")); st != 400 || body["field"] != "file" {
		t.Fatalf("garbage %d %v", st, body)
	}
}

func TestSchemeDefinitionsOverHTTPNameTheWrongField(t *testing.T) {
	d := schemeShop(t)
	s := map[string]any{"code": "TP-3", "name": "₹3 off Good Day", "kind": "flat", "valid_from": "2026-11-01", "valid_to": "2026-11-30",
		"items": []string{"GD200"}, "amount_paise": 300}
	if st, body := d.do("POST", "/api/schemes", s); st != 201 || body["code"] != "TP-3" {
		t.Fatalf("create %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/schemes", s); st != 409 || body["field"] != "code" {
		t.Fatalf("duplicate %d %v", st, body)
	}
	s["amount_paise"], s["discount_bp"] = 0, 500
	st, body := d.do("PUT", "/api/schemes/TP-3", s)
	if st != 400 || body["field"] != "amount_paise" || len(body["fields"].([]any)) < 2 {
		t.Fatalf("flat without an amount %d %v", st, body)
	}
	s["kind"] = "percent"
	delete(s, "amount_paise")
	if st, body := d.do("PUT", "/api/schemes/TP-3", s); st != 200 || num(body["discount_bp"]) != 500 {
		t.Fatalf("update %d %v", st, body)
	}
	if st, body := d.do("PUT", "/api/schemes/NOPE", s); st != 400 || body["field"] != "code" {
		t.Fatalf("code change %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/schemes", map[string]any{"code": "X", "name": "x", "kind": "percent", "discount_pb": 5}); st != 400 || body["field"] != "discount_pb" {
		t.Fatalf("misspelt field %d %v", st, body)
	}
	if st, _ := d.do("GET", "/api/schemes/NOPE", nil); st != 404 {
		t.Fatalf("unknown scheme %d", st)
	}
	if st, _ := d.do("GET", "/api/schemes/NOPE/claim", nil); st != 404 {
		t.Fatalf("unknown scheme claim %d", st)
	}
	if st, body := d.do("GET", "/api/schemes/TP-3/claim?from=2026-11-30&to=2026-11-01", nil); st != 400 || body["field"] != "to" {
		t.Fatalf("backwards period %d %v", st, body)
	}
	// the template imports as it stands
	st, tpl := d.raw("GET", "/api/schemes/template.xlsx", nil)
	if st != 200 || !bytes.HasPrefix(tpl, []byte("PK")) {
		t.Fatalf("template %d", st)
	}
	st, rep := d.upload("/api/schemes/import?dry_run=1", "template.xlsx", tpl)
	if st != 200 || num(rep["new"]) != 1 {
		t.Fatalf("template dry run %d %v", st, rep)
	}
	if !strings.Contains(fmt.Sprint(rep["warnings"]), "GD100") {
		t.Fatalf("an unknown item should be a warning: %v", rep["warnings"])
	}
}

// Once an invoice redeemed a scheme, PUT refuses new terms with a 409
// naming the field and saying to end the scheme; a new name and end date
// are accepted.
func TestARedeemedSchemesTermsAreRefusedOverHTTP(t *testing.T) {
	d := schemeShop(t)
	s := map[string]any{"code": "TP-3", "name": "₹3 off Good Day", "kind": "flat", "valid_from": "2026-11-01", "valid_to": "2026-11-30",
		"items": []string{"GD200"}, "amount_paise": 300}
	if st, body := d.do("POST", "/api/schemes", s); st != 201 {
		t.Fatalf("create %d %v", st, body)
	}
	st, inv := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25",
		"lines": []map[string]any{{"item": "GD200", "qty": 10}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, inv)
	}
	if l := inv["lines"].([]any)[0].(map[string]any); num(l["scheme_discount_paise"]) != 3000 {
		t.Fatalf("₹3 off 10: %v", l)
	}
	s["amount_paise"] = 500
	st, body := d.do("PUT", "/api/schemes/TP-3", s)
	if msg, _ := body["error"].(string); st != 409 || body["field"] != "amount_paise" || !strings.Contains(msg, "end this scheme") {
		t.Fatalf("new terms on a redeemed scheme %d %v", st, body)
	}
	s["amount_paise"], s["name"], s["valid_to"] = 300, "₹3 off Good Day (Nov)", "2026-12-15"
	if st, body := d.do("PUT", "/api/schemes/TP-3", s); st != 200 || body["name"] != "₹3 off Good Day (Nov)" {
		t.Fatalf("name and end date %d %v", st, body)
	}
}
