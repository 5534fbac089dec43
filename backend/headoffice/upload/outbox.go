package upload

import (
	"encoding/json"
	"fmt"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Source is what the billing side provides the batch builder: the snapshots
// a batch carries beside the rows recorded at posting (the day's stock
// statement, the full masters) and the history a weekly full refresh
// resends. Every method reads inside the builder's transaction.
type Source interface {
	// StockStatement returns one row per SKU that had stock or movement on day.
	StockStatement(tx *book.Tx, day cal.Date) ([]wire.StockLine, error)
	// Outlets and SKUs call fn for every master row (for the full refresh).
	Outlets(tx *book.Tx, fn func(wire.Outlet) error) error
	SKUs(tx *book.Tx, fn func(wire.SKU) error) error
	// SalesLines, PrimaryReceipts and Redemptions call fn for every row
	// dated in [from, to], returns and cancellations included.
	SalesLines(tx *book.Tx, from, to cal.Date, fn func(wire.SalesLine) error) error
	PrimaryReceipts(tx *book.Tx, from, to cal.Date, fn func(wire.PrimaryReceipt) error) error
	Redemptions(tx *book.Tx, from, to cal.Date, fn func(wire.Redemption) error) error
}

func record(tx *book.Tx, part string, row any) error {
	raw, err := json.Marshal(row)
	if err != nil {
		return fmt.Errorf("upload outbox %s: %w", part, err)
	}
	return appendPending(tx, pendingRow{Part: part, Row: raw})
}

// RecordSales puts an invoice's, return's or cancellation's lines in the
// upload outbox. Call it inside the posting's transaction.
func RecordSales(tx *book.Tx, lines ...wire.SalesLine) error {
	for i := range lines {
		if err := wire.CheckSalesLine(&lines[i], ""); err != nil {
			return fmt.Errorf("upload line %s/%d: %w", lines[i].InvoiceNo, lines[i].LineNo, err)
		}
		if err := record(tx, wire.PartSalesLines, &lines[i]); err != nil {
			return err
		}
	}
	return nil
}

// RecordReceipts puts a GRN's lines in the upload outbox, inside the posting's transaction.
func RecordReceipts(tx *book.Tx, lines ...wire.PrimaryReceipt) error {
	for i := range lines {
		if err := wire.CheckReceipt(&lines[i]); err != nil {
			return fmt.Errorf("upload receipt %s/%d: %w", lines[i].GRNNo, lines[i].LineNo, err)
		}
		if err := record(tx, wire.PartReceipts, &lines[i]); err != nil {
			return err
		}
	}
	return nil
}

// RecordRedemptions puts scheme redemptions in the upload outbox, inside the posting's transaction.
func RecordRedemptions(tx *book.Tx, rs ...wire.Redemption) error {
	for i := range rs {
		if err := wire.CheckRedemption(&rs[i]); err != nil {
			return fmt.Errorf("upload redemption %s: %w", rs[i].RedemptionID, err)
		}
		if err := record(tx, wire.PartRedemptions, &rs[i]); err != nil {
			return err
		}
	}
	return nil
}

// RecordOutlet puts a new or changed outlet in the upload outbox.
func RecordOutlet(tx *book.Tx, o wire.Outlet) error {
	return record(tx, wire.PartOutlets, &o)
}

// RecordSKU puts a new or changed SKU in the upload outbox.
func RecordSKU(tx *book.Tx, s wire.SKU) error { return record(tx, wire.PartSKUs, &s) }

// OutboxBatch is a built batch waiting to be sent, or sent.
type OutboxBatch struct {
	Seq       uint64        `json:"seq"`
	Manifest  wire.Manifest `json:"manifest"`
	Bytes     int           `json:"bytes"`
	BuiltAt   time.Time     `json:"built_at"`
	Attempts  int           `json:"attempts"`
	LastTry   time.Time     `json:"last_try,omitzero"`
	LastError string        `json:"last_error,omitempty"`
	SentAt    *time.Time    `json:"sent_at,omitempty"`
	Ack       *wire.Ack     `json:"ack,omitempty"`
}

// Sent reports whether the receiver acknowledged the batch.
func (b *OutboxBatch) Sent() bool { return b.SentAt != nil }

type uploadState struct {
	LastBuild    time.Time `json:"last_build,omitzero"`
	LastFull     time.Time `json:"last_full,omitzero"`
	LastPeriodTo cal.Date  `json:"last_period_to,omitempty"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
}

// BuildOptions tune the builder.
type BuildOptions struct {
	MaxRows     int // rows per batch before a new batch starts (default 50,000)
	FullEvery   time.Duration
	FullHistory int // days of history a full refresh resends (default 35)
}

func (o *BuildOptions) defaults() {
	if o.MaxRows <= 0 {
		o.MaxRows = 50_000
	}
	if o.FullEvery <= 0 {
		o.FullEvery = 7 * 24 * time.Hour
	}
	if o.FullHistory <= 0 {
		o.FullHistory = 35
	}
}

// Build moves every pending row into one or more new batches in the outbox,
// with the stock statement of the days since the last build (yesterday and
// today at least) and, when a week has passed since the last one, a full
// refresh. It all happens in one transaction: a row is in exactly one
// batch. Build returns the batches it made (none when there was nothing).
func Build(b *book.Book, src Source, code string, now time.Time, opt BuildOptions) ([]OutboxBatch, error) {
	opt.defaults()
	if code == "" {
		return nil, fmt.Errorf("upload: the distributor code is not set")
	}
	var made []OutboxBatch
	err := b.Update(func(tx *book.Tx) error {
		made = nil
		st, err := readState(tx)
		if err != nil {
			return err
		}
		today := cal.Of(now.In(cal.IST))
		full := st.LastFull.IsZero() || now.Sub(st.LastFull) >= opt.FullEvery
		cur := &wire.Batch{}
		var batches []*wire.Batch
		flush := func() {
			if cur.Lines() > 0 {
				batches = append(batches, cur)
			}
			cur = &wire.Batch{}
		}
		room := func() {
			if cur.Lines() >= opt.MaxRows {
				flush()
			}
		}

		// Rows recorded at posting, oldest first.
		var keys []string
		if err := scanPending(tx, func(k string, p *pendingRow) error {
			keys = append(keys, k)
			room()
			if err := addRaw(cur, p.Part, p.Row); err != nil {
				return fmt.Errorf("upload outbox %s: %w", k, err)
			}
			return nil
		}); err != nil {
			return err
		}

		// Stock statements since the last build, and since the date of any
		// invoice cancelled since: its stock came back on that date, so
		// every day's statement from there is restated.
		from := today.AddDays(-1)
		if st.LastPeriodTo != "" && st.LastPeriodTo.Before(from) {
			from = st.LastPeriodTo
		}
		for _, bt := range append(batches, cur) {
			for i := range bt.SalesLines {
				if l := &bt.SalesLines[i]; l.DocType == wire.DocCancel && l.InvoiceDate.Valid() && l.InvoiceDate.Before(from) {
					from = l.InvoiceDate
				}
			}
		}
		if from.DaysUntil(today) > opt.FullHistory {
			from = today.AddDays(-opt.FullHistory)
		}
		if src != nil {
			for d := from; !today.Before(d); d = d.AddDays(1) {
				rows, err := src.StockStatement(tx, d)
				if err != nil {
					return fmt.Errorf("stock statement %s: %w", d, err)
				}
				for _, r := range rows {
					room()
					cur.Stock = append(cur.Stock, r)
				}
			}
			if full {
				hist := today.AddDays(-opt.FullHistory)
				if err := src.Outlets(tx, func(o wire.Outlet) error { room(); cur.Outlets = append(cur.Outlets, o); return nil }); err != nil {
					return fmt.Errorf("full refresh outlets: %w", err)
				}
				if err := src.SKUs(tx, func(s wire.SKU) error { room(); cur.SKUs = append(cur.SKUs, s); return nil }); err != nil {
					return fmt.Errorf("full refresh SKUs: %w", err)
				}
				if err := src.SalesLines(tx, hist, today, func(l wire.SalesLine) error { room(); cur.SalesLines = append(cur.SalesLines, l); return nil }); err != nil {
					return fmt.Errorf("full refresh sales lines: %w", err)
				}
				if err := src.PrimaryReceipts(tx, hist, today, func(r wire.PrimaryReceipt) error { room(); cur.Receipts = append(cur.Receipts, r); return nil }); err != nil {
					return fmt.Errorf("full refresh receipts: %w", err)
				}
				if err := src.Redemptions(tx, hist, today, func(r wire.Redemption) error { room(); cur.Redemptions = append(cur.Redemptions, r); return nil }); err != nil {
					return fmt.Errorf("full refresh redemptions: %w", err)
				}
			}
		}
		flush()
		if len(batches) == 0 {
			st.LastBuild = now
			return writeState(tx, st)
		}
		for _, bt := range batches {
			seq, err := nextOutboxSeq(tx)
			if err != nil {
				return err
			}
			kind := wire.KindDelta
			if full {
				kind = wire.KindFull
			}
			bt.Manifest = wire.Manifest{FormatVersion: wire.FormatVersion, DistributorCode: code, BatchID: batchID(tx, code, today, seq), Kind: kind, PeriodFrom: from, PeriodTo: today, CreatedAt: now.UTC().Truncate(time.Second)}
			if pf := earliest(bt); pf != "" && pf.Before(from) {
				bt.Manifest.PeriodFrom = pf
			}
			body, err := bt.Encode()
			if err != nil {
				return fmt.Errorf("batch %s: %w", bt.Manifest.BatchID, err)
			}
			ob := OutboxBatch{Seq: seq, Manifest: bt.Manifest, Bytes: len(body), BuiltAt: now}
			if err := putBody(tx, seq, body); err != nil {
				return err
			}
			if err := putOutbox(tx, &ob); err != nil {
				return err
			}
			made = append(made, ob)
		}
		if err := deletePending(tx, keys); err != nil {
			return err
		}
		st.LastBuild, st.LastPeriodTo = now, today
		if full {
			st.LastFull = now
		}
		return writeState(tx, st)
	})
	return made, err
}

// addRaw adds a row recorded in the outbox to b, decoded.
func addRaw(b *wire.Batch, part string, raw json.RawMessage) error {
	var err error
	switch part {
	case wire.PartSalesLines:
		var v wire.SalesLine
		if err = json.Unmarshal(raw, &v); err == nil {
			b.SalesLines = append(b.SalesLines, v)
		}
	case wire.PartReceipts:
		var v wire.PrimaryReceipt
		if err = json.Unmarshal(raw, &v); err == nil {
			b.Receipts = append(b.Receipts, v)
		}
	case wire.PartRedemptions:
		var v wire.Redemption
		if err = json.Unmarshal(raw, &v); err == nil {
			b.Redemptions = append(b.Redemptions, v)
		}
	case wire.PartOutlets:
		var v wire.Outlet
		if err = json.Unmarshal(raw, &v); err == nil {
			b.Outlets = append(b.Outlets, v)
		}
	case wire.PartSKUs:
		var v wire.SKU
		if err = json.Unmarshal(raw, &v); err == nil {
			b.SKUs = append(b.SKUs, v)
		}
	default:
		return fmt.Errorf("unknown part %q", part)
	}
	return err
}

// earliest is the earliest document date among the batch's rows.
func earliest(b *wire.Batch) cal.Date {
	var e cal.Date
	min := func(d cal.Date) {
		if d.Valid() && (e == "" || d.Before(e)) {
			e = d
		}
	}
	for i := range b.SalesLines {
		min(b.SalesLines[i].InvoiceDate)
	}
	for i := range b.Receipts {
		min(b.Receipts[i].GRNDate)
	}
	for i := range b.Redemptions {
		min(b.Redemptions[i].InvoiceDate)
	}
	return e
}

// batchID names a batch. A restored book (a new incarnation) counts its
// batches again from where the backup stood, so its ids carry the
// incarnation: a batch id is never reused for different content.
func batchID(tx *book.Tx, code string, today cal.Date, seq uint64) string {
	if inc := tx.Incarnation(); inc != "" {
		return fmt.Sprintf("%s-%s-%s-%06d", code, today.Compact(), inc, seq)
	}
	return fmt.Sprintf("%s-%s-%06d", code, today.Compact(), seq)
}
