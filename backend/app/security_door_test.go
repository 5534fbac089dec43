package app

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// clock is a fake clock for the app.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func withClock(d *door) *clock {
	c := &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, cal.IST)}
	d.app.Now = c.now
	return c
}
func (d *door) user(name, role, pw string) { d.t.Helper(); mustUser(d.t, d.app, name, role, pw) }

func mustUser(t *testing.T, a *App, name, role, pw string) {
	t.Helper()
	ctx := WithCaller(context.Background(), Caller{User: "admin", Role: RoleAdmin, From: "test"})
	if _, err := a.CreateUser(ctx, name, role, pw); err != nil {
		t.Fatal(err)
	}
}

func auditOf(t *testing.T, a *App, action string) []book.AuditEntry {
	t.Helper()
	var es []book.AuditEntry
	a.Book.View(func(tx *book.Tx) error {
		var err error
		es, err = tx.AuditLog(0, 0, func(e *book.AuditEntry) bool { return e.Action == action })
		return err
	})
	return es
}

// post sends a write with the given Origin and CSRF token.
func (d *door) post(path, body, origin, csrf string) int {
	d.t.Helper()
	req, _ := http.NewRequest("POST", d.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	resp, err := d.c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestAWriteNeedsTheCSRFTokenAndThisSitesOrigin(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	wrong := "x" + d.csrf[1:]
	if d.csrf[0] == 'x' { // a random token starts with x one time in 64
		wrong = "y" + d.csrf[1:]
	}
	beat := func(code string) string { return `{"code":"` + code + `","name":"Jayanagar","weekday":"monday"}` }
	for _, c := range []struct {
		name, origin, csrf string
		want               int
	}{
		{"no token", d.srv.URL, "", 403},
		{"a wrong token", d.srv.URL, wrong, 403},
		{"another site's page", "http://evil.example", d.csrf, 403},
		{"another port on this PC", "http://127.0.0.1:1", d.csrf, 403},
		{"this site", d.srv.URL, d.csrf, 201},
		{"a script without Origin (same token)", "", d.csrf, 201},
	} {
		if got := d.post("/api/beats", beat("B"+strings.ReplaceAll(c.name, " ", "")[:4]), c.origin, c.csrf); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// a page elsewhere cannot log a browser in either
	if got := d.post("/api/login", `{"user":"admin","password":"admin-secret"}`, "http://evil.example", ""); got != 403 {
		t.Errorf("cross-site login: %d", got)
	}
	// reads need no token
	d.csrf = ""
	if st, _ := d.do("GET", "/api/beats", nil); st != 200 {
		t.Errorf("read: %d", st)
	}
}

func TestASessionEndsWhenIdleAfterItsLifetimeAndAtLogout(t *testing.T) {
	d := newDoor(t)
	clk := withClock(d)
	d.login("admin", "admin-secret")
	clk.advance(SessionTTL - time.Minute)
	if st, _ := d.do("GET", "/api/me", nil); st != 200 {
		t.Fatalf("still working after a long lunch: %d", st)
	}
	clk.advance(SessionTTL + time.Minute)
	if st, _ := d.do("GET", "/api/me", nil); st != 401 {
		t.Fatalf("idle session still open: %d", st)
	}

	d.login("admin", "admin-secret")
	for h := 1; h < 24; h++ { // busy all day and night
		clk.advance(time.Hour)
		if st, _ := d.do("GET", "/api/me", nil); st != 200 {
			t.Fatalf("hour %d: %d", h, st)
		}
	}
	clk.advance(time.Hour)
	if st, _ := d.do("GET", "/api/me", nil); st != 401 {
		t.Fatalf("a session outlived its %v: %d", SessionLifetime, st)
	}

	d.login("admin", "admin-secret")
	if st, _ := d.do("POST", "/api/logout", nil); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	if st, _ := d.do("GET", "/api/me", nil); st != 401 {
		t.Fatalf("after logout: %d", st)
	}
	if out := auditOf(t, d.app, "logout"); len(out) != 1 || out[0].User != "admin" || out[0].From != "127.0.0.1" {
		t.Fatalf("logout audit: %+v", out)
	}
}

var refusedCount = regexp.MustCompile(`(\d+) tries refused while locked`)

func TestRepeatedWrongPasswordsSlowDownThenLockAndAreLogged(t *testing.T) {
	d := newDoor(t)
	clk := withClock(d)
	for i := 1; i <= 4; i++ {
		if st := d.login("admin", "guess-"+string(rune('0'+i))); st != 401 {
			t.Fatalf("try %d: %d", i, st)
		}
	}
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("four mistakes do not lock: %d", st)
	}
	// a success clears the count; five failures in a row lock for 2 s,
	// and each further failure doubles the wait, up to 15 minutes
	for i := 0; i < 5; i++ {
		d.login("admin", "guess")
	}
	st, body := d.do("POST", "/api/login", map[string]string{"user": "admin", "password": "admin-secret"})
	if st != 429 || !strings.Contains(body["error"].(string), "too many failed logins: try again in 2 seconds") {
		t.Fatalf("locked: %d %v", st, body)
	}
	var waits []string
	for i := 0; i < 11; i++ {
		clk.advance(16 * time.Minute)
		d.login("admin", "guess")
		_, body := d.do("POST", "/api/login", map[string]string{"user": "admin", "password": "admin-secret"})
		msg, _ := body["error"].(string)
		waits = append(waits, strings.TrimSuffix(strings.TrimPrefix(msg, "too many failed logins: try again in "), " seconds"))
	}
	if got := strings.Join(waits, " "); got != "4 8 16 32 64 128 256 512 900 900 900" {
		t.Fatalf("waits %s", got)
	}
	clk.advance(15*time.Minute + time.Second)
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatalf("after the lock: %d", st)
	}
	failed := auditOf(t, d.app, "login_failed")
	var locked, lockedOut int
	for _, e := range append(failed, auditOf(t, d.app, "login")...) {
		if e.From != "127.0.0.1" || e.User != "admin" {
			t.Fatalf("audit entry without who or where: %+v", e)
		}
		if strings.Contains(e.Note, "; locked for") {
			locked++
		}
		// A try refused while locked is counted into the next entry.
		if m := refusedCount.FindStringSubmatch(e.Note); m != nil {
			k, _ := strconv.Atoi(m[1])
			lockedOut += k
		}
	}
	if locked != 12 || lockedOut != 12 || len(failed) != 4+5+11 {
		t.Fatalf("audit: %d failures that locked, %d tries while locked, %d entries: %+v", locked, lockedOut, len(failed), failed)
	}
	if n := len(auditOf(t, d.app, "login")); n != 2 {
		t.Fatalf("%d successful logins audited", n)
	}
}

func TestPasswordChangeAndAdminReset(t *testing.T) {
	d := newDoor(t)
	d.user("ravi", RoleBilling, "ravi-pass-1")
	d.user("meena", RoleAccounts, "meena-pass")
	d.login("ravi", "ravi-pass-1")
	st, body := d.do("POST", "/api/users/ravi/password", map[string]string{"old_password": "wrong", "password": "ravi-pass-2"})
	if st != 400 || body["field"] != "old_password" {
		t.Fatalf("wrong old password: %d %v", st, body)
	}
	st, body = d.do("POST", "/api/users/ravi/password", map[string]string{"old_password": "ravi-pass-1", "password": "short"})
	if st != 400 || body["field"] != "password" {
		t.Fatalf("short password: %d %v", st, body)
	}
	if st, body = d.do("POST", "/api/users/meena/password", map[string]string{"password": "taken-over"}); st != 403 {
		t.Fatalf("a biller reset another's password: %d %v", st, body)
	}
	if st, _ = d.do("POST", "/api/users/ravi/password", map[string]string{"old_password": "ravi-pass-1", "password": "ravi-pass-2"}); st != 200 {
		t.Fatalf("change: %d", st)
	}
	if st, _ = d.do("GET", "/api/me", nil); st != 401 {
		t.Fatalf("sessions survive a password change: %d", st)
	}
	if d.login("ravi", "ravi-pass-1") != 401 || d.login("ravi", "ravi-pass-2") != 200 {
		t.Fatal("the new password is not the one that works")
	}
	d.login("admin", "admin-secret")
	if st, _ = d.do("POST", "/api/users/ravi/password", map[string]string{"password": "reset-by-admin"}); st != 200 {
		t.Fatalf("admin reset: %d", st)
	}
	if st, _ = d.do("POST", "/api/users", map[string]string{"user": "kiran", "role": "viewer", "password": "kiran-pass"}); st != 201 {
		t.Fatalf("create user: %d", st)
	}
	if d.login("ravi", "reset-by-admin") != 200 {
		t.Fatal("reset password does not work")
	}
	if st, _ = d.do("POST", "/api/users", map[string]string{"user": "x", "role": "admin", "password": "xxxxxxxx"}); st != 403 {
		t.Fatalf("a biller created a user: %d", st)
	}
	pw := auditOf(t, d.app, "password")
	if len(pw) != 2 || pw[0].Note != "changed own password" || pw[1].Note != "reset by admin" || pw[1].User != "admin" {
		t.Fatalf("password audit: %+v", pw)
	}
	for _, e := range pw {
		if strings.Contains(string(e.After)+string(e.Before), "hash") {
			t.Fatal("a password hash is in the audit log")
		}
	}
	if created := auditOf(t, d.app, "create"); len(created) < 4 || created[len(created)-1].Key != "kiran" || created[len(created)-1].From != "127.0.0.1" {
		t.Fatalf("user creation audit: %+v", created)
	}
	users, _ := d.app.ListUsers()
	for _, u := range users {
		if u.Hash != nil {
			t.Fatal("ListUsers hands out hashes")
		}
	}
}

func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	d := newDoor(t)
	for _, p := range []string{"/api/health", "/api/items", "/api/no-such-thing"} {
		req, _ := http.NewRequest("GET", d.srv.URL+p, nil)
		resp, err := d.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "same-origin" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: %v", p, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", p)
		}
		if strings.HasPrefix(p, "/api/items") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s may be cached", p)
		}
	}
}

func TestTheSessionCookieIsHttpOnlyAndStrict(t *testing.T) {
	d := newDoor(t)
	req, _ := http.NewRequest("POST", d.srv.URL+"/api/login", strings.NewReader(`{"user":"admin","password":"admin-secret"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sc := resp.Header.Get("Set-Cookie")
	if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") || strings.Contains(sc, "Secure") {
		t.Fatalf("Set-Cookie: %s", sc)
	}
}

func TestBadBodiesGet400NamingTheField(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	for _, c := range []struct {
		name, path, body, field, says string
	}{
		{"malformed", "/api/beats", `{"code": "B1",`, "body", "ends in the middle"},
		{"not JSON", "/api/beats", `code=B1`, "body", "malformed JSON"},
		{"empty", "/api/beats", ``, "body", "is empty"},
		{"two values", "/api/beats", `{"code":"B1","name":"x","weekday":"monday"} {}`, "body", "one JSON value"},
		{"a list for an object", "/api/beats", `[1,2]`, "body", "an object"},
		{"text in a number", "/api/outlets", `{"code":"O1","name":"x","state_code":"29","credit_days":"thirty"}`, "credit_days", "a whole number"},
		{"a number in text", "/api/beats", `{"code":5}`, "code", "text"},
		{"a fraction in paise", "/api/outlets", `{"code":"O1","credit_limit_paise":10.5}`, "credit_limit_paise", "whole number"},
		{"an unknown field", "/api/users", `{"user":"x","role":"viewer","password":"xxxxxxxx","is_admin":true}`, "is_admin", "not a known field"},
		{"too large", "/api/login", `{"user":"admin","password":"` + strings.Repeat("x", 5000) + `"}`, "body", "larger than"},
		{"a huge number", "/api/outlets", `{"code":"O1","credit_limit_paise":1e400}`, "credit_limit_paise", ""},
	} {
		st, raw := d.raw("POST", c.path, c.body)
		if st != 400 || !bytes.Contains(raw, []byte(`"field":"`+c.field+`"`)) || !bytes.Contains(raw, []byte(c.says)) {
			t.Errorf("%s: %d %s", c.name, st, raw)
		}
	}
	if _, raw := d.raw("GET", "/api/beats", nil); string(raw) != "[]\n" {
		t.Fatalf("bad bodies wrote: %s", raw) // nothing was written: the list is still empty
	}
}

func TestTheAuditTrailFiltersPagesAndExports(t *testing.T) {
	d := newDoor(t)
	d.user("ravi", RoleBilling, "ravi-pass-1")
	d.user("meena", RoleAccounts, "meena-pass")
	d.login("ravi", "wrong-pass")
	d.login("admin", "admin-secret")
	for _, b := range []string{"B1", "B2", "B3"} {
		d.do("POST", "/api/beats", map[string]string{"code": b, "name": "Jayanagar " + b, "weekday": "monday"})
	}
	d.do("PUT", "/api/beats/B2", map[string]string{"name": "Basavanagudi"})
	d.do("PUT", "/api/company", map[string]any{"name": "Sri Vijaya Distributors", "state_code": "29"})

	d.login("ravi", "ravi-pass-1")
	if st, _ := d.do("GET", "/api/audit", nil); st != 403 {
		t.Fatalf("a biller read the audit trail: %d", st)
	}
	d.login("meena", "meena-pass")
	get := func(q string) AuditPage {
		t.Helper()
		st, raw := d.raw("GET", "/api/audit?"+q, nil)
		if st != 200 {
			t.Fatalf("%s: %d %s", q, st, raw)
		}
		var p AuditPage
		if err := jsonUnmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := get("kind=beat&action=update"); len(p.Entries) != 1 || p.Entries[0].Key != "B2" ||
		!strings.Contains(string(p.Entries[0].Before), "Jayanagar B2") || !strings.Contains(string(p.Entries[0].After), "Basavanagudi") {
		t.Fatalf("before → after: %+v", p)
	}
	if p := get("action=login_failed"); len(p.Entries) != 1 || p.Entries[0].User != "ravi" || p.Entries[0].From != "127.0.0.1" {
		t.Fatalf("failed login: %+v", p)
	}
	if p := get("user=admin&kind=beat"); len(p.Entries) != 4 {
		t.Fatalf("admin's beat work: %d entries", len(p.Entries))
	}
	if p := get("q=basavanagudi"); len(p.Entries) != 1 {
		t.Fatalf("search: %+v", p)
	}
	today := cal.Today()
	if p := get("from=" + string(today) + "&to=" + string(today)); len(p.Entries) < 10 {
		t.Fatalf("today: %d entries", len(p.Entries))
	}
	if p := get("to=2020-01-01"); len(p.Entries) != 0 {
		t.Fatalf("before the book existed: %+v", p)
	}
	// paging: three at a time, no entry twice, none missed
	all := get("limit=1000&order=oldest").Entries
	var paged []uint64
	for after := uint64(0); ; {
		p := get("limit=3&after=" + strconv.FormatUint(after, 10))
		for _, e := range p.Entries {
			paged = append(paged, e.Seq)
		}
		if !p.More {
			break
		}
		after = p.NextAfter
	}
	if len(paged) != len(all) || paged[len(paged)-1] != all[len(all)-1].Seq {
		t.Fatalf("paged %v of %d", paged, len(all))
	}
	for _, q := range []struct{ q, field string }{{"from=01-06-2026", "from"}, {"limit=0", "limit"}, {"limit=5000", "limit"}, {"after=-1", "after"}, {"from=2026-06-02&to=2026-06-01", "to"}} {
		st, raw := d.raw("GET", "/api/audit?"+q.q, nil)
		if st != 400 || !bytes.Contains(raw, []byte(`"field":"`+q.field+`"`)) {
			t.Errorf("%s: %d %s", q.q, st, raw)
		}
	}

	st, raw := d.raw("GET", "/api/audit/export?kind=beat", nil)
	if st != 200 {
		t.Fatalf("export: %d %s", st, raw)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Audit trail")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || strings.Join(rows[0], "|") != "Seq|When (IST)|User|Role|From|Action|Kind|Key|Before|After|Note" ||
		rows[4][5] != "update" || rows[4][7] != "B2" || rows[4][2] != "admin" {
		t.Fatalf("export rows: %q", rows)
	}
}

func TestBackupsFromTheAPI(t *testing.T) {
	d := newDoor(t)
	d.user("meena", RoleAccounts, "meena-pass")
	d.login("meena", "meena-pass")
	if st, _ := d.do("POST", "/api/backups", nil); st != 403 {
		t.Fatalf("accounts took a backup: %d", st)
	}
	d.login("admin", "admin-secret")
	st, body := d.do("POST", "/api/backups", nil)
	if st != 201 || body["kind"] != "manual" || body["size"].(float64) < 1000 {
		t.Fatalf("backup now: %d %v", st, body)
	}
	st, body = d.do("GET", "/api/backups", nil)
	files, _ := body["files"].([]any)
	last, _ := body["last"].(map[string]any)
	if st != 200 || len(files) != 1 || last == nil || last["kind"] != "manual" || body["schedule"] != "30 13 * * *" {
		t.Fatalf("list: %d %v", st, body)
	}
	st, body = d.do("PUT", "/api/settings/backup", map[string]string{"folder": "", "schedule": "half past one"})
	if st != 400 || body["field"] != "schedule" {
		t.Fatalf("bad schedule: %d %v", st, body)
	}
	second := t.TempDir()
	if st, body = d.do("PUT", "/api/settings/backup", map[string]string{"folder": second, "schedule": "0 19 * * 1-6"}); st != 200 {
		t.Fatalf("settings: %d %v", st, body)
	}
	if st, body = d.do("GET", "/api/settings/backup", nil); body["folder"] != second || body["schedule"] != "0 19 * * 1-6" {
		t.Fatalf("settings read back: %d %v", st, body)
	}
	if st, body = d.do("POST", "/api/backups", nil); st != 201 || !strings.HasPrefix(body["path"].(string), second) {
		t.Fatalf("backup to the second disk: %d %v", st, body)
	}
	if n := len(auditOf(t, d.app, "backup")); n != 2 {
		t.Fatalf("%d backups audited", n)
	}
	if s := auditOf(t, d.app, "setting"); len(s) != 1 || s[0].Kind != "backup" || s[0].User != "admin" {
		t.Fatalf("setting audit: %+v", s)
	}
}
