package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/fail"
)

// Route is one endpoint of the API: who may call it and what it does.
type Route struct {
	Method string
	Path   string // net/http pattern path, e.g. /api/items/{code}
	// Roles that may call it; empty means the route is public (no login).
	Roles []string
	// MaxBody caps the request body (default 1 MiB).
	MaxBody int64
	Do      func(c *Call) (any, error)
}

// Role sets used by routes.
var (
	anyone    = []string{RoleAdmin, RoleBilling, RoleAccounts, RoleViewer}
	adminOnly = []string{RoleAdmin}
	clerks    = []string{RoleAdmin, RoleBilling, RoleAccounts}
	billers   = []string{RoleAdmin, RoleBilling}
	accounts  = []string{RoleAdmin, RoleAccounts}
	public    = []string(nil)
)

// Call is one request on its way to a facade method.
type Call struct {
	Ctx     context.Context
	R       *http.Request
	W       http.ResponseWriter
	Session *Session
	app     *App
}

// Created wraps a value answered with 201.
type Created struct{ V any }

// File is a download (an .xlsx export, a template, a PDF).
type File struct {
	Name        string
	ContentType string
	Body        []byte
}

// Streamed means the handler wrote the response itself.
type Streamed struct{}

// Param is a path wildcard, unescaped ("SI%2F26-27%2F000001" → "SI/26-27/000001").
func (c *Call) Param(name string) string { return c.R.PathValue(name) }

// Query is a query-string value.
func (c *Call) Query(name string) string { return strings.TrimSpace(c.R.URL.Query().Get(name)) }

// Buffer reads the whole body now, so a later Decode inside a write
// transaction never waits on the network while holding the book's lock.
func (c *Call) Buffer() error {
	raw, err := io.ReadAll(c.R.Body)
	if err != nil {
		return decodeError(err)
	}
	c.R.Body = io.NopCloser(bytes.NewReader(raw))
	return nil
}

// Decode reads the JSON body into v strictly: unknown fields, wrong types and
// malformed JSON are refused naming the field.
func (c *Call) Decode(v any) error {
	dec := json.NewDecoder(c.R.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return fail.Invalid("body", "must be one JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail.Invalid("body", "must be one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fail.Invalid("body", "is larger than %d bytes", tooBig.Limit)
	case errors.As(err, &syn):
		return fail.Invalid("body", "malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return fail.Invalid(field, "must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.EOF):
		return fail.Invalid("body", "is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fail.Invalid("body", "ends in the middle of the JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fail.Invalid(f, "is not a known field")
	}
	return fail.Invalid("body", "%v", err)
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "int32", "uint64", "float64":
		return "a whole number"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return k
}

// Handler is the API and the frontend behind one http.Handler. static is the
// built frontend (nil serves only the API).
func (a *App) Handler(static fs.FS) http.Handler {
	mux := http.NewServeMux()
	for _, r := range a.Routes() {
		mux.Handle(r.Method+" "+r.Path, a.serveRoute(r))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
	if static != nil {
		mux.Handle("/", spa(static))
	}
	return securityHeaders(mux)
}

type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

const sessionCookie = "vitaran_session"

func (a *App) serveRoute(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		limit := rt.MaxBody
		if limit == 0 {
			limit = 1 << 20
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		c := &Call{Ctx: r.Context(), R: r, W: w, app: a}
		if rt.Roles != nil && a.localCall(r) {
			c.Session = &Session{User: "local", Role: RoleAdmin, From: "local"}
			c.Ctx = WithCaller(r.Context(), Caller{User: "local", Role: RoleAdmin, From: "local"})
		} else if rt.Roles != nil {
			ss := a.sessionOf(r)
			if ss == nil {
				writeError(w, fail.Unauthorized("log in first"))
				return
			}
			if !allowed(rt.Roles, ss.Role) {
				writeError(w, fail.Forbidden("the %s role may not %s %s", ss.Role, r.Method, r.URL.Path))
				return
			}
			if r.Method != http.MethodGet && r.Method != http.MethodHead && !fromDesktop(r) {
				if !sameOrigin(r) {
					writeError(w, fail.Forbidden("cross-site request refused"))
					return
				}
				if !sameToken(r.Header.Get("X-CSRF-Token"), ss.CSRF) {
					writeError(w, fail.Forbidden("missing or wrong X-CSRF-Token header: reload the page"))
					return
				}
			}
			c.Session = ss
			c.Ctx = WithCaller(r.Context(), Caller{User: ss.User, Role: ss.Role, From: ss.From})
		}
		v, err := rt.Do(c)
		if err != nil {
			writeError(w, err)
			return
		}
		switch x := v.(type) {
		case Streamed:
		case Created:
			writeJSON(w, http.StatusCreated, x.V)
		case File:
			w.Header().Set("Content-Type", x.ContentType)
			w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", x.Name))
			w.Write(x.Body)
		case nil:
			writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
		default:
			writeJSON(w, http.StatusOK, v)
		}
	})
}

func allowed(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// sameOrigin refuses a state-changing request whose Origin (or Referer) names
// another host: a page elsewhere cannot drive a logged-in browser.
func sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	if src == "" || fromDesktop(r) {
		return true
	}
	u, err := url.Parse(src)
	if err != nil {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return strings.EqualFold(u.Scheme, scheme) && strings.EqualFold(u.Host, r.Host)
}

// localCall reports whether r carries the instance's local token (a command
// run by the same OS user on this PC, e.g. vitaran backup).
func (a *App) localCall(r *http.Request) bool {
	t := r.Header.Get("X-Vitaran-Local-Token")
	if t == "" {
		return false
	}
	a.mu.Lock()
	want := a.localToken
	a.mu.Unlock()
	return want != "" && sameToken(t, want)
}

func (a *App) sessionOf(r *http.Request) *Session {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	ss, ok := a.sessions.get(ck.Value, a.Now())
	if !ok {
		return nil
	}
	return ss
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// StatusOf maps an error to its HTTP status.
func StatusOf(err error) int {
	e, ok := fail.As(err)
	if !ok {
		return http.StatusInternalServerError
	}
	switch e.Kind {
	case fail.KindInvalid:
		return http.StatusBadRequest
	case fail.KindNotFound:
		return http.StatusNotFound
	case fail.KindConflict:
		return http.StatusConflict
	case fail.KindForbidden:
		return http.StatusForbidden
	case fail.KindUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, err error) {
	status := StatusOf(err)
	if status == http.StatusInternalServerError {
		slog.Error("request failed", "err", err)
		writeJSON(w, status, errorBody{Error: "internal error: " + err.Error()})
		return
	}
	e, _ := fail.As(err)
	writeJSON(w, status, errorBody{Error: e.Reason, Field: e.Field})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// spa serves the built frontend, answering unknown paths with index.html so
// client-side routes survive a reload.
func spa(static fs.FS) http.Handler {
	files := http.FileServer(http.FS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		if p != "" {
			if _, err := fs.Stat(static, p); err == nil {
				files.ServeHTTP(w, r)
				return
			}
		}
		index, err := fs.ReadFile(static, "index.html")
		if err != nil {
			http.Error(w, "the frontend is not built: run make setup", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(index)
	})
}

// clientAddr is the caller's address for the audit log and throttling.
func clientAddr(r *http.Request) string {
	if fromDesktop(r) {
		return "desktop"
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// sessionRoutes: login, logout, who am I, health, users, progress events.
// getHealth answers GET /api/health.
func (a *App) getHealth(c *Call) (any, error) {
	return map[string]any{"ok": true, "version": Version}, nil
}

// postLogin answers POST /api/login.
func (a *App) postLogin(c *Call) (any, error) {
	var in struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	if !sameOrigin(c.R) {
		return nil, fail.Forbidden("cross-site login refused")
	}
	ss, err := a.Login(in.User, in.Password, clientAddr(c.R))
	if th := (*Throttled)(nil); errors.As(err, &th) {
		c.W.Header().Set("Retry-After", strconv.Itoa(th.Seconds()))
		writeJSON(c.W, http.StatusTooManyRequests, errorBody{Error: th.Error()})
		return Streamed{}, nil
	}
	if err != nil {
		return nil, err
	}
	http.SetCookie(c.W, &http.Cookie{Name: sessionCookie, Value: ss.Token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.R.TLS != nil})
	return a.me(ss), nil
}

// postLogout answers POST /api/logout.
func (a *App) postLogout(c *Call) (any, error) {
	a.Logout(c.Session.Token)
	http.SetCookie(c.W, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	return nil, nil
}

// getMe answers GET /api/me.
func (a *App) getMe(c *Call) (any, error) {
	return a.me(c.Session), nil
}

// getUsers answers GET /api/users.
func (a *App) getUsers(c *Call) (any, error) {
	return a.ListUsers()
}

// postUsers answers POST /api/users.
func (a *App) postUsers(c *Call) (any, error) {
	var in struct{ User, Role, Password string }
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	u, err := a.CreateUser(c.Ctx, in.User, in.Role, in.Password)
	return Created{u}, err
}

// postUsersUserPassword answers POST /api/users/{user}/password.
func (a *App) postUsersUserPassword(c *Call) (any, error) {
	var in struct {
		Old      string `json:"old_password"`
		Password string `json:"password"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return nil, a.SetPassword(c.Ctx, c.Param("user"), in.Old, in.Password)
}

// getEvents answers GET /api/events.
func (a *App) getEvents(c *Call) (any, error) {
	return Streamed{}, a.streamEvents(c)
}

// me answers who is logged in, and the server's clock: "now" (RFC 3339, UTC)
// and "today" (the business day in India), so every screen dates documents
// by the book's day rather than the PC's, whose clock may be wrong (or, in
// tests, pinned through VITARAN_TODAY).
func (a *App) me(ss *Session) map[string]string {
	now := a.Now()
	return map[string]string{"user": ss.User, "role": ss.Role, "csrf_token": ss.CSRF,
		"now": now.UTC().Format(time.RFC3339), "today": string(cal.Of(now.In(cal.IST)))}
}

// streamEvents sends progress as Server-Sent Events until the client leaves.
func (a *App) streamEvents(c *Call) error {
	fl, ok := c.W.(http.Flusher)
	if !ok {
		return fail.Invalid("events", "streaming is not supported on this connection")
	}
	c.W.Header().Set("Content-Type", "text/event-stream")
	c.W.WriteHeader(http.StatusOK)
	fl.Flush()
	ch, cancel := a.events.SubscribeAs(c.Session.User, c.Session.Role)
	defer cancel()
	tick := time.NewTicker(25 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-c.R.Context().Done():
			return nil
		case p := <-ch:
			b, _ := json.Marshal(p)
			fmt.Fprintf(c.W, "data: %s\n\n", b)
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(c.W, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}
