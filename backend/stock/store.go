package stock

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// The stock's buckets, their key layouts and record encodings live in this
// file, and only this file opens the buckets: the rest of the package reads
// and writes through the typed functions at its end. The posting path
// (Move, Allocator) takes a bucket handle once per call, as it did when it
// opened the buckets itself, so no allocation was added.
const (
	bBatches = "stock.batches" // item \0 batch → Batch (encBatch)
	bMoves   = "stock.moves"   // SeqKey → Movement (encMove): the ledger
	bBal     = "stock.bal"     // item \0 godown \0 expiry \0 batch → Balance: qty, value, mrp (encBal)
	bItem    = "stock.item"    // item → Total over all godowns (encTotal)
	bDay     = "stock.day"     // item \0 YYYY-MM-DD → Totals by kind (encTotals)
	bMonth   = "stock.month"   // item \0 YYYY-MM → Totals by kind (encTotals)
	bFold    = "stock.fold"    // "seq" → the last movement in the daily and monthly totals (8 bytes)
)

// itemPrefix is the prefix of every key of an item in stock.batches,
// stock.bal, stock.day and stock.month.
func itemPrefix(item string) string { return item + "\x00" }

// godownPrefix is the prefix of an item's balances in one godown.
func godownPrefix(item, godown string) string { return item + "\x00" + godown + "\x00" }

func batchKey(item, batch string) string { return item + "\x00" + batch }

func balKey(item, godown string, expiry cal.Date, batch string) string {
	return item + "\x00" + godown + "\x00" + string(expiry) + "\x00" + batch
}

func splitBalKey(k string) (item, godown string, expiry cal.Date, batch string) {
	p := strings.SplitN(k, "\x00", 4)
	if len(p) != 4 {
		return k, "", "", ""
	}
	return p[0], p[1], cal.Date(p[2]), p[3]
}

// A batch is read by every movement, so it is stored compactly: 0x01, then
// cost and MRP as varints, then expiry, item and batch number as
// length-prefixed strings. A value starting with '{' is the JSON of books
// written before.
//
// It came in with the masters cache and the 1 ms group commit; the
// figures for the three together (small book, CPU time): sustained group
// commit 0.39 -> 0.295 CPU-ms an invoice, one 12-line invoice 0.82 -> 0.77
// CPU-ms and 1853 -> 1614 allocs. None was recorded for the batch format
// alone, nor for the movement, totals and balance formats below.
// FuzzStockRecords reads arbitrary bytes as each of them.
func encBatch(b *Batch) []byte {
	buf := make([]byte, 0, 48)
	buf = append(buf, 1)
	buf = binary.AppendVarint(buf, int64(b.Cost))
	buf = binary.AppendVarint(buf, int64(b.MRP))
	for _, s := range []string{string(b.Expiry), b.Item, b.Batch} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

func decBatch(v []byte) (Batch, error) {
	var b Batch
	if len(v) > 0 && v[0] == '{' {
		err := jsonUnmarshal(v, &b)
		return b, err
	}
	bad := fmt.Errorf("stock: batch record %q is corrupt", v)
	if len(v) < 1 || v[0] != 1 {
		return b, bad
	}
	v = v[1:]
	cost, n := binary.Varint(v)
	if n <= 0 {
		return b, bad
	}
	v = v[n:]
	mrp, n := binary.Varint(v)
	if n <= 0 {
		return b, bad
	}
	v = v[n:]
	var parts [3]string
	for i := range parts {
		l, n := binary.Uvarint(v)
		if n <= 0 || uint64(len(v)-n) < l {
			return b, bad
		}
		parts[i] = string(v[n : n+int(l)])
		v = v[n+int(l):]
	}
	b.Cost, b.MRP = money.Paise(cost), money.Paise(mrp)
	b.Expiry, b.Item, b.Batch = cal.Date(parts[0]), parts[1], parts[2]
	return b, nil
}

func encBal(b Balance) []byte {
	var buf [24]byte
	binary.BigEndian.PutUint64(buf[0:], uint64(b.Qty))
	binary.BigEndian.PutUint64(buf[8:], uint64(b.Value))
	binary.BigEndian.PutUint64(buf[16:], uint64(b.MRP))
	return buf[:]
}

func decBal(v []byte) Balance {
	if len(v) < 24 {
		return Balance{}
	}
	return Balance{Qty: money.Qty(binary.BigEndian.Uint64(v[0:])), Value: money.Paise(binary.BigEndian.Uint64(v[8:])),
		MRP: money.Paise(binary.BigEndian.Uint64(v[16:]))}
}

func encTotal(t Total) []byte {
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[0:], uint64(t.Qty))
	binary.BigEndian.PutUint64(buf[8:], uint64(t.Value))
	return buf[:]
}

func decTotal(v []byte) Total {
	if len(v) < 16 {
		return Total{}
	}
	return Total{Qty: money.Qty(binary.BigEndian.Uint64(v[0:])), Value: money.Paise(binary.BigEndian.Uint64(v[8:]))}
}

// encTotals writes only the kinds that moved: kind byte, qty and value as varints.
func encTotals(t *Totals) []byte {
	buf := make([]byte, 0, 24)
	for k := range t {
		if t[k][0] == 0 && t[k][1] == 0 {
			continue
		}
		buf = append(buf, byte(k))
		buf = binary.AppendVarint(buf, t[k][0])
		buf = binary.AppendVarint(buf, t[k][1])
	}
	return buf
}

func decTotals(v []byte) (Totals, error) {
	var t Totals
	for len(v) > 0 {
		k := int(v[0])
		if k >= nKinds {
			return t, fmt.Errorf("stock totals: kind %d unknown", k)
		}
		q, n := binary.Varint(v[1:])
		if n <= 0 {
			return t, fmt.Errorf("stock totals: corrupt")
		}
		val, m := binary.Varint(v[1+n:])
		if m <= 0 {
			return t, fmt.Errorf("stock totals: corrupt")
		}
		t[k][0], t[k][1] = q, val
		v = v[1+n+m:]
	}
	return t, nil
}

func dayKey(item string, d cal.Date) string { return item + "\x00" + string(d) }

func monthKey(item string, d cal.Date) string { return item + "\x00" + string(d)[:7] }

// encMove stores a movement compactly (the ledger is the book's biggest
// bucket): kind, qty and value as varints, then date, item, batch, godown
// and document as length-prefixed strings. The seq is the key.
func encMove(m *Movement) []byte {
	buf := make([]byte, 0, 64)
	buf = append(buf, byte(kindIndex(m.Kind)))
	buf = binary.AppendVarint(buf, int64(m.Qty))
	buf = binary.AppendVarint(buf, int64(m.Value))
	for _, s := range []string{string(m.Date), m.Item, m.Batch, m.Godown, m.Doc} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

func decMove(seq uint64, v []byte) (Movement, error) {
	bad := fmt.Errorf("stock ledger: movement %d is corrupt", seq)
	if len(v) < 1 || int(v[0]) >= len(Kinds) {
		return Movement{}, bad
	}
	m := Movement{Seq: seq, Kind: Kinds[v[0]]}
	v = v[1:]
	q, n := binary.Varint(v)
	if n <= 0 {
		return m, bad
	}
	v = v[n:]
	val, n := binary.Varint(v)
	if n <= 0 {
		return m, bad
	}
	v = v[n:]
	m.Qty, m.Value = money.Qty(q), money.Paise(val)
	var parts [5]string
	for i := range parts {
		l, n := binary.Uvarint(v)
		if n <= 0 || uint64(len(v)-n) < l {
			return m, bad
		}
		parts[i] = string(v[n : n+int(l)])
		v = v[n+int(l):]
	}
	m.Date, m.Item, m.Batch, m.Godown, m.Doc = cal.Date(parts[0]), parts[1], parts[2], parts[3], parts[4]
	return m, nil
}

// dayEnd is the first key after an item's day: ranges of days end there.
func dayEnd(item string, d cal.Date) string { return dayKey(item, d) + "\x00" }

// GetBatch returns a batch of an item.
func GetBatch(tx *book.Tx, item, batch string) (Batch, bool, error) {
	raw := tx.Bucket(bBatches).Get(batchKey(item, batch))
	if raw == nil {
		return Batch{}, false, nil
	}
	b, err := decBatch(raw)
	return b, true, err
}

// Batches returns every batch of an item, in batch-number order.
func Batches(tx *book.Tx, item string) ([]Batch, error) {
	var out []Batch
	err := tx.Bucket(bBatches).Scan(itemPrefix(item), func(_ string, v []byte) (bool, error) {
		b, err := decBatch(v)
		if err != nil {
			return false, err
		}
		out = append(out, b)
		return true, nil
	})
	return out, err
}

func putBatch(tx *book.Tx, b *Batch) error {
	return tx.Bucket(bBatches).Scattered().Put(batchKey(b.Item, b.Batch), encBatch(b))
}

// balances is stock.bal opened once for a run of reads and writes.
type balances struct{ b *book.Bucket }

func balancesIn(tx *book.Tx) balances { return balances{tx.Bucket(bBal)} }

// at reads one balance (a zero Balance when there is none).
func (s balances) at(key string) Balance { return decBal(s.b.Get(key)) }

// set writes a balance; one back at zero quantity and value is removed.
func (s balances) set(key string, b Balance) error {
	if b.Qty == 0 && b.Value == 0 {
		return s.b.Delete(key)
	}
	return s.b.Put(key, encBal(b))
}

// scan calls fn with each balance whose key starts with prefix, in key
// order, until fn answers false.
func (s balances) scan(prefix string, fn func(key string, b Balance) bool) error {
	return s.b.Scan(prefix, func(k string, v []byte) (bool, error) { return fn(k, decBal(v)), nil })
}

// balanceAt reads one stock.bal key (a zero Balance when there is none).
func balanceAt(tx *book.Tx, key string) Balance { return balancesIn(tx).at(key) }

// hasItem reports whether an item has moved (it is named in stock.item).
func hasItem(tx *book.Tx, item string) bool { return tx.Bucket(bItem).Has(item) }

// nameItem puts an item that never moved in stock.item with a zero total.
func nameItem(tx *book.Tx, item string) error {
	if items := tx.Bucket(bItem); !items.Has(item) {
		return items.Put(item, encTotal(Total{}))
	}
	return nil
}

// scanItems calls fn with each item in stock.item whose code starts with
// prefix, and its total up to the fold mark, until fn answers false.
func scanItems(tx *book.Tx, prefix string, fn func(item string, t Total) bool) error {
	return tx.Bucket(bItem).Scan(prefix, func(k string, v []byte) (bool, error) { return fn(k, decTotal(v)), nil })
}

// addItemTotals adds to each item's total, in item order.
func addItemTotals(tx *book.Tx, add map[string]*Total) error {
	items := tx.Bucket(bItem)
	keys := make([]string, 0, len(add))
	for k := range add {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t := decTotal(items.Get(k))
		t.Qty += add[k].Qty
		t.Value += add[k].Value
		if err := items.Put(k, encTotal(t)); err != nil {
			return err
		}
	}
	return nil
}

// appendMove numbers a movement with the ledger's next sequence and
// appends it.
func appendMove(tx *book.Tx, m *Movement) error {
	moves := tx.Bucket(bMoves)
	seq, err := moves.NextSeq()
	if err != nil {
		return err
	}
	m.Seq = seq
	return moves.Put(book.SeqKey(seq), encMove(m))
}

// getMove reads one movement of the ledger.
func getMove(tx *book.Tx, seq uint64) (Movement, bool, error) {
	raw := tx.Bucket(bMoves).Get(book.SeqKey(seq))
	if raw == nil {
		return Movement{}, false, nil
	}
	m, err := decMove(seq, raw)
	return m, true, err
}

// rewriteMove writes a movement over its old self: only Redate does.
func rewriteMove(tx *book.Tx, m *Movement) error {
	return tx.Bucket(bMoves).Put(book.SeqKey(m.Seq), encMove(m))
}

// Movements calls fn for every movement with seq > after, in ledger order.
func Movements(tx *book.Tx, after uint64, fn func(m *Movement) (bool, error)) error {
	return tx.Bucket(bMoves).Range(book.SeqKey(after+1), "", func(k string, v []byte) (bool, error) {
		seq, err := strconv.ParseUint(k, 16, 64)
		if err != nil {
			return false, fmt.Errorf("stock ledger: key %q is not a sequence", k)
		}
		m, err := decMove(seq, v)
		if err != nil {
			return false, err
		}
		return fn(&m)
	})
}

// LastSeq is the sequence of the latest movement.
func LastSeq(tx *book.Tx) uint64 { return tx.Bucket(bMoves).Seq() }

// storedFoldMark reads stock.fold; ok is false in a book without a mark.
func storedFoldMark(tx *book.Tx) (seq uint64, ok bool) {
	if raw := tx.Bucket(bFold).Get("seq"); len(raw) == 8 {
		return binary.BigEndian.Uint64(raw), true
	}
	return 0, false
}

func putFoldMark(tx *book.Tx, seq uint64) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], seq)
	return tx.Bucket(bFold).Put("seq", buf[:])
}

// addPeriodTotals adds totals by day key to stock.day and by month key to
// stock.month, in key order. scattered marks both buckets written all over
// (a fold's catch-up: keys are item-first).
func addPeriodTotals(tx *book.Tx, days, months map[string]*Totals, scattered bool) error {
	for _, p := range []struct {
		name string
		m    map[string]*Totals
	}{{bDay, days}, {bMonth, months}} {
		b := tx.Bucket(p.name)
		if scattered {
			b = b.Scattered()
		}
		keys := make([]string, 0, len(p.m))
		for k := range p.m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			t, err := decTotals(b.Get(k))
			if err != nil {
				return fmt.Errorf("%s: %w", strings.ReplaceAll(k, "\x00", " "), err)
			}
			t.add(p.m[k])
			if err := b.Put(k, encTotals(&t)); err != nil {
				return err
			}
		}
	}
	return nil
}

// periodTotals is stock.day and stock.month opened once for a run of reads.
type periodTotals struct{ days, months *book.Bucket }

func periodTotalsIn(tx *book.Tx) periodTotals {
	return periodTotals{tx.Bucket(bDay), tx.Bucket(bMonth)}
}

// sumDays adds the daily totals with keys in [from, to) into into.
func (p periodTotals) sumDays(from, to string, into *Totals) error {
	return sumTotals(p.days, from, to, into)
}

// sumMonths adds the monthly totals with keys in [from, to) into into.
func (p periodTotals) sumMonths(from, to string, into *Totals) error {
	return sumTotals(p.months, from, to, into)
}

func sumTotals(b *book.Bucket, from, to string, into *Totals) error {
	return b.Range(from, to, func(_ string, v []byte) (bool, error) {
		t, err := decTotals(v)
		if err != nil {
			return false, err
		}
		into.add(&t)
		return true, nil
	})
}

// scanPeriodTotals calls fn with every key of stock.day (monthly false) or
// stock.month and its decoded totals, or the error decoding them.
func scanPeriodTotals(tx *book.Tx, monthly bool, fn func(key string, t Totals, err error)) error {
	name := bDay
	if monthly {
		name = bMonth
	}
	return tx.Bucket(name).Scan("", func(k string, v []byte) (bool, error) {
		t, err := decTotals(v)
		fn(k, t, err)
		return true, nil
	})
}
