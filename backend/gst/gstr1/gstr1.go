// Package gstr1 makes a month's GSTR-1 (the statement of outward supplies)
// as the JSON the GST portal's offline tool imports: b2b, b2cl, b2cs, cdnr,
// cdnur, hsn (hsn_b2b and hsn_b2c) and doc_issue (Table 13), from the posted
// invoices and credit notes of the month.
//
// Always true: every figure comes from the sales and credit-note registers
// of the month to the paisa: the taxable value and tax of b2b + b2cl + b2cs
// are the month's invoices (cancelled ones left out, as they are void from
// their own date) less the credit notes against B2C-small invoices, cdnr and
// cdnur hold the other credit notes, and the HSN summary adds up to the same
// net values.
package gstr1

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Version is the offline tool's JSON version the file declares.
const Version = "GST3.2.1"

type (
	amt  = einvoice.Amount
	rate = einvoice.Rate
)

// Return is the GSTR-1 JSON.
type Return struct {
	GSTIN    string   `json:"gstin"`
	FP       string   `json:"fp"` // MMYYYY
	Version  string   `json:"version"`
	Hash     string   `json:"hash"`
	B2B      []B2B    `json:"b2b"`
	B2CL     []B2CL   `json:"b2cl"`
	B2CS     []B2CS   `json:"b2cs"`
	CDNR     []CDNR   `json:"cdnr"`
	CDNUR    []CDNUR  `json:"cdnur"`
	HSN      HSN      `json:"hsn"`
	DocIssue DocIssue `json:"doc_issue"`
}

// ItmDet is one rate's values on a document.
type ItmDet struct {
	Txval amt  `json:"txval"`
	Rt    rate `json:"rt"`
	Iamt  amt  `json:"iamt"`
	Camt  amt  `json:"camt"`
	Samt  amt  `json:"samt"`
	Csamt amt  `json:"csamt"`
}

// Itm numbers a rate's values.
type Itm struct {
	Num    int    `json:"num"`
	ItmDet ItmDet `json:"itm_det"`
}

// Inv is an invoice in b2b or b2cl.
type Inv struct {
	Inum   string `json:"inum"`
	Idt    string `json:"idt"` // dd-mm-yyyy
	Val    amt    `json:"val"`
	Pos    string `json:"pos"`
	Rchrg  string `json:"rchrg,omitempty"`
	InvTyp string `json:"inv_typ,omitempty"`
	Itms   []Itm  `json:"itms"`
	// Receiver is the buyer's name as billed: the Excel template's
	// "Receiver Name"; the tool's JSON has no such field.
	Receiver string `json:"-"`
}

// B2B groups a registered buyer's invoices.
type B2B struct {
	Ctin string `json:"ctin"`
	Inv  []Inv  `json:"inv"`
}

// B2CL groups large inter-state B2C invoices by place of supply.
type B2CL struct {
	Pos string `json:"pos"`
	Inv []Inv  `json:"inv"`
}

// B2CS is the B2C-small total of one supply type, place and rate.
type B2CS struct {
	SplyTy string `json:"sply_ty"` // INTRA or INTER
	Pos    string `json:"pos"`
	Typ    string `json:"typ"` // OE
	Txval  amt    `json:"txval"`
	Rt     rate   `json:"rt"`
	Iamt   amt    `json:"iamt"`
	Camt   amt    `json:"camt"`
	Samt   amt    `json:"samt"`
	Csamt  amt    `json:"csamt"`
}

// Note is a credit note in cdnr or cdnur.
type Note struct {
	Typ    string `json:"typ,omitempty"` // cdnur: B2CL
	Ntty   string `json:"ntty"`          // C
	NtNum  string `json:"nt_num"`
	NtDt   string `json:"nt_dt"`
	Val    amt    `json:"val"`
	Pos    string `json:"pos"`
	Rchrg  string `json:"rchrg,omitempty"`
	InvTyp string `json:"inv_typ,omitempty"`
	Itms   []Itm  `json:"itms"`
	// Receiver is the buyer's name on the invoice the note reverses (the
	// Excel template's "Receiver Name"; not in the JSON).
	Receiver string `json:"-"`
}

// CDNR groups a registered buyer's credit notes.
type CDNR struct {
	Ctin string `json:"ctin"`
	Nt   []Note `json:"nt"`
}

// CDNUR is a credit note against a B2C-large invoice.
type CDNUR = Note

// HSN is the HSN summary, B2B and B2C apart.
type HSN struct {
	B2B []HSNRow `json:"hsn_b2b"`
	B2C []HSNRow `json:"hsn_b2c"`
}

// HSNRow is one HSN, unit and rate's net supplies.
type HSNRow struct {
	Num   int          `json:"num"`
	HsnSc string       `json:"hsn_sc"`
	Desc  string       `json:"desc,omitempty"`
	Uqc   string       `json:"uqc"`
	Qty   einvoice.Qty `json:"qty"`
	Rt    rate         `json:"rt"`
	Txval amt          `json:"txval"`
	Iamt  amt          `json:"iamt"`
	Camt  amt          `json:"camt"`
	Samt  amt          `json:"samt"`
	Csamt amt          `json:"csamt"`
}

// DocIssue is Table 13.
type DocIssue struct {
	DocDet []DocDet `json:"doc_det"`
}

// DocDet is one kind of document (1 invoices, 5 credit notes).
type DocDet struct {
	DocNum int      `json:"doc_num"`
	DocTyp string   `json:"doc_typ"`
	Docs   []Series `json:"docs"`
}

// Series is one numbering series' documents of the month.
type Series struct {
	Num      int    `json:"num"`
	From     string `json:"from"`
	To       string `json:"to"`
	Totnum   int    `json:"totnum"`
	Cancel   int    `json:"cancel"`
	NetIssue int    `json:"net_issue"`
}

// B2CLFrom is the day the B2C-large limit fell from ₹2.5 lakh to ₹1 lakh
// (Notification 12/2024-Central Tax, from 1 August 2024).
var B2CLFrom = cal.MustParse("2024-08-01")

// b2clLimit is the invoice value above which an inter-state B2C invoice is
// reported one by one.
func b2clLimit(d cal.Date) money.Paise {
	if d < B2CLFrom {
		return 2_50_000_00
	}
	return 1_00_000_00
}

// ParsePeriod reads MMYYYY as the month's first and last days.
func ParsePeriod(p string) (cal.Date, cal.Date, error) {
	p = strings.TrimSpace(p)
	if len(p) != 6 {
		return "", "", fail.Invalid("period", "%q: write the month as MMYYYY (112026 for November 2026)", p)
	}
	m, err1 := strconv.Atoi(p[:2])
	y, err2 := strconv.Atoi(p[2:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || y < 2017 || y > 2099 {
		return "", "", fail.Invalid("period", "%q: write the month as MMYYYY (112026 for November 2026)", p)
	}
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return cal.Of(first), cal.Of(first.AddDate(0, 1, -1)), nil
}

func gdate(d cal.Date) string { return strings.ReplaceAll(einvoice.Date(d), "/", "-") }

// kind of an invoice for GSTR-1.
const (
	kB2B  = "b2b"
	kB2CL = "b2cl"
	kB2CS = "b2cs"
)

func kindOf(inv *billing.Invoice) string {
	switch {
	case inv.OutletGSTIN != "":
		return kB2B
	case inv.InterState && inv.TotalPaise > b2clLimit(inv.Date):
		return kB2CL
	}
	return kB2CS
}

// byRate sums lines per GST rate, in rate order.
func byRate(lines []line) []Itm {
	m := map[money.BP]*ItmDet{}
	for _, l := range lines {
		d := m[l.rate]
		if d == nil {
			d = &ItmDet{Rt: rate(l.rate)}
			m[l.rate] = d
		}
		d.Txval += amt(l.taxable)
		d.Camt += amt(l.cgst)
		d.Samt += amt(l.sgst)
		d.Iamt += amt(l.igst)
	}
	rs := make([]money.BP, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	out := make([]Itm, 0, len(rs))
	for i, r := range rs {
		out = append(out, Itm{Num: i + 1, ItmDet: *m[r]})
	}
	return out
}

// Build makes the GSTR-1 of a month (period MMYYYY). A document whose HSN
// has fewer digits than the company needs, or whose buyer's GSTIN fails its
// check character, is named before anything is made.
func Build(tx *book.Tx, period string) (*Return, error) {
	from, to, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return nil, err
	}
	if co.GSTIN == "" {
		return nil, fail.Invalid("gstin", "the company has no GSTIN: GSTR-1 is filed under it")
	}
	list, err := billing.ListInvoices(tx, billing.InvoiceFilter{From: from, To: to, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	r := &Return{GSTIN: co.GSTIN, FP: period, Version: Version, Hash: "hash", B2B: []B2B{}, B2CL: []B2CL{}, B2CS: []B2CS{},
		CDNR: []CDNR{}, CDNUR: []CDNUR{}, HSN: HSN{B2B: []HSNRow{}, B2C: []HSNRow{}}}
	b2b := map[string]*B2B{}
	b2cl := map[string]*B2CL{}
	b2cs := map[string]*B2CS{}
	hsn := map[string]map[string]*HSNRow{kB2B: {}, "b2c": {}}
	invSeries := newSeries()
	addHSN := func(k string, l line, sign int64) {
		sec := "b2c"
		if k == kB2B {
			sec = kB2B
		}
		uqc := einvoice.UQC(l.unit)
		key := l.hsn + "\x00" + uqc + "\x00" + strconv.Itoa(int(l.rate))
		h := hsn[sec][key]
		if h == nil {
			h = &HSNRow{HsnSc: l.hsn, Uqc: uqc, Rt: rate(l.rate), Desc: l.name}
			hsn[sec][key] = h
		}
		h.Qty += einvoice.Units(l.qty) * einvoice.Qty(sign)
		h.Txval += amt(int64(l.taxable) * sign)
		h.Camt += amt(int64(l.cgst) * sign)
		h.Samt += amt(int64(l.sgst) * sign)
		h.Iamt += amt(int64(l.igst) * sign)
	}
	addB2CS := func(inter bool, pos string, l line, sign int64) {
		ty := "INTRA"
		if inter {
			ty = "INTER"
		}
		key := ty + pos + strconv.Itoa(int(l.rate))
		b := b2cs[key]
		if b == nil {
			b = &B2CS{SplyTy: ty, Pos: pos, Typ: "OE", Rt: rate(l.rate)}
			b2cs[key] = b
		}
		b.Txval += amt(int64(l.taxable) * sign)
		b.Camt += amt(int64(l.cgst) * sign)
		b.Samt += amt(int64(l.sgst) * sign)
		b.Iamt += amt(int64(l.igst) * sign)
	}
	// take checks a document's lines and adds them, signed (a credit note
	// subtracts), to the HSN summary and, for a B2C-small invoice, to Table
	// 7 (b2cs); it returns them summed by rate.
	take := func(doc string, inv *billing.Invoice, k string, lines []line, sign int64) ([]Itm, error) {
		if err := check(co, doc, inv.OutletGSTIN, lines); err != nil {
			return nil, err
		}
		for _, l := range lines {
			addHSN(k, l, sign)
			if k == kB2CS {
				addB2CS(inv.InterState, inv.PlaceOfSupply, l, sign)
			}
		}
		return byRate(lines), nil
	}
	for _, s := range list {
		inv, err := billing.GetInvoice(tx, s.Number)
		if err != nil {
			return nil, err
		}
		invSeries.add(inv.Number, inv.Status == billing.StatusCancelled)
		if inv.Status == billing.StatusCancelled {
			continue
		}
		k := kindOf(&inv)
		items, err := take(inv.Number, &inv, k, invoiceLines(&inv), 1)
		if err != nil {
			return nil, err
		}
		e := Inv{Inum: inv.Number, Idt: gdate(inv.Date), Val: amt(inv.TotalPaise), Pos: inv.PlaceOfSupply, Itms: items, Receiver: inv.OutletName}
		switch k {
		case kB2B:
			e.Rchrg, e.InvTyp = "N", "R"
			b := b2b[inv.OutletGSTIN]
			if b == nil {
				b = &B2B{Ctin: inv.OutletGSTIN}
				b2b[inv.OutletGSTIN] = b
			}
			b.Inv = append(b.Inv, e)
		case kB2CL:
			b := b2cl[inv.PlaceOfSupply]
			if b == nil {
				b = &B2CL{Pos: inv.PlaceOfSupply}
				b2cl[inv.PlaceOfSupply] = b
			}
			b.Inv = append(b.Inv, e)
		}
	}
	cns, err := billing.ListSalesReturns(tx, billing.DocFilter{From: from, To: to, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	cnSeries := newSeries()
	cdnr := map[string]*CDNR{}
	for _, cn := range cns {
		cnSeries.add(cn.Number, false)
		inv, err := billing.GetInvoice(tx, cn.Invoice)
		if err != nil {
			return nil, err
		}
		k := kindOf(&inv)
		// a credit note on a B2C-small invoice lowers Table 7 (b2cs) in take
		items, err := take(cn.Number, &inv, k, noteLines(&cn, &inv), -1)
		if err != nil {
			return nil, err
		}
		n := Note{Ntty: "C", NtNum: cn.Number, NtDt: gdate(cn.Date), Val: amt(cn.TotalPaise), Pos: inv.PlaceOfSupply, Itms: items, Receiver: inv.OutletName}
		switch k {
		case kB2B:
			n.Rchrg, n.InvTyp = "N", "R"
			c := cdnr[inv.OutletGSTIN]
			if c == nil {
				c = &CDNR{Ctin: inv.OutletGSTIN}
				cdnr[inv.OutletGSTIN] = c
			}
			c.Nt = append(c.Nt, n)
		case kB2CL:
			n.Typ = "B2CL"
			r.CDNUR = append(r.CDNUR, n)
		}
	}
	for _, k := range sortedKeys(b2b) {
		r.B2B = append(r.B2B, *b2b[k])
	}
	for _, k := range sortedKeys(b2cl) {
		r.B2CL = append(r.B2CL, *b2cl[k])
	}
	for _, k := range sortedKeys(b2cs) {
		if b := b2cs[k]; b.Txval != 0 || b.Iamt != 0 || b.Camt != 0 || b.Samt != 0 { // wholly returned
			r.B2CS = append(r.B2CS, *b)
		}
	}
	for _, k := range sortedKeys(cdnr) {
		r.CDNR = append(r.CDNR, *cdnr[k])
	}
	for _, sec := range []string{kB2B, "b2c"} {
		rows := &r.HSN.B2B
		if sec == "b2c" {
			rows = &r.HSN.B2C
		}
		for _, k := range sortedKeys(hsn[sec]) {
			h := *hsn[sec][k]
			if h.Qty == 0 && h.Txval == 0 && h.Iamt == 0 && h.Camt == 0 && h.Samt == 0 { // wholly returned
				continue
			}
			h.Num = len(*rows) + 1
			*rows = append(*rows, h)
		}
	}
	r.DocIssue.DocDet = []DocDet{}
	if d := invSeries.rows(); len(d) > 0 {
		r.DocIssue.DocDet = append(r.DocIssue.DocDet, DocDet{DocNum: 1, DocTyp: "Invoices for outward supply", Docs: d})
	}
	if d := cnSeries.rows(); len(d) > 0 {
		r.DocIssue.DocDet = append(r.DocIssue.DocDet, DocDet{DocNum: 5, DocTyp: "Credit Note", Docs: d})
	}
	return r, nil
}

// line is a document line as GSTR-1 counts it.
type line struct {
	no                        int
	item, name, hsn, unit     string
	qty                       money.Qty
	rate                      money.BP
	taxable, cgst, sgst, igst money.Paise
}

func invoiceLines(inv *billing.Invoice) []line {
	out := make([]line, 0, len(inv.Lines))
	for _, l := range inv.Lines {
		out = append(out, line{no: l.No, item: l.Item, name: l.Name, hsn: l.HSN, unit: l.Unit, qty: l.Qty, rate: l.GSTRateBP,
			taxable: l.TaxablePaise, cgst: l.CGSTPaise, sgst: l.SGSTPaise, igst: l.IGSTPaise})
	}
	return out
}

func noteLines(cn *billing.SalesReturn, inv *billing.Invoice) []line {
	out := make([]line, 0, len(cn.Lines))
	for _, l := range cn.Lines {
		unit := ""
		if l.InvoiceLine > 0 && l.InvoiceLine <= len(inv.Lines) {
			unit = inv.Lines[l.InvoiceLine-1].Unit
		}
		out = append(out, line{no: l.No, item: l.Item, name: l.Name, hsn: l.HSN, unit: unit, qty: l.Qty, rate: l.GSTRateBP,
			taxable: l.TaxablePaise, cgst: l.CGSTPaise, sgst: l.SGSTPaise, igst: l.IGSTPaise})
	}
	return out
}

// check names a document the portal would refuse: a buyer GSTIN failing its
// check character, an HSN shorter than the company's setting.
func check(co masters.Company, doc, gstin string, lines []line) error {
	if gstin != "" {
		if err := gst.ValidateGSTIN(gstin); err != nil {
			return fail.Invalid("gstin", "%s: the buyer's %v: correct the outlet's GSTIN (the document keeps the one it was billed with: a credit note and a new invoice fix it)", doc, err)
		}
	}
	for _, l := range lines {
		if err := gst.ValidateHSN(l.hsn); err != nil || len(l.hsn) < co.HSNDigits {
			return fail.Invalid("hsn", "%s line %d, item %s: HSN %q has fewer than the %d digits the company's turnover needs: correct the item's HSN", doc, l.no, l.item, l.hsn, co.HSNDigits)
		}
	}
	return nil
}

// seriesCount counts one kind of document per numbering series.
type seriesCount struct {
	m map[string]*Series
	n map[string][2]uint64 // lowest, highest number
}

func newSeries() *seriesCount {
	return &seriesCount{m: map[string]*Series{}, n: map[string][2]uint64{}}
}

func (s *seriesCount) add(number string, cancelled bool) {
	i := strings.LastIndexByte(number, '/')
	ser := number
	var n uint64
	if i >= 0 {
		ser = number[:i]
		n, _ = strconv.ParseUint(number[i+1:], 10, 64)
	}
	x := s.m[ser]
	if x == nil {
		x = &Series{From: number, To: number}
		s.m[ser] = x
		s.n[ser] = [2]uint64{n, n}
	}
	lim := s.n[ser]
	if n < lim[0] {
		lim[0], x.From = n, number
	}
	if n > lim[1] {
		lim[1], x.To = n, number
	}
	s.n[ser] = lim
	x.Totnum++
	if cancelled {
		x.Cancel++
	}
	x.NetIssue = x.Totnum - x.Cancel
}

func (s *seriesCount) rows() []Series {
	var out []Series
	for i, k := range sortedKeys(s.m) {
		x := *s.m[k]
		x.Num = i + 1
		out = append(out, x)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
