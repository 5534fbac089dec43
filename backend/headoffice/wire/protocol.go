package wire

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// FormatVersion is the protocol version this build writes and reads.
const FormatVersion = 1

// The protocol's HTTP names. See docs/UPLOAD-PROTOCOL.md.
const (
	UploadPath        = "/upload/v1/batches"
	ContentType       = "application/vnd.vitaran.batch.v1"
	HeaderDistributor = "X-Vitaran-Distributor"
	HeaderTimestamp   = "X-Vitaran-Timestamp"
	HeaderSignature   = "X-Vitaran-Signature"
)

// Batch kinds: a delta carries what was posted since the last batch; a full
// refresh also resends every master and the recent history.
const (
	KindDelta = "delta"
	KindFull  = "full"
)

// Part names, in the order a batch carries them.
const (
	PartSalesLines     = "sales_lines"
	PartReceipts       = "primary_receipts"
	PartStock          = "stock_statement"
	PartRedemptions    = "scheme_redemptions"
	PartOutlets        = "outlets"
	PartSKUs           = "skus"
	maxManifestBytes   = 64 << 10
	maxRowBytes        = 64 << 10
	DefaultMaxBody     = 64 << 20
	DefaultMaxUnzipped = 64 << 20
	// MaxBatchRows is the most rows one batch may hold, all parts together
	// (§6 of the protocol): the client starts a new batch there and the
	// receiver refuses a manifest that counts more.
	MaxBatchRows = 50_000
)

// PartNames lists every part v1 knows, in wire order.
var PartNames = []string{PartSalesLines, PartReceipts, PartStock, PartRedemptions, PartOutlets, PartSKUs}

// Sales document types. Returns and cancellations are negative lines.
const (
	DocInvoice = "invoice"
	DocReturn  = "return"
	DocCancel  = "cancel"
)

// Manifest describes one batch: who sent it, what period it covers and, for
// each part, its row count, size and SHA-256.
type Manifest struct {
	FormatVersion   int        `json:"format_version"`
	DistributorCode string     `json:"distributor_code"`
	BatchID         string     `json:"batch_id"`
	Kind            string     `json:"kind"`
	PeriodFrom      cal.Date   `json:"period_from"`
	PeriodTo        cal.Date   `json:"period_to"`
	CreatedAt       time.Time  `json:"created_at"`
	Parts           []PartInfo `json:"parts"`
}

// PartInfo is one part's line in the manifest. SHA256 and Bytes are of the
// gzip bytes as sent; Rows is the number of NDJSON lines inside.
type PartInfo struct {
	Name   string `json:"name"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Counts is rows per part, keyed by part name.
type Counts map[string]int

// Counts returns the manifest's row counts per part.
func (m *Manifest) Counts() Counts {
	c := Counts{}
	for _, p := range m.Parts {
		c[p.Name] = p.Rows
	}
	return c
}

// Ack is the receiver's acknowledgement. Received repeats the rows per part
// it verified and stored; New counts those head office had not held before.
type Ack struct {
	FormatVersion   int       `json:"format_version"`
	DistributorCode string    `json:"distributor_code"`
	BatchID         string    `json:"batch_id"`
	Received        Counts    `json:"received"`
	New             Counts    `json:"new"`
	ReceivedAt      time.Time `json:"received_at"`
}

// SettleNew completes New once a store has counted the parts it keeps
// once: outlets and SKUs (replaced, never kept once) are new as received,
// and New names exactly the parts Received does (0 when none were new).
func (a *Ack) SettleNew() {
	for _, name := range []string{PartOutlets, PartSKUs} {
		if c, ok := a.Received[name]; ok {
			a.New[name] = c
		}
	}
	for k := range a.New {
		if _, ok := a.Received[k]; !ok {
			delete(a.New, k)
		}
	}
	for _, name := range PartNames {
		if _, ok := a.Received[name]; ok {
			if _, ok := a.New[name]; !ok {
				a.New[name] = 0
			}
		}
	}
}

// Matches reports whether the ack acknowledges exactly the manifest.
func (a *Ack) Matches(m *Manifest) bool {
	if a.BatchID != m.BatchID || a.DistributorCode != m.DistributorCode || len(a.Received) != len(m.Parts) {
		return false
	}
	for _, p := range m.Parts {
		if n, ok := a.Received[p.Name]; !ok || n != p.Rows {
			return false
		}
	}
	return true
}

// Refusal is the body of every 4xx and 5xx answer.
type Refusal struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
	Part   string `json:"part,omitempty"`
	Row    int    `json:"row,omitempty"`
}

// SalesLine is one secondary-sales line at outlet × SKU × batch grain.
// Returns and cancellations carry negative quantities and amounts.
type SalesLine struct {
	DocType       string      `json:"doc_type"`
	InvoiceNo     string      `json:"invoice_no"`
	InvoiceDate   cal.Date    `json:"invoice_date"`
	LineNo        int         `json:"line_no"`
	RefInvoiceNo  string      `json:"ref_invoice_no,omitempty"`
	OutletCode    string      `json:"outlet_code"`
	BeatCode      string      `json:"beat_code,omitempty"`
	SalesmanCode  string      `json:"salesman_code,omitempty"`
	SKUCode       string      `json:"sku_code"`
	ItemCode      string      `json:"item_code,omitempty"`
	BatchNo       string      `json:"batch_no,omitempty"`
	Qty           money.Qty   `json:"qty"`
	FreeQty       money.Qty   `json:"free_qty,omitempty"`
	RatePaise     money.Paise `json:"rate_paise"`
	DiscountPaise money.Paise `json:"discount_paise,omitempty"`
	SchemeCodes   []string    `json:"scheme_codes,omitempty"`
	TaxablePaise  money.Paise `json:"taxable_paise"`
	CGSTPaise     money.Paise `json:"cgst_paise,omitempty"`
	SGSTPaise     money.Paise `json:"sgst_paise,omitempty"`
	IGSTPaise     money.Paise `json:"igst_paise,omitempty"`
	OrderID       string      `json:"order_id,omitempty"`
	OrderLat      float64     `json:"order_lat,omitempty"`
	OrderLng      float64     `json:"order_lng,omitempty"`
	OrderTakenAt  string      `json:"order_taken_at,omitempty"`
}

// Key is the line's natural key: the same line resent is the same key.
func (l *SalesLine) Key() string {
	return l.DocType + "|" + string(l.InvoiceDate) + "|" + l.InvoiceNo + "|" + strconv.Itoa(l.LineNo)
}

// PrimaryReceipt is one line of goods received from the brand (a GRN line).
type PrimaryReceipt struct {
	GRNNo        string      `json:"grn_no"`
	GRNDate      cal.Date    `json:"grn_date"`
	LineNo       int         `json:"line_no"`
	BrandInvoice string      `json:"brand_invoice_no,omitempty"`
	BrandInvDate cal.Date    `json:"brand_invoice_date,omitempty"`
	SKUCode      string      `json:"sku_code"`
	ItemCode     string      `json:"item_code,omitempty"`
	BatchNo      string      `json:"batch_no,omitempty"`
	Expiry       cal.Date    `json:"expiry,omitempty"`
	Qty          money.Qty   `json:"qty"`
	FreeQty      money.Qty   `json:"free_qty,omitempty"`
	RatePaise    money.Paise `json:"rate_paise"`
	TaxablePaise money.Paise `json:"taxable_paise"`
	CGSTPaise    money.Paise `json:"cgst_paise,omitempty"`
	SGSTPaise    money.Paise `json:"sgst_paise,omitempty"`
	IGSTPaise    money.Paise `json:"igst_paise,omitempty"`
	IsReturnToCo bool        `json:"is_purchase_return,omitempty"`
}

// Key is the receipt line's natural key.
func (r *PrimaryReceipt) Key() string {
	return string(r.GRNDate) + "|" + r.GRNNo + "|" + strconv.Itoa(r.LineNo)
}

// StockLine is one SKU's stock statement for one day, in base units.
// Always: opening + received − sold + returned − purchase_returned − damaged + adjusted = closing.
type StockLine struct {
	Date              cal.Date    `json:"date"`
	SKUCode           string      `json:"sku_code"`
	ItemCode          string      `json:"item_code,omitempty"`
	Opening           money.Qty   `json:"opening"`
	Received          money.Qty   `json:"received"`
	Sold              money.Qty   `json:"sold"`
	Returned          money.Qty   `json:"returned"`
	PurchaseReturned  money.Qty   `json:"purchase_returned,omitempty"`
	Damaged           money.Qty   `json:"damaged"`
	Adjusted          money.Qty   `json:"adjusted"`
	Closing           money.Qty   `json:"closing"`
	ClosingValuePaise money.Paise `json:"closing_value_paise,omitempty"`
}

// Balanced reports whether the statement's identity holds.
func (s *StockLine) Balanced() bool {
	return s.Opening+s.Received-s.Sold+s.Returned-s.PurchaseReturned-s.Damaged+s.Adjusted == s.Closing
}

// Redemption is one application of a scheme on an invoice line: what the
// distributor will claim back from the brand.
type Redemption struct {
	RedemptionID  string      `json:"redemption_id"`
	SchemeCode    string      `json:"scheme_code"`
	InvoiceNo     string      `json:"invoice_no"`
	InvoiceDate   cal.Date    `json:"invoice_date"`
	LineNo        int         `json:"line_no,omitempty"`
	OutletCode    string      `json:"outlet_code"`
	SKUCode       string      `json:"sku_code,omitempty"`
	FreeSKUCode   string      `json:"free_sku_code,omitempty"`
	FreeQty       money.Qty   `json:"free_qty,omitempty"`
	DiscountPaise money.Paise `json:"discount_paise,omitempty"`
	ValuePaise    money.Paise `json:"value_paise"`
}

// Outlet is an outlet master row as the brand sees it.
type Outlet struct {
	OutletCode   string  `json:"outlet_code"`
	Name         string  `json:"name"`
	BeatCode     string  `json:"beat_code,omitempty"`
	BeatName     string  `json:"beat_name,omitempty"`
	SalesmanCode string  `json:"salesman_code,omitempty"`
	SalesmanName string  `json:"salesman_name,omitempty"`
	Channel      string  `json:"channel,omitempty"`
	StateCode    string  `json:"state_code,omitempty"`
	GSTIN        string  `json:"gstin,omitempty"`
	Town         string  `json:"town,omitempty"`
	Pincode      string  `json:"pincode,omitempty"`
	Lat          float64 `json:"lat,omitempty"`
	Lng          float64 `json:"lng,omitempty"`
	Active       bool    `json:"active"`
}

// SKU is an item master row keyed by the brand's SKU code.
type SKU struct {
	SKUCode   string      `json:"sku_code"`
	ItemCode  string      `json:"item_code,omitempty"`
	Name      string      `json:"name"`
	Brand     string      `json:"brand,omitempty"`
	Category  string      `json:"category,omitempty"`
	HSN       string      `json:"hsn,omitempty"`
	GSTRateBP money.BP    `json:"gst_rate_bp,omitempty"`
	MRPPaise  money.Paise `json:"mrp_paise,omitempty"`
	CaseSize  money.Qty   `json:"case_size,omitempty"`
	Active    bool        `json:"active"`
}

// Sign is the request signature: hex HMAC-SHA256 over timestamp "\n" body
// with the distributor's key (the key's text, as printed).
func Sign(key string, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(timestamp))
	m.Write([]byte{'\n'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// validSignature compares in constant time.
func ValidSignature(key, timestamp string, body []byte, sig string) bool {
	want := Sign(key, timestamp, body)
	return hmac.Equal([]byte(want), []byte(sig))
}

// Batch is a batch's rows in memory: what the builder encodes and what the
// receiver decodes.
type Batch struct {
	Manifest    Manifest
	SalesLines  []SalesLine
	Receipts    []PrimaryReceipt
	Stock       []StockLine
	Redemptions []Redemption
	Outlets     []Outlet
	SKUs        []SKU
	// raw NDJSON rows as received, parallel to the slices above; the
	// receiver stores them as they came.
	raw map[string][][]byte
	// gzip holds each part's bytes as sent (and hashed), when decoded.
	gzip map[string][]byte
}

// RawRows is each row of part as it came on the wire (nil for a batch
// built in memory): the stores keep rows as sent.
func (b *Batch) RawRows(part string) [][]byte { return b.raw[part] }

// Gzip is part's bytes as sent and hashed (nil for a batch built in memory).
func (b *Batch) Gzip(part string) []byte { return b.gzip[part] }

// Lines counts every row in the batch.
func (b *Batch) Lines() int {
	return len(b.SalesLines) + len(b.Receipts) + len(b.Stock) + len(b.Redemptions) + len(b.Outlets) + len(b.SKUs)
}

// Encode writes the batch body: the manifest as one JSON line, then each
// non-empty part's gzip NDJSON, back to back in manifest order. It fills in
// the manifest's parts.
func (b *Batch) Encode() ([]byte, error) {
	type part struct {
		name string
		rows int
		each func(func(any) error) error
	}
	parts := []part{
		{PartSalesLines, len(b.SalesLines), func(f func(any) error) error { return eachRow(b.SalesLines, f) }},
		{PartReceipts, len(b.Receipts), func(f func(any) error) error { return eachRow(b.Receipts, f) }},
		{PartStock, len(b.Stock), func(f func(any) error) error { return eachRow(b.Stock, f) }},
		{PartRedemptions, len(b.Redemptions), func(f func(any) error) error { return eachRow(b.Redemptions, f) }},
		{PartOutlets, len(b.Outlets), func(f func(any) error) error { return eachRow(b.Outlets, f) }},
		{PartSKUs, len(b.SKUs), func(f func(any) error) error { return eachRow(b.SKUs, f) }},
	}
	b.Manifest.Parts = nil
	var blobs [][]byte
	for _, p := range parts {
		if p.rows == 0 {
			continue
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		enc := json.NewEncoder(zw)
		enc.SetEscapeHTML(false)
		if err := p.each(func(v any) error { return enc.Encode(v) }); err != nil {
			return nil, fmt.Errorf("encode %s: %w", p.name, err)
		}
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("compress %s: %w", p.name, err)
		}
		sum := sha256.Sum256(buf.Bytes())
		b.Manifest.Parts = append(b.Manifest.Parts, PartInfo{Name: p.name, Rows: p.rows, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(buf.Len())})
		blobs = append(blobs, buf.Bytes())
	}
	if b.Manifest.FormatVersion == 0 {
		b.Manifest.FormatVersion = FormatVersion
	}
	head, err := json.Marshal(&b.Manifest)
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	out := append(head, '\n')
	for _, blob := range blobs {
		out = append(out, blob...)
	}
	return out, nil
}

func eachRow[T any](rows []T, f func(any) error) error {
	for i := range rows {
		if err := f(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// DecodeError is a batch the receiver refuses, with the part and row to blame.
type DecodeError struct {
	Code   string
	Reason string
	Part   string
	Row    int
}

func (e *DecodeError) Error() string {
	s := e.Code + ": " + e.Reason
	if e.Part != "" {
		s += " (part " + e.Part
		if e.Row > 0 {
			s += " row " + strconv.Itoa(e.Row)
		}
		s += ")"
	}
	return s
}

func refuse(code, format string, a ...any) *DecodeError {
	return &DecodeError{Code: code, Reason: fmt.Sprintf(format, a...)}
}

var (
	codePattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$`)
	batchPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	hexPattern   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Limits bound what DecodeBatch accepts.
type Limits struct {
	MaxUnzipped int64 // all parts together, after gunzip
	// Charge, when set, is told the size of each unzip buffer as it is
	// made (the batch keeps them all): the receiver's memory accounting.
	Charge func(bytes int64)
}

// ValidCode reports whether code may name a distributor on the wire.
func ValidCode(code string) bool { return codePattern.MatchString(code) }

// DecodeManifest reads and checks the manifest line at the start of body,
// and returns it with the offset where the parts begin.
func DecodeManifest(body []byte) (*Manifest, int, error) {
	nl := bytes.IndexByte(body, '\n')
	if nl < 0 || nl > maxManifestBytes {
		return nil, 0, refuse("bad_manifest", "the body must start with the manifest as one JSON line of at most %d bytes", maxManifestBytes)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(body[:nl]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, 0, refuse("bad_manifest", "manifest is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, 0, refuse("bad_manifest", "trailing data after the manifest object")
	}
	if m.FormatVersion != FormatVersion {
		return nil, 0, refuse("unsupported_version", "format_version %d is not supported; this receiver reads %d", m.FormatVersion, FormatVersion)
	}
	if !codePattern.MatchString(m.DistributorCode) {
		return nil, 0, refuse("bad_manifest", "distributor_code %q is not a code (letters, digits, _ . -, up to 32)", m.DistributorCode)
	}
	if !batchPattern.MatchString(m.BatchID) {
		return nil, 0, refuse("bad_manifest", "batch_id %q must be 1–64 of letters, digits, _ . -", m.BatchID)
	}
	if m.Kind != KindDelta && m.Kind != KindFull {
		return nil, 0, refuse("bad_manifest", "kind %q must be delta or full", m.Kind)
	}
	if !m.PeriodFrom.Valid() || !m.PeriodTo.Valid() || m.PeriodTo.Before(m.PeriodFrom) {
		return nil, 0, refuse("bad_manifest", "period %q..%q must be two YYYY-MM-DD dates, from ≤ to", m.PeriodFrom, m.PeriodTo)
	}
	if m.CreatedAt.IsZero() {
		return nil, 0, refuse("bad_manifest", "created_at is missing")
	}
	seen := map[string]bool{}
	var total int64
	rows := 0
	for _, p := range m.Parts {
		if !knownPart(p.Name) {
			return nil, 0, refuse("bad_manifest", "part %q is not a v1 part", p.Name)
		}
		if seen[p.Name] {
			return nil, 0, refuse("bad_manifest", "part %q appears twice", p.Name)
		}
		seen[p.Name] = true
		if p.Rows < 0 || p.Bytes <= 0 || p.Bytes > int64(len(body)) {
			return nil, 0, &DecodeError{Code: "bad_manifest", Reason: "rows must be ≥ 0 and bytes > 0 and within the body", Part: p.Name}
		}
		if !hexPattern.MatchString(p.SHA256) {
			return nil, 0, &DecodeError{Code: "bad_manifest", Reason: "sha256 must be 64 lower-case hex digits", Part: p.Name}
		}
		if rows += p.Rows; rows > MaxBatchRows {
			return nil, 0, refuse("too_large", "the parts hold more than %d rows; a batch holds at most %d: split it", MaxBatchRows, MaxBatchRows)
		}
		total += p.Bytes
	}
	if rest := int64(len(body) - nl - 1); total != rest {
		return nil, 0, refuse("bad_length", "the parts' bytes add up to %d but %d bytes follow the manifest", total, rest)
	}
	return &m, nl + 1, nil
}

func knownPart(name string) bool {
	for _, n := range PartNames {
		if n == name {
			return true
		}
	}
	return false
}

// DecodeBatch checks and decodes a whole batch body: manifest, each part's
// SHA-256, gzip, NDJSON rows, counts and the rows' own rules. Nothing in it
// is trusted until this returns nil.
func DecodeBatch(body []byte, lim Limits) (*Batch, error) {
	if lim.MaxUnzipped <= 0 {
		lim.MaxUnzipped = DefaultMaxUnzipped
	}
	m, off, err := DecodeManifest(body)
	if err != nil {
		return nil, err
	}
	b := &Batch{Manifest: *m, raw: map[string][][]byte{}, gzip: map[string][]byte{}}
	budget := lim.MaxUnzipped
	for _, p := range m.Parts {
		blob := body[off : off+int(p.Bytes)]
		off += int(p.Bytes)
		sum := sha256.Sum256(blob)
		if hex.EncodeToString(sum[:]) != p.SHA256 {
			return nil, &DecodeError{Code: "bad_hash", Reason: "SHA-256 of the part does not match the manifest", Part: p.Name}
		}
		// The client's blob: its gzip trailer's size is not trusted, and a
		// part stops at one row more than its manifest counts.
		rows, used, err := readLines(blob, budget, initialBuffer(blob, budget), p.Rows, lim.Charge)
		if err != nil {
			err.Part = p.Name
			return nil, err
		}
		budget -= used
		if len(rows) != p.Rows {
			return nil, &DecodeError{Code: "bad_count", Reason: fmt.Sprintf("manifest says %d rows, the part holds %d", p.Rows, len(rows)), Part: p.Name}
		}
		b.raw[p.Name] = rows
		b.gzip[p.Name] = blob
		if err := b.decodeRows(p.Name, rows); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// readNDJSON gunzips blob, a part the store kept after it was verified
// (so its gzip trailer's size is true), and splits it into lines, refusing
// more than budget bytes unzipped, overlong lines and empty lines.
func ReadNDJSON(blob []byte, budget int64) ([][]byte, int64, *DecodeError) {
	return readLines(blob, budget, unzippedHint(blob, budget), -1, nil)
}

// initialBuffer sizes the unzip buffer of a part from a client from what
// arrived (its compressed length), never from the size it claims: the
// buffer grows as real data comes, up to the budget.
func initialBuffer(blob []byte, budget int64) int64 {
	return min(int64(len(blob))*4+512, budget+1, MaxInitialBuffer)
}

// maxInitialBuffer caps a part's first unzip buffer (later ones are
// unzipChunk, or twice a line cut at the end of the last).
const MaxInitialBuffer = 4 << 20

// readLines is readNDJSON starting from a buffer of hint bytes and, when
// maxRows ≥ 0, refusing more than maxRows lines (bad_count); charge (if
// set) is told each buffer's size.
func readLines(blob []byte, budget, hint int64, maxRows int, charge func(int64)) ([][]byte, int64, *DecodeError) {
	if charge == nil {
		charge = func(int64) {}
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, 0, &DecodeError{Code: "bad_gzip", Reason: err.Error()}
	}
	zr.Multistream(false)
	// Lines are split as the data comes, so an overlong line or a row too
	// many stops the unzipping there. Rows are slices of the buffers, which
	// the batch keeps; a buffer that fills starts the next one with the
	// unfinished line, so the data is never copied whole.
	var rows [][]byte
	if maxRows >= 0 {
		rows = make([][]byte, 0, min(maxRows, 4096))
	}
	buf := make([]byte, 0, max(min(hint, budget+1), 512))
	charge(int64(cap(buf)))
	start, scan := 0, 0
	var used int64
	for {
		if len(buf) == cap(buf) {
			next := make([]byte, len(buf)-start, max(unzipChunk, 2*(len(buf)-start)))
			charge(int64(cap(next)))
			copy(next, buf[start:])
			buf, scan, start = next, scan-start, 0
		}
		n, rerr := zr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if used += int64(n); used > budget {
			return nil, 0, &DecodeError{Code: "too_large", Reason: fmt.Sprintf("the parts unzip to more than %d bytes", budget)}
		}
		for {
			i := bytes.IndexByte(buf[scan:], '\n')
			if i < 0 {
				scan = len(buf)
				break
			}
			line := buf[start : scan+i : scan+i]
			scan += i + 1
			start = scan
			if err := addRow(&rows, line, maxRows); err != nil {
				return nil, 0, err
			}
		}
		if len(buf)-start > maxRowBytes {
			return nil, 0, &DecodeError{Code: "bad_row", Reason: fmt.Sprintf("a row is longer than %d bytes", maxRowBytes), Row: len(rows) + 1}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, 0, &DecodeError{Code: "bad_gzip", Reason: rerr.Error()}
		}
	}
	if start < len(buf) { // the final newline is optional
		if err := addRow(&rows, buf[start:len(buf):len(buf)], maxRows); err != nil {
			return nil, 0, err
		}
	}
	// Nothing may follow the gzip member.
	if n, _ := io.Copy(io.Discard, zr); n != 0 {
		return nil, 0, &DecodeError{Code: "bad_gzip", Reason: "data after the gzip stream"}
	}
	return rows, used, nil
}

// unzipChunk is the size of each further unzip buffer of a part.
const unzipChunk = 1 << 20

func addRow(rows *[][]byte, line []byte, maxRows int) *DecodeError {
	if len(line) == 0 {
		return &DecodeError{Code: "bad_row", Reason: "empty line", Row: len(*rows) + 1}
	}
	if len(line) > maxRowBytes {
		return &DecodeError{Code: "bad_row", Reason: fmt.Sprintf("a row is longer than %d bytes", maxRowBytes), Row: len(*rows) + 1}
	}
	if maxRows >= 0 && len(*rows) >= maxRows {
		return &DecodeError{Code: "bad_count", Reason: fmt.Sprintf("the part holds more rows than the %d its manifest says", maxRows)}
	}
	*rows = append(*rows, line)
	return nil
}

// unzippedHint is the size gzip's trailer claims for blob (ISIZE), trusted
// only as far as deflate can expand (~1032:1) and the budget allows: a
// buffer of the right size up front spares io.ReadAll's doubling copies.
func unzippedHint(blob []byte, budget int64) int64 {
	if len(blob) < 18 {
		return 512
	}
	n := int64(binary.LittleEndian.Uint32(blob[len(blob)-4:]))
	return min(n+1, budget+1, int64(len(blob))*1032+512)
}

func (b *Batch) decodeRows(part string, rows [][]byte) error {
	var err error
	switch part {
	case PartSalesLines:
		b.SalesLines, err = decodeEach(rows, part, salesLineChecker)
	case PartReceipts:
		b.Receipts, err = decodeEach(rows, part, stateless(CheckReceipt))
	case PartStock:
		b.Stock, err = decodeEach(rows, part, stateless(checkStock))
	case PartRedemptions:
		b.Redemptions, err = decodeEach(rows, part, stateless(CheckRedemption))
	case PartOutlets:
		b.Outlets, err = decodeEach(rows, part, stateless(func(o *Outlet) error { return need("outlet_code", o.OutletCode) }))
	case PartSKUs:
		b.SKUs, err = decodeEach(rows, part, stateless(func(s *SKU) error { return need("sku_code", s.SKUCode) }))
	}
	return err
}

// stateless is a row check that needs no memory between rows.
func stateless[T any](check func(*T) error) func() func(*T) error {
	return func() func(*T) error { return check }
}

// decodeEach decodes and checks rows; newCheck gives each worker its own
// check, which may remember what it has seen.
func decodeEach[T any](rows [][]byte, part string, newCheck func() func(*T) error) ([]T, error) {
	out := make([]T, len(rows))
	workers := runtime.GOMAXPROCS(0)
	if len(rows) < 2048 || workers < 2 {
		return out, decodeRange(rows, out, 0, part, newCheck())
	}
	// Rows are independent: decode them in stripes across the CPUs.
	errs := make([]error, workers)
	var wg sync.WaitGroup
	per := (len(rows) + workers - 1) / workers
	for w := range workers {
		lo, hi := w*per, min((w+1)*per, len(rows))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = decodeRange(rows[lo:hi], out[lo:hi], lo, part, newCheck())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the lowest stripe's error names the first bad row
		}
	}
	return out, nil
}

func decodeRange[T any](rows [][]byte, out []T, base int, part string, check func(*T) error) error {
	for i, raw := range rows {
		if raw[0] != '{' {
			return &DecodeError{Code: "bad_row", Reason: "each row must be a JSON object", Part: part, Row: base + i + 1}
		}
		if !decodeFast(out, i, raw) {
			var zero T
			out[i] = zero
			if err := json.Unmarshal(raw, &out[i]); err != nil {
				return &DecodeError{Code: "bad_row", Reason: err.Error(), Part: part, Row: base + i + 1}
			}
		}
		if err := check(&out[i]); err != nil {
			return &DecodeError{Code: "bad_row", Reason: err.Error(), Part: part, Row: base + i + 1}
		}
	}
	return nil
}

// decodeFast decodes row i of out by hand where a hand decoder exists for
// the part (the row before it lends its strings); false means "use
// encoding/json".
func decodeFast[T any](out []T, i int, raw []byte) bool {
	switch rows := any(out).(type) {
	case []SalesLine:
		var prev *SalesLine
		if i > 0 {
			prev = &rows[i-1]
		}
		return DecodeSalesLine(raw, &rows[i], prev)
	case []Redemption:
		var prev *Redemption
		if i > 0 {
			prev = &rows[i-1]
		}
		return DecodeRedemption(raw, &rows[i], prev)
	}
	return false
}

func need(field, v string) error {
	if v == "" {
		return fmt.Errorf("%s is required", field)
	}
	if len(v) > 64 {
		return fmt.Errorf("%s %.20q… is longer than 64 characters", field, v)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%s %q holds a control character", field, v)
		}
	}
	return nil
}

func needDate(field string, d cal.Date) error {
	if !d.Valid() {
		return fmt.Errorf("%s %q is not a YYYY-MM-DD date", field, d)
	}
	return nil
}

// salesLineChecker is checkSalesLine remembering the last good date: a
// batch's lines share a handful of dates, and parsing each line's was a
// tenth of decoding.
func salesLineChecker() func(*SalesLine) error {
	var good cal.Date
	return func(l *SalesLine) error {
		if err := CheckSalesLine(l, good); err != nil {
			return err
		}
		good = l.InvoiceDate
		return nil
	}
}

// checkSalesLine checks a line's own rules; goodDate is a date already
// found valid ("" if none).
// CheckSalesLine checks one sales line as the receiver will (goodDate: a
// date already known good, "" for none).
func CheckSalesLine(l *SalesLine, goodDate cal.Date) error {
	date := error(nil)
	if l.InvoiceDate != goodDate || goodDate == "" {
		date = needDate("invoice_date", l.InvoiceDate)
	}
	if err := errors.Join(need("invoice_no", l.InvoiceNo), need("outlet_code", l.OutletCode), need("sku_code", l.SKUCode), date); err != nil {
		return err
	}
	if l.LineNo <= 0 {
		return errors.New("line_no must be 1 or more")
	}
	switch l.DocType {
	case DocInvoice:
		if l.Qty < 0 || l.FreeQty < 0 || l.TaxablePaise < 0 {
			return errors.New("an invoice line's qty, free_qty and taxable_paise are never negative")
		}
	case DocReturn, DocCancel:
		if l.Qty > 0 || l.FreeQty > 0 || l.TaxablePaise > 0 {
			return fmt.Errorf("a %s line carries negative (or zero) qty, free_qty and taxable_paise", l.DocType)
		}
	default:
		return fmt.Errorf("doc_type %q must be invoice, return or cancel", l.DocType)
	}
	return nil
}

// CheckReceipt checks one receipt line as the receiver will.
func CheckReceipt(r *PrimaryReceipt) error {
	if err := errors.Join(need("grn_no", r.GRNNo), need("sku_code", r.SKUCode), needDate("grn_date", r.GRNDate)); err != nil {
		return err
	}
	if r.LineNo <= 0 {
		return errors.New("line_no must be 1 or more")
	}
	return nil
}

func checkStock(s *StockLine) error {
	if err := errors.Join(need("sku_code", s.SKUCode), needDate("date", s.Date)); err != nil {
		return err
	}
	if !s.Balanced() {
		return fmt.Errorf("stock of %s on %s does not balance: opening + received − sold + returned − purchase_returned − damaged + adjusted ≠ closing", s.SKUCode, s.Date)
	}
	return nil
}

// CheckRedemption checks one redemption as the receiver will.
func CheckRedemption(r *Redemption) error {
	return errors.Join(need("redemption_id", r.RedemptionID), need("scheme_code", r.SchemeCode), need("invoice_no", r.InvoiceNo), need("outlet_code", r.OutletCode), needDate("invoice_date", r.InvoiceDate))
}
