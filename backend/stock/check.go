package stock

import (
	"fmt"
	"strings"

	"vitaran/backend/book"
)

// Check rebuilds every balance, per-item total, daily and monthly total from
// the movement ledger (the daily and monthly ones up to the fold mark, which
// readers complete from the ledger) and reports each one that differs from
// what the book holds. It also checks that the ledger's sequence has no holes and that
// every movement's value is its quantity at its batch's cost. No problems
// means the stock book is whole.
func Check(tx *book.Tx) ([]string, error) {
	var problems []string
	report := func(format string, args ...any) {
		if len(problems) < 200 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	bal := map[string]Balance{}
	items := map[string]Total{}
	days := map[string]*Totals{}
	months := map[string]*Totals{}
	batches := map[string]Batch{}
	var want uint64 = 1
	folded, err := foldMark(tx, false)
	if err != nil {
		return nil, err
	}
	err = Movements(tx, 0, func(m *Movement) (bool, error) {
		if m.Seq != want {
			report("stock ledger: movement %d found where %d was expected", m.Seq, want)
			want = m.Seq
		}
		want++
		bk := batchKey(m.Item, m.Batch)
		b, ok := batches[bk]
		if !ok {
			var found bool
			var err error
			b, found, err = GetBatch(tx, m.Item, m.Batch)
			if err != nil {
				return false, err
			}
			if !found {
				report("movement %d: batch %s of %s does not exist", m.Seq, m.Batch, m.Item)
			}
			batches[bk] = b
		}
		if v, err := b.Cost.CheckedMulQty(m.Qty); err != nil || m.Value != v {
			report("movement %d: value %d is not %d × cost %d", m.Seq, m.Value, m.Qty, b.Cost)
		}
		k := balKey(m.Item, m.Godown, b.Expiry, m.Batch)
		x := bal[k]
		x.Qty += m.Qty
		x.Value += m.Value
		x.MRP = b.MRP
		bal[k] = x
		t := items[m.Item]
		if m.Seq <= folded {
			t.Qty += m.Qty
			t.Value += m.Value
		}
		items[m.Item] = t
		if m.Seq > folded {
			return true, nil // not in the daily and monthly totals yet
		}
		addToPeriods(days, months, m)
		return true, nil
	})
	if err != nil {
		return problems, err
	}
	if last := LastSeq(tx); last != want-1 {
		report("stock ledger: sequence is at %d but the last movement is %d", last, want-1)
	}
	if last := LastSeq(tx); folded > last {
		report("stock totals: folded up to movement %d but the ledger ends at %d", folded, last)
	}
	show := func(k string) string { return strings.ReplaceAll(k, "\x00", " ") }

	seen := map[string]bool{}
	balancesIn(tx).scan("", func(k string, got Balance) bool {
		seen[k] = true
		if want := bal[k]; got.Qty != want.Qty || got.Value != want.Value {
			report("balance %s: book has %d (₹%s), movements give %d (₹%s)", show(k), got.Qty, got.Value, want.Qty, want.Value)
		}
		return true
	})
	for k, w := range bal {
		if !seen[k] && (w.Qty != 0 || w.Value != 0) {
			report("balance %s: missing, movements give %d (₹%s)", show(k), w.Qty, w.Value)
		}
	}
	clear(seen)
	scanItems(tx, "", func(k string, got Total) bool {
		seen[k] = true
		if want := items[k]; got != want {
			report("item total %s: book has %d (₹%s), movements give %d (₹%s)", k, got.Qty, got.Value, want.Qty, want.Value)
		}
		return true
	})
	for k, w := range items {
		if !seen[k] {
			report("item total %s: missing, movements give %d", k, w.Qty)
		}
	}
	for _, p := range []struct {
		name    string
		monthly bool
		m       map[string]*Totals
	}{{"daily total", false, days}, {"monthly total", true, months}} {
		clear(seen)
		err := scanPeriodTotals(tx, p.monthly, func(k string, got Totals, err error) {
			seen[k] = true
			if err != nil {
				report("%s %s: %v", p.name, show(k), err)
				return
			}
			want := p.m[k]
			if want == nil {
				want = &Totals{}
			}
			if got != *want {
				report("%s %s: book and movements differ", p.name, show(k))
			}
		})
		if err != nil {
			return problems, err
		}
		for k, w := range p.m {
			if !seen[k] && *w != (Totals{}) {
				report("%s %s: missing", p.name, show(k))
			}
		}
	}
	return problems, nil
}
