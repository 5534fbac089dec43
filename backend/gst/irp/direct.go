package irp

// NIC's direct API: the same paths and JSON as a GSP's passthrough, wrapped
// in the encryption NIC requires of taxpayers who call it without a GSP.
// The rules, from NIC's e-invoice API documentation (einv-apisandbox.nic.in:
// "Authentication" v1.04, "Encryption and decryption" and its Java/C#
// samples):
//
//   - Login (POST /eivital/v1.04/auth): the application makes a random
//     32-byte AppKey (an AES-256 key). The JSON {UserName, Password, AppKey
//     (Base64), ForceRefreshAccessToken} is Base64-encoded, that text is
//     encrypted with the e-invoice system's RSA public key (RSA/ECB/
//     PKCS1Padding: PKCS #1 v1.5) and sent Base64-encoded as {"Data": …}.
//     The public key is the one downloaded from the portal's API user
//     management: not the key that verifies signed invoices.
//   - The login's answer carries the AuthToken and the Session Encryption
//     Key: Sek, the 32-byte SEK encrypted with the AppKey by AES-256 in ECB
//     mode with PKCS #5/7 padding (AES/ECB/PKCS5Padding), Base64-encoded.
//   - Every later request body is {"Data": Base64(AES-256-ECB-PKCS7(SEK,
//     JSON))}; a successful answer's Data is the same: Base64 of the JSON
//     encrypted with the SEK. A new login gives a new SEK.
//
// Only Go's standard library is used: ECB is the AES block cipher applied to
// each 16-byte block in turn, and the padding is checked byte for byte, so a
// wrong key or a corrupted body is refused rather than read as garbage.

import (
	"bytes"
	"crypto/aes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"vitaran/backend/gst"
)

// Modes of reaching the IRP.
const (
	// ModeGSP is a GSP's passthrough: plain JSON over TLS (the default).
	ModeGSP = "gsp"
	// ModeDirect is NIC's own API with the encrypted envelope.
	ModeDirect = "direct"
)

// ErrEnvelope is a body that does not decrypt as the envelope says: a wrong
// key, a length that is not whole blocks, or padding that is not PKCS #7.
var ErrEnvelope = errors.New("the encrypted envelope does not open")

// Envelope is the direct API's request body (and the login's).
type Envelope struct {
	Data string `json:"Data"`
}

// directLogin is the JSON inside the login's RSA layer.
type directLogin struct {
	UserName                string `json:"UserName"`
	Password                string `json:"Password"`
	AppKey                  string `json:"AppKey"`
	ForceRefreshAccessToken bool   `json:"ForceRefreshAccessToken"`
}

// DirectAuthData is the direct login's answer: the token and the SEK
// encrypted with the AppKey.
type DirectAuthData struct {
	ClientID    string `json:"ClientId"`
	UserName    string `json:"UserName"`
	AuthToken   string `json:"AuthToken"`
	Sek         string `json:"Sek"`
	TokenExpiry string `json:"TokenExpiry"`
}

// sealECB encrypts with AES-256 in ECB mode and PKCS #7 padding.
func sealECB(key, plain []byte) ([]byte, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("%w: an AES-256 key has 32 bytes, not %d", ErrEnvelope, len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	n := aes.BlockSize - len(plain)%aes.BlockSize // 1–16: a whole block when already aligned
	out := append(append([]byte(nil), plain...), bytes.Repeat([]byte{byte(n)}, n)...)
	for i := 0; i < len(out); i += aes.BlockSize {
		b.Encrypt(out[i:i+aes.BlockSize], out[i:i+aes.BlockSize])
	}
	return out, nil
}

// openECB decrypts AES-256-ECB and removes the padding, refusing a body
// that is not whole blocks or whose padding is not n bytes of value n.
func openECB(key, data []byte) ([]byte, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("%w: an AES-256 key has 32 bytes, not %d", ErrEnvelope, len(key))
	}
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a whole number of 16-byte blocks", ErrEnvelope, len(data))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	for i := 0; i < len(data); i += aes.BlockSize {
		b.Decrypt(out[i:i+aes.BlockSize], data[i:i+aes.BlockSize])
	}
	n := int(out[len(out)-1])
	if n < 1 || n > aes.BlockSize {
		return nil, fmt.Errorf("%w: bad padding (wrong key?)", ErrEnvelope)
	}
	for _, p := range out[len(out)-n:] {
		if int(p) != n {
			return nil, fmt.Errorf("%w: bad padding (wrong key?)", ErrEnvelope)
		}
	}
	return out[:len(out)-n], nil
}

// Seal is the direct API's body for JSON: Base64 of it encrypted with the SEK.
func Seal(sek, plain []byte) (string, error) {
	enc, err := sealECB(sek, plain)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(enc), nil
}

// Open reads a direct API Data string back with the SEK.
func Open(sek []byte, data string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("%w: Data is not Base64: %v", ErrEnvelope, err)
	}
	return openECB(sek, raw)
}

// ParsePublicKey reads the portal's RSA public key for the login (PEM or
// bare Base64; gst.ParseRSAPublicKey).
func ParsePublicKey(text string) (*rsa.PublicKey, error) { return gst.ParseRSAPublicKey(text) }

// sealLogin makes the direct login's body and the AppKey that will open the
// SEK: the login JSON, Base64-encoded, RSA-encrypted (PKCS #1 v1.5) with the
// portal's public key, Base64-encoded.
func sealLogin(pub *rsa.PublicKey, user, password string, force bool) (Envelope, []byte, error) {
	appKey := make([]byte, 32)
	if _, err := rand.Read(appKey); err != nil {
		return Envelope{}, nil, err
	}
	js, err := json.Marshal(directLogin{UserName: user, Password: password, AppKey: base64.StdEncoding.EncodeToString(appKey), ForceRefreshAccessToken: force})
	if err != nil {
		return Envelope{}, nil, err
	}
	//lint:ignore SA1019 NIC's login is RSA/ECB/PKCS1Padding (PKCS #1 v1.5) by its specification; OAEP is refused
	enc, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(base64.StdEncoding.EncodeToString(js)))
	if err != nil {
		return Envelope{}, nil, fmt.Errorf("encrypting the IRP login (user name and password too long for the portal's key?): %w", err)
	}
	return Envelope{Data: base64.StdEncoding.EncodeToString(enc)}, appKey, nil
}

// openLogin is the portal's side of sealLogin: the login JSON, or 1013
// when the RSA layer does not open and 1016 when the AppKey is not a
// Base64 32-byte key (NIC's vital error codes).
func openLogin(key *rsa.PrivateKey, env Envelope) (directLogin, []byte, string) {
	var in directLogin
	raw, err := base64.StdEncoding.DecodeString(env.Data)
	if err != nil {
		return in, nil, CodeBadPassword
	}
	//lint:ignore SA1019 NIC's login is RSA/ECB/PKCS1Padding (PKCS #1 v1.5) by its specification; OAEP is refused
	b64, err := rsa.DecryptPKCS1v15(nil, key, raw)
	if err != nil {
		return in, nil, CodeBadPassword
	}
	js, err := base64.StdEncoding.DecodeString(string(b64))
	if err != nil || json.Unmarshal(js, &in) != nil {
		return in, nil, CodeBadPassword
	}
	appKey, err := base64.StdEncoding.DecodeString(in.AppKey)
	if err != nil || len(appKey) != 32 {
		return in, nil, CodeBadAppKey
	}
	return in, appKey, ""
}
