package billing

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// SalesReturnLineInput names an invoice line (by its number, or by item
// for the first line of that item) and what comes back.
type SalesReturnLineInput struct {
	Line      int       `json:"line,omitempty"`
	Item      string    `json:"item,omitempty"`
	Qty       money.Qty `json:"qty"`
	Condition string    `json:"condition,omitempty"` // saleable (default), damaged, expired
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
	SettledPaise   money.Paise `json:"settled_paise"`
	OnAccountPaise money.Paise `json:"on_account_paise"`
	PostedAt       time.Time   `json:"posted_at"`
	PostedBy       string      `json:"posted_by"`
	RequestID      string      `json:"request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier posting.
	Replayed bool `json:"replayed,omitempty"`
}

// returned is what has come back of one invoice line so far.
type returned struct {
	Qty                       money.Qty
	Taxable, CGST, SGST, IGST money.Paise
}

func retKey(inv string, line int) string { return fmt.Sprintf("%s\x00%04d", inv, line) }

func getReturned(tx *book.Tx, inv string, line int) returned {
	v := tx.Bucket(bReturned).Get(retKey(inv, line))
	if len(v) != 40 {
		return returned{}
	}
	g := func(i int) int64 { return int64(binary.BigEndian.Uint64(v[i*8:])) }
	return returned{money.Qty(g(0)), money.Paise(g(1)), money.Paise(g(2)), money.Paise(g(3)), money.Paise(g(4))}
}

func putReturned(tx *book.Tx, inv string, line int, r returned) error {
	var b [40]byte
	for i, x := range []int64{int64(r.Qty), int64(r.Taxable), int64(r.CGST), int64(r.SGST), int64(r.IGST)} {
		binary.BigEndian.PutUint64(b[i*8:], uint64(x))
	}
	return tx.Bucket(bReturned).Put(retKey(inv, line), b[:])
}

// share is part×whole/of rounded half away from zero (whole may be negative).
func share(whole money.Paise, part, of money.Qty) money.Paise {
	return money.Paise(int64(whole) * int64(part)).DivRound(int64(of))
}

// postSalesReturn posts a credit note against an invoice: saleable goods go
// back to the batches they left, damaged and expired ones to the damaged
// godown; the value and GST are the invoice line's own (its rate, its
// discounts), pro rata, and returning a line in full gives back exactly
// what it charged. More than was sold (less earlier returns) is refused.
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
	num, err := nextNumber(tx, PrefixSalesReturn, in.Date, co.FYStartMonth)
	if err != nil {
		return SalesReturn{}, err
	}
	sr := SalesReturn{RequestID: in.RequestID, Number: num, Invoice: inv.Number, Date: in.Date, Outlet: inv.Outlet, InterState: inv.InterState, Reason: strings.TrimSpace(in.Reason)}
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
		prev := getReturned(tx, inv.Number, ln.No)
		if prev.Qty+l.Qty > ln.Qty {
			return sr, fail.Invalid(lineField(i, "qty"), "%s: %d sold on %s line %d, %d returned before, at most %d can come back",
				ln.Item, ln.Qty, inv.Number, ln.No, prev.Qty, ln.Qty-prev.Qty)
		}
		next := returned{Qty: prev.Qty + l.Qty}
		if next.Qty == ln.Qty {
			next.Taxable, next.CGST, next.SGST, next.IGST = ln.TaxablePaise, ln.CGSTPaise, ln.SGSTPaise, ln.IGSTPaise
		} else {
			next.Taxable = share(ln.TaxablePaise, next.Qty, ln.Qty)
			tax := gst.Compute(next.Taxable, ln.GSTRateBP, inv.InterState)
			next.CGST, next.SGST, next.IGST = tax.CGST, tax.SGST, tax.IGST
		}
		if err := putReturned(tx, inv.Number, ln.No, next); err != nil {
			return sr, err
		}
		dl := DocLine{No: i + 1, InvoiceLine: ln.No, Item: ln.Item, Name: ln.Name, HSN: ln.HSN, Qty: l.Qty, RatePaise: ln.RatePaise,
			TaxablePaise: next.Taxable - prev.Taxable, GSTRateBP: ln.GSTRateBP, CGSTPaise: next.CGST - prev.CGST,
			SGSTPaise: next.SGST - prev.SGST, IGSTPaise: next.IGST - prev.IGST, Condition: cond, Free: ln.Free}
		dl.TotalPaise = dl.TaxablePaise + dl.CGSTPaise + dl.SGSTPaise + dl.IGSTPaise
		// the pieces [prev, prev+qty) of the line, in the order its batches were picked
		var at money.Qty
		for _, p := range ln.Batches {
			lo, hi := max(at, prev.Qty), min(at+p.Qty, prev.Qty+l.Qty)
			at += p.Qty
			if hi <= lo {
				continue
			}
			godown := p.Godown
			if cond != "saleable" {
				godown = stock.DamagedGodown
			}
			pk := stock.Pick{Batch: p.Batch, Expiry: p.Expiry, MRP: p.MRP, Godown: godown, Qty: hi - lo}
			dl.Batches = append(dl.Batches, pk)
			if dl.Expiry == "" {
				dl.Batch, dl.Expiry, dl.MRPPaise = p.Batch, p.Expiry, p.MRP
			}
			if _, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: ln.Item, Batch: p.Batch, Godown: godown, Qty: pk.Qty,
				Kind: stock.SalesReturn, Doc: num}, true); err != nil {
				return sr, err
			}
		}
		sr.Lines = append(sr.Lines, dl)
		if !ln.Free {
			schemeQty[ln.No] += l.Qty
		}
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
	if inv.HasSchemes() && len(schemeQty) > 0 {
		if err := Schemes.Reverse(tx, inv.Number, num, in.Date, schemeQty); err != nil {
			return sr, err
		}
	}
	sr.PostedAt, sr.PostedBy = Now(), tx.Actor.User
	if err := tx.Bucket(bCreditNotes).PutJSON(num, sr); err != nil {
		return sr, err
	}
	return sr, posted(tx, KindSalesReturn, num, map[string]any{"number": num, "invoice": inv.Number, "total_paise": sr.TotalPaise}, sr.Reason)
}

// GetSalesReturn returns a credit note by number.
func GetSalesReturn(tx *book.Tx, number string) (SalesReturn, error) {
	var r SalesReturn
	ok, err := tx.Bucket(bCreditNotes).GetJSON(number, &r)
	if err == nil && !ok {
		err = fail.NotFound("credit note", number)
	}
	return r, err
}

// GetPurchaseReturn returns a debit note by number.
func GetPurchaseReturn(tx *book.Tx, number string) (PurchaseReturn, error) {
	var r PurchaseReturn
	ok, err := getDoc(tx.Bucket(bDebitNotes), number, &r)
	if err == nil && !ok {
		err = fail.NotFound("debit note", number)
	}
	return r, err
}
