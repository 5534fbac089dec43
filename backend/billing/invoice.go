package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// LineInput is one line as the billing screen (or an order) sends it.
// Quantities are base units; rate_paise defaults to the item's price and
// batch to FEFO.
type LineInput struct {
	Item       string       `json:"item"`
	Qty        money.Qty    `json:"qty"`
	RatePaise  *money.Paise `json:"rate_paise,omitempty"`
	DiscountBP money.BP     `json:"discount_bp,omitempty"`
	Batch      string       `json:"batch,omitempty"`
}

// InvoiceInput is a sales invoice to preview or post.
type InvoiceInput struct {
	Outlet   string      `json:"outlet"`
	Date     cal.Date    `json:"date"`
	Lines    []LineInput `json:"lines"`
	OrderID  string      `json:"order_id,omitempty"`
	Salesman string      `json:"salesman,omitempty"`
	// DateOverride (admins only) posts a date outside the company's window.
	DateOverride bool `json:"date_override,omitempty"`
	// RequestID is the client's own id for this posting: sent again, it
	// answers the document already posted (requests.go).
	RequestID string `json:"request_id,omitempty"`
	// recovered, set by RecoverInvoice only, is the number a restore lost
	// and Tally still holds: the invoice takes it back instead of a new one.
	recovered string
	// CreditOverride lets a bill past a credit stop (credit.go); the door
	// allows it to admins and accounts only.
	CreditOverride *CreditOverride `json:"credit_override,omitempty"`
}

// Line is one line of a posted (or previewed) invoice. A free row (free is
// true) carries the goods a scheme gave: its quantity leaves stock, its
// taxable value is zero and free_value_paise values it for the claim.
type Line struct {
	No   int    `json:"line"`
	Item string `json:"item"`
	Name string `json:"name"`
	HSN  string `json:"hsn"`
	Unit string `json:"unit,omitempty"` // the UQC printed beside the quantity
	// Brand and Category are the item master's as billed, kept where a
	// return reads them again (keepScope: a bill-level scheme scoped by
	// brand or category gave the invoice free goods), so a later change to
	// the item never moves a billed line into or out of the scheme. Empty
	// elsewhere, on free rows and on invoices billed before: keptOf reads
	// the master then.
	Brand               string            `json:"brand,omitempty"`
	Category            string            `json:"category,omitempty"`
	Qty                 money.Qty         `json:"qty"`
	RatePaise           money.Paise       `json:"rate_paise"`
	MRPPaise            money.Paise       `json:"mrp_paise"`
	GrossPaise          money.Paise       `json:"gross_paise"`
	DiscountBP          money.BP          `json:"discount_bp"`
	DiscountPaise       money.Paise       `json:"discount_paise"`
	SchemeDiscountPaise money.Paise       `json:"scheme_discount_paise"`
	TaxablePaise        money.Paise       `json:"taxable_paise"`
	GSTRateBP           money.BP          `json:"gst_rate_bp"`
	CGSTPaise           money.Paise       `json:"cgst_paise"`
	SGSTPaise           money.Paise       `json:"sgst_paise"`
	IGSTPaise           money.Paise       `json:"igst_paise"`
	TotalPaise          money.Paise       `json:"total_paise"`
	FreeQty             money.Qty         `json:"free_qty"`
	Free                bool              `json:"free,omitempty"`
	Scheme              string            `json:"scheme,omitempty"`   // the scheme that gave a free row
	ForLine             int               `json:"for_line,omitempty"` // the line that earned it
	FreeValuePaise      money.Paise       `json:"free_value_paise,omitempty"`
	Batches             []stock.Pick      `json:"batches"`
	Schemes             []schemes.Applied `json:"schemes,omitempty"`
}

// Totals are an invoice's (or credit note's) sums.
type Totals struct {
	GrossPaise          money.Paise `json:"gross_paise"`
	DiscountPaise       money.Paise `json:"discount_paise"`
	SchemeDiscountPaise money.Paise `json:"scheme_discount_paise"`
	TaxablePaise        money.Paise `json:"taxable_paise"`
	CGSTPaise           money.Paise `json:"cgst_paise"`
	SGSTPaise           money.Paise `json:"sgst_paise"`
	IGSTPaise           money.Paise `json:"igst_paise"`
	RoundOffPaise       money.Paise `json:"round_off_paise"`
	TotalPaise          money.Paise `json:"total_paise"`
	FreeValuePaise      money.Paise `json:"free_value_paise"`
}

// Warning is something the clerk should see before saving: it never blocks
// typing; at save, short stock and a blocked credit check refuse instead.
type Warning struct {
	Kind string `json:"kind"` // short_stock, near_expiry, credit_limit, overdue
	Line int    `json:"line,omitempty"`
	Item string `json:"item,omitempty"`
	Text string `json:"text"`
}

// Invoice is a sales invoice to an outlet.
type Invoice struct {
	Number      string   `json:"number"`
	Date        cal.Date `json:"date"`
	Outlet      string   `json:"outlet"`
	OutletName  string   `json:"outlet_name"`
	OutletGSTIN string   `json:"outlet_gstin,omitempty"`
	// OutletAddress is the recipient's address as it stood when billed: a
	// tax invoice prints it, and a later change to the outlet must not
	// rewrite a posted invoice.
	OutletAddress string `json:"outlet_address,omitempty"`
	PlaceOfSupply string `json:"place_of_supply"` // state code
	InterState    bool   `json:"inter_state"`
	Beat          string `json:"beat,omitempty"`
	Salesman      string `json:"salesman,omitempty"`
	OrderID       string `json:"order_id,omitempty"`
	Lines         []Line `json:"lines"`
	Totals
	AmountInWords string            `json:"amount_in_words"`
	BillSchemes   []schemes.Applied `json:"bill_schemes,omitempty"`
	Status        string            `json:"status"` // posted, cancelled; "" in a preview
	Cancellation  *Cancellation     `json:"cancellation,omitempty"`
	PostedAt      time.Time         `json:"posted_at,omitzero"`
	PostedBy      string            `json:"posted_by,omitempty"`
	// CreditOverride is kept on an invoice an admin let past a credit stop:
	// who, when, why and the limits broken; the audit log keeps the figures.
	CreditOverride *CreditOverride `json:"credit_override,omitempty"`
	// Only in a preview or a posting's answer, never stored:
	Warnings    []Warning          `json:"warnings,omitempty"`
	NearMisses  []schemes.NearMiss `json:"near_misses,omitempty"`
	SchemeNotes []string           `json:"scheme_notes,omitempty"`
	RequestID   string             `json:"request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier posting.
	Replayed bool `json:"replayed,omitempty"`
	// Credit is the outlet's standing with this bill (preview only).
	Credit *Credit `json:"credit,omitempty"`
}

// Cancellation records why and when an invoice was cancelled.
type Cancellation struct {
	Reason string    `json:"reason"`
	Date   cal.Date  `json:"date"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

// Invoice statuses.
const (
	StatusPosted    = "posted"
	StatusCancelled = "cancelled"
)

// HasSchemes reports whether any scheme touched the invoice.
func (inv *Invoice) HasSchemes() bool {
	if len(inv.BillSchemes) > 0 {
		return true
	}
	for i := range inv.Lines {
		if len(inv.Lines[i].Schemes) > 0 || inv.Lines[i].Free {
			return true
		}
	}
	return false
}

// Now is the clock for posting times; tests may set it.
var Now = func() time.Time { return cal.Now().UTC() }

// draft is an invoice computed but not yet written.
type draft struct {
	inv     Invoice
	res     schemes.Result
	co      masters.Company
	outlet  masters.Outlet
	credit  Credit
	blocked error // the credit check's refusal, when the outlet is on stop
}

// compute is the one path from an InvoiceInput to an invoice's figures,
// for the preview (posting false: short stock and credit only warn) and for
// the posting (short stock is a conflict; a blocked credit check refuses).
// Its steps, in order: the outlet, the place of supply, the priced lines,
// the schemes, the free rows, then line by line the tax and the batches
// (FEFO), the totals, and the credit check.
func compute(tx *book.Tx, in InvoiceInput, posting bool) (*draft, error) {
	if strings.TrimSpace(in.Outlet) == "" {
		return nil, fail.Invalid("outlet", "is required")
	}
	if err := validDate("date", in.Date); err != nil {
		return nil, err
	}
	if err := checkLines(len(in.Lines)); err != nil {
		return nil, err
	}
	co, err := company(tx)
	if err != nil {
		return nil, err
	}
	o, err := invoiceOutlet(tx, in.Outlet, posting)
	if err != nil {
		return nil, err
	}
	pos := placeOfSupply(&o)
	d := &draft{co: co, outlet: o}
	inv := &d.inv
	*inv = Invoice{Date: in.Date, Outlet: o.Code, OutletName: o.Name, OutletGSTIN: o.GSTIN, OutletAddress: o.Address, PlaceOfSupply: pos,
		InterState: pos != co.StateCode, Beat: o.Beat, Salesman: o.Salesman, OrderID: in.OrderID}
	if in.Salesman != "" {
		inv.Salesman = masters.NormalizeCode(in.Salesman)
	}

	items := itemCache{}
	sin, err := d.priceLines(tx, in, items, pos)
	if err != nil {
		return nil, err
	}
	if err := d.applySchemes(tx, sin, len(in.Lines)); err != nil {
		return nil, err
	}
	if err := d.addFreeRows(tx, items); err != nil {
		return nil, err
	}

	alloc := stock.NewAllocator(tx)
	nearBy := in.Date.AddDays(co.NearExpiryDays)
	for i := range inv.Lines {
		ln := &inv.Lines[i]
		if err := taxLine(i, ln, inv.InterState); err != nil {
			return nil, err
		}
		batch := ""
		if !ln.Free {
			batch = in.Lines[i].Batch
		}
		if err := d.pickBatches(alloc, i, batch, nearBy, posting); err != nil {
			return nil, err
		}
	}
	inv.Totals = sumLines(inv.Lines)
	if err := checkTotal("invoice", inv.TotalPaise); err != nil {
		return nil, err
	}
	inv.AmountInWords = inv.TotalPaise.Words()

	if !posting {
		// Loss-on-bill warns as the clerk types; the posting does not
		// read the batches again (the report finds the same lines).
		loss, err := lossWarnings(tx, inv)
		if err != nil {
			return nil, err
		}
		inv.Warnings = append(inv.Warnings, loss...)
	}
	d.checkCredit(tx, in.Date)
	return d, nil
}

// invoiceOutlet is the outlet billed: it must exist, and be active to post.
func invoiceOutlet(tx *book.Tx, code string, posting bool) (masters.Outlet, error) {
	o, err := cache.getOutlet(tx, code)
	if fail.Is(err, fail.KindNotFound) {
		return o, fail.Invalid("outlet", "outlet %s does not exist", masters.NormalizeCode(code))
	}
	if err != nil {
		return o, err
	}
	if !o.Active && posting {
		return o, fail.Invalid("outlet", "outlet %s is inactive", o.Code)
	}
	return o, nil
}

// placeOfSupply is the outlet's state: its GSTIN's when registered.
func placeOfSupply(o *masters.Outlet) string {
	if o.Registered() {
		return gst.StateOfGSTIN(o.GSTIN)
	}
	return o.StateCode
}

// priceLines turns the clerk's lines into priced invoice lines (rate, gross,
// trade discount) and the same lines as the scheme engine reads them.
func (d *draft) priceLines(tx *book.Tx, in InvoiceInput, items itemCache, pos string) (schemes.Invoice, error) {
	inv, o := &d.inv, &d.outlet
	sin := schemes.Invoice{Date: in.Date, Outlet: schemes.Outlet{Code: o.Code, Channel: o.Channel, Beat: o.Beat, State: pos}}
	inv.Lines = make([]Line, 0, len(in.Lines)+2)
	for i, l := range in.Lines {
		it, err := items.get(tx, lineField(i, "item"), l.Item)
		if err != nil {
			return sin, err
		}
		if err := positiveQty(i, l.Qty); err != nil {
			return sin, err
		}
		if l.DiscountBP < 0 || l.DiscountBP > 10000 {
			return sin, fail.Invalid(lineField(i, "discount_bp"), "must be 0–10000 (100 = 1 %%)")
		}
		rate := it.PricePaise
		if l.RatePaise != nil {
			rate = *l.RatePaise
		}
		if err := checkRate(lineField(i, "rate_paise"), rate); err != nil {
			return sin, err
		}
		gross, err := lineValue(i, rate, l.Qty)
		if err != nil {
			return sin, err
		}
		ln := Line{No: i + 1, Item: it.Code, Name: it.Name, HSN: it.HSN, Unit: it.Unit, Brand: it.Brand, Category: it.Category, Qty: l.Qty, RatePaise: rate, MRPPaise: it.MRPPaise,
			GrossPaise: gross, DiscountBP: l.DiscountBP, DiscountPaise: gross.MulRate(l.DiscountBP), GSTRateBP: it.RateOn(in.Date)}
		inv.Lines = append(inv.Lines, ln)
		sin.Lines = append(sin.Lines, schemes.Line{No: ln.No, Item: it.Code, Brand: it.Brand, Category: it.Category, Qty: l.Qty,
			CaseSize: money.Qty(it.CaseSize), RatePaise: rate, GrossPaise: gross, DiscountBP: l.DiscountBP})
	}
	return sin, nil
}

// applySchemes runs the scheme engine and puts its discounts and free
// quantities on the clerk's lines (the first n), its bill-level schemes,
// near misses and notes on the invoice.
func (d *draft) applySchemes(tx *book.Tx, sin schemes.Invoice, n int) error {
	res, err := Schemes.Evaluate(tx, sin)
	if err != nil {
		return err
	}
	d.res = res
	inv := &d.inv
	for _, lr := range res.Lines {
		if lr.Line < 1 || lr.Line > n {
			continue
		}
		ln := &inv.Lines[lr.Line-1]
		ln.SchemeDiscountPaise = lr.SchemeDiscountPaise
		ln.FreeQty = lr.FreeQty
		ln.Schemes = lr.Applied
	}
	inv.BillSchemes = res.Bill
	inv.NearMisses = res.NearMisses
	inv.SchemeNotes = res.Notes
	keepScope(tx, inv.Lines[:n], &d.res)
	return nil
}

// addFreeRows appends a free line for each free item the schemes give.
func (d *draft) addFreeRows(tx *book.Tx, items itemCache) error {
	inv := &d.inv
	for _, f := range d.res.Free {
		it, err := items.get(tx, "schemes", f.Item)
		if err != nil {
			return fmt.Errorf("scheme %s gives item %s: %w", f.Scheme, f.Item, err)
		}
		if err := checkFree(len(inv.Lines), f); err != nil {
			return err
		}
		inv.Lines = append(inv.Lines, Line{No: len(inv.Lines) + 1, Item: it.Code, Name: it.Name, HSN: it.HSN, Unit: it.Unit, Qty: f.FreeQty,
			RatePaise: f.RatePaise, MRPPaise: it.MRPPaise, GSTRateBP: it.RateOn(inv.Date), FreeQty: f.FreeQty, Free: true,
			Scheme: f.Scheme, ForLine: f.ForLine, FreeValuePaise: f.ValuePaise})
	}
	return nil
}

// taxLine computes a sold line's taxable value and GST (a free line has none).
func taxLine(i int, ln *Line, inter bool) error {
	if ln.Free {
		return nil
	}
	ln.TaxablePaise = ln.GrossPaise - ln.DiscountPaise - ln.SchemeDiscountPaise
	if ln.TaxablePaise < 0 || ln.SchemeDiscountPaise < 0 {
		return fail.Invalid(lineField(i, "discount_bp"), "discounts exceed the line's value")
	}
	tax := gst.Compute(ln.TaxablePaise, ln.GSTRateBP, inter)
	ln.CGSTPaise, ln.SGSTPaise, ln.IGSTPaise = tax.CGST, tax.SGST, tax.IGST
	ln.TotalPaise = ln.TaxablePaise + tax.Total()
	return nil
}

// pickBatches picks line i's batches first-expiry-first (or the batch the
// clerk named): short stock is a conflict when posting and a warning in the
// preview; a batch expiring by nearBy warns; the line takes the first
// batch's MRP.
func (d *draft) pickBatches(alloc *stock.Allocator, i int, batch string, nearBy cal.Date, posting bool) error {
	inv := &d.inv
	ln := &inv.Lines[i]
	picks, short, err := alloc.Pick(ln.Item, stock.MainGodown, ln.Qty, inv.Date, batch, d.co.AllowNegativeStock)
	if err != nil {
		return fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
	}
	ln.Batches = picks
	if short > 0 {
		have := ln.Qty - short
		what := "in stock"
		if batch != "" {
			what = "in batch " + batch
		}
		text := fmt.Sprintf("%s: %d %s (not expired), %d short", ln.Item, have, what, short)
		if ln.Free {
			text = fmt.Sprintf("free %s (scheme %s): %d %s, %d short", ln.Item, ln.Scheme, have, what, short)
		}
		if posting {
			return fail.Conflict(lineField(i, "qty"), "%s", text)
		}
		inv.Warnings = append(inv.Warnings, Warning{Kind: "short_stock", Line: ln.No, Item: ln.Item, Text: text})
	}
	for _, p := range picks {
		if p.Expiry <= nearBy {
			inv.Warnings = append(inv.Warnings, Warning{Kind: "near_expiry", Line: ln.No, Item: ln.Item,
				Text: fmt.Sprintf("%s batch %s expires on %s", ln.Item, p.Batch, p.Expiry.Display())})
		}
	}
	if len(picks) > 0 && ln.MRPPaise != picks[0].MRP {
		ln.MRPPaise = picks[0].MRP
	}
	return nil
}

// checkCredit weighs the bill against the outlet's credit terms: broken
// terms warn; an outlet on stop blocks the posting (unless overridden).
func (d *draft) checkCredit(tx *book.Tx, on cal.Date) {
	d.credit = creditOf(tx, &d.co, &d.outlet, on, d.inv.TotalPaise)
	d.inv.Warnings = append(d.inv.Warnings, d.credit.Broken...)
	if d.credit.Stopped {
		d.blocked = d.credit.refusal()
	}
}

func sumLines(lines []Line) Totals {
	var t Totals
	for i := range lines {
		l := &lines[i]
		t.GrossPaise += l.GrossPaise
		t.DiscountPaise += l.DiscountPaise
		t.SchemeDiscountPaise += l.SchemeDiscountPaise
		t.TaxablePaise += l.TaxablePaise
		t.CGSTPaise += l.CGSTPaise
		t.SGSTPaise += l.SGSTPaise
		t.IGSTPaise += l.IGSTPaise
		t.FreeValuePaise += l.FreeValuePaise
	}
	t.TotalPaise, t.RoundOffPaise = (t.TaxablePaise + t.CGSTPaise + t.SGSTPaise + t.IGSTPaise).RoundToRupee()
	return t
}

// Preview computes the invoice exactly as posting would, writing nothing:
// totals, GST, schemes with near misses, and warnings (short stock, credit,
// near expiry). It runs in a read transaction.
func Preview(tx *book.Tx, in InvoiceInput) (Invoice, error) {
	d, err := compute(tx, in, false)
	if err != nil {
		return Invoice{}, err
	}
	d.inv.Credit = &d.credit
	return d.inv, nil
}

// postInvoice posts a sales invoice in the caller's write transaction: the
// number, the invoice, its stock movements, outstanding, scheme
// redemptions, audit and both queue entries. Run it in book.Batch for group
// commit: it writes only through tx, so a rerun is harmless.
func postInvoice(tx *book.Tx, in InvoiceInput) (Invoice, error) {
	override, err := checkOverride(in.CreditOverride)
	if err != nil {
		return Invoice{}, err
	}
	d, err := compute(tx, in, true)
	if err != nil {
		return Invoice{}, err
	}
	if d.blocked != nil && override == nil {
		return Invoice{}, d.blocked
	}
	if in.OrderID != "" {
		if err := claimOrder(tx, in.OrderID); err != nil {
			return Invoice{}, err
		}
	}
	inv := &d.inv
	num, err := takeNumber(tx, in.recovered, bInvoices, d.co.InvoicePrefix, inv.Date, d.co.FYStartMonth)
	if err != nil {
		return Invoice{}, err
	}
	inv.Number, inv.RequestID = num, in.RequestID
	inv.Status = StatusPosted
	inv.PostedAt = Now()
	inv.PostedBy = tx.Actor.User
	for i := range inv.Lines {
		ln := &inv.Lines[i]
		for _, p := range ln.Batches {
			if _, err := stock.Move(tx, stock.Movement{Date: inv.Date, Item: ln.Item, Batch: p.Batch, Godown: p.Godown,
				Qty: -p.Qty, Kind: stock.Sale, Doc: num}, d.co.AllowNegativeStock); err != nil {
				return Invoice{}, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
			}
		}
	}
	if len(d.res.Redemptions) > 0 {
		if err := Schemes.Redeem(tx, num, inv.Date, inv.Outlet, &d.res); err != nil {
			return Invoice{}, err
		}
	}
	if d.blocked != nil {
		o := &CreditOverride{Reason: override.Reason, By: tx.Actor.User, At: inv.PostedAt}
		for _, w := range d.credit.Broken {
			o.Broken = append(o.Broken, w.Text)
		}
		inv.CreditOverride = o
	}
	warnings, near, notes := inv.Warnings, inv.NearMisses, inv.SchemeNotes
	inv.Warnings, inv.NearMisses, inv.SchemeNotes = nil, nil, nil
	if err := putInvoice(tx, num, inv); err != nil {
		return Invoice{}, err
	}
	if err := indexInvoice(tx, num, inv); err != nil {
		return Invoice{}, err
	}
	if err := putLastRates(tx, inv); err != nil {
		return Invoice{}, err
	}
	if inv.TotalPaise != 0 {
		if err := addDue(tx, inv.Outlet, inv.Date, num, inv.TotalPaise); err != nil {
			return Invoice{}, err
		}
	}
	if in.OrderID != "" {
		if err := markOrder(tx, in.OrderID, num); err != nil {
			return Invoice{}, err
		}
	}
	if err := posted(tx, KindInvoice, num, invoiceSummary(inv), ""); err != nil {
		return Invoice{}, err
	}
	if d.blocked != nil {
		if err := auditOverride(tx, num, &d.credit, override.Reason); err != nil {
			return Invoice{}, err
		}
	}
	inv.Warnings, inv.NearMisses, inv.SchemeNotes = warnings, near, notes
	return *inv, nil
}

// InvoiceSummary is a line of the invoice list (and the audit entry).
type InvoiceSummary struct {
	Number     string      `json:"number"`
	Date       cal.Date    `json:"date"`
	Outlet     string      `json:"outlet"`
	OutletName string      `json:"outlet_name"`
	Lines      int         `json:"lines"`
	Taxable    money.Paise `json:"taxable_paise"`
	Total      money.Paise `json:"total_paise"`
	Status     string      `json:"status"`
	// Cancellation stamps a cancelled invoice in the list: why, when, who.
	Cancellation *Cancellation `json:"cancellation,omitempty"`
}

func invoiceSummary(inv *Invoice) InvoiceSummary {
	return InvoiceSummary{Number: inv.Number, Date: inv.Date, Outlet: inv.Outlet, OutletName: inv.OutletName,
		Lines: len(inv.Lines), Taxable: inv.TaxablePaise, Total: inv.TotalPaise, Status: inv.Status, Cancellation: inv.Cancellation}
}

// GetInvoice returns a posted invoice by number.
func GetInvoice(tx *book.Tx, number string) (Invoice, error) {
	var inv Invoice
	ok, err := getInvoice(tx, strings.ToUpper(strings.TrimSpace(number)), &inv)
	if err != nil {
		return inv, err
	}
	if !ok {
		return inv, fail.NotFound("invoice", number)
	}
	return inv, nil
}

// InvoiceFilter narrows the invoice list.
type InvoiceFilter struct {
	From, To cal.Date
	Outlet   string
	Q        string // words in the number, outlet code or name
	Limit    int    // default 1000
}

// ListInvoices returns invoices by date, then number.
func ListInvoices(tx *book.Tx, f InvoiceFilter) ([]InvoiceSummary, error) {
	if f.From != "" && !f.From.Valid() {
		return nil, fail.Invalid("from", "%q is not a date (YYYY-MM-DD)", f.From)
	}
	if f.To != "" && !f.To.Valid() {
		return nil, fail.Invalid("to", "%q is not a date (YYYY-MM-DD)", f.To)
	}
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	out := []InvoiceSummary{}
	invs := shelfOf(tx, bInvoices)
	take := func(num string) (bool, error) {
		var inv Invoice
		if _, err := invs.get(num, &inv); err != nil {
			return false, err
		}
		s := invoiceSummary(&inv)
		if f.Q != "" && !matches(f.Q, s.Number, s.Outlet, s.OutletName) {
			return true, nil
		}
		out = append(out, s)
		return len(out) < f.Limit, nil
	}
	if f.Outlet != "" {
		return out, invoicesOfOutlet(tx, masters.NormalizeCode(f.Outlet), f.From, f.To, take)
	}
	return out, invoicesDated(tx, f.From, f.To, take)
}

func matches(q string, fields ...string) bool {
	hay := strings.ToLower(strings.Join(fields, " "))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// EachInvoiceNumber calls fn with the number of every invoice dated
// from..to (cancelled ones too), in date and number order, reading only
// the date index: a period costs one range scan, and the caller decodes
// each invoice once (ListInvoices would decode each twice). fn returns
// false to stop.
func EachInvoiceNumber(tx *book.Tx, from, to cal.Date, fn func(number string) (bool, error)) error {
	if to == "" {
		return nil // the range ends before the first day
	}
	return invoicesDated(tx, from, to, fn)
}
