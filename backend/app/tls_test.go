package app

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTheLANCertificateIsMadeOnceAndReused(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	cert, fp, created, err := LANCertificate(dir, []string{"192.168.1.10"}, now)
	if err != nil || !created {
		t.Fatalf("first start: %v %v", created, err)
	}
	key, ok := cert.Leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Fatalf("key %T", cert.Leaf.PublicKey)
	}
	if err := cert.Leaf.VerifyHostname("192.168.1.10"); err != nil {
		t.Fatal(err)
	}
	if err := cert.Leaf.VerifyHostname("localhost"); err != nil {
		t.Fatal(err)
	}
	if len(fp) != 95 || strings.Count(fp, ":") != 31 {
		t.Fatalf("fingerprint %q", fp)
	}
	st, err := os.Stat(filepath.Join(dir, TLSKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st.Mode(), err)
	}
	_, fp2, created, err := LANCertificate(dir, nil, now.AddDate(1, 0, 0))
	if err != nil || created || fp2 != fp {
		t.Fatalf("second start: created=%v %s (was %s) %v", created, fp2, fp, err)
	}
	_, fp3, created, err := LANCertificate(dir, nil, now.AddDate(6, 0, 0))
	if err != nil || !created || fp3 == fp {
		t.Fatalf("after it expired: created=%v %v", created, err)
	}
}

// Over TLS the session cookie is Secure and HSTS is sent; a client that
// pinned the printed fingerprint connects, one that did not is refused.
func TestOverTLSTheCookieIsSecureAndOnlyThePinnedCertificateIsTrusted(t *testing.T) {
	d := newDoor(t)
	d.srv.Close()
	cert, fp, _, err := LANCertificate(d.app.DataDir, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(d.app.Handler(nil))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: PinnedTLS(fp)}}
	resp, err := c.Post(srv.URL+"/api/login", "application/json", strings.NewReader(`{"user":"admin","password":"admin-secret"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sc := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != 200 || !strings.Contains(sc, "Secure") || !strings.Contains(sc, "HttpOnly") ||
		!strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("login over TLS: %d %q %v", resp.StatusCode, sc, resp.Header)
	}
	if _, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}).Get(srv.URL + "/api/health"); err == nil {
		t.Fatal("an unpinned client trusted the self-signed certificate")
	}
	other := &http.Client{Transport: &http.Transport{TLSClientConfig: PinnedTLS(strings.Repeat("AB:", 31) + "AB")}}
	if _, err := other.Get(srv.URL + "/api/health"); err == nil {
		t.Fatal("a client pinned to another certificate connected")
	}
}
