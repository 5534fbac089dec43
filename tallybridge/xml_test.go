package tallybridge

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"vitaran/backend/money"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var day = time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC)

// intraStateSale is a Chennai outlet billed from Tamil Nadu: CGST + SGST, a
// 2 % line discount, 10 + 1 free, and a round-off.
func intraStateSale() Voucher {
	// 10 × 125.50 = 1255.00, 2 % off = 1229.90; 24 × 42.00 = 1008.00
	return Voucher{
		Kind: Sales, RemoteID: "INV-2526-000123", Number: "A/2526/123", Date: day,
		Party:     Party{Name: "Sri Murugan Stores & Co", GSTIN: "33AABCS1234F1Z5", State: "Tamil Nadu"},
		Narration: "Beat: Tuesday T.Nagar <van 2>",
		Lines: []Line{
			{Item: "Glow Soap 100g", HSN: "34011190", GSTRate: 500, Godown: "Main Location", Batch: "B2509",
				Unit: "Nos", Qty: 10, FreeQty: 1, Rate: 12550, Discount: 200, Amount: 122990},
			{Item: "Crunch Biscuits 200g", HSN: "19053100", GSTRate: 500, Godown: "Main Location", Batch: "C0925",
				Unit: "Nos", Qty: 24, Rate: 4200, Amount: 100800},
		},
		// 5 % of 2237.90 = 111.90 (55.95 + 55.95)
		Taxes: []TaxLeg{
			{Tax: CGST, Rate: 500, Amount: 5595},
			{Tax: SGST, Rate: 500, Amount: 5595},
		},
		RoundOff: 20, // 2349.80 → 2350.00
		Total:    235000,
	}
}

func interStateSale() Voucher {
	return Voucher{
		Kind: Sales, RemoteID: "INV-2526-000124", Number: "A/2526/124", Date: day,
		Party: Party{Name: "Bengaluru Mart", GSTIN: "29AAACB2222K1Z1", State: "Karnataka"},
		Lines: []Line{{Item: "Zing Deo 150ml", HSN: "33072000", GSTRate: 1800, Godown: "Main Location",
			Unit: "Nos", Qty: 6, Rate: 19900, Amount: 119400}},
		Taxes:    []TaxLeg{{Tax: IGST, Rate: 1800, Amount: 21492}}, // 18 % of 1194.00 = 214.92
		RoundOff: -92,                                              // 1408.92 → 1408.00
		Total:    140800,
	}
}

func creditNote() Voucher {
	return Voucher{
		Kind: CreditNote, RemoteID: "CN-2526-000007", Number: "CN/2526/7", Date: day,
		Party:   Party{Name: "Sri Murugan Stores & Co", GSTIN: "33AABCS1234F1Z5", State: "Tamil Nadu"},
		BillRef: "A/2526/123",
		Lines: []Line{{Item: "Glow Soap 100g", GSTRate: 500, Godown: "Damaged", Batch: "B2509",
			Unit: "Nos", Qty: 2, Rate: 12299, Amount: 24598}},
		Taxes: []TaxLeg{{Tax: CGST, Rate: 500, Amount: 615}, {Tax: SGST, Rate: 500, Amount: 615}},
		// 245.98 + 12.30 = 258.28 → 258.00
		RoundOff: -28,
		Total:    25800,
	}
}

func purchase() Voucher {
	return Voucher{
		Kind: Purchase, RemoteID: "GRN-2526-000045", Number: "HUL/TN/99812", Date: day,
		Party: Party{Name: "Glow Consumer Ltd", GSTIN: "33AAACG9999Q1Z2", State: "Tamil Nadu"},
		Lines: []Line{{Item: "Glow Soap 100g", HSN: "34011190", GSTRate: 500, Godown: "Main Location", Batch: "B2510",
			Unit: "Nos", Qty: 1440, Rate: 9800, Amount: 14112000}},
		Taxes:   []TaxLeg{{Tax: CGST, Rate: 500, Amount: 352800}, {Tax: SGST, Rate: 500, Amount: 352800}},
		Charges: []Charge{{Ledger: "Freight Inward", Amount: 50000}},
		Total:   14867600,
	}
}

func debitNote() Voucher {
	return Voucher{
		Kind: DebitNote, RemoteID: "PR-2526-000002", Number: "PR/2526/2", Date: day,
		Party:   Party{Name: "Glow Consumer Ltd", GSTIN: "33AAACG9999Q1Z2", State: "Tamil Nadu"},
		BillRef: "HUL/TN/99812",
		Lines: []Line{{Item: "Glow Soap 100g", GSTRate: 500, Godown: "Damaged", Batch: "B2510",
			Unit: "Nos", Qty: 12, Rate: 9800, Amount: 117600}},
		Taxes: []TaxLeg{{Tax: CGST, Rate: 500, Amount: 2940}, {Tax: SGST, Rate: 500, Amount: 2940}},
		Total: 123480,
	}
}

func receipt() Voucher {
	return Voucher{
		Kind: Receipt, RemoteID: "RCPT-2526-000311", Number: "R/311", Date: day,
		Party: Party{Name: "Sri Murugan Stores & Co", GSTIN: "33AABCS1234F1Z5", State: "Tamil Nadu"},
		Bank:  "HDFC Bank", BillRef: "A/2526/123", Total: 235000, Narration: "UPI ref 5123",
	}
}

func stockJournal() Voucher {
	return Voucher{
		Kind: StockJournal, RemoteID: "TRF-2526-000009", Number: "TRF/9", Date: day,
		Narration: "Damaged in transit",
		Out:       []StockEntry{{Item: "Glow Soap 100g", Godown: "Main Location", Batch: "B2510", Unit: "Nos", Qty: 5, Rate: 9800, Amount: 49000}},
		In:        []StockEntry{{Item: "Glow Soap 100g", Godown: "Damaged", Batch: "B2510", Unit: "Nos", Qty: 5, Rate: 9800, Amount: 49000}},
	}
}

// golden compares with testdata/name after indenting, so that the files
// are readable although the bridge writes vouchers without indentation.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(bytes.ReplaceAll(got, []byte("&#4;"), []byte("&#xE004;"))); err != nil {
		t.Fatalf("output is not XML: %v", err)
	}
	doc.Indent(1)
	pretty, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	got = bytes.ReplaceAll(pretty, []byte("\uE004"), []byte("&#4;"))
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file; run go test ./tallybridge -run Golden -update and review the diff\n--- got ---\n%s", name, got)
	}
}

func TestGoldenVoucherXML(t *testing.T) {
	cases := []struct {
		file string
		form Form
		v    Voucher
	}{
		{"sales_intra.xml", OldForm, intraStateSale()},
		{"sales_inter_newform.xml", NewForm, interStateSale()},
		{"credit_note.xml", OldForm, creditNote()},
		{"purchase.xml", OldForm, purchase()},
		{"debit_note.xml", OldForm, debitNote()},
		{"receipt.xml", OldForm, receipt()},
		{"stock_journal.xml", OldForm, stockJournal()},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := VouchersXML("Lakshmi Distributors & Sons", c.form, []Voucher{c.v})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b)
			if !bytes.Contains(b, []byte("Lakshmi Distributors &amp; Sons")) {
				t.Error("company name not escaped")
			}
			if !bytes.Contains(b, []byte("<DATE>20251003</DATE>")) {
				t.Error("date not YYYYMMDD")
			}
		})
	}
}

func TestGoldenMastersXML(t *testing.T) {
	need := Needed([]Voucher{intraStateSale(), interStateSale(), purchase(), receipt()})
	var b bytes.Buffer
	if err := WriteMasters(&b, "Lakshmi Distributors & Sons", OldForm, need); err != nil {
		t.Fatal(err)
	}
	golden(t, "masters.xml", b.Bytes())
	if !bytes.Contains(b.Bytes(), []byte("&#4; Any")) {
		t.Error("reserved value written without its &#4; reference")
	}
}

// The sign rule: debit = ISDEEMEDPOSITIVE Yes with a negative amount.
func TestSignRule(t *testing.T) {
	cases := []struct {
		name       string
		v          Voucher
		partyDebit bool
	}{
		{"a sale debits the outlet", intraStateSale(), true},
		{"a sales return credits the outlet", creditNote(), false},
		{"a purchase credits the supplier", purchase(), false},
		{"a purchase return debits the supplier", debitNote(), true},
		{"a receipt credits the outlet", receipt(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var sum money.Paise
			for _, l := range c.v.Legs() {
				sum += l.Amount
				if l.Party && l.Debit() != c.partyDebit {
					t.Errorf("party leg %s: debit=%v, want %v", l.Amount.Plain(), l.Debit(), c.partyDebit)
				}
				if !l.Party && l.Ledger != c.v.Bank && l.Debit() == c.partyDebit && l.Amount != 0 && !strings.Contains(l.Ledger, "Round") && l.Ledger != "" && c.v.Kind != Receipt {
					t.Errorf("leg %s %s on the same side as the party", l.Ledger, l.Amount.Plain())
				}
			}
			if sum != 0 {
				t.Errorf("legs sum to %s", sum.Plain())
			}
			b, err := VouchersXML("C", OldForm, []Voucher{c.v})
			if err != nil {
				t.Fatal(err)
			}
			checkXMLSigns(t, b)
		})
	}
}

// checkXMLSigns reads back every ISDEEMEDPOSITIVE/AMOUNT pair and the sum.
func checkXMLSigns(t *testing.T, b []byte) {
	t.Helper()
	s := string(b)
	var sum money.Paise
	for _, tag := range []string{"<LEDGERENTRIES.LIST>", "<ALLINVENTORYENTRIES.LIST>"} {
		for _, part := range strings.Split(s, tag)[1:] {
			flag := between(part, "<ISDEEMEDPOSITIVE>", "</ISDEEMEDPOSITIVE>")
			amt, err := ParseAmount(between(part, "<AMOUNT>", "</AMOUNT>"))
			if err != nil {
				t.Fatal(err)
			}
			if (flag == "Yes") != (amt < 0) {
				t.Errorf("ISDEEMEDPOSITIVE %s with amount %s", flag, amt.Plain())
			}
			sum += amt
		}
	}
	if sum != 0 {
		t.Errorf("voucher XML legs sum to %s", sum.Plain())
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	j := strings.Index(s, b)
	if j < 0 {
		return ""
	}
	return s[:j]
}

func TestZeroSumRefused(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(*Voucher)
		want  string
	}{
		{"total one paisa short", func(v *Voucher) { v.Total-- }, "sum to 0.01"},
		{"round-off forgotten", func(v *Voucher) { v.RoundOff = 0 }, "sum to -0.20"},
		{"tax leg missing", func(v *Voucher) { v.Taxes = v.Taxes[:1] }, "do not balance"},
		{"no remote id", func(v *Voucher) { v.RemoteID = "" }, "remote id"},
		{"no godown is fine: defaults to Main Location", func(v *Voucher) { v.Lines[0].Godown = "" }, ""},
		{"negative quantity", func(v *Voucher) { v.Lines[1].Qty = -1 }, "negative quantity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := intraStateSale()
			c.spoil(&v)
			_, err := VouchersXML("C", OldForm, []Voucher{v})
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestDaySummaryBalancesToThePaisa(t *testing.T) {
	var vs []Voucher
	for i := 0; i < 50; i++ {
		v := intraStateSale()
		v.RemoteID = "INV-" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		v.Lines[0].Qty += money.Qty(i)
		v.Lines[0].Amount += money.Paise(i * 1237)
		v.Total += money.Paise(i * 1237)
		if i%7 == 0 {
			v.Date = day.AddDate(0, 0, 1)
		}
		vs = append(vs, v, interStateSale())
		vs[len(vs)-1].RemoteID += string(rune('A' + i%26))
	}
	sum, err := SummariseByDay(vs, SummaryOptions{Party: Party{Name: "Retail Sales (Day Summary)", State: "Tamil Nadu"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) != 3 { // day one at 5 % and 18 %, day two (intra-state only) at 5 %
		t.Fatalf("got %d summary vouchers, want 3", len(sum))
	}
	var in, out money.Paise
	for _, v := range vs {
		in += v.Total
	}
	for _, v := range sum {
		if err := v.Check(); err != nil {
			t.Fatal(err)
		}
		out += v.Total
	}
	if in != out {
		t.Fatalf("summaries bill %s, invoices %s", out.Plain(), in.Plain())
	}
}
