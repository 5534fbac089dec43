package tallybridge

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"vitaran/backend/money"
)

// Tally's default groups a fresh company has, and the ones the bridge files
// its masters under.
const (
	GroupDebtors        = "Sundry Debtors"
	GroupCreditors      = "Sundry Creditors"
	GroupDuties         = "Duties & Taxes"
	GroupSales          = "Sales Accounts"
	GroupPurchases      = "Purchase Accounts"
	GroupIndirectExp    = "Indirect Expenses"
	GroupIndirectIncome = "Indirect Incomes"
	GroupBank           = "Bank Accounts"
	GroupCash           = "Cash-in-Hand"
)

// Masters is what a company holds (or must be given) besides vouchers.
type Masters struct {
	Groups  []Group
	Ledgers []Ledger
	Items   []StockItem
	Units   []Unit
	Godowns []Godown
}

// Group is an account group; Parent is empty for a primary group.
type Group struct{ Name, Parent string }

// Ledger is an account: a party, a sales or tax ledger, a bank.
type Ledger struct {
	Name     string
	Parent   string // the group, e.g. "Sundry Debtors"
	GSTIN    string
	State    string
	DutyHead Tax         // for a GST duty ledger
	Opening  money.Paise // Tally's sign: a debit balance is negative
}

// StockItem is a product as Tally knows it.
type StockItem struct {
	Name       string
	Parent     string // stock group; empty for Primary
	BaseUnit   string
	HSN        string
	GSTRate    money.BP
	OpeningQty money.Qty
}

// Unit is a simple unit of measure.
type Unit struct {
	Name     string
	Decimals int
}

// Godown is a stock location; Parent is empty at top level.
type Godown struct{ Name, Parent string }

// ErrNumber is wrapped by the number readers for text that is not one.
var ErrNumber = errors.New("not a Tally number")

// ParseAmount reads a Tally amount: leading spaces, "(-)" or "-" for
// minus, thousands commas. Empty means absent and reads as zero. More than
// two decimals are rounded half away from zero, digit by digit.
func ParseAmount(s string) (money.Paise, error) {
	t, neg := tallySign(s)
	if t == "" {
		return 0, nil
	}
	if strings.ContainsAny(t, "@$") {
		return 0, fmt.Errorf("%q: foreign-currency amount: %w", s, ErrNumber)
	}
	v, err := decimal(t, 2)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	if neg {
		v = -v
	}
	return money.Paise(v), nil
}

// ParseQty reads a quantity such as " 1000.00 Kgs." into whole base units
// and the unit's symbol. A fractional quantity or a compound one
// ("2 Box 54 strips") is refused: Vitaran counts in whole base units.
func ParseQty(s string) (money.Qty, string, error) {
	t, neg := tallySign(s)
	if t == "" {
		return 0, "", nil
	}
	num, unit, _ := strings.Cut(t, " ")
	unit = strings.TrimSpace(unit)
	if strings.Contains(unit, " ") {
		return 0, "", fmt.Errorf("%q: compound quantity: %w", s, ErrNumber)
	}
	v, err := decimal(num, 3)
	if err != nil {
		return 0, "", fmt.Errorf("%q: %w", s, err)
	}
	if v%1000 != 0 {
		return 0, "", fmt.Errorf("%q: fractional quantity: %w", s, ErrNumber)
	}
	q := money.Qty(v / 1000)
	if neg {
		q = -q
	}
	return q, unit, nil
}

// ParseRate reads a price per unit such as "20.00/Kgs.".
func ParseRate(s string) (money.Paise, string, error) {
	num, unit, _ := strings.Cut(s, "/")
	p, err := ParseAmount(num)
	return p, strings.TrimSpace(unit), err
}

// ParseRatePercent reads a GST rate such as " 18" or "2.5" into basis points.
func ParseRatePercent(s string) (money.BP, error) {
	t, neg := tallySign(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if t == "" {
		return 0, nil
	}
	v, err := decimal(t, 2)
	if err != nil || neg {
		return 0, fmt.Errorf("%q: not a rate: %w", s, ErrNumber)
	}
	return money.BP(v), nil
}

func tallySign(s string) (string, bool) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "(-)") {
		neg, t = true, strings.TrimSpace(t[3:])
	} else if strings.HasPrefix(t, "-") {
		neg, t = true, strings.TrimSpace(t[1:])
	}
	return t, neg
}

// decimal reads digits with an optional point into an integer scaled by
// 10^places, rounding half away from zero on the first dropped digit.
func decimal(t string, places int) (int64, error) {
	t = strings.ReplaceAll(t, ",", "")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" && frac == "" {
		return 0, ErrNumber
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("too large: %w", ErrNumber)
	}
	var v int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, ErrNumber
		}
		v = v*10 + int64(c-'0')
	}
	for i := 0; i < places; i++ {
		v *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, ErrNumber
			}
			v += int64(c - '0')
		}
	}
	if len(frac) > places {
		for _, c := range frac[places:] {
			if c < '0' || c > '9' {
				return 0, ErrNumber
			}
		}
		if frac[places] >= '5' {
			v++
		}
	}
	return v, nil
}

// node is one element of a master, read whole; a master is small even when
// the reply holding it is hundreds of MB.
type node struct {
	name  string
	attrs map[string]string
	text  strings.Builder
	kids  []*node
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// value is the child's text with Tally's reserved-value prefix and spaces gone.
func (n *node) value(path ...string) string {
	for _, p := range path {
		n = n.child(p)
	}
	if n == nil {
		return ""
	}
	return cleanText(n.text.String())
}

func cleanText(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "\x04")
	return strings.TrimSpace(s)
}

func readNode(d *xml.Decoder, start xml.StartElement, depth int) (*node, error) {
	if depth > 64 {
		return nil, fmt.Errorf("%w: nested too deep", ErrBadReply)
	}
	n := &node{name: start.Name.Local}
	for _, a := range start.Attr {
		if n.attrs == nil {
			n.attrs = map[string]string{}
		}
		n.attrs[a.Name.Local] = a.Value
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k, err := readNode(d, t, depth+1)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		case xml.CharData:
			if n.text.Len() < 1<<16 {
				n.text.Write(t)
			}
		case xml.EndElement:
			return n, nil
		}
	}
}

// ReadMasters reads a List of Accounts reply, or a Tally export file, of any
// size: it streams, holding one master at a time. Reserved-value prefixes
// ("&#4; Primary") are stripped and "Primary" parents read as top level.
func ReadMasters(r io.Reader) (Masters, []Repair, error) {
	var m Masters
	repairs, err := readExport(r, func(name string) bool {
		switch name {
		case "LEDGER", "STOCKITEM", "UNIT", "GODOWN", "GROUP":
			return true
		}
		return false
	}, func(n *node) error {
		m.add(n)
		return nil
	})
	return m, repairs, err
}

// readExport streams an export reply through the sanitiser, handing each
// element want names to each, read whole, one at a time. A LINEERROR is
// Tally's refusal (ErrCompanyNotOpen when no company is open); a reply
// with no element at all is ErrNoCompany; a bad node, or an error from
// each, is ErrBadReply. The repairs are returned whatever happened.
func readExport(r io.Reader, want func(name string) bool, each func(n *node) error) ([]Repair, error) {
	san := NewSanitiser(r)
	d := xml.NewDecoder(san)
	d.Strict = true
	seen := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return san.Repairs(), fmt.Errorf("%w: %v", ErrBadReply, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		seen = true
		if se.Name.Local == "LINEERROR" {
			n, err := readNode(d, se, 0)
			if err != nil {
				return san.Repairs(), fmt.Errorf("%w: %v", ErrBadReply, err)
			}
			msg := cleanText(n.text.String())
			if strings.Contains(msg, "SVCurrentCompany") {
				return san.Repairs(), fmt.Errorf("%w: %s", ErrCompanyNotOpen, msg)
			}
			return san.Repairs(), fmt.Errorf("%w: %s", ErrRejected, msg)
		}
		if !want(se.Name.Local) {
			continue
		}
		n, err := readNode(d, se, 0)
		if err != nil {
			return san.Repairs(), fmt.Errorf("%w: %v", ErrBadReply, err)
		}
		if err := each(n); err != nil {
			return san.Repairs(), fmt.Errorf("%w: %v", ErrBadReply, err)
		}
	}
	if !seen {
		return san.Repairs(), ErrNoCompany
	}
	return san.Repairs(), nil
}

func masterName(n *node) string {
	if v := cleanText(n.attrs["NAME"]); v != "" {
		return v
	}
	if v := n.value("NAME"); v != "" {
		return v
	}
	return n.value("LANGUAGENAME.LIST", "NAME.LIST", "NAME")
}

func parentOf(n *node) string {
	p := n.value("PARENT")
	if strings.EqualFold(p, "Primary") {
		return ""
	}
	return p
}

func (m *Masters) add(n *node) {
	name := masterName(n)
	if name == "" {
		return
	}
	switch n.name {
	case "GROUP":
		m.Groups = append(m.Groups, Group{Name: name, Parent: parentOf(n)})
	case "LEDGER":
		l := Ledger{Name: name, Parent: parentOf(n)}
		l.GSTIN = n.value("PARTYGSTIN")
		if l.GSTIN == "" {
			l.GSTIN = n.value("LEDGSTREGDETAILS.LIST", "GSTIN")
		}
		l.State = n.value("LEDSTATENAME")
		if l.State == "" {
			l.State = n.value("LEDMAILINGDETAILS.LIST", "STATE")
		}
		l.DutyHead = Tax(n.value("GSTDUTYHEAD"))
		l.Opening, _ = ParseAmount(n.value("OPENINGBALANCE"))
		m.Ledgers = append(m.Ledgers, l)
	case "STOCKITEM":
		it := StockItem{Name: name, Parent: parentOf(n), BaseUnit: n.value("BASEUNITS")}
		it.OpeningQty, _, _ = ParseQty(n.value("OPENINGBALANCE"))
		for _, gd := range n.all("GSTDETAILS.LIST") {
			if h := gd.value("HSNCODE"); h != "" {
				it.HSN = h
			}
			for _, sw := range gd.all("STATEWISEDETAILS.LIST") {
				for _, rd := range sw.all("RATEDETAILS.LIST") {
					if rd.value("GSTRATEDUTYHEAD") == "IGST" {
						if r, err := ParseRatePercent(rd.value("GSTRATE")); err == nil && r != 0 {
							it.GSTRate = r
						}
					}
				}
			}
		}
		if it.HSN == "" {
			it.HSN = n.value("HSNDETAILS.LIST", "HSNCODE")
		}
		m.Items = append(m.Items, it)
	case "UNIT":
		dp, _ := strconv.Atoi(n.value("DECIMALPLACES"))
		m.Units = append(m.Units, Unit{Name: name, Decimals: dp})
	case "GODOWN":
		m.Godowns = append(m.Godowns, Godown{Name: name, Parent: parentOf(n)})
	}
}

// ReadMastersFile reads a Tally export file (Display → List of Accounts →
// Export, XML) for file mode, when Vitaran cannot reach Tally over HTTP.
func ReadMastersFile(path string) (Masters, []Repair, error) {
	f, err := os.Open(path)
	if err != nil {
		return Masters{}, nil, fmt.Errorf("tally export file: %w", err)
	}
	defer f.Close()
	m, reps, err := ReadMasters(f)
	if err != nil {
		return m, reps, fmt.Errorf("tally export file %s: %w", path, err)
	}
	return m, reps, nil
}

// WriteImportFile writes the vouchers (after any masters they need) as XML
// files for the accountant to import by hand (Gateway → Import → Vouchers).
// It writes to a temporary name and renames, so a file on disk is never half
// written. Masters go to a sibling file "<name>-masters.xml" when given.
func WriteImportFile(path, company string, need Masters, vs []Voucher) error {
	if len(need.Ledgers)+len(need.Items)+len(need.Units)+len(need.Godowns) > 0 {
		mpath := strings.TrimSuffix(path, filepath.Ext(path)) + "-masters.xml"
		if err := writeFileAtomic(mpath, func(w io.Writer) error {
			return WriteMasters(w, company, OldForm, need)
		}); err != nil {
			return err
		}
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		return WriteVouchers(w, company, OldForm, vs)
	})
}

func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tally-*.xml")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
