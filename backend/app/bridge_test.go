package app

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// Saving a schedule of TZ=0 panicked inside robfig/cron; through the desktop
// bridge, which had no recover, that would take the whole app down.
func TestBadSchedulesAreRefusedAndTheBridgeSurvivesAPanic(t *testing.T) {
	d := newDoor(t)
	br := d.app.NewBridge(nil)
	if r := br.Call("POST", "/api/login", `{"user":"admin","password":"admin-secret"}`); r.Status != 200 {
		t.Fatalf("login: %+v", r)
	}
	for _, spec := range []string{"TZ=0", "TZ=", "CRON_TZ=", "TZ=UTC", "CRON_TZ=Asia/Kolkata 30 13 * * *", "tz=0 1 2 3 4 5", "@every 1s", "@reboot", "1 2 3 4", "1 2 3 4 5 6", "30 13 * * * ;", strings.Repeat("1", 200)} {
		body, _ := json.Marshal(map[string]string{"schedule": spec})
		r := br.Call("PUT", "/api/settings/backup", string(body))
		var out map[string]any
		json.Unmarshal([]byte(r.Body), &out)
		if r.Status != 400 || out["field"] != "schedule" {
			t.Errorf("schedule %q: %d %s", spec, r.Status, r.Body)
		}
	}
	for _, spec := range []string{"0 19 * * *", "@daily", "*/30 9-18 * * mon-sat"} {
		body, _ := json.Marshal(map[string]string{"schedule": spec})
		if r := br.Call("PUT", "/api/settings/backup", string(body)); r.Status != 200 {
			t.Errorf("schedule %q: %d %s", spec, r.Status, r.Body)
		}
	}

	// Any panic in a handler is a 500 with its stack in the log.
	var logged bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	bad := &Bridge{h: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("a handler bug")
	})}
	r := bad.Call("GET", "/api/anything", "")
	if r.Status != 500 || !strings.Contains(r.Body, "error") {
		t.Fatalf("%+v", r)
	}
	if s := logged.String(); !strings.Contains(s, "panicked") || !strings.Contains(s, "bridge_test.go") {
		t.Fatalf("no trace logged: %s", s)
	}
	// The bridge still answers afterwards.
	if r := br.Call("GET", "/api/settings/backup", ""); r.Status != 200 {
		t.Fatalf("%+v", r)
	}
}
