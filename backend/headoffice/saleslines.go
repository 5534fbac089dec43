package headoffice

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Sales lines are most of every batch: store.go keeps a batch's new lines
// as one value and a seen index of the natural keys held, a key per
// distributor and day (its comment has the layout and why).

// fingerprint is a short digest of what a sales line says (outlet, SKU,
// batch, quantities, values): the same key resent with another fingerprint
// is a different sale under a number head office already holds.
func fingerprint(l *wire.SalesLine) string {
	var buf [160]byte
	b := append(buf[:0], l.OutletCode...)
	b = append(append(b, '|'), l.SKUCode...)
	b = append(append(b, '|'), l.BatchNo...)
	for _, v := range [...]int64{int64(l.Qty), int64(l.FreeQty), int64(l.TaxablePaise), int64(l.CGSTPaise), int64(l.SGSTPaise), int64(l.IGSTPaise)} {
		b = strconv.AppendInt(append(b, '|'), v, 10)
	}
	h := fnv.New32a()
	h.Write(b)
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// freshSalesLines returns the indexes of the lines head office does not
// hold yet (a line twice in the batch is fresh once), and records them as
// held. A line whose key is held with other content is not fresh and not a
// duplicate either: it is a conflict (a number reused for another sale),
// returned by index for head office's operator.
func freshSalesLines(tx *book.Tx, code string, lines []wire.SalesLine) ([]int, []int, error) {
	seen := seenIndexOf(tx, code)
	legacy := legacyLinesOf(tx, code)
	hasLegacy, err := legacy.any()
	if err != nil {
		return nil, nil, err
	}
	type dayIndex struct {
		held map[lineKey]string // → fingerprint ("" if stored without one)
		old  []byte
		add  []byte
	}
	days := map[cal.Date]*dayIndex{}
	fresh := make([]int, 0, len(lines))
	var conflicts []int
	for i := range lines {
		l := &lines[i]
		di := days[l.InvoiceDate]
		if di == nil {
			di = &dayIndex{held: make(map[lineKey]string, 1024)}
			if old := seen.day(l.InvoiceDate); old != nil {
				di.old = old
				if err := eachSeen(old, func(k lineKey, fp string) { di.held[k] = fp }); err != nil {
					return nil, nil, fmt.Errorf("sales lines of %s%s%s: %w", code, sep, l.InvoiceDate, err)
				}
			}
			days[l.InvoiceDate] = di
		}
		k := lineKey{l.DocType, l.InvoiceNo, l.LineNo}
		fp := fingerprint(l)
		if was, ok := di.held[k]; ok {
			if was != "" && was != fp {
				conflicts = append(conflicts, i)
			}
			continue
		}
		if hasLegacy && legacy.has(l.Key()) {
			continue
		}
		di.held[k] = fp
		di.add = appendSeen(di.add, k, fp)
		fresh = append(fresh, i)
	}
	keys := make([]cal.Date, 0, len(days))
	for d, di := range days {
		if len(di.add) > 0 {
			keys = append(keys, d)
		}
	}
	slices.Sort(keys)
	for _, d := range keys {
		di := days[d]
		v := make([]byte, 0, len(di.old)+len(di.add))
		if err := seen.put(d, append(append(v, di.old...), di.add...)); err != nil {
			return nil, nil, err
		}
	}
	return fresh, conflicts, nil
}

// SalesLines calls fn for code's raw sales lines dated in [from, to]: each
// stored part whose days overlap the period is unzipped and read.
func (s *BookStore) SalesLines(code string, from, to cal.Date, fn func(wire.SalesLine) error) error {
	return s.b.View(func(tx *book.Tx) error { return eachSalesLine(tx, code, from, to, fn) })
}
