package tallysim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// collection answers a new-form Collection export (TALLY.md, "Export": TYPE
// Collection with an inline TDL COLLECTION) of TYPE Voucher: every voucher
// dated SVFROMDATE..SVTODATE (all when they are absent), as Tally writes
// them: the voucher as imported, its DATE as Tally read it, MASTERID,
// ALTERID and ISCANCELLED, reserved values with the "&#4; " prefix. A
// cancelled voucher keeps its head and number; its entries are gone, as
// after Alt+X. Collections of other types answer empty.
func (s *Server) collection(env *etree.Element) []byte {
	from := strings.TrimSpace(env.FindElement(".//STATICVARIABLES/SVFROMDATE").NotNil().Text())
	to := strings.TrimSpace(env.FindElement(".//STATICVARIABLES/SVTODATE").NotNil().Text())
	typ := ""
	if c := env.FindElement(".//TDL/TDLMESSAGE/COLLECTION"); c != nil {
		typ = strings.TrimSpace(c.FindElement("TYPE").NotNil().Text())
	}
	var b strings.Builder
	b.WriteString("<ENVELOPE>\r\n <HEADER>\r\n  <VERSION>1</VERSION>\r\n  <STATUS>1</STATUS>\r\n </HEADER>\r\n <BODY>\r\n  <DESC>\r\n   <CMPINFO>\r\n    <COMPANY>0</COMPANY>\r\n   </CMPINFO>\r\n  </DESC>\r\n  <DATA>\r\n   <COLLECTION>\r\n")
	if strings.EqualFold(typ, "Voucher") {
		vs := s.anonymousAndStored()
		sort.Slice(vs, func(i, j int) bool {
			if vs[i].Date != vs[j].Date {
				return vs[i].Date < vs[j].Date
			}
			return vs[i].MasterID < vs[j].MasterID
		})
		for _, v := range vs {
			if from != "" && v.Date < from || to != "" && v.Date > to || v.xml == nil {
				continue
			}
			b.WriteString(exportVoucher(v))
		}
	}
	b.WriteString("   </COLLECTION>\r\n  </DATA>\r\n </BODY>\r\n</ENVELOPE>\r\n")
	return []byte(b.String())
}

func exportVoucher(v *Voucher) string {
	e := v.xml.Copy()
	e.RemoveAttr("ACTION")
	e.CreateAttr("ACTION", "Create")
	if d := e.SelectElement("DATE"); d != nil {
		d.SetText(v.Date) // what Tally made of the date sent
	}
	if v.Cancelled {
		for _, tag := range []string{"ALLINVENTORYENTRIES.LIST", "LEDGERENTRIES.LIST", "INVENTORYENTRIESIN.LIST", "INVENTORYENTRIESOUT.LIST"} {
			for _, c := range e.SelectElements(tag) {
				e.RemoveChild(c)
			}
		}
		if n := e.SelectElement("NARRATION"); n != nil {
			e.RemoveChild(n)
		}
		e.CreateElement("NARRATION").SetText(v.CancelNote)
	}
	e.CreateElement("ISCANCELLED").SetText(map[bool]string{true: "Yes", false: "No"}[v.Cancelled])
	e.CreateElement("MASTERID").SetText(fmt.Sprintf(" %d", v.MasterID))
	e.CreateElement("ALTERID").SetText(fmt.Sprintf(" %d", v.AlterID))
	doc := etree.NewDocument()
	doc.SetRoot(e)
	doc.Indent(1)
	out, _ := doc.WriteToString()
	// Tally writes its reserved values with a control-character reference
	// that Go's XML reader refuses: the bridge must clean it.
	return strings.Replace(out, "</VOUCHER>", " <GSTNATUREOFRETURN>&#4; Not Applicable</GSTNATUREOFRETURN>\r\n</VOUCHER>", 1)
}
