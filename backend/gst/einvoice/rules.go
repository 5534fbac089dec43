package einvoice

import (
	"fmt"
	"regexp"

	"vitaran/backend/gst"
)

// Problem is one rule a document breaks, with the portal's error code.
type Problem struct {
	Code    string `json:"ErrorCode"`
	Message string `json:"ErrorMessage"`
}

// Rules tune Check.
type Rules struct {
	// Tolerance is the difference the portal accepts between a stated
	// amount and its computation. Zero checks exactly (what Vitaran builds
	// must pass that); the IRP allows ₹1 (PortalTolerance).
	Tolerance Amount
}

// PortalTolerance is the ±₹1 the IRP accepts between a stated amount and its
// computation (NIC e-invoice validation rules for schema 1.1, "the
// difference ... should be within the tolerance limit of Rs. 1").
const PortalTolerance Amount = 100

// Error codes the checks answer, as the NIC e-invoice system's error list
// gives them (the IRP's "API error codes list" and "Resolution for common
// errors" pages, einv-apisandbox.nic.in and einvoice1.gst.gov.in/others/
// geterrorcodes/INV): 2172/2174 tax type against the supply, 2176 invalid
// HSN, 2182 total taxable value, 2189 total invoice value, 2193 AssAmt =
// TotAmt − Discount, 3028/3029 the GSTIN. The shape rules with no code of
// their own are answered as 5002 (data validation) with the rule in the
// message, as the portal does for schema failures.
const (
	CodeIGSTOnIntra   = "2172" // For intra state transaction IGST amounts is not applicable …
	CodeCGSTOnInter   = "2174" // For inter-state transaction, CGST and SGST amounts are not applicable …
	CodeInvalidHSN    = "2176" // Invalid HSN code(s)-{0}
	CodeTaxableTotal  = "2182" // Taxable value of all items must be equal to total taxable value.
	CodeInvoiceTotal  = "2189" // Invalid total Invoice Value
	CodeAssessable    = "2193" // For HSN - {0} and Sl. No - {1}, AssAmt value should be equal to (TotAmt - Discount).
	CodeGSTINInvalid  = "3028" // GSTIN - {0} is not present in taxpayer master
	CodeGSTINInactive = "3029" // GSTIN is inactive or cancelled
	CodeValidation    = "5002" // data validation: the rule is in the message
)

// The document number's pattern (schema 1.1, DocDtls.No): 1–16 characters,
// first a capital letter or 1–9, then capitals, digits, '/' and '-'.
var docNoRe = regexp.MustCompile(`^[A-Z1-9][A-Z0-9/-]{0,15}$`)

// Check applies the NIC validation rules for e-invoice schema 1.1 that do not
// depend on the portal's records (those — duplicates, the seller's login,
// inactive GSTINs, date limits — are the emulator's): the schema's values and
// lengths, GSTIN check characters, PINs in their state, the HSN, the unit
// code, and the arithmetic of every line and of the totals. It returns every
// problem, in document order.
func Check(d *Document, r Rules) []Problem {
	c := checker{tol: r.Tolerance}
	c.doc(d)
	return c.out
}

type checker struct {
	tol Amount
	out []Problem
}

func (c *checker) bad(code, format string, a ...any) {
	c.out = append(c.out, Problem{Code: code, Message: fmt.Sprintf(format, a...)})
}

func (c *checker) doc(d *Document) {
	// Schema 1.1: Version, and the enumerations of TranDtls and DocDtls.
	if d.Version != "1.1" {
		c.bad(CodeValidation, "Version must be 1.1, not %q", d.Version)
	}
	t := d.TranDtls
	if t.TaxSch != "GST" {
		c.bad(CodeValidation, "TranDtls.TaxSch must be GST")
	}
	switch t.SupTyp {
	case "B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP":
	default:
		c.bad(CodeValidation, "TranDtls.SupTyp %q is not a supply type (B2B, SEZWP, SEZWOP, EXPWP, EXPWOP, DEXP)", t.SupTyp)
	}
	if t.RegRev != "Y" && t.RegRev != "N" {
		c.bad(CodeValidation, "TranDtls.RegRev must be Y or N")
	}
	switch d.DocDtls.Typ {
	case "INV", "CRN", "DBN":
	default:
		c.bad(CodeValidation, "DocDtls.Typ %q must be INV, CRN or DBN", d.DocDtls.Typ)
	}
	if !docNoRe.MatchString(d.DocDtls.No) {
		c.bad(CodeValidation, "DocDtls.No %q must be 1–16 capitals, digits, / or -, not starting with 0, / or -", d.DocDtls.No)
	}
	docDate, err := ParseDate(d.DocDtls.Dt)
	if err != nil {
		c.bad(CodeValidation, "DocDtls.Dt: %v", err)
	}
	c.party("SellerDtls", d.SellerDtls, false)
	c.party("BuyerDtls", d.BuyerDtls, true)
	// Rule: the supplier and the recipient cannot be the same GSTIN.
	if d.SellerDtls.Gstin != "" && d.SellerDtls.Gstin == d.BuyerDtls.Gstin {
		c.bad(CodeValidation, "SellerDtls.Gstin and BuyerDtls.Gstin are the same (%s)", d.SellerDtls.Gstin)
	}
	// Rule: CGST+SGST when the supplier's state is the place of supply,
	// IGST otherwise (no IgstOnIntra for Vitaran's supplies).
	interState := d.SellerDtls.Stcd != d.BuyerDtls.Pos
	if n := len(d.ItemList); n < 1 || n > 1000 {
		c.bad(CodeValidation, "ItemList must have 1–1000 items, not %d", n)
	}
	var sum ValDtls
	seen := map[string]bool{}
	for i := range d.ItemList {
		it := &d.ItemList[i]
		c.item(i, it, interState, seen)
		sum.AssVal += it.AssAmt
		sum.CgstVal += it.CgstAmt
		sum.SgstVal += it.SgstAmt
		sum.IgstVal += it.IgstAmt
	}
	// Rule: each total equals the sum of the items' amounts.
	v := d.ValDtls
	c.nearCode(CodeTaxableTotal, "ValDtls.AssVal", v.AssVal, sum.AssVal, "the sum of AssAmt")
	c.near("ValDtls.CgstVal", v.CgstVal, sum.CgstVal, "the sum of CgstAmt")
	c.near("ValDtls.SgstVal", v.SgstVal, sum.SgstVal, "the sum of SgstAmt")
	c.near("ValDtls.IgstVal", v.IgstVal, sum.IgstVal, "the sum of IgstAmt")
	// Rule: the round-off is less than a hundred rupees either way.
	if v.RndOffAmt < -9999 || v.RndOffAmt > 9999 {
		c.bad(CodeValidation, "ValDtls.RndOffAmt %s must be between -99.99 and 99.99", v.RndOffAmt.Paise().Plain())
	}
	if v.Discount < 0 {
		c.bad(CodeValidation, "ValDtls.Discount must not be negative")
	}
	// Rule: TotInvVal = AssVal + taxes − Discount + RndOffAmt.
	c.nearCode(CodeInvoiceTotal, "ValDtls.TotInvVal", v.TotInvVal, v.AssVal+v.CgstVal+v.SgstVal+v.IgstVal-v.Discount+v.RndOffAmt,
		"AssVal + CgstVal + SgstVal + IgstVal − Discount + RndOffAmt")
	if d.RefDtls != nil {
		for i, p := range d.RefDtls.PrecDocDtls {
			if !docNoRe.MatchString(p.InvNo) {
				c.bad(CodeValidation, "RefDtls.PrecDocDtls[%d].InvNo %q is not a document number", i, p.InvNo)
			}
			pd, err := ParseDate(p.InvDt)
			if err != nil {
				c.bad(CodeValidation, "RefDtls.PrecDocDtls[%d].InvDt: %v", i, err)
			} else if docDate != "" && pd > docDate {
				c.bad(CodeValidation, "RefDtls.PrecDocDtls[%d].InvDt %s is after the document date %s", i, p.InvDt, d.DocDtls.Dt)
			}
		}
	}
}

func (c *checker) party(name string, p Party, buyer bool) {
	// Rule 3028: a GSTIN must have a valid shape, state and check character.
	if err := gst.ValidateGSTIN(p.Gstin); err != nil {
		c.bad(CodeGSTINInvalid, "%s.Gstin: %v", name, err)
	}
	if n := len([]rune(p.LglNm)); n < 3 || n > 100 {
		c.bad(CodeValidation, "%s.LglNm must be 3–100 characters", name)
	}
	if n := len([]rune(p.Addr1)); n < 1 || n > 100 {
		c.bad(CodeValidation, "%s.Addr1 must be 1–100 characters", name)
	}
	if n := len([]rune(p.Loc)); n < 3 || n > 50 {
		c.bad(CodeValidation, "%s.Loc must be 3–50 characters", name)
	}
	if err := gst.ValidState(p.Stcd); err != nil {
		c.bad(CodeValidation, "%s.Stcd: %v", name, err)
	}
	// Rule: the PIN is six digits and belongs to the state (Stcd).
	if err := gst.ValidatePIN(fmt.Sprint(p.Pin), p.Stcd); err != nil {
		c.bad(CodeValidation, "%s.Pin: %v", name, err)
	}
	if !buyer {
		if p.Gstin != "" && len(p.Gstin) >= 2 && p.Gstin[:2] != p.Stcd {
			c.bad(CodeValidation, "%s.Stcd %s is not the state of GSTIN %s", name, p.Stcd, p.Gstin)
		}
		return
	}
	if err := gst.ValidState(p.Pos); err != nil {
		c.bad(CodeValidation, "%s.Pos: %v", name, err)
	}
}

func (c *checker) item(i int, it *Item, interState bool, seen map[string]bool) {
	at := fmt.Sprintf("ItemList[%d]", i)
	if it.SlNo == "" || len(it.SlNo) > 6 || seen[it.SlNo] {
		c.bad(CodeValidation, "%s.SlNo %q must be present, at most 6 characters and unique", at, it.SlNo)
	}
	seen[it.SlNo] = true
	if n := len([]rune(it.PrdDesc)); n > 300 {
		c.bad(CodeValidation, "%s.PrdDesc must be at most 300 characters", at)
	}
	if it.IsServc != "Y" && it.IsServc != "N" {
		c.bad(CodeValidation, "%s.IsServc must be Y or N", at)
	}
	// Rule 2176: the HSN is 4, 6 or 8 digits of a real chapter; goods (IsServc
	// N) cannot carry a services code (chapter 99).
	if err := gst.ValidateHSN(it.HsnCd); err != nil || it.HsnCd[:2] == "00" || (it.IsServc == "N" && it.HsnCd[:2] == "99") {
		c.bad(CodeInvalidHSN, "HSN code(s)-%s is invalid (%s)", it.HsnCd, at)
	}
	if !ValidUQC(it.Unit) {
		c.bad(CodeValidation, "%s.Unit %q is not a GST unit quantity code (UQC)", at, it.Unit)
	}
	if it.Qty < 0 || it.FreeQty < 0 || it.UnitPrice < 0 || it.Discount < 0 || it.TotAmt < 0 || it.AssAmt < 0 {
		c.bad(CodeValidation, "%s: quantities and amounts must not be negative", at)
	}
	switch it.GstRt {
	case 0, 10, 25, 100, 150, 300, 500, 600, 750, 1200, 1800, 2800, 4000:
	default:
		c.bad(CodeValidation, "%s.GstRt %s is not a GST rate", at, fixed(int64(it.GstRt), 2, true))
	}
	// Rule: TotAmt = Qty × UnitPrice (Qty in thousandths, so divide back).
	c.near(at+".TotAmt", it.TotAmt, Amount(divRound(int64(it.Qty)*int64(it.UnitPrice), 1000)), "Qty × UnitPrice")
	// Rule: AssAmt = TotAmt − Discount (no pre-tax value or other charges).
	c.nearCode(CodeAssessable, at+".AssAmt", it.AssAmt, it.TotAmt-it.Discount, "TotAmt − Discount")
	// Rule: the tax is AssAmt at GstRt: IGST across states, CGST = SGST
	// (half each) within a state.
	rate := int64(it.GstRt)
	if interState {
		c.near(at+".IgstAmt", it.IgstAmt, Amount(divRound(int64(it.AssAmt)*rate, 10000)), "AssAmt × GstRt")
		if it.CgstAmt != 0 || it.SgstAmt != 0 {
			c.bad(CodeCGSTOnInter, "%s: for inter-state transaction, CGST and SGST amounts are not applicable; only IGST amount is applicable", at)
		}
	} else {
		half := Amount(divRound(int64(it.AssAmt)*rate, 20000))
		c.near(at+".CgstAmt", it.CgstAmt, half, "AssAmt × GstRt / 2")
		c.near(at+".SgstAmt", it.SgstAmt, half, "AssAmt × GstRt / 2")
		if it.IgstAmt != 0 {
			c.bad(CodeIGSTOnIntra, "%s: for intra state transaction IGST amounts is not applicable, only CGST and SGST amounts are applicable", at)
		}
	}
	// Rule: TotItemVal = AssAmt + the taxes.
	c.near(at+".TotItemVal", it.TotItemVal, it.AssAmt+it.CgstAmt+it.SgstAmt+it.IgstAmt, "AssAmt + CgstAmt + SgstAmt + IgstAmt")
}

func (c *checker) near(field string, got, want Amount, what string) {
	c.nearCode(CodeValidation, field, got, want, what)
}

func (c *checker) nearCode(code, field string, got, want Amount, what string) {
	if d := got - want; d > c.tol || d < -c.tol {
		c.bad(code, "%s %s is not %s (%s)", field, got.Paise().Plain(), what, want.Paise().Plain())
	}
}

func divRound(a, b int64) int64 {
	if a >= 0 {
		return (a + b/2) / b
	}
	return -((-a + b/2) / b)
}
