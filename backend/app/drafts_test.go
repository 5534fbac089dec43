package app

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// A bill in progress is kept in the book per user: it survives the server
// going away (an app restart), another user never sees it, and a wrong kind
// or a body that is not one JSON object is refused naming the field.
func TestADraftIsKeptPerUserAcrossARestart(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.EnsureAdmin("admin-secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateUser(context.Background(), "clerk1", RoleBilling, "clerk1-secret"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler(nil))
	d := &door{t: t, app: a, srv: srv, c: newDoor(t).c}
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login %d", st)
	}
	if st, body := d.do("GET", "/api/drafts/invoice", nil); st != 200 || body["draft"] != nil {
		t.Fatalf("no draft yet: %d %v", st, body)
	}
	bill := `{"outlet":"SLS01","rows":[{"item":"GD200","cs":"1","pcs":""}]}`
	if st, raw := d.raw("PUT", "/api/drafts/invoice", bill); st != 200 {
		t.Fatalf("put %d %s", st, raw)
	}
	for _, bad := range []struct{ path, body, field string }{
		{"/api/drafts/invoice", `[1,2]`, "body"},
		{"/api/drafts/invoice", `{"rows":`, "body"},
		{"/api/drafts/Bad_Kind", `{}`, "kind"},
	} {
		st, body := d.do("PUT", bad.path, bad.body)
		if st != 400 || body["field"] != bad.field {
			t.Errorf("PUT %s %s: %d %v, want 400 naming %s", bad.path, bad.body, st, body, bad.field)
		}
	}
	srv.Close()
	a.Close()

	// Restart: a new App on the same folder.
	a2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a2.Close()
	srv2 := httptest.NewServer(a2.Handler(nil))
	defer srv2.Close()
	d2 := &door{t: t, app: a2, srv: srv2, c: newDoor(t).c}
	if st := d2.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login %d", st)
	}
	st, raw := d2.raw("GET", "/api/drafts/invoice", nil)
	var got Draft
	if err := json.Unmarshal(raw, &got); st != 200 || err != nil {
		t.Fatalf("get after restart %d %s", st, raw)
	}
	if got.User != "admin" || got.Kind != "invoice" || !strings.Contains(string(got.Draft), `"GD200"`) {
		t.Fatalf("draft after restart: %s", raw)
	}

	other := &door{t: t, app: a2, srv: srv2, c: newDoor(t).c}
	if st := other.login("clerk1", "clerk1-secret"); st != 200 {
		t.Fatalf("clerk login %d", st)
	}
	if _, body := other.do("GET", "/api/drafts/invoice", nil); body["draft"] != nil {
		t.Fatalf("another user sees the draft: %v", body)
	}

	if st, _ := d2.do("DELETE", "/api/drafts/invoice", nil); st != 200 {
		t.Fatalf("delete %d", st)
	}
	if _, body := d2.do("GET", "/api/drafts/invoice", nil); body["draft"] != nil {
		t.Fatalf("deleted draft still there: %v", body)
	}
}
