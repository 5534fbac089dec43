package stock

import (
	"encoding/json"
	"sort"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// Pick is a quantity taken from one batch in one godown.
type Pick struct {
	Batch  string      `json:"batch"`
	Expiry cal.Date    `json:"expiry"`
	MRP    money.Paise `json:"mrp_paise"`
	Godown string      `json:"godown"`
	Qty    money.Qty   `json:"qty"`
}

// Allocator picks batches for the lines of one document. It remembers what
// earlier lines took, so two lines of one item never count the same stock
// twice — in a preview (nothing written) exactly as in a posting.
type Allocator struct {
	tx    *book.Tx
	taken map[string]money.Qty
}

// NewAllocator starts picking for one document.
func NewAllocator(tx *book.Tx) *Allocator {
	return &Allocator{tx: tx, taken: map[string]money.Qty{}}
}

type slot struct {
	key    string
	batch  string
	expiry cal.Date
	mrp    money.Paise
	qty    money.Qty // free after earlier picks
}

// slots lists an item's batches in a godown, first expiry first, with what
// is left after earlier picks; expired batches (expiry before d) are left out.
func (a *Allocator) slots(item, godown string, d cal.Date) []slot {
	var out []slot
	balancesIn(a.tx).scan(godownPrefix(item, godown), func(k string, b Balance) bool {
		_, _, exp, batch := splitBalKey(k)
		if exp < d {
			return true
		}
		out = append(out, slot{key: k, batch: batch, expiry: exp, mrp: b.MRP, qty: b.Qty - a.taken[k]})
		return true
	})
	return out
}

// Available is what FEFO could pick of an item in a godown on day d.
func (a *Allocator) Available(item, godown string, d cal.Date) money.Qty {
	var n money.Qty
	for _, s := range a.slots(item, godown, d) {
		if s.qty > 0 {
			n += s.qty
		}
	}
	return n
}

// Pick takes qty of item from godown for a document dated d: first expiry
// first out, splitting across batches when one is short, never from a batch
// that has expired by d. A named batch is taken from that batch only. It
// returns the picks and the quantity it could not find; with allowNegative
// the shortfall is put on the batch that would have been picked next (the
// last non-expired one), so nothing is short.
func (a *Allocator) Pick(item, godown string, qty money.Qty, d cal.Date, batch string, allowNegative bool) ([]Pick, money.Qty, error) {
	if godown == "" {
		godown = MainGodown
	}
	if qty <= 0 {
		return nil, 0, nil
	}
	var slots []slot
	if batch != "" {
		b, ok, err := GetBatch(a.tx, item, batch)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			return nil, 0, fail.Invalid("batch", "batch %s of %s does not exist", batch, item)
		}
		if b.Expiry < d {
			return nil, 0, fail.Invalid("batch", "batch %s of %s expired on %s: it cannot be sold", batch, item, b.Expiry.Display())
		}
		k := balKey(item, godown, b.Expiry, batch)
		bal := balanceAt(a.tx, k)
		slots = []slot{{key: k, batch: batch, expiry: b.Expiry, mrp: b.MRP, qty: bal.Qty - a.taken[k]}}
	} else {
		slots = a.slots(item, godown, d)
	}
	var picks []Pick
	left := qty
	for _, s := range slots {
		if left == 0 {
			break
		}
		if s.qty <= 0 {
			continue
		}
		n := min(s.qty, left)
		picks = append(picks, Pick{Batch: s.batch, Expiry: s.expiry, MRP: s.mrp, Godown: godown, Qty: n})
		a.taken[s.key] += n
		left -= n
	}
	if left > 0 && allowNegative {
		s, ok := a.fallback(item, godown, d, slots)
		if ok {
			if n := len(picks); n > 0 && picks[n-1].Batch == s.batch {
				picks[n-1].Qty += left
			} else {
				picks = append(picks, Pick{Batch: s.batch, Expiry: s.expiry, MRP: s.mrp, Godown: godown, Qty: left})
			}
			a.taken[s.key] += left
			left = 0
		}
	}
	return picks, left, nil
}

// fallback is the batch that goes negative when the company allows it: the
// last-expiring live batch in the godown, else the last-expiring live batch
// of the item anywhere.
func (a *Allocator) fallback(item, godown string, d cal.Date, slots []slot) (slot, bool) {
	if len(slots) > 0 {
		return slots[len(slots)-1], true
	}
	bs, err := Batches(a.tx, item)
	if err != nil {
		return slot{}, false
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].Expiry < bs[j].Expiry })
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].Expiry >= d {
			b := bs[i]
			return slot{key: balKey(item, godown, b.Expiry, b.Batch), batch: b.Batch, expiry: b.Expiry, mrp: b.MRP}, true
		}
	}
	return slot{}, false
}
