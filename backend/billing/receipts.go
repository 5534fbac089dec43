package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Outstanding is kept per open bill (outlet, date, invoice → total, due) and
// per outlet as money on account (receipts and credit notes not yet set
// against a bill). A bill leaves the open list when nothing is due on it.

func addDue(tx *book.Tx, outlet string, d cal.Date, inv string, total money.Paise) error {
	if err := addToDue(tx, outlet, total, 1); err != nil {
		return err
	}
	return putOpen(tx, outlet, d, inv, total, total)
}

// addToDue moves an outlet's due sum by delta and its count of open bills
// by bills, in the posting's transaction, before its open bill changes.
func addToDue(tx *book.Tx, outlet string, delta money.Paise, bills int) error {
	sum, n := dueOf(tx, outlet)
	sum, err := money.CheckedAdd(sum, delta)
	if err != nil {
		return fail.Conflict("outlet", "outlet %s's outstanding would be out of range", outlet)
	}
	return putDueOf(tx, outlet, sum, n+bills)
}

// getDue is what is still due on a bill (0 when it is settled or unknown).
func getDue(tx *book.Tx, outlet string, d cal.Date, inv string) money.Paise {
	_, due, _ := getOpen(tx, outlet, d, inv)
	return due
}

func dropDue(tx *book.Tx, outlet string, d cal.Date, inv string) error {
	if _, due, open := getOpen(tx, outlet, d, inv); open {
		if err := addToDue(tx, outlet, -due, -1); err != nil {
			return err
		}
	}
	return dropOpen(tx, outlet, d, inv)
}

// settle takes amount off a bill's due; what the bill cannot take is returned.
func settle(tx *book.Tx, outlet string, d cal.Date, inv string, amount money.Paise) (money.Paise, error) {
	total, due, open := getOpen(tx, outlet, d, inv)
	if !open {
		return amount, nil
	}
	take := min(due, amount)
	closed := 0
	if take == due {
		closed = -1
	}
	if take != 0 || closed != 0 {
		if err := addToDue(tx, outlet, -take, closed); err != nil {
			return amount, err
		}
	}
	due -= take
	if due == 0 {
		return amount - take, dropOpen(tx, outlet, d, inv)
	}
	return amount - take, putOpen(tx, outlet, d, inv, total, due)
}

func addOnAccount(tx *book.Tx, outlet string, p money.Paise) error {
	if p == 0 {
		return nil
	}
	n, err := money.CheckedAdd(onAccount(tx, outlet), p)
	if err != nil {
		return fail.Conflict("amount_paise", "outlet %s's amount on account would be out of range", outlet)
	}
	return putOnAccount(tx, outlet, n)
}

// outstandingOf is an outlet's net outstanding and its oldest open bill:
// two keys read, whatever the outlet's history (a bill leaves the open list
// when nothing is due on it, so the first one is the oldest unpaid).
// standing is what the credit check reads of an outlet: what it owes less
// what it holds on account, how many bills are open and the oldest one's
// date — one key for the sums and one seek for the oldest bill.
type standing struct {
	due    money.Paise
	bills  int
	oldest cal.Date
}

func outstandingOf(tx *book.Tx, outlet string) standing {
	var st standing
	openBills(tx, outlet, func(d cal.Date, _ string, _, due money.Paise) bool {
		if due > 0 {
			st.oldest = d
			return false
		}
		return true
	})
	due, n := dueOf(tx, outlet)
	st.due, st.bills = due-onAccount(tx, outlet), n
	return st
}

// Receipt modes.
var receiptModes = []string{"cash", "cheque", "upi", "bank"}

// Allocation sets part of a receipt against one invoice.
type Allocation struct {
	Invoice     string      `json:"invoice"`
	AmountPaise money.Paise `json:"amount_paise"`
}

// ReceiptInput is money received from an outlet. Without allocations it is
// set against the oldest bills first; what is left stays on account.
type ReceiptInput struct {
	Outlet      string      `json:"outlet"`
	Date        cal.Date    `json:"date"`
	Mode        string      `json:"mode"`
	AmountPaise money.Paise `json:"amount_paise"`
	Reference   string      `json:"reference,omitempty"` // cheque number, UTR
	// Bank and ChequeDate are a cheque's drawee bank and the date written
	// on it (cheques.go): the cheque register deposits and bounces by them.
	Bank        string       `json:"bank,omitempty"`
	ChequeDate  cal.Date     `json:"cheque_date,omitempty"`
	Allocations []Allocation `json:"allocations,omitempty"`
	// OnAccount keeps what the allocations leave (all of it, with none) on
	// account instead of setting it against the oldest bills: the
	// accountant's bill-by-bill choice.
	OnAccount bool `json:"on_account,omitempty"`
	// DateOverride (admins only) posts a date outside the company's window.
	DateOverride bool `json:"date_override,omitempty"`
	// RequestID is the client's own id for this posting: sent again, it
	// answers the document already posted (requests.go).
	RequestID string `json:"request_id,omitempty"`
	// recovered, set by RecoverReceipt only: the lost number taken back.
	recovered string
}

// Receipt is a posted receipt.
type Receipt struct {
	Number         string       `json:"number"`
	Date           cal.Date     `json:"date"`
	Outlet         string       `json:"outlet"`
	Mode           string       `json:"mode"`
	AmountPaise    money.Paise  `json:"amount_paise"`
	Reference      string       `json:"reference,omitempty"`
	Bank           string       `json:"bank,omitempty"`
	ChequeDate     cal.Date     `json:"cheque_date,omitempty"`
	Allocations    []Allocation `json:"allocations"`
	OnAccountPaise money.Paise  `json:"on_account_paise"`
	PostedAt       time.Time    `json:"posted_at"`
	PostedBy       string       `json:"posted_by"`
	RequestID      string       `json:"request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier posting.
	Replayed bool `json:"replayed,omitempty"`
}

// openBill finds a bill of an outlet by number: from the outlet's open
// bills when it is there (a few keys, no invoice to decode), else from the
// invoice itself so a settled or foreign bill is refused as before.
func openBill(tx *book.Tx, outlet, number string) (Invoice, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	var inv Invoice
	openBills(tx, outlet, func(d cal.Date, bill string, _, _ money.Paise) bool {
		if bill == number {
			inv = Invoice{Number: number, Date: d, Outlet: outlet, Status: StatusPosted}
			return false
		}
		return true
	})
	if inv.Number != "" {
		return inv, nil
	}
	return GetInvoice(tx, number)
}

// postReceipt posts a receipt against an outlet's bills.
func postReceipt(tx *book.Tx, in ReceiptInput) (Receipt, error) {
	in.Mode = strings.ToLower(strings.TrimSpace(in.Mode))
	if err := validDate("date", in.Date); err != nil {
		return Receipt{}, err
	}
	ok := false
	for _, m := range receiptModes {
		ok = ok || m == in.Mode
	}
	if !ok {
		return Receipt{}, fail.Invalid("mode", "%q: use cash, cheque, upi or bank", in.Mode)
	}
	if err := checkAmount("amount_paise", in.AmountPaise); err != nil {
		return Receipt{}, err
	}
	if in.Mode != "cash" && strings.TrimSpace(in.Reference) == "" {
		return Receipt{}, fail.Invalid("reference", "give the %s reference (cheque number or UTR)", in.Mode)
	}
	if err := checkCheque(&in); err != nil {
		return Receipt{}, err
	}
	co, err := company(tx)
	if err != nil {
		return Receipt{}, err
	}
	o, err := cache.getOutlet(tx, in.Outlet)
	if err != nil {
		if fail.Is(err, fail.KindNotFound) {
			return Receipt{}, fail.Invalid("outlet", "outlet %s does not exist", in.Outlet)
		}
		return Receipt{}, err
	}
	num, err := takeNumber(tx, in.recovered, bReceipts, PrefixReceipt, in.Date, co.FYStartMonth)
	if err != nil {
		return Receipt{}, err
	}
	r := Receipt{RequestID: in.RequestID, Number: num, Date: in.Date, Outlet: o.Code, Mode: in.Mode, AmountPaise: in.AmountPaise,
		Reference: strings.TrimSpace(in.Reference), Bank: in.Bank, ChequeDate: in.ChequeDate, Allocations: []Allocation{}, PostedAt: Now(), PostedBy: tx.Actor.User}
	left := in.AmountPaise
	if len(in.Allocations) > 0 || in.OnAccount {
		for i, a := range in.Allocations {
			inv, err := openBill(tx, o.Code, a.Invoice)
			if err != nil || inv.Outlet != o.Code || inv.Status != StatusPosted {
				return Receipt{}, fail.Invalid(fmt.Sprintf("allocations[%d].invoice", i), "invoice %s is not an open bill of %s", a.Invoice, o.Code)
			}
			due := getDue(tx, o.Code, inv.Date, inv.Number)
			if a.AmountPaise <= 0 || a.AmountPaise > due || a.AmountPaise > left {
				return Receipt{}, fail.Invalid(fmt.Sprintf("allocations[%d].amount_paise", i), "₹%s is due on %s and ₹%s is left of the receipt", due, inv.Number, left)
			}
			if _, err := settle(tx, o.Code, inv.Date, inv.Number, a.AmountPaise); err != nil {
				return Receipt{}, err
			}
			r.Allocations = append(r.Allocations, Allocation{Invoice: inv.Number, AmountPaise: a.AmountPaise})
			left -= a.AmountPaise
		}
	} else {
		type bill struct {
			d   cal.Date
			num string
			due money.Paise
		}
		var bills []bill
		var covered money.Paise // read the oldest bills only until the receipt is spent
		openBills(tx, o.Code, func(d cal.Date, num string, _, due money.Paise) bool {
			if due > 0 {
				bills = append(bills, bill{d, num, due})
				covered += due
			}
			return covered < left
		})
		for _, b := range bills {
			if left == 0 {
				break
			}
			take := min(b.due, left)
			if _, err := settle(tx, o.Code, b.d, b.num, take); err != nil {
				return Receipt{}, err
			}
			r.Allocations = append(r.Allocations, Allocation{Invoice: b.num, AmountPaise: take})
			left -= take
		}
	}
	r.OnAccountPaise = left
	if err := addOnAccount(tx, o.Code, left); err != nil {
		return Receipt{}, err
	}
	if err := putReceipt(tx, num, &r); err != nil {
		return Receipt{}, err
	}
	return r, posted(tx, KindReceipt, num, map[string]any{"number": num, "outlet": o.Code, "amount_paise": r.AmountPaise, "mode": r.Mode}, "")
}

// GetReceipt returns a receipt by number.
func GetReceipt(tx *book.Tx, number string) (Receipt, error) {
	var r Receipt
	ok, err := getReceipt(tx, number, &r)
	if err == nil && !ok {
		err = fail.NotFound("receipt", number)
	}
	return r, err
}

// OpenBill is one unpaid (or part-paid) invoice.
type OpenBill struct {
	Invoice    string      `json:"invoice"`
	Date       cal.Date    `json:"date"`
	DueDate    cal.Date    `json:"due_date"`
	TotalPaise money.Paise `json:"total_paise"`
	DuePaise   money.Paise `json:"due_paise"`
	Days       int         `json:"days"` // since the invoice date
	Overdue    bool        `json:"overdue"`
}

// Ageing buckets what is due by the age of the bill.
type Ageing struct {
	Upto30   money.Paise `json:"days_0_30_paise"`
	Upto60   money.Paise `json:"days_31_60_paise"`
	Upto90   money.Paise `json:"days_61_90_paise"`
	Over90   money.Paise `json:"days_over_90_paise"`
	Overdue  money.Paise `json:"overdue_paise"`
	Earliest cal.Date    `json:"oldest_bill,omitempty"`
}

func (a *Ageing) add(b OpenBill) {
	switch {
	case b.Days <= 30:
		a.Upto30 += b.DuePaise
	case b.Days <= 60:
		a.Upto60 += b.DuePaise
	case b.Days <= 90:
		a.Upto90 += b.DuePaise
	default:
		a.Over90 += b.DuePaise
	}
	if b.Overdue {
		a.Overdue += b.DuePaise
	}
	if a.Earliest == "" || b.Date < a.Earliest {
		a.Earliest = b.Date
	}
}

// OutletOutstanding is what an outlet owes, bill by bill, and its ageing.
type OutletOutstanding struct {
	Outlet           string      `json:"outlet"`
	Name             string      `json:"name"`
	CreditLimitPaise money.Paise `json:"credit_limit_paise"`
	CreditDays       int         `json:"credit_days"`
	DuePaise         money.Paise `json:"due_paise"`
	OnAccountPaise   money.Paise `json:"on_account_paise"`
	OutstandingPaise money.Paise `json:"outstanding_paise"` // due less on account
	Ageing           Ageing      `json:"ageing"`
	Bills            []OpenBill  `json:"bills"`
}

func outletOutstanding(tx *book.Tx, o *masters.Outlet, asOf cal.Date) OutletOutstanding {
	out := OutletOutstanding{Outlet: o.Code, Name: o.Name, CreditLimitPaise: o.CreditLimitPaise, CreditDays: o.CreditDays, Bills: []OpenBill{}}
	openBills(tx, o.Code, func(d cal.Date, num string, total, due money.Paise) bool {
		b := OpenBill{Invoice: num, Date: d, DueDate: d.AddDays(o.CreditDays), TotalPaise: total, DuePaise: due, Days: d.DaysUntil(asOf)}
		b.Overdue = b.DueDate < asOf
		out.Bills = append(out.Bills, b)
		out.DuePaise += due
		out.Ageing.add(b)
		return true
	})
	out.OnAccountPaise = onAccount(tx, o.Code)
	out.OutstandingPaise = out.DuePaise - out.OnAccountPaise
	return out
}

// OutstandingOf returns one outlet's outstanding as of a day.
func OutstandingOf(tx *book.Tx, outlet string, asOf cal.Date) (OutletOutstanding, error) {
	o, err := cache.getOutlet(tx, outlet)
	if err != nil {
		return OutletOutstanding{}, err
	}
	return outletOutstanding(tx, &o, asOf), nil
}

// AllOutstanding returns every outlet that owes or holds money, by code,
// without their bill lists.
func AllOutstanding(tx *book.Tx, asOf cal.Date) ([]OutletOutstanding, error) {
	order := outletsOnBooks(tx)
	out := make([]OutletOutstanding, 0, len(order))
	for _, c := range order {
		o, err := cache.getOutlet(tx, c)
		if err != nil {
			o = masters.Outlet{Code: c}
		}
		x := outletOutstanding(tx, &o, asOf)
		x.Bills = nil
		out = append(out, x)
	}
	return out, nil
}
