package headoffice

import (
	"fmt"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/money"
)

// Ingest stores a verified batch in one transaction: the distributor is
// looked up, a batch already held is acknowledged again (or refused when its
// manifest differs), and otherwise each part is stored, the rollups and
// month cells are merged, the batch is recorded and the distributor's
// totals move on.
func (s *BookStore) Ingest(b *wire.Batch, receivedAt time.Time) (wire.Ack, bool, error) {
	var ack wire.Ack
	var dup bool
	err := s.b.Update(func(tx *book.Tx) error {
		in, err := startIngest(tx, b, receivedAt)
		if err != nil {
			return err
		}
		if held, ok, err := in.heldBatch(); err != nil || ok {
			ack, dup = held, ok
			return err
		}
		err = in.run()
		ack = in.ack
		return err
	})
	return ack, dup, err
}

// ingest is one batch being stored inside one transaction.
type ingest struct {
	tx     *book.Tx
	b      *wire.Batch
	m      *wire.Manifest
	code   string
	digest string
	d      Distributor
	ack    wire.Ack
	r      rollups

	newLines   int
	newTaxable money.Paise
	conflicts  []int // sales lines held with other content
}

// startIngest finds the uploading distributor; an unknown one is refused.
func startIngest(tx *book.Tx, b *wire.Batch, receivedAt time.Time) (*ingest, error) {
	m := &b.Manifest
	in := &ingest{tx: tx, b: b, m: m, code: m.DistributorCode, digest: manifestDigest(m), r: rollups{}}
	ok, err := getDistributor(tx, in.code, &in.d)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("distributor %s: %w", in.code, ErrUnknownDistributor)
	}
	in.ack = wire.Ack{FormatVersion: wire.FormatVersion, DistributorCode: in.code, BatchID: m.BatchID, Received: m.Counts(), New: wire.Counts{}, ReceivedAt: receivedAt.UTC()}
	return in, nil
}

// heldBatch returns the acknowledgement of the same batch stored before;
// the same id with another manifest is ErrBatchConflict.
func (in *ingest) heldBatch() (wire.Ack, bool, error) {
	rec, ok, err := storedBatch(in.tx, in.code, in.m.BatchID)
	if err != nil || !ok {
		return wire.Ack{}, false, err
	}
	if rec.ManifestSHA != in.digest {
		return wire.Ack{}, false, fmt.Errorf("batch %s: %w", in.m.BatchID, ErrBatchConflict)
	}
	return rec.Ack, true, nil
}

// run stores a new batch, part by part, then its rollups and its record.
func (in *ingest) run() error {
	for _, step := range []func() error{
		in.salesLines,
		in.receipts,
		in.redemptions,
		in.stockDays,
		in.masters,
		func() error { in.ack.SettleNew(); return nil },
		in.mergeRollups,
		in.recordBatch,
		in.updateDistributor,
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// salesLines stores the lines not held yet, records a conflict for each held
// with other content, and rolls the new ones up by day, beat, outlet,
// salesman and SKU.
func (in *ingest) salesLines() error {
	b := in.b
	fresh, conflicts, err := freshSalesLines(in.tx, in.code, b.SalesLines)
	if err != nil {
		return err
	}
	if err := putSalesPart(in.tx, in.code, b, fresh); err != nil {
		return err
	}
	for _, i := range conflicts {
		l := &b.SalesLines[i]
		held, err := heldSalesLine(in.tx, in.code, l)
		if err != nil {
			return err
		}
		if err := putConflict(in.tx, in.code, wire.PartSalesLines, l.Key(), in.m.BatchID, held, rawRow(b.RawRows(wire.PartSalesLines), i, l), in.ack.ReceivedAt); err != nil {
			return err
		}
	}
	in.conflicts = conflicts
	in.newLines = len(fresh)
	for _, i := range fresh {
		l := &b.SalesLines[i]
		in.newTaxable += l.TaxablePaise
		day := l.InvoiceDate
		sm := salesSum(l)
		in.r.add(RollSalesDist, cell{day: day}, sm)
		in.r.add(RollSalesBeat, cell{day: day, dim: l.BeatCode}, sm)
		in.r.add(RollSalesOutlet, cell{day: day, dim: l.BeatCode, dim2: l.OutletCode}, sm)
		in.r.add(RollSalesSalesman, cell{day: day, dim: l.SalesmanCode}, sm)
		in.r.add(RollSalesSKU, cell{day: day, dim: l.SKUCode}, sm)
	}
	in.ack.New[wire.PartSalesLines] = in.newLines
	return nil
}

// receipts stores the primary receipts not held yet; one held with other
// content is a conflict.
func (in *ingest) receipts() error {
	b := in.b
	receipts := receiptsOf(in.tx, in.code)
	raw := b.RawRows(wire.PartReceipts)
	n := 0
	for i := range b.Receipts {
		rc := &b.Receipts[i]
		key := rc.Key()
		sent := rawRow(raw, i, rc)
		held, err := receipts.putNew(key, sent)
		if err != nil {
			return err
		}
		if held != nil {
			if !sameRow[wire.PrimaryReceipt](held, sent) {
				if err := putConflict(in.tx, in.code, wire.PartReceipts, key, in.m.BatchID, held, sent, in.ack.ReceivedAt); err != nil {
					return err
				}
			}
			continue
		}
		n++
		sm := Sum{Lines: 1, Qty: rc.Qty, FreeQty: rc.FreeQty, Taxable: rc.TaxablePaise, Tax: rc.CGSTPaise + rc.SGSTPaise + rc.IGSTPaise}
		in.r.add(RollPrimaryDist, cell{day: rc.GRNDate}, sm)
		in.r.add(RollPrimarySKU, cell{day: rc.GRNDate, dim: rc.SKUCode}, sm)
	}
	in.ack.New[wire.PartReceipts] = n
	return nil
}

// redemptions stores the scheme redemptions not held yet; one held with
// other content is a conflict.
func (in *ingest) redemptions() error {
	b := in.b
	reds := redemptionsOf(in.tx, in.code)
	raw := b.RawRows(wire.PartRedemptions)
	n := 0
	for i := range b.Redemptions {
		rd := &b.Redemptions[i]
		sent := rawRow(raw, i, rd)
		held, err := reds.putNew(rd.RedemptionID, sent)
		if err != nil {
			return err
		}
		if held != nil {
			if !sameRow[wire.Redemption](held, sent) {
				if err := putConflict(in.tx, in.code, wire.PartRedemptions, rd.RedemptionID, in.m.BatchID, held, sent, in.ack.ReceivedAt); err != nil {
					return err
				}
			}
			continue
		}
		n++
		in.r.add(RollScheme, cell{day: rd.InvoiceDate, dim: rd.SchemeCode}, Sum{Lines: 1, FreeQty: rd.FreeQty, Discount: rd.DiscountPaise, Value: rd.ValuePaise})
	}
	in.ack.New[wire.PartRedemptions] = n
	return nil
}

// stockDays restates each day's stock: a day's row is replaced by a later
// upload of the same day, and its old figures leave the rollup.
func (in *ingest) stockDays() error {
	b := in.b
	stock := stockOf(in.tx, in.code)
	raw := b.RawRows(wire.PartStock)
	n := 0
	for i := range b.Stock {
		st := &b.Stock[i]
		o, replaced, err := stock.replace(st.Date, st.SKUCode, rawRow(raw, i, st))
		if err != nil {
			return err
		}
		if replaced {
			in.r.add(RollStockDist, cell{day: o.Date}, Sum{Lines: -1, Qty: -o.Closing, Sold: -o.Sold, Value: -o.ClosingValuePaise})
		} else {
			n++
		}
		in.r.add(RollStockDist, cell{day: st.Date}, Sum{Lines: 1, Qty: st.Closing, Sold: st.Sold, Value: st.ClosingValuePaise})
	}
	in.ack.New[wire.PartStock] = n
	return nil
}

// masters keeps the latest outlet and SKU rows as sent.
func (in *ingest) masters() error {
	b := in.b
	outlets := outletsOf(in.tx, in.code)
	raw := b.RawRows(wire.PartOutlets)
	for i := range b.Outlets {
		if err := outlets.put(b.Outlets[i].OutletCode, rawRow(raw, i, &b.Outlets[i])); err != nil {
			return err
		}
	}
	skus := skusIn(in.tx)
	raw = b.RawRows(wire.PartSKUs)
	for i := range b.SKUs {
		if err := skus.put(b.SKUs[i].SKUCode, rawRow(raw, i, &b.SKUs[i])); err != nil {
			return err
		}
	}
	return nil
}

// mergeRollups adds the batch's day cells, then its month cells (the
// region's too).
func (in *ingest) mergeRollups() error {
	if err := mergeRollups(in.tx, in.code, in.r); err != nil {
		return err
	}
	return mergeMonths(in.tx, in.code, in.d.Region, in.r)
}

// recordBatch keeps the manifest's digest and the acknowledgement, so a
// resent batch is acknowledged again without being stored twice.
func (in *ingest) recordBatch() error {
	return putBatch(in.tx, in.code, in.m.BatchID, &batchRecord{ManifestSHA: in.digest, Ack: in.ack})
}

// updateDistributor moves the distributor's totals on and names the first
// conflicting sales line: same key, other content is never a silent
// duplicate.
func (in *ingest) updateDistributor() error {
	d, m := &in.d, in.m
	d.Batches++
	d.SalesLines += in.newLines
	d.SalesTaxablePaise += in.newTaxable
	d.LastUpload = in.ack.ReceivedAt
	d.LastBatchID = m.BatchID
	if len(in.conflicts) > 0 {
		d.Conflicts += len(in.conflicts)
		l := &in.b.SalesLines[in.conflicts[0]]
		d.LastConflict = fmt.Sprintf("batch %s: %s %s of %s line %d differs from the one already held", m.BatchID, l.DocType, l.InvoiceNo, l.InvoiceDate, l.LineNo)
		if len(in.conflicts) > 1 {
			d.LastConflict += fmt.Sprintf(" (and %d more lines)", len(in.conflicts)-1)
		}
	}
	if m.PeriodTo > d.DataTo {
		d.DataTo = m.PeriodTo
	}
	return putDistributor(in.tx, in.code, d)
}
