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

// lostBounce is a lost cheque bounce and the journal Tally holds of it.
type lostBounce struct {
	number string
	v      tallybridge.HeldVoucher
}

// bounceFromTally reads a cheque bounce back from the reversing journal the
// bridge wrote (posting's ChequeBounce): the receipt and the bank's reason
// from its narration ("Vitaran cheque bounce CHB/…; cheque 004512 of
// receipt RC/…; funds insufficient"), the charge from the New Ref the
// journal opens under the bounce's own number.
func bounceFromTally(number string, v tallybridge.HeldVoucher) (receipt string, in billing.BounceInput, err error) {
	if in.Date, err = tallyDay(v.Date); err != nil {
		return "", in, err
	}
	parts := narrationParts(v)
	if len(parts) > 1 {
		if _, r, ok := strings.Cut(parts[1], " of receipt "); ok {
			receipt = strings.TrimSpace(r)
		}
	}
	if receipt == "" {
		return "", in, fmt.Errorf("Tally's journal does not name the receipt whose cheque bounced (its narration is %q)", v.Narration)
	}
	in.Reason = "pulled back from Tally"
	if len(parts) > 2 {
		in.Reason = strings.Join(parts[2:], "; ")
	}
	if leg, ok := partyLeg(v); ok {
		for _, b := range leg.Bills {
			if strings.EqualFold(b.Type, "New Ref") && b.Name == number {
				in.ChargePaise += money.Paise(max(b.Amount, -b.Amount))
			}
		}
	}
	return receipt, in, nil
}

// keepBounce posts a lost cheque bounce back from Tally's journal inside
// tx, as the book's own bounce does (every bill the receipt set opened
// again, what it left on account taken back, the charge due from the
// outlet), and keeps it only if it comes out as Tally holds it: the same
// outlet, each bill reopened by Tally's Agst Ref, the charge, and the
// party's total. It marks it held by Tally and pulled.
func (a *App) keepBounce(tx *book.Tx, lb lostBounce, names posting.Names) error {
	v := lb.v
	receipt, in, err := bounceFromTally(lb.number, v)
	if err != nil {
		return err
	}
	leg, ok := partyLeg(v)
	if !ok {
		return fmt.Errorf("Tally's journal has no leg of its party %q", v.Party)
	}
	if _, err := billing.GetReceipt(tx, receipt); err != nil {
		return fmt.Errorf("its receipt %s is not in the book: pull or post it first", receipt)
	}
	b, err := billing.RecoverChequeBounce(tx, lb.number, receipt, in)
	if err != nil {
		return err
	}
	if o := names.Outlet(v.Party); o != b.Outlet {
		return fmt.Errorf("receipt %s is %s's; Tally's journal is on %q", receipt, b.Outlet, v.Party)
	}
	want, got := map[string]money.Paise{}, map[string]money.Paise{}
	for _, bl := range leg.Bills {
		if strings.EqualFold(bl.Type, "Agst Ref") {
			want[bl.Name] += money.Paise(max(bl.Amount, -bl.Amount))
		}
	}
	for _, al := range b.Reopened {
		if al.AmountPaise > 0 {
			got[al.Invoice] += al.AmountPaise
		}
	}
	for bill, amt := range want {
		if got[bill] != amt {
			return fmt.Errorf("bounced again by the book, %s opens again by ₹%s; Tally's journal ₹%s", bill, got[bill].Plain(), amt.Plain())
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("bounced again by the book, it opens bills Tally's journal does not")
	}
	if abs := money.Paise(max(leg.Amount, -leg.Amount)); abs != b.AmountPaise+b.ChargePaise {
		return fmt.Errorf("bounced again by the book the outlet owes ₹%s more (cheque ₹%s, charge ₹%s); Tally's journal ₹%s",
			(b.AmountPaise + b.ChargePaise).Plain(), b.AmountPaise.Plain(), b.ChargePaise.Plain(), abs.Plain())
	}
	if err := posting.MarkHeld(tx, billing.KindChequeBounce, lb.number, a.Now()); err != nil {
		return err
	}
	return markPulled(tx, billing.KindChequeBounce, lb.number, a.Now())
}

// pullBounce posts one lost cheque bounce back on its own, against a
// receipt the book holds (the backup had it, or it was pulled before).
func (a *App) pullBounce(ctx context.Context, lb lostBounce, names posting.Names) error {
	return a.update(ctx, func(tx *book.Tx) error { return a.keepBounce(tx, lb, names) })
}
