package headoffice

import (
	"cmp"
	"encoding/json"
	"slices"
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
	err := eachSalesLine(tx, code, l.InvoiceDate, l.InvoiceDate, func(h wire.SalesLine) error {
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
	var out []Conflict
	err := s.b.View(func(tx *book.Tx) error {
		return eachConflict(tx, code, func(c Conflict) error { out = append(out, c); return nil })
	})
	SortConflicts(out)
	return out, err
}
