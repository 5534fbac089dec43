package masters

import (
	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// The masters' buckets, their keys and encoding: every read and write of
// them goes through this file. Records are JSON, keyed by their code
// (NormalizeCode).
const (
	bCompany  = "company"       // keyProfile → Company, keyIRPSecrets → IRPSecrets
	bItems    = "items"         // code → Item
	bOutlets  = "outlets"       // code → Outlet
	bBeats    = "beats"         // code → Beat
	bSalesmen = "salesmen"      // code → Salesman
	bGodowns  = "godowns"       // code → Godown
	bChannels = "channels"      // code → Channel: the distributor's own and his synonyms for the built-in ones
	bBarcodes = "items.barcode" // barcode → item code: a scan finds its item, a barcode is on one item
	bRevision = "masters.rev"   // keyRevision → 16 random bytes, new with every write (revision.go)
)

// Keys of the singleton records.
const (
	keyProfile    = "profile"
	keyIRPSecrets = "irp_secrets"
	keyRevision   = "rev"
)

// Revision is the masters' current revision, or "" when the book has had
// no masters write since revisions were introduced (cache nothing then).
func Revision(tx *book.Tx) string { return string(tx.Bucket(bRevision).Get(keyRevision)) }

func putRevision(tx *book.Tx, rev []byte) error { return tx.Bucket(bRevision).Put(keyRevision, rev) }

func readProfile(tx *book.Tx, c *Company) error {
	_, err := tx.Bucket(bCompany).GetJSON(keyProfile, c)
	return err
}

// rawProfile is the stored profile as it is (nil before the first), for
// the audit entry's before.
func rawProfile(tx *book.Tx) []byte { return tx.Bucket(bCompany).Get(keyProfile) }

func putProfile(tx *book.Tx, c Company) error { return tx.Bucket(bCompany).PutJSON(keyProfile, c) }

func readIRPSecrets(tx *book.Tx, s *IRPSecrets) error {
	_, err := tx.Bucket(bCompany).GetJSON(keyIRPSecrets, s)
	return err
}

func putIRPSecrets(tx *book.Tx, s IRPSecrets) error {
	return tx.Bucket(bCompany).PutJSON(keyIRPSecrets, s)
}

// exists reports whether a bucket holds the key.
func exists(tx *book.Tx, bucket, key string) bool { return tx.Bucket(bucket).Has(key) }

// barcodeIndex is the barcode → item code index.
type barcodeIndex struct{ b *book.Bucket }

// barcodeOwner reads the index without marking it scattered (a lookup).
func barcodeOwner(tx *book.Tx, barcode string) string {
	return string(tx.Bucket(bBarcodes).Get(barcode))
}

func barcodes(tx *book.Tx) barcodeIndex { return barcodeIndex{tx.Bucket(bBarcodes).Scattered()} }

func (x barcodeIndex) owner(barcode string) string { return string(x.b.Get(barcode)) }

func (x barcodeIndex) set(barcode, item string) error { return x.b.Put(barcode, []byte(item)) }

func (x barcodeIndex) drop(barcode string) error { return x.b.Delete(barcode) }

// put writes a master record with its audit entry; create refuses an
// existing key, update refuses a missing one.
func put(tx *book.Tx, bucket, kind, code string, rec any, create bool) error {
	b := tx.Bucket(bucket)
	old := b.Get(code)
	if create && old != nil {
		return fail.Conflict("code", "%s %s already exists", kind, code)
	}
	if !create && old == nil {
		return fail.NotFound(kind, code)
	}
	var before any
	action := "create"
	if old != nil {
		before = rawJSON(old)
		action = "update"
	}
	if err := b.PutJSON(code, rec); err != nil {
		return err
	}
	if err := Touch(tx); err != nil {
		return err
	}
	return tx.Audit(action, kind, code, before, rec, "")
}

// putChannelRecord writes what the book keeps of a channel (the
// distributor's own, or his changes to a built-in one); PutChannel audits
// it as the channel's whole list, which this record alone does not show.
func putChannelRecord(tx *book.Tx, c Channel) error {
	if err := tx.Bucket(bChannels).PutJSON(c.Code, c); err != nil {
		return err
	}
	return Touch(tx)
}

type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return append([]byte(nil), r...), nil }

// list decodes every record of a bucket that keep accepts, in code order.
func list[T any](tx *book.Tx, bucket string, keep func(*T) bool) ([]T, error) {
	var out []T
	err := tx.Bucket(bucket).Scan("", func(_ string, v []byte) (bool, error) {
		var r T
		if err := jsonUnmarshal(v, &r); err != nil {
			return false, err
		}
		if keep == nil || keep(&r) {
			out = append(out, r)
		}
		return true, nil
	})
	return out, err
}

func get[T any](tx *book.Tx, bucket, kind, code string) (T, error) {
	var r T
	ok, err := tx.Bucket(bucket).GetJSON(NormalizeCode(code), &r)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, fail.NotFound(kind, code)
	}
	return r, nil
}
