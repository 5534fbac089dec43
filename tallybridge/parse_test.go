package tallybridge

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/beevik/etree"

	"vitaran/backend/money"
)

func utf16le(s string, bom bool) []byte {
	var out []byte
	if bom {
		out = []byte{0xFF, 0xFE}
	}
	for _, c := range utf16.Encode([]rune(s)) {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}

func TestSanitiserRepairsWhatTallyGetsWrong(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
		kind RepairKind
	}{
		{"reserved prefix", []byte("<P>&#4; Primary</P>"), "<P> Primary</P>", RepairControlRef},
		{"hex control ref", []byte("<P>a&#x1F;b</P>"), "<P>ab</P>", RepairControlRef},
		{"raw control byte", []byte("<P>a\x04b\x7f</P>"), "<P>ab</P>", RepairControlChar},
		{"C1 control in UTF-8", []byte("<P>a\u0085b</P>"), "<P>ab</P>", RepairControlChar},
		{"bare ampersand", []byte("<P>Salt & Pepper &amp; Co &#65;</P>"), "<P>Salt &amp; Pepper &amp; Co &#65;</P>", RepairBareAmp},
		{"unknown entity", []byte("<P>A&nbsp;B</P>"), "<P>A&amp;nbsp;B</P>", RepairBareAmp},
		{"UTF-8 BOM", []byte("\xEF\xBB\xBF<P>x</P>"), "<P>x</P>", RepairBOM},
		{"UTF-16LE with BOM", utf16le("<P>₹ 10</P>", true), "<P>₹ 10</P>", RepairBOM},
		{"UTF-16LE without BOM", utf16le("<P>x</P>", false), "<P>x</P>", RepairEncoding},
		{"windows-1252", []byte("<P>Caf\xe9 \x80</P>"), "<P>Café €</P>", RepairEncoding},
		{"declaration says UTF-16", []byte(`<?xml version="1.0" encoding="UTF-16"?><P/>`), `<?xml version="1.0" encoding="UTF-8"?><P/>`, RepairDeclaration},
		{"latin-1 labelled UTF-8", append([]byte(strings.Repeat("<P>ok</P>", 500)), "<P>Caf\xe9</P>"...), strings.Repeat("<P>ok</P>", 500) + "<P>Café</P>", RepairInvalidUTF8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// one byte at a time: references and runes split across reads
			s := NewSanitiser(iotest.OneByteReader(bytes.NewReader(c.in)))
			got, err := io.ReadAll(s)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			found := false
			for _, r := range s.Repairs() {
				found = found || r.Kind == c.kind
			}
			if !found {
				t.Errorf("repair %q not reported: %v", c.kind, s.Repairs())
			}
		})
	}
}

func TestSanitiserStreamsLargeReplies(t *testing.T) {
	// 50 MB through a reader that never holds it whole
	unit := "<LEDGER NAME=\"A &amp; B\"><PARENT>&#4; Primary</PARENT></LEDGER>\n"
	n := 50 << 20 / len(unit)
	src := io.MultiReader(strings.NewReader("<E>"), &repeatReader{s: unit, n: n}, strings.NewReader("</E>"))
	s := NewSanitiser(src)
	written, err := io.Copy(io.Discard, s)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(7 + n*(len(unit)-4)); written != want {
		t.Fatalf("wrote %d bytes, want %d", written, want)
	}
	if r := s.Repairs(); len(r) != 1 || r[0].Count != n {
		t.Fatalf("repairs %v", r)
	}
}

type repeatReader struct {
	s   string
	n   int
	buf []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && r.n > 0 {
		r.buf = append(r.buf, r.s...)
		r.n--
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.buf)
	r.buf = r.buf[k:]
	return k, nil
}

func TestParseResponseForms(t *testing.T) {
	cases := []struct {
		name   string
		reply  string
		expect Expect
		want   error
	}{
		{"old form, created", "<RESPONSE><CREATED>2</CREATED><ALTERED>0</ALTERED><ERRORS>0</ERRORS><EXCEPTIONS>0</EXCEPTIONS></RESPONSE>", Expect{Sent: 2}, nil},
		{"new form, altered", "<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER><BODY><DATA><IMPORTRESULT><CREATED>0</CREATED><ALTERED>1</ALTERED></IMPORTRESULT></DATA></BODY></ENVELOPE>", Expect{Sent: 1, MustAlter: 1}, nil},
		{"created where an alter was certain", "<RESPONSE><CREATED>1</CREATED></RESPONSE>", Expect{Sent: 1, MustAlter: 1}, ErrRejected},
		{"ignored", "<RESPONSE><CREATED>1</CREATED><IGNORED>1</IGNORED></RESPONSE>", Expect{Sent: 2}, ErrRejected},
		{"exceptions without text", "<RESPONSE><CREATED>0</CREATED><EXCEPTIONS>17</EXCEPTIONS></RESPONSE>", Expect{Sent: 17}, ErrRejected},
		{"short count", "<RESPONSE><CREATED>1</CREATED></RESPONSE>", Expect{Sent: 2}, ErrRejected},
		{"line error", "<RESPONSE><LINEERROR>Ledger 'X' does not exist!</LINEERROR><CREATED>1</CREATED><ERRORS>1</ERRORS></RESPONSE>", Expect{Sent: 2}, ErrRejected},
		{"company", "<RESPONSE><LINEERROR>Could not set 'SVCurrentCompany' to 'X'</LINEERROR></RESPONSE>", Expect{Sent: 1}, ErrCompanyNotOpen},
		{"unknown request", "<RESPONSE>Unknown Request, cannot be processed</RESPONSE>", Expect{Sent: 1}, ErrUnknownRequest},
		{"empty body", "", Expect{Sent: 1}, ErrNoCompany},
		{"new form status 0", "<ENVELOPE><HEADER><STATUS>0</STATUS></HEADER><BODY><DATA><IMPORTRESULT><CREATED>1</CREATED></IMPORTRESULT></DATA></BODY></ENVELOPE>", Expect{Sent: 1}, ErrRejected},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, _, err := ParseResponse(strings.NewReader(c.reply))
			if err == nil {
				err = res.Check(c.expect)
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestTallyNumbers(t *testing.T) {
	amts := []struct {
		in   string
		want money.Paise
	}{
		{" 1500.00", 150000}, {"-25.5", -2550}, {"(-)1,234.56", -123456}, {"", 0}, {"0.005", 1}, {"12", 1200},
	}
	for _, a := range amts {
		got, err := ParseAmount(a.in)
		if err != nil || got != a.want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", a.in, got, err, a.want)
		}
	}
	for _, bad := range []string{"-$ 25517.82 @ 82.6", "12a", ".", "1.2.3"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
	q, unit, err := ParseQty(" 1000.00 Kgs.")
	if err != nil || q != 1000 || unit != "Kgs." {
		t.Errorf("ParseQty = %v %q %v", q, unit, err)
	}
	if _, _, err := ParseQty("2 Box 54 strips"); err == nil {
		t.Error("compound quantity accepted")
	}
	if _, _, err := ParseQty("2.5 Kgs"); err == nil {
		t.Error("fractional quantity accepted")
	}
	r, unit, err := ParseRate("20.00/Kgs.")
	if err != nil || r != 2000 || unit != "Kgs." {
		t.Errorf("ParseRate = %v %q %v", r, unit, err)
	}
}

const accountsReply = `<ENVELOPE><HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER><BODY><IMPORTDATA><REQUESTDATA>
<TALLYMESSAGE xmlns:UDF="TallyUDF"><LEDGER NAME="Ravi &amp; Sons" RESERVEDNAME=""><PARENT>Sundry Debtors</PARENT><PARTYGSTIN>33AAAAA0000A1Z5</PARTYGSTIN><LEDSTATENAME>Tamil Nadu</LEDSTATENAME><OPENINGBALANCE> (-)1,500.00</OPENINGBALANCE></LEDGER></TALLYMESSAGE>
<TALLYMESSAGE xmlns:UDF="TallyUDF"><LEDGER NAME="Profit &amp; Loss A/c"><PARENT>&#4; Primary</PARENT><GSTAPPLICABLE>&#4; Not Applicable</GSTAPPLICABLE></LEDGER></TALLYMESSAGE>
<TALLYMESSAGE xmlns:UDF="TallyUDF"><STOCKITEM NAME="Sugar"><PARENT>&#4; Primary</PARENT><BASEUNITS>Kgs.</BASEUNITS><OPENINGBALANCE> 1000.00 Kgs.</OPENINGBALANCE><GSTDETAILS.LIST><HSNCODE>1701</HSNCODE><STATEWISEDETAILS.LIST><STATENAME>&#4; Any</STATENAME><RATEDETAILS.LIST><GSTRATEDUTYHEAD>IGST</GSTRATEDUTYHEAD><GSTRATE> 5</GSTRATE></RATEDETAILS.LIST></STATEWISEDETAILS.LIST></GSTDETAILS.LIST></STOCKITEM></TALLYMESSAGE>
<TALLYMESSAGE xmlns:UDF="TallyUDF"><UNIT NAME="Kgs."><DECIMALPLACES> 3</DECIMALPLACES></UNIT><GODOWN NAME="Main Location"><PARENT>&#4; Primary</PARENT></GODOWN></TALLYMESSAGE>
</REQUESTDATA></IMPORTDATA></BODY></ENVELOPE>`

func TestReadMastersFromListOfAccounts(t *testing.T) {
	m, reps, err := ReadMasters(strings.NewReader(accountsReply))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Ledgers) != 2 || m.Ledgers[0] != (Ledger{Name: "Ravi & Sons", Parent: "Sundry Debtors", GSTIN: "33AAAAA0000A1Z5", State: "Tamil Nadu", Opening: -150000}) {
		t.Errorf("ledgers %+v", m.Ledgers)
	}
	if m.Ledgers[1].Parent != "" {
		t.Errorf("reserved Primary read as %q", m.Ledgers[1].Parent)
	}
	if len(m.Items) != 1 || m.Items[0] != (StockItem{Name: "Sugar", BaseUnit: "Kgs.", HSN: "1701", GSTRate: 500, OpeningQty: 1000}) {
		t.Errorf("items %+v", m.Items)
	}
	if len(m.Units) != 1 || m.Units[0].Decimals != 3 || len(m.Godowns) != 1 {
		t.Errorf("units %+v godowns %+v", m.Units, m.Godowns)
	}
	if len(reps) != 1 || reps[0].Kind != RepairControlRef || reps[0].Count != 5 {
		t.Errorf("repairs %v", reps)
	}
}

func FuzzSanitiser(f *testing.F) {
	for _, s := range []string{accountsReply, "&#4; x", "\xEF\xBB\xBF<a/>", string(utf16le("<a>b</a>", true)), "a&b", "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", "\x00a\x00b", "Caf\xe9", "&#x110000;", "&#xD800;"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := Sanitise(in)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("output not UTF-8: %q", out)
		}
		for _, r := range string(out) {
			if !xmlChar(r) || r >= 0x7F && r <= 0x9F {
				t.Fatalf("output keeps %U: %q", r, out)
			}
		}
		// every & left starts a reference
		for i := 0; i < len(out); i++ {
			if out[i] == '&' {
				j := bytes.IndexByte(out[i:], ';')
				if j < 0 {
					t.Fatalf("bare & survives at %d: %q", i, out)
				}
			}
		}
		// and the same bytes one at a time give the same text
		again, err := io.ReadAll(NewSanitiser(iotest.OneByteReader(bytes.NewReader(in))))
		if err == nil && !bytes.Equal(out, again) {
			t.Fatalf("chunking changed the output:\n%q\n%q", out, again)
		}
		// well-formedness is not promised (tags may be broken), but a well-formed
		// document must still parse after repair
		doc := etree.NewDocument()
		_ = doc.ReadFromBytes(out)
	})
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{
		"<RESPONSE><CREATED>1</CREATED><ALTERED>0</ALTERED><LINEERROR>Ledger 'A &amp; B' does not exist!</LINEERROR></RESPONSE>",
		"<ENVELOPE><HEADER><STATUS>1</STATUS></HEADER><BODY><DATA><IMPORTRESULT><CREATED>1</CREATED></IMPORTRESULT></DATA></BODY></ENVELOPE>",
		"<RESPONSE>Unknown Request, cannot be processed</RESPONSE>", "", "<RESPONSE><EXCEPTIONS>17</EXCEPTIONS></RESPONSE>",
	} {
		f.Add([]byte(s), 1, 0)
	}
	f.Fuzz(func(t *testing.T, in []byte, sent, mustAlter int) {
		res, _, err := ParseResponse(bytes.NewReader(in))
		if err != nil {
			return
		}
		if res.Check(Expect{Sent: sent, MustAlter: mustAlter}) == nil {
			// success must mean the strict rule held
			if res.Errors != 0 || res.Exceptions != 0 || len(res.LineErrors) != 0 || res.Created+res.Altered != sent || res.Altered < mustAlter {
				t.Fatalf("accepted %+v for sent=%d mustAlter=%d", res, sent, mustAlter)
			}
		}
	})
}

func FuzzReadMasters(f *testing.F) {
	f.Add([]byte(accountsReply))
	f.Add([]byte("<ENVELOPE><BODY><LINEERROR>Could not set 'SVCurrentCompany' to 'X'</LINEERROR></BODY></ENVELOPE>"))
	f.Add(utf16le(accountsReply, true))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, _, err := ReadMasters(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, l := range m.Ledgers {
			if l.Name == "" || strings.HasPrefix(l.Parent, " ") {
				t.Fatalf("ledger %+v", l)
			}
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{" 1500.00", "(-)1,234.56", "-0.005", "", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseAmount(s)
		if err != nil {
			return
		}
		// what we read, written the way Tally writes it, reads back the same
		q, err := ParseAmount(p.Plain())
		if err != nil || q != p {
			t.Fatalf("%q → %d → %q → %d, %v", s, p, p.Plain(), q, err)
		}
	})
}

// What the bridge sends as UTF-16LE reads back, through the same sanitiser
// that reads Tally's replies, as the very text it was.
func FuzzUTF16RequestRoundTrip(f *testing.F) {
	for _, s := range []string{"<VOUCHER><NARRATION>₹1,250 முருகன்</NARRATION></VOUCHER>", "Sri Murugan Stores &amp; Co", "😀 emoji", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "&\uFEFF") || strings.HasPrefix(s, "<?xml") {
			return
		}
		for _, r := range s {
			if !xmlChar(r) || r >= 0x7F && r <= 0x9F {
				return // the sanitiser removes these on purpose
			}
		}
		out, reps, err := Sanitise(EncodeUTF16LE([]byte(s)))
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != s {
			t.Fatalf("sent %q, read back %q (repairs %v)", s, out, reps)
		}
	})
}
