package app

import (
	"fmt"

	"vitaran/backend/billing"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// What a restore never pulls back from Tally, named in plain words with
// what the clerk must do: a day summary (the day's totals per GST rate, no
// invoice in it), a journal the bridge did not post, and a lost document
// Tally holds other than as the live voucher the bridge posts for it.

// daySummaryOnly names a day summary Tally holds that the restored book
// never sent.
func daySummaryOnly(v tallybridge.HeldVoucher) TallyOnly {
	d, _ := tallyDay(v.Date)
	return TallyOnly{Type: v.Type, Number: v.Number, Date: d, Party: v.Party,
		Why: fmt.Sprintf("day summary %s of %s is not pulled back: it holds only that day's totals per GST rate, no invoice, outlet, item or batch. "+
			"Bill that day's lost invoices again from their printed copies, dated %s: the book then sends the day's summary again and Tally's is altered to hold them, not counted twice",
			v.Number, d.Display(), d.Display())}
}

// journalOnly names a journal on an outlet that the bridge did not post
// (the accountant's own, in Tally alone), dated after what the backup knows.
func journalOnly(v tallybridge.HeldVoucher, outlet string) TallyOnly {
	d, _ := tallyDay(v.Date)
	party := v.Party
	if party == "" {
		party = outlet
	}
	return TallyOnly{Type: v.Type, Number: v.Number, Date: d, Party: party,
		Why: fmt.Sprintf("journal %s of %s on %s was not posted by Vitaran and is never pulled back: if it changed what the outlet owes "+
			"(a discount, a write-off, a bounce entered in Tally by hand), post the same in the book; else it stays in Tally alone", v.Number, d.Display(), party)}
}

// outletOf is the book's outlet a voucher's ledgers name, or "".
func outletOf(v tallybridge.HeldVoucher, names posting.Names) string {
	if o := names.Outlet(v.Party); o != "" {
		return o
	}
	for _, l := range v.Ledgers {
		if o := names.Outlet(l.Ledger); o != "" {
			return o
		}
	}
	return ""
}

// whyNotPulled says why a lost document Tally holds cannot be pulled back
// from it and what the clerk must do; "" when it can, or when Tally was not
// asked. v is Tally's voucher under the document's REMOTEID when held.
func whyNotPulled(d LostDoc, v tallybridge.HeldVoucher, held bool, ty tallySeen) string {
	switch {
	case d.FromTally || !ty.asked || ty.err != nil:
		return ""
	case held && v.Cancelled:
		return "Tally holds its voucher cancelled, so there is nothing to pull back: post it again only if it really happened (it takes a new number)"
	case held:
		return fmt.Sprintf("Tally holds it as a %s voucher, which is not pulled back (only the bridge's own vouchers of invoices, credit notes, receipts and cheque bounces are): "+
			"post it again by hand from the paper (it takes a new number) and cancel voucher %s in Tally so it is not counted twice", v.Type, v.Number)
	case d.InTally && d.Kind == billing.KindInvoice:
		return "Tally holds it only inside its day's summary, which holds that day's totals per GST rate, no invoice, outlet, item or batch, so it is not pulled back: " +
			"bill it again from the printed copy, dated its own day; the book then sends the day's summary again and Tally's is altered to hold it, not counted twice"
	}
	return ""
}
