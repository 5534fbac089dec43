package posting

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
	"vitaran/tallybridge"
)

// errNothing means a document has nothing for Tally (a count that found the
// book right): it is recorded as done without a request.
var errNothing = errors.New("nothing to post to Tally")

// Adapter turns the book's documents into Tally vouchers. Build one per read
// transaction: it caches outlets, items and godowns.
type Adapter struct {
	tx     *book.Tx
	co     masters.Company
	set    Settings
	prefix string

	outlets     map[string]masters.Outlet
	outletNames map[string]string // code → ledger name, unique per company
	items       map[string]masters.Item
	itemNames   map[string]string // code → stock item name, unique
	godowns     map[string]string // code → godown name in Tally
}

// NewAdapter reads what naming needs from the book. prefix is the REMOTEID
// prefix ("vitaran:<company code>").
func NewAdapter(tx *book.Tx, s Settings, prefix string) (*Adapter, error) {
	co, err := masters.GetCompany(tx)
	if err != nil {
		return nil, err
	}
	a := &Adapter{tx: tx, co: co, set: s, prefix: prefix, outlets: map[string]masters.Outlet{},
		outletNames: map[string]string{}, items: map[string]masters.Item{}, itemNames: map[string]string{}, godowns: map[string]string{}}
	outlets, err := masters.ListOutlets(tx, masters.OutletFilter{})
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, o := range outlets {
		seen[strings.ToLower(strings.TrimSpace(o.Name))]++
	}
	for _, o := range outlets {
		a.outlets[o.Code] = o
		name := strings.TrimSpace(o.Name)
		// Tally's ledger names are unique: two shops called "Balaji Stores"
		// must not share one receivable.
		if seen[strings.ToLower(name)] > 1 {
			name += " (" + o.Code + ")"
		}
		a.outletNames[o.Code] = name
	}
	items, err := masters.ListItems(tx, masters.ItemFilter{}, cal.Today())
	if err != nil {
		return nil, err
	}
	seen = map[string]int{}
	for _, it := range items {
		seen[strings.ToLower(strings.TrimSpace(it.Name))]++
	}
	for _, it := range items {
		a.items[it.Code] = it
		name := strings.TrimSpace(it.Name)
		if seen[strings.ToLower(name)] > 1 {
			name += " (" + it.Code + ")"
		}
		a.itemNames[it.Code] = name
	}
	gs, err := masters.ListGodowns(tx, "")
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		name := g.Name
		if g.Code == masters.MainGodown {
			name = tallybridge.DefaultGodown // Tally's own first godown
		}
		if name == "" {
			name = g.Code
		}
		a.godowns[g.Code] = name
	}
	return a, nil
}

// RemoteID is the stable id of a document in Tally.
func (a *Adapter) RemoteID(kind, number string) string {
	return a.prefix + ":" + kind + ":" + number
}

// Voucher adapts one queued document.
func (a *Adapter) Voucher(kind, number string) (tallybridge.Voucher, error) {
	switch kind {
	case billing.KindInvoice:
		inv, err := billing.GetInvoice(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.Invoice(inv)
	case billing.KindCancel:
		inv, err := billing.GetInvoice(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		st, _, err := getDoc(a.tx, QueueID(billing.KindInvoice, number))
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.Cancel(inv, st.InTally && st.State == tallybridge.StatePosted)
	case billing.KindSalesReturn:
		r, err := billing.GetSalesReturn(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.SalesReturn(r)
	case billing.KindPurchase:
		p, err := billing.GetPurchase(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.Purchase(p)
	case billing.KindPurchaseReturn:
		r, err := billing.GetPurchaseReturn(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.PurchaseReturn(r)
	case billing.KindReceipt:
		r, err := billing.GetReceipt(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.Receipt(r)
	case billing.KindChequeBounce:
		b, err := billing.GetChequeBounce(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.ChequeBounce(b)
	case billing.KindAdjustment, billing.KindTransfer, billing.KindCount:
		d, err := billing.GetStockDoc(a.tx, number)
		if err != nil {
			return tallybridge.Voucher{}, err
		}
		return a.StockDoc(d)
	}
	return tallybridge.Voucher{}, fmt.Errorf("queue kind %q: Vitaran does not post it to Tally", kind)
}

func day(d cal.Date) time.Time {
	t, _ := time.Parse("2006-01-02", string(d))
	return t
}

func (a *Adapter) outletParty(code string) tallybridge.Party {
	o := a.outlets[code]
	name := a.outletNames[code]
	if name == "" {
		name = code
	}
	return tallybridge.Party{Name: name, GSTIN: o.GSTIN, State: gst.StateName(o.StateCode)}
}

// summaryParty replaces the outlet in day-wise mode.
func (a *Adapter) summaryParty() tallybridge.Party {
	return tallybridge.Party{Name: a.set.SummaryParty, State: gst.StateName(a.co.StateCode)}
}

func (a *Adapter) godown(code string) string {
	if code == "" {
		code = masters.MainGodown
	}
	if n, ok := a.godowns[code]; ok {
		return n
	}
	return code
}

func (a *Adapter) item(code string) (name, unit string) {
	name, unit = a.itemNames[code], a.items[code].Unit
	if name == "" {
		name = code
	}
	if unit == "" {
		unit = "PCS"
	}
	return name, unit
}

// taxes collects the GST legs per duty and rate.
type taxes map[tallybridge.Tax]map[money.BP]money.Paise

func (t taxes) add(tax tallybridge.Tax, rate money.BP, amt money.Paise) {
	if amt == 0 {
		return
	}
	if t[tax] == nil {
		t[tax] = map[money.BP]money.Paise{}
	}
	t[tax][rate] += amt
}

func (t taxes) legs() []tallybridge.TaxLeg {
	var out []tallybridge.TaxLeg
	for _, tax := range []tallybridge.Tax{tallybridge.CGST, tallybridge.SGST, tallybridge.IGST} {
		rates := make([]money.BP, 0, len(t[tax]))
		for r := range t[tax] {
			rates = append(rates, r)
		}
		sort.Slice(rates, func(i, j int) bool { return rates[i] < rates[j] })
		for _, r := range rates {
			out = append(out, tallybridge.TaxLeg{Tax: tax, Rate: r, Amount: t[tax][r]})
		}
	}
	return out
}

// splitLine gives each batch pick its share of a line's value, the
// remainder on the last so the shares add up to the line to the paisa.
func (a *Adapter) splitLine(itemCode string, picks []stock.Pick, defGodown, defBatch string, qty money.Qty,
	rate money.Paise, disc money.BP, amount money.Paise, gstRate money.BP, hsn string, free bool) []tallybridge.Line {
	name, unit := a.item(itemCode)
	if len(picks) == 0 {
		picks = []stock.Pick{{Batch: defBatch, Godown: defGodown, Qty: qty}}
	}
	var total money.Qty
	for _, p := range picks {
		total += p.Qty
	}
	out := make([]tallybridge.Line, 0, len(picks))
	var given money.Paise
	for i, p := range picks {
		share := amount - given
		if i < len(picks)-1 && total > 0 {
			share = money.Paise(int64(amount) * int64(p.Qty) / int64(total))
		}
		given += share
		l := tallybridge.Line{Item: name, HSN: hsn, GSTRate: gstRate, Godown: a.godown(p.Godown), Batch: p.Batch,
			Unit: unit, Qty: p.Qty, Rate: rate, Discount: disc, Amount: share}
		if free {
			l.Qty, l.FreeQty, l.Rate, l.Discount, l.Amount = 0, p.Qty, 0, 0, 0
		}
		out = append(out, l)
	}
	return out
}

// Invoice is a sales invoice: one item line per batch picked, GST per rate,
// round-off and the party's New Ref. The line amount is the taxable value
// (after the clerk's and the schemes' discounts), which is what GST is on.
func (a *Adapter) Invoice(inv billing.Invoice) (tallybridge.Voucher, error) {
	v := tallybridge.Voucher{Kind: tallybridge.Sales, RemoteID: a.RemoteID(billing.KindInvoice, inv.Number), Number: inv.Number,
		Date: day(inv.Date), Party: a.outletParty(inv.Outlet), PlaceOfSupply: gst.StateName(inv.PlaceOfSupply),
		RoundOff: inv.RoundOffPaise, RoundOffLedger: a.set.RoundOffLedger, Total: inv.TotalPaise, BillRef: inv.Number,
		Narration: narration("Vitaran invoice "+inv.Number, inv.Beat, inv.Salesman)}
	if inv.OutletGSTIN != "" {
		v.Party.GSTIN = inv.OutletGSTIN
	}
	t := taxes{}
	for _, l := range inv.Lines {
		v.Lines = append(v.Lines, a.splitLine(l.Item, l.Batches, masters.MainGodown, "", l.Qty, l.RatePaise, l.DiscountBP,
			l.TaxablePaise, l.GSTRateBP, l.HSN, l.Free)...)
		t.add(tallybridge.CGST, l.GSTRateBP, l.CGSTPaise)
		t.add(tallybridge.SGST, l.GSTRateBP, l.SGSTPaise)
		t.add(tallybridge.IGST, l.GSTRateBP, l.IGSTPaise)
	}
	v.Taxes = t.legs()
	if inv.Status == billing.StatusCancelled && inv.Cancellation != nil {
		// whichever of the invoice's and the cancellation's entries reaches
		// Tally, the request ends with the voucher cancelled
		v.Cancel = &tallybridge.Cancellation{Date: day(inv.Cancellation.Date), Reason: inv.Cancellation.Reason}
	}
	return v, nil
}

// Cancel is the invoice's own Sales voucher, cancelled in Tally by its
// REMOTEID (see the package comment). inTally says Tally is known to hold
// the voucher: only the cancel is sent.
func (a *Adapter) Cancel(inv billing.Invoice, inTally bool) (tallybridge.Voucher, error) {
	if inv.Status != billing.StatusCancelled || inv.Cancellation == nil {
		return tallybridge.Voucher{}, fmt.Errorf("invoice %s is not cancelled", inv.Number)
	}
	v, err := a.Invoice(inv)
	if err != nil {
		return v, err
	}
	v.Cancel.Only = inTally
	return v, nil
}

func (a *Adapter) docLines(lines []billing.DocLine, godown string, t taxes) []tallybridge.Line {
	var out []tallybridge.Line
	for _, l := range lines {
		out = append(out, a.splitLine(l.Item, l.Batches, godown, l.Batch, l.Qty, l.RatePaise, l.DiscountBP,
			l.TaxablePaise, l.GSTRateBP, l.HSN, l.Free)...)
		t.add(tallybridge.CGST, l.GSTRateBP, l.CGSTPaise)
		t.add(tallybridge.SGST, l.GSTRateBP, l.SGSTPaise)
		t.add(tallybridge.IGST, l.GSTRateBP, l.IGSTPaise)
	}
	return out
}

// SalesReturn is a credit note against the invoice (Agst Ref); the goods go
// back to the godowns billing put them in (damaged ones to DAMAGED).
func (a *Adapter) SalesReturn(r billing.SalesReturn) (tallybridge.Voucher, error) {
	v := tallybridge.Voucher{Kind: tallybridge.CreditNote, RemoteID: a.RemoteID(billing.KindSalesReturn, r.Number), Number: r.Number,
		Date: day(r.Date), Party: a.outletParty(r.Outlet), RoundOff: r.RoundOffPaise, RoundOffLedger: a.set.RoundOffLedger,
		Total: r.TotalPaise, BillRef: r.Invoice, Narration: narration("Vitaran return "+r.Number+" against "+r.Invoice, r.Reason)}
	t := taxes{}
	v.Lines = a.docLines(r.Lines, masters.MainGodown, t)
	v.Taxes = t.legs()
	return v, nil
}

func (a *Adapter) supplier(name, gstin string) tallybridge.Party {
	p := tallybridge.Party{Name: strings.TrimSpace(name), GSTIN: gstin, State: gst.StateName(gst.StateOfGSTIN(gstin))}
	if p.Name == "" {
		p.Name = a.set.Supplier
	}
	if p.State == "" {
		p.State = gst.StateName(a.co.StateCode)
	}
	return p
}

// Purchase is a GRN against the brand's invoice: the supplier's bill is the
// New Ref, so the debit notes and payments in Tally can name it.
func (a *Adapter) Purchase(p billing.Purchase) (tallybridge.Voucher, error) {
	v := tallybridge.Voucher{Kind: tallybridge.Purchase, RemoteID: a.RemoteID(billing.KindPurchase, p.Number), Number: p.Number,
		Date: day(p.Date), Party: a.supplier(p.Supplier, p.SupplierGSTIN), RoundOff: p.RoundOffPaise, RoundOffLedger: a.set.RoundOffLedger,
		Total: p.TotalPaise, BillRef: p.SupplierInvoiceNo, Narration: narration("Vitaran GRN "+p.Number, "supplier invoice "+p.SupplierInvoiceNo)}
	if v.BillRef == "" {
		v.BillRef = p.Number
	}
	v.PlaceOfSupply = gst.StateName(a.co.StateCode)
	t := taxes{}
	v.Lines = a.docLines(p.Lines, p.Godown, t)
	v.Taxes = t.legs()
	return v, nil
}

// PurchaseReturn is a debit note against the GRN's supplier bill.
func (a *Adapter) PurchaseReturn(r billing.PurchaseReturn) (tallybridge.Voucher, error) {
	party := a.supplier("", "")
	ref := ""
	if r.Purchase != "" {
		p, err := billing.GetPurchase(a.tx, r.Purchase)
		if err != nil {
			return tallybridge.Voucher{}, fmt.Errorf("debit note %s: %w", r.Number, err)
		}
		party = a.supplier(p.Supplier, p.SupplierGSTIN)
		ref = p.SupplierInvoiceNo
		if ref == "" {
			ref = p.Number
		}
	}
	v := tallybridge.Voucher{Kind: tallybridge.DebitNote, RemoteID: a.RemoteID(billing.KindPurchaseReturn, r.Number), Number: r.Number,
		Date: day(r.Date), Party: party, RoundOff: r.RoundOffPaise, RoundOffLedger: a.set.RoundOffLedger, Total: r.TotalPaise,
		BillRef: ref, Narration: narration("Vitaran debit note "+r.Number, r.Reason)}
	v.PlaceOfSupply = gst.StateName(a.co.StateCode)
	t := taxes{}
	v.Lines = a.docLines(r.Lines, masters.MainGodown, t)
	v.Taxes = t.legs()
	return v, nil
}

// Receipt is money from an outlet into cash or the bank, set bill by bill
// in Tally as in Vitaran: one Agst Ref per invoice it settles (the invoice's
// New Ref), and whatever it leaves On Account.
func (a *Adapter) Receipt(r billing.Receipt) (tallybridge.Voucher, error) {
	v := tallybridge.Voucher{Kind: tallybridge.Receipt, RemoteID: a.RemoteID(billing.KindReceipt, r.Number), Number: r.Number,
		Date: day(r.Date), Party: a.outletParty(r.Outlet), Total: r.AmountPaise, Bank: a.set.BankLedger}
	if r.Mode == "cash" {
		v.Bank = a.set.CashLedger
	}
	var bills []string
	for _, al := range r.Allocations {
		if al.AmountPaise <= 0 {
			continue
		}
		v.Bills = append(v.Bills, tallybridge.Bill{Ref: al.Invoice, Amount: al.AmountPaise})
		bills = append(bills, fmt.Sprintf("%s ₹%s", al.Invoice, al.AmountPaise.Plain()))
	}
	v.Narration = narration("Vitaran receipt "+r.Number, r.Mode+" "+r.Reference, strings.Join(bills, ", "))
	return v, nil
}

// BounceChargeLedger is the income ledger a bounced cheque's charge is
// credited to.
const BounceChargeLedger = "Cheque Bounce Charges"

// ChequeBounce undoes a cheque receipt in Tally on the day the bank returned
// it: a journal that debits the outlet what the receipt credited (each bill
// it settled opened again, Agst Ref; what it left on account taken back) and
// the charge (a New Ref under the bounce's number), and credits the bank the
// cheque's amount and the charge to its ledger. The receipt's own voucher
// stays as it was on its date, as in the book.
func (a *Adapter) ChequeBounce(b billing.ChequeBounce) (tallybridge.Voucher, error) {
	total, err := money.CheckedAdd(b.AmountPaise, b.ChargePaise)
	if err != nil {
		return tallybridge.Voucher{}, err
	}
	v := tallybridge.Voucher{Kind: tallybridge.Journal, RemoteID: a.RemoteID(billing.KindChequeBounce, b.Number), Number: b.Number,
		Date: day(b.Date), Party: a.outletParty(b.Outlet), Total: total, Bank: a.set.BankLedger}
	for _, al := range b.Reopened {
		if al.AmountPaise > 0 {
			v.Bills = append(v.Bills, tallybridge.Bill{Ref: al.Invoice, Amount: al.AmountPaise})
		}
	}
	if b.ChargePaise > 0 {
		v.Charges = []tallybridge.Charge{{Ledger: BounceChargeLedger, Amount: b.ChargePaise}}
	}
	v.Narration = narration("Vitaran cheque bounce "+b.Number, "cheque "+b.Cheque+" of receipt "+b.Receipt, b.Reason)
	return v, nil
}

// StockDoc is a stock journal: a transfer moves goods out of one godown
// into another at the same value; an adjustment or a count's variance brings
// goods in (positive) or takes them out (negative).
func (a *Adapter) StockDoc(d billing.StockDoc) (tallybridge.Voucher, error) {
	v := tallybridge.Voucher{Kind: tallybridge.StockJournal, RemoteID: a.RemoteID(d.Kind, d.Number), Number: d.Number,
		Date: day(d.Date), Narration: narration("Vitaran "+d.Kind+" "+d.Number, d.Reason)}
	entry := func(l billing.StockDocLine, godown string, qty money.Qty) tallybridge.StockEntry {
		name, unit := a.item(l.Item)
		amt := l.Value
		if amt < 0 {
			amt = -amt
		}
		e := tallybridge.StockEntry{Item: name, Godown: a.godown(godown), Batch: l.Batch, Unit: unit, Qty: qty, Amount: amt}
		if qty > 0 {
			e.Rate = money.Paise(int64(amt) / int64(qty))
		}
		return e
	}
	for _, l := range d.Lines {
		switch {
		case d.Kind == billing.KindTransfer:
			to := l.To
			if to == "" {
				to = d.To
			}
			from := l.Godown
			if from == "" {
				from = d.From
			}
			q := l.Qty
			if q < 0 {
				q = -q
			}
			if q == 0 {
				continue
			}
			v.Out = append(v.Out, entry(l, from, q))
			v.In = append(v.In, entry(l, to, q))
		case l.Qty > 0:
			v.In = append(v.In, entry(l, l.Godown, l.Qty))
		case l.Qty < 0:
			v.Out = append(v.Out, entry(l, l.Godown, -l.Qty))
		}
	}
	if len(v.In) == 0 && len(v.Out) == 0 {
		return v, errNothing
	}
	return v, nil
}

func narration(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "; ")
}

// Day folds a day's invoices (those not cancelled) into summary vouchers,
// one per GST rate, billed to the summary party. Their REMOTEIDs carry the
// book's prefix; their queue ids are "day:" + the summary's number.
func (a *Adapter) Day(numbers []string) ([]tallybridge.Voucher, error) {
	var vs []tallybridge.Voucher
	for _, n := range numbers {
		inv, err := billing.GetInvoice(a.tx, n)
		if err != nil {
			return nil, err
		}
		if inv.Status == billing.StatusCancelled {
			continue
		}
		v, err := a.Invoice(inv)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return nil, nil
	}
	out, err := tallybridge.SummariseByDay(vs, tallybridge.SummaryOptions{Party: a.summaryParty(), Prefix: "DS"})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].RemoteID = a.prefix + ":" + out[i].RemoteID
	}
	return out, nil
}
