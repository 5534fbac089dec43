package irp

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"vitaran/backend/gst/einvoice"
)

// QRPayload is what the signed QR code carries (the portal's list):
// SellerGstin, BuyerGstin, DocNo, DocTyp, DocDt, TotInvVal, ItemCnt,
// MainHsnCode (the HSN of the line with the largest assessable value), Irn
// and IrnDt.
type QRPayload struct {
	SellerGstin string          `json:"SellerGstin"`
	BuyerGstin  string          `json:"BuyerGstin"`
	DocNo       string          `json:"DocNo"`
	DocTyp      string          `json:"DocTyp"`
	DocDt       string          `json:"DocDt"`
	TotInvVal   einvoice.Amount `json:"TotInvVal"`
	ItemCnt     int             `json:"ItemCnt"`
	MainHsnCode string          `json:"MainHsnCode"`
	Irn         string          `json:"Irn"`
	IrnDt       string          `json:"IrnDt"`
}

// jwtHeader is the portal's: RS256 with the signing key's id.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	Typ string `json:"typ"`
}

// jwtBody carries the signed JSON as a string in "data", issued by NIC.
type jwtBody struct {
	Data string `json:"data"`
	Iss  string `json:"iss"`
}

var b64 = base64.RawURLEncoding

// sign makes an RS256 JWT whose payload's "data" is the JSON of v.
func sign(key *rsa.PrivateKey, kid string, v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	h, _ := json.Marshal(jwtHeader{Alg: "RS256", Kid: kid, Typ: "JWT"})
	b, _ := json.Marshal(jwtBody{Data: string(data), Iss: "NIC"})
	signing := b64.EncodeToString(h) + "." + b64.EncodeToString(b)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + b64.EncodeToString(sig), nil
}

// ErrBadJWT is a token that is not a JWT of the portal's shape.
var ErrBadJWT = errors.New("not a signed token of the IRP's shape")

// maxJWT bounds a token read from the portal or an import (a signed invoice
// of 1,000 lines is about 400 KB).
const maxJWT = 4 << 20

// ReadJWT splits a portal token and returns the JSON its payload's "data"
// carries, without checking the signature (Verify does).
func ReadJWT(token string) (data []byte, err error) {
	if len(token) > maxJWT {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrBadJWT, maxJWT)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: %d parts, not 3", ErrBadJWT, len(parts))
	}
	hraw, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrBadJWT, err)
	}
	var h jwtHeader
	if err := json.Unmarshal(hraw, &h); err != nil || h.Alg != "RS256" {
		return nil, fmt.Errorf("%w: header is not RS256", ErrBadJWT)
	}
	braw, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrBadJWT, err)
	}
	var body jwtBody
	if err := json.Unmarshal(braw, &body); err != nil || body.Data == "" {
		return nil, fmt.Errorf("%w: payload carries no data", ErrBadJWT)
	}
	if _, err := b64.DecodeString(parts[2]); err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrBadJWT, err)
	}
	return []byte(body.Data), nil
}

// ReadQR returns what a signed QR code carries.
func ReadQR(token string) (QRPayload, error) {
	var q QRPayload
	data, err := ReadJWT(token)
	if err != nil {
		return q, err
	}
	if err := json.Unmarshal(data, &q); err != nil {
		return q, fmt.Errorf("%w: QR data: %v", ErrBadJWT, err)
	}
	return q, nil
}

// Verify checks a token's RS256 signature against the portal's public key.
func Verify(token string, pub *rsa.PublicKey) error {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return ErrBadJWT
	}
	sig, err := b64.DecodeString(token[i+1:])
	if err != nil {
		return ErrBadJWT
	}
	sum := sha256.Sum256([]byte(token[:i]))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
}
