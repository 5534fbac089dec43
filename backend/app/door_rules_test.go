package app

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// User names follow the documented rule: no markup, no direction
// overrides, no spaces, none of the app's own actor names.
func TestUserNamesFollowTheRule(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	for _, name := range []string{"<script>alert(1)</script>", "\u202eadmin", "ad\u200bmin", "a b", "", strings.Repeat("a", 33), "system", "local", ".ravi", "ravi-", "ra/vi", "ra\\vi", "ravi\x00", "\"ravi\""} {
		if st, body := d.do("POST", "/api/users", map[string]string{"user": name, "role": "viewer", "password": "viewer-pass-1"}); st != 400 || body["field"] != "user" {
			t.Errorf("user %q: %d %v", name, st, body)
		}
	}
	for _, name := range []string{"ravi.k", "meena_2", "रवि", "A1"} {
		if st, body := d.do("POST", "/api/users", map[string]string{"user": name, "role": "viewer", "password": "viewer-pass-1"}); st != 201 {
			t.Errorf("user %q: %d %v", name, st, body)
		}
	}
}

// The Origin check compared the host only: http://host and https://host
// passed alike.
func TestTheOriginCheckComparesTheScheme(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	host := strings.TrimPrefix(d.srv.URL, "http://")
	beat := `{"code":"B1","name":"Jayanagar","weekday":"monday"}`
	if st := d.post("/api/beats", beat, "https://"+host, d.csrf); st != 403 {
		t.Fatalf("https origin on an http server: %d", st)
	}
	if st := d.post("/api/beats", beat, "http://"+host, d.csrf); st >= 400 {
		t.Fatalf("same origin: %d", st)
	}
}

// TLS 1.2 is offered only with forward-secret AEAD suites: a client that
// speaks only CBC with SHA-1, or TLS 1.1, is refused.
func TestTLSRefusesCBCSHA1AndOldVersions(t *testing.T) {
	d := newDoor(t)
	cert, _, _, err := LANCertificate(d.app.DataDir, nil, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = ServerTLS(cert)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "https://")
	dial := func(c *tls.Config) error {
		c.InsecureSkipVerify = true // the suites are under test, not the certificate
		conn, err := tls.Dial("tcp", addr, c)
		if err == nil {
			conn.Close()
		}
		return err
	}
	for _, s := range []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA} {
		if err := dial(&tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{s}}); err == nil {
			t.Errorf("%s accepted", tls.CipherSuiteName(s))
		}
	}
	if err := dial(&tls.Config{MaxVersion: tls.VersionTLS11}); err == nil {
		t.Error("TLS 1.1 accepted")
	}
	if err := dial(&tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}); err != nil {
		t.Errorf("TLS 1.2 with AES-GCM: %v", err)
	}
	if err := dial(&tls.Config{MinVersion: tls.VersionTLS13}); err != nil {
		t.Errorf("TLS 1.3: %v", err)
	}
}
