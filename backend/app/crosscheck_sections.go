package app

import (
	"fmt"
	"sort"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/money"
	"vitaran/backend/stock"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// The cross-check's sections beyond secondary sales: tax, credit notes,
// purchases, closing stock and money. Each compares cells (a day and a
// key: an outlet, an item, both, or "" for the day's total) on the figures
// each side holds; a side that does not hold a figure is not asked for it,
// and the section's header says so rather than taking it for agreement.

// Section names, in the order the report lists them.
const (
	SectionTax       = "tax"
	SectionReturns   = "returns"
	SectionPurchases = "purchases"
	SectionStock     = "stock"
	SectionMoney     = "money"
)

// CrossValues are one cell's figures by name: a name ending _paise is money,
// any other a quantity in pieces.
type CrossValues map[string]int64

// CrossCell is one cell of a section where a side differs from the book.
// HeadOffice or Tally is absent when that side was not compared for the
// cell; each side carries only the figures it holds.
type CrossCell struct {
	Section    string      `json:"section"`
	Day        cal.Date    `json:"day"`
	By         string      `json:"by"`  // day, outlet, sku, outlet_sku
	Key        string      `json:"key"` // the outlet, the item, or "OUTLET ITEM"
	Book       CrossValues `json:"book"`
	HeadOffice CrossValues `json:"head_office,omitempty"`
	Tally      CrossValues `json:"tally,omitempty"`
	figures    []string
}

// CrossSection is one section's header and findings.
type CrossSection struct {
	Name    string   `json:"name"`
	Per     string   `json:"per"`     // the cells, in words
	Figures []string `json:"figures"` // what the book says of each cell
	// Book, HeadOffice and Tally say where each side's figures come from,
	// which of them it holds, or why it is not compared.
	Book        string      `json:"book"`
	HeadOffice  string      `json:"head_office"`
	Tally       string      `json:"tally"`
	Cells       int         `json:"cells"`
	Differences []CrossCell `json:"differences"`
}

// String says the difference plainly, one line.
func (c CrossCell) String() string {
	what := "day total"
	switch c.By {
	case "outlet":
		what = "outlet " + c.Key
	case "sku":
		what = "SKU " + c.Key
	case "outlet_sku":
		o, it, _ := strings.Cut(c.Key, " ")
		what = "outlet " + o + " SKU " + it
	}
	figs := c.figures
	if figs == nil {
		for k := range c.Book {
			figs = append(figs, k)
		}
		sort.Strings(figs)
	}
	side := func(name string, v CrossValues) string {
		var parts []string
		for _, f := range figs {
			n, ok := v[f]
			if !ok {
				continue
			}
			label, isMoney := strings.CutSuffix(f, "_paise")
			if isMoney {
				parts = append(parts, fmt.Sprintf("%s ₹%s", label, money.Paise(n).Plain()))
			} else {
				parts = append(parts, fmt.Sprintf("%s %d", label, n))
			}
		}
		return name + " " + strings.Join(parts, ", ")
	}
	out := fmt.Sprintf("%s %s %s: %s", c.Day, c.Section, what, side("book", c.Book))
	if c.HeadOffice != nil {
		out += "; " + side("head office", c.HeadOffice)
	}
	if c.Tally != nil {
		out += "; " + side("Tally", c.Tally)
	}
	return out
}

// sectionSide is one side's cells of a section.
type sectionSide struct {
	// holds names the figures the side holds at each grain (by); a grain
	// missing is not compared.
	holds map[string][]string
	cells map[[3]string]CrossValues // day, by, key
	// blind are the days this side cannot tell outlets apart (Tally's day
	// summaries): its outlet cells of those days are not compared.
	blind map[cal.Date]bool
}

func newSectionSide(holds map[string][]string) *sectionSide {
	return &sectionSide{holds: holds, cells: map[[3]string]CrossValues{}, blind: map[cal.Date]bool{}}
}

// add adds v to the cell of day, by and key.
func (s *sectionSide) add(day cal.Date, by, key string, v CrossValues) {
	k := [3]string{string(day), by, key}
	c := s.cells[k]
	if c == nil {
		c = CrossValues{}
		s.cells[k] = c
	}
	for f, n := range v {
		c[f] += n
	}
}

// compareSection fills sec's cells and differences: every cell any side
// holds, each compared side against the book on the figures it holds.
func compareSection(sec *CrossSection, bk, ho, ty *sectionSide) {
	keys := map[[3]string]bool{}
	for _, s := range []*sectionSide{bk, ho, ty} {
		if s == nil {
			continue
		}
		for k := range s.cells {
			keys[k] = true
		}
	}
	pick := func(s *sectionSide, k [3]string, figs []string) CrossValues {
		out := CrossValues{}
		for _, f := range figs {
			out[f] = s.cells[k][f]
		}
		return out
	}
	sec.Differences = []CrossCell{}
	for k := range keys {
		sec.Cells++
		b := pick(bk, k, sec.Figures)
		d := CrossCell{Section: sec.Name, Day: cal.Date(k[0]), By: k[1], Key: k[2], Book: b, figures: sec.Figures}
		differs := false
		for _, side := range []struct {
			s   *sectionSide
			out *CrossValues
		}{{ho, &d.HeadOffice}, {ty, &d.Tally}} {
			if side.s == nil || side.s.holds[k[1]] == nil || (k[1] != "day" && k[1] != "sku" && side.s.blind[cal.Date(k[0])]) {
				continue
			}
			v := pick(side.s, k, side.s.holds[k[1]])
			*side.out = v
			for f, n := range v {
				if b[f] != n {
					differs = true
				}
			}
		}
		if differs {
			sec.Differences = append(sec.Differences, d)
		}
	}
	order := map[string]int{"day": 0, "outlet": 1, "outlet_sku": 2, "sku": 3}
	sort.Slice(sec.Differences, func(i, j int) bool {
		a, b := sec.Differences[i], sec.Differences[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.By != b.By {
			return order[a.By] < order[b.By]
		}
		return a.Key < b.Key
	})
}

// crossInputs is what the sections read: the book's register rows gathered
// while the sales were, head office's answers and Tally's vouchers.
type crossInputs struct {
	from, to  cal.Date
	itemOfSKU map[string]string
	// book
	tax, returns *sectionSide
	// head office (nil when not asked) and Tally (nil when not asked)
	ho    []wire.TotalsAnswer
	vs    []tallybridge.HeldVoucher
	names posting.Names
	duty  map[string]string // Tally ledger (lower case) → cgst, sgst, igst or cess
	// charge names the bounce-charge ledger (lower case, and as mapped)
	charge map[string]bool
	tset   posting.Settings
	// summaryDays are the days Tally holds sales as day summaries.
	summaryDays map[cal.Date]bool
}

// Figures of each section.
var (
	taxFigures      = []string{"cgst_paise", "sgst_paise", "igst_paise", "cess_paise", "tax_paise"}
	returnsFigures  = []string{"qty", "free_qty", "taxable_paise"}
	purchaseFigures = []string{"qty", "free_qty", "taxable_paise", "tax_paise"}
	stockFigures    = []string{"closing", "closing_value_paise"}
	moneyFigures    = []string{"received_paise", "bounced_paise"}
)

// newBookSections makes the book's sides the sales register fills.
func newBookSections() (tax, returns *sectionSide) {
	return newSectionSide(map[string][]string{"day": taxFigures, "outlet": taxFigures}),
		newSectionSide(map[string][]string{"outlet_sku": returnsFigures, "sku": returnsFigures})
}

// addRegisterRow adds one sales-register row to the book's tax and returns
// cells: tax net of credit notes, credit notes positive as returned.
func addRegisterRow(tax, returns *sectionSide, day cal.Date, doc, outlet, item string, qty money.Qty, free bool, taxable, cgst, sgst, igst money.Paise) {
	t := CrossValues{"cgst_paise": int64(cgst), "sgst_paise": int64(sgst), "igst_paise": int64(igst), "tax_paise": int64(cgst + sgst + igst)}
	tax.add(day, "day", "", t)
	tax.add(day, "outlet", outlet, t)
	if doc != docCreditNoteRegister {
		return
	}
	v := CrossValues{"taxable_paise": -int64(taxable)}
	if free {
		v["free_qty"] = -int64(qty)
	} else {
		v["qty"] = -int64(qty)
	}
	returns.add(day, "outlet_sku", outlet+" "+item, v)
	returns.add(day, "sku", item, v)
}

// docCreditNoteRegister is the sales register's type of a credit note row.
const docCreditNoteRegister = "Credit note"

// tallyLedgers names Tally's duty ledgers and the bounce-charge ledger as
// the bridge posts them, under the accountant's mapped names too.
func tallyLedgers(tx *book.Tx) (duty map[string]string, charge map[string]bool, err error) {
	m, err := posting.GetMapping(tx)
	if err != nil {
		return nil, nil, err
	}
	charge = map[string]bool{strings.ToLower(posting.BounceChargeLedger): true}
	if mapped := m.Ledgers[posting.BounceChargeLedger]; mapped != "" {
		charge[strings.ToLower(mapped)] = true
	}
	out := map[string]string{}
	for _, t := range []tallybridge.Tax{tallybridge.CGST, tallybridge.SGST, tallybridge.IGST} {
		for _, selling := range []bool{true, false} {
			name := tallybridge.TaxLedgerName(t, selling)
			out[strings.ToLower(name)] = strings.ToLower(string(t))
			if mapped := m.Ledgers[name]; mapped != "" {
				out[strings.ToLower(mapped)] = strings.ToLower(string(t))
			}
		}
	}
	return out, charge, nil
}

// dutyOf is the duty a Tally ledger is ("" if none): the bridge's duty
// ledgers, and any ledger named for a cess.
func (in *crossInputs) dutyOf(ledger string) string {
	l := strings.ToLower(strings.TrimSpace(ledger))
	if d := in.duty[l]; d != "" {
		return d
	}
	if strings.Contains(l, "cess") {
		return "cess"
	}
	return ""
}

// taxOf sums a voucher's duty legs in Tally's sign (a credit positive).
func (in *crossInputs) taxOf(v tallybridge.HeldVoucher) CrossValues {
	out := CrossValues{"cgst_paise": 0, "sgst_paise": 0, "igst_paise": 0, "cess_paise": 0, "tax_paise": 0}
	for _, l := range v.Ledgers {
		if d := in.dutyOf(l.Ledger); d != "" {
			out[d+"_paise"] += int64(l.Amount)
			out["tax_paise"] += int64(l.Amount)
		}
	}
	return out
}

// ours calls fn for each of this book's live vouchers with its day.
func (in *crossInputs) ours(fn func(v tallybridge.HeldVoucher, day cal.Date)) {
	for _, v := range in.vs {
		if v.Cancelled || !in.names.Ours(v.RemoteID) {
			continue
		}
		day, err := tallyDay(v.Date)
		if err != nil {
			continue // the sales section notes it
		}
		fn(v, day)
	}
}

// outletOf is the outlet of a voucher's party: "" for the day summary's
// party, the ledger's name when no outlet has it.
func (in *crossInputs) outletOf(party string) string {
	if strings.EqualFold(party, in.names.SummaryParty) {
		return ""
	}
	if o := in.names.Outlet(party); o != "" {
		return o
	}
	return "ledger " + party
}

func (in *crossInputs) itemOf(stockItem string) string {
	if it := in.names.Item(stockItem); it != "" {
		return it
	}
	return "stock item " + stockItem
}

// notAsked says a side could not be asked at all (the report's header
// says why).
const notAsked = "not compared (see the header)"

// sections builds and compares every section beyond secondary sales.
func (in *crossInputs) sections(tx *book.Tx) ([]CrossSection, error) {
	var out []CrossSection
	for _, f := range []func(*book.Tx) (CrossSection, error){in.taxSection, in.returnsSection, in.purchasesSection, in.stockSection, in.moneySection} {
		s, err := f(tx)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (in *crossInputs) hoAnswered(what string) bool {
	if in.ho == nil {
		return false
	}
	for _, a := range in.ho {
		found := false
		for _, h := range a.Holds {
			found = found || h == what
		}
		if !found {
			return false
		}
	}
	return true
}

// taxSection: CGST, SGST, IGST and cess per day and outlet, net of credit
// notes, cancelled invoices counting nowhere.
func (in *crossInputs) taxSection(*book.Tx) (CrossSection, error) {
	sec := CrossSection{Name: SectionTax, Per: "day, and day × outlet", Figures: taxFigures,
		Book: "the sales register's CGST, SGST and IGST, net of credit notes (the book charges no cess: 0)"}
	var ho, ty *sectionSide
	switch {
	case in.ho == nil:
		sec.HeadOffice = notAsked
	default:
		sec.HeadOffice = "tax_paise only: head office holds the sum of CGST, SGST and IGST per day and outlet, not each duty, nor cess"
		ho = newSectionSide(map[string][]string{"day": {"tax_paise"}, "outlet": {"tax_paise"}})
		for _, a := range in.ho {
			for _, c := range a.Outlets {
				v := CrossValues{"tax_paise": int64(c.Tax)}
				ho.add(c.Day, "day", "", v)
				ho.add(c.Day, "outlet", c.Key, v)
			}
		}
	}
	if in.vs == nil {
		sec.Tally = notAsked
	} else {
		sec.Tally = "the duty legs (Output CGST/SGST/IGST as mapped, and any cess ledger) of this book's Sales vouchers less its Credit Notes"
		ty = newSectionSide(map[string][]string{"day": taxFigures, "outlet": taxFigures})
		in.ours(func(v tallybridge.HeldVoucher, day cal.Date) {
			if v.Type != tallybridge.Sales.String() && v.Type != tallybridge.CreditNote.String() {
				return
			}
			t := in.taxOf(v)
			ty.add(day, "day", "", t)
			if o := in.outletOf(v.Party); o != "" {
				ty.add(day, "outlet", o, t)
			} else {
				ty.blind[day] = true
			}
		})
		for d := range in.summaryDays {
			ty.blind[d] = true
		}
		if len(ty.blind) > 0 {
			sec.Tally += fmt.Sprintf("; per outlet not on the days posted as day summaries (%d)", len(ty.blind))
		}
	}
	compareSection(&sec, in.tax, ho, ty)
	return sec, nil
}

// returnsSection: credit notes per day, outlet and SKU, positive as returned.
func (in *crossInputs) returnsSection(*book.Tx) (CrossSection, error) {
	sec := CrossSection{Name: SectionReturns, Per: "day × outlet × SKU, and day × SKU", Figures: returnsFigures,
		Book: "the sales register's credit-note lines"}
	var ho, ty *sectionSide
	switch {
	case in.ho == nil:
		sec.HeadOffice = notAsked
	case !in.hoAnswered(wire.TotalsReturns):
		sec.HeadOffice = "not compared: head office's answer holds no credit notes apart (a receiver older than this check)"
	default:
		sec.HeadOffice = "its sales lines of type return"
		ho = newSectionSide(map[string][]string{"outlet_sku": returnsFigures, "sku": returnsFigures})
		for _, a := range in.ho {
			for _, c := range a.Returns {
				item := in.item(c.SKU)
				v := CrossValues{"qty": int64(c.Qty), "free_qty": int64(c.FreeQty), "taxable_paise": int64(c.Taxable)}
				ho.add(c.Day, "outlet_sku", c.Key+" "+item, v)
				ho.add(c.Day, "sku", item, v)
			}
		}
	}
	if in.vs == nil {
		sec.Tally = notAsked
	} else {
		sec.Tally = "this book's Credit Notes, line by line"
		ty = newSectionSide(map[string][]string{"outlet_sku": returnsFigures, "sku": returnsFigures})
		in.ours(func(v tallybridge.HeldVoucher, day cal.Date) {
			if v.Type != tallybridge.CreditNote.String() {
				return
			}
			o := in.outletOf(v.Party)
			if o == "" {
				ty.blind[day] = true
			}
			for _, l := range v.Lines {
				item := in.itemOf(l.Item)
				c := CrossValues{"qty": int64(l.Billed), "free_qty": int64(l.Actual - l.Billed), "taxable_paise": int64(l.Amount)}
				if o != "" {
					ty.add(day, "outlet_sku", o+" "+item, c)
				}
				ty.add(day, "sku", item, c)
			}
		})
		if len(ty.blind) > 0 {
			sec.Tally += fmt.Sprintf("; per outlet not on the days it holds credit notes on the day summary's party (%d)", len(ty.blind))
		}
	}
	compareSection(&sec, in.returns, ho, ty)
	return sec, nil
}

func (in *crossInputs) item(sku string) string {
	if it := in.itemOfSKU[sku]; it != "" {
		return it
	}
	return "SKU " + sku // head office holds a SKU the book has no item for
}

// purchasesSection: goods received from the brand per day and SKU, net of
// debit notes (goods sent back).
func (in *crossInputs) purchasesSection(tx *book.Tx) (CrossSection, error) {
	sec := CrossSection{Name: SectionPurchases, Per: "day, and day × SKU", Figures: purchaseFigures,
		Book: "its GRNs less its debit notes"}
	all := map[string][]string{"day": purchaseFigures, "sku": purchaseFigures}
	bk := newSectionSide(all)
	f := billing.DocFilter{From: in.from, To: in.to, Limit: 1 << 30}
	addLines := func(day cal.Date, lines []billing.DocLine, sign int64) {
		for _, l := range lines {
			v := CrossValues{"taxable_paise": sign * int64(l.TaxablePaise), "tax_paise": sign * int64(l.CGSTPaise+l.SGSTPaise+l.IGSTPaise)}
			if l.Free {
				v["free_qty"] = sign * int64(l.Qty)
			} else {
				v["qty"] = sign * int64(l.Qty)
			}
			bk.add(day, "day", "", v)
			bk.add(day, "sku", l.Item, v)
		}
	}
	ps, err := billing.ListPurchases(tx, f)
	if err != nil {
		return sec, err
	}
	for _, p := range ps {
		addLines(p.Date, p.Lines, 1)
	}
	rs, err := billing.ListPurchaseReturns(tx, f)
	if err != nil {
		return sec, err
	}
	for _, r := range rs {
		addLines(r.Date, r.Lines, -1)
	}
	var ho, ty *sectionSide
	switch {
	case in.ho == nil:
		sec.HeadOffice = notAsked
	case !in.hoAnswered(wire.TotalsPrimary):
		sec.HeadOffice = "not compared: head office's answer holds no primary cells (a receiver older than this check)"
	default:
		sec.HeadOffice = "its primary cells (primary_receipts, debit notes negative)"
		ho = newSectionSide(all)
		for _, a := range in.ho {
			for _, c := range a.Primary {
				v := CrossValues{"qty": int64(c.Qty), "free_qty": int64(c.FreeQty), "taxable_paise": int64(c.Taxable), "tax_paise": int64(c.Tax)}
				ho.add(c.Day, "day", "", v)
				ho.add(c.Day, "sku", in.item(c.Key), v)
			}
		}
	}
	if in.vs == nil {
		sec.Tally = notAsked
	} else {
		sec.Tally = "this book's Purchase vouchers less its Debit Notes; tax per day only (Tally's duty legs are per voucher, not per item)"
		ty = newSectionSide(map[string][]string{"day": purchaseFigures, "sku": {"qty", "free_qty", "taxable_paise"}})
		in.ours(func(v tallybridge.HeldVoucher, day cal.Date) {
			sign := int64(1)
			switch v.Type {
			case tallybridge.Purchase.String():
			case tallybridge.DebitNote.String():
				sign = -1
			default:
				return
			}
			for _, l := range v.Lines {
				c := CrossValues{"qty": sign * int64(l.Billed), "free_qty": sign * int64(l.Actual-l.Billed), "taxable_paise": sign * int64(l.Amount)}
				ty.add(day, "day", "", c)
				ty.add(day, "sku", in.itemOf(l.Item), c)
			}
			// input tax is debited on a purchase: negative in Tally's sign
			ty.add(day, "day", "", CrossValues{"tax_paise": -in.taxOf(v)["tax_paise"]})
		})
	}
	compareSection(&sec, bk, ho, ty)
	return sec, nil
}

// stockSection: closing stock per SKU at the end of the period, against
// head office's last stock statement (of the period's last day, or the
// last day before it that head office holds one of: the book is read on
// that day).
func (in *crossInputs) stockSection(tx *book.Tx) (CrossSection, error) {
	sec := CrossSection{Name: SectionStock, Per: "SKU, at the period's end", Figures: stockFigures,
		Book: "its stock reconciliation's closing", Tally: "not compared: the check does not read Tally's stock summary"}
	day := in.to
	var ho *sectionSide
	switch {
	case in.ho == nil:
		sec.HeadOffice = notAsked
	case !in.hoAnswered(wire.TotalsStock):
		sec.HeadOffice = "not compared: head office's answer holds no stock statement (a receiver older than this check)"
	default:
		last := in.ho[len(in.ho)-1]
		if last.StockDay == "" {
			sec.HeadOffice = fmt.Sprintf("not compared: head office holds no stock statement on or before %s", in.to)
			break
		}
		day = last.StockDay
		sec.HeadOffice = "its stock statement of " + string(day)
		if day != in.to {
			sec.HeadOffice += fmt.Sprintf(" (none of %s): the book's closing is read on %s", in.to, day)
		}
		ho = newSectionSide(map[string][]string{"sku": stockFigures})
		for _, c := range last.Stock {
			ho.add(day, "sku", in.item(c.SKU), CrossValues{"closing": int64(c.Closing), "closing_value_paise": int64(c.ClosingValue)})
		}
	}
	bk := newSectionSide(map[string][]string{"sku": stockFigures})
	recs, err := stock.Reconcile(tx, stock.ReconOptions{From: day, To: day})
	if err != nil {
		return sec, err
	}
	for _, r := range recs {
		if r.Closing != 0 || r.ClosingValue != 0 {
			bk.add(day, "sku", r.Item, CrossValues{"closing": int64(r.Closing), "closing_value_paise": int64(r.ClosingValue)})
		}
	}
	compareSection(&sec, bk, ho, nil)
	return sec, nil
}

// moneySection: money received per day and outlet, and cheques the bank
// returned (the bounce's day).
func (in *crossInputs) moneySection(tx *book.Tx) (CrossSection, error) {
	sec := CrossSection{Name: SectionMoney, Per: "day × outlet", Figures: moneyFigures,
		Book:       "its receipts, and its bounced cheques on the day the bank returned them",
		HeadOffice: "not held: the upload protocol sends head office no money"}
	all := map[string][]string{"outlet": moneyFigures}
	bk := newSectionSide(all)
	f := billing.DocFilter{From: in.from, To: in.to, Limit: 1 << 30}
	rs, err := billing.ListReceipts(tx, f)
	if err != nil {
		return sec, err
	}
	for _, r := range rs {
		bk.add(r.Date, "outlet", r.Outlet, CrossValues{"received_paise": int64(r.AmountPaise)})
	}
	bs, err := billing.ListChequeBounces(tx, f)
	if err != nil {
		return sec, err
	}
	for _, b := range bs {
		bk.add(b.Date, "outlet", b.Outlet, CrossValues{"bounced_paise": int64(b.AmountPaise)})
	}
	var ty *sectionSide
	if in.vs == nil {
		sec.Tally = notAsked
	} else {
		sec.Tally = "this book's Receipt vouchers (the party's credit) and cheque-bounce Journals (the party's debit less the charge)"
		ty = newSectionSide(all)
		in.ours(func(v tallybridge.HeldVoucher, day cal.Date) {
			leg, ok := partyLeg(v)
			if !ok {
				return
			}
			switch {
			case v.Type == tallybridge.Receipt.String():
				ty.add(day, "outlet", in.outletOf(v.Party), CrossValues{"received_paise": int64(leg.Amount)})
			case strings.Contains(v.RemoteID, ":"+billing.KindChequeBounce+":"):
				bounced := -int64(leg.Amount)
				for _, l := range v.Ledgers {
					if in.charge[strings.ToLower(l.Ledger)] {
						bounced -= int64(l.Amount)
					}
				}
				ty.add(day, "outlet", in.outletOf(v.Party), CrossValues{"bounced_paise": bounced})
			}
		})
	}
	compareSection(&sec, bk, nil, ty)
	return sec, nil
}
