// Package loginlimit slows password guessing at a login door (the LAN
// server's and the head office's) without letting anyone lock a real user
// out from elsewhere.
//
// Always true:
//   - failures are counted per address first: after 5 failures from one
//     address, each further try from it waits twice as long as the last
//     (2 s, 4 s, … up to 15 minutes), whichever user names it tries;
//   - a user name is locked only when its failures come from many addresses
//     (10 or more), and even then not from an address where that user has
//     logged in before: a guesser rotating a few addresses locks only
//     those addresses, never the real user at their own PC;
//   - a try refused while locked is counted, not reported one by one: the
//     count goes into the next failure or success the caller records;
//   - memory is bounded: at most MaxEntries addresses and MaxEntries user
//     names are tracked; past that, idle entries are dropped and new ones
//     share one entry (so a flood of addresses locks itself, not others);
//   - with a Store (Load), every failure and success saves the entries it
//     changed before it returns, so a restart resets no count and no lock.
//     Only the count of tries refused while locked lives in memory alone.
package loginlimit

import (
	"log/slog"
	"sync"
	"time"
)

// Tunables, the same for every door.
const (
	FreeFailures = 5                // failures before the first wait
	FirstWait    = 2 * time.Second  // the first wait; each further failure doubles it
	MaxWait      = 15 * time.Minute // the longest wait
	UserAddrs    = 10               // distinct failing addresses before a user name is locked
	goodAddrs    = 8                // addresses a user logged in from that a user lock spares
	idle         = time.Hour        // an entry without failures for this long may be dropped
	overflow     = "\x00overflow"   // the shared key once a table is full
)

// MaxEntries bounds each table (addresses, user names).
var MaxEntries = 10_000

type entry struct {
	n       int       // failures counted
	until   time.Time // locked until
	last    time.Time // the last failure
	refused int       // tries refused while locked, not yet reported
	addrs   map[string]bool
	good    map[string]bool
}

// Limiter is one door's throttle. The zero value is not ready: use New
// or Load.
type Limiter struct {
	mu    sync.Mutex
	addr  map[string]*entry
	user  map[string]*entry
	swept time.Time

	store  Store
	saving sync.Mutex // held from taking a change to saving it, so saves land in order
	gone   []Entry    // entries dropped by a sweep, deleted with the next save
}

// New makes a limiter that keeps its entries in memory only.
func New() *Limiter { return &Limiter{addr: map[string]*entry{}, user: map[string]*entry{}} }

// maxKey bounds a tracked name or address: a 4 KiB user name costs no
// more than a real one.
const maxKey = 64

func clip(s string) string {
	if len(s) > maxKey {
		return s[:maxKey]
	}
	return s
}

// Blocked reports how long a try for user from addr must still wait (0:
// go ahead). A refused try is counted.
func (l *Limiter) Blocked(user, addr string, now time.Time) time.Duration {
	user, addr = clip(user), clip(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	u := l.user[l.key(l.user, user)]
	ak := l.key(l.addr, addr)
	a := l.addr[ak]
	if ak == overflow && u != nil && u.good[addr] {
		a = nil // a flood's shared entry never holds back a user at their own PC
	}
	if a != nil && now.Before(a.until) {
		wait = a.until.Sub(now)
		a.refused++
	}
	if u != nil && now.Before(u.until) && !u.good[addr] {
		if d := u.until.Sub(now); d > wait {
			wait = d
		}
		if wait > 0 && (a == nil || !now.Before(a.until)) {
			u.refused++
		}
	}
	return wait
}

// Fail counts a failed try and returns how long addr (or user) is now
// locked, and how many tries were refused since the last report.
func (l *Limiter) Fail(user, addr string, now time.Time) (wait time.Duration, refused int) {
	user, addr = clip(user), clip(addr)
	l.saving.Lock()
	defer l.saving.Unlock()
	l.mu.Lock()
	var changed []Entry
	defer func() { l.mu.Unlock(); l.save(changed) }()
	a := l.get(l.addr, addr, now)
	a.n++
	a.last = now
	if a.n >= FreeFailures {
		wait = backoff(a.n - FreeFailures)
		a.until = now.Add(wait)
	}
	u := l.get(l.user, user, now)
	u.n++
	u.last = now
	if u.addrs == nil {
		u.addrs = map[string]bool{}
	}
	if len(u.addrs) < UserAddrs {
		u.addrs[addr] = true
	}
	if len(u.addrs) >= UserAddrs && u.n >= UserAddrs {
		d := backoff(min(u.n-UserAddrs, 30))
		u.until = now.Add(d)
		if !u.good[addr] {
			wait = max(wait, d)
		}
	}
	refused = a.refused + u.refused
	a.refused, u.refused = 0, 0
	changed = l.changed(addr, a, user, u)
	return wait, refused
}

// OK records a successful login: the address's and the user's failures
// are forgotten, and the address is remembered as the user's own. It
// returns how many tries were refused since the last report.
func (l *Limiter) OK(user, addr string, now time.Time) (refused int) {
	user, addr = clip(user), clip(addr)
	l.saving.Lock()
	defer l.saving.Unlock()
	l.mu.Lock()
	var changed []Entry
	defer func() { l.mu.Unlock(); l.save(changed) }()
	if a := l.addr[addr]; a != nil {
		refused += a.refused
		delete(l.addr, addr)
		if l.store != nil {
			changed = append(changed, Entry{Key: addr})
		}
	}
	u := l.get(l.user, user, now)
	refused += u.refused
	good := u.good
	if good == nil {
		good = map[string]bool{}
	}
	if len(good) < goodAddrs {
		good[addr] = true
	}
	*u = entry{good: good, last: now}
	changed = append(changed, l.changed("", nil, user, u)...)
	return refused
}

// Size is how many addresses and user names are tracked.
func (l *Limiter) Size() (addrs, users int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.addr), len(l.user)
}

func backoff(steps int) time.Duration {
	d := FirstWait << min(steps, 10)
	return min(d, MaxWait)
}

// key is k, or the shared overflow key when k is not tracked and the
// table is full.
func (l *Limiter) key(m map[string]*entry, k string) string {
	if _, ok := m[k]; ok || len(m) < MaxEntries {
		return k
	}
	return overflow
}

// get returns k's entry, making room (dropping idle entries, at most once
// a minute) or using the overflow entry when the table is full.
func (l *Limiter) get(m map[string]*entry, k string, now time.Time) *entry {
	if e, ok := m[k]; ok {
		return e
	}
	if len(m) >= MaxEntries && now.Sub(l.swept) > time.Minute {
		l.swept = now
		for i, t := range []map[string]*entry{l.addr, l.user} {
			for key, e := range t {
				if now.After(e.until) && now.Sub(e.last) > idle && e.refused == 0 && len(e.good) == 0 {
					delete(t, key)
					if l.store != nil {
						l.gone = append(l.gone, Entry{User: i == 1, Key: key})
					}
				}
			}
		}
	}
	if len(m) >= MaxEntries {
		k = overflow
		if e, ok := m[k]; ok {
			return e
		}
	}
	e := &entry{}
	m[k] = e
	return e
}

// Entry is one tracked address or user name as a Store keeps it. An entry
// with nothing to keep (Empty) is deleted from the store.
type Entry struct {
	User  bool      `json:"user,omitempty"` // a user name; else an address
	Key   string    `json:"key"`
	N     int       `json:"n,omitempty"`     // failures counted
	Until time.Time `json:"until,omitzero"`  // locked until
	Last  time.Time `json:"last,omitzero"`   // the last failure (or success, for a user)
	Addrs []string  `json:"addrs,omitempty"` // a user's failing addresses
	Good  []string  `json:"good,omitempty"`  // addresses a user logged in from
}

// Empty reports whether the entry holds nothing worth keeping.
func (e Entry) Empty() bool { return e.N == 0 && e.Until.IsZero() && len(e.Good) == 0 }

// Store keeps a limiter's entries across restarts: the LAN server's book,
// head office's store.
type Store interface {
	// LoginLimits returns every entry kept.
	LoginLimits() ([]Entry, error)
	// SaveLoginLimits writes the entries a failure or success changed,
	// deleting those that are Empty.
	SaveLoginLimits(changed []Entry) error
}

// Load makes a limiter that keeps its entries in st, starting from what
// st holds (at most MaxEntries of each table; the rest share the overflow
// entry, as they would have).
func Load(st Store) (*Limiter, error) {
	es, err := st.LoginLimits()
	if err != nil {
		return nil, err
	}
	l := New()
	l.store = st
	for _, e := range es {
		m := l.addr
		if e.User {
			m = l.user
		}
		k := l.key(m, clip(e.Key))
		if k == overflow && m[k] != nil {
			continue
		}
		m[k] = &entry{n: e.N, until: e.Until, last: e.Last, addrs: set(e.Addrs, UserAddrs), good: set(e.Good, goodAddrs)}
	}
	return l, nil
}

func set(keys []string, most int) map[string]bool {
	if len(keys) == 0 {
		return nil
	}
	m := make(map[string]bool, min(len(keys), most))
	for _, k := range keys[:min(len(keys), most)] {
		m[clip(k)] = true
	}
	return m
}

func list(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// changed lists, for the store, the entries a call just touched (under
// l.mu) and those a sweep dropped.
func (l *Limiter) changed(addr string, a *entry, user string, u *entry) []Entry {
	if l.store == nil {
		return nil
	}
	out := l.gone
	l.gone = nil
	for i, x := range []struct {
		m map[string]*entry
		k string
		e *entry
	}{{l.addr, addr, a}, {l.user, user, u}} {
		if x.e == nil {
			continue
		}
		k := x.k
		if x.m[k] != x.e {
			k = overflow
		}
		out = append(out, Entry{User: i == 1, Key: k, N: x.e.n, Until: x.e.until, Last: x.e.last, Addrs: list(x.e.addrs), Good: list(x.e.good)})
	}
	return out
}

// save writes changed to the store (with l.saving held, l.mu not). A
// store that fails is logged: the door keeps its in-memory throttle.
func (l *Limiter) save(changed []Entry) {
	if l.store == nil || len(changed) == 0 {
		return
	}
	if err := l.store.SaveLoginLimits(changed); err != nil {
		slog.Error("login throttle: cannot save", "err", err)
	}
}
