package posting

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/tallybridge"
)

// Suggestions propose Tally ledgers and items for ours, by our name.
type Suggestions struct {
	Ledgers map[string][]tallybridge.Suggestion `json:"ledgers"`
	Items   map[string][]tallybridge.Suggestion `json:"items"`
}

// Suggest matches our outlets (as ledgers, by GSTIN and name) and items
// (by name and HSN) against Tally's masters.
func Suggest(tx *book.Tx, theirs tallybridge.Masters, today cal.Date) (Suggestions, error) {
	ours, err := ourMasters(tx, today)
	return Suggestions{Ledgers: tallybridge.SuggestLedgers(ours.Ledgers, theirs.Ledgers),
		Items: tallybridge.SuggestItems(ours.Items, theirs.Items)}, err
}

// ourMasters is our outlets and items as Tally would see them.
func ourMasters(tx *book.Tx, today cal.Date) (tallybridge.Masters, error) {
	var ours tallybridge.Masters
	outs, err := masters.ListOutlets(tx, masters.OutletFilter{})
	if err != nil {
		return ours, err
	}
	for _, o := range outs {
		ours.Ledgers = append(ours.Ledgers, tallybridge.Ledger{Name: o.Name, GSTIN: o.GSTIN})
	}
	items, err := masters.ListItems(tx, masters.ItemFilter{}, today)
	if err != nil {
		return ours, err
	}
	for _, it := range items {
		ours.Items = append(ours.Items, tallybridge.StockItem{Name: it.Name, HSN: it.HSN})
	}
	return ours, nil
}
