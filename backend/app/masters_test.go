package app

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

func TestHealthIsPublicAndEverythingElseNeedsALogin(t *testing.T) {
	d := newDoor(t)
	st, body := d.do("GET", "/api/health", nil)
	if st != 200 || body["ok"] != true || body["version"] == "" {
		t.Fatalf("%d %v", st, body)
	}
	if st, _ := d.do("GET", "/api/items", nil); st != 401 {
		t.Fatalf("items without a session: %d", st)
	}
	if st := d.login("admin", "wrong-password"); st != 401 {
		t.Fatalf("wrong password: %d", st)
	}
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login: %d", st)
	}
	if st, _ := d.do("GET", "/api/items", nil); st != 200 {
		t.Fatalf("items: %d", st)
	}
}

func TestAViewerMayReadButNotWrite(t *testing.T) {
	d := newDoor(t)
	ctx := WithCaller(context.Background(), Caller{User: "admin", Role: RoleAdmin})
	if _, err := d.app.CreateUser(ctx, "meena", RoleViewer, "viewer-pass"); err != nil {
		t.Fatal(err)
	}
	d.login("meena", "viewer-pass")
	if st, _ := d.do("GET", "/api/outlets", nil); st != 200 {
		t.Fatalf("read: %d", st)
	}
	st, body := d.do("POST", "/api/beats", map[string]string{"code": "B1", "name": "x", "weekday": "Mon"})
	if st != 403 {
		t.Fatalf("viewer wrote: %d %v", st, body)
	}
}

func TestAWriteWithoutTheCSRFTokenIsRefused(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	d.csrf = ""
	if st, _ := d.do("POST", "/api/beats", map[string]string{"code": "B1", "name": "x", "weekday": "Mon"}); st != 403 {
		t.Fatalf("got %d", st)
	}
}

func TestMastersOverHTTP(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	st, body := d.do("PUT", "/api/company", map[string]any{"name": "Sri Vijaya Distributors", "state_code": "29", "gstin": "29ABCDE1234F1ZW"})
	if st != 200 || body["fy_start_month"] != 4.0 {
		t.Fatalf("company: %d %v", st, body)
	}
	if st, b := d.do("POST", "/api/beats", map[string]string{"code": "beat-mon-01", "name": "Jayanagar", "weekday": "monday"}); st != 201 || b["code"] != "BEAT-MON-01" {
		t.Fatalf("beat: %d %v", st, b)
	}
	outlet := map[string]any{"code": "SLS01", "name": "Sri Lakshmi Stores", "state_code": "29", "gstin": "29ABCDE1234F1ZX",
		"beat": "BEAT-MON-01", "credit_limit_paise": 5000000, "credit_days": 21}
	st, body = d.do("POST", "/api/outlets", outlet)
	if st != 400 || body["field"] != "gstin" || body["error"] != "GSTIN 29ABCDE1234F1ZX: the last character should be W" {
		t.Fatalf("bad GSTIN: %d %v", st, body)
	}
	outlet["gstin"] = "29ABCDE1234F1ZW"
	if st, body = d.do("POST", "/api/outlets", outlet); st != 201 || body["active"] != true {
		t.Fatalf("outlet: %d %v", st, body)
	}
	if st, _ = d.do("POST", "/api/outlets", outlet); st != 409 {
		t.Fatalf("duplicate: %d", st)
	}
	if st, _ = d.do("GET", "/api/outlets/NOPE", nil); st != 404 {
		t.Fatalf("unknown: %d", st)
	}
	st, body = d.do("PUT", "/api/outlets/sls01", map[string]any{"credit_days": 30})
	if st != 200 || body["credit_days"] != 30.0 || body["name"] != "Sri Lakshmi Stores" {
		t.Fatalf("update: %d %v", st, body)
	}
	st, body = d.do("POST", "/api/items", map[string]any{"code": "GD200", "name": "Good Day Cashew 200g", "brand": "Britannia",
		"category": "Biscuits/Cookies", "hsn": "19053100", "gst_rate_bp": "5%", "mrp_paise": 4000})
	if st != 400 || body["field"] != "gst_rate_bp" {
		t.Fatalf("text in a number field: %d %v", st, body)
	}
	st, body = d.do("POST", "/api/items", map[string]any{"code": "GD200", "name": "Good Day", "brand": "Britannia", "colour": "red"})
	if st != 400 || body["field"] != "colour" {
		t.Fatalf("unknown field: %d %v", st, body)
	}
	st, body = d.do("POST", "/api/items", "{\"code\": ")
	if st != 400 || body["field"] != "body" {
		t.Fatalf("malformed: %d %v", st, body)
	}
}

func TestTheDesktopBridgeIsTheSameDoor(t *testing.T) {
	d := newDoor(t)
	br := d.app.NewBridge(nil)
	if r := br.Call("GET", "/api/items", ""); r.Status != 401 {
		t.Fatalf("%+v", r)
	}
	r := br.Call("POST", "/api/login", `{"user":"admin","password":"admin-secret"}`)
	if r.Status != 200 {
		t.Fatalf("%+v", r)
	}
	if r := br.Call("GET", "/api/items", ""); r.Status != 200 || r.Body != "[]\n" {
		t.Fatalf("%+v", r)
	}
	if r := br.Call("POST", "/api/beats", `{"code":"B1","name":"Jayanagar","weekday":"Tue"}`); r.Status != 201 {
		t.Fatalf("%+v", r)
	}
}

func TestTheDesktopUploadsAFileLikeABrowserForm(t *testing.T) {
	d := newDoor(t)
	br := d.app.NewBridge(nil)
	br.Call("POST", "/api/login", `{"user":"admin","password":"admin-secret"}`)
	csv := "Code,Name,Weekday\nBEAT-MON-01,Jayanagar,Monday\n"
	r := br.Upload("POST", "/api/import/beats", "beats.csv", base64.StdEncoding.EncodeToString([]byte(csv)))
	if r.Status != 200 || !strings.Contains(r.Body, `"new":1`) {
		t.Fatalf("%+v", r)
	}
	if r := br.Call("GET", "/api/beats/BEAT-MON-01", ""); r.Status != 200 {
		t.Fatalf("the imported beat is missing: %+v", r)
	}
}
