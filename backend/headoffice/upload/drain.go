package upload

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// The drain is the bridge from the distributor's book to the upload outbox.
// Billing writes one entry per posted document to book.UploadQueue in the
// posting's own transaction; the drain reads the entries after its cursor,
// loads each document through billing's getters, turns it into protocol
// rows (Record*) and moves the cursor — all in one transaction. So a crash
// leaves each document either wholly in the outbox with the cursor past it,
// or not there with the cursor before it: never half, never twice.
//
// Master deltas follow the same pattern over the audit log: every create or
// update of an item or an outlet is an audit entry, and the drain records the
// record as it stands now.

// DrainChunk is how many queued documents one drain transaction takes.
const DrainChunk = 1000

// drainFault, when set (tests), is called before each document: an error
// aborts the drain's transaction there, as a crash would.
var drainFault func(n int) error

// BookSource is the Source over the distributor's own book (billing, stock,
// masters, schemes) and the drain that feeds the outbox from it.
type BookSource struct{}

var _ Source = BookSource{}

// DrainResult counts what one Drain moved into the outbox.
type DrainResult struct {
	Documents int `json:"documents"`
	Rows      int `json:"rows"`
	Masters   int `json:"masters"`
}

// Drain moves every document posted since the last drain into the upload
// outbox, DrainChunk documents per transaction.
func Drain(b *book.Book) (DrainResult, error) {
	var total DrainResult
	for {
		var res DrainResult
		more := false
		err := b.Update(func(tx *book.Tx) error {
			var err error
			res, more, err = DrainTx(tx, DrainChunk)
			return err
		})
		if err != nil {
			return total, err
		}
		total.Documents += res.Documents
		total.Rows += res.Rows
		total.Masters += res.Masters
		if !more {
			return total, nil
		}
	}
}

// DrainTx drains at most limit queued documents (and every pending master
// change) inside tx. more reports whether documents are left.
func DrainTx(tx *book.Tx, limit int) (res DrainResult, more bool, err error) {
	after := drainCursor(tx, "queue")
	entries, err := tx.Queued(book.UploadQueue, after, limit+1)
	if err != nil {
		return res, false, fmt.Errorf("upload queue: %w", err)
	}
	if len(entries) > limit {
		entries, more = entries[:limit], true
	}
	c := newConverter(tx)
	for i, e := range entries {
		if drainFault != nil {
			if err := drainFault(i); err != nil {
				return res, false, err
			}
		}
		n, err := c.document(e.Kind, e.ID)
		if err != nil {
			return res, false, fmt.Errorf("upload %s %s: %w", e.Kind, e.ID, err)
		}
		res.Documents++
		res.Rows += n
		after = e.Seq
	}
	if err := setDrainCursor(tx, "queue", after); err != nil {
		return res, false, err
	}
	m, err := c.masterDeltas()
	res.Masters = m
	return res, more, err
}

// converter turns billing's documents into protocol rows, caching masters.
type converter struct {
	tx    *book.Tx
	items map[string]masters.Item
}

func newConverter(tx *book.Tx) *converter {
	return &converter{tx: tx, items: map[string]masters.Item{}}
}

func (c *converter) item(code string) (masters.Item, error) {
	if it, ok := c.items[code]; ok {
		return it, nil
	}
	it, err := masters.GetItem(c.tx, code)
	if err != nil {
		return it, err
	}
	c.items[code] = it
	return it, nil
}

// sku is the brand's code for an item: the upload key. An item without one
// goes under its own code, so a sale is never dropped for a missing mapping.
func (c *converter) sku(code string) (string, error) {
	it, err := c.item(code)
	if err != nil {
		return "", err
	}
	if it.BrandCode != "" {
		return it.BrandCode, nil
	}
	return it.Code, nil
}

// document records one queued document's rows and returns how many.
func (c *converter) document(kind, id string) (int, error) {
	switch kind {
	case billing.KindInvoice:
		inv, err := billing.GetInvoice(c.tx, id)
		if err != nil {
			return 0, err
		}
		return c.invoice(&inv, wire.DocInvoice)
	case billing.KindCancel:
		inv, err := billing.GetInvoice(c.tx, id)
		if err != nil {
			return 0, err
		}
		return c.invoice(&inv, wire.DocCancel)
	case billing.KindSalesReturn:
		sr, err := billing.GetSalesReturn(c.tx, id)
		if err != nil {
			return 0, err
		}
		return c.salesReturn(&sr)
	case billing.KindPurchase:
		p, err := billing.GetPurchase(c.tx, id)
		if err != nil {
			return 0, err
		}
		return c.receipts(p.Number, p.Date, p.SupplierInvoiceNo, p.Date, p.Lines, false)
	case billing.KindPurchaseReturn:
		pr, err := billing.GetPurchaseReturn(c.tx, id)
		if err != nil {
			return 0, err
		}
		return c.receipts(pr.Number, pr.Date, pr.Purchase, "", pr.Lines, true)
	default:
		// Receipts (money) and stock documents carry no upload rows of their
		// own: their effect reaches head office in the stock statement.
		return 0, nil
	}
}

// batchNo names the stock batches a line left from: one, or several joined
// by "+" when FEFO split the line.
func batchNo(picks []stock.Pick) string {
	switch len(picks) {
	case 0:
		return ""
	case 1:
		return picks[0].Batch
	}
	seen := map[string]bool{}
	var names []string
	for _, p := range picks {
		if !seen[p.Batch] {
			seen[p.Batch] = true
			names = append(names, p.Batch)
		}
	}
	s := strings.Join(names, "+")
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

// redemptionID is the redemption's key at head office: stable, so a resent
// redemption (full refresh) is the same row.
func redemptionID(r *schemes.Redemption) string {
	if r.Seq != 0 {
		return "R" + strconv.FormatUint(r.Seq, 10)
	}
	id := r.Invoice + ":" + strconv.Itoa(r.Line) + ":" + r.Scheme
	if r.Return != "" {
		id += ":" + r.Return
	}
	return id
}

// invoiceRedemptions converts the invoice's redemptions (ret == "") or the
// reversals written by one return or cancellation (ret names it). line_no
// points at the invoice line that carries the evidence: the free row for
// free goods, the billed line for a discount. Reversals keep the invoice's
// date, so head office matches them to the invoice's lines.
func (c *converter) invoiceRedemptions(inv *Invoice, ret string) ([]wire.Redemption, error) {
	rs, err := schemes.Redemptions(c.tx, inv.Number)
	if err != nil {
		return nil, err
	}
	var out []wire.Redemption
	for i := range rs {
		r := &rs[i]
		if r.Return != ret {
			continue
		}
		line := r.Line
		if r.FreeQty != 0 {
			for _, ln := range inv.Lines {
				if ln.Free && ln.Scheme == r.Scheme && ln.ForLine == r.Line {
					line = ln.No
					break
				}
			}
		}
		rd := wire.Redemption{RedemptionID: c.redemptionIDOf(redemptionID(r)), SchemeCode: r.Scheme, InvoiceNo: inv.Number, InvoiceDate: inv.Date,
			LineNo: line, OutletCode: inv.Outlet, FreeQty: r.FreeQty, DiscountPaise: r.DiscountPaise, ValuePaise: r.CostPaise()}
		if r.Item != "" {
			if rd.SKUCode, err = c.sku(r.Item); err != nil {
				return nil, err
			}
		}
		if r.FreeItem != "" {
			if rd.FreeSKUCode, err = c.sku(r.FreeItem); err != nil {
				return nil, err
			}
		}
		out = append(out, rd)
	}
	return out, nil
}

// Invoice is billing's invoice, named here for the converter's signatures.
type Invoice = billing.Invoice

// invoiceLines converts a posted invoice to sales lines; doc cancel gives
// the lines of its cancellation: negated, on the invoice's own date.
func (c *converter) invoiceLines(inv *Invoice, doc string, reds []wire.Redemption) ([]wire.SalesLine, error) {
	codes := map[int][]string{}
	for _, r := range reds {
		if !slices.Contains(codes[r.LineNo], r.SchemeCode) {
			codes[r.LineNo] = append(codes[r.LineNo], r.SchemeCode)
		}
	}
	var order billing.Order
	hasOrder := false
	if inv.OrderID != "" {
		if o, err := billing.GetOrder(c.tx, inv.OrderID); err == nil {
			order, hasOrder = o, true
		}
	}
	sign := money.Qty(1)
	no, date, ref := inv.Number, inv.Date, ""
	if doc == wire.DocCancel {
		// A restatement of the invoice's own date: the invoice is void from
		// it (billing.Invoice.VoidDate), so its lines and these cancel there.
		sign, ref, date = -1, inv.Number, inv.VoidDate()
	}
	ps := money.Paise(sign)
	out := make([]wire.SalesLine, 0, len(inv.Lines))
	for _, ln := range inv.Lines {
		sku, err := c.sku(ln.Item)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", ln.No, err)
		}
		l := wire.SalesLine{DocType: doc, InvoiceNo: no, InvoiceDate: date, LineNo: ln.No, RefInvoiceNo: ref,
			OutletCode: inv.Outlet, BeatCode: inv.Beat, SalesmanCode: inv.Salesman, SKUCode: sku, ItemCode: ln.Item,
			BatchNo: batchNo(ln.Batches), RatePaise: ln.RatePaise,
			DiscountPaise: ps * (ln.DiscountPaise + ln.SchemeDiscountPaise), TaxablePaise: ps * ln.TaxablePaise,
			CGSTPaise: ps * ln.CGSTPaise, SGSTPaise: ps * ln.SGSTPaise, IGSTPaise: ps * ln.IGSTPaise}
		if ln.Free {
			l.FreeQty = sign * ln.Qty
			if ln.Scheme != "" {
				l.SchemeCodes = append(l.SchemeCodes, ln.Scheme)
			}
		} else {
			l.Qty = sign * ln.Qty
			for _, a := range ln.Schemes {
				if !slices.Contains(l.SchemeCodes, a.Scheme) {
					l.SchemeCodes = append(l.SchemeCodes, a.Scheme)
				}
			}
		}
		for _, s := range codes[ln.No] {
			if !slices.Contains(l.SchemeCodes, s) {
				l.SchemeCodes = append(l.SchemeCodes, s)
			}
		}
		if hasOrder {
			l.OrderID, l.OrderLat, l.OrderLng = order.ID, order.Lat, order.Lng
			if !order.TakenAt.IsZero() {
				l.OrderTakenAt = order.TakenAt.UTC().Format(time.RFC3339)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

func (c *converter) invoice(inv *Invoice, doc string) (int, error) {
	ret := ""
	if doc == wire.DocCancel {
		ret = "CANCEL " + inv.Number
	}
	reds, err := c.invoiceRedemptions(inv, ret)
	if err != nil {
		return 0, err
	}
	lines, err := c.invoiceLines(inv, doc, reds)
	if err != nil {
		return 0, err
	}
	if err := RecordSales(c.tx, lines...); err != nil {
		return 0, err
	}
	if err := RecordRedemptions(c.tx, reds...); err != nil {
		return 0, err
	}
	return len(lines) + len(reds), nil
}

func (c *converter) salesReturnLines(sr *billing.SalesReturn, inv *Invoice) ([]wire.SalesLine, error) {
	out := make([]wire.SalesLine, 0, len(sr.Lines))
	for _, dl := range sr.Lines {
		sku, err := c.sku(dl.Item)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", dl.No, err)
		}
		l := wire.SalesLine{DocType: wire.DocReturn, InvoiceNo: sr.Number, InvoiceDate: sr.Date, LineNo: dl.No, RefInvoiceNo: sr.Invoice,
			OutletCode: sr.Outlet, BeatCode: inv.Beat, SalesmanCode: inv.Salesman, SKUCode: sku, ItemCode: dl.Item,
			BatchNo: batchNo(dl.Batches), RatePaise: dl.RatePaise, TaxablePaise: -dl.TaxablePaise,
			CGSTPaise: -dl.CGSTPaise, SGSTPaise: -dl.SGSTPaise, IGSTPaise: -dl.IGSTPaise}
		if l.BatchNo == "" {
			l.BatchNo = dl.Batch
		}
		if dl.Free {
			l.FreeQty = -dl.Qty
		} else {
			l.Qty = -dl.Qty
		}
		if !dl.Free {
			// The return's share of the line's discounts, as the book's
			// sales register splits it (billing.ReturnValuesOf), with the
			// value of free goods kept and deducted from the credit:
			// rate × qty − discount = taxable, as on the invoice's lines.
			v := billing.ReturnValuesOf(&dl, inv)
			l.DiscountPaise = -(v.Discount + v.SchemeDiscount + v.FreeDeducted)
		}
		out = append(out, l)
	}
	return out, nil
}

func (c *converter) salesReturn(sr *billing.SalesReturn) (int, error) {
	inv, err := billing.GetInvoice(c.tx, sr.Invoice)
	if err != nil {
		return 0, err
	}
	lines, err := c.salesReturnLines(sr, &inv)
	if err != nil {
		return 0, err
	}
	reds, err := c.invoiceRedemptions(&inv, sr.Number)
	if err != nil {
		return 0, err
	}
	if err := RecordSales(c.tx, lines...); err != nil {
		return 0, err
	}
	if err := RecordRedemptions(c.tx, reds...); err != nil {
		return 0, err
	}
	return len(lines) + len(reds), nil
}

// receiptLines converts a GRN (or, negative and flagged, a debit note) to
// primary-receipt lines.
func (c *converter) receiptLines(no string, date cal.Date, brandInv string, brandDate cal.Date, lines []billing.DocLine, isReturn bool) ([]wire.PrimaryReceipt, error) {
	sign, ps := money.Qty(1), money.Paise(1)
	if isReturn {
		sign, ps = -1, -1
	}
	out := make([]wire.PrimaryReceipt, 0, len(lines))
	for _, dl := range lines {
		sku, err := c.sku(dl.Item)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", dl.No, err)
		}
		r := wire.PrimaryReceipt{GRNNo: no, GRNDate: date, LineNo: dl.No, BrandInvoice: brandInv, BrandInvDate: brandDate,
			SKUCode: sku, ItemCode: dl.Item, BatchNo: dl.Batch, Expiry: dl.Expiry, RatePaise: dl.RatePaise,
			TaxablePaise: ps * dl.TaxablePaise, CGSTPaise: ps * dl.CGSTPaise, SGSTPaise: ps * dl.SGSTPaise, IGSTPaise: ps * dl.IGSTPaise,
			IsReturnToCo: isReturn}
		if r.BatchNo == "" {
			r.BatchNo = batchNo(dl.Batches)
		}
		if dl.Free {
			r.FreeQty = sign * dl.Qty
		} else {
			r.Qty = sign * dl.Qty
		}
		out = append(out, r)
	}
	return out, nil
}

func (c *converter) receipts(no string, date cal.Date, brandInv string, brandDate cal.Date, lines []billing.DocLine, isReturn bool) (int, error) {
	rs, err := c.receiptLines(no, date, brandInv, brandDate, lines, isReturn)
	if err != nil {
		return 0, err
	}
	return len(rs), RecordReceipts(c.tx, rs...)
}

// masterDeltas records every item and outlet created or changed since the
// last drain (found in the audit log), as it stands now.
func (c *converter) masterDeltas() (int, error) {
	after := drainCursor(c.tx, "audit")
	last := after
	outlets, items := map[string]bool{}, map[string]bool{}
	var order []string
	entries, err := c.tx.AuditLog(after, 0, func(e *book.AuditEntry) bool {
		last = e.Seq
		return e.Kind == "outlet" || e.Kind == "item"
	})
	if err != nil {
		return 0, fmt.Errorf("audit log: %w", err)
	}
	for _, e := range entries {
		if e.Seq > last {
			last = e.Seq
		}
		m := items
		if e.Kind == "outlet" {
			m = outlets
		}
		if !m[e.Key] {
			m[e.Key] = true
			order = append(order, e.Kind+"\x00"+e.Key)
		}
	}
	n := 0
	for _, k := range order {
		kind, code, _ := strings.Cut(k, "\x00")
		if kind == "outlet" {
			o, err := masters.GetOutlet(c.tx, code)
			if err != nil {
				continue // deleted since: nothing to send
			}
			if err := RecordOutlet(c.tx, c.outletRow(&o)); err != nil {
				return n, err
			}
		} else {
			it, err := masters.GetItem(c.tx, code)
			if err != nil {
				continue
			}
			if err := RecordSKU(c.tx, skuRow(&it)); err != nil {
				return n, err
			}
		}
		n++
	}
	if last != after {
		if err := setDrainCursor(c.tx, "audit", last); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (c *converter) outletRow(o *masters.Outlet) wire.Outlet {
	row := wire.Outlet{OutletCode: o.Code, Name: o.Name, BeatCode: o.Beat, SalesmanCode: o.Salesman, Channel: o.Channel,
		StateCode: o.StateCode, GSTIN: o.GSTIN, Active: o.Active}
	if o.Beat != "" {
		if b, err := masters.GetBeat(c.tx, o.Beat); err == nil {
			row.BeatName = b.Name
		}
	}
	if o.Salesman != "" {
		if s, err := masters.GetSalesman(c.tx, o.Salesman); err == nil {
			row.SalesmanName = s.Name
		}
	}
	return row
}

func skuRow(it *masters.Item) wire.SKU {
	code := it.BrandCode
	if code == "" {
		code = it.Code
	}
	return wire.SKU{SKUCode: code, ItemCode: it.Code, Name: it.Name, Brand: it.Brand, Category: it.Category, HSN: it.HSN,
		GSTRateBP: it.GSTRateBP, MRPPaise: it.MRPPaise, CaseSize: money.Qty(it.CaseSize), Active: it.Active}
}

// StockStatement is stock's one-day reconciliation per item. Stock's own
// identity has no damaged column (a move to the damaged godown is inside
// the item's stock); the protocol's subtracts damaged, so adjusted carries
// it back: adjusted = stock's adjusted + damaged, and the row balances.
func (BookSource) StockStatement(tx *book.Tx, day cal.Date) ([]wire.StockLine, error) {
	recs, err := stock.Reconcile(tx, stock.ReconOptions{From: day, To: day})
	if err != nil {
		return nil, err
	}
	c := newConverter(tx)
	out := make([]wire.StockLine, 0, len(recs))
	for i := range recs {
		r := &recs[i]
		if r.Opening == 0 && r.Closing == 0 && r.Received == 0 && r.Sold == 0 && r.Returned == 0 &&
			r.PurchaseReturned == 0 && r.Adjusted == 0 && r.Damaged == 0 {
			continue
		}
		sku, err := c.sku(r.Item)
		if err != nil {
			return nil, fmt.Errorf("stock of %s: %w", r.Item, err)
		}
		out = append(out, wire.StockLine{Date: day, SKUCode: sku, ItemCode: r.Item, Opening: r.Opening, Received: r.Received,
			Sold: r.Sold, Returned: r.Returned, PurchaseReturned: r.PurchaseReturned, Damaged: r.Damaged,
			Adjusted: r.Adjusted + r.Damaged, Closing: r.Closing, ClosingValuePaise: r.ClosingValue})
	}
	return out, nil
}

// Outlets calls fn for every outlet in the book.
func (BookSource) Outlets(tx *book.Tx, fn func(wire.Outlet) error) error {
	os, err := masters.ListOutlets(tx, masters.OutletFilter{})
	if err != nil {
		return err
	}
	c := newConverter(tx)
	for i := range os {
		if err := fn(c.outletRow(&os[i])); err != nil {
			return err
		}
	}
	return nil
}

// SKUs calls fn for every item in the book.
func (BookSource) SKUs(tx *book.Tx, fn func(wire.SKU) error) error {
	its, err := masters.ListItems(tx, masters.ItemFilter{}, cal.Today())
	if err != nil {
		return err
	}
	for i := range its {
		if err := fn(skuRow(&its[i])); err != nil {
			return err
		}
	}
	return nil
}

// history walks the upload queue for the documents a full refresh resends.
// A document is dated no later than it was posted, give or take a day, so
// entries posted before from are skipped unread.
func history(tx *book.Tx, from cal.Date, fn func(c *converter, kind, id string) error) error {
	entries, err := tx.Queued(book.UploadQueue, 0, 0)
	if err != nil {
		return err
	}
	since := from.AddDays(-2).Time()
	c := newConverter(tx)
	for _, e := range entries {
		if e.At.Before(since) {
			continue
		}
		if err := fn(c, e.Kind, e.ID); err != nil {
			return fmt.Errorf("%s %s: %w", e.Kind, e.ID, err)
		}
	}
	return nil
}

func inPeriod(d, from, to cal.Date) bool { return !d.Before(from) && !to.Before(d) }

// SalesLines calls fn for every sales line dated in [from, to]: invoices,
// their cancellations and returns.
func (BookSource) SalesLines(tx *book.Tx, from, to cal.Date, fn func(wire.SalesLine) error) error {
	emit := func(ls []wire.SalesLine) error {
		for _, l := range ls {
			if inPeriod(l.InvoiceDate, from, to) {
				if err := fn(l); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return history(tx, from, func(c *converter, kind, id string) error {
		switch kind {
		case billing.KindInvoice, billing.KindCancel:
			inv, err := billing.GetInvoice(tx, id)
			if err != nil {
				return err
			}
			doc, ret := wire.DocInvoice, ""
			if kind == billing.KindCancel {
				doc, ret = wire.DocCancel, "CANCEL "+inv.Number
			}
			reds, err := c.invoiceRedemptions(&inv, ret)
			if err != nil {
				return err
			}
			ls, err := c.invoiceLines(&inv, doc, reds)
			if err != nil {
				return err
			}
			return emit(ls)
		case billing.KindSalesReturn:
			sr, err := billing.GetSalesReturn(tx, id)
			if err != nil {
				return err
			}
			inv, err := billing.GetInvoice(tx, sr.Invoice)
			if err != nil {
				return err
			}
			ls, err := c.salesReturnLines(&sr, &inv)
			if err != nil {
				return err
			}
			return emit(ls)
		}
		return nil
	})
}

// PrimaryReceipts calls fn for every GRN and debit-note line dated in [from, to].
func (BookSource) PrimaryReceipts(tx *book.Tx, from, to cal.Date, fn func(wire.PrimaryReceipt) error) error {
	return history(tx, from, func(c *converter, kind, id string) error {
		var rs []wire.PrimaryReceipt
		switch kind {
		case billing.KindPurchase:
			p, err := billing.GetPurchase(tx, id)
			if err != nil {
				return err
			}
			if !inPeriod(p.Date, from, to) {
				return nil
			}
			if rs, err = c.receiptLines(p.Number, p.Date, p.SupplierInvoiceNo, p.Date, p.Lines, false); err != nil {
				return err
			}
		case billing.KindPurchaseReturn:
			pr, err := billing.GetPurchaseReturn(tx, id)
			if err != nil {
				return err
			}
			if !inPeriod(pr.Date, from, to) {
				return nil
			}
			if rs, err = c.receiptLines(pr.Number, pr.Date, pr.Purchase, "", pr.Lines, true); err != nil {
				return err
			}
		}
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// Redemptions calls fn for every redemption and reversal of invoices,
// returns and cancellations posted in the period.
func (BookSource) Redemptions(tx *book.Tx, from, to cal.Date, fn func(wire.Redemption) error) error {
	return history(tx, from, func(c *converter, kind, id string) error {
		var inv Invoice
		var err error
		ret, date := "", cal.Date("")
		switch kind {
		case billing.KindInvoice:
			if inv, err = billing.GetInvoice(tx, id); err != nil {
				return err
			}
			date = inv.Date
		case billing.KindCancel:
			if inv, err = billing.GetInvoice(tx, id); err != nil {
				return err
			}
			ret, date = "CANCEL "+inv.Number, inv.VoidDate()
		case billing.KindSalesReturn:
			sr, err := billing.GetSalesReturn(tx, id)
			if err != nil {
				return err
			}
			if inv, err = billing.GetInvoice(tx, sr.Invoice); err != nil {
				return err
			}
			ret, date = sr.Number, sr.Date
		default:
			return nil
		}
		if !inPeriod(date, from, to) {
			return nil
		}
		reds, err := c.invoiceRedemptions(&inv, ret)
		if err != nil {
			return err
		}
		for _, r := range reds {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// Drainer is a Source that also feeds the outbox from the book: the
// uploader drains it before every build.
type Drainer interface {
	Drain(b *book.Book) (DrainResult, error)
}

// Drain implements Drainer.
func (BookSource) Drain(b *book.Book) (DrainResult, error) { return Drain(b) }
