package tallysim

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

func text(e *etree.Element, path string) string {
	return strings.TrimSpace(e.FindElement(path).NotNil().Text())
}

func nameOf(e *etree.Element) string {
	if n := strings.TrimSpace(e.SelectAttrValue("NAME", "")); n != "" {
		return n
	}
	return text(e, "NAME")
}

var voucherTypes = map[string]bool{
	"sales": true, "purchase": true, "credit note": true, "debit note": true, "receipt": true,
	"payment": true, "journal": true, "contra": true, "stock journal": true,
}

// importObject creates or alters one master or voucher, counting the
// outcome; it returns Tally's error text, if any ("" with an exception is
// how Tally reports some failures).
func (s *Server) importObject(o *etree.Element, c *counters) string {
	action := strings.ToLower(o.SelectAttrValue("ACTION", "Create"))
	name := nameOf(o)
	fail := func(msg string) string {
		c.errors++
		return msg
	}
	switch o.Tag {
	case "VOUCHER":
		if action == "cancel" {
			return s.cancelVoucher(o, c)
		}
		if action == "delete" {
			return s.deleteVoucher(o, c)
		}
		return s.importVoucher(o, c)
	case "GROUP":
		k := strings.ToLower(name)
		if _, ok := s.groups[k]; ok && action == "create" {
			return fail(fmt.Sprintf("Group '%s' already exists!", name))
		}
		s.groups[k] = text(o, "PARENT")
		s.groupNames[k] = name
		c.created++
	case "LEDGER":
		k := strings.ToLower(name)
		if name == "" {
			return fail("Ledger has no name!")
		}
		_, exists := s.ledgers[k]
		if exists && action == "create" {
			return fail(fmt.Sprintf("Ledger '%s' already exists!", name))
		}
		parent := text(o, "PARENT")
		if strings.EqualFold(parent, "Primary") {
			return fail(fmt.Sprintf("Group '%s' does not exist!", parent))
		}
		if _, ok := s.groups[strings.ToLower(parent)]; parent != "" && !ok {
			return fail(fmt.Sprintf("Group '%s' does not exist!", parent))
		}
		gstin := text(o, "PARTYGSTIN")
		if gstin == "" {
			gstin = text(o, "LEDGSTREGDETAILS.LIST/GSTIN")
		}
		s.ledgers[k] = Ledger{Name: name, Parent: parent, GSTIN: gstin,
			State: text(o, "LEDSTATENAME"), Opening: text(o, "OPENINGBALANCE")}
		s.count(exists, c)
	case "STOCKITEM":
		k := strings.ToLower(name)
		_, exists := s.items[k]
		if exists && action == "create" {
			return fail(fmt.Sprintf("Stock Item '%s' already exists!", name))
		}
		unit := text(o, "BASEUNITS")
		if _, ok := s.units[strings.ToLower(unit)]; unit != "" && !ok {
			return fail(fmt.Sprintf("Unit '%s' does not exist!", unit))
		}
		rate := ""
		for _, rd := range o.FindElements(".//RATEDETAILS.LIST") {
			if text(rd, "GSTRATEDUTYHEAD") == "IGST" {
				rate = text(rd, "GSTRATE")
			}
		}
		s.items[k] = Item{Name: name, Parent: text(o, "PARENT"), BaseUnit: unit,
			HSN: text(o, "GSTDETAILS.LIST/HSNCODE"), GSTRate: rate}
		s.count(exists, c)
	case "UNIT":
		k := strings.ToLower(name)
		_, exists := s.units[k]
		if exists && action == "create" {
			return fail(fmt.Sprintf("Unit '%s' already exists!", name))
		}
		s.units[k] = name
		s.count(exists, c)
	case "GODOWN":
		k := strings.ToLower(name)
		_, exists := s.godowns[k]
		if exists && action == "create" {
			return fail(fmt.Sprintf("Godown '%s' already exists!", name))
		}
		s.godowns[k] = name
		s.count(exists, c)
	default:
		c.ignored++
	}
	return ""
}

func (s *Server) count(altered bool, c *counters) {
	s.alterID++
	if altered {
		c.altered++
	} else {
		c.created++
	}
}

// paise reads "-1234.50" (Tally's sign) into paise; ok is false for junk.
func paise(t string) (int64, bool) {
	t = strings.TrimSpace(t)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	var v int64
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
		v = v*10 + int64(r-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func (s *Server) importVoucher(o *etree.Element, c *counters) string {
	vt := o.SelectAttrValue("VCHTYPE", text(o, "VOUCHERTYPENAME"))
	if !voucherTypes[strings.ToLower(vt)] {
		c.errors++
		return fmt.Sprintf("Voucher Type '%s' does not exist!", vt)
	}
	v := &Voucher{
		RemoteID:  o.SelectAttrValue("REMOTEID", ""),
		Type:      vt,
		Number:    text(o, "VOUCHERNUMBER"),
		SentDate:  text(o, "DATE"),
		Party:     text(o, "PARTYLEDGERNAME"),
		Narration: text(o, "NARRATION"),
		Ledgers:   map[string]int64{},
		Bills:     map[string]int64{},
	}
	date, ok := readDate(v.SentDate)
	if !ok {
		c.errors++
		return fmt.Sprintf("Date '%s' is not valid!", v.SentDate)
	}
	v.Date = date
	var total int64
	multiGodown := len(s.godowns) > 1
	ledger := func(e *etree.Element) string {
		n := text(e, "LEDGERNAME")
		if _, ok := s.ledgers[strings.ToLower(n)]; !ok {
			return fmt.Sprintf("Ledger '%s' does not exist!", n)
		}
		amt, ok := paise(text(e, "AMOUNT"))
		if !ok {
			return fmt.Sprintf("Amount '%s' is not valid!", text(e, "AMOUNT"))
		}
		v.Ledgers[n] += amt
		return ""
	}
	for _, le := range o.SelectElements("LEDGERENTRIES.LIST") {
		if msg := ledger(le); msg != "" {
			c.errors++
			return msg
		}
		amt, _ := paise(text(le, "AMOUNT"))
		total += amt
		for _, b := range le.SelectElements("BILLALLOCATIONS.LIST") {
			ba, ok := paise(text(b, "AMOUNT"))
			if !ok {
				c.errors++
				return fmt.Sprintf("Amount '%s' is not valid!", text(b, "AMOUNT"))
			}
			v.Bills[text(b, "BILLTYPE")+" "+text(b, "NAME")] += ba
		}
	}
	var stockIn, stockOut int64 // a stock journal's sides, as positive values
	for _, tag := range []string{"ALLINVENTORYENTRIES.LIST", "INVENTORYENTRIESIN.LIST", "INVENTORYENTRIESOUT.LIST"} {
		for _, inv := range o.SelectElements(tag) {
			v.Lines++
			item := text(inv, "STOCKITEMNAME")
			if _, ok := s.items[strings.ToLower(item)]; !ok {
				c.errors++
				return fmt.Sprintf("Stock Item '%s' does not exist!", item)
			}
			batches := inv.SelectElements("BATCHALLOCATIONS.LIST")
			if len(batches) == 0 && multiGodown {
				c.exceptions++ // Tally says nothing at all here
				return ""
			}
			for _, b := range batches {
				g := text(b, "GODOWNNAME")
				if g == "" && multiGodown {
					c.exceptions++
					return ""
				}
				if _, ok := s.godowns[strings.ToLower(g)]; g != "" && !ok {
					c.errors++
					return "Godown does not exist!"
				}
			}
			if msg := recomputeLine(inv); msg != "" {
				c.errors++
				return msg
			}
			if tag != "ALLINVENTORYENTRIES.LIST" {
				amt, ok := paise(text(inv, "AMOUNT"))
				if !ok {
					c.errors++
					return fmt.Sprintf("Amount '%s' is not valid!", text(inv, "AMOUNT"))
				}
				if tag == "INVENTORYENTRIESIN.LIST" {
					stockIn -= amt // goods in are debits: negative
				} else {
					stockOut += amt
				}
				continue
			}
			for _, a := range inv.SelectElements("ACCOUNTINGALLOCATIONS.LIST") {
				if msg := ledger(a); msg != "" {
					c.errors++
					return msg
				}
				amt, _ := paise(text(a, "AMOUNT"))
				total += amt
			}
		}
	}
	if strings.EqualFold(vt, "Stock Journal") {
		// a transfer (both sides) must move as much value in as out; a
		// one-sided adjustment has nothing to match; a side with the wrong
		// sign is a debit posted as a credit
		if stockIn < 0 || stockOut < 0 || stockIn != 0 && stockOut != 0 && stockIn != stockOut {
			c.errors++
			return "Voucher totals do not match!"
		}
	} else if total != 0 {
		c.errors++
		return "Voucher totals do not match!"
	}
	s.alterID++
	v.AlterID = s.alterID
	c.lastVchID = s.alterID
	v.xml = o.Copy()
	if v.RemoteID == "" {
		s.masterID++
		v.MasterID = s.masterID
		s.anonymous = append(s.anonymous, v)
		c.created++
		return ""
	}
	k := strings.ToLower(v.RemoteID)
	if old, ok := s.vouchers[k]; ok {
		c.altered++ // an alter replaces the whole voucher
		v.MasterID = old.MasterID
	} else {
		c.created++
		s.masterID++
		v.MasterID = s.masterID
	}
	s.vouchers[k] = v
	return ""
}

// cancelVoucher marks a voucher cancelled, as the accountant's Alt+X does
// (TALLY.md, "Cancelling: ACTION="Cancel" on the voucher (found by
// REMOTEID)"): the number stays used, the amounts stop counting. Stricter
// than Tally may be: the voucher is found by REMOTEID only, and its type and
// date must be the voucher's own, so a cancel can never land on another
// voucher or stand for a credit note on another day. Cancelling a cancelled
// voucher again is counted as a cancel (a re-send after a lost reply).
func (s *Server) cancelVoucher(o *etree.Element, c *counters) string {
	v, bad := s.namedVoucher(o, "cancel")
	if bad != "" {
		c.errors++
		return bad
	}
	id := v.RemoteID
	if n := text(o, "VOUCHERNUMBER"); n != "" && n != v.Number {
		c.errors++
		return fmt.Sprintf("Voucher '%s' is number %s, not %s!", id, v.Number, n)
	}
	v.Cancelled = true
	v.CancelNote = text(o, "NARRATION")
	s.alterID++
	v.AlterID = s.alterID
	c.cancelled++
	return ""
}

// namedVoucher finds the voucher a cancel or delete names by REMOTEID, and
// holds the request to the voucher's own type and date; it answers Tally's
// line-error text when they do not match.
func (s *Server) namedVoucher(o *etree.Element, action string) (*Voucher, string) {
	id := o.SelectAttrValue("REMOTEID", "")
	v, ok := s.vouchers[strings.ToLower(id)]
	if id == "" || !ok {
		return nil, fmt.Sprintf("Voucher '%s' to %s does not exist!", id, action)
	}
	vt := o.SelectAttrValue("VCHTYPE", text(o, "VOUCHERTYPENAME"))
	if !strings.EqualFold(vt, v.Type) {
		return nil, fmt.Sprintf("Voucher '%s' is a %s voucher, not %s!", id, v.Type, vt)
	}
	if d := text(o, "DATE"); d != "" {
		if date, ok := readDate(d); !ok || date != v.Date {
			return nil, fmt.Sprintf("Voucher '%s' is dated %s, not %s!", id, v.Date, d)
		}
	}
	return v, ""
}

// deleteVoucher removes a voucher found by REMOTEID, of the type and date
// the request names (as strict as a cancel). A REMOTEID Tally does not hold
// is an error: nothing says a re-sent delete would be forgiven. TALLY.md has
// no rule of its own for ACTION="Delete"; it is held to the cancel's
// ("Cancelling: ACTION="Cancel" on the voucher (found by REMOTEID)") and to
// "Altering by voucher number ignores the voucher type and can overwrite
// another type's voucher": never by number, never across types. The
// bridge deletes day summaries that emptied and, after the schema-4
// upgrade, the old "-CXL" credit notes, each only once it read that Tally
// holds it or may.
func (s *Server) deleteVoucher(o *etree.Element, c *counters) string {
	v, bad := s.namedVoucher(o, "delete")
	if bad != "" {
		c.errors++
		return bad
	}
	id := v.RemoteID
	delete(s.vouchers, strings.ToLower(id))
	s.alterID++
	c.deleted++
	return ""
}

// readDate is what Tally makes of a voucher's DATE: YYYYMMDD as it is.
// Anything else is read the way Tally's date field reads typed text, day
// first (DD-MM-YY), each part keeping its first two digits, and accepted
// without a word: "2026-11-25" becomes 20 November 2025. That is the trap
// TALLY.md warns of ("an ISO date is silently misread"). Only text that
// cannot be read as a date at all is refused.
func readDate(t string) (string, bool) {
	if len(t) == 8 && digits(t) {
		m, d := atoi(t[4:6]), atoi(t[6:8])
		return t, m >= 1 && m <= 12 && d >= 1 && d <= 31
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	if len(parts) != 3 {
		return "", false
	}
	for i, p := range parts {
		if i < 2 && len(p) > 2 {
			parts[i] = p[:2]
		}
	}
	d, m, y := atoi(parts[0]), atoi(parts[1]), parts[2]
	switch len(y) {
	case 2:
		y = "20" + y
	case 4:
	default:
		return "", false
	}
	if d < 1 || d > 31 || m < 1 || m > 12 {
		return "", false
	}
	return fmt.Sprintf("%s%02d%02d", y, m, d), true
}

func digits(t string) bool {
	for _, r := range t {
		if r < '0' || r > '9' {
			return false
		}
	}
	return t != ""
}

func atoi(t string) int {
	n := 0
	for _, r := range t {
		n = n*10 + int(r-'0')
	}
	return n
}

// listOfAccounts writes the reply to a List of Accounts export: an import
// envelope, reserved values prefixed with "&#4; " as Tally writes them.
func (s *Server) listOfAccounts(kind string) []byte {
	var b strings.Builder
	b.WriteString("<ENVELOPE>\r\n <HEADER>\r\n  <TALLYREQUEST>Import Data</TALLYREQUEST>\r\n </HEADER>\r\n <BODY>\r\n  <IMPORTDATA>\r\n   <REQUESTDESC>\r\n    <REPORTNAME>All Masters</REPORTNAME>\r\n    <STATICVARIABLES>\r\n     <SVCURRENTCOMPANY>")
	b.WriteString(esc(s.company))
	b.WriteString("</SVCURRENTCOMPANY>\r\n    </STATICVARIABLES>\r\n   </REQUESTDESC>\r\n   <REQUESTDATA>\r\n")
	msg := func(body string) {
		b.WriteString("    <TALLYMESSAGE xmlns:UDF=\"TallyUDF\">\r\n")
		b.WriteString(body)
		b.WriteString("    </TALLYMESSAGE>\r\n")
	}
	parent := func(p string) string {
		if p == "" {
			return "&#4; Primary"
		}
		return esc(p)
	}
	k := strings.ToLower(kind)
	if k == "ledgers" || k == "all accounting masters" || k == "" {
		for name, p := range s.groups {
			_ = name
			msg(fmt.Sprintf("     <GROUP NAME=\"%s\" RESERVEDNAME=\"\">\r\n      <PARENT>%s</PARENT>\r\n     </GROUP>\r\n", esc(s.groupNames[name]), parent(p)))
		}
		for _, l := range s.ledgers {
			var e strings.Builder
			fmt.Fprintf(&e, "     <LEDGER NAME=\"%s\" RESERVEDNAME=\"\">\r\n      <PARENT>%s</PARENT>\r\n", esc(l.Name), parent(l.Parent))
			if l.GSTIN != "" {
				fmt.Fprintf(&e, "      <PARTYGSTIN>%s</PARTYGSTIN>\r\n", esc(l.GSTIN))
			}
			if l.State != "" {
				fmt.Fprintf(&e, "      <LEDSTATENAME>%s</LEDSTATENAME>\r\n", esc(l.State))
			}
			fmt.Fprintf(&e, "      <GSTAPPLICABLE>&#4; Not Applicable</GSTAPPLICABLE>\r\n      <OPENINGBALANCE> %s</OPENINGBALANCE>\r\n", openingOrZero(l.Opening))
			e.WriteString("     </LEDGER>\r\n")
			msg(e.String())
		}
	}
	if k == "all inventory masters" || k == "stock items" || k == "godowns" || k == "units" || k == "" {
		if k != "stock items" && k != "godowns" {
			for _, u := range s.units {
				msg(fmt.Sprintf("     <UNIT NAME=\"%s\" RESERVEDNAME=\"\">\r\n      <NAME>%s</NAME>\r\n      <ISSIMPLEUNIT>Yes</ISSIMPLEUNIT>\r\n      <DECIMALPLACES> 0</DECIMALPLACES>\r\n     </UNIT>\r\n", esc(u), esc(u)))
			}
		}
		if k != "stock items" {
			for _, g := range s.godowns {
				msg(fmt.Sprintf("     <GODOWN NAME=\"%s\" RESERVEDNAME=\"\">\r\n      <PARENT>&#4; Primary</PARENT>\r\n     </GODOWN>\r\n", esc(g)))
			}
		}
		if k != "godowns" {
			for _, it := range s.items {
				op := it.Opening
				if op == "" {
					op = "0 " + it.BaseUnit
				}
				msg(fmt.Sprintf("     <STOCKITEM NAME=\"%s\" RESERVEDNAME=\"\">\r\n      <PARENT>%s</PARENT>\r\n      <BASEUNITS>%s</BASEUNITS>\r\n      <OPENINGBALANCE> %s</OPENINGBALANCE>\r\n      <GSTDETAILS.LIST>\r\n       <HSNCODE>%s</HSNCODE>\r\n       <STATEWISEDETAILS.LIST>\r\n        <STATENAME>&#4; Any</STATENAME>\r\n        <RATEDETAILS.LIST>\r\n         <GSTRATEDUTYHEAD>IGST</GSTRATEDUTYHEAD>\r\n         <GSTRATE> %s</GSTRATE>\r\n        </RATEDETAILS.LIST>\r\n       </STATEWISEDETAILS.LIST>\r\n      </GSTDETAILS.LIST>\r\n     </STOCKITEM>\r\n",
					esc(it.Name), parent(it.Parent), esc(it.BaseUnit), esc(op), esc(it.HSN), esc(it.GSTRate)))
			}
		}
	}
	b.WriteString("   </REQUESTDATA>\r\n  </IMPORTDATA>\r\n </BODY>\r\n</ENVELOPE>\r\n")
	return []byte(b.String())
}

func openingOrZero(s string) string {
	if s == "" {
		return "0.00"
	}
	return esc(s)
}
