// Package collections keeps the salesman's collection sheets (bill
// tagging): before he leaves, the accountant tags open bills to him; when
// he comes back, the sheet is settled in one go, bill by bill, by cash,
// cheque or UPI.
//
// Always true:
//   - a bill is tagged to at most one open sheet at a time, and only an
//     open (unpaid or part-paid) bill is tagged;
//   - settling posts every receipt of the sheet in the caller's one
//     transaction, or none of them: one receipt per outlet and instrument
//     (the cash, each cheque, each UPI payment), set bill by bill against
//     exactly the amounts given, nothing on account, never a bill that is
//     not on the sheet;
//   - a settled sheet tags nothing: short-paid and unpaid bills stay open in
//     the outstanding and may be tagged again the next day.
//
// The receipts are billing's (audit, Tally and upload queues and all); a
// sheet itself is no accounting document, so it is audited but not queued.
package collections

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// MaxBills is the most bills one sheet carries, and MaxPayments the most
// lines one settlement takes (a bill paid part in cash, part by cheque).
const (
	MaxBills    = 500
	MaxPayments = 2 * MaxBills
)

// Sheet statuses.
const (
	StatusOpen    = "open"
	StatusSettled = "settled"
)

// Bill results after settling.
const (
	Paid   = "paid"
	Short  = "short"
	Unpaid = "unpaid"
)

// Bill is one tagged bill as the salesman carries it: an invoice, or the
// charge of a bounced cheque (its CHB number).
type Bill struct {
	Invoice     string      `json:"invoice"`
	Outlet      string      `json:"outlet"`
	OutletName  string      `json:"outlet_name"`
	Beat        string      `json:"beat,omitempty"`
	Date        cal.Date    `json:"date"`
	DueDate     cal.Date    `json:"due_date"`
	TotalPaise  money.Paise `json:"total_paise"`
	DuePaise    money.Paise `json:"due_paise"`    // due when tagged
	DaysOverdue int         `json:"days_overdue"` // on the sheet's date, past the outlet's credit days
	// After settling: what came in against it, and whether it is paid.
	CollectedPaise money.Paise `json:"collected_paise"`
	Result         string      `json:"result,omitempty"`
}

// Payment is one line of a settlement: money against one bill of the sheet.
type Payment struct {
	Invoice     string      `json:"invoice"`
	AmountPaise money.Paise `json:"amount_paise"`
	Mode        string      `json:"mode"` // cash, cheque, upi
	ChequeNo    string      `json:"cheque_no,omitempty"`
	Bank        string      `json:"bank,omitempty"`
	ChequeDate  cal.Date    `json:"cheque_date,omitempty"`
	Reference   string      `json:"reference,omitempty"` // the UPI reference (UTR)
	Receipt     string      `json:"receipt,omitempty"`   // set when settled
}

// Sheet is a collection sheet.
type Sheet struct {
	ID             int64       `json:"id"`
	Salesman       string      `json:"salesman"`
	SalesmanName   string      `json:"salesman_name"`
	Date           cal.Date    `json:"date"`
	Status         string      `json:"status"`
	Bills          []Bill      `json:"bills"`
	DuePaise       money.Paise `json:"due_paise"`
	CollectedPaise money.Paise `json:"collected_paise"`
	Payments       []Payment   `json:"payments"`
	Receipts       []string    `json:"receipts"`
	CreatedAt      time.Time   `json:"created_at"`
	CreatedBy      string      `json:"created_by"`
	SettledOn      cal.Date    `json:"settled_on,omitempty"` // the receipts' date
	SettledAt      time.Time   `json:"settled_at,omitzero"`
	SettledBy      string      `json:"settled_by,omitempty"`
	// SettleRequestID is the request_id the settlement came with, if any.
	SettleRequestID string `json:"settle_request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier settlement.
	Replayed bool `json:"replayed,omitempty"`
}

// Summary is a sheet in a list.
type Summary struct {
	ID             int64       `json:"id"`
	Salesman       string      `json:"salesman"`
	SalesmanName   string      `json:"salesman_name"`
	Date           cal.Date    `json:"date"`
	Status         string      `json:"status"`
	Bills          int         `json:"bills"`
	DuePaise       money.Paise `json:"due_paise"`
	CollectedPaise money.Paise `json:"collected_paise"`
}

// SheetInput tags bills to a salesman for a day.
type SheetInput struct {
	Salesman string   `json:"salesman"`
	Date     cal.Date `json:"date"`
	Bills    []string `json:"bills"`
}

// SettleInput is what the salesman brought back. Date is the receipts'
// date (the sheet's date when empty). A bill not named is unpaid.
type SettleInput struct {
	// RequestID is the client's own id for this settlement: sent again
	// (after a lost answer or a restart), it answers the sheet as the first
	// one settled it, posting nothing; with another body it is refused.
	RequestID string    `json:"request_id,omitempty"`
	Date      cal.Date  `json:"date,omitempty"`
	Bills     []Payment `json:"bills"`
}

// Now is the clock for the sheets' times; tests may set it.
var Now = func() time.Time { return cal.Now().UTC() }

// ParseID reads a sheet id from a path.
func ParseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, fail.NotFound("collection sheet", s)
	}
	return id, nil
}

// billOf reads one bill (an invoice or a bounced cheque's charge) as it
// stands on a day: due now, days past the outlet's credit days.
func billOf(tx *book.Tx, r billing.BillRef, on cal.Date) Bill {
	b := Bill{Invoice: r.Number, Outlet: r.Outlet, OutletName: r.Outlet, Date: r.Date, DueDate: r.Date, TotalPaise: r.TotalPaise, DuePaise: r.DuePaise}
	if o, err := masters.GetOutlet(tx, r.Outlet); err == nil {
		b.DueDate = r.Date.AddDays(o.CreditDays)
		b.OutletName, b.Beat = o.Name, o.Beat
	}
	b.DaysOverdue = max(0, b.DueDate.DaysUntil(on))
	return b
}

// Create tags open bills to a salesman for a day.
func Create(tx *book.Tx, in SheetInput) (Sheet, error) {
	code := masters.NormalizeCode(in.Salesman)
	if code == "" {
		return Sheet{}, fail.Invalid("salesman", "say which salesman takes the sheet (his code)")
	}
	sm, err := masters.GetSalesman(tx, code)
	if fail.Is(err, fail.KindNotFound) {
		return Sheet{}, fail.Invalid("salesman", "salesman %s does not exist", code)
	}
	if err != nil {
		return Sheet{}, err
	}
	if in.Date == "" || !in.Date.Valid() {
		return Sheet{}, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", in.Date)
	}
	switch {
	case len(in.Bills) == 0:
		return Sheet{}, fail.Invalid("bills", "tag at least one bill")
	case len(in.Bills) > MaxBills:
		return Sheet{}, fail.Invalid("bills", "at most %d bills on one sheet", MaxBills)
	}
	s := Sheet{Salesman: sm.Code, SalesmanName: sm.Name, Date: in.Date, Status: StatusOpen, Bills: []Bill{},
		Payments: []Payment{}, Receipts: []string{}, CreatedAt: Now(), CreatedBy: tx.Actor.User}
	seen := map[string]bool{}
	for i, n := range in.Bills {
		field := fmt.Sprintf("bills[%d]", i)
		n = strings.ToUpper(strings.TrimSpace(n))
		if n == "" || len(n) > 40 {
			return Sheet{}, fail.Invalid(field, "give the bill's number")
		}
		if seen[n] {
			return Sheet{}, fail.Invalid(field, "bill %s is named twice", n)
		}
		seen[n] = true
		r, err := billing.FindBill(tx, n)
		if fail.Is(err, fail.KindNotFound) {
			return Sheet{}, fail.Invalid(field, "bill %s does not exist", n)
		}
		if err != nil {
			return Sheet{}, err
		}
		if r.Cancelled {
			return Sheet{}, fail.Invalid(field, "bill %s is cancelled", n)
		}
		if r.Date > in.Date {
			return Sheet{}, fail.Invalid(field, "bill %s is of %s, after the sheet's day", n, r.Date.Display())
		}
		b := billOf(tx, r, in.Date)
		if b.DuePaise <= 0 {
			return Sheet{}, fail.Invalid(field, "bill %s is paid: nothing to collect", n)
		}
		if id := TaggedTo(tx, n); id != 0 {
			return Sheet{}, fail.Conflict(field, "bill %s is already on collection sheet %d: settle that sheet first", n, id)
		}
		s.Bills = append(s.Bills, b)
		s.DuePaise += b.DuePaise
	}
	// the sheet reads as the salesman walks it: outlet by outlet, oldest bill first
	sort.SliceStable(s.Bills, func(i, j int) bool {
		a, b := &s.Bills[i], &s.Bills[j]
		if a.Outlet != b.Outlet {
			return a.Outlet < b.Outlet
		}
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.Invoice < b.Invoice
	})
	s.ID, err = nextSheetID(tx)
	if err != nil {
		return Sheet{}, err
	}
	id := strconv.FormatInt(s.ID, 10)
	for _, b := range s.Bills {
		if err := tag(tx, b.Invoice, s.ID); err != nil {
			return Sheet{}, err
		}
	}
	if err := putSheet(tx, &s); err != nil {
		return Sheet{}, err
	}
	return s, tx.Audit("create", "collection", id, nil, summaryOf(&s), "")
}

func summaryOf(s *Sheet) Summary {
	return Summary{ID: s.ID, Salesman: s.Salesman, SalesmanName: s.SalesmanName, Date: s.Date, Status: s.Status,
		Bills: len(s.Bills), DuePaise: s.DuePaise, CollectedPaise: s.CollectedPaise}
}

var modes = map[string]bool{"cash": true, "cheque": true, "upi": true}

// instrument is one receipt to post: an outlet's cash, one cheque, one UPI
// payment, with its bills in the order given.
type instrument struct {
	outlet, mode, ref string
	bank              string
	chequeDate        cal.Date
	amount            money.Paise
	bills             []string
	by                map[string]money.Paise
	lines             []int // the settlement lines it came from
}

// Settle posts what the salesman brought back, in the caller's transaction:
// the receipts bill by bill, and the sheet settled with every bill untagged.
// Any refused line refuses the whole settlement (the caller rolls back).
func Settle(tx *book.Tx, id int64, in SettleInput) (Sheet, error) {
	req, err := settleRequest(id, in)
	if err != nil {
		return Sheet{}, err
	}
	if sid, same, ok := heldRequest(tx, req); ok {
		if !same {
			return Sheet{}, fail.Conflict("request_id", "%s was already used to settle collection sheet %s, with other details: send a new request_id for a new settlement", in.RequestID, sid)
		}
		s, err := Get(tx, id)
		s.Replayed = true
		return s, err
	}
	s, err := Get(tx, id)
	if err != nil {
		return s, err
	}
	if s.Status != StatusOpen {
		return s, fail.Conflict("id", "collection sheet %d was settled on %s", s.ID, s.SettledOn.Display())
	}
	if in.Date == "" {
		in.Date = s.Date
	}
	if !in.Date.Valid() {
		return s, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", in.Date)
	}
	if in.Date < s.Date {
		return s, fail.Invalid("date", "the sheet went out on %s: its money cannot come in before", s.Date.Display())
	}
	if len(in.Bills) > MaxPayments {
		return s, fail.Invalid("bills", "at most %d lines in one settlement", MaxPayments)
	}
	onSheet := map[string]*Bill{}
	for i := range s.Bills {
		onSheet[s.Bills[i].Invoice] = &s.Bills[i]
	}
	due := map[string]money.Paise{} // what each bill can still take
	var order []string
	groups := map[string]*instrument{}
	for i := range in.Bills {
		p := &in.Bills[i]
		field := func(f string) string { return fmt.Sprintf("bills[%d].%s", i, f) }
		p.Invoice = strings.ToUpper(strings.TrimSpace(p.Invoice))
		p.Mode = strings.ToLower(strings.TrimSpace(p.Mode))
		p.ChequeNo, p.Bank, p.Reference = strings.TrimSpace(p.ChequeNo), strings.TrimSpace(p.Bank), strings.TrimSpace(p.Reference)
		b := onSheet[p.Invoice]
		if b == nil {
			return s, fail.Invalid(field("invoice"), "bill %q is not on collection sheet %d", p.Invoice, s.ID)
		}
		if p.AmountPaise == 0 {
			continue // said unpaid
		}
		if p.AmountPaise < 0 || p.AmountPaise > billing.MaxDocumentPaise {
			return s, fail.Invalid(field("amount_paise"), "must be more than zero (paise), or 0 for unpaid")
		}
		if !modes[p.Mode] {
			return s, fail.Invalid(field("mode"), "%q: use cash, cheque or upi", p.Mode)
		}
		ref := ""
		switch p.Mode {
		case "cheque":
			switch {
			case p.ChequeNo == "" || len(p.ChequeNo) > 20:
				return s, fail.Invalid(field("cheque_no"), "give the cheque's number")
			case p.Bank == "":
				return s, fail.Invalid(field("bank"), "give the bank the cheque is drawn on")
			case p.ChequeDate == "" || !p.ChequeDate.Valid():
				return s, fail.Invalid(field("cheque_date"), "give the date on the cheque (YYYY-MM-DD)")
			}
			ref = p.ChequeNo
		case "upi":
			if p.Reference == "" || len(p.Reference) > 40 {
				return s, fail.Invalid(field("reference"), "give the UPI reference (UTR)")
			}
			ref = p.Reference
		default:
			if p.ChequeNo != "" || p.Reference != "" || p.ChequeDate != "" {
				return s, fail.Invalid(field("mode"), "cash carries no cheque number or reference")
			}
		}
		left, ok := due[p.Invoice]
		if !ok {
			r, err := billing.FindBill(tx, p.Invoice)
			if err != nil {
				return s, err
			}
			left = r.DuePaise
		}
		if p.AmountPaise > left {
			return s, fail.Invalid(field("amount_paise"), "₹%s is more than the ₹%s due on %s", p.AmountPaise, left, p.Invoice)
		}
		due[p.Invoice] = left - p.AmountPaise
		k := b.Outlet + "\x00" + p.Mode + "\x00" + ref
		g := groups[k]
		if g == nil {
			g = &instrument{outlet: b.Outlet, mode: p.Mode, ref: ref, bank: p.Bank, chequeDate: p.ChequeDate, by: map[string]money.Paise{}}
			groups[k] = g
			order = append(order, k)
		} else if p.Mode == "cheque" && (g.bank != p.Bank || g.chequeDate != p.ChequeDate) {
			return s, fail.Invalid(field("cheque_no"), "cheque %s is given with two banks or dates", p.ChequeNo)
		}
		if _, ok := g.by[p.Invoice]; !ok {
			g.bills = append(g.bills, p.Invoice)
		}
		g.by[p.Invoice] += p.AmountPaise
		g.amount += p.AmountPaise
		g.lines = append(g.lines, i)
		b.CollectedPaise += p.AmountPaise
	}
	for _, k := range order {
		g := groups[k]
		if g.amount > billing.MaxDocumentPaise {
			return s, fail.Invalid(fmt.Sprintf("bills[%d].amount_paise", g.lines[0]), "one receipt may bring in at most ₹%s", billing.MaxDocumentPaise)
		}
		r := billing.ReceiptInput{Outlet: g.outlet, Date: in.Date, Mode: g.mode, AmountPaise: g.amount, Reference: g.ref,
			Bank: g.bank, ChequeDate: g.chequeDate, OnAccount: true}
		for _, n := range g.bills {
			r.Allocations = append(r.Allocations, billing.Allocation{Invoice: n, AmountPaise: g.by[n]})
		}
		rct, err := billing.PostReceipt(tx, r)
		if err != nil {
			return s, fail.Prefix(fmt.Sprintf("bills[%d]", g.lines[0]), err)
		}
		s.Receipts = append(s.Receipts, rct.Number)
		for _, i := range g.lines {
			in.Bills[i].Receipt = rct.Number
		}
	}
	for _, p := range in.Bills {
		if p.AmountPaise != 0 {
			s.Payments = append(s.Payments, p)
		}
	}
	for i := range s.Bills {
		b := &s.Bills[i]
		s.CollectedPaise += b.CollectedPaise
		switch {
		case b.CollectedPaise == 0:
			b.Result = Unpaid
		case due[b.Invoice] == 0:
			b.Result = Paid
		default:
			b.Result = Short
		}
		if TaggedTo(tx, b.Invoice) == s.ID {
			if err := untag(tx, b.Invoice); err != nil {
				return s, err
			}
		}
	}
	before := summaryOf(&s)
	before.CollectedPaise = 0
	s.Status, s.SettledOn, s.SettledAt, s.SettledBy = StatusSettled, in.Date, Now(), tx.Actor.User
	s.SettleRequestID = in.RequestID
	if err := putSheet(tx, &s); err != nil {
		return s, err
	}
	if err := putRequest(tx, req, s.ID); err != nil {
		return s, err
	}
	return s, tx.Audit("settle", "collection", strconv.FormatInt(s.ID, 10), before, summaryOf(&s), strings.Join(s.Receipts, ", "))
}

// settleRequest is a settlement's request_id with the fingerprint of its
// sheet and body (nil when there is none), checking the request_id's form.
func settleRequest(id int64, in SettleInput) (*book.Request, error) {
	rid := in.RequestID
	in.RequestID = ""
	return book.NewRequest(rid, struct {
		Sheet int64       `json:"sheet"`
		Body  SettleInput `json:"body"`
	}{id, in})
}

// Filter narrows the list of sheets.
type Filter struct {
	From, To cal.Date
	Salesman string
	Status   string
}

// List returns the sheets of a filter, oldest first.
func List(tx *book.Tx, f Filter) ([]Summary, error) {
	if f.Status != "" && f.Status != StatusOpen && f.Status != StatusSettled {
		return nil, fail.Invalid("status", "use open or settled")
	}
	sm := masters.NormalizeCode(f.Salesman)
	out := []Summary{}
	err := scanSheets(tx, func(s *Sheet) (bool, error) {
		if (f.From == "" || s.Date >= f.From) && (f.To == "" || s.Date <= f.To) && (sm == "" || s.Salesman == sm) &&
			(f.Status == "" || s.Status == f.Status) {
			out = append(out, summaryOf(s))
		}
		return true, nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, err
}

// OpenBill is a bill that may be tagged, with the open sheet it is
// already on (0: none).
type OpenBill struct {
	Bill
	Sheet int64 `json:"sheet,omitempty"`
}

// OpenBillsOf lists the open bills of the outlets of a beat and/or a
// salesman as they stand on a day.
func OpenBillsOf(tx *book.Tx, beat, salesman string, on cal.Date) ([]OpenBill, error) {
	if beat == "" && salesman == "" {
		return nil, fail.Invalid("beat", "say which beat (or salesman) to collect from")
	}
	if !on.Valid() {
		return nil, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", on)
	}
	outlets, err := masters.ListOutlets(tx, masters.OutletFilter{Beat: beat, Salesman: salesman})
	if err != nil {
		return nil, err
	}
	out := []OpenBill{}
	for _, o := range outlets {
		os, err := billing.OutstandingOf(tx, o.Code, on)
		if err != nil {
			return nil, err
		}
		for _, ob := range os.Bills {
			if ob.DuePaise <= 0 || ob.Date > on {
				continue
			}
			b := Bill{Invoice: ob.Invoice, Outlet: o.Code, OutletName: o.Name, Beat: o.Beat, Date: ob.Date, DueDate: ob.DueDate,
				TotalPaise: ob.TotalPaise, DuePaise: ob.DuePaise, DaysOverdue: max(0, ob.DueDate.DaysUntil(on))}
			out = append(out, OpenBill{Bill: b, Sheet: TaggedTo(tx, ob.Invoice)})
		}
	}
	return out, nil
}

// FileName names a sheet's export: collection-sheet_12_20261125.xlsx.
func FileName(s *Sheet) string {
	return fmt.Sprintf("collection-sheet_%d_%s.xlsx", s.ID, s.Date.Compact())
}

// Export writes the sheet as the salesman carries it: outlet, bill, date,
// amount due, days overdue, and once settled what came in against each.
func Export(s *Sheet, out io.Writer) error {
	w := excel.NewExport(out, "Collection sheet", []excel.Column{
		{Title: "Outlet", Type: excel.Text},
		{Title: "Outlet name", Type: excel.Text, Width: 28},
		{Title: "Bill", Type: excel.Text, Width: 18},
		{Title: "Bill date", Type: excel.Date},
		{Title: "Amount due", Type: excel.Money, Total: true},
		{Title: "Days overdue", Type: excel.Int},
		{Title: "Collected", Type: excel.Money, Total: true},
		{Title: "Result", Type: excel.Text},
	})
	for _, b := range s.Bills {
		if err := w.Row(b.Outlet, b.OutletName, b.Invoice, b.Date, b.DuePaise, b.DaysOverdue, b.CollectedPaise, b.Result); err != nil {
			return err
		}
	}
	return w.Close()
}
