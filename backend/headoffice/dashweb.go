package headoffice

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The dashboard page. The built frontend (a second Vite entry, ho.html, with
// its hashed files under assets/) is served when ReceiverOptions.Static has
// it; otherwise the embedded dependency-free page (web/index.html) is, so a
// receiver built without the frontend still shows its numbers.

// builtCSP allows only the page's own scripts and styles (React sets inline
// style properties, hence 'unsafe-inline' for styles alone).
const builtCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// builtPage is the built frontend's ho.html, or nil when there is none.
func (r *Receiver) builtPage() []byte {
	if r.opt.Static == nil {
		return nil
	}
	b, err := fs.ReadFile(r.opt.Static, "ho.html")
	if err != nil || len(b) == 0 {
		return nil
	}
	return b
}

func securityHeaders(w http.ResponseWriter, csp string) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// page is GET /.
func (r *Receiver) page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if b := r.builtPage(); b != nil {
		securityHeaders(w, builtCSP)
		w.Write(b)
		return
	}
	securityHeaders(w, "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	w.Write(dashboardPage)
}

// asset is GET /assets/{file...}: the built page's scripts, styles and
// images. Their names carry a content hash, so they are cached for a year.
func (r *Receiver) asset(w http.ResponseWriter, req *http.Request) {
	name := req.PathValue("file")
	if r.opt.Static == nil || name == "" || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		http.NotFound(w, req)
		return
	}
	p := path.Join("assets", name)
	st, err := fs.Stat(r.opt.Static, p)
	if err != nil || st.IsDir() {
		http.NotFound(w, req)
		return
	}
	securityHeaders(w, builtCSP)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeFileFS(w, req, r.opt.Static, p)
}
