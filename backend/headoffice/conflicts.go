package headoffice

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
)

// Conflict is a row sent again under a key head office holds, with other
// content: the held row stays; both are kept for the operator
// (`vitaran headoffice conflicts`).
type Conflict struct {
	Code       string          `json:"code"`
	Part       string          `json:"part"`
	RowKey     string          `json:"row_key"`
	BatchID    string          `json:"batch_id"`
	Held       json.RawMessage `json:"held"`
	Sent       json.RawMessage `json:"sent"`
	ReceivedAt time.Time       `json:"received_at"`
}

// SortConflicts orders conflicts as both stores list them: by distributor,
// part, row key and arrival.
func SortConflicts(cs []Conflict) {
	slices.SortStableFunc(cs, func(a, b Conflict) int {
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Part, b.Part), cmp.Compare(a.RowKey, b.RowKey), a.ReceivedAt.Compare(b.ReceivedAt))
	})
}

// bConflicts holds the embedded store's conflicts, keyed code \x1f part
// \x1f row key \x1f batch id (one per batch that resent the row).
const bConflicts = "ho_conflicts"

type conflictRecord struct {
	Held       json.RawMessage `json:"held"`
	Sent       json.RawMessage `json:"sent"`
	ReceivedAt time.Time       `json:"received_at"`
}

// putConflict records that batch sent row (raw) under key of part with
// other content than held; a batch sent again records nothing new.
func putConflict(tx *book.Tx, code, part, key, batch string, held, sent []byte, at time.Time) error {
	return tx.Bucket(bConflicts).PutJSON(code+sep+part+sep+key+sep+batch, &conflictRecord{Held: held, Sent: sent, ReceivedAt: at.UTC()})
}

// sameRow reports whether two raw rows of type T say the same (compared
// decoded, so key order and spacing do not matter).
func sameRow[T any](a, b []byte) bool {
	var x, y T
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	ra, _ := json.Marshal(&x)
	rb, _ := json.Marshal(&y)
	return string(ra) == string(rb)
}

// heldSalesLine is the stored line with l's key (nil if none), read from
// the stored parts of its day: only for a conflict, which is rare.
func heldSalesLine(tx *book.Tx, code string, l *wire.SalesLine) ([]byte, error) {
	var held []byte
	err := salesLinesTx(tx, code, l.InvoiceDate, l.InvoiceDate, func(h wire.SalesLine) error {
		if held == nil && h.Key() == l.Key() {
			held, _ = json.Marshal(&h)
		}
		return nil
	})
	return held, err
}

// Conflicts lists the rows sent with other content under a held key, by
// distributor, part and key ("" for every distributor).
func (s *BookStore) Conflicts(code string) ([]Conflict, error) {
	from, to := "", ""
	if code != "" {
		from, to = code+sep, code+sep+"\xff"
	}
	var out []Conflict
	err := s.b.View(func(tx *book.Tx) error {
		return tx.Bucket(bConflicts).Range(from, to, func(k string, v []byte) (bool, error) {
			var parts [4]string
			rest := k
			for i := range 3 {
				var ok bool
				parts[i], rest, ok = strings.Cut(rest, sep)
				if !ok {
					return false, fmt.Errorf("conflict %q: key is not code, part, row key, batch", k)
				}
			}
			parts[3] = rest
			var rec conflictRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return false, fmt.Errorf("conflict %q: %w", k, err)
			}
			out = append(out, Conflict{Code: parts[0], Part: parts[1], RowKey: parts[2], BatchID: parts[3], Held: rec.Held, Sent: rec.Sent, ReceivedAt: rec.ReceivedAt})
			return true, nil
		})
	})
	SortConflicts(out)
	return out, err
}
