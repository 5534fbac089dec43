// Package ewaybill makes the e-way bill JSON of invoices whose goods move
// above the threshold (₹50,000 under Rule 138 of the CGST Rules), in the
// format of the e-way bill portal's bulk generation tool (the JSON the
// portal's "Generate bulk" upload and its API v1.03 take).
//
// Always true: amounts are built from paise without floats, and an e-way
// bill's totals are its invoice's: totalValue + cgstValue + sgstValue +
// igstValue + otherValue (the round-off) = totInvValue.
package ewaybill

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Version is the bulk tool's JSON version the file declares.
const Version = "1.0.0621"

// File is what the portal's bulk upload takes.
type File struct {
	Version   string `json:"version"`
	BillLists []Bill `json:"billLists"`
}

// Bill is one e-way bill: an outward supply (supplyType O, subSupplyType 1)
// of a tax invoice (docType INV) by road (transMode 1).
type Bill struct {
	UserGstin        string          `json:"userGstin"`
	SupplyType       string          `json:"supplyType"`
	SubSupplyType    int             `json:"subSupplyType"`
	DocType          string          `json:"docType"`
	DocNo            string          `json:"docNo"`
	DocDate          string          `json:"docDate"`
	TransactionType  int             `json:"transactionType"`
	FromGstin        string          `json:"fromGstin"`
	FromTrdName      string          `json:"fromTrdName"`
	FromAddr1        string          `json:"fromAddr1"`
	FromAddr2        string          `json:"fromAddr2"`
	FromPlace        string          `json:"fromPlace"`
	FromPincode      int             `json:"fromPincode"`
	FromStateCode    int             `json:"fromStateCode"`
	ActFromStateCode int             `json:"actFromStateCode"`
	ToGstin          string          `json:"toGstin"` // URP for an unregistered buyer
	ToTrdName        string          `json:"toTrdName"`
	ToAddr1          string          `json:"toAddr1"`
	ToAddr2          string          `json:"toAddr2"`
	ToPlace          string          `json:"toPlace"`
	ToPincode        int             `json:"toPincode"`
	ToStateCode      int             `json:"toStateCode"`
	ActToStateCode   int             `json:"actToStateCode"`
	TotalValue       einvoice.Amount `json:"totalValue"`
	CgstValue        einvoice.Amount `json:"cgstValue"`
	SgstValue        einvoice.Amount `json:"sgstValue"`
	IgstValue        einvoice.Amount `json:"igstValue"`
	CessValue        einvoice.Amount `json:"cessValue"`
	OtherValue       einvoice.Amount `json:"otherValue"`
	TotInvValue      einvoice.Amount `json:"totInvValue"`
	TransMode        int             `json:"transMode"`
	TransDistance    int             `json:"transDistance"`
	VehicleNo        string          `json:"vehicleNo"`
	VehicleType      string          `json:"vehicleType"`
	MainHsnCode      int             `json:"mainHsnCode"`
	TransporterID    string          `json:"transporterId"`
	TransporterName  string          `json:"transporterName"`
	TransDocNo       string          `json:"transDocNo"`
	TransDocDate     string          `json:"transDocDate"`
	ItemList         []Item          `json:"itemList"`
}

// Item is one line: its HSN, quantity, unit, taxable value and rates.
type Item struct {
	ItemNo        int             `json:"itemNo"`
	ProductName   string          `json:"productName"`
	ProductDesc   string          `json:"productDesc"`
	HsnCode       int             `json:"hsnCode"`
	Quantity      einvoice.Qty    `json:"quantity"`
	QtyUnit       string          `json:"qtyUnit"`
	TaxableAmount einvoice.Amount `json:"taxableAmount"`
	CgstRate      einvoice.Rate   `json:"cgstRate"`
	SgstRate      einvoice.Rate   `json:"sgstRate"`
	IgstRate      einvoice.Rate   `json:"igstRate"`
	CessRate      einvoice.Rate   `json:"cessRate"`
}

// Dispatch is the transport of the goods, entered once for a dispatch (a
// beat's van on a day) or an invoice and used for each of its e-way bills:
// the mode, the vehicle (road), the transporter, the transport document
// (rail, air, ship) and the distance.
type Dispatch struct {
	TransMode       int      `json:"trans_mode"` // 1 road (default), 2 rail, 3 air, 4 ship
	VehicleNo       string   `json:"vehicle_no"`
	Distance        int      `json:"distance_km"`
	TransporterID   string   `json:"transporter_id,omitempty"`
	TransporterName string   `json:"transporter_name,omitempty"`
	TransDocNo      string   `json:"trans_doc_no,omitempty"`
	TransDocDate    cal.Date `json:"trans_doc_date,omitempty"`
}

// Transport modes (the portal's transMode).
const (
	ModeRoad = 1
	ModeRail = 2
	ModeAir  = 3
	ModeShip = 4
)

// vehicleRe is a registration number as the portal takes it (KA05AB1234,
// KA051234, and the temporary TN/TMP forms are not for outward supply).
var vehicleRe = regexp.MustCompile(`^[A-Z]{2}[0-9]{1,2}[A-Z]{0,3}[0-9]{4}$`)

// transDocRe is the portal's transport document number: up to 15
// letters, digits, '/' and '-'.
var transDocRe = regexp.MustCompile(`^[A-Za-z0-9/-]{1,15}$`)

// Problem is one thing the e-way bill portal would refuse, with the field
// to correct and what to do, in the clerk's words.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) err() error { return fail.Invalid(p.Field, "%s", p.Message) }

// Check normalises and checks the dispatch, returning the first problem.
func (d *Dispatch) Check() error {
	if ps := d.Problems(); len(ps) > 0 {
		return ps[0].err()
	}
	return nil
}

// Problems normalises the dispatch and names everything the portal would
// refuse in it (the e-way bill API's rules: 4011 a vehicle for road, 4012
// and 4023 a transport document for rail, air and ship, 4018 the
// transporter's GSTIN or enrolment id, distance 0–4000 km).
func (d *Dispatch) Problems() []Problem {
	var out []Problem
	bad := func(field, format string, a ...any) { out = append(out, Problem{field, fmt.Sprintf(format, a...)}) }
	d.VehicleNo = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(d.VehicleNo))
	d.TransporterID = strings.ToUpper(strings.TrimSpace(d.TransporterID))
	d.TransporterName = strings.TrimSpace(d.TransporterName)
	d.TransDocNo = strings.TrimSpace(d.TransDocNo)
	if d.TransMode == 0 {
		d.TransMode = ModeRoad
	}
	switch d.TransMode {
	case ModeRoad:
		switch {
		case d.VehicleNo == "" && d.TransporterID == "":
			bad("vehicle", "enter the vehicle number (e.g. KA05AB1234), or the transporter's GSTIN for the transporter to fill in the vehicle")
		case d.VehicleNo != "" && !vehicleRe.MatchString(d.VehicleNo):
			bad("vehicle", "%q is not a vehicle number (e.g. KA05AB1234)", d.VehicleNo)
		}
	case ModeRail, ModeAir, ModeShip:
		if !transDocRe.MatchString(d.TransDocNo) {
			bad("trans_doc_no", "by rail, air or ship the portal needs the transport document number (RR, airway bill or bill of lading; up to 15 letters, digits, / or -)")
		}
		if d.TransDocDate == "" || !d.TransDocDate.Valid() {
			bad("trans_doc_date", "by rail, air or ship the portal needs the transport document's date")
		}
		if d.VehicleNo != "" && !vehicleRe.MatchString(d.VehicleNo) {
			bad("vehicle", "%q is not a vehicle number (e.g. KA05AB1234)", d.VehicleNo)
		}
	default:
		bad("trans_mode", "must be 1 (road), 2 (rail), 3 (air) or 4 (ship)")
	}
	if d.TransporterID != "" {
		if err := gst.ValidateGSTIN(d.TransporterID); err != nil {
			bad("transporter_id", "the transporter's GSTIN or enrolment id %s is wrong: %v", d.TransporterID, err)
		}
	}
	if n := len([]rune(d.TransporterName)); n > 100 {
		bad("transporter_name", "must be at most 100 characters, not %d", n)
	}
	if d.Distance < 0 || d.Distance > 4000 {
		bad("distance", "must be 0–4000 km (0: the portal computes it from the PINs)")
	}
	return out
}

// Needed reports whether an invoice's goods need an e-way bill: its value
// (taxable value plus tax) is above the company's threshold.
func Needed(co masters.Company, inv *billing.Invoice) bool {
	return inv.Status == billing.StatusPosted && inv.TotalPaise > co.EWayBillThresholdPaise
}

// ForInvoice makes one invoice's e-way bill.
func ForInvoice(tx *book.Tx, number string, d Dispatch) (*File, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return nil, err
	}
	inv, err := billing.GetInvoice(tx, number)
	if err != nil {
		return nil, err
	}
	if inv.Status != billing.StatusPosted {
		return nil, fail.Conflict("number", "invoice %s is cancelled: its goods do not move", inv.Number)
	}
	if !Needed(co, &inv) {
		return nil, fail.Invalid("number", "invoice %s is ₹%s, not above the e-way bill threshold ₹%s: no e-way bill is needed", inv.Number, inv.TotalPaise, co.EWayBillThresholdPaise)
	}
	b, err := bill(tx, co, &inv, d)
	if err != nil {
		return nil, err
	}
	return &File{Version: Version, BillLists: []Bill{*b}}, nil
}

// ForDay makes the e-way bills of a day's invoices above the threshold,
// those of one beat when beat is given, all with one vehicle and distance.
func ForDay(tx *book.Tx, day cal.Date, beat string, d Dispatch) (*File, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	if !day.Valid() {
		return nil, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", day)
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return nil, err
	}
	list, err := billing.ListInvoices(tx, billing.InvoiceFilter{From: day, To: day, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	f := &File{Version: Version, BillLists: []Bill{}}
	for _, s := range list {
		inv, err := billing.GetInvoice(tx, s.Number)
		if err != nil {
			return nil, err
		}
		if !Needed(co, &inv) || (beat != "" && !strings.EqualFold(inv.Beat, beat)) {
			continue
		}
		b, err := bill(tx, co, &inv, d)
		if err != nil {
			return nil, err
		}
		f.BillLists = append(f.BillLists, *b)
	}
	return f, nil
}

// problemsOf names what the portal would refuse in an invoice's e-way bill
// besides the dispatch's own: the company's and the outlet's place, the
// HSN of each line, a distance of 0 between the same PINs (4029) and a
// transport document dated before the invoice (4021).
func problemsOf(tx *book.Tx, co masters.Company, inv *billing.Invoice, d Dispatch) ([]Problem, error) {
	var out []Problem
	bad := func(field, format string, a ...any) { out = append(out, Problem{field, fmt.Sprintf(format, a...)}) }
	if co.GSTIN == "" || co.City == "" || co.Pincode == "" {
		bad("company", "the company needs its GSTIN, city and PIN before any e-way bill: fill them on the Company screen")
	}
	o, err := masters.GetOutlet(tx, inv.Outlet)
	if err != nil {
		return nil, err
	}
	if o.City == "" || o.Pincode == "" {
		bad("outlet", "outlet %s (%s) has no city or PIN: add them on the outlet before invoice %s's e-way bill is made", o.Code, o.Name, inv.Number)
	} else if o.Pincode == co.Pincode && d.Distance == 0 {
		bad("distance", "the outlet's PIN %s is the company's: the portal cannot compute the distance, enter it in km", o.Pincode)
	}
	for _, ln := range inv.Lines {
		if err := gst.ValidateHSN(ln.HSN); err != nil {
			bad(fmt.Sprintf("lines[%d].hsn", ln.No-1), "invoice %s line %d, item %s: %v: correct the item's HSN", inv.Number, ln.No, ln.Item, err)
		}
	}
	if d.TransDocDate != "" && d.TransDocDate < inv.Date {
		bad("trans_doc_date", "the transport document's date %s is before invoice %s's date %s", d.TransDocDate, inv.Number, inv.Date)
	}
	return out, nil
}

func bill(tx *book.Tx, co masters.Company, inv *billing.Invoice, d Dispatch) (*Bill, error) {
	probs, err := problemsOf(tx, co, inv, d)
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, probs[0].err()
	}
	o, err := masters.GetOutlet(tx, inv.Outlet)
	if err != nil {
		return nil, err
	}
	fromSt, _ := strconv.Atoi(co.StateCode)
	toSt, _ := strconv.Atoi(inv.PlaceOfSupply)
	fromPin, _ := strconv.Atoi(co.Pincode)
	toPin, _ := strconv.Atoi(o.Pincode)
	b := &Bill{UserGstin: co.GSTIN, SupplyType: "O", SubSupplyType: 1, DocType: "INV", DocNo: inv.Number, DocDate: einvoice.Date(inv.Date),
		TransactionType: 1, FromGstin: co.GSTIN, FromTrdName: co.Name, FromPlace: co.City, FromPincode: fromPin,
		FromStateCode: fromSt, ActFromStateCode: fromSt, ToGstin: inv.OutletGSTIN, ToTrdName: inv.OutletName, ToPlace: o.City,
		ToPincode: toPin, ToStateCode: toSt, ActToStateCode: toSt, TransMode: d.TransMode, TransDistance: d.Distance, VehicleNo: d.VehicleNo, VehicleType: "R",
		TransporterID: d.TransporterID, TransporterName: d.TransporterName, TransDocNo: d.TransDocNo,
		TotalValue: einvoice.Amount(inv.TaxablePaise), CgstValue: einvoice.Amount(inv.CGSTPaise), SgstValue: einvoice.Amount(inv.SGSTPaise),
		IgstValue: einvoice.Amount(inv.IGSTPaise), OtherValue: einvoice.Amount(inv.RoundOffPaise), TotInvValue: einvoice.Amount(inv.TotalPaise)}
	if b.ToGstin == "" {
		b.ToGstin = "URP"
	}
	if d.TransDocDate != "" {
		b.TransDocDate = einvoice.Date(d.TransDocDate)
	}
	b.FromAddr1, b.FromAddr2 = einvoice.SplitAddress(co.Address)
	addr := inv.OutletAddress
	if addr == "" {
		addr = o.Address
	}
	b.ToAddr1, b.ToAddr2 = einvoice.SplitAddress(addr)
	var best money.Paise = -1
	for _, ln := range inv.Lines {
		if ln.Free {
			continue // the scheme's free goods travel on the paid lines' quantities below
		}
		hsn, _ := strconv.Atoi(ln.HSN)
		qty := ln.Qty
		for _, f := range inv.Lines {
			if f.Free && f.ForLine == ln.No && f.Item == ln.Item {
				qty += f.Qty
			}
		}
		it := Item{ItemNo: len(b.ItemList) + 1, ProductName: ln.Name, ProductDesc: ln.Name, HsnCode: hsn, Quantity: einvoice.Units(qty),
			QtyUnit: einvoice.UQC(ln.Unit), TaxableAmount: einvoice.Amount(ln.TaxablePaise)}
		if inv.InterState {
			it.IgstRate = einvoice.Rate(ln.GSTRateBP)
		} else {
			it.CgstRate, it.SgstRate = einvoice.Rate(ln.GSTRateBP/2), einvoice.Rate(ln.GSTRateBP-ln.GSTRateBP/2)
		}
		b.ItemList = append(b.ItemList, it)
		if ln.TaxablePaise > best {
			best, b.MainHsnCode = ln.TaxablePaise, hsn
		}
	}
	// a scheme's free goods of another item travel too, at no value
	for _, f := range inv.Lines {
		if f.Free && (f.ForLine < 1 || f.ForLine > len(inv.Lines) || inv.Lines[f.ForLine-1].Item != f.Item) {
			hsn, _ := strconv.Atoi(f.HSN)
			b.ItemList = append(b.ItemList, Item{ItemNo: len(b.ItemList) + 1, ProductName: f.Name, ProductDesc: f.Name + " (free)", HsnCode: hsn,
				Quantity: einvoice.Units(f.Qty), QtyUnit: einvoice.UQC(f.Unit)})
		}
	}
	return b, nil
}
