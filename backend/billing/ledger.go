package billing

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

// LedgerEntry is one line of an outlet's account: what it was debited
// (bills, a bounced cheque and its charge) or credited (receipts, credit
// notes), and the balance after it.
type LedgerEntry struct {
	Date         cal.Date    `json:"date"`
	Kind         string      `json:"kind"` // invoice, sales_return, receipt, cheque_bounce
	Number       string      `json:"number"`
	Narration    string      `json:"narration"`
	DebitPaise   money.Paise `json:"debit_paise"`
	CreditPaise  money.Paise `json:"credit_paise"`
	BalancePaise money.Paise `json:"balance_paise"` // what the outlet owes after this line
	at           time.Time   // when it was posted: the order within a day
}

// OutletLedger is an outlet's account for a period. Its closing balance on
// the day of its last document is the outlet's outstanding (due less money
// on account): a cancelled invoice is void from its own date and appears
// nowhere.
type OutletLedger struct {
	Outlet       string        `json:"outlet"`
	From         cal.Date      `json:"from,omitempty"`
	To           cal.Date      `json:"to,omitempty"`
	OpeningPaise money.Paise   `json:"opening_paise"`
	Entries      []LedgerEntry `json:"entries"`
	DebitPaise   money.Paise   `json:"debit_paise"`
	CreditPaise  money.Paise   `json:"credit_paise"`
	ClosingPaise money.Paise   `json:"closing_paise"`
}

// LedgerOf builds an outlet's account between two dates (either may be
// empty), oldest first.
func LedgerOf(tx *book.Tx, outlet string, from, to cal.Date) (OutletLedger, error) {
	o, err := cache.getOutlet(tx, outlet)
	if err != nil {
		return OutletLedger{}, err
	}
	if from != "" && !from.Valid() {
		return OutletLedger{}, fail.Invalid("from", "%q is not a date (YYYY-MM-DD)", from)
	}
	if to != "" && !to.Valid() {
		return OutletLedger{}, fail.Invalid("to", "%q is not a date (YYYY-MM-DD)", to)
	}
	var all []LedgerEntry
	err = invoicesOfOutlet(tx, o.Code, "", "", func(num string) (bool, error) {
		inv, err := GetInvoice(tx, num)
		if err != nil {
			return false, err
		}
		if inv.Counts() {
			all = append(all, LedgerEntry{Date: inv.Date, Kind: KindInvoice, Number: inv.Number, Narration: "Sales invoice", DebitPaise: inv.TotalPaise, at: inv.PostedAt})
		}
		return true, nil
	})
	if err != nil {
		return OutletLedger{}, err
	}
	rs, err := listDocs(tx, bReceipts, DocFilter{Limit: 1 << 30}, func(r *Receipt) bool { return r.Outlet == o.Code })
	if err != nil {
		return OutletLedger{}, err
	}
	for _, r := range rs {
		n := "Receipt (" + r.Mode
		if r.Reference != "" {
			n += " " + r.Reference
		}
		all = append(all, LedgerEntry{Date: r.Date, Kind: KindReceipt, Number: r.Number, Narration: n + ")", CreditPaise: r.AmountPaise, at: r.PostedAt})
	}
	err = eachCreditNote(tx, func(k string, sr *SalesReturn) (bool, error) {
		if sr.Outlet == o.Code {
			all = append(all, LedgerEntry{Date: sr.Date, Kind: KindSalesReturn, Number: k, Narration: "Credit note against " + sr.Invoice, CreditPaise: sr.TotalPaise, at: sr.PostedAt})
		}
		return true, nil
	})
	if err != nil {
		return OutletLedger{}, err
	}
	err = eachBounce(tx, func(k string, b *ChequeBounce) (bool, error) {
		if b.Outlet == o.Code {
			n := fmt.Sprintf("Cheque %s of receipt %s bounced: %s", b.Cheque, b.Receipt, b.Reason)
			if b.ChargePaise > 0 {
				n += fmt.Sprintf(" (charge ₹%s)", b.ChargePaise)
			}
			all = append(all, LedgerEntry{Date: b.Date, Kind: KindChequeBounce, Number: k, Narration: n, DebitPaise: b.AmountPaise + b.ChargePaise, at: b.PostedAt})
		}
		return true, nil
	})
	if err != nil {
		return OutletLedger{}, err
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Date != all[j].Date {
			return all[i].Date < all[j].Date
		}
		// on one day in the order posted; at one instant the bill, its
		// credit note, the money against it, the bounce of that money
		if !all[i].at.Equal(all[j].at) {
			return all[i].at.Before(all[j].at)
		}
		return ledgerOrder(all[i].Kind) < ledgerOrder(all[j].Kind) || (all[i].Kind == all[j].Kind && all[i].Number < all[j].Number)
	})
	l := OutletLedger{Outlet: o.Code, From: from, To: to, Entries: []LedgerEntry{}}
	var bal money.Paise
	for _, e := range all {
		if to != "" && e.Date > to {
			break
		}
		if bal, err = money.CheckedAdd(bal, e.DebitPaise-e.CreditPaise); err != nil {
			return l, fail.Conflict("outlet", "outlet %s's account adds up beyond any rupee figure", o.Code)
		}
		if from != "" && e.Date < from {
			l.OpeningPaise = bal
			continue
		}
		e.BalancePaise = bal
		l.Entries = append(l.Entries, e)
		l.DebitPaise += e.DebitPaise
		l.CreditPaise += e.CreditPaise
	}
	l.ClosingPaise = bal
	return l, nil
}

func ledgerOrder(kind string) int {
	return strings.Index("invoice sales_return receipt cheque_bounce", kind)
}
