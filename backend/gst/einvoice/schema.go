// Package einvoice is the e-invoice as the Invoice Registration Portal (IRP)
// takes it: the NIC e-invoice schema version 1.1 (INV-01, notified with
// Notification 60/2020-Central Tax), built from a posted invoice or credit
// note, and the portal's validation rules, which the IRP emulator applies too.
//
// Always true: every amount is built from paise and written as rupees with
// two decimals without passing through a float; for a document this package
// builds, TotAmt = Qty × UnitPrice, AssAmt = TotAmt − Discount and
// TotItemVal = AssAmt + taxes exactly, and the invoice totals are the sums of
// the lines plus the round-off, so the portal's tolerance is never needed.
package einvoice

import (
	"fmt"
	"strconv"
	"strings"

	"vitaran/backend/money"
)

// Document is one e-invoice (schema 1.1). Optional parts the distributor
// never sends (export, e-commerce, payment, e-way bill details) are left out.
type Document struct {
	Version    string   `json:"Version"`
	TranDtls   TranDtls `json:"TranDtls"`
	DocDtls    DocDtls  `json:"DocDtls"`
	SellerDtls Party    `json:"SellerDtls"`
	BuyerDtls  Party    `json:"BuyerDtls"`
	ItemList   []Item   `json:"ItemList"`
	ValDtls    ValDtls  `json:"ValDtls"`
	RefDtls    *RefDtls `json:"RefDtls,omitempty"`
}

// TranDtls are the transaction details: GST, B2B, no reverse charge.
type TranDtls struct {
	TaxSch string `json:"TaxSch"`
	SupTyp string `json:"SupTyp"`
	RegRev string `json:"RegRev"`
}

// DocDtls name the document: INV or CRN, its number and date (dd/mm/yyyy).
type DocDtls struct {
	Typ string `json:"Typ"`
	No  string `json:"No"`
	Dt  string `json:"Dt"`
}

// Party is the seller or the buyer. Pos (place of supply) is the buyer's only.
type Party struct {
	Gstin string `json:"Gstin"`
	LglNm string `json:"LglNm"`
	TrdNm string `json:"TrdNm,omitempty"`
	Pos   string `json:"Pos,omitempty"`
	Addr1 string `json:"Addr1"`
	Addr2 string `json:"Addr2,omitempty"`
	Loc   string `json:"Loc"`
	Pin   int    `json:"Pin"`
	Stcd  string `json:"Stcd"`
	Ph    string `json:"Ph,omitempty"`
	Em    string `json:"Em,omitempty"`
}

// Item is one line.
type Item struct {
	SlNo       string   `json:"SlNo"`
	PrdDesc    string   `json:"PrdDesc"`
	IsServc    string   `json:"IsServc"`
	HsnCd      string   `json:"HsnCd"`
	Qty        Qty      `json:"Qty"`
	FreeQty    Qty      `json:"FreeQty"`
	Unit       string   `json:"Unit"`
	UnitPrice  Amount   `json:"UnitPrice"`
	TotAmt     Amount   `json:"TotAmt"`
	Discount   Amount   `json:"Discount"`
	AssAmt     Amount   `json:"AssAmt"`
	GstRt      Rate     `json:"GstRt"`
	IgstAmt    Amount   `json:"IgstAmt"`
	CgstAmt    Amount   `json:"CgstAmt"`
	SgstAmt    Amount   `json:"SgstAmt"`
	TotItemVal Amount   `json:"TotItemVal"`
	BchDtls    *BchDtls `json:"BchDtls,omitempty"`
}

// BchDtls is the batch a line's goods came from (the first FEFO batch).
type BchDtls struct {
	Nm    string `json:"Nm"`
	ExpDt string `json:"ExpDt,omitempty"`
}

// ValDtls are the document's totals.
type ValDtls struct {
	AssVal    Amount `json:"AssVal"`
	CgstVal   Amount `json:"CgstVal"`
	SgstVal   Amount `json:"SgstVal"`
	IgstVal   Amount `json:"IgstVal"`
	Discount  Amount `json:"Discount"`
	RndOffAmt Amount `json:"RndOffAmt"`
	TotInvVal Amount `json:"TotInvVal"`
}

// RefDtls carries, for a credit note, the invoice it reverses.
type RefDtls struct {
	InvRm       string        `json:"InvRm,omitempty"`
	PrecDocDtls []PrecDocDtls `json:"PrecDocDtls"`
}

// PrecDocDtls names a preceding document.
type PrecDocDtls struct {
	InvNo string `json:"InvNo"`
	InvDt string `json:"InvDt"`
}

// Amount is money in paise, written as rupees with two decimals (1234.50).
type Amount int64

// Paise is the amount as money.
func (a Amount) Paise() money.Paise { return money.Paise(a) }

// MarshalJSON writes the rupees with two decimals, from integer paise.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(money.Paise(a).Plain()), nil }

// UnmarshalJSON reads a JSON number with at most two decimals exactly.
func (a *Amount) UnmarshalJSON(b []byte) error {
	v, err := parseFixed(string(b), 2)
	if err != nil {
		return fmt.Errorf("amount %s: %w", b, err)
	}
	*a = Amount(v)
	return nil
}

// Qty is a quantity in thousandths of the unit (the schema allows three
// decimals); Vitaran's quantities are whole units.
type Qty int64

// Units makes a Qty of whole units.
func Units(q money.Qty) Qty { return Qty(int64(q) * 1000) }

// MarshalJSON writes the quantity, without decimals when it is whole.
func (q Qty) MarshalJSON() ([]byte, error) { return []byte(fixed(int64(q), 3, true)), nil }

// UnmarshalJSON reads a JSON number with at most three decimals exactly.
func (q *Qty) UnmarshalJSON(b []byte) error {
	v, err := parseFixed(string(b), 3)
	if err != nil {
		return fmt.Errorf("quantity %s: %w", b, err)
	}
	*q = Qty(v)
	return nil
}

// Rate is a GST rate in basis points, written as a percentage (18, 0.25).
type Rate int64

// MarshalJSON writes the percentage without trailing zeros.
func (r Rate) MarshalJSON() ([]byte, error) { return []byte(fixed(int64(r), 2, true)), nil }

// UnmarshalJSON reads a percentage with at most two decimals.
func (r *Rate) UnmarshalJSON(b []byte) error {
	v, err := parseFixed(string(b), 2)
	if err != nil {
		return fmt.Errorf("rate %s: %w", b, err)
	}
	*r = Rate(v)
	return nil
}

// fixed writes v / 10^dec; trim drops trailing zeros (and the point).
func fixed(v int64, dec int, trim bool) string {
	neg := v < 0
	if neg {
		v = -v
	}
	p := int64(1)
	for i := 0; i < dec; i++ {
		p *= 10
	}
	s := strconv.FormatInt(v/p, 10)
	frac := fmt.Sprintf("%0*d", dec, v%p)
	if trim {
		frac = strings.TrimRight(frac, "0")
	}
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

// parseFixed reads a JSON number as an integer count of 10^-dec, refusing
// exponents, more decimals than dec and values beyond ±10^15.
func parseFixed(s string, dec int) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return 0, fmt.Errorf("must be a number")
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || (hasPoint && frac == "") {
		return 0, fmt.Errorf("must be a number")
	}
	if len(frac) > dec {
		return 0, fmt.Errorf("has more than %d decimals", dec)
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("is too large")
	}
	if len(whole) > 1 && whole[0] == '0' {
		return 0, fmt.Errorf("must be a number")
	}
	var v int64
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("must be a plain decimal number")
		}
		v = v*10 + int64(c-'0')
	}
	for i := len(frac); i < dec; i++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, nil
}
