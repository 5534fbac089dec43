package loginlimit

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"vitaran/backend/book"
)

func openBook(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// What the book holds is what the limiter tracks: a flood fills the
// tables to their bound and no further, and entries a sweep drops leave
// the book too, so it never grows past the limiter's own bound.
func TestTheBookKeepsWhatTheLimiterTracksAndNoMore(t *testing.T) {
	old := MaxEntries
	MaxEntries = 20
	defer func() { MaxEntries = old }()
	b := openBook(t)
	st := InBook(b)
	l, err := Load(st)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	l.OK("admin", "192.168.1.10", now)
	for i := range 100 {
		l.Fail(fmt.Sprintf("user%d", i), fmt.Sprintf("10.0.0.%d", i), now)
	}
	kept := func() (addrs, users int) {
		es, err := st.LoginLimits()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.User {
				users++
			} else {
				addrs++
			}
		}
		return
	}
	a, u := l.Size()
	if ka, ku := kept(); ka != a || ku != u || a > MaxEntries+1 || u > MaxEntries+1 {
		t.Fatalf("book %d addresses %d users, limiter %d %d", ka, ku, a, u)
	}
	// an hour later the idle entries go, from memory and from the book
	now = now.Add(idle + 2*time.Minute)
	l.Fail("late", "10.1.0.1", now)
	a, u = l.Size()
	if ka, ku := kept(); ka != a || ku != u || a > 2 || u > 3 {
		t.Fatalf("after the sweep: book %d addresses %d users, limiter %d %d", ka, ku, a, u)
	}
	// and a limiter loaded from the book picks up where this one is
	l2, err := Load(st)
	if err != nil {
		t.Fatal(err)
	}
	if a2, u2 := l2.Size(); a2 != a || u2 != u {
		t.Fatalf("reloaded %d %d, was %d %d", a2, u2, a, u)
	}
}
