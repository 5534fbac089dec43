package app

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/billing"
	"vitaran/backend/cal"
)

// as is a second browser on the same server, logged in as another user.
func (d *door) as(user, pw string) *door {
	d.t.Helper()
	jar, _ := cookiejar.New(nil)
	o := &door{t: d.t, app: d.app, srv: d.srv, c: &http.Client{Jar: jar}}
	if st := o.login(user, pw); st != 200 {
		d.t.Fatalf("login %s: %d", user, st)
	}
	return o
}

// On the pinned day (25-11-2026) an outlet on stop with a 30-day limit is
// refused once its oldest bill is 31 days old; the clerk sees why as he
// picks the outlet; a billing user may not override, an admin may, and the
// audit log says who and why.
func TestOverHTTPACreditStopNamesTheLimitAndOnlyAnAdminOverridesIt(t *testing.T) {
	today := cal.Today()
	d := shopDoor(t)
	d.user("ravi", RoleBilling, "ravi-secret")
	if st, body := d.do("PUT", "/api/outlets/SLS01", map[string]any{"credit_mode": "stop", "credit_limit_days": 30, "credit_limit_paise": 0}); st != 200 || body["credit_mode"] != "stop" {
		t.Fatalf("outlet %d %v", st, body)
	}
	if st, body := d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "BRT/1", "date": string(today.AddDays(-40)),
		"lines": []map[string]any{{"item": "GD200", "batch": "B1", "expiry": string(today.AddDays(400)), "mrp_paise": 4000, "qty": 100, "rate_paise": 2500}}}); st != 201 {
		t.Fatalf("purchase %d %v", st, body)
	}
	inv := func(date cal.Date, extra map[string]any) map[string]any {
		m := map[string]any{"outlet": "SLS01", "date": string(date), "lines": []map[string]any{{"item": "GD200", "qty": 10}}}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	if st, body := d.do("POST", "/api/invoices", inv(today.AddDays(-31), nil)); st != 201 {
		t.Fatalf("the old bill %d %v", st, body)
	}
	st, credit := d.do("GET", "/api/outlets/SLS01/credit", nil)
	if st != 200 || credit["stopped"] != true || credit["field"] != "credit_limit_days" || credit["oldest_days"] != 31.0 ||
		credit["open_bills"] != 1.0 || credit["due_paise"] != 31500.0 || credit["date"] != string(today) {
		t.Fatalf("credit as the outlet is picked %d %v", st, credit)
	}
	st, body := d.do("POST", "/api/invoices/preview", inv(today, nil))
	if c, _ := body["credit"].(map[string]any); st != 200 || c == nil || c["stopped"] != true || c["bill_paise"] != 31500.0 {
		t.Fatalf("the preview carries the credit standing %d %v", st, body)
	}
	ravi := d.as("ravi", "ravi-secret")
	st, body = ravi.do("POST", "/api/invoices", inv(today, nil))
	if st != 409 || body["field"] != "credit_limit_days" ||
		body["error"] != "outlet SLS01 is on credit stop: the oldest open bill, of "+today.AddDays(-31).Display()+", is 31 days old and the limit is 30 days (collect first, or have an admin override it with a reason)" {
		t.Fatalf("stop %d %v", st, body)
	}
	reason := map[string]any{"credit_override": map[string]any{"reason": "owner's word: pays Friday"}}
	if st, body = ravi.do("POST", "/api/invoices", inv(today, reason)); st != 403 {
		t.Fatalf("a billing user's override %d %v", st, body)
	}
	st, body = d.do("POST", "/api/invoices", inv(today, reason))
	if st != 201 || body["credit_override"] == nil {
		t.Fatalf("an admin's override %d %v", st, body)
	}
	es := auditOf(t, d.app, "credit_override")
	if len(es) != 1 || es[0].Key != body["number"] || es[0].User != "admin" || es[0].Note != "owner's word: pays Friday" {
		t.Fatalf("audit %+v", es)
	}
	// the invoice itself keeps who let it through, when, why and what it broke
	var kept billing.Invoice
	d.getJSON("/api/invoices/"+url.PathEscape(body["number"].(string)), &kept)
	o := kept.CreditOverride
	if o == nil || o.Reason != "owner's word: pays Friday" || o.By != "admin" || !o.At.Equal(kept.PostedAt) || o.At.IsZero() ||
		len(o.Broken) != 1 || !strings.Contains(o.Broken[0], "31 days old and the limit is 30 days") {
		t.Fatalf("the override on the invoice: %+v", o)
	}
	// a bill that needed no override carries none, even if one was sent
	if st, body = d.do("POST", "/api/outlets", map[string]any{"code": "OTH01", "name": "Other Stores", "state_code": "33", "active": true}); st != 201 {
		t.Fatalf("outlet %d %v", st, body)
	}
	if st, body = d.do("POST", "/api/invoices", inv(today, map[string]any{"outlet": "OTH01", "credit_override": map[string]any{"reason": "x", "by": "someone"}})); st != 201 || body["credit_override"] != nil {
		t.Fatalf("an override not needed %d %v", st, body)
	}
	// a day less old: 30 days is within the limit
	if st, body = d.do("PUT", "/api/outlets/SLS01", map[string]any{"credit_limit_days": 31}); st != 200 {
		t.Fatalf("outlet %d %v", st, body)
	}
	if st, body = ravi.do("POST", "/api/invoices", inv(today, nil)); st != 201 {
		t.Fatalf("within 31 days %d %v", st, body)
	}
}

// The outlet template carries the credit terms; a file without those
// columns (the brand's retailer list, say) keeps the terms an outlet has.
func TestTheOutletFileSetsCreditTermsAndAFileWithoutThemKeepsThem(t *testing.T) {
	d := shopDoor(t)
	sheet := func(rows ...[]any) []byte {
		f := excelize.NewFile()
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow("Sheet1", cell, &r)
		}
		var buf bytes.Buffer
		f.Write(&buf)
		return buf.Bytes()
	}
	st, body := d.upload("/api/import/outlets", "outlets.xlsx", sheet(
		[]any{"Outlet Code", "Outlet Name", "State", "Credit Limit", "Credit Limit Bills", "Credit Limit Days", "Credit Mode", "Temp Credit Limit", "Temp Credit Until"},
		[]any{"SLS01", "Sri Lakshmi Stores", "33", 1000, 4, 21, "stop", 2500, "31-12-2026"}))
	if st != 200 {
		t.Fatalf("import %d %v", st, body)
	}
	_, o := d.do("GET", "/api/outlets/SLS01", nil)
	if o["credit_limit_paise"] != 100000.0 || o["credit_limit_bills"] != 4.0 || o["credit_limit_days"] != 21.0 || o["credit_mode"] != "stop" ||
		o["temp_credit_limit_paise"] != 250000.0 || o["temp_credit_until"] != "2026-12-31" {
		t.Fatalf("the outlet after the file: %v", o)
	}
	st, body = d.upload("/api/import/outlets", "outlets.xlsx", sheet(
		[]any{"Outlet Code", "Outlet Name", "State", "Credit Limit"},
		[]any{"SLS01", "Sri Lakshmi Stores", "33", 1000}))
	if st != 200 {
		t.Fatalf("import %d %v", st, body)
	}
	_, o = d.do("GET", "/api/outlets/SLS01", nil)
	if o["credit_limit_bills"] != 4.0 || o["credit_mode"] != "stop" || o["temp_credit_until"] != "2026-12-31" {
		t.Fatalf("a file without the credit columns keeps them: %v", o)
	}
	st, body = d.upload("/api/import/outlets", "outlets.xlsx", sheet(
		[]any{"Outlet Code", "Outlet Name", "State", "Credit Mode", "Credit Limit Bills"},
		[]any{"SLS01", "Sri Lakshmi Stores", "33", "hold", 2}))
	if st != 200 || body["committed"] != false || !strings.Contains(fmt.Sprint(body["errors"]), "column:Credit Mode reason:\"hold\": use warn, stop") {
		t.Fatalf("a mode that is neither warn nor stop names the row: %d %v", st, body)
	}
}
