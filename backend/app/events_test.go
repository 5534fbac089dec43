package app

import (
	"bufio"
	"context"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

// stream opens /api/events as user and returns the data lines it gets.
func (d *door) stream(user, pw string) (<-chan string, func()) {
	d.t.Helper()
	jar, _ := cookiejar.New(nil)
	other := &door{t: d.t, app: d.app, srv: d.srv, c: &http.Client{Jar: jar}}
	if st := other.login(user, pw); st != 200 {
		d.t.Fatalf("login %s: %d", user, st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", d.srv.URL+"/api/events", nil)
	resp, err := other.c.Do(req)
	if err != nil || resp.StatusCode != 200 {
		d.t.Fatalf("events for %s: %v", user, err)
	}
	out := make(chan string, 256)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				out <- line
			}
		}
	}()
	return out, cancel
}

// The admin's screen showed a clerk's import: progress went to every
// logged-in user. Now a task's ticks go to the user who started it and to
// admins only.
func TestProgressGoesToWhoStartedTheTaskAndToAdmins(t *testing.T) {
	d := newDoor(t)
	d.user("ravi", RoleBilling, "ravi-secret-1")
	d.user("sita", RoleBilling, "sita-secret-1")
	admin, stopA := d.stream("admin", "admin-secret")
	defer stopA()
	sita, stopS := d.stream("sita", "sita-secret-1")
	defer stopS()
	ravi := d
	if st := ravi.login("ravi", "ravi-secret-1"); st != 200 {
		t.Fatal(st)
	}
	ravisOwn, stopR := d.stream("ravi", "ravi-secret-1")
	defer stopR()
	time.Sleep(50 * time.Millisecond) // the streams are subscribed
	st, raw, _ := ravi.importUpload("/api/import/outlets?dry_run=1", "outlets.csv", []byte("Outlet Code,Outlet Name,Beat\nO1,Shop,B1\n"))
	if st != 200 {
		t.Fatalf("import: %d %s", st, raw)
	}
	got := func(ch <-chan string, wait time.Duration) []string {
		var out []string
		deadline := time.After(wait)
		for {
			select {
			case l := <-ch:
				out = append(out, l)
				if strings.Contains(l, `"label":"done"`) {
					return out
				}
			case <-deadline:
				return out
			}
		}
	}
	if evs := got(ravisOwn, 5*time.Second); len(evs) == 0 || !strings.Contains(evs[len(evs)-1], `"task":"import"`) {
		t.Fatalf("ravi's own import: %v", evs)
	}
	if evs := got(admin, 5*time.Second); len(evs) == 0 {
		t.Fatal("the admin sees no import")
	}
	if evs := got(sita, 300*time.Millisecond); len(evs) != 0 {
		t.Fatalf("sita sees ravi's import: %v", evs)
	}
}
