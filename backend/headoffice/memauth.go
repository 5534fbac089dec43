package headoffice

import (
	"sync"
	"time"
)

// memAuth keeps dashboard sessions and the upload replay cache in memory,
// for a store that one process owns.
type memAuth struct {
	mu       *sync.Mutex
	sessions map[string]time.Time
	seen     map[string]time.Time
	purged   time.Time
}

func newMemAuth() memAuth {
	return memAuth{mu: &sync.Mutex{}, sessions: map[string]time.Time{}, seen: map[string]time.Time{}}
}

// OpenSession keeps id until expires.
func (m *memAuth) OpenSession(id string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[id] = expires
	return nil
}

// SessionValid reports whether id is open at now (an expired one is dropped).
func (m *memAuth) SessionValid(id string, now time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	exp, ok := m.sessions[id]
	if ok && now.After(exp) {
		delete(m.sessions, id)
		return false, nil
	}
	return ok, nil
}

// CloseSession ends id.
func (m *memAuth) CloseSession(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, id)
	return nil
}

// FirstSignature remembers sig inside the timestamp window: a request
// signed at T can only be replayed until T+window, and until then its
// signature is here.
func (m *memAuth) FirstSignature(sig string, signedAt, now time.Time, window time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.purged) > window/4 {
		for s, t := range m.seen {
			if now.Sub(t) > window {
				delete(m.seen, s)
			}
		}
		m.purged = now
	}
	if _, ok := m.seen[sig]; ok {
		return false, nil
	}
	m.seen[sig] = signedAt
	return true, nil
}
