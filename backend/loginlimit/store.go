package loginlimit

import (
	"encoding/json"
	"fmt"

	"vitaran/backend/book"
)

// The book keeps a limiter's entries in one bucket, keyed by "a:" and an
// address or "u:" and a user name, each a JSON Entry: at most MaxEntries
// of each (plus the shared overflow entry), so a few hundred KB at worst.
const bucket = "loginlimit"

// InBook is a Store in a book (the LAN server's, or head office's
// embedded store).
func InBook(b *book.Book) Store { return bookStore{b} }

type bookStore struct{ b *book.Book }

func storeKey(e Entry) string {
	if e.User {
		return "u:" + e.Key
	}
	return "a:" + e.Key
}

func (s bookStore) LoginLimits() ([]Entry, error) {
	var out []Entry
	err := s.b.View(func(tx *book.Tx) error {
		return tx.Bucket(bucket).Scan("", func(k string, v []byte) (bool, error) {
			var e Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return false, fmt.Errorf("login throttle %q: %w", k, err)
			}
			out = append(out, e)
			return true, nil
		})
	})
	return out, err
}

func (s bookStore) SaveLoginLimits(changed []Entry) error {
	return s.b.Update(func(tx *book.Tx) error {
		bk := tx.Bucket(bucket).Scattered()
		for _, e := range changed {
			if e.Empty() {
				if err := bk.Delete(storeKey(e)); err != nil {
					return err
				}
				continue
			}
			raw, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := bk.Put(storeKey(e), raw); err != nil {
				return err
			}
		}
		return nil
	})
}
