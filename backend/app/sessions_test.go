package app

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"vitaran/backend/book"
)

// A restart logged out every clerk mid-bill: sessions lived in memory
// only. They are now kept in the book (by the token's hash, never the
// token), so they survive a restart; logout and a password change end them
// for good.
func TestSessionsSurviveARestart(t *testing.T) {
	d := newDoor(t)
	if st := d.login("admin", "admin-secret"); st != 200 {
		t.Fatal(st)
	}
	csrf := d.csrf
	cookies := d.c.Jar.Cookies(mustURL(d.srv.URL))
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	token := cookies[0].Value
	restart := func() {
		t.Helper()
		d.srv.Close()
		dir := d.app.DataDir
		if err := d.app.Close(); err != nil {
			t.Fatal(err)
		}
		a, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d.app = a
		d.srv = httptest.NewServer(a.Handler(nil))
		t.Cleanup(func() { d.srv.Close(); a.Close() })
		d.c.Jar.SetCookies(mustURL(d.srv.URL), cookies)
	}
	restart()
	st, body := d.do("GET", "/api/me", nil)
	if st != 200 || body["user"] != "admin" || body["csrf_token"] != csrf {
		t.Fatalf("after a restart: %d %v", st, body)
	}
	// a write with the same CSRF token works
	if st, body := d.do("POST", "/api/beats", map[string]string{"code": "B1", "name": "Jayanagar", "weekday": "monday"}); st >= 400 {
		t.Fatalf("a write after the restart: %d %v", st, body)
	}
	// the book never holds the token itself
	d.app.Book.View(func(tx *book.Tx) error {
		return tx.Bucket(bSessions).Scan("", func(k string, v []byte) (bool, error) {
			if strings.Contains(k, token) || strings.Contains(string(v), token) {
				t.Fatal("the session token is in the book")
			}
			return true, nil
		})
	})
	if st, _ := d.do("POST", "/api/logout", nil); st != 200 {
		t.Fatal(st)
	}
	restart()
	if st, _ := d.do("GET", "/api/me", nil); st != 401 {
		t.Fatalf("a logged-out session after a restart: %d", st)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
