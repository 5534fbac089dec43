package tallybridge

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"vitaran/backend/money"
)

// Form is the envelope shape of an import request.
type Form int

const (
	// OldForm is IMPORTDATA/REQUESTDESC/REQUESTDATA: every Tally.ERP 9 and
	// TallyPrime accepts it, so it is the default.
	OldForm Form = iota
	// NewForm is Prime's HEADER VERSION 1 / TYPE Data / ID, BODY/DESC, BODY/DATA.
	NewForm
)

// Report is what an import envelope carries.
const (
	ReportVouchers   = "Vouchers"
	ReportAllMasters = "All Masters"
)

// TallyDate writes a day as Tally reads it: YYYYMMDD. An ISO date is silently misread.
func TallyDate(t time.Time) string { return t.Format("20060102") }

// TallyQty writes a quantity as Tally does: " 10 Nos".
func TallyQty(q money.Qty, unit string) string {
	return " " + strconv.FormatInt(int64(q), 10) + " " + unit
}

// TallyRate writes a price per unit: "125.50/Nos".
func TallyRate(p money.Paise, unit string) string { return p.Plain() + "/" + unit }

// TallyPercent writes basis points as a bare percentage: 250 → "2.5".
func TallyPercent(r money.BP) string { return strings.TrimSuffix(r.String(), "%") }

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func addText(parent *etree.Element, tag, text string) *etree.Element {
	e := parent.CreateElement(tag)
	e.SetText(text)
	return e
}

// envelope builds an import request around an empty message holder and
// returns the document and the element the objects go under.
func envelope(company, report string, form Form) (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	env := doc.CreateElement("ENVELOPE")
	head := env.CreateElement("HEADER")
	body := env.CreateElement("BODY")
	var holder, statics *etree.Element
	switch form {
	case NewForm:
		addText(head, "VERSION", "1")
		addText(head, "TALLYREQUEST", "Import")
		addText(head, "TYPE", "Data")
		addText(head, "ID", report)
		statics = body.CreateElement("DESC").CreateElement("STATICVARIABLES")
		holder = body.CreateElement("DATA")
	default:
		addText(head, "TALLYREQUEST", "Import Data")
		imp := body.CreateElement("IMPORTDATA")
		desc := imp.CreateElement("REQUESTDESC")
		addText(desc, "REPORTNAME", report)
		statics = desc.CreateElement("STATICVARIABLES")
		holder = imp.CreateElement("REQUESTDATA")
	}
	if company != "" {
		addText(statics, "SVCURRENTCOMPANY", company)
	}
	return doc, holder
}

func message(holder *etree.Element) *etree.Element {
	m := holder.CreateElement("TALLYMESSAGE")
	m.CreateAttr("xmlns:UDF", "TallyUDF")
	return m
}

// WriteVouchers writes one import request holding the vouchers. Each voucher
// is checked first; the first that breaks the sign or zero-sum rule stops
// the write with an error naming it. It streams: one voucher's tree is held
// at a time, so 10,000 vouchers cost little more memory than one.
func WriteVouchers(w io.Writer, company string, form Form, vs []Voucher) error {
	doc, holder := envelope(company, ReportVouchers, form)
	holder.CreateComment(voucherSlot)
	var frame bytes.Buffer
	if err := writeDoc(&frame, doc); err != nil {
		return err
	}
	head, tail, ok := bytes.Cut(frame.Bytes(), []byte("<!--"+voucherSlot+"-->\n"))
	if !ok {
		return fmt.Errorf("write tally xml: envelope lost its voucher slot")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	ws := etree.WriteSettings{}
	put := func(el *etree.Element) {
		msg := etree.NewElement("TALLYMESSAGE")
		msg.CreateAttr("xmlns:UDF", "TallyUDF")
		msg.AddChild(el)
		// no indentation: Tally does not need it and it costs a third of the time
		msg.WriteTo(bw, &ws)
		bw.WriteByte('\n')
	}
	for i := range vs {
		if vs[i].Delete {
			el, err := BuildDelete(vs[i])
			if err != nil {
				return err
			}
			put(el)
			continue
		}
		if vs[i].Cancel == nil || !vs[i].Cancel.Only {
			el, err := BuildVoucher(vs[i])
			if err != nil {
				return err
			}
			put(el)
		}
		if vs[i].Cancel != nil {
			el, err := BuildCancel(vs[i])
			if err != nil {
				return err
			}
			put(el)
		}
	}
	bw.Write(tail)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write tally xml: %w", err)
	}
	return nil
}

const voucherSlot = "vouchers"

// VouchersXML is WriteVouchers into memory: the body of one request.
func VouchersXML(company string, form Form, vs []Voucher) ([]byte, error) {
	var b bytes.Buffer
	if err := WriteVouchers(&b, company, form, vs); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// reservedMark stands in for Tally's "&#4; " reserved-value prefix while etree
// writes; it is swapped for the reference text afterwards, because Go would
// turn a raw U+0004 into U+FFFD.
const reservedMark = "\uE004"

func writeDoc(w io.Writer, doc *etree.Document) error {
	doc.Indent(1)
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := doc.WriteTo(bw); err != nil {
		return fmt.Errorf("write tally xml: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write tally xml: %w", err)
	}
	return nil
}

// BuildVoucher turns one voucher into its VOUCHER element, after checking
// it. The element is the same for every envelope form.
func BuildVoucher(v Voucher) (*etree.Element, error) {
	v = v.withDefaults()
	if err := v.Check(); err != nil {
		return nil, err
	}
	legs := v.legs()

	el := etree.NewElement("VOUCHER")
	el.Child = make([]etree.Token, 0, 16+len(v.Lines)+len(v.Taxes)+len(v.Charges))
	el.CreateAttr("REMOTEID", v.RemoteID)
	el.CreateAttr("VCHTYPE", v.Kind.String())
	el.CreateAttr("ACTION", "Create")
	view := "Invoice Voucher View"
	switch v.Kind {
	case Receipt, Journal:
		view = "Accounting Voucher View"
	case StockJournal:
		view = "Consumption Voucher View"
	}
	el.CreateAttr("OBJVIEW", view)

	addText(el, "DATE", TallyDate(v.Date))
	addText(el, "VOUCHERTYPENAME", v.Kind.String())
	addText(el, "VOUCHERNUMBER", v.Number)
	addText(el, "PERSISTEDVIEW", view)
	if v.Kind != StockJournal {
		addText(el, "PARTYNAME", v.Party.Name)
		addText(el, "PARTYLEDGERNAME", v.Party.Name)
		if v.Party.GSTIN != "" {
			addText(el, "PARTYGSTIN", v.Party.GSTIN)
		}
		if v.Party.State != "" {
			addText(el, "STATENAME", v.Party.State)
		}
		if v.PlaceOfSupply != "" {
			addText(el, "PLACEOFSUPPLY", v.PlaceOfSupply)
		}
	}
	if v.Narration != "" {
		addText(el, "NARRATION", v.Narration)
	}

	switch v.Kind {
	case StockJournal:
		addText(el, "VCHENTRYMODE", "")
		for _, e := range v.Out {
			stockEntry(el, "INVENTORYENTRIESOUT.LIST", e, false)
		}
		for _, e := range v.In {
			stockEntry(el, "INVENTORYENTRIESIN.LIST", e, true)
		}
		return el, nil
	case Receipt:
		addText(el, "VCHENTRYMODE", "Accounting Invoice")
		// the party (credit) first, then the bank (debit), as Tally lists them
		ledgerEntry(el, legs[1], v)
		ledgerEntry(el, legs[0], v)
		return el, nil
	case Journal:
		addText(el, "VCHENTRYMODE", "Accounting Invoice")
		for _, leg := range legs {
			ledgerEntry(el, leg, v)
		}
		return el, nil
	}

	addText(el, "VCHENTRYMODE", "Item Invoice")
	addText(el, "ISINVOICE", "Yes")
	for _, leg := range legs {
		if leg.Line >= 0 {
			inventoryEntry(el, v.Lines[leg.Line], leg)
		}
	}
	for _, leg := range legs {
		if leg.Line < 0 {
			ledgerEntry(el, leg, v)
		}
	}
	return el, nil
}

// BuildCancel is the request that cancels v in Tally: ACTION="Cancel" on
// the voucher with v's REMOTEID, type, date and number (TALLY.md,
// "Cancelling"). It is never a reversing credit note: that would be a sales
// return in GSTR-1, where the law wants a cancelled invoice.
func BuildCancel(v Voucher) (*etree.Element, error) {
	if v.Cancel == nil {
		return nil, fmt.Errorf("voucher %s %q: not cancelled", v.Kind, v.Number)
	}
	if v.RemoteID == "" || v.Date.IsZero() || v.Number == "" {
		return nil, fmt.Errorf("voucher %s %q: a cancel needs the voucher's remote id, date and number", v.Kind, v.Number)
	}
	el := actionVoucher(v, "Cancel")
	n := "Cancelled"
	if !v.Cancel.Date.IsZero() {
		n += " on " + v.Cancel.Date.Format("02-01-2006")
	}
	if r := strings.TrimSpace(v.Cancel.Reason); r != "" {
		n += ": " + r
	}
	addText(el, "NARRATION", n)
	return el, nil
}

// BuildDelete is the request that removes v from Tally: ACTION="Delete" on
// the voucher with v's REMOTEID, type, date and number.
func BuildDelete(v Voucher) (*etree.Element, error) {
	if err := v.Check(); err != nil {
		return nil, err
	}
	return actionVoucher(v, "Delete"), nil
}

// actionVoucher is the head of a request acting on v in Tally: the VOUCHER
// with v's REMOTEID and type, the action, and v's date and number.
func actionVoucher(v Voucher, action string) *etree.Element {
	el := etree.NewElement("VOUCHER")
	el.CreateAttr("REMOTEID", v.RemoteID)
	el.CreateAttr("VCHTYPE", v.Kind.String())
	el.CreateAttr("ACTION", action)
	addText(el, "DATE", TallyDate(v.Date))
	addText(el, "VOUCHERTYPENAME", v.Kind.String())
	addText(el, "VOUCHERNUMBER", v.Number)
	return el
}

// inventoryEntry writes one invoice line: the goods, their godown and batch,
// and the sales or purchase ledger they are booked to. The line's ledger is
// never repeated among the ledger entries: Tally would count it twice.
func inventoryEntry(parent *etree.Element, l Line, leg Leg) {
	inv := parent.CreateElement("ALLINVENTORYENTRIES.LIST")
	inv.Child = make([]etree.Token, 0, 9)
	addText(inv, "STOCKITEMNAME", l.Item)
	addText(inv, "ISDEEMEDPOSITIVE", yesNo(leg.Debit()))
	addText(inv, "RATE", TallyRate(l.Rate, l.Unit))
	// Check made sure the discount exists: RATE × BILLEDQTY less it is AMOUNT
	if d, _ := lineDiscount(l.gross(), l.Amount, l.Discount); d != "" {
		addText(inv, "DISCOUNT", d)
	}
	addText(inv, "AMOUNT", leg.Amount.Plain())
	actual := TallyQty(l.Qty+l.FreeQty, l.Unit)
	billed := TallyQty(l.Qty, l.Unit)
	addText(inv, "ACTUALQTY", actual)
	addText(inv, "BILLEDQTY", billed)

	b := inv.CreateElement("BATCHALLOCATIONS.LIST")
	b.Child = make([]etree.Token, 0, 5)
	addText(b, "GODOWNNAME", l.Godown)
	addText(b, "BATCHNAME", l.Batch)
	addText(b, "AMOUNT", leg.Amount.Plain())
	addText(b, "ACTUALQTY", actual)
	addText(b, "BILLEDQTY", billed)

	a := inv.CreateElement("ACCOUNTINGALLOCATIONS.LIST")
	a.Child = make([]etree.Token, 0, 3)
	addText(a, "LEDGERNAME", l.Ledger)
	addText(a, "ISDEEMEDPOSITIVE", yesNo(leg.Debit()))
	addText(a, "AMOUNT", leg.Amount.Plain())
}

func ledgerEntry(parent *etree.Element, leg Leg, v Voucher) {
	le := parent.CreateElement("LEDGERENTRIES.LIST")
	le.Child = make([]etree.Token, 0, 5)
	addText(le, "LEDGERNAME", leg.Ledger)
	addText(le, "ISDEEMEDPOSITIVE", yesNo(leg.Debit()))
	if leg.Party {
		addText(le, "ISPARTYLEDGER", "Yes")
	}
	addText(le, "AMOUNT", leg.Amount.Plain())
	if !leg.Party {
		return
	}
	if v.Kind == Receipt && len(v.Bills) > 0 {
		receiptBills(le, leg, v)
		return
	}
	if v.Kind == Journal {
		journalBills(le, leg, v)
		return
	}
	ba := le.CreateElement("BILLALLOCATIONS.LIST")
	switch {
	case v.Kind == Sales || v.Kind == Purchase:
		addText(ba, "NAME", v.BillRef)
		addText(ba, "BILLTYPE", "New Ref")
	case v.BillRef == "":
		addText(ba, "NAME", v.Number)
		addText(ba, "BILLTYPE", "On Account")
	default:
		addText(ba, "NAME", v.BillRef)
		addText(ba, "BILLTYPE", "Agst Ref")
	}
	addText(ba, "AMOUNT", leg.Amount.Plain())
}

// receiptBills writes a receipt's party leg bill by bill: one Agst Ref per
// bill and the remainder On Account (under the receipt's number), each
// with the party leg's sign, so that they add up to the leg.
func receiptBills(le *etree.Element, leg Leg, v Voucher) {
	sign := money.Paise(1)
	if leg.Amount < 0 {
		sign = -1
	}
	rest := leg.Amount
	add := func(name, typ string, amt money.Paise) {
		ba := le.CreateElement("BILLALLOCATIONS.LIST")
		addText(ba, "NAME", name)
		addText(ba, "BILLTYPE", typ)
		addText(ba, "AMOUNT", amt.Plain())
		rest -= amt
	}
	for _, b := range v.Bills {
		add(b.Ref, "Agst Ref", sign*b.Amount)
	}
	if rest != 0 {
		add(v.Number, "On Account", rest)
	}
}

// journalBills writes a receipt undone bill by bill, all debits: each bill
// it opens again (Agst Ref), its charges as a new bill under its number
// (New Ref), and the rest, what the receipt had left, On Account.
func journalBills(le *etree.Element, leg Leg, v Voucher) {
	rest := leg.Amount
	add := func(name, typ string, amt money.Paise) {
		ba := le.CreateElement("BILLALLOCATIONS.LIST")
		addText(ba, "NAME", name)
		addText(ba, "BILLTYPE", typ)
		addText(ba, "AMOUNT", amt.Plain())
		rest -= amt
	}
	for _, b := range v.Bills {
		add(b.Ref, "Agst Ref", -b.Amount)
	}
	var charges money.Paise
	for _, c := range v.Charges {
		charges += c.Amount
	}
	if charges > 0 {
		add(v.Number, "New Ref", -charges)
	}
	if rest != 0 {
		add(v.Number, "On Account", rest)
	}
}

// stockEntry writes one side of a stock journal: goods in are a debit to
// stock (Yes, negative), goods out a credit (No, positive).
func stockEntry(parent *etree.Element, tag string, e StockEntry, in bool) {
	amt := e.Amount
	if in {
		amt = -amt
	}
	inv := parent.CreateElement(tag)
	addText(inv, "STOCKITEMNAME", e.Item)
	addText(inv, "ISDEEMEDPOSITIVE", yesNo(in))
	// a rate precise enough that RATE × QTY is AMOUNT: Tally recomputes it
	rate, _ := exactRate(e.Amount, e.Qty)
	addText(inv, "RATE", rate+"/"+e.Unit)
	addText(inv, "AMOUNT", amt.Plain())
	q := TallyQty(e.Qty, e.Unit)
	addText(inv, "ACTUALQTY", q)
	addText(inv, "BILLEDQTY", q)
	b := inv.CreateElement("BATCHALLOCATIONS.LIST")
	addText(b, "GODOWNNAME", e.Godown)
	addText(b, "BATCHNAME", e.Batch)
	addText(b, "AMOUNT", amt.Plain())
	addText(b, "ACTUALQTY", q)
	addText(b, "BILLEDQTY", q)
}

// ExportRequest is the body of a List of Accounts export for one account
// type ("Ledgers", "All Inventory Masters", "Stock Items", "Godowns").
func ExportRequest(company, accountType string) []byte {
	doc := etree.NewDocument()
	env := doc.CreateElement("ENVELOPE")
	addText(env.CreateElement("HEADER"), "TALLYREQUEST", "Export Data")
	desc := env.CreateElement("BODY").CreateElement("EXPORTDATA").CreateElement("REQUESTDESC")
	addText(desc, "REPORTNAME", "List of Accounts")
	sv := desc.CreateElement("STATICVARIABLES")
	addText(sv, "SVEXPORTFORMAT", "$$SysName:XML")
	addText(sv, "ACCOUNTTYPE", accountType)
	if company != "" {
		addText(sv, "SVCURRENTCOMPANY", company)
	}
	var b bytes.Buffer
	_ = writeDoc(&b, doc)
	return b.Bytes()
}

// WriteMasters writes one All Masters import request creating the given
// masters: units first, then godowns, stock items and ledgers, so that each
// finds what it names already made.
func WriteMasters(w io.Writer, company string, form Form, m Masters) error {
	doc, holder := envelope(company, ReportAllMasters, form)
	for _, u := range m.Units {
		e := message(holder).CreateElement("UNIT")
		e.CreateAttr("NAME", u.Name)
		e.CreateAttr("ACTION", "Create")
		addText(e, "NAME", u.Name)
		addText(e, "ISSIMPLEUNIT", "Yes")
		addText(e, "DECIMALPLACES", strconv.Itoa(u.Decimals))
	}
	for _, g := range m.Godowns {
		e := message(holder).CreateElement("GODOWN")
		e.CreateAttr("NAME", g.Name)
		e.CreateAttr("ACTION", "Create")
		addText(e, "NAME", g.Name)
		addText(e, "PARENT", g.Parent)
	}
	for _, it := range m.Items {
		e := message(holder).CreateElement("STOCKITEM")
		e.CreateAttr("NAME", it.Name)
		e.CreateAttr("ACTION", "Create")
		addText(e, "NAME", it.Name)
		addText(e, "PARENT", it.Parent)
		addText(e, "BASEUNITS", it.BaseUnit)
		addText(e, "GSTAPPLICABLE", reservedMark+" Applicable")
		gd := e.CreateElement("GSTDETAILS.LIST")
		addText(gd, "APPLICABLEFROM", "20170701")
		addText(gd, "HSNCODE", it.HSN)
		addText(gd, "TAXABILITY", "Taxable")
		sw := gd.CreateElement("STATEWISEDETAILS.LIST")
		addText(sw, "STATENAME", reservedMark+" Any")
		for _, head := range []struct {
			tax  Tax
			rate money.BP
		}{{IGST, it.GSTRate}, {CGST, it.GSTRate / 2}, {SGST, it.GSTRate / 2}} {
			rd := sw.CreateElement("RATEDETAILS.LIST")
			addText(rd, "GSTRATEDUTYHEAD", string(head.tax))
			addText(rd, "GSTRATE", TallyPercent(head.rate))
		}
	}
	for _, l := range m.Ledgers {
		e := message(holder).CreateElement("LEDGER")
		e.CreateAttr("NAME", l.Name)
		e.CreateAttr("ACTION", "Create")
		addText(e, "NAME", l.Name)
		addText(e, "PARENT", l.Parent)
		if l.Parent == GroupDebtors || l.Parent == GroupCreditors {
			addText(e, "ISBILLWISEON", "Yes")
		}
		if l.GSTIN != "" {
			addText(e, "GSTREGISTRATIONTYPE", "Regular")
			addText(e, "PARTYGSTIN", l.GSTIN)
		}
		if l.State != "" {
			addText(e, "LEDSTATENAME", l.State)
			addText(e, "COUNTRYNAME", "India")
		}
		if l.DutyHead != "" {
			addText(e, "TAXTYPE", "GST")
			addText(e, "GSTDUTYHEAD", string(l.DutyHead))
		}
		if l.Opening != 0 {
			addText(e, "OPENINGBALANCE", l.Opening.Plain())
		}
	}
	var b bytes.Buffer
	if err := writeDoc(&b, doc); err != nil {
		return err
	}
	out := bytes.ReplaceAll(b.Bytes(), []byte(reservedMark), []byte("&#4;"))
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write masters xml: %w", err)
	}
	return nil
}
