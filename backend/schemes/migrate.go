package schemes

import (
	"encoding/json"
	"fmt"

	"vitaran/backend/book"
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
			return true, claims.Put(r.Scheme+"\x00"+string(r.Date)+"\x00"+r.Invoice, nil)
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
