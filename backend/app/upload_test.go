package app

import (
	"net/http/httptest"
	"strings"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/demo"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
)

// testHeadOffice starts a head-office receiver with distributor D001 and
// returns its store, D001's key and the server; both close when the test ends.
func testHeadOffice(t *testing.T, opt headoffice.ReceiverOptions) (*headoffice.BookStore, string, *httptest.Server) {
	t.Helper()
	store, err := headoffice.OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	key, err := headoffice.AddDistributor(store, "D001", "South", "")
	if err != nil {
		t.Fatal(err)
	}
	ho := httptest.NewServer(headoffice.NewReceiver(store, opt).Handler())
	t.Cleanup(ho.Close)
	return store, key, ho
}

// The admin sets the upload settings (the key never comes back), and
// "Upload now" sends the book's batch to a real receiver; the status then
// shows the upload and nothing waiting.
func TestUploadSettingsThenUploadNow(t *testing.T) {
	store, key, ho := testHeadOffice(t, headoffice.ReceiverOptions{})

	d := newDoor(t)
	if err := demo.Masters(d.app.Book, demo.Sizes["small"], 1); err != nil {
		t.Fatal(err)
	}
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("login: %d", st)
	}
	if st, body := d.do("PUT", "/api/upload/settings", map[string]string{"url": "ftp://x", "distributor_code": "D001", "key": key}); st != 400 || !strings.Contains(body["error"].(string)+body["field"].(string), "url") {
		t.Fatalf("bad url: %d %v", st, body)
	}
	st, body := d.do("PUT", "/api/upload/settings", map[string]string{"url": ho.URL, "distributor_code": "D001", "key": key})
	if st != 200 || body["key"] != nil || body["key_set"] != true || body["key_hint"] != "…"+key[60:] {
		t.Fatalf("settings: %d %v", st, body)
	}
	// Changing the schedule keeps the key.
	if st, body = d.do("PUT", "/api/upload/settings", map[string]string{"url": ho.URL, "distributor_code": "D001", "schedule": "0 22 * * *"}); st != 200 || body["key_set"] != true {
		t.Fatalf("schedule only: %d %v", st, body)
	}
	if st, body = d.do("POST", "/api/upload/now", nil); st != 200 || body["error"] != nil {
		t.Fatalf("upload now: %d %v", st, body)
	}
	if st, body = d.do("GET", "/api/upload/status", nil); st != 200 || body["last_success"] == nil || body["waiting"].(float64) != 0 || body["next_run"] == nil {
		t.Fatalf("status: %d %v", st, body)
	}
	stats, _ := headoffice.Stats(store)
	var outlets int
	store.Outlets("D001", func(wire.Outlet) error { outlets++; return nil })
	if stats[0].Batches != 1 || outlets != demo.Sizes["small"].Outlets {
		t.Logf("outlets at head office: %d", outlets)
		t.Fatalf("head office has %+v", stats)
	}
	// The schedule starts and stops cleanly.
	stop := StartUploads(d.app)
	stop()
}
