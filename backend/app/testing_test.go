package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
)

func init() { HashCost = 4 }

// door is a real HTTP server on 127.0.0.1 over a real book in a temp dir,
// and a client that logs in like the browser does.
type door struct {
	t    *testing.T
	app  *App
	srv  *httptest.Server
	c    *http.Client
	csrf string
}

func newDoor(t *testing.T) *door {
	t.Helper()
	a, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.EnsureAdmin("admin-secret"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler(nil))
	t.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	return &door{t: t, app: a, srv: srv, c: &http.Client{Jar: jar}}
}

func (d *door) login(user, pw string) int {
	st, body := d.do("POST", "/api/login", map[string]string{"user": user, "password": pw})
	if st == 200 {
		d.csrf = body["csrf_token"].(string)
	}
	return st
}

// do sends a JSON request and decodes a JSON object reply.
func (d *door) do(method, path string, in any) (int, map[string]any) {
	d.t.Helper()
	st, raw := d.raw(method, path, in)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return st, out
}

func (d *door) raw(method, path string, in any) (int, []byte) {
	d.t.Helper()
	var body io.Reader
	switch v := in.(type) {
	case nil:
	case string:
		body = bytes.NewBufferString(v)
	default:
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, d.srv.URL+path, body)
	req.Header.Set("Content-Type", "application/json")
	if d.csrf != "" {
		req.Header.Set("X-CSRF-Token", d.csrf)
	}
	resp, err := d.c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}
