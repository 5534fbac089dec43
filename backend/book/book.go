package book

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"vitaran/backend/cal"
)

// SchemaVersion is the layout this build writes. 2: the packages' compact
// layouts (see OnMigrate). 3: a cancellation's movements and reversals dated
// on the invoice's own date (billing's migrate.go). 4: an old cancellation's
// "-CXL" credit note in Tally is withdrawn and its Sales voucher cancelled
// instead (tallybridge/posting's migrate.go).
const SchemaVersion = 4

// ErrLocked means another Vitaran process holds the book open.
var ErrLocked = errors.New("the book is open in another Vitaran (desktop or serve): use that one, or stop it first")

// ErrNewer means the book was written by a newer Vitaran.
var ErrNewer = errors.New("this book was written by a newer version of Vitaran")

// Book is an open book file.
type Book struct {
	db     atomic.Pointer[bolt.DB] // swapped only by Reopen
	opt    Options
	path   string
	commit committer // Batch's group commit (commit.go)
}

// Options tune Open.
type Options struct {
	// ReadOnly opens for reading only (check, export while another reads).
	ReadOnly bool
	// LockWait is how long to wait for another process's lock (default 1 s).
	LockWait time.Duration
	// NoSync skips fsync: only for demo generation and benchmarks that
	// measure the app, never for a real book.
	NoSync bool
	// BatchDelay, when set, makes Batch wait that long for company before
	// each commit (default 0: commit at once; callers arriving meanwhile
	// share the next commit). BatchSize caps the calls in one transaction
	// (default DefaultBatchSize).
	BatchDelay time.Duration
	BatchSize  int
	// BeforeMigrate, when set, writes the copy kept before a migration
	// (the app writes it compressed and verified, like every backup);
	// otherwise a plain copy goes to backups/ beside the book.
	BeforeMigrate func(b *Book, fromSchema int) error
}

// DefaultBatchSize caps the Batch calls that share one transaction.
const DefaultBatchSize = 1000

// FileName is the book's file inside a data folder.
const FileName = "vitaran.book"

// Open opens (creating if needed) the book at path and migrates it forward.
func Open(path string, opt Options) (*Book, error) {
	if opt.LockWait == 0 {
		opt.LockWait = time.Second
	}
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("book folder: %w", err)
		}
	}
	existed := fileExists(path)
	if existed {
		if st, err := os.Stat(path); err == nil && st.Size() >= 2*4096 {
			if err := checkExtent(path, st.Size()); err != nil {
				return nil, fmt.Errorf("%w: restore the latest backup (vitaran restore --from FILE)", err)
			}
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        opt.LockWait,
		ReadOnly:       opt.ReadOnly,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		NoSync:         opt.NoSync,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open book %s: %w", path, err)
	}
	b := &Book{opt: opt, path: path, commit: committer{delay: opt.BatchDelay, max: DefaultBatchSize}}
	b.db.Store(db)
	if opt.BatchSize > 0 {
		b.commit.max = opt.BatchSize
	}
	v, err := b.schema()
	if err != nil {
		db.Close()
		return nil, err
	}
	if v > SchemaVersion {
		db.Close()
		return nil, fmt.Errorf("%s has schema %d and this Vitaran reads up to %d: %w; install the newer version (the book was not changed)", path, v, SchemaVersion, ErrNewer)
	}
	if v < SchemaVersion && !opt.ReadOnly {
		if existed && v > 0 {
			keep := func(b *Book, v int) error { return b.copyAside(fmt.Sprintf("pre-migration-v%d", v)) }
			if opt.BeforeMigrate != nil {
				keep = opt.BeforeMigrate
			}
			if err := keep(b, v); err != nil {
				db.Close()
				return nil, err
			}
		}
		if err := b.migrate(v); err != nil {
			db.Close()
			return nil, err
		}
	}
	return b, nil
}

func fileExists(p string) bool { st, err := os.Stat(p); return err == nil && st.Size() > 0 }

// Path is the book's file.
func (b *Book) Path() string { return b.path }

// Close closes the book.
func (b *Book) Close() error { return b.db.Load().Close() }

// Reopen closes the book (waiting for the transactions in flight), runs
// replace — which may put another file at the book's path, as an in-place
// restore does — and opens the book's path again under the same options.
// Calls made meanwhile fail (the database is not open); none sees half of
// either file. If the path cannot be opened after replace, the book stays
// closed and the error says why.
func (b *Book) Reopen(replace func() error) error {
	if err := b.db.Load().Close(); err != nil {
		return err
	}
	rerr := replace()
	nb, err := Open(b.path, b.opt)
	if err != nil {
		return errors.Join(rerr, fmt.Errorf("reopen the book: %w", err))
	}
	b.db.Store(nb.db.Load())
	return rerr
}

func (b *Book) schema() (int, error) {
	var v int
	err := b.db.Load().View(func(tx *bolt.Tx) error {
		m := tx.Bucket([]byte("meta"))
		if m == nil {
			return nil
		}
		if raw := m.Get([]byte("schema")); raw != nil {
			n, err := strconv.Atoi(string(raw))
			if err != nil {
				return fmt.Errorf("book meta/schema %q is corrupt", raw)
			}
			v = n
		}
		return nil
	})
	return v, err
}

// migrations[i] moves a book from schema i to i+1.
var migrations = []func(*Tx) error{
	func(t *Tx) error { // 0 → 1: the first layout
		for _, name := range []string{"meta", "audit"} {
			t.Bucket(name)
		}
		return t.Bucket("meta").Put("created", []byte(cal.Now().UTC().Format(time.RFC3339)))
	},
	func(t *Tx) error { return t.runUpgrades(2) }, // 1 → 2: the packages' compact layouts
	func(t *Tx) error { return t.runUpgrades(3) }, // 2 → 3: cancellations void from the invoice's date
	func(t *Tx) error { return t.runUpgrades(4) }, // 3 → 4: Tally's old cancellation credit notes withdrawn
}

// upgrades[v] are the packages' own rewrites for schema v.
var upgrades = map[int][]func(*Tx) error{}

// OnMigrate registers fn to run, inside the migration transaction, when a
// book moves to schema v: a package rewriting its own buckets into a new
// layout. Call it from an init function; fn must be a no-op on a book that
// never held the old layout.
func OnMigrate(v int, fn func(*Tx) error) {
	upgrades[v] = append(upgrades[v], fn)
}

func (t *Tx) runUpgrades(v int) error {
	for _, fn := range upgrades[v] {
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

// DropBucket deletes a top-level bucket and everything in it, if it
// exists: only for a migration that has moved its contents.
func (t *Tx) DropBucket(name string) error {
	err := t.tx.DeleteBucket([]byte(name))
	if errors.Is(err, berrors.ErrBucketNotFound) {
		return nil
	}
	return err
}

func (b *Book) migrate(from int) error {
	return b.db.Load().Update(func(btx *bolt.Tx) error {
		t := &Tx{tx: btx}
		for v := from; v < SchemaVersion; v++ {
			if err := migrations[v](t); err != nil {
				return fmt.Errorf("migrate book to schema %d: %w", v+1, err)
			}
		}
		return t.Bucket("meta").Put("schema", []byte(strconv.Itoa(SchemaVersion)))
	})
}

func (b *Book) copyAside(label string) error {
	dir := filepath.Join(filepath.Dir(b.path), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dst := filepath.Join(dir, fmt.Sprintf("%s-%s.book", label, time.Now().UTC().Format("20060102-150405")))
	return b.BackupFile(dst)
}

// View runs fn in a read-only transaction.
func (b *Book) View(fn func(*Tx) error) error {
	return b.db.Load().View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Update runs fn in a read-write transaction, committed only if fn returns nil.
func (b *Book) Update(fn func(*Tx) error) error {
	return b.db.Load().Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// WriteTo writes a consistent copy of the whole book to w, while others keep
// reading and writing.
func (b *Book) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := b.db.Load().View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy to dst atomically (temp file, fsync,
// rename), so a half-written backup never carries the final name.
func (b *Book) BackupFile(dst string) error {
	tmp := dst + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := b.WriteTo(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// Size is the book file's size in bytes.
func (b *Book) Size() int64 {
	var n int64
	b.db.Load().View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

// Tx is one transaction over the book.
type Tx struct {
	tx        *bolt.Tx
	Actor     Actor
	scattered map[string]bool // buckets marked Scattered in this transaction
}

// Actor is who is doing a write, for the audit log.
type Actor struct {
	User string `json:"user"`
	Role string `json:"role,omitempty"`
	From string `json:"from,omitempty"` // "desktop", an IP address, "cli"
}

// Writable reports whether the transaction may write.
func (t *Tx) Writable() bool { return t.tx.Writable() }

// Bucket returns the named top-level bucket, creating it in a writable
// transaction. In a read-only transaction a missing bucket reads as empty.
func (t *Tx) Bucket(name string) *Bucket {
	b := t.tx.Bucket([]byte(name))
	if b == nil && t.tx.Writable() {
		var err error
		b, err = t.tx.CreateBucket([]byte(name))
		if err != nil {
			panic(fmt.Sprintf("book: create bucket %s: %v", name, err))
		}
	}
	if b != nil && t.tx.Writable() {
		// Most of the book is appended in key order (ledger, audit, queues,
		// documents by number); bbolt's default half-full pages would double
		// the file. Random inserts still split pages as needed.
		b.FillPercent = fillPercent
		if t.scattered[name] {
			b.FillPercent = bolt.DefaultFillPercent
		}
	}
	return &Bucket{b: b, tx: t, name: name}
}

const fillPercent = 0.9

// Scattered says the bucket is written at scattered places (an index by
// outlet, a counter per scheme and outlet), not appended: its pages split
// in half, bbolt's default, because a page split 90/10 is soon split
// again and the tree ends up under half full. It holds for the rest of
// the transaction.
func (b *Bucket) Scattered() *Bucket {
	if b.b != nil && b.tx.Writable() {
		b.b.FillPercent = bolt.DefaultFillPercent
		if b.tx.scattered == nil {
			b.tx.scattered = map[string]bool{}
		}
		b.tx.scattered[b.name] = true
	}
	return b
}

// Bucket is a sorted key → value map inside the book.
type Bucket struct {
	b    *bolt.Bucket
	tx   *Tx
	name string
}

// Get returns the value at key, or nil. The slice is valid only inside the
// transaction.
func (b *Bucket) Get(key string) []byte {
	if b.b == nil {
		return nil
	}
	return b.b.Get([]byte(key))
}

// Has reports whether key exists.
func (b *Bucket) Has(key string) bool { return b.Get(key) != nil }

// GetJSON decodes the value at key into v and reports whether it existed.
func (b *Bucket) GetJSON(key string, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("book: decode %s: %w", key, err)
	}
	return true, nil
}

// Put stores value at key.
func (b *Bucket) Put(key string, value []byte) error {
	if b.b == nil {
		return errors.New("book: write in a read-only transaction")
	}
	return b.b.Put([]byte(key), value)
}

// PutJSON stores v encoded as JSON at key.
func (b *Bucket) PutJSON(key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("book: encode %s: %w", key, err)
	}
	return b.Put(key, raw)
}

// Delete removes key. Never used on ledger or audit buckets.
func (b *Bucket) Delete(key string) error {
	if b.b == nil {
		return errors.New("book: write in a read-only transaction")
	}
	return b.b.Delete([]byte(key))
}

// NextSeq returns the bucket's next sequence number (1, 2, …).
func (b *Bucket) NextSeq() (uint64, error) {
	if b.b == nil {
		return 0, errors.New("book: sequence in a read-only transaction")
	}
	return b.b.NextSequence()
}

// SetSeq sets the bucket's sequence: only for a migration carrying a
// bucket's numbering over to a new one.
func (b *Bucket) SetSeq(n uint64) error {
	if b.b == nil {
		return errors.New("book: sequence in a read-only transaction")
	}
	return b.b.SetSequence(n)
}

// Seq is the bucket's current sequence (the last NextSeq handed out).
func (b *Bucket) Seq() uint64 {
	if b.b == nil {
		return 0
	}
	return b.b.Sequence()
}

// Len counts the keys.
func (b *Bucket) Len() int {
	if b.b == nil {
		return 0
	}
	return b.b.Stats().KeyN
}

// Scan calls fn for each key with the given prefix, in key order, until fn
// returns false or an error.
func (b *Bucket) Scan(prefix string, fn func(key string, value []byte) (bool, error)) error {
	return b.Range(prefix, prefix+"\xff", fn)
}

// Range calls fn for keys in [from, to), in key order.
func (b *Bucket) Range(from, to string, fn func(key string, value []byte) (bool, error)) error {
	if b.b == nil {
		return nil
	}
	c := b.b.Cursor()
	for k, v := c.Seek([]byte(from)); k != nil && (to == "" || string(k) < to); k, v = c.Next() {
		more, err := fn(string(k), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// Reverse calls fn for keys in [from, to) from the last to the first.
func (b *Bucket) Reverse(from, to string, fn func(key string, value []byte) (bool, error)) error {
	if b.b == nil {
		return nil
	}
	c := b.b.Cursor()
	var k, v []byte
	if to == "" {
		k, v = c.Last()
	} else {
		k, _ = c.Seek([]byte(to))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	for ; k != nil && string(k) >= from; k, v = c.Prev() {
		more, err := fn(string(k), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// SeqKey makes a key that sorts by a sequence number.
func SeqKey(n uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return fmt.Sprintf("%016x", b)
}

// Verify opens the book file at path read-only and checks bbolt's own
// consistency (every page reachable once, no dangling references) and the
// schema. A truncated or damaged file fails here and is never restored.
func Verify(path string) (err error) {
	// bbolt trusts its pages and panics on a torn one; here a torn file is
	// the very thing being looked for, so the panic is the verdict.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s is damaged (truncated or overwritten): %v", path, r)
		}
	}()
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.Size() < 4096*2 {
		return fmt.Errorf("%s is %d bytes: too small to be a book", path, st.Size())
	}
	// Before bbolt maps the file: a torn file would make the map read past
	// its end, which no recover can catch.
	if err := checkExtent(path, st.Size()); err != nil {
		return err
	}
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("%s is not a readable book: %w", path, err)
	}
	defer db.Close()
	b := &Book{path: path}
	b.db.Store(db)
	if v, err := b.schema(); err != nil {
		return err
	} else if v == 0 || v > SchemaVersion {
		return fmt.Errorf("%s has schema %d; this Vitaran reads 1 to %d", path, v, SchemaVersion)
	}
	return db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("%s is damaged: %w", path, err)
		}
		return nil
	})
}

// WriteStats is what the book's write transactions have done since it was
// opened: how much they made dirty is what a posting costs on disk.
type WriteStats struct {
	Pages  int64 // pages written (4 KiB each on a usual book)
	Writes int64 // write calls made
	Spills int64 // nodes spilled (dirty B-tree nodes)
}

// WriteStats sums the write transactions so far.
func (b *Book) WriteStats() WriteStats {
	s := b.db.Load().Stats().TxStats
	return WriteStats{Pages: s.GetPageAlloc() / int64(b.db.Load().Info().PageSize), Writes: s.GetWrite(), Spills: s.GetSpill()}
}

// checkExtent reads bbolt's two meta pages and checks that the file holds
// every page the newer valid one says the book uses.
func checkExtent(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// A meta page: a 16-byte page header, then magic, version, page size,
	// flags (4 bytes each), the root bucket (16), the freelist page (8), the
	// high-water page id (8), the transaction id (8) and an FNV-64a checksum
	// of the 56 bytes before it.
	const header, metaLen = 16, 64
	var best struct {
		pgid, txid uint64
		pageSize   uint32
		ok         bool
	}
	buf := make([]byte, header+metaLen)
	var pageSize int64 = 4096
	for i := int64(0); i < 2; i++ {
		if _, err := f.ReadAt(buf, i*pageSize); err != nil {
			return fmt.Errorf("%s: cannot read meta page %d: %w", path, i, err)
		}
		m := buf[header:]
		magic := binary.LittleEndian.Uint32(m[0:])
		ps := binary.LittleEndian.Uint32(m[8:])
		if magic != 0xED0CDAED || ps < 1024 || ps > 1<<16 {
			continue
		}
		h := fnv.New64a()
		h.Write(m[:56])
		if h.Sum64() != binary.LittleEndian.Uint64(m[56:]) {
			continue
		}
		if i == 0 {
			pageSize = int64(ps)
		}
		if txid := binary.LittleEndian.Uint64(m[48:]); !best.ok || txid > best.txid {
			best.pgid, best.txid, best.pageSize, best.ok = binary.LittleEndian.Uint64(m[40:]), txid, ps, true
		}
	}
	if !best.ok {
		return fmt.Errorf("%s is not a book: neither meta page is valid", path)
	}
	if need := int64(best.pgid) * int64(best.pageSize); size < need {
		return fmt.Errorf("%s is truncated: %d bytes of the %d the book uses", path, size, need)
	}
	return nil
}
