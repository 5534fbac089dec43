package einvoice

import (
	"fmt"
	"strconv"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Document types.
const (
	TypInvoice    = "INV"
	TypCreditNote = "CRN"
)

// Date writes a date as the portal does: dd/mm/yyyy.
func Date(d cal.Date) string {
	if len(d) != 10 {
		return string(d)
	}
	return string(d[8:10]) + "/" + string(d[5:7]) + "/" + string(d[0:4])
}

// ParseDate reads the portal's dd/mm/yyyy.
func ParseDate(s string) (cal.Date, error) {
	if len(s) != 10 || s[2] != '/' || s[5] != '/' {
		return "", fmt.Errorf("date %q: write it as dd/mm/yyyy", s)
	}
	d := cal.Date(s[6:10] + "-" + s[3:5] + "-" + s[0:2])
	if !d.Valid() {
		return "", fmt.Errorf("date %q is not a calendar date", s)
	}
	return d, nil
}

// NeedsIRN reports whether an invoice to this buyer needs an IRN: only a
// B2B supply (the buyer has a GSTIN) does; B2C invoices never go to the IRP.
func NeedsIRN(buyerGSTIN string) bool { return strings.TrimSpace(buyerGSTIN) != "" }

// ForInvoice builds the e-invoice of a posted B2B invoice. What the portal
// would refuse is named first: a B2C buyer, a cancelled invoice, a buyer or
// seller without city or PIN, an HSN shorter than the company's setting.
func ForInvoice(tx *book.Tx, number string) (*Document, error) {
	inv, err := billing.GetInvoice(tx, number)
	if err != nil {
		return nil, err
	}
	if !NeedsIRN(inv.OutletGSTIN) {
		return nil, fail.Invalid("number", "invoice %s is B2C (outlet %s has no GSTIN): B2C invoices do not get an IRN", inv.Number, inv.Outlet)
	}
	if inv.Status == billing.StatusCancelled {
		return nil, fail.Conflict("number", "invoice %s is cancelled: it needs no IRN", inv.Number)
	}
	co, seller, buyer, err := parties(tx, inv.Outlet, inv.OutletName, inv.OutletGSTIN, inv.OutletAddress, inv.PlaceOfSupply)
	if err != nil {
		return nil, err
	}
	doc := newDoc(TypInvoice, inv.Number, inv.Date, seller, buyer)
	free := map[int]money.Qty{} // free rows of the same item as the line that earned them
	for _, ln := range inv.Lines {
		if ln.Free && ln.ForLine > 0 && ln.ForLine <= len(inv.Lines) && inv.Lines[ln.ForLine-1].Item == ln.Item {
			free[ln.ForLine] += ln.Qty
		}
	}
	for _, ln := range inv.Lines {
		if ln.Free && free[ln.ForLine] > 0 && inv.Lines[ln.ForLine-1].Item == ln.Item {
			continue
		}
		if err := checkHSN(co, ln.No, ln.Item, ln.HSN); err != nil {
			return nil, err
		}
		it := Item{PrdDesc: ln.Name, IsServc: "N", HsnCd: ln.HSN, Unit: UQC(ln.Unit), GstRt: Rate(ln.GSTRateBP), BchDtls: batch(ln.Batches)}
		if ln.Free {
			// a scheme's free goods of another item: no price, no tax
			it.FreeQty = Units(ln.Qty)
		} else {
			it.Qty, it.FreeQty = Units(ln.Qty), Units(free[ln.No])
			it.UnitPrice, it.TotAmt = Amount(ln.RatePaise), Amount(ln.GrossPaise)
			it.Discount = Amount(ln.DiscountPaise + ln.SchemeDiscountPaise)
			it.AssAmt = Amount(ln.TaxablePaise)
			it.CgstAmt, it.SgstAmt, it.IgstAmt = Amount(ln.CGSTPaise), Amount(ln.SGSTPaise), Amount(ln.IGSTPaise)
			it.TotItemVal = Amount(ln.TotalPaise)
		}
		doc.add(it)
	}
	doc.ValDtls.RndOffAmt, doc.ValDtls.TotInvVal = Amount(inv.RoundOffPaise), Amount(inv.TotalPaise)
	return doc, doc.selfCheck()
}

// ForCreditNote builds the e-invoice of a credit note (a sales return)
// against a B2B invoice; RefDtls names the invoice it reverses.
func ForCreditNote(tx *book.Tx, number string) (*Document, error) {
	cn, err := billing.GetSalesReturn(tx, strings.ToUpper(strings.TrimSpace(number)))
	if err != nil {
		return nil, err
	}
	inv, err := billing.GetInvoice(tx, cn.Invoice)
	if err != nil {
		return nil, err
	}
	if !NeedsIRN(inv.OutletGSTIN) {
		return nil, fail.Invalid("number", "credit note %s is against B2C invoice %s (outlet %s has no GSTIN): it does not get an IRN", cn.Number, inv.Number, inv.Outlet)
	}
	co, seller, buyer, err := parties(tx, inv.Outlet, inv.OutletName, inv.OutletGSTIN, inv.OutletAddress, inv.PlaceOfSupply)
	if err != nil {
		return nil, err
	}
	doc := newDoc(TypCreditNote, cn.Number, cn.Date, seller, buyer)
	doc.RefDtls = &RefDtls{InvRm: clip(cn.Reason, 100), PrecDocDtls: []PrecDocDtls{{InvNo: inv.Number, InvDt: Date(inv.Date)}}}
	if len(doc.RefDtls.InvRm) < 3 {
		doc.RefDtls.InvRm = ""
	}
	for _, ln := range cn.Lines {
		if err := checkHSN(co, ln.No, ln.Item, ln.HSN); err != nil {
			return nil, err
		}
		unit := ""
		if ln.InvoiceLine > 0 && ln.InvoiceLine <= len(inv.Lines) {
			unit = inv.Lines[ln.InvoiceLine-1].Unit
		}
		it := Item{PrdDesc: ln.Name, IsServc: "N", HsnCd: ln.HSN, Unit: UQC(unit), GstRt: Rate(ln.GSTRateBP), BchDtls: batch(ln.Batches)}
		if ln.Free {
			it.FreeQty = Units(ln.Qty)
		} else {
			gross := ln.RatePaise.MulQty(ln.Qty)
			if gross < ln.TaxablePaise {
				return nil, fmt.Errorf("credit note %s line %d: taxable ₹%s is above quantity × rate ₹%s", cn.Number, ln.No, ln.TaxablePaise, gross)
			}
			it.Qty, it.UnitPrice, it.TotAmt = Units(ln.Qty), Amount(ln.RatePaise), Amount(gross)
			it.Discount, it.AssAmt = Amount(gross-ln.TaxablePaise), Amount(ln.TaxablePaise)
			it.CgstAmt, it.SgstAmt, it.IgstAmt = Amount(ln.CGSTPaise), Amount(ln.SGSTPaise), Amount(ln.IGSTPaise)
			it.TotItemVal = Amount(ln.TotalPaise)
		}
		doc.add(it)
	}
	doc.ValDtls.RndOffAmt, doc.ValDtls.TotInvVal = Amount(cn.RoundOffPaise), Amount(cn.TotalPaise)
	return doc, doc.selfCheck()
}

func newDoc(typ, number string, d cal.Date, seller, buyer Party) *Document {
	return &Document{Version: "1.1", TranDtls: TranDtls{TaxSch: "GST", SupTyp: "B2B", RegRev: "N"},
		DocDtls: DocDtls{Typ: typ, No: number, Dt: Date(d)}, SellerDtls: seller, BuyerDtls: buyer}
}

func (d *Document) add(it Item) {
	it.SlNo = strconv.Itoa(len(d.ItemList) + 1)
	d.ItemList = append(d.ItemList, it)
	v := &d.ValDtls
	v.AssVal += it.AssAmt
	v.CgstVal += it.CgstAmt
	v.SgstVal += it.SgstAmt
	v.IgstVal += it.IgstAmt
}

// selfCheck runs the portal's rules on what was built: a failure here is a
// bug in Vitaran, never the clerk's.
func (d *Document) selfCheck() error {
	if errs := Check(d, Rules{}); len(errs) > 0 {
		return fmt.Errorf("e-invoice %s breaks the portal's rules: %s", d.DocDtls.No, errs[0].Message)
	}
	return nil
}

// parties reads the seller (the company) and the buyer (the outlet's
// GSTIN, name and address as billed; its city and PIN from the master).
func parties(tx *book.Tx, outlet, name, gstin, address, pos string) (masters.Company, Party, Party, error) {
	co, err := masters.GetCompany(tx)
	if err != nil {
		return co, Party{}, Party{}, err
	}
	if co.GSTIN == "" || co.City == "" || co.Pincode == "" || strings.TrimSpace(co.Address) == "" {
		return co, Party{}, Party{}, fail.Invalid("company", "the company needs its GSTIN, address, city and PIN before any e-invoice: fill them on the Company screen")
	}
	o, err := masters.GetOutlet(tx, outlet)
	if err != nil {
		return co, Party{}, Party{}, err
	}
	var missing []string
	if o.City == "" {
		missing = append(missing, "city")
	}
	if o.Pincode == "" {
		missing = append(missing, "PIN")
	}
	if strings.TrimSpace(address) == "" && strings.TrimSpace(o.Address) == "" {
		missing = append(missing, "address")
	}
	if len(missing) > 0 {
		return co, Party{}, Party{}, fail.Invalid("outlet", "outlet %s (%s) has no %s: add it on the outlet before its e-invoice is made", o.Code, o.Name, strings.Join(missing, " or "))
	}
	if address == "" {
		address = o.Address
	}
	sPin, _ := strconv.Atoi(co.Pincode)
	bPin, _ := strconv.Atoi(o.Pincode)
	seller := Party{Gstin: co.GSTIN, LglNm: clip(co.Name, 100), Loc: clip(co.City, 50), Pin: sPin, Stcd: co.StateCode,
		Ph: digitsOnly(co.Phone, 12), Em: clip(co.Email, 100)}
	seller.Addr1, seller.Addr2 = SplitAddress(co.Address)
	buyer := Party{Gstin: gstin, LglNm: clip(name, 100), Pos: pos, Loc: clip(o.City, 50), Pin: bPin, Stcd: gst.StateOfGSTIN(gstin)}
	buyer.Addr1, buyer.Addr2 = SplitAddress(address)
	return co, seller, buyer, nil
}

func checkHSN(co masters.Company, line int, item, hsn string) error {
	if err := gst.ValidateHSN(hsn); err != nil {
		return fail.Invalid(fmt.Sprintf("lines[%d].hsn", line-1), "line %d, item %s: %v", line, item, err)
	}
	if len(hsn) < co.HSNDigits {
		return fail.Invalid(fmt.Sprintf("lines[%d].hsn", line-1), "line %d, item %s: HSN %s has %d digits, the company's turnover needs at least %d: correct the item's HSN",
			line, item, hsn, len(hsn), co.HSNDigits)
	}
	return nil
}

// batch is the line's first batch, its name cut to the schema's 20 characters.
func batch(picks []stock.Pick) *BchDtls {
	if len(picks) == 0 || picks[0].Batch == "" {
		return nil
	}
	b := &BchDtls{Nm: clip(picks[0].Batch, 20)}
	if picks[0].Expiry != "" {
		b.ExpDt = Date(picks[0].Expiry)
	}
	return b
}

// SplitAddress folds an address onto Addr1 and Addr2, 100 characters each.
func SplitAddress(a string) (string, string) {
	a = strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", ", ").Replace(a)), " ")
	if len([]rune(a)) <= 100 {
		return a, ""
	}
	r := []rune(a)
	cut := 100
	for i := 100; i > 60; i-- {
		if r[i] == ' ' || r[i] == ',' {
			cut = i
			break
		}
	}
	return strings.TrimSpace(string(r[:cut])), clip(strings.Trim(string(r[cut:]), " ,"), 100)
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}

func digitsOnly(s string, n int) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	if b.Len() < 6 || b.Len() > n {
		return ""
	}
	return b.String()
}

// uqcs are the GST unit quantity codes (UQC) of the e-invoice schema's
// master, with the names distributors' masters use for them.
var uqcs = map[string]string{
	"PCS": "PCS", "PC": "PCS", "PIECE": "PCS", "PIECES": "PCS", "NOS": "NOS", "NO": "NOS", "NUMBERS": "NOS", "UNT": "UNT", "UNIT": "UNT",
	"BOX": "BOX", "BOXES": "BOX", "CTN": "CTN", "CARTON": "CTN", "CASE": "CTN", "CS": "CTN", "PAC": "PAC", "PKT": "PAC", "PACK": "PAC",
	"PACKET": "PAC", "BTL": "BTL", "BOTTLE": "BTL", "CAN": "CAN", "DOZ": "DOZ", "DOZEN": "DOZ", "KGS": "KGS", "KG": "KGS",
	"GMS": "GMS", "GM": "GMS", "G": "GMS", "GRAM": "GMS", "LTR": "LTR", "L": "LTR", "LITRE": "LTR", "MLT": "MLT", "ML": "MLT",
	"TUB": "TUB", "TUBE": "TUB", "ROL": "ROL", "ROLL": "ROL", "SET": "SET", "PRS": "PRS", "PAIR": "PRS", "BAG": "BAG",
	"BDL": "BDL", "BUNDLE": "BDL", "BUN": "BUN", "DRM": "DRM", "MTR": "MTR", "QTL": "QTL", "TON": "TON", "TBS": "TBS",
	"TABLET": "TBS", "STRIP": "OTH", "OTH": "OTH",
}

// UQC maps an item's unit to its GST unit quantity code; an unknown unit is OTH.
func UQC(unit string) string {
	if u, ok := uqcs[strings.ToUpper(strings.TrimSpace(unit))]; ok {
		return u
	}
	return "OTH"
}

// ValidUQC reports whether code is in the schema's UQC master.
func ValidUQC(code string) bool {
	for _, u := range uqcs {
		if u == code {
			return true
		}
	}
	return false
}
