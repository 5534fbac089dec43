package headoffice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Rollups are stored one key per distributor and day (code \x1f day), the
// value that day's cells packed in dim order: uvarint len(dim), dim, then
// the Sum's eight varints. A 10,000-line batch touches thousands of
// (day, SKU) and (day, outlet) cells but only a handful of days, so ingest
// reads and writes a few keys per rollup instead of one per cell, and a
// period's scan reads one key per day.
//
// Measured against one key per cell (BenchmarkIngest, 12,485 rows an
// op, shared 2-core PC, load 7-10): ~100 -> ~80-94 cpu-ms an op, ~124k ->
// 133k-156k lines a cpu-s, wall 43k-81k -> 48k-114k lines/s.
// FuzzRollupDay reads arbitrary bytes.

// rollupBucket holds a rollup in the packed layout.
func rollupBucket(r Rollup) string { return "ho_rollday_" + string(r) }

// legacyRollupBucket held one key per cell (code \x1f day [\x1f dim]);
// OpenStore packs what it finds there.
func legacyRollupBucket(r Rollup) string { return "ho_roll_" + string(r) }

var allRollups = []Rollup{RollSalesDist, RollSalesBeat, RollSalesOutlet, RollSalesSalesman, RollSalesSKU, RollPrimaryDist, RollPrimarySKU, RollStockDist, RollScheme}

// cell is one rollup cell of a batch: a day and its dim. Outlet cells keep
// beat and outlet apart until they are written, so adding a line builds no
// strings.
type cell struct {
	day       cal.Date
	dim, dim2 string
}

func (c cell) key() string {
	if c.dim2 != "" {
		return c.dim + sep + c.dim2
	}
	return c.dim
}

// rollups collects a batch's rollup cells in memory before one merge.
type rollups map[Rollup]map[cell]*Sum

func (r rollups) add(name Rollup, c cell, s Sum) {
	m := r[name]
	if m == nil {
		m = map[cell]*Sum{}
		r[name] = m
	}
	if p := m[c]; p != nil {
		p.Add(s)
		return
	}
	v := s
	m[c] = &v
}

type dimSum struct {
	dim string
	sum Sum
}

func appendCell(out []byte, dim string, s *Sum) []byte {
	out = binary.AppendUvarint(out, uint64(len(dim)))
	out = append(out, dim...)
	for _, v := range s.fields() {
		out = binary.AppendVarint(out, v)
	}
	return out
}

// eachCell calls fn for each packed cell of raw, in dim order.
func eachCell(raw []byte, fn func(dim []byte, s Sum) error) error {
	for len(raw) > 0 {
		n, w := binary.Uvarint(raw)
		if w <= 0 || uint64(len(raw)-w) < n {
			return errors.New("corrupt rollup day")
		}
		dim := raw[w : w+int(n)]
		raw = raw[w+int(n):]
		var f [8]int64
		for i := range f {
			v, w := binary.Varint(raw)
			if w <= 0 {
				return errors.New("corrupt rollup cell")
			}
			f[i], raw = v, raw[w:]
		}
		if err := fn(dim, SumOf(f)); err != nil {
			return err
		}
	}
	return nil
}

// mergeRollups adds the batch's cells into the stored days: one Get and one
// Put per rollup, distributor and day touched.
func mergeRollups(tx *book.Tx, code string, r rollups) error {
	return mergeCells(tx, rollupBucket, code, r)
}

// mergeCells adds cells into the packed keys scope \x1f day of the
// rollups' buckets (days, or months' first days).
func mergeCells(tx *book.Tx, bucket func(Rollup) string, scope string, r rollups) error {
	p := scope + sep
	for name, cells := range r {
		byDay := map[cal.Date][]dimSum{}
		for c, s := range cells {
			byDay[c.day] = append(byDay[c.day], dimSum{c.key(), Stored(name, *s)})
		}
		days := make([]cal.Date, 0, len(byDay))
		for d := range byDay {
			days = append(days, d)
		}
		slices.Sort(days)
		bk := tx.Bucket(bucket(name))
		for _, day := range days {
			add := byDay[day]
			k := p + string(day)
			if old := bk.Get(k); old != nil {
				at := make(map[string]int, len(add))
				for i := range add {
					at[add[i].dim] = i
				}
				if err := eachCell(old, func(dim []byte, s Sum) error {
					if i, ok := at[string(dim)]; ok {
						add[i].sum.Add(s)
					} else {
						add = append(add, dimSum{string(dim), s})
					}
					return nil
				}); err != nil {
					return fmt.Errorf("rollup %s %q: %w", name, k, err)
				}
			}
			if err := bk.Put(k, packDay(add)); err != nil {
				return err
			}
		}
	}
	return nil
}

func packDay(cells []dimSum) []byte {
	slices.SortFunc(cells, func(a, b dimSum) int { return strings.Compare(a.dim, b.dim) })
	out := make([]byte, 0, len(cells)*24)
	for i := range cells {
		out = appendCell(out, cells[i].dim, &cells[i].sum)
	}
	return out
}

// ScanRollup calls fn for each cell of code's rollup r with day in [from, to].
func (s *BookStore) ScanRollup(r Rollup, code string, from, to cal.Date, fn func(day cal.Date, dim string, sm Sum) error) error {
	p := code + sep
	return s.b.View(func(tx *book.Tx) error {
		return tx.Bucket(rollupBucket(r)).Range(p+string(from), p+string(to)+"\xff", func(k string, v []byte) (bool, error) {
			day := cal.Date(k[len(p):])
			err := eachCell(v, func(dim []byte, sm Sum) error { return fn(day, string(dim), Loaded(r, sm)) })
			if err != nil {
				return false, fmt.Errorf("rollup %s %q: %w", r, k, err)
			}
			return true, nil
		})
	})
}

// packLegacyRollups moves rollups written one key per cell (before the
// packed layout) into it, in one transaction; a store without any is left
// untouched.
func (s *BookStore) packLegacyRollups() error {
	var found bool
	if err := s.b.View(func(tx *book.Tx) error {
		for _, r := range allRollups {
			found = found || tx.Bucket(legacyRollupBucket(r)).Len() > 0
		}
		return nil
	}); err != nil || !found {
		return err
	}
	return s.b.Update(func(tx *book.Tx) error {
		for _, r := range allRollups {
			old := tx.Bucket(legacyRollupBucket(r))
			byCode := map[string]rollups{}
			var keys []string
			if err := old.Scan("", func(k string, v []byte) (bool, error) {
				code, rest, ok := strings.Cut(k, sep)
				if !ok || len(rest) < 10 {
					return false, fmt.Errorf("rollup %s: key %q is not code, day, dim", r, k)
				}
				c := cell{day: cal.Date(rest[:10])}
				if len(rest) > 10 {
					c.dim = rest[11:]
				}
				sm, err := unmarshalSum(v)
				if err != nil {
					return false, fmt.Errorf("rollup %s %q: %w", r, k, err)
				}
				if byCode[code] == nil {
					byCode[code] = rollups{}
				}
				byCode[code].add(r, c, sm)
				keys = append(keys, k)
				return true, nil
			}); err != nil {
				return err
			}
			for code, cells := range byCode {
				if err := mergeRollups(tx, code, cells); err != nil {
					return err
				}
			}
			for _, k := range keys {
				if err := old.Delete(k); err != nil {
					return err
				}
			}
		}
		// The month cells are made again from the packed days.
		return tx.Bucket(bAdmin).Delete(monthsBuilt)
	})
}
