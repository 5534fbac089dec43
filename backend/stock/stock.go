// Package stock is the distributor's stock book: batches (item, batch number,
// expiry, MRP, cost), an append-only ledger of movements, and the state
// derived from it — balances per item × godown × batch, per-item totals and
// daily and monthly movement totals per item and kind.
//
// Always true after every commit:
//   - movements are never changed or deleted: a correction is a new movement
//     (only a book migration re-dates one, see Redate);
//   - every balance equals the sum of the movements behind it, because Move
//     writes the movement and the balance in the caller's transaction; an
//     item's stock on hand is the sum of its balances;
//   - every item that ever moved has a per-item total, and every per-item,
//     daily and monthly total equals the sum of the movements behind it up
//     to the fold mark (stock.fold); readers add the movements after the
//     mark. A posting appends to the ledger and leaves the totals alone until
//     FoldEvery movements wait, when Move folds them all in one sorted pass,
//     in the same transaction: a posting so dirties one ledger page instead
//     of an item, a day and a month page per line. Check rebuilds all of it
//     from the ledger and compares;
//   - a balance's value is its quantity at the batch's cost: stock is valued at
//     the batch's purchase rate (the net rate per base unit of its first
//     receipt), so value never drifts from quantity by rounding;
//   - no balance is below zero unless the company allows negative stock.
//
// Quantities are base units (pieces), money is paise; nothing is a float.
package stock

import (
	"fmt"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

// FoldEvery is how many movements may wait outside the daily and monthly
// totals before Move folds them in. Readers scan at most this many
// movements more; a fold costs a few milliseconds once per a few hundred
// invoices, where keeping the totals in step cost two random pages per line.
const FoldEvery = 4096

// Kind says why stock moved.
type Kind string

// The kinds of movement.
const (
	Opening        Kind = "opening"
	Purchase       Kind = "purchase"
	Sale           Kind = "sale"
	SaleCancel     Kind = "sale_cancel"
	SalesReturn    Kind = "sales_return"
	PurchaseReturn Kind = "purchase_return"
	Adjustment     Kind = "adjustment"
	Transfer       Kind = "transfer"
	Count          Kind = "count"
	Damage         Kind = "damage"
)

// Kinds lists every kind in the order totals are stored.
var Kinds = []Kind{Opening, Purchase, Sale, SaleCancel, SalesReturn, PurchaseReturn, Adjustment, Transfer, Count, Damage}

// kindDamagedIn is a pseudo-kind in the totals: stock that arrived in a
// damaged godown (by any kind). It is information, not part of the sum.
const kindDamagedIn = 10
const nKinds = 11

func kindIndex(k Kind) int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return -1
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return kindIndex(k) >= 0 }

// Batch is a lot of one item: it carries its expiry, MRP and cost.
type Batch struct {
	Item   string      `json:"item"`
	Batch  string      `json:"batch"`
	Expiry cal.Date    `json:"expiry"`
	MRP    money.Paise `json:"mrp_paise"`
	// Cost is the value of one base unit in stock: the net purchase rate of
	// the batch's first receipt.
	Cost money.Paise `json:"cost_paise"`
}

// Movement is one line of the stock ledger.
type Movement struct {
	Seq    uint64      `json:"seq"`
	Date   cal.Date    `json:"date"`
	Item   string      `json:"item"`
	Batch  string      `json:"batch"`
	Godown string      `json:"godown"`
	Qty    money.Qty   `json:"qty"`
	Kind   Kind        `json:"kind"`
	Doc    string      `json:"doc"`
	Value  money.Paise `json:"value_paise"`
}

// DamagedGodown is the godown whose stock is not saleable.
const DamagedGodown = "DAMAGED"

// MainGodown is where saleable stock is billed from.
const MainGodown = "MAIN"

// EnsureBatch creates the batch, or checks that an existing one has the
// same expiry and MRP (a batch number names one lot). The stored batch is
// returned: its cost is the first receipt's.
func EnsureBatch(tx *book.Tx, b Batch) (Batch, error) {
	if b.Batch == "" {
		return b, fail.Invalid("batch", "is required")
	}
	if len(b.Batch) > 30 || strings.ContainsAny(b.Batch, "\x00") {
		return b, fail.Invalid("batch", "at most 30 characters")
	}
	if !b.Expiry.Valid() {
		return b, fail.Invalid("expiry", "%q is not a date (YYYY-MM-DD)", b.Expiry)
	}
	if b.MRP <= 0 {
		return b, fail.Invalid("mrp_paise", "must be more than zero")
	}
	if b.Cost < 0 {
		return b, fail.Invalid("rate_paise", "must not be negative")
	}
	old, ok, err := GetBatch(tx, b.Item, b.Batch)
	if err != nil {
		return b, err
	}
	if ok {
		if old.Expiry != b.Expiry {
			return old, fail.Invalid("expiry", "batch %s of %s expires on %s, not %s", b.Batch, b.Item, old.Expiry.Display(), b.Expiry.Display())
		}
		if old.MRP != b.MRP {
			return old, fail.Invalid("mrp_paise", "batch %s of %s has MRP ₹%s, not ₹%s", b.Batch, b.Item, old.MRP, b.MRP)
		}
		return old, nil
	}
	return b, putBatch(tx, &b)
}

// Balance is what one batch of an item holds in one godown.
type Balance struct {
	Qty   money.Qty
	Value money.Paise
	MRP   money.Paise
}

// Total is an item's stock over all godowns.
type Total struct {
	Qty   money.Qty
	Value money.Paise
}

// ItemTotal returns an item's stock over all godowns: the sum of its
// balances, which are always in step.
func ItemTotal(tx *book.Tx, item string) Total {
	var t Total
	balancesIn(tx).scan(itemPrefix(item), func(_ string, b Balance) bool {
		t.Qty += b.Qty
		t.Value += b.Value
		return true
	})
	return t
}

// BalanceOf returns one batch's balance in a godown.
func BalanceOf(tx *book.Tx, item, godown, batch string) (Balance, error) {
	b, ok, err := GetBatch(tx, item, batch)
	if err != nil || !ok {
		return Balance{}, err
	}
	return balanceAt(tx, balKey(item, godown, b.Expiry, batch)), nil
}

// Totals are one item's movements over a day or a month, by kind.
type Totals [nKinds][2]int64 // [kind][0 qty, 1 value]

// Net is the change in stock the totals make.
func (t *Totals) Net() (money.Qty, money.Paise) {
	var q, v int64
	for k := range Kinds {
		q += t[k][0]
		v += t[k][1]
	}
	return money.Qty(q), money.Paise(v)
}

// Of returns the quantity and value for one kind.
func (t *Totals) Of(k Kind) (money.Qty, money.Paise) {
	i := kindIndex(k)
	return money.Qty(t[i][0]), money.Paise(t[i][1])
}

func (t *Totals) add(o *Totals) {
	for k := range t {
		t[k][0] += o[k][0]
		t[k][1] += o[k][1]
	}
}

// Move appends a movement to the ledger and brings every balance and total
// in step, in the caller's transaction. The movement's value is its
// quantity at the batch's cost. Taking a balance below zero is a conflict
// unless allowNegative.
func Move(tx *book.Tx, m Movement, allowNegative bool) (Movement, error) {
	if !m.Kind.Valid() {
		return m, fmt.Errorf("stock: movement kind %q unknown", m.Kind)
	}
	if !m.Date.Valid() {
		return m, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", m.Date)
	}
	if m.Qty == 0 {
		return m, nil
	}
	b, ok, err := GetBatch(tx, m.Item, m.Batch)
	if err != nil {
		return m, err
	}
	if !ok {
		return m, fail.Invalid("batch", "batch %s of %s does not exist", m.Batch, m.Item)
	}
	if m.Godown == "" {
		m.Godown = MainGodown
	}
	m.Value = b.Cost.MulQty(m.Qty)

	bal := balancesIn(tx)
	bk := balKey(m.Item, m.Godown, b.Expiry, m.Batch)
	cur := bal.at(bk)
	next := Balance{Qty: cur.Qty + m.Qty, Value: cur.Value + m.Value, MRP: b.MRP}
	if next.Qty < 0 && m.Qty < 0 && !allowNegative {
		return m, fail.Conflict("qty", "%s batch %s in %s: only %d in stock, %d short", m.Item, m.Batch, m.Godown, cur.Qty, -next.Qty)
	}
	if err := bal.set(bk, next); err != nil {
		return m, err
	}

	// the item's first movement names it in stock.item at once (Summary and
	// Reconcile list items from there); its total moves with the fold
	if err := nameItem(tx, m.Item); err != nil {
		return m, err
	}

	folded, err := foldMark(tx, true)
	if err != nil {
		return m, err
	}
	if err := appendMove(tx, &m); err != nil {
		return m, err
	}
	if m.Seq-folded >= FoldEvery {
		return m, fold(tx, folded, m.Seq)
	}
	return m, nil
}

// foldMark is the last movement folded into the daily and monthly totals.
// A book without a mark kept them in step with every movement: all are in.
// In a write, the mark is set then, before any movement is left out.
func foldMark(tx *book.Tx, set bool) (uint64, error) {
	if seq, ok := storedFoldMark(tx); ok {
		return seq, nil
	}
	last := LastSeq(tx)
	if set {
		return last, putFoldMark(tx, last)
	}
	return last, nil
}

// delta is what one movement adds to its daily and monthly totals.
func (m *Movement) delta() (int, [2]int64, bool) {
	return kindIndex(m.Kind), [2]int64{int64(m.Qty), int64(m.Value)}, m.Qty > 0 && m.Godown == DamagedGodown
}

func (t *Totals) addMove(m *Movement) {
	k, d, damaged := m.delta()
	t[k][0] += d[0]
	t[k][1] += d[1]
	if damaged {
		t[kindDamagedIn][0] += d[0]
		t[kindDamagedIn][1] += d[1]
	}
}

// addToPeriods adds a movement to its item's daily and monthly totals.
func addToPeriods(days, months map[string]*Totals, m *Movement) {
	for _, p := range []struct {
		m   map[string]*Totals
		key string
	}{{days, dayKey(m.Item, m.Date)}, {months, monthKey(m.Item, m.Date)}} {
		acc := p.m[p.key]
		if acc == nil {
			acc = &Totals{}
			p.m[p.key] = acc
		}
		acc.addMove(m)
	}
}

// fold adds the movements after `after` up to `upTo` to the daily and
// monthly totals and the item totals, in key order, and moves the mark.
func fold(tx *book.Tx, after, upTo uint64) error {
	days, months := map[string]*Totals{}, map[string]*Totals{}
	totals := map[string]*Total{}
	err := Movements(tx, after, func(m *Movement) (bool, error) {
		if m.Seq > upTo {
			return false, nil
		}
		t := totals[m.Item]
		if t == nil {
			t = &Total{}
			totals[m.Item] = t
		}
		t.Qty += m.Qty
		t.Value += m.Value
		addToPeriods(days, months, m)
		return true, nil
	})
	if err != nil {
		return err
	}
	// Keys are item-first, so a catch-up lands all over both buckets.
	if err := addPeriodTotals(tx, days, months, true); err != nil {
		return err
	}
	if err := addItemTotals(tx, totals); err != nil {
		return err
	}
	return putFoldMark(tx, upTo)
}

// Fold brings the daily and monthly totals up to the last movement now,
// rather than when FoldEvery movements wait.
func Fold(tx *book.Tx) error {
	folded, err := foldMark(tx, true)
	if err != nil {
		return err
	}
	if last := LastSeq(tx); last > folded {
		return fold(tx, folded, last)
	}
	return nil
}

// unfolded returns the movements not yet in the daily and monthly totals,
// by item.
func unfolded(tx *book.Tx) (map[string][]Movement, error) {
	folded, err := foldMark(tx, false)
	if err != nil {
		return nil, err
	}
	out := map[string][]Movement{}
	err = Movements(tx, folded, func(m *Movement) (bool, error) {
		out[m.Item] = append(out[m.Item], *m)
		return true, nil
	})
	return out, err
}

// Redate moves one movement of the ledger to another date: only for a book
// migration that restates what an old movement meant (a cancellation of a
// book written before cancellations were void from the invoice's date).
// Balances and item totals do not change; a movement already folded leaves
// its old day and month totals for the new ones. It answers whether the
// movement moved (false when it is already dated so).
func Redate(tx *book.Tx, seq uint64, date cal.Date) (bool, error) {
	if !date.Valid() {
		return false, fmt.Errorf("stock: redate movement %d: %q is not a date", seq, date)
	}
	m, ok, err := getMove(tx, seq)
	if err == nil && !ok {
		err = fmt.Errorf("stock: redate: movement %d does not exist", seq)
	}
	if err != nil || m.Date == date {
		return false, err
	}
	folded, err := foldMark(tx, false)
	if err != nil {
		return false, err
	}
	if seq <= folded {
		out := m
		out.Qty, out.Value = -m.Qty, -m.Value
		days, months := map[string]*Totals{}, map[string]*Totals{}
		addToPeriods(days, months, &out)
		in := m
		in.Date = date
		addToPeriods(days, months, &in)
		if err := addPeriodTotals(tx, days, months, false); err != nil {
			return false, err
		}
	}
	m.Date = date
	return true, rewriteMove(tx, &m)
}
