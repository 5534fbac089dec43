package headoffice

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/loginlimit"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// Distributor is a distributor head office has registered, with what its
// uploads have brought so far.
type Distributor struct {
	Code              string      `json:"code"`
	Region            string      `json:"region"`
	Name              string      `json:"name,omitempty"`
	Key               string      `json:"key"`
	AddedAt           time.Time   `json:"added_at"`
	Batches           int         `json:"batches"`
	SalesLines        int         `json:"sales_lines"`
	SalesTaxablePaise money.Paise `json:"sales_taxable_paise"`
	LastUpload        time.Time   `json:"last_upload,omitzero"`
	LastBatchID       string      `json:"last_batch_id,omitempty"`
	DataTo            cal.Date    `json:"data_to,omitempty"`
	// Conflicts counts sales lines that arrived under a key head office
	// already held with other content (a number reused for another sale);
	// they are not stored, and LastConflict names the last one.
	Conflicts    int    `json:"conflicts,omitempty"`
	LastConflict string `json:"last_conflict,omitempty"`
}

// ErrBatchConflict means a batch id already stored arrived with different content.
var ErrBatchConflict = errors.New("this batch_id is already stored with different content; a changed batch needs a new batch_id")

// ErrUnknownDistributor means no distributor is registered under the code.
var ErrUnknownDistributor = errors.New("unknown distributor")

// Rollup names a pre-summed view of the uploads, keyed by distributor and day
// and, below the day, by Dim.
type Rollup string

// The rollups every Store keeps in step with the rows it holds.
const (
	RollSalesDist     Rollup = "sales_dist"     // dim: ""
	RollSalesBeat     Rollup = "sales_beat"     // dim: beat
	RollSalesOutlet   Rollup = "sales_outlet"   // dim: beat \x1f outlet
	RollSalesSalesman Rollup = "sales_salesman" // dim: salesman
	RollSalesSKU      Rollup = "sales_sku"      // dim: sku
	RollPrimaryDist   Rollup = "primary_dist"   // dim: ""
	RollPrimarySKU    Rollup = "primary_sku"    // dim: sku
	RollStockDist     Rollup = "stock_dist"     // dim: "" (Qty closing, Sold, Value closing value, Lines SKUs)
	RollScheme        Rollup = "scheme"         // dim: scheme (Lines redemptions, FreeQty, Discount, Value)
)

// sep joins key parts; codes never hold control characters.
const sep = "\x1f"

// Sum is one rollup cell. Which fields mean what depends on the rollup;
// for sales: Lines, Invoices, Qty, FreeQty, Discount, Taxable, Tax. A
// cancellation's lines count −1 each (and −1 invoice), on the invoice's own
// date, so a cancelled invoice counts for nothing, not even as lines.
type Sum struct {
	Lines int64 `json:"lines"`
	// Invoices, in the sales rollups but the SKU one, counts invoices: +1
	// for an invoice's line 1, −1 for its cancellation's. The stores keep
	// it in the sold slot, which sales never use (see Stored), so their
	// layout is unchanged; cells stored before count none.
	Invoices int64       `json:"invoices,omitempty"`
	Qty      money.Qty   `json:"qty"`
	FreeQty  money.Qty   `json:"free_qty"`
	Sold     money.Qty   `json:"sold,omitempty"`
	Discount money.Paise `json:"discount_paise"`
	Taxable  money.Paise `json:"taxable_paise"`
	Tax      money.Paise `json:"tax_paise"`
	Value    money.Paise `json:"value_paise,omitempty"`
}

// Add adds o into s.
func (s *Sum) Add(o Sum) {
	s.Lines += o.Lines
	s.Invoices += o.Invoices
	s.Qty += o.Qty
	s.FreeQty += o.FreeQty
	s.Sold += o.Sold
	s.Discount += o.Discount
	s.Taxable += o.Taxable
	s.Tax += o.Tax
	s.Value += o.Value
}

func (s *Sum) fields() [8]int64 {
	return [8]int64{s.Lines, int64(s.Qty), int64(s.FreeQty), int64(s.Sold), int64(s.Discount), int64(s.Taxable), int64(s.Tax), int64(s.Value)}
}

func (s *Sum) marshal() []byte {
	out := make([]byte, 0, 40)
	for _, v := range s.fields() {
		out = binary.AppendVarint(out, v)
	}
	return out
}

func unmarshalSum(raw []byte) (Sum, error) {
	var f [8]int64
	for i := range f {
		v, n := binary.Varint(raw)
		if n <= 0 {
			return Sum{}, errors.New("corrupt rollup cell")
		}
		f[i], raw = v, raw[n:]
	}
	return SumOf(f), nil
}

// SumOf is a cell from its stored fields, in the order Lines, Qty, FreeQty,
// Sold, Discount, Taxable, Tax, Value (as both stores keep them).
func SumOf(f [8]int64) Sum {
	return Sum{Lines: f[0], Qty: money.Qty(f[1]), FreeQty: money.Qty(f[2]), Sold: money.Qty(f[3]), Discount: money.Paise(f[4]), Taxable: money.Paise(f[5]), Tax: money.Paise(f[6]), Value: money.Paise(f[7])}
}

// salesSum is what one sales line adds to the sales rollups: a line (−1 for
// a cancellation's line, which undoes its invoice's), and on line 1 an
// invoice (−1 for a cancellation).
func salesSum(l *wire.SalesLine) Sum {
	n := int64(1)
	if l.DocType == wire.DocCancel {
		n = -1
	}
	s := Sum{Lines: n, Qty: l.Qty, FreeQty: l.FreeQty, Discount: l.DiscountPaise, Taxable: l.TaxablePaise, Tax: l.CGSTPaise + l.SGSTPaise + l.IGSTPaise}
	if l.LineNo == 1 && l.DocType != wire.DocReturn {
		s.Invoices = n
	}
	return s
}

// Stored is a cell as the stores keep it: in the sales rollups the invoice
// count goes in the sold slot (none in the SKU rollup: an invoice has many
// SKUs). Loaded is the way back.
func Stored(r Rollup, s Sum) Sum {
	switch r {
	case RollSalesDist, RollSalesBeat, RollSalesOutlet, RollSalesSalesman, RollSalesRegion:
		s.Sold, s.Invoices = money.Qty(s.Invoices), 0
	case RollSalesSKU, RollSalesSKURegion, RollSalesSKUNational:
		s.Invoices = 0
	}
	return s
}

// Loaded is a stored cell as the rollup means it (see Stored).
func Loaded(r Rollup, s Sum) Sum {
	switch r {
	case RollSalesDist, RollSalesBeat, RollSalesOutlet, RollSalesSalesman, RollSalesRegion:
		s.Invoices, s.Sold = int64(s.Sold), 0
	}
	return s
}

// Store is where the receiver keeps what distributors upload. BookStore is
// the embedded one (a pilot, the demo, the tests); a server database
// (PostgreSQL, package pgstore) implements the same for a brand's scale.
type Store interface {
	AddDistributor(d Distributor) error
	Distributor(code string) (Distributor, bool, error)
	Distributors() ([]Distributor, error)
	// Directory lists the registered distributors' codes, regions and
	// names (only region's when region is not ""), by code: what the
	// dashboard's views are scoped by, lighter than Distributors.
	Directory(region string) ([]Listed, error)
	// Regions counts the registered distributors of each region.
	Regions() (map[string]int, error)
	// Ingest stores a verified batch whole, or returns the stored ack if the
	// batch id is already held with the same manifest (ErrBatchConflict if
	// with another).
	Ingest(b *wire.Batch, receivedAt time.Time) (ack wire.Ack, duplicate bool, err error)
	// ScanRollup calls fn for each cell of one distributor's rollup with a
	// day in [from, to], in day order.
	ScanRollup(r Rollup, code string, from, to cal.Date, fn func(day cal.Date, dim string, s Sum) error) error
	// StockOn returns the distributor's stock statement rows of the last day
	// on or before day that has any.
	StockOn(code string, day cal.Date) ([]wire.StockLine, error)
	Outlets(code string, fn func(wire.Outlet) error) error
	SKUs(fn func(wire.SKU) error) error
	SalesLines(code string, from, to cal.Date, fn func(wire.SalesLine) error) error
	Redemptions(code string, fn func(wire.Redemption) error) error
	Admin() (user string, hash []byte, err error)
	SetAdmin(user string, hash []byte) error
	// SetSchemes replaces the schemes head office issued; IssuedSchemes
	// returns them (nil if none).
	SetSchemes(ss []rules.Scheme) error
	IssuedSchemes() ([]rules.Scheme, error)
	// OpenSession keeps a dashboard session until expires; SessionValid
	// reports whether id is open at now; CloseSession ends it. A store
	// shared by several receivers shares their sessions.
	OpenSession(id string, expires time.Time) error
	SessionValid(id string, now time.Time) (bool, error)
	CloseSession(id string) error
	// FirstSignature records an upload's signature, signed at signedAt,
	// and reports whether it is the first time the store sees it. A
	// signature older than now-window may be forgotten (its timestamp is
	// refused by then anyway).
	FirstSignature(sig string, signedAt, now time.Time, window time.Duration) (bool, error)
	// ScanMonths calls fn for each month cell of r kept for scope (a
	// distributor's code, or for the SKU rollups a region; see MonthGrain)
	// with a month (its first day) in [from, to], in month and dim order.
	ScanMonths(r Rollup, scope string, from, to cal.Date, fn func(month cal.Date, dim string, s Sum) error) error
	// Conflicts lists the rows sent again under a held key with other
	// content (the held row stays), by distributor, part, row key and
	// arrival; code "" for every distributor.
	Conflicts(code string) ([]Conflict, error)
	// LoginLimits and SaveLoginLimits keep the dashboard login's throttle
	// (package loginlimit), so a restart resets no lockout.
	loginlimit.Store
	Close() error
}

// BookStore is the Store in its own book file (head office's, never a
// distributor's). Raw rows are kept as received (sales lines as the batch's
// gzip part itself); rollups are summed at ingest.
//
// Sessions and the replay cache of the embedded store live in memory: one
// process owns the book file, so nothing else could share them.
type BookStore struct {
	b *book.Book
	memAuth
}

// StoreFile is the receiver's book inside its data folder.
const StoreFile = "headoffice.book"

// OpenStore opens (creating) the receiver's store in dir.
func OpenStore(dir string, opt book.Options) (*BookStore, error) {
	b, err := book.Open(filepath.Join(dir, StoreFile), opt)
	if err != nil {
		return nil, fmt.Errorf("head-office store: %w", err)
	}
	s := &BookStore{b: b, memAuth: newMemAuth()}
	if !opt.ReadOnly {
		if err := s.packLegacyRollups(); err != nil {
			b.Close()
			return nil, fmt.Errorf("head-office store: pack rollups: %w", err)
		}
		if err := s.buildMonths(); err != nil {
			b.Close()
			return nil, fmt.Errorf("head-office store: month cells: %w", err)
		}
	}
	return s, nil
}

// Close closes the store's book.
func (s *BookStore) Close() error { return s.b.Close() }

// LoginLimits returns the login throttle's entries kept in the book.
func (s *BookStore) LoginLimits() ([]loginlimit.Entry, error) {
	return loginlimit.InBook(s.b).LoginLimits()
}

// SaveLoginLimits writes the login throttle's changed entries to the book.
func (s *BookStore) SaveLoginLimits(changed []loginlimit.Entry) error {
	return loginlimit.InBook(s.b).SaveLoginLimits(changed)
}

// The embedded store's buckets, their keys and encodings: everything below
// is the only code in the package that opens a bucket (book's owners_test
// keeps it so); ingest, the month cells and the claims read and write
// through these functions. A distributor's keys start with its code and
// sep; a region's cells with the region, the nation's with National ("").
// JSON values are the rows as the distributor sent them, byte for byte.
const (
	bDistributors = "ho_distributors"     // code → Distributor
	bBatches      = "ho_batches"          // code \x1f batch id → batchRecord
	bLines        = "ho_sales_lines"      // code \x1f line key → SalesLine: one key a line, by older receivers; still read
	bSalesParts   = "ho_sales_parts"      // code \x1f SeqKey → first day, last day, gzip NDJSON (salesPart)
	bSalesSeen    = "ho_sales_seen"       // code \x1f day → the day's natural keys held (appendSeen)
	bReceipts     = "ho_primary_receipts" // code \x1f receipt key → row
	bStock        = "ho_stock"            // code \x1f day \x1f SKU → row
	bRedemptions  = "ho_redemptions"      // code \x1f redemption id → row
	bOutlets      = "ho_outlets"          // code \x1f outlet → the latest row
	bSKUs         = "ho_skus"             // brand SKU code → the latest row
	bSchemes      = "ho_schemes"          // "issued" → the schemes head office issued
	bConflicts    = "ho_conflicts"        // code \x1f part \x1f row key \x1f batch id → conflictRecord
	bAdmin        = "ho_admin"            // "admin" → adminRecord; monthsBuilt → "1"
)

// rollupBucket holds a rollup's day cells, packed (see packDay): key scope
// \x1f day.
func rollupBucket(r Rollup) string { return "ho_rollday_" + string(r) }

// monthBucket holds r's month cells, packed as the day cells are: key
// scope \x1f month's first day.
func monthBucket(r Rollup) string { return "ho_rollmonth_" + string(r) }

// legacyRollupBucket held one key per cell (code \x1f day [\x1f dim]);
// OpenStore packs what it finds there.
func legacyRollupBucket(r Rollup) string { return "ho_roll_" + string(r) }

// monthsBuilt marks a store whose month cells were built from its day
// cells (a store from before month cells gets them once, on open).
const monthsBuilt = "month_cells_v4" // v2: and the region × day cells; v3: and the national × SKU cells; v4: and beats' and salesmen's

// AddDistributor registers d; a code already registered is an error.
func (s *BookStore) AddDistributor(d Distributor) error {
	return s.b.Update(func(tx *book.Tx) error {
		bk := tx.Bucket(bDistributors)
		if bk.Has(d.Code) {
			return fmt.Errorf("distributor %s is already registered", d.Code)
		}
		return bk.PutJSON(d.Code, &d)
	})
}

// Distributor returns the distributor registered under code.
func (s *BookStore) Distributor(code string) (Distributor, bool, error) {
	var d Distributor
	var ok bool
	err := s.b.View(func(tx *book.Tx) error {
		var err error
		ok, err = getDistributor(tx, code, &d)
		return err
	})
	return d, ok, err
}

// Distributors lists every registered distributor by code.
func (s *BookStore) Distributors() ([]Distributor, error) {
	var out []Distributor
	err := s.b.View(func(tx *book.Tx) error {
		return eachDistributor(tx, func(d Distributor) error { out = append(out, d); return nil })
	})
	return out, err
}

// getDistributor reads the distributor registered under code into d.
func getDistributor(tx *book.Tx, code string, d *Distributor) (bool, error) {
	return tx.Bucket(bDistributors).GetJSON(code, d)
}

func putDistributor(tx *book.Tx, code string, d *Distributor) error {
	return tx.Bucket(bDistributors).PutJSON(code, d)
}

// eachDistributor calls fn with every registered distributor, by code.
func eachDistributor(tx *book.Tx, fn func(Distributor) error) error {
	return tx.Bucket(bDistributors).Scan("", func(k string, v []byte) (bool, error) {
		var d Distributor
		if err := json.Unmarshal(v, &d); err != nil {
			return false, fmt.Errorf("distributor %s: %w", k, err)
		}
		return true, fn(d)
	})
}

// Listed is a registered distributor as the dashboard scopes its views.
type Listed struct {
	Code   string `json:"code"`
	Region string `json:"region"`
	Name   string `json:"name,omitempty"`
}

// Directory lists the registered distributors (region's only, when given).
func (s *BookStore) Directory(region string) ([]Listed, error) {
	ds, err := s.Distributors()
	var out []Listed
	for _, d := range ds {
		if region == "" || d.Region == region {
			out = append(out, Listed{Code: d.Code, Region: d.Region, Name: d.Name})
		}
	}
	return out, err
}

// Regions counts the registered distributors of each region.
func (s *BookStore) Regions() (map[string]int, error) {
	ds, err := s.Distributors()
	out := map[string]int{}
	for _, d := range ds {
		out[d.Region]++
	}
	return out, err
}

type batchRecord struct {
	ManifestSHA string   `json:"manifest_sha256"`
	Ack         wire.Ack `json:"ack"`
}

// ManifestDigest is what a stored batch is compared by: the same batch id
// with another digest is ErrBatchConflict.
func ManifestDigest(m *wire.Manifest) string { return manifestDigest(m) }

func manifestDigest(m *wire.Manifest) string {
	c := *m
	raw, _ := json.Marshal(&c)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// storedBatch is the record of code's batch id (ok false if it was never
// stored).
func storedBatch(tx *book.Tx, code, batchID string) (rec batchRecord, ok bool, err error) {
	ok, err = tx.Bucket(bBatches).GetJSON(code+sep+batchID, &rec)
	return rec, ok, err
}

func putBatch(tx *book.Tx, code, batchID string, rec *batchRecord) error {
	return tx.Bucket(bBatches).PutJSON(code+sep+batchID, rec)
}

// rawRow is the row as it came on the wire, or re-encoded when the batch was
// built in memory.
func rawRow(raw [][]byte, i int, v any) []byte {
	if i < len(raw) {
		return raw[i]
	}
	out, _ := json.Marshal(v)
	return out
}

// rows is one bucket of rows kept as sent: a distributor's (key code \x1f
// the row's key) or the SKUs (key the brand's SKU code). Ingest takes it
// once per part.
type rows struct {
	b *book.Bucket
	p string // the key's prefix
}

func receiptsOf(tx *book.Tx, code string) rows    { return rows{tx.Bucket(bReceipts), code + sep} }
func redemptionsOf(tx *book.Tx, code string) rows { return rows{tx.Bucket(bRedemptions), code + sep} }
func outletsOf(tx *book.Tx, code string) rows     { return rows{tx.Bucket(bOutlets), code + sep} }
func skusIn(tx *book.Tx) rows                     { return rows{tx.Bucket(bSKUs), ""} }

// putNew keeps raw under key unless a row is held there already, which it
// returns instead (valid only inside the transaction).
func (r rows) putNew(key string, raw []byte) (held []byte, err error) {
	k := r.p + key
	if held := r.b.Get(k); held != nil {
		return held, nil
	}
	return nil, r.b.Put(k, raw)
}

// put keeps raw under key, replacing the row held there.
func (r rows) put(key string, raw []byte) error { return r.b.Put(r.p+key, raw) }

// stockRows is a distributor's stock statement rows, by day and SKU.
type stockRows struct {
	b *book.Bucket
	p string
}

func stockOf(tx *book.Tx, code string) stockRows { return stockRows{tx.Bucket(bStock), code + sep} }

// replace keeps raw as the row of day and sku and returns the row it
// replaced (had false if none).
func (s stockRows) replace(day cal.Date, sku string, raw []byte) (old wire.StockLine, had bool, err error) {
	k := s.p + string(day) + sep + sku
	if v := s.b.Get(k); v != nil {
		if err := json.Unmarshal(v, &old); err != nil {
			return old, false, fmt.Errorf("stock %s: %w", k, err)
		}
		had = true
	}
	return old, had, s.b.Put(k, raw)
}

// StockOn returns code's stock rows on the last day ≤ day that has any.
func (s *BookStore) StockOn(code string, day cal.Date) ([]wire.StockLine, error) {
	p := code + sep
	var out []wire.StockLine
	err := s.b.View(func(tx *book.Tx) error {
		bk := tx.Bucket(bStock)
		var last string
		if err := bk.Reverse(p, p+string(day)+"\xff", func(k string, _ []byte) (bool, error) {
			last = k[len(p) : len(p)+10]
			return false, nil
		}); err != nil {
			return err
		}
		if last == "" {
			return nil
		}
		return bk.Scan(p+last+sep, func(k string, v []byte) (bool, error) {
			var st wire.StockLine
			if err := json.Unmarshal(v, &st); err != nil {
				return false, fmt.Errorf("stock %q: %w", k, err)
			}
			out = append(out, st)
			return true, nil
		})
	})
	return out, err
}

func scanJSON[T any](s *BookStore, bucket, from, to string, fn func(T) error) error {
	return s.b.View(func(tx *book.Tx) error {
		return tx.Bucket(bucket).Range(from, to, func(k string, v []byte) (bool, error) {
			var row T
			if err := json.Unmarshal(v, &row); err != nil {
				return false, fmt.Errorf("%s %q: %w", bucket, k, err)
			}
			return true, fn(row)
		})
	})
}

// Outlets calls fn for each outlet code's distributor has sent.
func (s *BookStore) Outlets(code string, fn func(wire.Outlet) error) error {
	return scanJSON(s, bOutlets, code+sep, code+sep+"\xff", fn)
}

// SKUs calls fn for every SKU any distributor has sent, by brand SKU code.
func (s *BookStore) SKUs(fn func(wire.SKU) error) error { return scanJSON(s, bSKUs, "", "", fn) }

// Redemptions calls fn for each of code's redemptions.
func (s *BookStore) Redemptions(code string, fn func(wire.Redemption) error) error {
	return scanJSON(s, bRedemptions, code+sep, code+sep+"\xff", fn)
}

// Sales lines are most of every batch. Writing each as its own key (a JSON
// value and a B-tree insert per line, ~4 MB of pages per 10,000 lines) was
// most of ingest, yet head office reads raw lines only to check claims, by
// distributor and period. So a batch's new lines are kept as one value: the
// sales_lines part exactly as it was sent and hashed (gzip NDJSON), or, when
// some of its lines were already held, a gzip of only the new ones. Keys:
//
//	ho_sales_parts  code \x1f seq → first day, last day (10 bytes each), gzip
//	ho_sales_seen   code \x1f day → the day's natural keys held so far,
//	                each doc_type \x1f invoice_no \x1f line_no [\x1f fingerprint] \n
//
// The seen index is what makes a line resent under a new batch id (a full
// refresh, a retry) count once: a batch reads and rewrites one key per day
// it touches. Lines stored one key each by an older receiver (ho_sales_lines)
// are still read and still recognised.

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

// eachSeen reads a day's seen index; fp is "" for entries stored before
// lines carried a fingerprint. FuzzSeenIndex reads arbitrary bytes.
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

// seenIndex is a distributor's seen index, one key a day.
type seenIndex struct {
	b *book.Bucket
	p string
}

func seenIndexOf(tx *book.Tx, code string) seenIndex {
	return seenIndex{tx.Bucket(bSalesSeen), code + sep}
}

// day is the day's index as stored (nil if none; valid only inside the
// transaction).
func (s seenIndex) day(d cal.Date) []byte { return s.b.Get(s.p + string(d)) }

func (s seenIndex) put(d cal.Date, raw []byte) error { return s.b.Put(s.p+string(d), raw) }

// legacyLines is a distributor's sales lines stored one key a line by an
// older receiver.
type legacyLines struct {
	b *book.Bucket
	p string
}

func legacyLinesOf(tx *book.Tx, code string) legacyLines {
	return legacyLines{tx.Bucket(bLines), code + sep}
}

// any reports whether the distributor has any.
func (l legacyLines) any() (bool, error) {
	var found bool
	err := l.b.Scan(l.p, func(string, []byte) (bool, error) { found = true; return false, nil })
	return found, err
}

// has reports whether a line with the natural key (SalesLine.Key) is held.
func (l legacyLines) has(key string) bool { return l.b.Get(l.p+key) != nil }

// putSalesPart stores the batch's fresh lines as one value.
func putSalesPart(tx *book.Tx, code string, b *wire.Batch, fresh []int) error {
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
	return parts.Put(code+sep+book.SeqKey(seq), v)
}

// eachSalesLine calls fn for code's raw sales lines dated in [from, to]:
// each stored part whose days overlap the period is unzipped and read,
// then the lines an older receiver stored one key each.
func eachSalesLine(tx *book.Tx, code string, from, to cal.Date, fn func(wire.SalesLine) error) error {
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

type conflictRecord struct {
	Held       json.RawMessage `json:"held"`
	Sent       json.RawMessage `json:"sent"`
	ReceivedAt time.Time       `json:"received_at"`
}

// putConflict records that batch sent row (raw) under key of part with
// other content than held; a batch sent again records nothing new.
func putConflict(tx *book.Tx, code, part, key, batch string, held, sent []byte, at time.Time) error {
	return tx.Bucket(bConflicts).PutJSON(code+sep+part+sep+key+sep+batch, &conflictRecord{Held: held, Sent: sent, ReceivedAt: at.UTC()})
}

// eachConflict calls fn with code's conflicts ("" for every distributor's)
// in key order: distributor, part, row key, batch id.
func eachConflict(tx *book.Tx, code string, fn func(Conflict) error) error {
	from, to := "", ""
	if code != "" {
		from, to = code+sep, code+sep+"\xff"
	}
	return tx.Bucket(bConflicts).Range(from, to, func(k string, v []byte) (bool, error) {
		var parts [4]string
		rest := k
		for i := range 3 {
			var ok bool
			parts[i], rest, ok = strings.Cut(rest, sep)
			if !ok {
				return false, fmt.Errorf("conflict %q: key is not code, part, row key, batch", k)
			}
		}
		parts[3] = rest
		var rec conflictRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, fmt.Errorf("conflict %q: %w", k, err)
		}
		return true, fn(Conflict{Code: parts[0], Part: parts[1], RowKey: parts[2], BatchID: parts[3], Held: rec.Held, Sent: rec.Sent, ReceivedAt: rec.ReceivedAt})
	})
}

// SetSchemes stores the schemes head office issued (replacing the set).
func (s *BookStore) SetSchemes(ss []rules.Scheme) error {
	return s.b.Update(func(tx *book.Tx) error { return tx.Bucket(bSchemes).PutJSON("issued", ss) })
}

// IssuedSchemes returns the schemes stored with SetSchemes (nil if none).
func (s *BookStore) IssuedSchemes() ([]rules.Scheme, error) {
	var ss []rules.Scheme
	err := s.b.View(func(tx *book.Tx) error { _, err := tx.Bucket(bSchemes).GetJSON("issued", &ss); return err })
	return ss, err
}

type adminRecord struct {
	User string `json:"user"`
	Hash []byte `json:"hash"`
}

// Admin returns the dashboard's admin user and password hash ("" if unset).
func (s *BookStore) Admin() (string, []byte, error) {
	var a adminRecord
	err := s.b.View(func(tx *book.Tx) error {
		_, err := tx.Bucket(bAdmin).GetJSON("admin", &a)
		return err
	})
	return a.User, a.Hash, err
}

// SetAdmin sets the dashboard's admin user and password hash.
func (s *BookStore) SetAdmin(user string, hash []byte) error {
	return s.b.Update(func(tx *book.Tx) error {
		return tx.Bucket(bAdmin).PutJSON("admin", &adminRecord{User: user, Hash: hash})
	})
}

func monthsAreBuilt(tx *book.Tx) bool { return tx.Bucket(bAdmin).Has(monthsBuilt) }

func markMonthsBuilt(tx *book.Tx) error { return tx.Bucket(bAdmin).Put(monthsBuilt, []byte("1")) }

// Rollups are stored one key per scope and day (scope \x1f day), the value
// that day's cells packed in dim order: uvarint len(dim), dim, then the
// Sum's eight varints; month cells the same, keyed by the month's first
// day. A 10,000-line batch touches thousands of (day, SKU) and (day,
// outlet) cells but only a handful of days, so ingest reads and writes a
// few keys per rollup instead of one per cell, and a period's scan reads
// one key per day.
//
// Measured against one key per cell (BenchmarkIngest, 12,485 rows an
// op, shared 2-core PC, load 7-10): ~100 -> ~80-94 cpu-ms an op, ~124k ->
// 133k-156k lines a cpu-s, wall 43k-81k -> 48k-114k lines/s.
// FuzzRollupDay reads arbitrary bytes.

// cells is one rollup's packed cells, by day (rollupBucket) or by month
// (monthBucket).
type cells struct{ b *book.Bucket }

func dayCells(tx *book.Tx, r Rollup) cells   { return cells{tx.Bucket(rollupBucket(r))} }
func monthCells(tx *book.Tx, r Rollup) cells { return cells{tx.Bucket(monthBucket(r))} }

// get is scope's packed cells of day (nil if none; valid only inside the
// transaction).
func (c cells) get(scope string, day cal.Date) []byte { return c.b.Get(scope + sep + string(day)) }

func (c cells) put(scope string, day cal.Date, packed []byte) error {
	return c.b.Put(scope+sep+string(day), packed)
}

func (c cells) drop(scope string, day cal.Date) error { return c.b.Delete(scope + sep + string(day)) }

// eachDay calls fn with scope's packed cells of each day in [from, to], in
// day order.
func (c cells) eachDay(scope string, from, to cal.Date, fn func(day cal.Date, packed []byte) error) error {
	p := scope + sep
	return c.b.Range(p+string(from), p+string(to)+"\xff", func(k string, v []byte) (bool, error) {
		return true, fn(cal.Date(k[len(p):]), v)
	})
}

// each calls fn with every scope's packed cells of every day, by scope
// and day; r names the rollup in a key's error.
func (c cells) each(r Rollup, fn func(scope string, day cal.Date, packed []byte) error) error {
	return c.b.Scan("", func(k string, v []byte) (bool, error) {
		scope, day, ok := strings.Cut(k, sep)
		if !ok {
			return false, fmt.Errorf("rollup %s: key %q is not code, day", r, k)
		}
		return true, fn(scope, cal.Date(day), v)
	})
}

// clear drops every cell.
func (c cells) clear() error {
	var keys []string
	if err := c.b.Scan("", func(k string, _ []byte) (bool, error) { keys = append(keys, k); return true, nil }); err != nil {
		return err
	}
	for _, k := range keys {
		if err := c.b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// mergeCells adds cells into scope's packed days (or months: of) of the
// rollups: one Get and one Put per rollup and day touched.
func mergeCells(tx *book.Tx, of func(*book.Tx, Rollup) cells, scope string, r rollups) error {
	p := scope + sep
	for name, cs := range r {
		byDay := map[cal.Date][]dimSum{}
		for c, s := range cs {
			byDay[c.day] = append(byDay[c.day], dimSum{c.key(), Stored(name, *s)})
		}
		days := make([]cal.Date, 0, len(byDay))
		for d := range byDay {
			days = append(days, d)
		}
		slices.Sort(days)
		bk := of(tx, name).b
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

// ScanMonths calls fn for each month cell of r kept for scope (a
// distributor's code, or a region; see MonthGrain) with a month in
// [from, to] (first days), in month and dim order.
func (s *BookStore) ScanMonths(r Rollup, scope string, from, to cal.Date, fn func(month cal.Date, dim string, sm Sum) error) error {
	p := scope + sep
	return s.b.View(func(tx *book.Tx) error {
		return tx.Bucket(monthBucket(r)).Range(p+string(from), p+string(to)+"\xff", func(k string, v []byte) (bool, error) {
			m := cal.Date(k[len(p):])
			err := eachCell(v, func(dim []byte, sm Sum) error { return fn(m, string(dim), Loaded(r, sm)) })
			if err != nil {
				return false, fmt.Errorf("month rollup %s %q: %w", r, k, err)
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
