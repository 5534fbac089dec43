package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
)

// Bridge is the desktop door: the Wails window calls Call, which runs the
// very same HTTP handler in-process (no socket), keeping the session cookie
// itself. The frontend cannot tell which door it uses.
type Bridge struct {
	h      http.Handler
	mu     sync.Mutex
	cookie string
}

// Reply is a response handed back to the desktop frontend. Bodies that are
// not text (an .xlsx download) come base64-encoded.
type Reply struct {
	Status      int    `json:"status"`
	Body        string `json:"body"`
	ContentType string `json:"content_type"`
	Base64      bool   `json:"base64"`
	Filename    string `json:"filename,omitempty"`
}

// NewBridge serves the app's handler to the desktop window.
func (a *App) NewBridge(static fs.FS) *Bridge { return &Bridge{h: a.Handler(static)} }

// Call runs one API request.
func (b *Bridge) Call(method, path, body string) Reply {
	return b.do(method, path, "application/json", strings.NewReader(body))
}

// Upload sends a file (an import, a scheme circular) as the multipart field
// "file", exactly as a browser's form would. data is the file's bytes in
// base64, which is how the window hands bytes to Go.
func (b *Bridge) Upload(method, path, filename, data string) Reply {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return Reply{Status: 400, Body: `{"error":"the file did not arrive whole: try again","field":"file"}`, ContentType: "application/json"}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", filename)
	if err == nil {
		_, err = part.Write(raw)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return Reply{Status: 500, Body: `{"error":"could not prepare the upload"}`, ContentType: "application/json"}
	}
	return b.do(method, path, mw.FormDataContentType(), &body)
}

func (b *Bridge) do(method, path, contentType string, body io.Reader) Reply {
	if !strings.HasPrefix(path, "/api/") {
		return Reply{Status: 404, Body: `{"error":"not an API path"}`, ContentType: "application/json"}
	}
	req, err := http.NewRequest(method, "http://desktop"+path, body)
	if err != nil {
		return Reply{Status: 400, Body: `{"error":"bad request"}`, ContentType: "application/json"}
	}
	req = req.WithContext(context.WithValue(req.Context(), desktopKey{}, true))
	req.RemoteAddr = "desktop"
	req.Header.Set("X-Vitaran-Desktop", "1")
	req.Header.Set("Content-Type", contentType)
	b.mu.Lock()
	if b.cookie != "" {
		req.Header.Set("Cookie", b.cookie)
	}
	b.mu.Unlock()
	rec := &recorder{header: http.Header{}, status: 200}
	if !b.serve(rec, req) {
		return Reply{Status: 500, Body: `{"error":"the app hit an internal error; it was logged, and nothing was saved by this request unless it said so"}`, ContentType: "application/json"}
	}
	for _, c := range (&http.Response{Header: rec.header}).Cookies() {
		if c.Name == sessionCookie {
			b.mu.Lock()
			if c.MaxAge < 0 || c.Value == "" {
				b.cookie = ""
			} else {
				b.cookie = sessionCookie + "=" + c.Value
			}
			b.mu.Unlock()
		}
	}
	ct := rec.header.Get("Content-Type")
	r := Reply{Status: rec.status, ContentType: ct}
	if strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/") {
		r.Body = rec.body.String()
	} else {
		r.Body = base64.StdEncoding.EncodeToString(rec.body.Bytes())
		r.Base64 = true
		if _, params, ok := strings.Cut(rec.header.Get("Content-Disposition"), "filename="); ok {
			r.Filename = strings.Trim(params, `"`)
		}
	}
	return r
}

// serve runs the handler, recovering a panic: in the desktop window there
// is no net/http server to catch it, so one bad handler would take the
// whole app down. The panic and its stack are logged; false means the
// request failed.
func (b *Bridge) serve(rec *recorder, req *http.Request) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("desktop request panicked", "method", req.Method, "path", req.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			ok = false
		}
	}()
	b.h.ServeHTTP(rec, req)
	return true
}

// desktopKey marks a request that came through the Bridge, in-process: no
// browser, so no cross-site request to guard against.
type desktopKey struct{}

func fromDesktop(r *http.Request) bool { v, _ := r.Context().Value(desktopKey{}).(bool); return v }

type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.body.Write(p)
}
func (r *recorder) WriteHeader(s int) {
	if !r.wrote {
		r.status = s
		r.wrote = true
	}
}
