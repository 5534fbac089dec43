package gstr1

import (
	"bytes"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/gst"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/money"
)

// The GST offline tool's Excel template: its sheet names and header rows
// (the tool's "GSTR1_Excel_Workbook_Template", one sheet per table).
var sheets = []struct {
	name string
	head []string
}{
	{"b2b,sez,de", []string{"GSTIN/UIN of Recipient", "Receiver Name", "Invoice Number", "Invoice date", "Invoice Value", "Place Of Supply", "Reverse Charge", "Applicable % of Tax Rate", "Invoice Type", "E-Commerce GSTIN", "Rate", "Taxable Value", "Cess Amount"}},
	{"b2cl", []string{"Invoice Number", "Invoice date", "Invoice Value", "Place Of Supply", "Applicable % of Tax Rate", "Rate", "Taxable Value", "Cess Amount", "E-Commerce GSTIN"}},
	{"b2cs", []string{"Type", "Place Of Supply", "Applicable % of Tax Rate", "Rate", "Taxable Value", "Cess Amount", "E-Commerce GSTIN"}},
	{"cdnr", []string{"GSTIN/UIN of Recipient", "Receiver Name", "Note Number", "Note Date", "Note Type", "Place Of Supply", "Reverse Charge", "Note Supply Type", "Note Value", "Applicable % of Tax Rate", "Rate", "Taxable Value", "Cess Amount"}},
	{"cdnur", []string{"UR Type", "Note Number", "Note Date", "Note Type", "Place Of Supply", "Note Value", "Applicable % of Tax Rate", "Rate", "Taxable Value", "Cess Amount"}},
	{"hsn(b2b)", []string{"HSN", "Description", "UQC", "Total Quantity", "Total Value", "Rate", "Taxable Value", "Integrated Tax Amount", "Central Tax Amount", "State/UT Tax Amount", "Cess Amount"}},
	{"hsn(b2c)", []string{"HSN", "Description", "UQC", "Total Quantity", "Total Value", "Rate", "Taxable Value", "Integrated Tax Amount", "Central Tax Amount", "State/UT Tax Amount", "Cess Amount"}},
	{"docs", []string{"Nature of Document", "Sr. No. From", "Sr. No. To", "Total Number", "Cancelled"}},
}

// uqcNames are the template's UQC labels ("PCS-PIECES").
var uqcNames = map[string]string{"PCS": "PIECES", "NOS": "NUMBERS", "BOX": "BOX", "CTN": "CARTONS", "PAC": "PACKS", "BTL": "BOTTLES",
	"CAN": "CANS", "DOZ": "DOZENS", "KGS": "KILOGRAMS", "GMS": "GRAMMES", "LTR": "LITRES", "MLT": "MILILITRE", "TUB": "TUBES",
	"ROL": "ROLLS", "SET": "SETS", "PRS": "PAIRS", "BAG": "BAGS", "BDL": "BUNDLES", "BUN": "BUNCHES", "DRM": "DRUMS",
	"MTR": "METERS", "QTL": "QUINTAL", "TON": "TONNES", "TBS": "TABLETS", "UNT": "UNITS", "OTH": "OTHERS"}

// cell is the number Excel stores for an amount: whole rupees as integers,
// otherwise the double nearest the exact two-decimal text (written back by
// excelize as that same text).
func cell(a einvoice.Amount) any {
	if a%100 == 0 {
		return int64(a / 100)
	}
	f, _ := strconv.ParseFloat(money.Paise(a).Plain(), 64)
	return f
}

func pct(r einvoice.Rate) any {
	if r%100 == 0 {
		return int64(r / 100)
	}
	b, _ := r.MarshalJSON()
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

func pos(code string) string { return code + "-" + gst.StateName(code) }

// tdate writes dd-mm-yyyy as the template's 25-Nov-2026.
func tdate(s string) string {
	t, err := time.Parse("02-01-2006", s)
	if err != nil {
		return s
	}
	return t.Format("02-Jan-2006")
}

// XLSX writes the return in the offline tool's Excel template sheets.
func (r *Return) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	rows := map[string][][]any{}
	for _, b := range r.B2B {
		for _, inv := range b.Inv {
			for _, it := range inv.Itms {
				rows["b2b,sez,de"] = append(rows["b2b,sez,de"], []any{b.Ctin, inv.Receiver, inv.Inum, tdate(inv.Idt), cell(inv.Val), pos(inv.Pos), "N", "", "Regular B2B", "",
					pct(it.ItmDet.Rt), cell(it.ItmDet.Txval), cell(it.ItmDet.Csamt)})
			}
		}
	}
	for _, b := range r.B2CL {
		for _, inv := range b.Inv {
			for _, it := range inv.Itms {
				rows["b2cl"] = append(rows["b2cl"], []any{inv.Inum, tdate(inv.Idt), cell(inv.Val), pos(inv.Pos), "", pct(it.ItmDet.Rt), cell(it.ItmDet.Txval), cell(it.ItmDet.Csamt), ""})
			}
		}
	}
	for _, b := range r.B2CS {
		rows["b2cs"] = append(rows["b2cs"], []any{"OE", pos(b.Pos), "", pct(b.Rt), cell(b.Txval), cell(b.Csamt), ""})
	}
	for _, c := range r.CDNR {
		for _, n := range c.Nt {
			for _, it := range n.Itms {
				rows["cdnr"] = append(rows["cdnr"], []any{c.Ctin, n.Receiver, n.NtNum, tdate(n.NtDt), "C", pos(n.Pos), "N", "Regular B2B", cell(n.Val), "",
					pct(it.ItmDet.Rt), cell(it.ItmDet.Txval), cell(it.ItmDet.Csamt)})
			}
		}
	}
	for _, n := range r.CDNUR {
		for _, it := range n.Itms {
			rows["cdnur"] = append(rows["cdnur"], []any{n.Typ, n.NtNum, tdate(n.NtDt), "C", pos(n.Pos), cell(n.Val), "", pct(it.ItmDet.Rt), cell(it.ItmDet.Txval), cell(it.ItmDet.Csamt)})
		}
	}
	for sheet, hs := range map[string][]HSNRow{"hsn(b2b)": r.HSN.B2B, "hsn(b2c)": r.HSN.B2C} {
		for _, h := range hs {
			u := h.Uqc + "-" + uqcNames[h.Uqc]
			rows[sheet] = append(rows[sheet], []any{h.HsnSc, h.Desc, u, int64(h.Qty / 1000), cell(h.Txval + h.Iamt + h.Camt + h.Samt + h.Csamt),
				pct(h.Rt), cell(h.Txval), cell(h.Iamt), cell(h.Camt), cell(h.Samt), cell(h.Csamt)})
		}
	}
	for _, d := range r.DocIssue.DocDet {
		for _, s := range d.Docs {
			rows["docs"] = append(rows["docs"], []any{d.DocTyp, s.From, s.To, int64(s.Totnum), int64(s.Cancel)})
		}
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return nil, err
		}
		head := make([]any, len(s.head))
		for j, h := range s.head {
			head[j] = h
		}
		if err := f.SetSheetRow(s.name, "A1", &head); err != nil {
			return nil, err
		}
		for j, row := range rows[s.name] {
			ref, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := f.SetSheetRow(s.name, ref, &row); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
