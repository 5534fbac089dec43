package app

import (
	"context"
	"fmt"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// partyLeg is the voucher's leg of its party (the one with bill-wise
// allocations), or false.
func partyLeg(v tallybridge.HeldVoucher) (tallybridge.HeldLeg, bool) {
	for _, l := range v.Ledgers {
		if strings.EqualFold(l.Ledger, v.Party) {
			return l, true
		}
	}
	return tallybridge.HeldLeg{}, false
}

// narrationParts splits a narration the bridge wrote ("Vitaran return
// SR/…/0001 against SI/…/0002; reason") into its parts.
func narrationParts(v tallybridge.HeldVoucher) []string { return strings.Split(v.Narration, "; ") }

// pullReturn posts one credit note back from Tally's voucher, against the
// invoice it names (its Agst Ref, or its narration in day-summary mode,
// where the party is the summary's), which the book must hold: each
// voucher line returns its pieces of the invoice line that sold that
// batch, to the damaged godown when Tally has them there. The note is
// worked out by the book's rules (the invoice line's own figures pro rata,
// schemes reversed, stock back by batch) and kept only if it comes out as
// Tally holds it: per item the pieces, the free pieces and the value, per
// batch the pieces, and the note's total.
func (a *App) pullReturn(ctx context.Context, number string, v tallybridge.HeldVoucher, names posting.Names, damaged string) error {
	day, err := tallyDay(v.Date)
	if err != nil {
		return err
	}
	leg, ok := partyLeg(v)
	if !ok {
		return fmt.Errorf("Tally's voucher has no leg of its party %q", v.Party)
	}
	invoice := ""
	for _, b := range leg.Bills {
		if strings.EqualFold(b.Type, "Agst Ref") {
			invoice = b.Name
		}
	}
	parts := narrationParts(v)
	if _, against, ok := strings.Cut(parts[0], " against "); invoice == "" && ok {
		invoice = strings.TrimSpace(against)
	}
	if invoice == "" {
		return fmt.Errorf("Tally's voucher names no invoice it is against")
	}
	reason := "pulled back from Tally"
	if len(parts) > 1 {
		reason = strings.Join(parts[1:], "; ")
	}
	tally, batches := map[string]*figures{}, map[string]money.Qty{}
	for _, l := range v.Lines {
		item := names.Item(l.Item)
		if item == "" {
			return fmt.Errorf("Tally's stock item %q is no item of the book", l.Item)
		}
		figuresOf(tally, item).addTally(l)
		batches[item+"\x00"+l.Batch] += l.Actual
	}
	return a.update(ctx, func(tx *book.Tx) error {
		inv, err := billing.GetInvoice(tx, invoice)
		if err != nil {
			return fmt.Errorf("its invoice %s is not in the book: pull or post it first", invoice)
		}
		in := billing.SalesReturnInput{Invoice: inv.Number, Date: day, Reason: reason}
		free := false
		for _, l := range v.Lines {
			if l.Billed == 0 {
				free = true
				continue // free pieces come back with the line that earned them
			}
			item := names.Item(l.Item)
			line := 0
			for _, ln := range inv.Lines {
				if ln.Free || ln.Item != item {
					continue
				}
				if line == 0 {
					line = ln.No
				}
				if soldFrom(ln, l.Batch) {
					line = ln.No
					break
				}
			}
			if line == 0 {
				return fmt.Errorf("invoice %s sold no %s", inv.Number, item)
			}
			cond := "saleable"
			if strings.EqualFold(l.Godown, damaged) {
				cond = "damaged"
			}
			if n := len(in.Lines); n > 0 && in.Lines[n-1].Line == line && in.Lines[n-1].Condition == cond {
				in.Lines[n-1].Qty += l.Billed // another batch of the same line
				continue
			}
			in.Lines = append(in.Lines, billing.SalesReturnLineInput{Line: line, Qty: l.Billed, Condition: cond})
		}
		if !free {
			// Tally has no free pieces back: the outlet kept any the
			// return no longer earns (their value off the credit)
			seen := map[int]bool{}
			for i := range in.Lines {
				if !seen[in.Lines[i].Line] {
					seen[in.Lines[i].Line] = true
					zero := money.Qty(0)
					in.Lines[i].FreeRecovered = &zero
				}
			}
		}
		sr, err := billing.RecoverSalesReturn(tx, number, in)
		if err != nil {
			return err
		}
		got, gotBatches := map[string]*figures{}, map[string]money.Qty{}
		for _, l := range sr.Lines {
			figuresOf(got, l.Item).addBook(l.Free, l.Qty, l.TaxablePaise)
			for _, p := range l.Batches {
				gotBatches[l.Item+"\x00"+p.Batch] += p.Qty
			}
		}
		if err := sameFigures("worked out again", got, tally); err != nil {
			return err
		}
		for k, q := range batches {
			if gotBatches[k] != q || len(gotBatches) != len(batches) {
				item, batch, _ := strings.Cut(k, "\x00")
				return fmt.Errorf("worked out again by the book's rules, %s batch %q takes back %d; Tally's voucher %d", item, batch, gotBatches[k], q)
			}
		}
		if abs := money.Paise(max(leg.Amount, -leg.Amount)); abs != sr.TotalPaise {
			return fmt.Errorf("worked out again by the book's rules the note comes to ₹%s; Tally holds ₹%s", sr.TotalPaise.Plain(), abs.Plain())
		}
		if err := posting.MarkHeld(tx, billing.KindSalesReturn, number, a.Now()); err != nil {
			return err
		}
		return markPulled(tx, billing.KindSalesReturn, number, a.Now())
	})
}

// soldFrom is whether an invoice line took pieces of a batch.
func soldFrom(ln billing.Line, batch string) bool {
	for _, p := range ln.Batches {
		if p.Batch == batch {
			return true
		}
	}
	return false
}

// pullReceipt posts one receipt back from Tally's voucher: the outlet is
// its party, the amount its party leg, cash when the money went to the cash
// ledger (else the mode and reference its narration gives), set bill by
// bill as Tally's BILLALLOCATIONS.LIST say (each Agst Ref an invoice, the
// rest on account). It is kept only if the book sets it the same way.
// Tally does not hold a cheque's bank or date: they stay empty. A receipt
// whose cheque bounce was lost too comes back only with it, in the same
// transaction (keepBounce): alone it would count money the bank returned.
func (a *App) pullReceipt(ctx context.Context, number string, v tallybridge.HeldVoucher, names posting.Names, set posting.Settings, bounce *lostBounce) error {
	day, err := tallyDay(v.Date)
	if err != nil {
		return err
	}
	outlet := names.Outlet(v.Party)
	if outlet == "" {
		return fmt.Errorf("Tally's party %q is no outlet of the book (a day-summary party names none)", v.Party)
	}
	leg, ok := partyLeg(v)
	if !ok {
		return fmt.Errorf("Tally's voucher has no leg of its party %q", v.Party)
	}
	in := billing.ReceiptInput{Outlet: outlet, Date: day, AmountPaise: money.Paise(max(leg.Amount, -leg.Amount)), OnAccount: true}
	parts := narrationParts(v)
	if len(parts) > 1 {
		mode, ref, _ := strings.Cut(parts[1], " ")
		in.Mode, in.Reference = mode, strings.TrimSpace(ref)
	}
	cash := false
	for _, l := range v.Ledgers {
		cash = cash || strings.EqualFold(l.Ledger, set.CashLedger)
	}
	switch {
	case cash:
		in.Mode, in.Reference = "cash", ""
	case in.Mode == "" || in.Mode == "cash":
		return fmt.Errorf("Tally's voucher went to the bank but its narration %q does not say how it was paid", v.Narration)
	}
	want := map[string]money.Paise{}
	for _, b := range leg.Bills {
		if strings.EqualFold(b.Type, "Agst Ref") {
			amt := money.Paise(max(b.Amount, -b.Amount))
			in.Allocations = append(in.Allocations, billing.Allocation{Invoice: b.Name, AmountPaise: amt})
			want[b.Name] += amt
		}
	}
	return a.update(ctx, func(tx *book.Tx) error {
		r, err := billing.RecoverReceipt(tx, number, in)
		if err != nil {
			return err
		}
		got := map[string]money.Paise{}
		for _, al := range r.Allocations {
			if al.AmountPaise > 0 {
				got[al.Invoice] += al.AmountPaise
			}
		}
		for bill, amt := range want {
			if got[bill] != amt || len(got) != len(want) {
				return fmt.Errorf("set again by the book, %s takes ₹%s; Tally's voucher ₹%s", bill, got[bill].Plain(), amt.Plain())
			}
		}
		if err := posting.MarkHeld(tx, billing.KindReceipt, number, a.Now()); err != nil {
			return err
		}
		if err := markPulled(tx, billing.KindReceipt, number, a.Now()); err != nil {
			return err
		}
		if bounce == nil {
			return nil
		}
		if err := a.keepBounce(tx, *bounce, names); err != nil {
			return fmt.Errorf("its cheque bounce %s, lost too, could not come back with it (%v)", bounce.number, err)
		}
		return nil
	})
}
