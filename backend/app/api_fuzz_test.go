package app

import (
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzDoor is the handler over a fresh book with an admin session, called
// in-process so the fuzzer runs fast.
type fuzzDoor struct {
	app *App
	h   http.Handler
	ss  *Session
}

func newFuzzDoor(f *testing.F) *fuzzDoor {
	a, err := Open(f.TempDir(), Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { a.Close() })
	if _, err := a.EnsureAdmin("admin-secret"); err != nil {
		f.Fatal(err)
	}
	ss := &Session{Token: randomToken(32), CSRF: randomToken(24), User: "admin", Role: RoleAdmin, From: "127.0.0.1",
		Expires: a.Now().Add(SessionLifetime), Started: a.Now()}
	a.sessions.put(ss)
	return &fuzzDoor{app: a, h: a.Handler(nil), ss: ss}
}

func (d *fuzzDoor) digest(t *testing.T) [32]byte {
	h := sha256.New()
	if _, err := d.app.Book.WriteTo(h); err != nil {
		t.Fatal(err)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// call sends body to method path and checks the door never fails with a
// 500 and that a refused request wrote nothing.
func (d *fuzzDoor) call(t *testing.T, method, path, body string, unchangedOn4xx bool) {
	before := d.digest(t)
	path, query, _ := strings.Cut(path, "?")
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.URL.RawQuery = query
	req.RemoteAddr = "127.0.0.1:5000"
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: d.ss.Token})
	req.Header.Set("X-CSRF-Token", d.ss.CSRF)
	rec := httptest.NewRecorder()
	d.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s %q: %d %s", method, path, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 && unchangedOn4xx && d.digest(t) != before {
		t.Fatalf("%s %s %q was refused with %d but changed the book", method, path, body, rec.Code)
	}
}

func seeds(f *testing.F, bodies ...string) {
	for _, b := range append(bodies, "", "{}", "null", "[]", `{"code":`, "\x00", `{"code":"A","code":"B"}`, `"text"`, "1e999", `{"a":{"b":[[[[]]]]}}`) {
		f.Add(b)
	}
}

func FuzzLoginBody(f *testing.F) {
	d := newFuzzDoor(f)
	seeds(f, `{"user":"admin","password":"admin-secret"}`, `{"user":"admin","password":1}`, `{"user":"ADMIN ","password":"x","extra":true}`)
	f.Fuzz(func(t *testing.T, body string) {
		d.call(t, "POST", "/api/login", body, false) // a failed login is audited: that is a write
	})
}

func FuzzOutletBody(f *testing.F) {
	d := newFuzzDoor(f)
	seeds(f, `{"code":"SLS01","name":"Sri Lakshmi Stores","state_code":"29","gstin":"29ABCDE1234F1ZW","credit_limit_paise":5000000,"credit_days":21}`,
		`{"code":"O1","name":"x","state_code":"99"}`, `{"code":"O1","credit_limit_paise":-1}`, `{"code":"O1","credit_days":"x"}`)
	f.Fuzz(func(t *testing.T, body string) {
		d.call(t, "POST", "/api/outlets", body, true)
	})
}

func FuzzItemBody(f *testing.F) {
	d := newFuzzDoor(f)
	seeds(f, `{"code":"GD200","name":"Good Day Cashew 200g","brand":"Britannia","category":"Biscuits/Cookies","hsn":"19053100","gst_rate_bp":500,"mrp_paise":4000,"unit":"pcs","case_size":48,"price_paise":3400}`,
		`{"code":"GD200","gst_rate_bp":"5%"}`, `{"code":"GD200","hsn":"12"}`, `{"code":"X","gst_rates":[{"rate_bp":1800,"from":"2025-13-01"}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		d.call(t, "POST", "/api/items", body, true)
	})
}

func FuzzCompanyAndUserBodies(f *testing.F) {
	d := newFuzzDoor(f)
	seeds(f, `{"name":"Sri Vijaya Distributors","state_code":"29","gstin":"29ABCDE1234F1ZW","fy_start_month":4}`,
		`{"user":"ravi","role":"billing","password":"ravi-pass-1"}`, `{"user":"a b","role":"root","password":"x"}`)
	f.Fuzz(func(t *testing.T, body string) {
		d.call(t, "PUT", "/api/company", body, true)
		d.call(t, "POST", "/api/users", body, true)
	})
}

func FuzzAuditQuery(f *testing.F) {
	d := newFuzzDoor(f)
	for _, q := range []string{"", "from=2026-01-01&to=2026-12-31", "limit=0", "after=99999999999999999999", "q=%00%ff", "kind=item&action=create&user=admin", "from=2026-02-30"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		d.call(t, "GET", "/api/audit?"+q, "", true)
	})
}
