package schemes

import (
	"encoding/json"
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Books before schema 2 kept redemptions as JSON keyed by scheme, date and
// seq, with a second bucket indexing them by invoice. The migration moves
// each to the compact layout under its own seq, then drops the old buckets.
const (
	oldRedeemed = "redemptions"
	oldByInv    = "redemptions.invoice"
)

func init() { book.OnMigrate(2, migrateRedemptions) }

func migrateRedemptions(tx *book.Tx) error {
	old := tx.Bucket(oldRedeemed)
	if old.Len() > 0 {
		main, claims := tx.Bucket(bucketRedeemed), tx.Bucket(bucketClaims)
		err := old.Scan("", func(k string, v []byte) (bool, error) {
			var r Redemption
			if err := json.Unmarshal(v, &r); err != nil {
				return false, fmt.Errorf("migrate redemption %q: %w", k, err)
			}
			if err := main.Put(redemptionKey(r.Invoice, r.Seq), appendRedemption(nil, &r)); err != nil {
				return false, err
			}
			return true, claims.Put(claimKey(r.Scheme, r.Date, r.Invoice), nil)
		})
		if err != nil {
			return err
		}
		if err := main.SetSeq(old.Seq()); err != nil {
			return err
		}
	}
	if err := tx.DropBucket(oldRedeemed); err != nil {
		return err
	}
	return tx.DropBucket(oldByInv)
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
	main, claims := tx.Bucket(bucketRedeemed), tx.Bucket(bucketClaims)
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
		if err := main.Put(redemptionKey(r.Invoice, r.Seq), appendRedemption(nil, r)); err != nil {
			return moved, err
		}
		if err := claims.Put(claimKey(r.Scheme, date, invoiceNo), nil); err != nil {
			return moved, err
		}
		moved++
	}
	for i := range all {
		delete(left, schemeDay{all[i].Scheme, all[i].Date})
	}
	for sd := range left {
		if err := claims.Delete(claimKey(sd.scheme, sd.date, invoiceNo)); err != nil {
			return moved, err
		}
	}
	return moved, nil
}
