package headoffice

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"vitaran/backend/book"
)

func TestDashboardPageBuiltOrEmbedded(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	get := func(r *Receiver, path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}

	built := fstest.MapFS{
		"ho.html":            {Data: []byte(`<!doctype html><script type="module" src="./assets/ho-abc.js"></script>`)},
		"index.html":         {Data: []byte("distributor app")},
		"assets/ho-abc.js":   {Data: []byte("console.log(1)")},
		"assets/sub/x.css":   {Data: []byte("body{}")},
		"assets/sub/.gitkep": {Data: nil},
	}
	r := NewReceiver(st, ReceiverOptions{Log: quiet(), Static: built})
	if w := get(r, "/"); w.Code != 200 || !strings.Contains(w.Body.String(), "assets/ho-abc.js") {
		t.Fatalf("GET / with a built frontend: %d %q", w.Code, w.Body.String())
	} else if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") {
		t.Fatalf("built page CSP allows inline scripts: %q", csp)
	}
	if w := get(r, "/assets/ho-abc.js"); w.Code != 200 || w.Body.String() != "console.log(1)" || !strings.Contains(w.Header().Get("Content-Type"), "javascript") {
		t.Fatalf("GET asset: %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	if w := get(r, "/assets/sub/x.css"); w.Code != 200 {
		t.Fatalf("GET nested asset: %d", w.Code)
	}
	for _, p := range []string{"/assets/", "/assets/sub", "/assets/missing.js", "/assets/..%2fho.html", "/index.html"} {
		if w := get(r, p); w.Code != http.StatusNotFound && w.Code != http.StatusMovedPermanently {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
	}
	if w := get(r, "/api/ho/summary"); w.Code != http.StatusUnauthorized {
		t.Fatalf("the JSON still needs a login: %d", w.Code)
	}

	// Without the built frontend (or without ho.html in it): the embedded page.
	for _, static := range []fstest.MapFS{nil, {"index.html": {Data: []byte("distributor app")}}} {
		opt := ReceiverOptions{Log: quiet()}
		if static != nil {
			opt.Static = static
		}
		r := NewReceiver(st, opt)
		if w := get(r, "/"); w.Code != 200 || w.Body.String() != string(dashboardPage) {
			t.Fatalf("GET / without ho.html: %d, not the embedded page", w.Code)
		}
		if w := get(r, "/assets/ho-abc.js"); w.Code != http.StatusNotFound {
			t.Fatalf("asset without a build: %d", w.Code)
		}
	}
}
