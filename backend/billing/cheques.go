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

// A cheque is a receipt in mode cheque: its number is the receipt's
// reference, its bank and date ride on the receipt. The cheque register
// keeps where each cheque is (in hand, deposited, then cleared or bounced;
// a cleared cheque is the bank's money and can no longer bounce); a bounce is a
// document of its own, CHB/26-27/000001, that undoes the receipt on the
// day the bank returned the cheque:
//   - every bill the receipt settled is open again by what the receipt set
//     against it, and what it left on account is taken back;
//   - the bank's charge, if any, is a debit to the outlet: an open bill named
//     by the bounce's number, due like any other and settled by a later
//     receipt;
//   - it is audited and queued for Tally (a reversing journal) and head
//     office (which takes nothing from it) like every posting.
//
// Check proves outstanding from the documents with bounces counted in.

// The bounce's kind and series (its buckets are in store.go).
const (
	KindChequeBounce   = "cheque_bounce"
	PrefixChequeBounce = "CHB"
)

// Cheque statuses.
const (
	ChequeInHand    = "in_hand"
	ChequeDeposited = "deposited"
	ChequeBounced   = "bounced"
	ChequeCleared   = "cleared"
)

// A cheque is valid for three months from its date (RBI); a post-dated one
// is taken up to three months ahead.
const chequeValidDays = 91

// checkCheque checks a cheque receipt's bank and date.
func checkCheque(in *ReceiptInput) error {
	in.Bank = strings.TrimSpace(in.Bank)
	if len(in.Bank) > 60 {
		return fail.Invalid("bank", "at most 60 characters")
	}
	if in.Mode != "cheque" {
		if in.ChequeDate != "" {
			return fail.Invalid("cheque_date", "only a cheque has a cheque date (mode is %s)", in.Mode)
		}
		return nil
	}
	if in.ChequeDate == "" {
		return nil
	}
	if !in.ChequeDate.Valid() {
		return fail.Invalid("cheque_date", "%q is not a date (YYYY-MM-DD)", in.ChequeDate)
	}
	if n := in.ChequeDate.DaysUntil(in.Date); n > chequeValidDays {
		return fail.Invalid("cheque_date", "cheque of %s is stale on %s (valid three months)", in.ChequeDate.Display(), in.Date.Display())
	} else if n < -chequeValidDays {
		return fail.Invalid("cheque_date", "cheque of %s is dated more than three months after %s", in.ChequeDate.Display(), in.Date.Display())
	}
	return nil
}

// DueOn is what is still due on a posted invoice (0 when it is settled or
// cancelled).
func DueOn(tx *book.Tx, inv *Invoice) money.Paise {
	return getDue(tx, inv.Outlet, inv.Date, inv.Number)
}

// ChequeState is where a cheque is. A cheque never recorded is in hand.
type ChequeState struct {
	Status      string   `json:"status"`
	DepositedOn cal.Date `json:"deposited_on,omitempty"`
	ClearedOn   cal.Date `json:"cleared_on,omitempty"`
	BouncedOn   cal.Date `json:"bounced_on,omitempty"`
	Bounce      string   `json:"bounce,omitempty"` // the bounce document
}

// Cheque is a cheque receipt with its state.
type Cheque struct {
	Receipt
	ChequeState
}

func chequeState(tx *book.Tx, receipt string) ChequeState {
	var s ChequeState
	if !chequeStateOf(tx, receipt, &s) {
		s.Status = ChequeInHand
	}
	return s
}

// GetCheque returns a cheque receipt by its receipt's number.
func GetCheque(tx *book.Tx, receipt string) (Cheque, error) {
	r, err := GetReceipt(tx, strings.ToUpper(strings.TrimSpace(receipt)))
	if err != nil {
		return Cheque{}, err
	}
	if r.Mode != "cheque" {
		return Cheque{}, fail.Invalid("receipt", "receipt %s is %s, not a cheque", r.Number, r.Mode)
	}
	return Cheque{Receipt: r, ChequeState: chequeState(tx, r.Number)}, nil
}

// ListCheques returns the cheque receipts of a filter, in receipt order,
// those of one status when status is given.
func ListCheques(tx *book.Tx, f DocFilter, status string) ([]Cheque, error) {
	switch status {
	case "", ChequeInHand, ChequeDeposited, ChequeCleared, ChequeBounced:
	default:
		return nil, fail.Invalid("status", "use in_hand, deposited, cleared or bounced")
	}
	o := masters.NormalizeCode(f.Party)
	rs, err := listDocs(tx, bReceipts, f, func(r *Receipt) bool {
		return r.Mode == "cheque" && f.inRange(r.Date) && (o == "" || r.Outlet == o)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Cheque, 0, len(rs))
	for _, r := range rs {
		c := Cheque{Receipt: r, ChequeState: chequeState(tx, r.Number)}
		if status == "" || c.Status == status {
			out = append(out, c)
		}
	}
	return out, nil
}

// DepositCheque records a cheque in hand as paid into the bank on a day.
func DepositCheque(tx *book.Tx, receipt string, on cal.Date) (Cheque, error) {
	c, err := GetCheque(tx, receipt)
	if err != nil {
		return c, err
	}
	if err := validDate("date", on); err != nil {
		return c, err
	}
	if c.Status != ChequeInHand {
		return c, fail.Conflict("receipt", "cheque %s of receipt %s is already %s", c.Reference, c.Number, c.Status)
	}
	if on < c.Date {
		return c, fail.Invalid("date", "the cheque was received on %s: it cannot be deposited before", c.Date.Display())
	}
	before := c.ChequeState
	c.ChequeState = ChequeState{Status: ChequeDeposited, DepositedOn: on}
	if err := putChequeState(tx, c.Number, c.ChequeState); err != nil {
		return c, err
	}
	return c, tx.Audit("deposit", "cheque", c.Number, before, c.ChequeState, "")
}

// ClearCheque records a deposited cheque as cleared by the bank on a day:
// the money is in, and the cheque can no longer bounce.
func ClearCheque(tx *book.Tx, receipt string, on cal.Date) (Cheque, error) {
	c, err := GetCheque(tx, receipt)
	if err != nil {
		return c, err
	}
	if err := validDate("date", on); err != nil {
		return c, err
	}
	switch c.Status {
	case ChequeInHand:
		return c, fail.Conflict("receipt", "cheque %s of receipt %s was never deposited: record the deposit first", c.Reference, c.Number)
	case ChequeCleared, ChequeBounced:
		return c, fail.Conflict("receipt", "cheque %s of receipt %s is already %s", c.Reference, c.Number, c.Status)
	}
	if on < c.DepositedOn {
		return c, fail.Invalid("date", "the cheque was deposited on %s: it cannot clear before", c.DepositedOn.Display())
	}
	before := c.ChequeState
	c.ChequeState = ChequeState{Status: ChequeCleared, DepositedOn: c.DepositedOn, ClearedOn: on}
	if err := putChequeState(tx, c.Number, c.ChequeState); err != nil {
		return c, err
	}
	return c, tx.Audit("clear", "cheque", c.Number, before, c.ChequeState, "")
}

// BounceInput is what the bank said when it returned a cheque.
type BounceInput struct {
	Date        cal.Date    `json:"date"`
	Reason      string      `json:"reason"`
	ChargePaise money.Paise `json:"charge_paise,omitempty"` // debited to the outlet
}

// ChequeBounce undoes a cheque receipt the bank returned unpaid.
type ChequeBounce struct {
	Number      string      `json:"number"`
	Date        cal.Date    `json:"date"`
	Receipt     string      `json:"receipt"`
	Outlet      string      `json:"outlet"`
	Cheque      string      `json:"cheque"`
	Bank        string      `json:"bank,omitempty"`
	AmountPaise money.Paise `json:"amount_paise"` // the cheque's amount
	// Reopened is what the receipt had set against each bill, due again.
	Reopened []Allocation `json:"reopened"`
	// OnAccountPaise is what the receipt had left on account, taken back.
	OnAccountPaise money.Paise `json:"on_account_paise"`
	// ChargePaise is the bounce charge, due from the outlet as a bill
	// named by this document's number.
	ChargePaise money.Paise `json:"charge_paise"`
	Reason      string      `json:"reason"`
	PostedAt    time.Time   `json:"posted_at"`
	PostedBy    string      `json:"posted_by"`
}

// BounceCheque posts the bounce of a deposited cheque: its bills open
// again, the charge is due from the outlet, the cheque is bounced.
func BounceCheque(tx *book.Tx, receipt string, in BounceInput) (ChequeBounce, error) {
	return bounceCheque(tx, receipt, in, "")
}

// RecoverChequeBounce posts again, under its own number, a cheque bounce a
// restore lost and Tally still holds (the app rebuilds in from Tally's
// journal), against a receipt the book holds; the number is checked as
// RecoverInvoice's, the rest is BounceCheque. Tally does not hold when the
// cheque was paid in: one the book still has in hand is recorded
// deposited on the bounce's day first.
func RecoverChequeBounce(tx *book.Tx, number, receipt string, in BounceInput) (ChequeBounce, error) {
	c, err := GetCheque(tx, receipt)
	if err != nil {
		return ChequeBounce{}, err
	}
	if c.Status == ChequeInHand && in.Date >= c.Date {
		if _, err := DepositCheque(tx, c.Number, in.Date); err != nil {
			return ChequeBounce{}, err
		}
	}
	return bounceCheque(tx, receipt, in, number)
}

func bounceCheque(tx *book.Tx, receipt string, in BounceInput, recovered string) (ChequeBounce, error) {
	c, err := GetCheque(tx, receipt)
	if err != nil {
		return ChequeBounce{}, err
	}
	if err := validDate("date", in.Date); err != nil {
		return ChequeBounce{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "":
		return ChequeBounce{}, fail.Invalid("reason", "say why the bank returned it (e.g. funds insufficient)")
	case len(in.Reason) > 200:
		return ChequeBounce{}, fail.Invalid("reason", "at most 200 characters")
	case in.ChargePaise < 0:
		return ChequeBounce{}, fail.Invalid("charge_paise", "must not be negative")
	case in.ChargePaise > MaxRatePaise:
		return ChequeBounce{}, fail.Invalid("charge_paise", "₹%s is over the limit of ₹%s", in.ChargePaise, MaxRatePaise)
	}
	switch c.Status {
	case ChequeInHand:
		return ChequeBounce{}, fail.Conflict("receipt", "cheque %s of receipt %s was never deposited: record the deposit first", c.Reference, c.Number)
	case ChequeBounced:
		return ChequeBounce{}, fail.Conflict("receipt", "cheque %s of receipt %s already bounced (%s)", c.Reference, c.Number, c.Bounce)
	case ChequeCleared:
		return ChequeBounce{}, fail.Conflict("receipt", "cheque %s of receipt %s cleared on %s: a cleared cheque cannot bounce", c.Reference, c.Number, c.ClearedOn.Display())
	}
	if in.Date < c.DepositedOn {
		return ChequeBounce{}, fail.Invalid("date", "the cheque was deposited on %s: it cannot bounce before", c.DepositedOn.Display())
	}
	co, err := company(tx)
	if err != nil {
		return ChequeBounce{}, err
	}
	num, err := takeNumber(tx, recovered, bBounces, PrefixChequeBounce, in.Date, co.FYStartMonth)
	if err != nil {
		return ChequeBounce{}, err
	}
	b := ChequeBounce{Number: num, Date: in.Date, Receipt: c.Number, Outlet: c.Outlet, Cheque: c.Reference, Bank: c.Bank,
		AmountPaise: c.AmountPaise, Reopened: []Allocation{}, OnAccountPaise: c.OnAccountPaise, ChargePaise: in.ChargePaise,
		Reason: in.Reason, PostedAt: Now(), PostedBy: tx.Actor.User}
	for _, a := range c.Allocations {
		if err := reopen(tx, c.Outlet, a); err != nil {
			return ChequeBounce{}, err
		}
		b.Reopened = append(b.Reopened, a)
	}
	if err := addOnAccount(tx, c.Outlet, -c.OnAccountPaise); err != nil {
		return ChequeBounce{}, err
	}
	if b.ChargePaise > 0 {
		if err := addDue(tx, c.Outlet, b.Date, b.Number, b.ChargePaise); err != nil {
			return ChequeBounce{}, err
		}
	}
	if err := putBounce(tx, num, &b); err != nil {
		return ChequeBounce{}, err
	}
	st := ChequeState{Status: ChequeBounced, DepositedOn: c.DepositedOn, BouncedOn: b.Date, Bounce: num}
	if err := putChequeState(tx, c.Number, st); err != nil {
		return ChequeBounce{}, err
	}
	return b, posted(tx, KindChequeBounce, num, map[string]any{"number": num, "receipt": c.Number, "outlet": c.Outlet,
		"amount_paise": c.AmountPaise, "charge_paise": b.ChargePaise}, in.Reason)
}

// GetChequeBounce returns a bounce by number.
func GetChequeBounce(tx *book.Tx, number string) (ChequeBounce, error) {
	var b ChequeBounce
	ok, err := getBounce(tx, number, &b)
	if err == nil && !ok {
		err = fail.NotFound("cheque bounce", number)
	}
	return b, err
}

// billOf finds what a receipt may be set against: an invoice or a bounce's
// charge. It gives the bill's outlet, date and total.
func billOf(tx *book.Tx, number string) (outlet string, d cal.Date, total money.Paise, err error) {
	if strings.HasPrefix(number, PrefixChequeBounce+"/") {
		b, err := GetChequeBounce(tx, number)
		return b.Outlet, b.Date, b.ChargePaise, err
	}
	inv, err := GetInvoice(tx, number)
	return inv.Outlet, inv.Date, inv.TotalPaise, err
}

// reopen puts back on a bill what a bounced receipt had set against it.
func reopen(tx *book.Tx, outlet string, a Allocation) error {
	o, d, total, err := billOf(tx, a.Invoice)
	if err != nil {
		return fmt.Errorf("bill %s: %w", a.Invoice, err)
	}
	if o != outlet {
		return fmt.Errorf("bill %s is %s's, not %s's", a.Invoice, o, outlet)
	}
	_, due, open := getOpen(tx, outlet, d, a.Invoice)
	due += a.AmountPaise
	if due > total {
		return fail.Conflict("receipt", "bill %s would owe ₹%s of a ₹%s bill", a.Invoice, due, total)
	}
	opened := 0 // a bill the receipt had closed is one more open bill
	if !open {
		opened = 1
	}
	if err := addToDue(tx, outlet, a.AmountPaise, opened); err != nil {
		return err
	}
	return putOpen(tx, outlet, d, a.Invoice, total, due)
}

// checkBounces adds the bounces to what Check rebuilds outstanding from.
func checkBounces(tx *book.Tx, report reporter, add func(m map[string]money.Paise, k string, p money.Paise),
	dues, onAcct map[string]money.Paise, doc func(k string)) error {
	return eachBounce(tx, func(k string, b *ChequeBounce) (bool, error) {
		doc(k)
		if b.ChargePaise < 0 || b.ChargePaise > MaxRatePaise {
			report("cheque bounce %s: charge ₹%s is outside ₹0…₹%s", k, b.ChargePaise, MaxRatePaise)
		}
		if b.ChargePaise > 0 {
			add(dues, openKey(b.Outlet, b.Date, k), b.ChargePaise)
		}
		var sum money.Paise
		for _, a := range b.Reopened {
			sum += a.AmountPaise
			o, d, _, err := billOf(tx, a.Invoice)
			if err != nil {
				report("cheque bounce %s: reopens %s: %v", k, a.Invoice, err)
				continue
			}
			add(dues, openKey(o, d, a.Invoice), a.AmountPaise)
		}
		if sum+b.OnAccountPaise != b.AmountPaise {
			report("cheque bounce %s: reopened ₹%s and on account ₹%s do not make the cheque's ₹%s", k, sum, b.OnAccountPaise, b.AmountPaise)
		}
		add(onAcct, b.Outlet, -b.OnAccountPaise)
		if s := chequeState(tx, b.Receipt); s.Status != ChequeBounced || s.Bounce != k {
			report("cheque bounce %s: receipt %s's cheque is %s", k, b.Receipt, s.Status)
		}
		return true, nil
	})
}

// BillRef is anything a receipt may be set against, as it stands: an
// invoice that counts, or a bounce's charge.
type BillRef struct {
	Number     string      `json:"number"`
	Outlet     string      `json:"outlet"`
	Date       cal.Date    `json:"date"`
	TotalPaise money.Paise `json:"total_paise"`
	DuePaise   money.Paise `json:"due_paise"`
	Cancelled  bool        `json:"cancelled,omitempty"`
}

// FindBill finds a bill by number: an invoice, or a bounce (its charge).
func FindBill(tx *book.Tx, number string) (BillRef, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	o, d, total, err := billOf(tx, number)
	if err != nil {
		return BillRef{}, err
	}
	r := BillRef{Number: number, Outlet: o, Date: d, TotalPaise: total, DuePaise: getDue(tx, o, d, number)}
	if !strings.HasPrefix(number, PrefixChequeBounce+"/") {
		inv, err := GetInvoice(tx, number)
		if err != nil {
			return r, err
		}
		r.Cancelled = !inv.Counts()
	}
	return r, nil
}
