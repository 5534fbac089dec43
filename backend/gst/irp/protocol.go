// Package irp talks to the Invoice Registration Portal (IRP) and emulates it:
// the client authenticates and generates, fetches and cancels IRNs; Sim is an
// emulator of the portal's API at least as strict as the portal, for tests
// and for `vitaran irp sim`; the queue takes every B2B invoice and credit
// note to the portal after it is posted, never inside the posting.
//
// The API follows the NIC e-invoice API v1.03 (auth v1.04): the same paths,
// headers, reply shapes and error codes, with the payload as plain JSON as
// GSPs pass it through (ModeGSP) or in the SEK-encrypted envelope NIC takes
// from direct API users (ModeDirect, direct.go).
//
// Always true: a document gets at most one IRN. The IRN is derived by the
// portal from the seller's GSTIN, the financial year, the document type and
// its number, so a resend after a lost reply meets error 2150 and the queue
// fetches the IRN already given instead of failing or asking for another.
package irp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"vitaran/backend/cal"
	"vitaran/backend/gst/einvoice"
)

// API paths (NIC e-invoice API: auth v1.04, e-invoice v1.03).
const (
	PathAuth     = "/eivital/v1.04/auth"
	PathGenerate = "/eicore/v1.03/Invoice"
	PathByDoc    = "/eicore/v1.03/Invoice/irnbydocdetails"
	PathByIRN    = "/eicore/v1.03/Invoice/irn/"
	PathCancel   = "/eicore/v1.03/Invoice/Cancel"
)

// Reply is every answer's envelope: Status 1 with Data, or 0 with errors.
type Reply struct {
	Status       int             `json:"Status"`
	Data         json.RawMessage `json:"Data,omitempty"`
	ErrorDetails Problems        `json:"ErrorDetails"`
	InfoDtls     []Info          `json:"InfoDtls"`
}

// Problems are a refusal's errors: a JSON array, or (as NIC's generate-IRN
// page describes ErrorDetails) the Base64 of that array.
type Problems []einvoice.Problem

// UnmarshalJSON takes the array or its Base64.
func (p *Problems) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*p = nil
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("ErrorDetails is neither a list nor Base64: %v", err)
		}
		b = raw
	}
	return json.Unmarshal(b, (*[]einvoice.Problem)(p))
}

// Info is extra information on a reply; DUPIRN carries the IRN already
// given to a duplicate document.
type Info struct {
	InfCd string          `json:"InfCd"`
	Desc  json.RawMessage `json:"Desc"`
}

// AuthRequest is the login: the API user's name and password (client id
// and secret travel as headers).
type AuthRequest struct {
	UserName                string `json:"UserName"`
	Password                string `json:"Password"`
	ForceRefreshAccessToken bool   `json:"ForceRefreshAccessToken,omitempty"`
}

// AuthData is the login's answer.
type AuthData struct {
	ClientID    string `json:"ClientId"`
	UserName    string `json:"UserName"`
	AuthToken   string `json:"AuthToken"`
	TokenExpiry string `json:"TokenExpiry"`
}

// IRNData is a generated (or fetched) IRN.
type IRNData struct {
	AckNo         int64  `json:"AckNo"`
	AckDt         string `json:"AckDt"` // yyyy-mm-dd hh:mm:ss, IST
	Irn           string `json:"Irn"`
	SignedInvoice string `json:"SignedInvoice"`
	SignedQRCode  string `json:"SignedQRCode"`
	Status        string `json:"Status"` // ACT or CNL
}

// DupIRN is the DUPIRN information of error 2150.
type DupIRN struct {
	AckNo int64  `json:"AckNo"`
	AckDt string `json:"AckDt"`
	Irn   string `json:"Irn"`
}

// CancelRequest cancels an IRN: CnlRsn 1 duplicate, 2 data entry mistake,
// 3 order cancelled, 4 other.
type CancelRequest struct {
	Irn    string `json:"Irn"`
	CnlRsn string `json:"CnlRsn"`
	CnlRem string `json:"CnlRem"`
}

// CancelData is a cancellation's answer.
type CancelData struct {
	Irn        string `json:"Irn"`
	CancelDate string `json:"CancelDate"`
}

// AckTime is how the portal writes AckDt and IrnDt.
const AckTime = "2006-01-02 15:04:05"

// IRN is the Invoice Reference Number the portal derives for a document: the
// SHA-256, in 64 hexadecimal characters, of the seller's GSTIN, the
// financial year (2026-27), the document type and its number.
func IRN(sellerGSTIN string, docDate cal.Date, typ, number string) string {
	fy := cal.FYOf(docDate, 4)
	sum := sha256.Sum256([]byte(sellerGSTIN + fmt.Sprintf("%d-%02d", fy.Start, (fy.Start+1)%100) + strings.ToUpper(typ) + strings.ToUpper(number)))
	return hex.EncodeToString(sum[:])
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
