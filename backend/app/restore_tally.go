package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// tallySeen is what Tally told a restore: the last number of each series
// among this book's vouchers, and the vouchers of documents the restored
// book does not have.
type tallySeen struct {
	asked bool  // Tally was set up and this book had sent it something
	err   error // Tally could not be asked
	last  map[string]uint64
	lost  map[string]tallybridge.HeldVoucher // kind \x00 number → voucher
	only  []TallyOnly                        // vouchers no restore pulls back
}

// askTally reads, through the restored book's settings, every voucher Tally
// holds of this book dated since, answering the highest numbers and what the
// book lacks. A restore asks it whether or not the replaced book can be read:
// numbering resumes above what Tally has seen, and a document only Tally
// still holds can be pulled back from it.
func askTally(b *book.Book, since cal.Date) tallySeen {
	var s tallySeen
	var set posting.Settings
	var names posting.Names
	err := b.View(func(tx *book.Tx) error {
		var err error
		if set, err = posting.GetSettings(tx); err != nil {
			return err
		}
		names, err = posting.TallyNames(tx)
		return err
	})
	if err != nil {
		s.err = err
		return s
	}
	if !names.Used && set.Company == "" {
		return s // Tally is not set up and this book never sent it anything
	}
	s.asked = true
	c := set.Client()
	if c.ReadTimeout > 2*time.Minute {
		c.ReadTimeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	vs, err := c.VouchersPaged(ctx, since.Time(), since.AddDays(800).Time())
	if err != nil {
		s.err = err
		return s
	}
	s.last, s.lost = map[string]uint64{}, map[string]tallybridge.HeldVoucher{}
	err = b.View(func(tx *book.Tx) error {
		known := "" // the day of the latest voucher of this book the backup knows
		var journals []tallybridge.HeldVoucher
		for _, v := range vs {
			if !names.Ours(v.RemoteID) {
				if v.Type == tallybridge.Journal.String() && !v.Cancelled {
					journals = append(journals, v)
				}
				continue
			}
			kind, number, ok := strings.Cut(strings.TrimPrefix(v.RemoteID, names.Prefix+":"), ":")
			if !ok {
				// a day summary names no document; one the backup never
				// sent holds lost invoices' totals
				if !v.Cancelled && !posting.InTally(tx, "day", v.Number) {
					s.only = append(s.only, daySummaryOnly(v))
				}
				continue
			}
			if series, n, ok := billing.SeriesOfNumber(number); ok && n > s.last[series] {
				s.last[series] = n
			}
			if !tx.IsQueued(book.TallyQueue, kind, number) {
				s.lost[kind+"\x00"+number] = v
			} else if v.Date > known {
				known = v.Date
			}
		}
		// the accountant's journals on the book's outlets, past the backup
		for _, v := range journals {
			if o := outletOf(v, names); o != "" && known != "" && v.Date > known {
				s.only = append(s.only, journalOnly(v, o))
			}
		}
		return nil
	})
	if err != nil {
		s.err = err
	}
	return s
}

// words says in a few words what Tally told the restore.
func (s tallySeen) words() string {
	switch {
	case !s.asked:
		return "Tally is not set up and was never sent anything by this book"
	case s.err != nil:
		return "Tally could not be asked (" + s.err.Error() + ")"
	}
	return fmt.Sprintf("Tally answered: it holds numbers of %d series and %d documents the backup does not have", len(s.last), len(s.lost))
}

// pullable is whether a held voucher can be pulled back into the book: a
// live voucher of the document's own — the invoice-wise Sales voucher of an
// invoice, the Credit Note of a sales return, the Receipt of a receipt, the
// reversing Journal of a cheque bounce. A
// day summary names no document (nor its outlets) and never is.
func pullable(kind string, v tallybridge.HeldVoucher) bool {
	if v.Cancelled {
		return false
	}
	switch kind {
	case billing.KindInvoice:
		return v.Type == tallybridge.Sales.String() && len(v.Lines) > 0
	case billing.KindSalesReturn:
		return v.Type == tallybridge.CreditNote.String() && len(v.Lines) > 0
	case billing.KindReceipt:
		return v.Type == tallybridge.Receipt.String() && len(v.Ledgers) > 0
	case billing.KindChequeBounce:
		return v.Type == tallybridge.Journal.String() && len(v.Ledgers) > 0
	}
	return false
}

// mergeTallyLost adds what Tally told to the lost documents: whether Tally
// holds each, whether it can be pulled back, and the documents only Tally
// named (the replaced book could not be read, or did not know them).
func mergeTallyLost(lost []LostDoc, ty tallySeen) []LostDoc {
	seen := map[string]bool{}
	for i := range lost {
		k := lost[i].Kind + "\x00" + lost[i].Number
		seen[k] = true
		v, ok := ty.lost[k]
		if ok {
			lost[i].InTally = true
			lost[i].FromTally = pullable(lost[i].Kind, v)
		}
		lost[i].Why = whyNotPulled(lost[i], v, ok, ty)
	}
	var extra []LostDoc
	for k, v := range ty.lost {
		if seen[k] {
			continue
		}
		kind, number, _ := strings.Cut(k, "\x00")
		if kind == billing.KindCancel {
			continue // a cancellation is its invoice's voucher, named already
		}
		d := LostDoc{Kind: kind, Number: number, InTally: true, AtHeadOffice: "unknown", FromTally: pullable(kind, v)}
		d.Why = whyNotPulled(d, v, true, ty)
		extra = append(extra, d)
	}
	slices.SortFunc(extra, func(a, b LostDoc) int { return cmp.Compare(a.Kind+"\x00"+a.Number, b.Kind+"\x00"+b.Number) })
	return append(lost, extra...)
}
