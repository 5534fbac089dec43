package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
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
// documents the last restore lost that Tally still holds as live vouchers
// of their own: invoices, credit notes, receipts and cheque bounces, oldest
// first in the order Tally took them, so a note finds its invoice, a
// receipt the bills it settled and a bounce its receipt (a receipt whose
// bounce was lost too comes back only with it). Each is rebuilt from
// Tally's voucher and posted again by the book's rules (pullInvoice,
// pullReturn, pullReceipt, pullBounce), kept only if it
// comes out as Tally holds it — to the paisa and the piece — so the book,
// Tally and head office tell the same story again. Tally is recorded as
// holding it: nothing is sent there twice. A day summary names no document
// and is never pulled.
func (a *App) PullFromTally(ctx context.Context) (PullReport, error) {
	out := PullReport{Pulled: []string{}, NotPulled: map[string]string{}}
	st, err := a.RestoreStatus()
	if err != nil {
		return out, err
	}
	if st.Restore == nil {
		return out, fail.Conflict("restore", "the book was never restored: nothing was lost")
	}
	var want []LostDoc
	for _, d := range st.Restore.Lost {
		// a restore before bounces were pulled back said a bounce's
		// journal could not be: Tally is asked again below
		if (d.FromTally || (d.InTally && d.Kind == billing.KindChequeBounce)) && d.Pulled == "" {
			want = append(want, d)
		}
	}
	// what Tally holds but no pull brings back, named with what to do
	var named []string
	for _, d := range st.Restore.Lost {
		if d.Why != "" && !d.FromTally && d.Pulled == "" && d.Kind != billing.KindChequeBounce {
			out.NotPulled[d.Number] = d.Why
			named = append(named, fmt.Sprintf("  not pulled: %s: %s.", d.Number, d.Why))
		}
	}
	for _, v := range st.Restore.TallyOnly {
		named = append(named, fmt.Sprintf("  in Tally only: %s.", v.Why))
	}
	if len(want) == 0 {
		out.Summary = append([]string{"Nothing to pull back: Tally holds no lost document of its own that is not already in the book."}, named...)
		return out, nil
	}
	var set posting.Settings
	var names posting.Names
	damaged := stock.DamagedGodown
	err = a.view(func(tx *book.Tx) error {
		if set, err = posting.GetSettings(tx); err != nil {
			return err
		}
		if names, err = posting.TallyNames(tx); err != nil {
			return err
		}
		gs, err := masters.ListGodowns(tx, "")
		for _, g := range gs {
			if g.Code == stock.DamagedGodown && g.Name != "" {
				damaged = g.Name
			}
		}
		return err
	})
	if err != nil {
		return out, err
	}
	since := cal.Of(st.Restore.At.In(cal.IST)).AddDays(-400)
	vs, err := set.Client().VouchersPaged(ctx, since.Time(), since.AddDays(800).Time())
	if err != nil {
		return out, fail.Conflict("tally", "Tally could not be asked for the lost documents: %v", err)
	}
	byID := map[string]tallybridge.HeldVoucher{}
	for _, v := range vs {
		byID[v.RemoteID] = v
	}
	held := func(d LostDoc) (tallybridge.HeldVoucher, bool) {
		v, ok := byID[names.Prefix+":"+posting.QueueID(d.Kind, d.Number)]
		return v, ok && pullable(d.Kind, v)
	}
	slices.SortStableFunc(want, func(x, y LostDoc) int {
		vx, _ := held(x)
		vy, _ := held(y)
		return cmp.Or(cmp.Compare(vx.Date, vy.Date), cmp.Compare(vx.MasterID, vy.MasterID))
	})
	counts := map[string]int{}
	withReceipt := map[string]bool{} // bounces settled with their receipt
	for _, d := range want {
		if withReceipt[d.Number] {
			continue
		}
		v, ok := held(d)
		if !ok {
			out.NotPulled[d.Number] = "Tally no longer holds it as a live voucher of its own"
			continue
		}
		var bounce *lostBounce
		if b := bouncedBy(st.Restore.Lost, byID, names, d); b != "" {
			bv, ok := held(LostDoc{Kind: billing.KindChequeBounce, Number: b})
			if !ok {
				out.NotPulled[d.Number] = "its cheque bounced (" + b + ", lost too, and Tally's journal of it cannot be pulled back): post the receipt and the bounce again by hand"
				continue
			}
			bounce = &lostBounce{number: b, v: bv}
			withReceipt[b] = true
		}
		switch d.Kind {
		case billing.KindInvoice:
			err = a.pullInvoice(ctx, d.Number, v, names)
		case billing.KindSalesReturn:
			err = a.pullReturn(ctx, d.Number, v, names, damaged)
		case billing.KindReceipt:
			err = a.pullReceipt(ctx, d.Number, v, names, set, bounce)
		case billing.KindChequeBounce:
			err = a.pullBounce(ctx, lostBounce{number: d.Number, v: v}, names)
		default:
			err = fmt.Errorf("a %s cannot be pulled back", d.Kind)
		}
		if err != nil {
			out.NotPulled[d.Number] = err.Error()
			if bounce != nil {
				out.NotPulled[bounce.number] = "it comes back only with its receipt " + d.Number + ", which could not be pulled back: post the receipt and the bounce again by hand"
			}
			continue
		}
		out.Pulled = append(out.Pulled, d.Number)
		counts[d.Kind]++
		if bounce != nil {
			out.Pulled = append(out.Pulled, bounce.number)
			counts[billing.KindChequeBounce]++
		}
	}
	out.Summary = append(out.Summary, fmt.Sprintf("%d lost documents pulled back from Tally under their own numbers (%d invoices, %d credit notes, %d receipts, %d cheque bounces), stock moved and bills set as Tally holds them.",
		len(out.Pulled), counts[billing.KindInvoice], counts[billing.KindSalesReturn], counts[billing.KindReceipt], counts[billing.KindChequeBounce]))
	for _, d := range want {
		if r, ok := out.NotPulled[d.Number]; ok {
			out.Summary = append(out.Summary, fmt.Sprintf("  not pulled: %s: %s. Post it again by hand if it happened.", d.Number, r))
		}
	}
	out.Summary = append(out.Summary, named...)
	return out, nil
}

// figures are one item's pieces and taxable value on a pulled voucher, as
// Tally holds them or as the book works them out again.
type figures struct {
	qty, free money.Qty
	taxable   money.Paise
}

// figuresOf is item's figures in m, new ones put in m if it has none yet.
func figuresOf(m map[string]*figures, item string) *figures {
	f := m[item]
	if f == nil {
		f = &figures{}
		m[item] = f
	}
	return f
}

// addTally adds one of Tally's voucher lines: the pieces past those billed
// are free.
func (f *figures) addTally(l tallybridge.HeldLine) {
	f.qty, f.free, f.taxable = f.qty+l.Billed, f.free+l.Actual-l.Billed, f.taxable+l.Amount
}

// addBook adds one of the book's lines, free or billed.
func (f *figures) addBook(free bool, qty money.Qty, taxable money.Paise) {
	if free {
		f.free += qty
	} else {
		f.qty += qty
	}
	f.taxable += taxable
}

// sameFigures refuses a document the book worked out (how: "billed again")
// to figures other than Tally's, naming the first item that differs.
func sameFigures(how string, got, tally map[string]*figures) error {
	for item, t := range tally {
		if b := got[item]; b == nil || *b != *t {
			if b == nil {
				b = &figures{}
			}
			return fmt.Errorf("%s by the book's rules, %s comes to %d + %d free, ₹%s; Tally holds %d + %d free, ₹%s",
				how, item, b.qty, b.free, b.taxable.Plain(), t.qty, t.free, t.taxable.Plain())
		}
	}
	if len(got) != len(tally) {
		return fmt.Errorf("%s by the book's rules it has items Tally's voucher has not", how)
	}
	return nil
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
	tally := map[string]*figures{}
	in := billing.InvoiceInput{Outlet: outlet, Date: day}
	for _, l := range v.Lines {
		item := names.Item(l.Item)
		if item == "" {
			return fmt.Errorf("Tally's stock item %q is no item of the book", l.Item)
		}
		figuresOf(tally, item).addTally(l)
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
			figuresOf(got, l.Item).addBook(l.Free, l.Qty, l.TaxablePaise)
		}
		if err := sameFigures("billed again", got, tally); err != nil {
			return err
		}
		if err := posting.MarkHeld(tx, billing.KindInvoice, number, a.Now()); err != nil {
			return err
		}
		return markPulled(tx, billing.KindInvoice, number, a.Now())
	})
}

// bouncedBy names the lost cheque bounce Tally holds against a lost
// receipt: pulling the receipt alone would count money the bank returned.
func bouncedBy(lost []LostDoc, byID map[string]tallybridge.HeldVoucher, names posting.Names, d LostDoc) string {
	if d.Kind != billing.KindReceipt {
		return ""
	}
	for _, l := range lost {
		if l.Kind != billing.KindChequeBounce {
			continue
		}
		v, ok := byID[names.Prefix+":"+posting.QueueID(l.Kind, l.Number)]
		if ok && !v.Cancelled && strings.Contains(v.Narration+";", "of receipt "+d.Number+";") {
			return l.Number
		}
	}
	return ""
}

// markPulled stamps the lost document pulled in the restore's report.
func markPulled(tx *book.Tx, kind, number string, at time.Time) error {
	raw := lastRestore(tx)
	if raw == nil {
		return nil
	}
	var r RestoreReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	for i := range r.Lost {
		if r.Lost[i].Kind == kind && r.Lost[i].Number == number {
			r.Lost[i].Pulled = at.UTC().Format(time.RFC3339)
		}
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return putLastRestore(tx, raw)
}
