package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// Roles.
const (
	RoleAdmin    = "admin"    // everything, users and settings
	RoleBilling  = "billing"  // invoices, orders, returns, receipts, stock work
	RoleAccounts = "accounts" // purchases, receipts, Tally, reports
	RoleViewer   = "viewer"   // reads only
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleBilling, RoleAccounts, RoleViewer}

// User is a person who may log in. The password is kept only as a bcrypt hash.
type User struct {
	Name     string    `json:"user"`
	Role     string    `json:"role"`
	Hash     []byte    `json:"hash,omitempty"`
	Disabled bool      `json:"disabled"`
	Created  time.Time `json:"created"`
}

const bUsers = "users"

// HashCost is bcrypt's work factor (tests lower it).
var HashCost = 12

// SessionTTL is how long an idle session lives.
var SessionTTL = 12 * time.Hour

// SessionLifetime is how long a session lives however busy it is: a clerk
// logs in again at least once a day.
var SessionLifetime = 24 * time.Hour

func validRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// HasUsers reports whether any user exists (a fresh book has none).
func (a *App) HasUsers() bool {
	n := 0
	a.view(func(tx *book.Tx) error { n = tx.Bucket(bUsers).Len(); return nil })
	return n > 0
}

// EnsureAdmin creates the first admin of an empty book with password, or a
// generated one that it returns (to print once). It does nothing when users exist.
func (a *App) EnsureAdmin(password string) (generated string, err error) {
	if a.HasUsers() {
		return "", nil
	}
	if password == "" {
		password = randomToken(12)
		generated = password
	}
	ctx := WithCaller(context.Background(), Caller{User: "system", Role: RoleAdmin, From: "first start"})
	_, err = a.CreateUser(ctx, "admin", RoleAdmin, password)
	return generated, err
}

// CreateUser adds a user (admin only at the door).
func (a *App) CreateUser(ctx context.Context, name, role, password string) (User, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || len(name) > 32 || strings.ContainsAny(name, " /\\") {
		return User{}, fail.Invalid("user", "use 1–32 letters or digits, no spaces")
	}
	if !validRole(role) {
		return User{}, fail.Invalid("role", "%q: use admin, billing, accounts or viewer", role)
	}
	if err := checkPassword(password); err != nil {
		return User{}, err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), HashCost)
	if err != nil {
		return User{}, err
	}
	u := User{Name: name, Role: role, Hash: h, Created: a.Now().UTC()}
	err = a.update(ctx, func(tx *book.Tx) error {
		b := tx.Bucket(bUsers)
		if b.Has(name) {
			return fail.Conflict("user", "user %s already exists", name)
		}
		if err := b.PutJSON(name, u); err != nil {
			return err
		}
		return tx.Audit("create", "user", name, nil, map[string]string{"user": name, "role": role}, "")
	})
	u.Hash = nil
	return u, err
}

func checkPassword(p string) error {
	if len(p) < 8 {
		return fail.Invalid("password", "must be at least 8 characters")
	}
	if len(p) > 72 {
		return fail.Invalid("password", "must be at most 72 characters")
	}
	return nil
}

// SetPassword changes a user's password: the user with their old password,
// or an admin resetting another's (old may then be empty).
func (a *App) SetPassword(ctx context.Context, name, old, password string) error {
	c := CallerOf(ctx)
	name = strings.ToLower(strings.TrimSpace(name))
	if c.User != name && c.Role != RoleAdmin {
		return fail.Forbidden("only an admin may reset another user's password")
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), HashCost)
	if err != nil {
		return err
	}
	err = a.update(ctx, func(tx *book.Tx) error {
		var u User
		ok, err := tx.Bucket(bUsers).GetJSON(name, &u)
		if err != nil {
			return err
		}
		if !ok {
			return fail.NotFound("user", name)
		}
		if c.User == name && bcrypt.CompareHashAndPassword(u.Hash, []byte(old)) != nil {
			return fail.Invalid("old_password", "is not your current password")
		}
		u.Hash = h
		if err := tx.Bucket(bUsers).PutJSON(name, u); err != nil {
			return err
		}
		note := "changed own password"
		if c.User != name {
			note = "reset by " + c.User
		}
		return tx.Audit("password", "user", name, nil, nil, note)
	})
	if err == nil {
		a.sessions.dropUser(name)
	}
	return err
}

// ListUsers returns the users without their hashes.
func (a *App) ListUsers() ([]User, error) {
	var out []User
	err := a.view(func(tx *book.Tx) error {
		return tx.Bucket(bUsers).Scan("", func(_ string, v []byte) (bool, error) {
			var u User
			if err := jsonUnmarshal(v, &u); err != nil {
				return false, err
			}
			u.Hash = nil
			out = append(out, u)
			return true, nil
		})
	})
	return out, err
}

// Session is a logged-in user.
type Session struct {
	Token   string
	CSRF    string
	User    string
	Role    string
	From    string
	Expires time.Time // idle expiry, pushed on by each request
	Started time.Time // the login; the session ends SessionLifetime after it
}

type sessions struct {
	mu sync.Mutex
	m  map[string]*Session
}

func newSessions() *sessions { return &sessions{m: map[string]*Session{}} }

func (s *sessions) get(token string, now time.Time) (*Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[token]
	if !ok {
		return nil, false
	}
	if now.After(ss.Expires) || (!ss.Started.IsZero() && now.Sub(ss.Started) >= SessionLifetime) {
		delete(s.m, token)
		return nil, false
	}
	ss.Expires = now.Add(SessionTTL)
	return ss, true
}

func (s *sessions) put(ss *Session) {
	s.mu.Lock()
	s.m[ss.Token] = ss
	s.mu.Unlock()
}

func (s *sessions) drop(token string) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.m[token]
	delete(s.m, token)
	return ss
}

func (s *sessions) dropUser(user string) {
	s.mu.Lock()
	for k, v := range s.m {
		if v.User == user {
			delete(s.m, k)
		}
	}
	s.mu.Unlock()
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// dummyHash keeps a login for an unknown user as slow as for a known one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("vitaran-dummy-password"), bcrypt.MinCost)

// Login checks a password and opens a session. Repeated failures from one
// place or for one user slow down and then lock for a while; every attempt
// is in the audit log.
func (a *App) Login(user, password, from string) (*Session, error) {
	user = strings.ToLower(strings.TrimSpace(user))
	now := a.Now()
	if wait := a.throttle.blocked(user, from, now); wait > 0 {
		a.auditLogin(user, "", from, false, "locked")
		return nil, fail.Unauthorized("too many failed logins: try again in %d seconds", int((wait+time.Second-1)/time.Second))
	}
	var u User
	var found bool
	a.view(func(tx *book.Tx) error {
		var err error
		found, err = tx.Bucket(bUsers).GetJSON(user, &u)
		return err
	})
	hash := dummyHash
	if found {
		hash = u.Hash
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && found && !u.Disabled
	if !ok {
		why := "wrong user or password"
		if found && u.Disabled {
			why = "user disabled"
		}
		if wait := a.throttle.fail(user, from, now); wait > 0 {
			why += fmt.Sprintf("; locked for %d seconds", int(wait.Seconds()))
		}
		a.auditLogin(user, "", from, false, why)
		return nil, fail.Unauthorized("wrong user name or password")
	}
	a.throttle.ok(user, from)
	ss := &Session{Token: randomToken(32), CSRF: randomToken(24), User: u.Name, Role: u.Role, From: from, Expires: now.Add(SessionTTL), Started: now}
	a.sessions.put(ss)
	a.auditLogin(user, u.Role, from, true, "")
	return ss, nil
}

func (a *App) auditLogin(user, role, from string, ok bool, why string) {
	action := "login"
	if !ok {
		action = "login_failed"
	}
	a.Book.UpdateAs(book.Actor{User: user, Role: role, From: from}, func(tx *book.Tx) error {
		return tx.Audit(action, "user", user, nil, nil, why)
	})
}

// Logout ends a session, with an audit entry.
func (a *App) Logout(token string) {
	ss := a.sessions.drop(token)
	if ss == nil {
		return
	}
	a.Book.UpdateAs(book.Actor{User: ss.User, Role: ss.Role, From: ss.From}, func(tx *book.Tx) error {
		return tx.Audit("logout", "user", ss.User, nil, nil, "")
	})
}

func sameToken(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// throttle slows repeated login failures: after 5 failures for a user or a
// source address, each further try waits twice as long as the last (from
// 2 s up to 15 minutes).
type throttle struct {
	mu sync.Mutex
	m  map[string]*attempts
}

type attempts struct {
	n     int
	until time.Time
}

func newThrottle() *throttle { return &throttle{m: map[string]*attempts{}} }

func (t *throttle) keys(user, from string) []string { return []string{"u:" + user, "f:" + from} }

func (t *throttle) blocked(user, from string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range t.keys(user, from) {
		if at, ok := t.m[k]; ok && now.Before(at.until) && at.until.Sub(now) > wait {
			wait = at.until.Sub(now)
		}
	}
	return wait
}

// fail counts a failure and returns how long the caller is now locked out.
func (t *throttle) fail(user, from string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range t.keys(user, from) {
		at := t.m[k]
		if at == nil {
			at = &attempts{}
			t.m[k] = at
		}
		at.n++
		if at.n >= 5 {
			d := 2 * time.Second << min(at.n-5, 9)
			if d > 15*time.Minute {
				d = 15 * time.Minute
			}
			at.until = now.Add(d)
			wait = max(wait, d)
		}
	}
	return wait
}

func (t *throttle) ok(user, from string) {
	t.mu.Lock()
	delete(t.m, "u:"+user)
	delete(t.m, "f:"+from)
	t.mu.Unlock()
}
