package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// PullReport says which lost documents a pull brought back from Tally and
// why the others could not come.
type PullReport struct {
	Pulled    []string          `json:"pulled"`
	NotPulled map[string]string `json:"not_pulled"` // number → reason
	Summary   []string          `json:"summary"`
}

// PullFromTally posts back into the book, under their own numbers, the
// invoices the last restore lost that Tally still holds as live vouchers:
// each is rebuilt from Tally's voucher (outlet, date, items, quantities and
// rates), billed again by the book's rules (schemes, GST, FEFO stock) and
// kept only if it comes out as Tally holds it — to the paisa and the piece
// per item — so the book, Tally and head office tell the same sale again.
// Tally is recorded as holding it: nothing is sent there twice.
func (a *App) PullFromTally(ctx context.Context) (PullReport, error) {
	out := PullReport{Pulled: []string{}, NotPulled: map[string]string{}}
	st, err := a.RestoreStatus()
	if err != nil {
		return out, err
	}
	if st.Restore == nil {
		return out, fail.Conflict("restore", "the book was never restored: nothing was lost")
	}
	var want []string
	for _, d := range st.Restore.Lost {
		if d.FromTally && d.Pulled == "" {
			want = append(want, d.Number)
		}
	}
	if len(want) == 0 {
		out.Summary = []string{"Nothing to pull back: Tally holds no lost invoice that is not already in the book."}
		return out, nil
	}
	var set posting.Settings
	var names posting.Names
	err = a.view(func(tx *book.Tx) error {
		if set, err = posting.GetSettings(tx); err != nil {
			return err
		}
		names, err = posting.TallyNames(tx)
		return err
	})
	if err != nil {
		return out, err
	}
	since := cal.Of(st.Restore.At.In(cal.IST)).AddDays(-400)
	vs, err := set.Client().VouchersPaged(ctx, since.Time(), since.AddDays(800).Time())
	if err != nil {
		return out, fail.Conflict("tally", "Tally could not be asked for the lost invoices: %v", err)
	}
	byID := map[string]tallybridge.HeldVoucher{}
	for _, v := range vs {
		byID[v.RemoteID] = v
	}
	for _, number := range want {
		v, ok := byID[names.Prefix+":"+posting.QueueID(billing.KindInvoice, number)]
		if !ok || !pullable(billing.KindInvoice, v) {
			out.NotPulled[number] = "Tally no longer holds it as a live invoice"
			continue
		}
		if err := a.pullInvoice(ctx, number, v, names); err != nil {
			out.NotPulled[number] = err.Error()
			continue
		}
		out.Pulled = append(out.Pulled, number)
	}
	out.Summary = append(out.Summary, fmt.Sprintf("%d lost invoices pulled back from Tally under their own numbers, stock moved.", len(out.Pulled)))
	for _, n := range want {
		if r, ok := out.NotPulled[n]; ok {
			out.Summary = append(out.Summary, fmt.Sprintf("  not pulled: %s: %s. Post it again by hand if it happened.", n, r))
		}
	}
	return out, nil
}

// pullInvoice posts one invoice back from Tally's voucher, in one
// transaction that also marks it held by Tally and pulled in the restore's
// report; a rebuilt invoice that differs from Tally's is refused whole.
func (a *App) pullInvoice(ctx context.Context, number string, v tallybridge.HeldVoucher, names posting.Names) error {
	outlet := names.Outlet(v.Party)
	if outlet == "" {
		return fmt.Errorf("Tally's party %q is no outlet of the book", v.Party)
	}
	day, err := tallyDay(v.Date)
	if err != nil {
		return err
	}
	type figures struct {
		qty, free money.Qty
		taxable   money.Paise
	}
	tally := map[string]*figures{}
	in := billing.InvoiceInput{Outlet: outlet, Date: day}
	for _, l := range v.Lines {
		item := names.Item(l.Item)
		if item == "" {
			return fmt.Errorf("Tally's stock item %q is no item of the book", l.Item)
		}
		f := tally[item]
		if f == nil {
			f = &figures{}
			tally[item] = f
		}
		f.qty, f.free, f.taxable = f.qty+l.Billed, f.free+l.Actual-l.Billed, f.taxable+l.Amount
		if l.Billed == 0 {
			continue // a scheme's free row: the book's schemes give it again
		}
		rate := l.Rate
		if n := len(in.Lines); n > 0 && in.Lines[n-1].Item == item && *in.Lines[n-1].RatePaise == rate {
			in.Lines[n-1].Qty += l.Billed // another batch of the same line
			continue
		}
		in.Lines = append(in.Lines, billing.LineInput{Item: item, Qty: l.Billed, RatePaise: &rate})
	}
	return a.update(ctx, func(tx *book.Tx) error {
		inv, err := billing.RecoverInvoice(tx, number, in)
		if err != nil {
			return err
		}
		got := map[string]*figures{}
		for _, l := range inv.Lines {
			f := got[l.Item]
			if f == nil {
				f = &figures{}
				got[l.Item] = f
			}
			if l.Free {
				f.free += l.Qty
			} else {
				f.qty += l.Qty
			}
			f.taxable += l.TaxablePaise
		}
		for item, t := range tally {
			if b := got[item]; b == nil || *b != *t {
				if b == nil {
					b = &figures{}
				}
				return fmt.Errorf("billed again by the book's rules, %s comes to %d + %d free, ₹%s; Tally holds %d + %d free, ₹%s",
					item, b.qty, b.free, b.taxable.Plain(), t.qty, t.free, t.taxable.Plain())
			}
		}
		if len(got) != len(tally) {
			return fmt.Errorf("billed again by the book's rules it has items Tally's voucher has not")
		}
		if err := posting.MarkHeld(tx, billing.KindInvoice, number, a.Now()); err != nil {
			return err
		}
		return markPulled(tx, number, a.Now())
	})
}

// markPulled stamps the lost document pulled in the restore's report.
func markPulled(tx *book.Tx, number string, at time.Time) error {
	raw := lastRestore(tx)
	if raw == nil {
		return nil
	}
	var r RestoreReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	for i := range r.Lost {
		if r.Lost[i].Kind == billing.KindInvoice && r.Lost[i].Number == number {
			r.Lost[i].Pulled = at.UTC().Format(time.RFC3339)
		}
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return putLastRestore(tx, raw)
}
