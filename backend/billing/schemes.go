package billing

import (
	"errors"
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// SchemeEngine is the seam to the trade-scheme engine. Billing asks it what
// the schemes give an invoice at preview and again inside the posting
// transaction, then has it write the redemptions there; a return or a
// cancellation has it reverse its share.
type SchemeEngine interface {
	Evaluate(tx *book.Tx, inv schemes.Invoice) (schemes.Result, error)
	Redeem(tx *book.Tx, number string, date cal.Date, outlet string, res *schemes.Result) error
	// Reverse writes and answers the reversals: negative redemptions, the
	// free pieces due back among them; kept is the invoice as the outlet
	// keeps it after this return (keptOf), on which the schemes recompute
	// the free goods it still earns.
	Reverse(tx *book.Tx, invoice, doc string, date cal.Date, returned map[int]money.Qty, kept *schemes.Kept) ([]schemes.Redemption, error)
}

// Schemes is the engine billing uses: the book's own schemes by default.
// Set it once at start (tests may use NoSchemes).
var Schemes SchemeEngine = BookSchemes{}

// NoSchemes applies nothing.
type NoSchemes struct{}

func (NoSchemes) Evaluate(_ *book.Tx, inv schemes.Invoice) (schemes.Result, error) {
	return schemes.Evaluate(inv, nil, nil), nil
}
func (NoSchemes) Redeem(*book.Tx, string, cal.Date, string, *schemes.Result) error { return nil }
func (NoSchemes) Reverse(*book.Tx, string, string, cal.Date, map[int]money.Qty, *schemes.Kept) ([]schemes.Redemption, error) {
	return nil, nil
}

// BookSchemes evaluates the schemes stored in the book (package schemes),
// with the budgets and caps they have used so far.
type BookSchemes struct{}

func (BookSchemes) Evaluate(tx *book.Tx, inv schemes.Invoice) (schemes.Result, error) {
	running, err := schemes.ActiveSet(tx, inv.Date)
	if err != nil {
		return schemes.Result{}, err
	}
	active := running.Schemes
	if len(active) == 0 {
		return running.Set.Evaluate(inv, nil), nil
	}
	usage, err := schemes.UsageOf(tx, active, inv.Outlet.Code)
	if err != nil {
		return schemes.Result{}, err
	}
	// price the free items the schemes can give, for budgets and claims
	for _, s := range active {
		if s.FreeItem == "" {
			continue
		}
		if _, ok := inv.Rates[s.FreeItem]; ok {
			continue
		}
		it, err := cache.getItem(tx, masters.NormalizeCode(s.FreeItem))
		if err != nil {
			continue
		}
		if inv.Rates == nil {
			inv.Rates = map[string]money.Paise{}
		}
		inv.Rates[s.FreeItem] = it.PricePaise
	}
	return running.Set.Evaluate(inv, usage), nil
}

func (BookSchemes) Redeem(tx *book.Tx, number string, date cal.Date, outlet string, res *schemes.Result) error {
	err := schemes.Redeem(tx, number, date, outlet, res.Redemptions)
	var ce *schemes.CapError
	if errors.As(err, &ce) {
		return fail.Conflict("schemes", "%v: bill again to see what is left", err)
	}
	return err
}

func (BookSchemes) Reverse(tx *book.Tx, invoice, doc string, date cal.Date, returned map[int]money.Qty, kept *schemes.Kept) ([]schemes.Redemption, error) {
	revs, err := schemes.Reverse(tx, invoice, doc, date, returned, kept)
	if err != nil {
		return nil, fmt.Errorf("reverse schemes of %s: %w", invoice, err)
	}
	return revs, nil
}

// keepScope leaves on the clerk's lines the brand and category they were
// billed with only where a return reads them again: an invoice on which a
// bill-level scheme (invoice_value; a combo names items, not brands)
// scoped by brand or category gave free goods. Reverse settles such free
// goods on the kept bill's in-scope value (rules.FreeOnKept → Covers);
// every other redemption it takes back by quantity or on its own line,
// which reads no scope. Measured on the small demo (2,169 invoices, 10,855
// lines): kept on every line they cost 20.9 B a line stored, +17.3 % of
// billing.inv; its circular has no such scheme, so now they cost nothing.
func keepScope(tx *book.Tx, lines []Line, res *schemes.Result) {
	for _, f := range res.Free {
		if s, err := schemes.Get(tx, f.Scheme); err == nil && s.Kind.BillLevel() && len(s.Brands)+len(s.Categories) > 0 {
			return
		}
	}
	for i := range lines {
		lines[i].Brand, lines[i].Category = "", ""
	}
}

// keptOf is the invoice as the outlet keeps it once the quantities in now
// come back too (after every earlier return): each billed line with what
// is left of it, its gross for that, and the line-level scheme discounts
// it keeps (their share, taken as the returns take it back). Brand and
// category, which a bill-level scheme's scope reads, are the line's as
// billed where billing kept them (keepScope); otherwise, and on invoices
// billed before lines kept them, the item master's.
func keptOf(tx *book.Tx, inv *Invoice, now map[int]money.Qty) *schemes.Kept {
	k := &schemes.Kept{}
	for i := range inv.Lines {
		ln := &inv.Lines[i]
		if ln.Free {
			continue
		}
		back := getReturned(tx, inv.Number, ln.No).Qty + now[ln.No]
		left := max(ln.Qty-back, 0)
		var lineLevel money.Paise
		for _, a := range ln.Schemes {
			if !a.Kind.BillLevel() {
				lineLevel += a.DiscountPaise
			}
		}
		kl := schemes.KeptLine{Line: schemes.Line{No: ln.No, Item: ln.Item, Qty: left, RatePaise: ln.RatePaise, DiscountBP: ln.DiscountBP}}
		if left > 0 && ln.Qty > 0 {
			kl.GrossPaise = ln.GrossPaise - share(ln.GrossPaise, back, ln.Qty)
			if ln.GrossPaise == ln.RatePaise.MulQty(ln.Qty) {
				kl.GrossPaise = ln.RatePaise.MulQty(left)
			}
			kl.LineSchemePaise = lineLevel - share(lineLevel, back, ln.Qty)
		}
		kl.Brand, kl.Category = ln.Brand, ln.Category
		if ln.Brand == "" && ln.Category == "" {
			if it, err := cache.getItem(tx, masters.NormalizeCode(ln.Item)); err == nil {
				kl.Brand, kl.Category = it.Brand, it.Category
			}
		}
		k.Lines = append(k.Lines, kl)
	}
	return k
}
