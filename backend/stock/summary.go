package stock

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// ItemStock is an item's stock on hand: all godowns, with its batches.
type ItemStock struct {
	Item    string       `json:"item"`
	Qty     money.Qty    `json:"qty"`
	Value   money.Paise  `json:"value_paise"`
	Batches []BatchStock `json:"batches"`
}

// BatchStock is one batch in one godown.
type BatchStock struct {
	Batch  string      `json:"batch"`
	Godown string      `json:"godown"`
	Expiry cal.Date    `json:"expiry"`
	MRP    money.Paise `json:"mrp_paise"`
	Qty    money.Qty   `json:"qty"`
	Value  money.Paise `json:"value_paise"`
}

// Summary returns stock on hand per item (one item when item is not ""):
// every item that ever moved, with the sum of its balances. It reads the
// derived balances only: no ledger walk, no JSON.
func Summary(tx *book.Tx, item string) ([]ItemStock, error) {
	var out []ItemStock
	idx := map[string]int{}
	prefix := ""
	if item != "" {
		prefix = item
	}
	err := scanItems(tx, prefix, func(k string, _ Total) bool {
		if item != "" && k != item {
			return k < item
		}
		idx[k] = len(out)
		out = append(out, ItemStock{Item: k, Batches: []BatchStock{}})
		return true
	})
	if err != nil {
		return nil, err
	}
	if item != "" {
		prefix = itemPrefix(item)
	}
	err = balancesIn(tx).scan(prefix, func(k string, b Balance) bool {
		it, godown, exp, batch := splitBalKey(k)
		i, ok := idx[it]
		if !ok {
			return true
		}
		out[i].Qty += b.Qty
		out[i].Value += b.Value
		out[i].Batches = append(out[i].Batches, BatchStock{Batch: batch, Godown: godown, Expiry: exp, MRP: b.MRP, Qty: b.Qty, Value: b.Value})
		return true
	})
	return out, err
}

// Recon is one item's stock reconciliation for a period, in base units and
// value. Always: opening + received − sold + returned − purchase_returned +
// adjusted = closing, and closing is the stock on hand at the end of `to`.
// adjusted takes in adjustments, count variances and opening-stock entries
// (transfers and damage moves net to zero for the item). damaged is what
// went into the damaged godown in the period: information, already inside
// the other columns.
type Recon struct {
	Item                  string      `json:"item"`
	Opening               money.Qty   `json:"opening"`
	OpeningValue          money.Paise `json:"opening_value_paise"`
	Received              money.Qty   `json:"received"`
	ReceivedValue         money.Paise `json:"received_value_paise"`
	Sold                  money.Qty   `json:"sold"`
	SoldValue             money.Paise `json:"sold_value_paise"`
	Returned              money.Qty   `json:"returned"`
	ReturnedValue         money.Paise `json:"returned_value_paise"`
	PurchaseReturned      money.Qty   `json:"purchase_returned"`
	PurchaseReturnedValue money.Paise `json:"purchase_returned_value_paise"`
	Adjusted              money.Qty   `json:"adjusted"`
	AdjustedValue         money.Paise `json:"adjusted_value_paise"`
	Damaged               money.Qty   `json:"damaged"`
	DamagedValue          money.Paise `json:"damaged_value_paise"`
	Closing               money.Qty   `json:"closing"`
	ClosingValue          money.Paise `json:"closing_value_paise"`
	// Sales30 is net sales (sold less returned) in the CoverDays ending at to.
	Sales30 money.Qty `json:"sales_last_days"`
	// DaysOfCover is closing ÷ average daily net sales; nil when nothing sold.
	DaysOfCover *int64 `json:"days_of_cover"`
	Overstock   bool   `json:"overstock"`
	// NearExpiry: saleable stock on hand expires within NearExpiryDays of to.
	NearExpiry    bool      `json:"near_expiry"`
	NearExpiryQty money.Qty `json:"near_expiry_qty"`
	Expired       money.Qty `json:"expired_qty"`
}

// ReconOptions choose the period and the flags' thresholds.
type ReconOptions struct {
	From, To       cal.Date
	Item           string // "" for every item
	NearExpiryDays int
	OverstockDays  int
	CoverDays      int // window for average daily sales (default 30)
}

// Reconcile builds the reconciliation from the daily and monthly totals: a
// range scan per item, never a ledger walk beyond the movements not yet
// folded into them (at most FoldEvery).
func Reconcile(tx *book.Tx, o ReconOptions) ([]Recon, error) {
	if o.CoverDays <= 0 {
		o.CoverDays = 30
	}
	var items []string
	if o.Item != "" {
		if hasItem(tx, o.Item) {
			items = []string{o.Item}
		}
	} else {
		scanItems(tx, "", func(k string, _ Total) bool { items = append(items, k); return true })
	}
	totals, bal := periodTotalsIn(tx), balancesIn(tx)
	monthStart := cal.Date(string(o.From)[:7] + "-01")
	coverFrom := o.To.AddDays(-(o.CoverDays - 1))
	nearBy := o.To.AddDays(o.NearExpiryDays)
	out := make([]Recon, 0, len(items))
	tail, err := unfolded(tx)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		var before, period Totals
		if err = totals.sumMonths(itemPrefix(it), monthKey(it, o.From), &before); err != nil {
			return nil, err
		}
		if err = totals.sumDays(dayKey(it, monthStart), dayKey(it, o.From), &before); err != nil {
			return nil, err
		}
		if err = totals.sumDays(dayKey(it, o.From), dayEnd(it, o.To), &period); err != nil {
			return nil, err
		}
		var cover Totals
		if err = totals.sumDays(dayKey(it, coverFrom), dayEnd(it, o.To), &cover); err != nil {
			return nil, err
		}
		for i := range tail[it] {
			m := &tail[it][i]
			switch {
			case m.Date < o.From:
				before.addMove(m)
			case m.Date <= o.To:
				period.addMove(m)
			}
			if m.Date >= coverFrom && m.Date <= o.To {
				cover.addMove(m)
			}
		}
		r := Recon{Item: it}
		r.Opening, r.OpeningValue = before.Net()
		q := func(k Kind) (money.Qty, money.Paise) { return period.Of(k) }
		r.Received, r.ReceivedValue = q(Purchase)
		sq, sv := q(Sale)
		cq, cv := q(SaleCancel)
		r.Sold, r.SoldValue = -(sq + cq), -(sv + cv)
		r.Returned, r.ReturnedValue = q(SalesReturn)
		pq, pv := q(PurchaseReturn)
		r.PurchaseReturned, r.PurchaseReturnedValue = -pq, -pv
		for _, k := range []Kind{Opening, Adjustment, Count, Transfer, Damage} {
			aq, av := q(k)
			r.Adjusted += aq
			r.AdjustedValue += av
		}
		r.Damaged, r.DamagedValue = money.Qty(period[kindDamagedIn][0]), money.Paise(period[kindDamagedIn][1])
		nq, nv := period.Net()
		r.Closing, r.ClosingValue = r.Opening+nq, r.OpeningValue+nv
		s30q, _ := cover.Of(Sale)
		c30q, _ := cover.Of(SaleCancel)
		ret30, _ := cover.Of(SalesReturn)
		r.Sales30 = -(s30q + c30q) - ret30
		if r.Sales30 > 0 {
			d := int64(r.Closing) * int64(o.CoverDays) / int64(r.Sales30)
			r.DaysOfCover = &d
			r.Overstock = o.OverstockDays > 0 && d > int64(o.OverstockDays)
		} else {
			r.Overstock = r.Closing > 0
		}
		bal.scan(itemPrefix(it), func(k string, b Balance) bool {
			_, godown, exp, _ := splitBalKey(k)
			if godown == DamagedGodown || b.Qty <= 0 {
				return true
			}
			if exp < o.To {
				r.Expired += b.Qty
			} else if exp <= nearBy {
				r.NearExpiryQty += b.Qty
			}
			return true
		})
		r.NearExpiry = r.NearExpiryQty > 0
		out = append(out, r)
	}
	return out, nil
}

// OrderFigures are what the next order to the brand needs of one item.
type OrderFigures struct {
	// Usable is saleable stock on hand (not in DAMAGED) that does not
	// expire within the near-expiry days: what will still sell.
	Usable money.Qty
	// Excluded is saleable stock left out because it expires by then.
	Excluded money.Qty
	// Sold is net sales (sold less cancelled and returned) over the window.
	Sold money.Qty
}

// ForOrder reads an item's order figures on day on: the window is the
// windowDays ending on it, and stock expiring on or before nearBy is
// excluded. A range scan of the item's day totals and of its balances.
func ForOrder(tx *book.Tx, items []string, on, nearBy cal.Date, windowDays int) (map[string]OrderFigures, error) {
	tail, err := unfolded(tx)
	if err != nil {
		return nil, err
	}
	from := on.AddDays(-(windowDays - 1))
	totals, bal := periodTotalsIn(tx), balancesIn(tx)
	out := make(map[string]OrderFigures, len(items))
	for _, it := range items {
		var win Totals
		if err := totals.sumDays(dayKey(it, from), dayEnd(it, on), &win); err != nil {
			return nil, err
		}
		for i := range tail[it] {
			if m := &tail[it][i]; m.Date >= from && m.Date <= on {
				win.addMove(m)
			}
		}
		sq, _ := win.Of(Sale)
		cq, _ := win.Of(SaleCancel)
		rq, _ := win.Of(SalesReturn)
		f := OrderFigures{Sold: -(sq + cq) - rq}
		bal.scan(itemPrefix(it), func(k string, b Balance) bool {
			_, godown, exp, _ := splitBalKey(k)
			if godown == DamagedGodown || b.Qty <= 0 {
				return true
			}
			if exp <= nearBy {
				f.Excluded += b.Qty
			} else {
				f.Usable += b.Qty
			}
			return true
		})
		out[it] = f
	}
	return out, nil
}
