package app

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The LAN server's own certificate, kept in the data folder.
const (
	TLSCertFile = "tls-cert.pem"
	TLSKeyFile  = "tls-key.pem" // readable only by this OS user
)

// LANCertificate loads the server's self-signed certificate from dataDir,
// or makes one (ECDSA P-256, valid five years, for localhost, this PC's
// name and addresses, and hosts) on first start or once it has expired.
// The fingerprint is the SHA-256 of the certificate, as browsers show it:
// clients compare it before trusting the certificate.
func LANCertificate(dataDir string, hosts []string, now time.Time) (cert tls.Certificate, fingerprint string, created bool, err error) {
	certPath, keyPath := filepath.Join(dataDir, TLSCertFile), filepath.Join(dataDir, TLSKeyFile)
	cert, err = tls.LoadX509KeyPair(certPath, keyPath)
	if err == nil && cert.Leaf != nil && now.Before(cert.Leaf.NotAfter) {
		return cert, Fingerprint(cert.Leaf.Raw), false, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return cert, "", false, fmt.Errorf("TLS certificate in %s: %w (delete %s and %s to make a new one)", dataDir, err, TLSCertFile, TLSKeyFile)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return cert, "", false, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return cert, "", false, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Vitaran LAN server", Organization: []string{"Vitaran"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	names := append([]string{"localhost", "127.0.0.1", "::1"}, hosts...)
	if h, err := os.Hostname(); err == nil {
		names = append(names, h)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				names = append(names, ipn.IP.String())
			}
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		if ip := net.ParseIP(n); ip != nil {
			if !ip.IsUnspecified() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return cert, "", false, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return cert, "", false, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return cert, "", false, err
	}
	if err := writeFileAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return cert, "", false, err
	}
	if err := writeFileAtomic(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return cert, "", false, err
	}
	cert, err = tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return cert, "", false, err
	}
	return cert, Fingerprint(der), true, nil
}

// Fingerprint is a certificate's SHA-256 as colon-separated hex pairs.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// PinnedTLS is a client configuration that trusts exactly the certificate
// with this fingerprint (the CLI talking to its own running server).
func PinnedTLS(fingerprint string) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the fingerprint check below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) > 0 && Fingerprint(raw[0]) == fingerprint {
				return nil
			}
			return errors.New("the server's certificate is not the one this Vitaran made")
		},
	}
}

func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ServerCipherSuites are the TLS 1.2 suites the servers offer: forward
// secret AEAD only (no CBC, no SHA-1 MAC, no RSA key exchange). TLS 1.3's
// suites are fixed by Go and all AEAD.
var ServerCipherSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// ServerTLS is the LAN server's TLS configuration: TLS 1.2 or later with
// ServerCipherSuites.
func ServerTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, CipherSuites: ServerCipherSuites}
}
