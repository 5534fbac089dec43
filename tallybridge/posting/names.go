package posting

import (
	"strings"

	"vitaran/backend/book"
)

// Names says how the book's documents are named in Tally, to read Tally's
// vouchers back as the book's: the REMOTEID prefix, the day-wise summary
// party, and each outlet's ledger and each item's stock item name (after the
// accountant's mapping), lower-cased, to the book's code.
type Names struct {
	Prefix string
	// Used: the book has fixed its prefix (its queue was read for Tally);
	// a book never pushed derives the prefix it would fix.
	Used         bool
	SummaryParty string
	Outlets      map[string]string
	Items        map[string]string
}

// Ours reports whether a REMOTEID is one of this book's vouchers.
func (n Names) Ours(remoteID string) bool {
	return n.Prefix != "" && strings.HasPrefix(remoteID, n.Prefix+":")
}

// Outlet is the outlet code of a Tally party ledger ("" if none).
func (n Names) Outlet(ledger string) string { return n.Outlets[strings.ToLower(ledger)] }

// Item is the item code of a Tally stock item ("" if none).
func (n Names) Item(name string) string { return n.Items[strings.ToLower(name)] }

// TallyNames reads the names; it only reads.
func TallyNames(tx *book.Tx) (Names, error) {
	s, err := GetSettings(tx)
	if err != nil {
		return Names{}, err
	}
	m, err := GetMapping(tx)
	if err != nil {
		return Names{}, err
	}
	a, err := NewAdapter(tx, s, "")
	if err != nil {
		return Names{}, err
	}
	prefix, used := prefixOf(tx)
	n := Names{Prefix: prefix, Used: used, SummaryParty: s.SummaryParty,
		Outlets: map[string]string{}, Items: map[string]string{}}
	mapped := func(in map[string]string, name string) string {
		for k, v := range in {
			if v != "" && strings.EqualFold(k, name) {
				return v
			}
		}
		return name
	}
	for code, name := range a.outletNames {
		n.Outlets[strings.ToLower(mapped(m.Ledgers, name))] = code
	}
	for code, name := range a.itemNames {
		n.Items[strings.ToLower(mapped(m.Items, name))] = code
	}
	return n, nil
}
