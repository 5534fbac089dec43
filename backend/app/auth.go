package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

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
	a.view(func(tx *book.Tx) error { n = userCount(tx); return nil })
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
	if err := checkUserName(name); err != nil {
		return User{}, err
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
		if hasUser(tx, name) {
			return fail.Conflict("user", "user %s already exists", name)
		}
		if err := putUser(tx, name, u); err != nil {
			return err
		}
		return tx.Audit("create", "user", name, nil, map[string]string{"user": name, "role": role}, "")
	})
	u.Hash = nil
	return u, err
}

// reservedNames are what the audit log writes for the app's own actors.
var reservedNames = map[string]bool{"system": true, "local": true, "desktop": true, "cli": true}

// checkUserName is the documented rule: 1–32 letters or digits (any
// script, with its vowel signs), with . _ - inside; no spaces, markup, control or direction
// characters (no "<script>", no right-to-left override).
func checkUserName(name string) error {
	bad := fail.Invalid("user", "use 1–32 letters or digits (. _ - allowed inside), no spaces or symbols")
	if name == "" || utf8.RuneCountInString(name) > 32 || !utf8.ValidString(name) {
		return bad
	}
	for i, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case unicode.IsMark(r) && i > 0: // vowel signs of Indian scripts
		case (r == '.' || r == '_' || r == '-') && i > 0 && i < len(name)-1:
		default:
			return bad
		}
	}
	if reservedNames[name] {
		return fail.Invalid("user", "%q is the name the audit log gives the app itself: choose another", name)
	}
	return nil
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
		ok, err := getUser(tx, name, &u)
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
		if err := putUser(tx, name, u); err != nil {
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
		return eachUser(tx, func(v []byte) (bool, error) {
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

	key   string    // sessionKey(Token): how the book keeps it
	saved time.Time // the Expires the book holds
}

// sessions are the logged-in users. They are kept in the book too (bucket
// "sessions", keyed by the SHA-256 of the token, never the token itself),
// so a restart logs no one out. A session's idle expiry is written back at
// most every sessionTouch, not on every request.
type sessions struct {
	mu sync.Mutex
	m  map[string]*Session // by sessionKey(token)
	b  *book.Book          // nil: memory only
}

const (
	sessionTouch = 15 * time.Minute
)

// storedSession is a session as the book keeps it.
type storedSession struct {
	CSRF    string    `json:"csrf"`
	User    string    `json:"user"`
	Role    string    `json:"role"`
	From    string    `json:"from"`
	Expires time.Time `json:"expires"`
	Started time.Time `json:"started"`
}

func sessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// newSessions loads the sessions kept in b (nil: memory only).
func newSessions(b *book.Book) *sessions {
	s := &sessions{m: map[string]*Session{}, b: b}
	if b == nil {
		return s
	}
	err := b.View(func(tx *book.Tx) error {
		return eachStoredSession(tx, func(k string, v []byte) (bool, error) {
			var st storedSession
			if err := json.Unmarshal(v, &st); err != nil {
				return true, nil // a damaged entry is a session that ended
			}
			s.m[k] = &Session{CSRF: st.CSRF, User: st.User, Role: st.Role, From: st.From, Expires: st.Expires, Started: st.Started, key: k, saved: st.Expires}
			return true, nil
		})
	})
	if err != nil {
		slog.Error("sessions: read the kept sessions", "err", err)
	}
	return s
}

// save writes or deletes sessions in the book; a failure is logged (the
// session still works until a restart).
func (s *sessions) save(put []*Session, del []string) {
	if s.b == nil || len(put)+len(del) == 0 {
		return
	}
	err := s.b.Update(func(tx *book.Tx) error {
		w := storedSessions(tx)
		for _, ss := range put {
			st := storedSession{CSRF: ss.CSRF, User: ss.User, Role: ss.Role, From: ss.From, Expires: ss.Expires, Started: ss.Started}
			if err := w.put(ss.key, st); err != nil {
				return err
			}
		}
		for _, k := range del {
			if err := w.drop(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		slog.Error("sessions: keep in the book", "err", err)
	}
}

func (s *sessions) get(token string, now time.Time) (*Session, bool) {
	key := sessionKey(token)
	s.mu.Lock()
	ss, ok := s.m[key]
	if !ok {
		s.mu.Unlock()
		return nil, false
	}
	if now.After(ss.Expires) || (!ss.Started.IsZero() && now.Sub(ss.Started) >= SessionLifetime) {
		delete(s.m, key)
		s.mu.Unlock()
		s.save(nil, []string{key})
		return nil, false
	}
	if ss.Token == "" {
		ss.Token = token // a session read back from the book
	}
	ss.Expires = now.Add(SessionTTL)
	var put []*Session
	if ss.Expires.Sub(ss.saved) >= sessionTouch {
		ss.saved = ss.Expires
		cp := *ss
		put = []*Session{&cp}
	}
	s.mu.Unlock()
	s.save(put, nil)
	return ss, true
}

func (s *sessions) put(ss *Session) {
	ss.key, ss.saved = sessionKey(ss.Token), ss.Expires
	s.mu.Lock()
	s.m[ss.key] = ss
	cp := *ss
	s.mu.Unlock()
	s.save([]*Session{&cp}, nil)
}

func (s *sessions) drop(token string) *Session {
	key := sessionKey(token)
	s.mu.Lock()
	ss := s.m[key]
	delete(s.m, key)
	s.mu.Unlock()
	if ss != nil {
		s.save(nil, []string{key})
	}
	return ss
}

func (s *sessions) dropUser(user string) {
	var del []string
	s.mu.Lock()
	for k, v := range s.m {
		if v.User == user {
			delete(s.m, k)
			del = append(del, k)
		}
	}
	s.mu.Unlock()
	s.save(nil, del)
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// dummyHash is compared for an unknown user name, at the cost real hashes
// have, so an unknown name answers as slowly as a real one.
var dummyHash struct {
	sync.Mutex
	cost int
	hash []byte
}

func fakeHash() []byte {
	dummyHash.Lock()
	defer dummyHash.Unlock()
	if dummyHash.cost != HashCost || dummyHash.hash == nil {
		dummyHash.hash, _ = bcrypt.GenerateFromPassword([]byte(randomToken(16)), HashCost)
		dummyHash.cost = HashCost
	}
	return dummyHash.hash
}

// Throttled is a login refused because of earlier failures: the door
// answers 429 with Retry-After.
type Throttled struct{ Wait time.Duration }

// Seconds is the wait, rounded up.
func (t *Throttled) Seconds() int { return int((t.Wait + time.Second - 1) / time.Second) }

func (t *Throttled) Error() string {
	return fmt.Sprintf("too many failed logins: try again in %d seconds", t.Seconds())
}

// Login checks a password and opens a session. Failures slow down and lock
// the address they come from, and a user name only when they come from
// many addresses (package loginlimit); a try refused while locked is
// counted into the next audit entry, not written one by one.
func (a *App) Login(user, password, from string) (*Session, error) {
	user = strings.ToLower(strings.TrimSpace(user))
	now := a.Now()
	if wait := a.throttle.Blocked(user, from, now); wait > 0 {
		return nil, &Throttled{Wait: wait}
	}
	var u User
	var found bool
	a.view(func(tx *book.Tx) error {
		var err error
		found, err = getUser(tx, user, &u)
		return err
	})
	hash := u.Hash
	if !found || len(hash) == 0 {
		hash = fakeHash()
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && found && !u.Disabled
	if !ok {
		why := "wrong user or password"
		if found && u.Disabled {
			why = "user disabled"
		}
		wait, refused := a.throttle.Fail(user, from, now)
		if wait > 0 {
			why += fmt.Sprintf("; locked for %d seconds", int(wait.Seconds()))
		}
		a.auditLogin(user, "", from, false, why+refusedNote(refused))
		return nil, fail.Unauthorized("wrong user name or password")
	}
	refused := a.throttle.OK(user, from, now)
	ss := &Session{Token: randomToken(32), CSRF: randomToken(24), User: u.Name, Role: u.Role, From: from, Expires: now.Add(SessionTTL), Started: now}
	a.sessions.put(ss)
	a.auditLogin(user, u.Role, from, true, strings.TrimPrefix(refusedNote(refused), "; "))
	return ss, nil
}

func refusedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d tries refused while locked", n)
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
