package headoffice

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Sales lines are most of every batch. Writing each as its own key (a JSON
// value and a B-tree insert per line, ~4 MB of pages per 10,000 lines) was
// most of ingest, yet head office reads raw lines only to check claims, by
// distributor and period. So a batch's new lines are kept as one value: the
// sales_lines part exactly as it was sent and hashed (gzip NDJSON), or, when
// some of its lines were already held, a gzip of only the new ones. Keys:
//
//	ho_sales_parts  code \x1f seq → first day, last day (10 bytes each), gzip
//	ho_sales_seen   code \x1f day → the day's natural keys held so far,
//	                each doc_type \x1f invoice_no \x1f line_no \n
//
// The seen index is what makes a line resent under a new batch id (a full
// refresh, a retry) count once: a batch reads and rewrites one key per day
// it touches. Lines stored one key each by an older receiver (ho_sales_lines)
// are still read and still recognised.
const (
	bSalesParts = "ho_sales_parts"
	bSalesSeen  = "ho_sales_seen"
)

// lineKey is a sales line's natural key inside its day.
type lineKey struct {
	doc, inv string
	line     int
}

func appendSeen(out []byte, k lineKey, fp string) []byte {
	out = append(out, k.doc...)
	out = append(out, sep...)
	out = append(out, k.inv...)
	out = append(out, sep...)
	out = strconv.AppendInt(out, int64(k.line), 10)
	if fp != "" {
		out = append(out, sep...)
		out = append(out, fp...)
	}
	return append(out, '\n')
}

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

// eachSeen reads a day's seen index; fp is "" for entries stored before
// lines carried a fingerprint.
func eachSeen(raw []byte, fn func(k lineKey, fp string)) error {
	all := string(raw) // one copy: the keys outlive the page
	for all != "" {
		entry, rest, ok := strings.Cut(all, "\n")
		if !ok {
			return errors.New("corrupt seen index")
		}
		all = rest
		doc, rest, ok1 := strings.Cut(entry, sep)
		inv, no, ok2 := strings.Cut(rest, sep)
		no, fp, _ := strings.Cut(no, sep)
		n, err := strconv.Atoi(no)
		if !ok1 || !ok2 || err != nil {
			return fmt.Errorf("corrupt seen entry %q", entry)
		}
		fn(lineKey{doc, inv, n}, fp)
	}
	return nil
}

// freshSalesLines returns the indexes of the lines head office does not
// hold yet (a line twice in the batch is fresh once), and records them as
// held. A line whose key is held with other content is not fresh and not a
// duplicate either: it is a conflict (a number reused for another sale),
// returned by index for head office's operator.
func freshSalesLines(tx *book.Tx, p string, lines []wire.SalesLine) ([]int, []int, error) {
	seen := tx.Bucket(bSalesSeen)
	legacy := tx.Bucket(bLines)
	var hasLegacy bool
	if err := legacy.Scan(p, func(string, []byte) (bool, error) { hasLegacy = true; return false, nil }); err != nil {
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
			if old := seen.Get(p + string(l.InvoiceDate)); old != nil {
				di.old = old
				if err := eachSeen(old, func(k lineKey, fp string) { di.held[k] = fp }); err != nil {
					return nil, nil, fmt.Errorf("sales lines of %s%s: %w", p, l.InvoiceDate, err)
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
		if hasLegacy && legacy.Get(p+l.Key()) != nil {
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
		if err := seen.Put(p+string(d), append(append(v, di.old...), di.add...)); err != nil {
			return nil, nil, err
		}
	}
	return fresh, conflicts, nil
}

// putSalesPart stores the batch's fresh lines as one value.
func putSalesPart(tx *book.Tx, p string, b *wire.Batch, fresh []int) error {
	if len(fresh) == 0 {
		return nil
	}
	first, last := b.SalesLines[fresh[0]].InvoiceDate, b.SalesLines[fresh[0]].InvoiceDate
	for _, i := range fresh {
		d := b.SalesLines[i].InvoiceDate
		first, last = min(first, d), max(last, d)
	}
	blob := b.Gzip(wire.PartSalesLines)
	if blob == nil || len(fresh) != len(b.SalesLines) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		raw := b.RawRows(wire.PartSalesLines)
		for _, i := range fresh {
			zw.Write(rawRow(raw, i, &b.SalesLines[i]))
			zw.Write([]byte{'\n'})
		}
		if err := zw.Close(); err != nil {
			return err
		}
		blob = buf.Bytes()
	}
	parts := tx.Bucket(bSalesParts)
	seq, err := parts.NextSeq()
	if err != nil {
		return err
	}
	v := make([]byte, 0, 20+len(blob))
	v = append(append(append(v, first...), last...), blob...)
	return parts.Put(p+book.SeqKey(seq), v)
}

// SalesLines calls fn for code's raw sales lines dated in [from, to]: each
// stored part whose days overlap the period is unzipped and read.
func (s *BookStore) SalesLines(code string, from, to cal.Date, fn func(wire.SalesLine) error) error {
	return s.b.View(func(tx *book.Tx) error { return salesLinesTx(tx, code, from, to, fn) })
}

func salesLinesTx(tx *book.Tx, code string, from, to cal.Date, fn func(wire.SalesLine) error) error {
	p := code + sep
	err := tx.Bucket(bSalesParts).Scan(p, func(k string, v []byte) (bool, error) {
		if len(v) < 20 {
			return false, fmt.Errorf("sales lines %q: corrupt", k)
		}
		if cal.Date(v[10:20]) < from || cal.Date(v[:10]) > to {
			return true, nil
		}
		rows, _, derr := wire.ReadNDJSON(v[20:], wire.DefaultMaxUnzipped)
		if derr != nil {
			return false, fmt.Errorf("sales lines %q: %w", k, derr)
		}
		var prev wire.SalesLine
		for _, raw := range rows {
			var l wire.SalesLine
			if !wire.DecodeSalesLine(raw, &l, &prev) {
				l = wire.SalesLine{}
				if err := json.Unmarshal(raw, &l); err != nil {
					return false, fmt.Errorf("sales lines %q: %w", k, err)
				}
			}
			prev = l
			if l.InvoiceDate < from || l.InvoiceDate > to {
				continue
			}
			if err := fn(l); err != nil {
				return false, err
			}
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bLines).Range(p, p+"\xff", func(k string, v []byte) (bool, error) {
		var l wire.SalesLine
		if err := json.Unmarshal(v, &l); err != nil {
			return false, fmt.Errorf("%s %q: %w", bLines, k, err)
		}
		if l.InvoiceDate < from || l.InvoiceDate > to {
			return true, nil
		}
		return true, fn(l)
	})
}
