package irp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	loginKeyOnce sync.Once
	loginKey     *rsa.PrivateKey
)

// theLoginKey is the emulated portal's login key (not its signing key).
func theLoginKey(t *testing.T) *rsa.PrivateKey {
	loginKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		loginKey = k
	})
	return loginKey
}

func pemOf(pub *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// directPortal is the emulator speaking only NIC's encrypted envelope, and
// a client in direct mode with the portal's login key.
func directPortal(t *testing.T) (*Sim, *Client, string) {
	clk := &clock{t: billedAt}
	s, err := NewSim(SimOptions{GSTIN: seller, Username: "murugan_api", Password: "pw-1", ClientID: "cid", ClientSecret: "csec",
		Now: clk.now, Key: key(t), Mode: ModeDirect, LoginKey: theLoginKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := NewClient(Credentials{BaseURL: srv.URL, GSTIN: seller, Username: "murugan_api", Password: "pw-1", ClientID: "cid", ClientSecret: "csec",
		Mode: ModeDirect, PublicKey: s.LoginKeyPEM()}, 2*time.Second)
	return s, c, srv.URL
}

func TestTheDirectAPIGivesTheIRNThroughNICsEncryptedEnvelope(t *testing.T) {
	s, c, base := directPortal(t)
	ctx := context.Background()
	got, err := c.Generate(ctx, invoice("SI/26-27/000001"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Irn != IRN(seller, "2026-11-25", "INV", "SI/26-27/000001") || Verify(got.SignedQRCode, s.PublicKey()) != nil {
		t.Fatalf("%+v", got)
	}
	// the duplicate is fetched by document, sealed both ways too
	again, err := c.Generate(ctx, invoice("SI/26-27/000001"))
	if err != nil || again.Irn != got.Irn || s.Calls(PathByDoc) != 1 {
		t.Fatalf("duplicate: %+v %v", again, err)
	}
	if out, err := c.Cancel(ctx, got.Irn, 2, "wrong outlet"); err != nil || out.Irn != got.Irn {
		t.Fatalf("cancel: %+v %v", out, err)
	}
	// the portal's key is served for the client's settings
	resp, err := http.Get(base + "/irpsim/loginkey")
	if err != nil {
		t.Fatal(err)
	}
	pemText, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if pub, err := ParsePublicKey(string(pemText)); err != nil || !pub.Equal(&theLoginKey(t).PublicKey) {
		t.Fatalf("login key %v", err)
	}
}

// post sends a raw body to the emulator and decodes its envelope.
func post(t *testing.T, url string, hdr map[string]string, body any) Reply {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rp Reply
	if err := json.NewDecoder(resp.Body).Decode(&rp); err != nil {
		t.Fatal(err)
	}
	return rp
}

func codeOf(rp Reply) string {
	if rp.Status == 1 || len(rp.ErrorDetails) == 0 {
		return "ok"
	}
	return rp.ErrorDetails[0].Code
}

func TestTheDirectEmulatorRefusesWrongKeysAndPadding(t *testing.T) {
	_, _, base := directPortal(t)
	hdr := map[string]string{"client_id": "cid", "client_secret": "csec", "Gstin": seller}
	pub := &theLoginKey(t).PublicKey

	// a login encrypted with another RSA key: 1013
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	env, _, _ := sealLogin(&other.PublicKey, "murugan_api", "pw-1", false)
	if rp := post(t, base+PathAuth, hdr, env); codeOf(rp) != CodeBadPassword {
		t.Fatalf("another key: %+v", rp)
	}
	// the plain GSP login on the direct API: 1013
	if rp := post(t, base+PathAuth, hdr, AuthRequest{UserName: "murugan_api", Password: "pw-1"}); codeOf(rp) != CodeBadPassword {
		t.Fatalf("plain login: %+v", rp)
	}
	// an AppKey of 16 bytes (AES-128): 1016
	js, _ := json.Marshal(directLogin{UserName: "murugan_api", Password: "pw-1", AppKey: base64.StdEncoding.EncodeToString(make([]byte, 16))})
	//lint:ignore SA1019 NIC's login is RSA/ECB/PKCS1Padding (PKCS #1 v1.5) by its specification; OAEP is refused
	enc, _ := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(base64.StdEncoding.EncodeToString(js)))
	if rp := post(t, base+PathAuth, hdr, Envelope{Data: base64.StdEncoding.EncodeToString(enc)}); codeOf(rp) != CodeBadAppKey {
		t.Fatalf("short app key: %+v", rp)
	}
	// a right login with the wrong password: 1008, after the envelope opened
	env, _, _ = sealLogin(pub, "murugan_api", "pw-2", false)
	if rp := post(t, base+PathAuth, hdr, env); codeOf(rp) != CodeBadLogin {
		t.Fatalf("wrong password: %+v", rp)
	}

	// a good login: the SEK opens with the AppKey
	env, appKey, _ := sealLogin(pub, "murugan_api", "pw-1", false)
	rp := post(t, base+PathAuth, hdr, env)
	var auth DirectAuthData
	if codeOf(rp) != "ok" || json.Unmarshal(rp.Data, &auth) != nil {
		t.Fatalf("login: %+v", rp)
	}
	sek, err := Open(appKey, auth.Sek)
	if err != nil || len(sek) != 32 {
		t.Fatalf("SEK %v", err)
	}
	if _, err := Open(make([]byte, 32), auth.Sek); !errors.Is(err, ErrEnvelope) {
		t.Fatalf("the SEK opened with a zero key: %v", err)
	}
	call := map[string]string{"client_id": "cid", "client_secret": "csec", "Gstin": seller, "user_name": "murugan_api", "AuthToken": auth.AuthToken}
	doc, _ := json.Marshal(invoice("SI/26-27/000009"))

	// the document sealed with another key, with bad padding, or in plain: refused, no IRN
	wrong, _ := Seal(bytes.Repeat([]byte{7}, 32), doc)
	raw, _ := sealECB(sek, doc)
	raw[len(raw)-1] ^= 0x55 // the last block no longer ends in valid padding
	for name, body := range map[string]any{
		"another key":  Envelope{Data: wrong},
		"bad padding":  Envelope{Data: base64.StdEncoding.EncodeToString(raw)},
		"cut short":    Envelope{Data: base64.StdEncoding.EncodeToString(raw[:len(raw)-3])},
		"plain JSON":   invoice("SI/26-27/000009"),
		"not Base64":   Envelope{Data: "%%%"},
		"empty Data":   Envelope{},
		"extra fields": map[string]string{"Data": wrong, "Irn": "x"},
	} {
		if rp := post(t, base+PathGenerate, call, body); rp.Status != 0 || codeOf(rp) != "5002" {
			t.Errorf("%s: %+v", name, rp)
		}
	}
	// sealed right: the IRN, and the answer sealed with the SEK
	good, _ := Seal(sek, doc)
	rp = post(t, base+PathGenerate, call, Envelope{Data: good})
	var sd string
	if codeOf(rp) != "ok" || json.Unmarshal(rp.Data, &sd) != nil {
		t.Fatalf("sealed generate: %+v", rp)
	}
	plain, err := Open(sek, sd)
	var got IRNData
	if err != nil || json.Unmarshal(plain, &got) != nil || got.Irn != IRN(seller, "2026-11-25", "INV", "SI/26-27/000009") {
		t.Fatalf("answer %v %s", err, plain)
	}
}

func TestAGSPClientOnTheDirectAPIAndADirectOneWithTheWrongKeyAreToldWhy(t *testing.T) {
	_, c, base := directPortal(t)
	gsp := NewClient(Credentials{BaseURL: base, GSTIN: seller, Username: "murugan_api", Password: "pw-1", ClientID: "cid", ClientSecret: "csec"}, 2*time.Second)
	_, err := gsp.Generate(context.Background(), invoice("SI/26-27/000001"))
	if code, text := Explain(err); code != CodeBadPassword || !strings.Contains(text, "public key") {
		t.Fatalf("gsp on direct: %s %s", code, text)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	c.Cred.PublicKey = pemOf(&other.PublicKey)
	_, err = c.Generate(context.Background(), invoice("SI/26-27/000001"))
	if code, _ := Explain(err); code != CodeBadPassword {
		t.Fatalf("wrong key: %s %v", code, err)
	}
	c.Cred.PublicKey = "not a key"
	if _, err = c.Generate(context.Background(), invoice("SI/26-27/000001")); err == nil || !strings.Contains(err.Error(), "public key") {
		t.Fatalf("no key: %v", err)
	}
}

func TestAESECBSealsWholeBlocksAndOpensOnlyWithItsKey(t *testing.T) {
	k := bytes.Repeat([]byte{1}, 32)
	for _, n := range []int{0, 1, 15, 16, 17, 1000} {
		plain := bytes.Repeat([]byte{'x'}, n)
		enc, err := sealECB(k, plain)
		if err != nil || len(enc)%16 != 0 || len(enc) <= n {
			t.Fatalf("%d bytes: %d sealed, %v", n, len(enc), err)
		}
		back, err := openECB(k, enc)
		if err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("%d bytes back: %v", n, err)
		}
	}
	if _, err := sealECB(k[:16], nil); !errors.Is(err, ErrEnvelope) {
		t.Fatal("an AES-128 key sealed")
	}
}

// Any Data string opens to its plain text or is refused, never panics.
func FuzzOpen(f *testing.F) {
	k := bytes.Repeat([]byte{3}, 32)
	good, _ := Seal(k, []byte(`{"Irn":"ab"}`))
	f.Add(good)
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==")
	f.Fuzz(func(t *testing.T, data string) {
		plain, err := Open(k, data)
		if err != nil {
			return
		}
		again, err := Seal(k, plain)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := Open(k, again); err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("%q reopened as %q, %v", plain, back, err)
		}
	})
}

func TestARefusalsErrorDetailsReadAsAListOrItsBase64(t *testing.T) {
	list := `[{"ErrorCode":"2150","ErrorMessage":"Duplicate IRN"}]`
	for _, body := range []string{
		`{"Status":0,"ErrorDetails":` + list + `}`,
		`{"Status":0,"ErrorDetails":"` + base64.StdEncoding.EncodeToString([]byte(list)) + `"}`,
	} {
		var pe *PortalError
		if err := decodeReply([]byte(body), nil, nil); !errors.As(err, &pe) || !pe.Has(CodeDuplicateIRN) {
			t.Fatalf("%s: %v", body, err)
		}
	}
}
