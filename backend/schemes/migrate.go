package schemes

import (
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Books before schema 2 kept redemptions in legacy buckets (store.go). The
// migration moves each to the compact layout under its own seq, then drops
// the old buckets.
func init() { book.OnMigrate(2, migrateRedemptions) }

func migrateRedemptions(tx *book.Tx) error {
	n, seq, err := eachLegacyRedemption(tx, func(r *Redemption) error { return rewriteRedemption(tx, r) })
	if err != nil {
		return err
	}
	if n > 0 {
		if err := setRedemptionSeq(tx, seq); err != nil {
			return err
		}
	}
	return dropLegacyRedemptions(tx)
}

// RedateReversals moves the reversals one return (or cancellation) wrote
// for an invoice to another date, keeping the claims index in step: only
// for a book migration restating what an old document meant (billing's
// cancellations, void from the invoice's own date since schema 3). Usage
// counters do not change. It answers how many reversals moved.
func RedateReversals(tx *book.Tx, invoiceNo, returnNo string, date cal.Date) (int, error) {
	if returnNo == "" || !date.Valid() {
		return 0, fmt.Errorf("redate reversals of %s: return number and date are required", invoiceNo)
	}
	all, err := Redemptions(tx, invoiceNo)
	if err != nil {
		return 0, err
	}
	type schemeDay struct {
		scheme string
		date   cal.Date
	}
	left := map[schemeDay]bool{}
	moved := 0
	for i := range all {
		r := &all[i]
		if r.Return != returnNo || r.Date == date {
			continue
		}
		left[schemeDay{r.Scheme, r.Date}] = true
		r.Date = date
		if err := rewriteRedemption(tx, r); err != nil {
			return moved, err
		}
		moved++
	}
	for i := range all {
		delete(left, schemeDay{all[i].Scheme, all[i].Date})
	}
	for sd := range left {
		if err := unclaim(tx, sd.scheme, sd.date, invoiceNo); err != nil {
			return moved, err
		}
	}
	return moved, nil
}
