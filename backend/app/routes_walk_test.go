package app

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"vitaran/backend/book"
)

// concrete fills a route pattern's wildcards: /api/items/{code} → /api/items/X1.
func concrete(pattern string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(pattern, "X1")
}

// sessionFor logs a user of the role in without a password (the door under
// test is the role check, not the login).
func (d *door) sessionFor(role string) *Session {
	now := d.app.Now()
	ss := &Session{Token: randomToken(32), CSRF: randomToken(24), User: role + "-user", Role: role, From: "127.0.0.1",
		Expires: now.Add(SessionTTL), Started: now}
	d.app.sessions.put(ss)
	return ss
}

func (d *door) send(method, path, body string, ss *Session) (*http.Response, []byte, error) {
	req, _ := http.NewRequest(method, d.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", d.srv.URL)
	if ss != nil {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ss.Token})
		req.Header.Set("X-CSRF-Token", ss.CSRF)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp, nil, nil // a stream: the headers are the answer
	}
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

// Every route registered now or later: without a session 401 (unless it
// is public), with a role the route does not list 403, and with a role it
// lists the door lets the call through to the method.
func TestEveryRouteLetsInExactlyTheRolesItNames(t *testing.T) {
	d := newDoor(t)
	routes := d.app.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	// The same routes, each with a method that only says it was reached.
	reached := &App{Book: d.app.Book, DataDir: d.app.DataDir, sessions: d.app.sessions, events: d.app.events, throttle: d.app.throttle, Now: d.app.Now}
	mux := http.NewServeMux()
	for _, r := range routes {
		r := r
		r.Do = func(c *Call) (any, error) { return map[string]string{"reached": r.Method + " " + r.Path}, nil }
		mux.Handle(r.Method+" "+r.Path, reached.serveRoute(r))
	}
	stub := httptest.NewServer(mux)
	defer stub.Close()
	sd := &door{t: t, app: reached, srv: stub}

	for _, r := range routes {
		path := concrete(r.Path)
		name := r.Method + " " + r.Path
		if r.Roles == nil {
			resp, _, err := sd.send(r.Method, path, "{}", nil)
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("%s is public but the door answered %v %v", name, resp.StatusCode, err)
			}
			continue
		}
		resp, raw, err := d.send(r.Method, path, "{}", nil)
		if err != nil {
			t.Errorf("%s without a session: %v", name, err)
		} else if resp.StatusCode != 401 {
			t.Errorf("%s without a session: %d %s", name, resp.StatusCode, raw)
		}
		for _, role := range Roles {
			if !allowed(r.Roles, role) {
				resp, raw, err := d.send(r.Method, path, "{}", d.sessionFor(role))
				if err != nil || resp.StatusCode != 403 || !strings.Contains(string(raw), "role may not") {
					t.Errorf("%s as %s: want 403, got %v %s %v", name, role, resp.StatusCode, raw, err)
				}
				continue
			}
			resp, raw, err := sd.send(r.Method, path, "{}", sd.sessionFor(role))
			if err != nil || resp.StatusCode != 200 || !strings.Contains(string(raw), `"reached"`) {
				t.Errorf("%s as %s: the door did not let it through: %v %s %v", name, role, resp.StatusCode, raw, err)
			}
		}
	}
}

// auditSnapshot is every audit entry's stored bytes by key.
func auditSnapshot(t *testing.T, b *book.Book) (map[string]string, uint64) {
	t.Helper()
	m := map[string]string{}
	var seq uint64
	err := b.View(func(tx *book.Tx) error {
		bk := tx.Bucket("audit")
		seq = bk.Seq()
		return bk.Scan("", func(k string, v []byte) (bool, error) { m[k] = string(v); return true, nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, seq
}

// No route can change or delete an audit entry: every route is called as
// an admin with a few bodies, and after each call every earlier entry is
// byte for byte as it was and the log has no gaps.
func TestNoRouteChangesOrDeletesAnAuditEntry(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	d.do("POST", "/api/beats", map[string]string{"code": "B1", "name": "Jayanagar", "weekday": "monday"})
	d.do("PUT", "/api/company", map[string]any{"name": "Sri Vijaya Distributors", "state_code": "29"})
	d.login("admin", "wrong-password")
	bodies := []string{"{}", `{"code":"X1","name":"x","user":"admin","password":"admin-secret-2","to":""}`, "null", "[]", `{"seq":1,"action":"delete"}`}
	for _, r := range d.app.Routes() {
		for _, body := range bodies {
			before, _ := auditSnapshot(t, d.app.Book)
			_, _, err := d.send(r.Method, concrete(r.Path), body, d.sessionFor(RoleAdmin))
			if err != nil {
				t.Errorf("%s %s %s: %v", r.Method, r.Path, body, err)
			}
			after, seq := auditSnapshot(t, d.app.Book)
			for k, v := range before {
				if after[k] != v {
					t.Fatalf("%s %s with %s changed or deleted audit entry %s", r.Method, r.Path, body, k)
				}
			}
			if uint64(len(after)) != seq {
				t.Fatalf("%s %s: %d entries for sequence %d: the log has a gap", r.Method, r.Path, len(after), seq)
			}
		}
	}
	if _, seq := auditSnapshot(t, d.app.Book); seq < 5 {
		t.Fatalf("only %d audit entries: the walk recorded nothing", seq)
	}
}

// Only the book package touches the audit bucket; everything else goes
// through tx.Audit, which appends.
func TestOnlyTheBookWritesTheAuditBucket(t *testing.T) {
	root := filepath.Join("..", "..")
	allowed := map[string]bool{filepath.Join("backend", "book", "book.go"): true, filepath.Join("backend", "book", "audit.go"): true}
	raw := regexp.MustCompile(`Bucket\(\s*"audit"\s*\)`)
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == "node_modules" || e.Name() == ".git" || e.Name() == "frontend") {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if raw.Match(src) && !allowed[rel] {
			t.Errorf("%s opens the audit bucket directly: append with tx.Audit instead", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
