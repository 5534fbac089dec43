package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/backend/stock"
)

// SalesReturnLineInput names an invoice line (by its number, or by item
// for the first line of that item) and what comes back.
type SalesReturnLineInput struct {
	Line      int       `json:"line,omitempty"`
	Item      string    `json:"item,omitempty"`
	Qty       money.Qty `json:"qty"`
	Condition string    `json:"condition,omitempty"` // saleable (default), damaged, expired
	// FreeRecovered is how many of the free pieces this return no longer
	// earns come back with it (the note's free_due); the rest stay with the
	// outlet and their value is deducted from the credit. Left out, all of
	// them come back.
	FreeRecovered *money.Qty `json:"free_recovered,omitempty"`
}

// SalesReturnInput is a credit note against an invoice.
type SalesReturnInput struct {
	Invoice string                 `json:"invoice"`
	Date    cal.Date               `json:"date"`
	Reason  string                 `json:"reason"`
	Lines   []SalesReturnLineInput `json:"lines"`
	// DateOverride (admins only) posts a date outside the company's window.
	DateOverride bool `json:"date_override,omitempty"`
	// RequestID is the client's own id for this posting: sent again, it
	// answers the document already posted (requests.go).
	RequestID string `json:"request_id,omitempty"`
	// recovered, set by RecoverSalesReturn only: the lost number taken back.
	recovered string
}

// SalesReturn is a posted credit note.
type SalesReturn struct {
	Number     string    `json:"number"`
	Invoice    string    `json:"invoice"`
	Date       cal.Date  `json:"date"`
	Outlet     string    `json:"outlet"`
	InterState bool      `json:"inter_state"`
	Reason     string    `json:"reason"`
	Lines      []DocLine `json:"lines"`
	Totals
	// SettledPaise is what the credit took off the invoice's due; the rest
	// is held on the outlet's account.
	SettledPaise money.Paise `json:"settled_paise"`
	// FreeDeductedPaise is the value of free goods the outlet kept but no
	// longer earns, taken off the credit (the lines' free_deducted_paise).
	FreeDeductedPaise money.Paise `json:"free_deducted_paise"`
	OnAccountPaise    money.Paise `json:"on_account_paise"`
	PostedAt          time.Time   `json:"posted_at"`
	PostedBy          string      `json:"posted_by"`
	RequestID         string      `json:"request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier posting.
	Replayed bool `json:"replayed,omitempty"`
}

// share is part×whole/of rounded half away from zero (whole may be negative).
func share(whole money.Paise, part, of money.Qty) money.Paise {
	return money.Paise(int64(whole) * int64(part)).DivRound(int64(of))
}

// postSalesReturn posts a credit note against an invoice: saleable goods go
// back to the batches they left, damaged and expired ones to the damaged
// godown; the value and GST are the invoice line's own (its rate, its
// discounts), pro rata (ReturnShare), and returning a line in full gives
// back exactly what it charged. More than was sold (less earlier returns)
// is refused, and so is a free row on its own: free goods come back with
// the goods that earned them (freeGoods).
func postSalesReturn(tx *book.Tx, in SalesReturnInput) (SalesReturn, error) {
	if err := validDate("date", in.Date); err != nil {
		return SalesReturn{}, err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return SalesReturn{}, fail.Invalid("reason", "say why the goods came back")
	}
	if err := checkLines(len(in.Lines)); err != nil {
		return SalesReturn{}, err
	}
	inv, err := GetInvoice(tx, in.Invoice)
	if err != nil {
		if fail.Is(err, fail.KindNotFound) {
			return SalesReturn{}, fail.Invalid("invoice", "invoice %s does not exist", in.Invoice)
		}
		return SalesReturn{}, err
	}
	if inv.Status != StatusPosted {
		return SalesReturn{}, fail.Conflict("invoice", "invoice %s is cancelled: nothing to return", inv.Number)
	}
	if in.Date < inv.Date {
		return SalesReturn{}, fail.Invalid("date", "a return cannot be dated before its invoice (%s)", inv.Date.Display())
	}
	co, err := company(tx)
	if err != nil {
		return SalesReturn{}, err
	}
	num, err := takeNumber(tx, in.recovered, bCreditNotes, PrefixSalesReturn, in.Date, co.FYStartMonth)
	if err != nil {
		return SalesReturn{}, err
	}
	sr := SalesReturn{RequestID: in.RequestID, Number: num, Invoice: inv.Number, Date: in.Date, Outlet: inv.Outlet, InterState: inv.InterState, Reason: strings.TrimSpace(in.Reason)}

	// the invoice lines and what comes back of each, checked before anything moves
	type back struct {
		ln   *Line
		qty  money.Qty
		cond string
		prev money.Qty // of the invoice line, before this line of the note
		at   money.Qty // of the invoice line, on this note before this line
		free bool      // this line carries its invoice line's free goods
	}
	backs := make([]back, len(in.Lines))
	schemeQty := map[int]money.Qty{}
	for i, l := range in.Lines {
		var ln *Line
		for j := range inv.Lines {
			x := &inv.Lines[j]
			if (l.Line != 0 && x.No == l.Line) || (l.Line == 0 && l.Item != "" && strings.EqualFold(x.Item, l.Item) && !x.Free) {
				ln = x
				break
			}
		}
		if ln == nil {
			return sr, fail.Invalid(lineField(i, "line"), "invoice %s has no such line (give line or item)", inv.Number)
		}
		if ln.Free {
			return sr, fail.Invalid(lineField(i, "line"), "line %d of %s is free goods of scheme %s: they come back with line %d, which earned them (its free_recovered)",
				ln.No, inv.Number, ln.Scheme, ln.ForLine)
		}
		if err := positiveQty(i, l.Qty); err != nil {
			return sr, err
		}
		cond := strings.ToLower(strings.TrimSpace(l.Condition))
		if cond == "" {
			cond = "saleable"
		}
		if cond != "saleable" && cond != "damaged" && cond != "expired" {
			return sr, fail.Invalid(lineField(i, "condition"), "%q: use saleable, damaged or expired", l.Condition)
		}
		prev := getReturned(tx, inv.Number, ln.No).Qty + schemeQty[ln.No]
		if prev+l.Qty > ln.Qty {
			return sr, fail.Invalid(lineField(i, "qty"), "%s: %d sold on %s line %d, %d returned before, at most %d can come back",
				ln.Item, ln.Qty, inv.Number, ln.No, prev, ln.Qty-prev)
		}
		first := true
		for k := range i {
			if backs[k].ln == ln {
				first = false
			}
		}
		if l.FreeRecovered != nil && !first {
			return sr, fail.Invalid(lineField(i, "free_recovered"), "give the free goods of %s line %d on the first line returning it", inv.Number, ln.No)
		}
		backs[i] = back{ln: ln, qty: l.Qty, cond: cond, prev: prev, at: schemeQty[ln.No], free: first}
		schemeQty[ln.No] += l.Qty
	}
	var revs []schemes.Redemption
	if inv.HasSchemes() {
		if revs, err = Schemes.Reverse(tx, inv.Number, num, in.Date, schemeQty, keptOf(tx, &inv, schemeQty)); err != nil {
			return sr, err
		}
	}

	for i := range backs {
		b := &backs[i]
		ln := b.ln
		sh := ReturnShare(ln, b.prev, b.qty)
		if inv.HasSchemes() {
			sh.SchemeDiscount = schemeBack(revs, ln.No, b.at, b.qty, schemeQty[ln.No])
			sh.Taxable = sh.Gross - sh.Discount - sh.SchemeDiscount
		}
		dl := DocLine{InvoiceLine: ln.No, Item: ln.Item, Name: ln.Name, HSN: ln.HSN, Qty: b.qty, RatePaise: ln.RatePaise,
			GSTRateBP: ln.GSTRateBP, Condition: b.cond, GrossPaise: sh.Gross, DiscountPaise: sh.Discount, SchemeDiscountPaise: sh.SchemeDiscount}
		prev := getReturned(tx, inv.Number, ln.No)
		next := returned{Qty: prev.Qty + b.qty, Taxable: prev.Taxable + sh.Taxable}
		if next.Qty == ln.Qty {
			next.Taxable, next.CGST, next.SGST, next.IGST = ln.TaxablePaise, ln.CGSTPaise, ln.SGSTPaise, ln.IGSTPaise
		} else {
			tax := gst.Compute(next.Taxable, ln.GSTRateBP, inv.InterState)
			next.CGST, next.SGST, next.IGST = tax.CGST, tax.SGST, tax.IGST
		}
		if err := putReturned(tx, inv.Number, ln.No, next); err != nil {
			return sr, err
		}
		dl.TaxablePaise, dl.CGSTPaise, dl.SGSTPaise, dl.IGSTPaise = next.Taxable-prev.Taxable, next.CGST-prev.CGST, next.SGST-prev.SGST, next.IGST-prev.IGST
		if err := pickBack(tx, &dl, ln, prev.Qty, b.qty, num, in.Date); err != nil {
			return sr, err
		}
		var freeLines []DocLine
		if b.free {
			if freeLines, err = freeGoods(tx, &inv, &dl, in.Lines[i].FreeRecovered, revs, schemeQty, i, num, in.Date); err != nil {
				return sr, err
			}
		}
		dl.TotalPaise = dl.TaxablePaise + dl.CGSTPaise + dl.SGSTPaise + dl.IGSTPaise
		dl.No = len(sr.Lines) + 1
		sr.Lines = append(sr.Lines, dl)
		for _, f := range freeLines {
			f.No = len(sr.Lines) + 1
			sr.Lines = append(sr.Lines, f)
		}
		sr.FreeDeductedPaise += dl.FreeDeductedPaise
	}
	sr.Totals = docTotals(sr.Lines)
	left, err := settle(tx, inv.Outlet, inv.Date, inv.Number, sr.TotalPaise)
	if err != nil {
		return sr, err
	}
	sr.SettledPaise, sr.OnAccountPaise = sr.TotalPaise-left, left
	if err := addOnAccount(tx, inv.Outlet, left); err != nil {
		return sr, err
	}
	sr.PostedAt, sr.PostedBy = Now(), tx.Actor.User
	if err := putCreditNote(tx, num, &sr); err != nil {
		return sr, err
	}
	return sr, posted(tx, KindSalesReturn, num, map[string]any{"number": num, "invoice": inv.Number, "total_paise": sr.TotalPaise}, sr.Reason)
}

// pickBack brings the pieces [from, from+qty) of an invoice line back into
// stock, to the batches they left in the order they were picked: saleable
// goods to their godown, damaged and expired ones to the damaged godown.
func pickBack(tx *book.Tx, dl *DocLine, ln *Line, from, qty money.Qty, doc string, date cal.Date) error {
	var at money.Qty
	for _, p := range ln.Batches {
		lo, hi := max(at, from), min(at+p.Qty, from+qty)
		at += p.Qty
		if hi <= lo {
			continue
		}
		godown := p.Godown
		if dl.Condition != "saleable" {
			godown = stock.DamagedGodown
		}
		pk := stock.Pick{Batch: p.Batch, Expiry: p.Expiry, MRP: p.MRP, Godown: godown, Qty: hi - lo}
		dl.Batches = append(dl.Batches, pk)
		if dl.Expiry == "" {
			dl.Batch, dl.Expiry, dl.MRPPaise = p.Batch, p.Expiry, p.MRP
		}
		if _, err := stock.Move(tx, stock.Movement{Date: date, Item: ln.Item, Batch: p.Batch, Godown: godown, Qty: pk.Qty,
			Kind: stock.SalesReturn, Doc: doc}, true); err != nil {
			return err
		}
	}
	return nil
}

// Share is what a return gives back of an invoice line's figures.
type Share struct {
	Gross, Discount, SchemeDiscount, Taxable money.Paise
}

// ReturnShare is what returning qty pieces of an invoice line, after prev
// came back before, gives back of the line's figures, each taken
// cumulatively so that returning the whole line (at once or in parts)
// gives back exactly what it charged: gross is rate × qty, the clerk's and
// the scheme discounts their shares of the line's, and taxable is gross
// less both, so it adds up on every line of the note. A posting then takes
// the scheme discount from the scheme reversals themselves (schemeBack),
// so the note and the claim agree to the paisa.
func ReturnShare(ln *Line, prev, qty money.Qty) Share {
	cum := func(whole money.Paise, n money.Qty) money.Paise {
		if n >= ln.Qty {
			return whole
		}
		return share(whole, n, ln.Qty)
	}
	diff := func(whole money.Paise) money.Paise { return cum(whole, prev+qty) - cum(whole, prev) }
	sh := Share{Gross: diff(ln.GrossPaise), Discount: diff(ln.DiscountPaise), SchemeDiscount: diff(ln.SchemeDiscountPaise)}
	if ln.GrossPaise == ln.RatePaise.MulQty(ln.Qty) {
		sh.Gross = ln.RatePaise.MulQty(qty)
	}
	sh.Taxable = sh.Gross - sh.Discount - sh.SchemeDiscount
	return sh
}

// schemeBack is the scheme discount the reversals of one note take back
// for the pieces [at, at+qty) of the lineQty pieces it returns of invoice
// line no.
func schemeBack(revs []schemes.Redemption, no int, at, qty, lineQty money.Qty) money.Paise {
	var rev money.Paise
	for _, r := range revs {
		if r.Line == no {
			rev -= r.DiscountPaise
		}
	}
	if qty >= lineQty {
		return rev
	}
	return share(rev, at+qty, lineQty) - share(rev, at, lineQty)
}

// freeGoods settles the free goods the invoice line behind dl no longer
// earns (the scheme reversals' free pieces: what the scheme's own rule
// gives on what the outlet keeps, schemes.Reverse): free_recovered of them
// (all when not given) come back as free lines of the note, to the
// batches they left; the rest stay with the outlet and their value, at the
// rate the invoice gave them, comes off dl's taxable value and its GST.
// The first line of the note (i 0) also settles the free goods of a combo
// or an invoice-value scheme written against a line the note does not
// return (onNote): returning one part of a combo ends the set all the same.
func freeGoods(tx *book.Tx, inv *Invoice, dl *DocLine, recovered *money.Qty, revs []schemes.Redemption, onNote map[int]money.Qty, i int, doc string, date cal.Date) ([]DocLine, error) {
	type due struct {
		row   *Line
		qty   money.Qty
		value money.Paise
	}
	var dues []due
	var total money.Qty
	for _, r := range revs {
		if _, returned := onNote[r.Line]; r.FreeQty >= 0 || (r.Line != dl.InvoiceLine && (i > 0 || returned)) {
			continue
		}
		var row *Line
		for j := range inv.Lines {
			x := &inv.Lines[j]
			if x.Free && x.Scheme == r.Scheme && x.ForLine == r.Line && strings.EqualFold(x.Item, r.FreeItem) {
				row = x
				break
			}
		}
		if row == nil {
			return nil, fmt.Errorf("invoice %s: scheme %s gave %s free on line %d but no free row carries it", inv.Number, r.Scheme, r.FreeItem, r.Line)
		}
		d := due{row, -r.FreeQty, -r.FreeValuePaise}
		// a book from before free goods came back with their line may
		// have taken some back on their own: those are back already
		if left := row.Qty - getReturned(tx, inv.Number, row.No).Qty; d.qty > left {
			d.value, d.qty = share(d.value, max(left, 0), d.qty), max(left, 0)
		}
		dues = append(dues, d)
		total += d.qty
	}
	dl.FreeDue = total
	want := total
	if recovered != nil {
		want = *recovered
	}
	if want < 0 || want > total {
		return nil, fail.Invalid(lineField(i, "free_recovered"), "0 to %d: the free pieces %s line %d no longer earns on what the outlet keeps", total, inv.Number, dl.InvoiceLine)
	}
	dl.FreeRecovered = want
	var out []DocLine
	for _, d := range dues {
		take := min(want, d.qty)
		want -= take
		var valueBack money.Paise
		if take > 0 {
			valueBack = share(d.value, take, d.qty)
			prev := getReturned(tx, inv.Number, d.row.No)
			if prev.Qty+take > d.row.Qty {
				return nil, fmt.Errorf("invoice %s free line %d: %d given, %d back before, %d more", inv.Number, d.row.No, d.row.Qty, prev.Qty, take)
			}
			if err := putReturned(tx, inv.Number, d.row.No, returned{Qty: prev.Qty + take}); err != nil {
				return nil, err
			}
			f := DocLine{InvoiceLine: d.row.No, Item: d.row.Item, Name: d.row.Name, HSN: d.row.HSN, Qty: take, RatePaise: d.row.RatePaise,
				GSTRateBP: d.row.GSTRateBP, Condition: dl.Condition, Free: true, FreeValuePaise: valueBack}
			if err := pickBack(tx, &f, d.row, prev.Qty, take, doc, date); err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		dl.FreeDeductedPaise += d.value - valueBack
	}
	if ded := dl.FreeDeductedPaise; ded > 0 {
		tax := gst.Compute(ded, dl.GSTRateBP, inv.InterState)
		dl.TaxablePaise -= ded
		dl.CGSTPaise -= tax.CGST
		dl.SGSTPaise -= tax.SGST
		dl.IGSTPaise -= tax.IGST
		if dl.TaxablePaise < 0 || dl.CGSTPaise < 0 || dl.SGSTPaise < 0 || dl.IGSTPaise < 0 {
			return nil, fail.Invalid(lineField(i, "free_recovered"), "the %d free pieces kept are worth ₹%s, more than the ₹%s credited for line %d: the outlet must give them back",
				dl.FreeDue-dl.FreeRecovered, ded, dl.TaxablePaise+ded, dl.InvoiceLine)
		}
	}
	return out, nil
}

// ReturnValues is what one line of a credit note gives back, split as the
// invoice split it: gross, the clerk's discount, the scheme discount, the
// value of free goods kept and deducted, and the taxable value they leave
// (Gross − Discount − SchemeDiscount − FreeDeducted = Taxable); FreeValue
// is the value of free goods the line brings back. The sales register and
// head office both read a return through it. A note posted before its
// lines stored the split gets it derived the same way: gross is rate ×
// qty, the scheme discount the line's share, the clerk's discount the rest.
type ReturnValues struct {
	Gross, Discount, SchemeDiscount, FreeDeducted, Taxable, FreeValue money.Paise
}

// ReturnValuesOf gives a credit-note line's ReturnValues; inv is the
// invoice it returns goods of (nil when it cannot be read).
func ReturnValuesOf(dl *DocLine, inv *Invoice) ReturnValues {
	v := ReturnValues{Gross: dl.GrossPaise, Discount: dl.DiscountPaise, SchemeDiscount: dl.SchemeDiscountPaise,
		FreeDeducted: dl.FreeDeductedPaise, Taxable: dl.TaxablePaise, FreeValue: dl.FreeValuePaise}
	if dl.Free || dl.GrossPaise != 0 || dl.TaxablePaise == 0 {
		return v
	}
	v.Gross = dl.RatePaise.MulQty(dl.Qty)
	if inv != nil && dl.InvoiceLine > 0 && dl.InvoiceLine <= len(inv.Lines) {
		if il := &inv.Lines[dl.InvoiceLine-1]; il.Qty > 0 {
			v.SchemeDiscount = share(il.SchemeDiscountPaise, dl.Qty, il.Qty)
		}
	}
	v.SchemeDiscount = min(v.SchemeDiscount, v.Gross-v.Taxable)
	v.Discount = v.Gross - v.Taxable - v.SchemeDiscount
	return v
}

// GetSalesReturn returns a credit note by number.
func GetSalesReturn(tx *book.Tx, number string) (SalesReturn, error) {
	var r SalesReturn
	ok, err := getCreditNote(tx, number, &r)
	if err == nil && !ok {
		err = fail.NotFound("credit note", number)
	}
	return r, err
}

// GetPurchaseReturn returns a debit note by number.
func GetPurchaseReturn(tx *book.Tx, number string) (PurchaseReturn, error) {
	var r PurchaseReturn
	ok, err := getDebitNote(tx, number, &r)
	if err == nil && !ok {
		err = fail.NotFound("debit note", number)
	}
	return r, err
}
