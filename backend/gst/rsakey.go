package gst

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
)

// ParseRSAPublicKey reads the e-invoice portal's RSA public key that NIC's
// direct API login is encrypted with: PEM ("PUBLIC KEY" or "RSA PUBLIC
// KEY") as the portal's API user management gives it, or the bare Base64
// of the key without the PEM armour.
func ParseRSAPublicKey(text string) (*rsa.PublicKey, error) {
	var der []byte
	if blk, _ := pem.Decode([]byte(text)); blk != nil {
		der = blk.Bytes
	} else if b, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields([]byte(text)), nil))); err == nil && len(b) > 0 {
		der = b
	} else {
		return nil, fmt.Errorf("the IRP public key is neither PEM nor Base64")
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		if rk, ok := k.(*rsa.PublicKey); ok {
			return rk, nil
		}
		return nil, fmt.Errorf("the IRP public key is not an RSA key")
	}
	k, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("the IRP public key does not parse: %v", err)
	}
	return k, nil
}
