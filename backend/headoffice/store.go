package headoffice

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
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

const (
	bDistributors = "ho_distributors"
	bBatches      = "ho_batches"
	bLines        = "ho_sales_lines"
	bReceipts     = "ho_primary_receipts"
	bStock        = "ho_stock"
	bRedemptions  = "ho_redemptions"
	bOutlets      = "ho_outlets"
	bSKUs         = "ho_skus"
	bAdmin        = "ho_admin"
)

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
		ok, err = tx.Bucket(bDistributors).GetJSON(code, &d)
		return err
	})
	return d, ok, err
}

// Distributors lists every registered distributor by code.
func (s *BookStore) Distributors() ([]Distributor, error) {
	var out []Distributor
	err := s.b.View(func(tx *book.Tx) error {
		return tx.Bucket(bDistributors).Scan("", func(k string, v []byte) (bool, error) {
			var d Distributor
			if err := json.Unmarshal(v, &d); err != nil {
				return false, fmt.Errorf("distributor %s: %w", k, err)
			}
			out = append(out, d)
			return true, nil
		})
	})
	return out, err
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

// rawRow is the row as it came on the wire, or re-encoded when the batch was
// built in memory.
func rawRow(raw [][]byte, i int, v any) []byte {
	if i < len(raw) {
		return raw[i]
	}
	out, _ := json.Marshal(v)
	return out
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
