package billing

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Billing's buckets, every key it builds in them, and (at the end of this
// file) the only code in the package that opens them. Documents are encoded
// by doc_codec.go and the last rates by counter.go, beside the figures that
// justified those formats; the open bills, dues and returned quantities
// here; \0 separates the parts of a key.
const (
	bInvoices      = "billing.inv"            // number → Invoice (doc_codec.go)
	bInvByDate     = "billing.inv.date"       // invDateKey → outlet
	bInvByOutlet   = "billing.inv.outlet"     // invOutletKey → ""
	bSeries        = "billing.series"         // series ("SI/26-27") → last number (8 bytes)
	bPurchases     = "billing.pur"            // number → Purchase
	bPurSupplier   = "billing.pur.sup"        // supplierKey → number
	bDebitNotes    = "billing.dn"             // number → PurchaseReturn
	bCreditNotes   = "billing.cn"             // number → SalesReturn
	bReturned      = "billing.cn.returned"    // retKey, purchaseReturnedKey → returned so far (below)
	bReceipts      = "billing.rct"            // number → Receipt
	bOpen          = "billing.ar"             // openKey → total, due (16 bytes, encOpen)
	bOnAccount     = "billing.ar.onacct"      // outlet → unallocated receipts and credits
	bDue           = "billing.ar.due"         // outlet → sum due over its open bills, count of them (encDue)
	bLastRate      = "billing.lastrate"       // lastRateKey → date, rate, discount, qty, invoice (counter.go)
	bStockDocs     = "billing.stockdoc"       // number → Adjustment / Transfer / Count
	bOrders        = "billing.orders"         // id → Order
	bOrdersByTime  = "billing.orders.time"    // orderTimeKey → status
	bCheques       = "billing.chq"            // receipt number → ChequeState
	bBounces       = "billing.chb"            // number → ChequeBounce
	bNumberingHold = "billing.numbering.hold" // "hold" → NumberingHold
	bSeriesSkipped = "billing.series.skipped" // series → [[from, to], …], the numbers a restore or a confirmation passed over
	bRequests      = "billing.requests"       // kind \0 request_id → number \0 fingerprint (book.Requests)
)

func invDateKey(d cal.Date, number string) string { return string(d) + "\x00" + number }

func invOutletKey(outlet string, d cal.Date, number string) string {
	return outlet + "\x00" + string(d) + "\x00" + number
}

// outletPrefix is the prefix of an outlet's keys in billing.inv.outlet and
// billing.ar.
func outletPrefix(outlet string) string { return outlet + "\x00" }

// openKey is an open bill's key in billing.ar.
func openKey(outlet string, d cal.Date, inv string) string {
	return outlet + "\x00" + string(d) + "\x00" + inv
}

func supplierKey(gstin string, fy cal.FY, no string) string {
	return gstin + "\x00" + fy.Short() + "\x00" + no
}

// retKey is what came back of an invoice's line (billing.cn.returned).
func retKey(inv string, line int) string { return fmt.Sprintf("%s\x00%04d", inv, line) }

// documentPrefix is the prefix of an invoice's lines in billing.cn.returned.
func documentPrefix(number string) string { return number + "\x00" }

// purchaseReturnedKey is what went back to the supplier of a purchase's
// line (billing.cn.returned, beside the invoices' lines).
func purchaseReturnedKey(purchase string, line int) string {
	return "P\x00" + purchase + "\x00" + fmt.Sprintf("%04d", line)
}

func lastRateKey(outlet, item string) string { return outlet + "\x00" + item }

func orderTimeKey(takenAt time.Time, id string) string {
	return takenAt.UTC().Format(time.RFC3339Nano) + "\x00" + id
}

// requests are the request_ids of one kind of document already posted
// (requests.go), in billing.requests under the kind.
func requests(tx *book.Tx, kind string) book.Requests {
	return book.RequestsIn(tx.Bucket(bRequests), kind)
}

// eachRequest calls fn with every request_id answered, of every kind.
func eachRequest(tx *book.Tx, fn func(kind, id, number string) (bool, error)) error {
	return book.RequestsIn(tx.Bucket(bRequests), "").Each(fn)
}

// Everything below is the only code in billing that opens a bucket: the
// rest of the package reads and writes through these functions. The
// posting path takes each bucket once per call, as it did when it opened
// the buckets itself, so no allocation was added.

// shelf is one bucket of documents by number: billing.inv, .pur, .dn and
// .rct (doc_codec.go), .cn, .stockdoc and .chb (JSON, which getDoc reads too).
type shelf struct{ b *book.Bucket }

func shelfOf(tx *book.Tx, bucket string) shelf { return shelf{tx.Bucket(bucket)} }

func (s shelf) has(number string) bool { return s.b.Has(number) }

func (s shelf) get(number string, v any) (bool, error) { return getDoc(s.b, number, v) }

// each calls fn with the stored bytes of every document whose number
// starts with prefix, in number order, until fn answers false or an error.
func (s shelf) each(prefix string, fn func(number string, raw []byte) (bool, error)) error {
	return s.b.Scan(prefix, fn)
}

// series is billing.series: the last number of each series.
type series struct{ b *book.Bucket }

func seriesIn(tx *book.Tx) series { return series{tx.Bucket(bSeries)} }

func (s series) last(name string) uint64 {
	if raw := s.b.Get(name); len(raw) == 8 {
		return binary.BigEndian.Uint64(raw)
	}
	return 0
}

func (s series) set(name string, n uint64) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], n)
	return s.b.Put(name, buf[:])
}

// each calls fn with every series and its last number (0 when the value
// is not 8 bytes).
func (s series) each(fn func(name string, last uint64) (bool, error)) error {
	return s.b.Scan("", func(k string, v []byte) (bool, error) { return fn(k, uint64(getU64(v))) })
}

// eachCounter calls fn with the series whose value is a counter (8 bytes).
func (s series) eachCounter(fn func(name string, last uint64)) error {
	return s.b.Scan("", func(k string, v []byte) (bool, error) {
		if len(v) == 8 {
			fn(k, binary.BigEndian.Uint64(v))
		}
		return true, nil
	})
}

// skippedOf is what a restore passed over in a series (billing.series.skipped).
func skippedOf(tx *book.Tx, series string) ([][2]uint64, error) {
	var rs [][2]uint64
	if raw := tx.Bucket(bSeriesSkipped).Get(series); raw != nil {
		if err := json.Unmarshal(raw, &rs); err != nil {
			return rs, err
		}
	}
	return rs, nil
}

func putSkipped(tx *book.Tx, series string, rs [][2]uint64) error {
	raw, err := json.Marshal(rs)
	if err != nil {
		return err
	}
	return tx.Bucket(bSeriesSkipped).Put(series, raw)
}

// getHold reads billing.numbering.hold: ok is false when numbering is not
// held; raw is the record as stored.
func getHold(tx *book.Tx) (raw []byte, ok bool) {
	raw = tx.Bucket(bNumberingHold).Get("hold")
	return raw, raw != nil
}

func putHold(tx *book.Tx, h NumberingHold) error {
	raw, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return tx.Bucket(bNumberingHold).Put("hold", raw)
}

func dropHold(tx *book.Tx) error { return tx.Bucket(bNumberingHold).Delete("hold") }

// putInvoice writes an invoice (doc_codec.go) under its number.
func putInvoice(tx *book.Tx, number string, inv *Invoice) error {
	return putDoc(tx.Bucket(bInvoices), number, inv)
}

func getInvoice(tx *book.Tx, number string, inv *Invoice) (bool, error) {
	return getDoc(tx.Bucket(bInvoices), number, inv)
}

// indexInvoice puts a new invoice in the date and outlet indexes.
func indexInvoice(tx *book.Tx, number string, inv *Invoice) error {
	if err := tx.Bucket(bInvByDate).Put(invDateKey(inv.Date, number), []byte(inv.Outlet)); err != nil {
		return err
	}
	return tx.Bucket(bInvByOutlet).Scattered().Put(invOutletKey(inv.Outlet, inv.Date, number), nil)
}

// outletOfInvoice is the outlet of an invoice of a day, from the date
// index ("" if there is none).
func outletOfInvoice(tx *book.Tx, d cal.Date, number string) string {
	return string(tx.Bucket(bInvByDate).Get(invDateKey(d, number)))
}

// invoicesDated calls fn with the number of every invoice dated from..to
// ("" leaves either end open), in date and number order.
func invoicesDated(tx *book.Tx, from, to cal.Date, fn func(number string) (bool, error)) error {
	end := ""
	if to != "" {
		end = string(to) + "\x01"
	}
	return tx.Bucket(bInvByDate).Range(string(from), end, func(k string, _ []byte) (bool, error) {
		return fn(k[strings.IndexByte(k, 0)+1:])
	})
}

// invoicesOfOutlet calls fn with the number of every invoice of an outlet
// dated from..to ("" leaves either end open), in date and number order.
func invoicesOfOutlet(tx *book.Tx, outlet string, from, to cal.Date, fn func(number string) (bool, error)) error {
	end := outlet + "\x01"
	if to != "" {
		end = outletPrefix(outlet) + string(to) + "\x01"
	}
	return tx.Bucket(bInvByOutlet).Range(outletPrefix(outlet)+string(from), end, func(k string, _ []byte) (bool, error) {
		return fn(k[strings.LastIndexByte(k, 0)+1:])
	})
}

// hasReturns reports whether anything of an invoice has come back.
func hasReturns(tx *book.Tx, invoice string) bool {
	returned := false
	tx.Bucket(bReturned).Scan(documentPrefix(invoice), func(string, []byte) (bool, error) { returned = true; return false, nil })
	return returned
}

// returned is what has come back of one invoice line so far: five 8-byte
// figures in billing.cn.returned.
type returned struct {
	Qty                       money.Qty
	Taxable, CGST, SGST, IGST money.Paise
}

func getReturned(tx *book.Tx, inv string, line int) returned {
	v := tx.Bucket(bReturned).Get(retKey(inv, line))
	if len(v) != 40 {
		return returned{}
	}
	g := func(i int) int64 { return int64(binary.BigEndian.Uint64(v[i*8:])) }
	return returned{money.Qty(g(0)), money.Paise(g(1)), money.Paise(g(2)), money.Paise(g(3)), money.Paise(g(4))}
}

func putReturned(tx *book.Tx, inv string, line int, r returned) error {
	var b [40]byte
	for i, x := range []int64{int64(r.Qty), int64(r.Taxable), int64(r.CGST), int64(r.SGST), int64(r.IGST)} {
		binary.BigEndian.PutUint64(b[i*8:], uint64(x))
	}
	return tx.Bucket(bReturned).Put(retKey(inv, line), b[:])
}

// purchaseReturned is what went back to the supplier of a purchase's line
// so far (8 bytes, beside the invoices' lines in billing.cn.returned).
func purchaseReturned(tx *book.Tx, purchase string, line int) money.Qty {
	return money.Qty(getU64(tx.Bucket(bReturned).Get(purchaseReturnedKey(purchase, line))))
}

func putPurchaseReturned(tx *book.Tx, purchase string, line int, q money.Qty) error {
	return tx.Bucket(bReturned).Put(purchaseReturnedKey(purchase, line), putU64(int64(q)))
}

// Outstanding is kept per open bill (billing.ar: outlet \0 date \0 invoice
// → total, due, 8 bytes each) and per outlet as money on account
// (billing.ar.onacct, 8 bytes) and its due over its open bills
// (billing.ar.due, below).

func encOpen(total, due money.Paise) []byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:], uint64(total))
	binary.BigEndian.PutUint64(b[8:], uint64(due))
	return b[:]
}

func decOpen(v []byte) (total, due money.Paise) {
	if len(v) != 16 {
		return 0, 0
	}
	return money.Paise(binary.BigEndian.Uint64(v[0:])), money.Paise(binary.BigEndian.Uint64(v[8:]))
}

// getOpen reads an open bill; ok is false when it is not open.
func getOpen(tx *book.Tx, outlet string, d cal.Date, inv string) (total, due money.Paise, ok bool) {
	raw := tx.Bucket(bOpen).Get(openKey(outlet, d, inv))
	total, due = decOpen(raw)
	return total, due, raw != nil
}

func putOpen(tx *book.Tx, outlet string, d cal.Date, inv string, total, due money.Paise) error {
	return tx.Bucket(bOpen).Put(openKey(outlet, d, inv), encOpen(total, due))
}

func dropOpen(tx *book.Tx, outlet string, d cal.Date, inv string) error {
	return tx.Bucket(bOpen).Delete(openKey(outlet, d, inv))
}

// openBills calls fn with an outlet's open bills, oldest first, until fn
// answers false.
func openBills(tx *book.Tx, outlet string, fn func(d cal.Date, inv string, total, due money.Paise) bool) {
	tx.Bucket(bOpen).Scan(outletPrefix(outlet), func(k string, v []byte) (bool, error) {
		rest := k[len(outlet)+1:]
		if len(rest) < 11 {
			return true, nil
		}
		total, due := decOpen(v)
		return fn(cal.Date(rest[:10]), rest[11:], total, due), nil
	})
}

// eachOpenBill calls fn with every open bill of every outlet, by its key
// (openKey).
func eachOpenBill(tx *book.Tx, fn func(key string, total, due money.Paise)) {
	tx.Bucket(bOpen).Scan("", func(k string, v []byte) (bool, error) {
		total, due := decOpen(v)
		fn(k, total, due)
		return true, nil
	})
}

// outletsOnBooks are the outlets with open bills or money on account, by code.
func outletsOnBooks(tx *book.Tx) []string {
	codes := map[string]bool{}
	var order []string
	for _, bucket := range []string{bOpen, bOnAccount} {
		tx.Bucket(bucket).Scan("", func(k string, _ []byte) (bool, error) {
			c := k
			if i := strings.IndexByte(k, 0); i >= 0 {
				c = k[:i]
			}
			if !codes[c] {
				codes[c] = true
				order = append(order, c)
			}
			return true, nil
		})
	}
	sort.Strings(order)
	return order
}

// An outlet's due (the sum over its open bills) and the number of its open
// bills are kept beside them in one 16-byte value, so the credit check on
// every invoice reads one key instead of every unpaid bill the outlet ever
// had, and counting the bills costs a posting no extra write. A book from
// before keeps 8 bytes (the sum alone) or nothing: the outlet's figures
// are filled from its bills the first time a posting touches the outlet.

func encDue(sum money.Paise, bills int) []byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:], uint64(sum))
	binary.BigEndian.PutUint64(b[8:], uint64(bills))
	return b[:]
}

// decDue reads a 16-byte due value: the sum, then the count of open bills.
func decDue(v []byte) (money.Paise, int) {
	if len(v) != 16 {
		return 0, 0
	}
	return money.Paise(binary.BigEndian.Uint64(v[0:])), int(binary.BigEndian.Uint64(v[8:]))
}

// dueOf is the sum of what is due on an outlet's open bills and how many
// open bills it has.
func dueOf(tx *book.Tx, outlet string) (money.Paise, int) {
	v := tx.Bucket(bDue).Get(outlet)
	if len(v) == 16 {
		return decDue(v)
	}
	var sum money.Paise
	var n int
	tx.Bucket(bOpen).Scan(outletPrefix(outlet), func(_ string, v []byte) (bool, error) {
		_, due := decOpen(v)
		sum += due
		n++
		return true, nil
	})
	if len(v) == 8 {
		sum = money.Paise(getU64(v))
	}
	return sum, n
}

func putDueOf(tx *book.Tx, outlet string, sum money.Paise, bills int) error {
	return tx.Bucket(bDue).Scattered().Put(outlet, encDue(sum, bills))
}

// eachDueOf calls fn with every outlet's stored due and count of open
// bills (-1 in a book from before the count).
func eachDueOf(tx *book.Tx, fn func(outlet string, sum money.Paise, bills int)) {
	tx.Bucket(bDue).Scan("", func(k string, v []byte) (bool, error) {
		got, bills := money.Paise(getU64(v)), -1
		if len(v) == 16 {
			got, bills = decDue(v)
		}
		fn(k, got, bills)
		return true, nil
	})
}

func onAccount(tx *book.Tx, outlet string) money.Paise {
	return money.Paise(getU64(tx.Bucket(bOnAccount).Get(outlet)))
}

// putOnAccount keeps what an outlet holds on account; 0 drops it.
func putOnAccount(tx *book.Tx, outlet string, p money.Paise) error {
	if p == 0 {
		return tx.Bucket(bOnAccount).Delete(outlet)
	}
	return tx.Bucket(bOnAccount).Put(outlet, putU64(int64(p)))
}

func eachOnAccount(tx *book.Tx, fn func(outlet string, p money.Paise)) {
	tx.Bucket(bOnAccount).Scan("", func(k string, v []byte) (bool, error) {
		fn(k, money.Paise(getU64(v)))
		return true, nil
	})
}

// putLastRates records the invoice's rates as its outlet's last ones
// (encLastRate, counter.go).
func putLastRates(tx *book.Tx, inv *Invoice) error {
	b := tx.Bucket(bLastRate).Scattered()
	for i := range inv.Lines {
		l := &inv.Lines[i]
		if l.Free {
			continue
		}
		if err := b.Put(lastRateKey(inv.Outlet, l.Item), encLastRate(inv, l)); err != nil {
			return err
		}
	}
	return nil
}

func getLastRate(tx *book.Tx, r *LastRate) {
	decLastRate(tx.Bucket(bLastRate).Get(lastRateKey(r.Outlet, r.Item)), r)
}

func putPurchase(tx *book.Tx, number string, p *Purchase) error {
	return putDoc(tx.Bucket(bPurchases), number, p)
}

func getPurchase(tx *book.Tx, number string, p *Purchase) (bool, error) {
	return getDoc(tx.Bucket(bPurchases), number, p)
}

// purchaseOfSupplierInvoice is the GRN a supplier's invoice was entered
// as ("" if none).
func purchaseOfSupplierInvoice(tx *book.Tx, gstin string, fy cal.FY, no string) string {
	return string(tx.Bucket(bPurSupplier).Get(supplierKey(gstin, fy, no)))
}

func putSupplierInvoice(tx *book.Tx, gstin string, fy cal.FY, no, purchase string) error {
	return tx.Bucket(bPurSupplier).Put(supplierKey(gstin, fy, no), []byte(purchase))
}

func putDebitNote(tx *book.Tx, number string, r *PurchaseReturn) error {
	return putDoc(tx.Bucket(bDebitNotes), number, r)
}

func getDebitNote(tx *book.Tx, number string, r *PurchaseReturn) (bool, error) {
	return getDoc(tx.Bucket(bDebitNotes), number, r)
}

// Credit notes are stored as plain JSON.
func putCreditNote(tx *book.Tx, number string, r *SalesReturn) error {
	return tx.Bucket(bCreditNotes).PutJSON(number, r)
}

func getCreditNote(tx *book.Tx, number string, r *SalesReturn) (bool, error) {
	return tx.Bucket(bCreditNotes).GetJSON(number, r)
}

// creditNoteNumbers calls fn with every credit note's number, in order.
func creditNoteNumbers(tx *book.Tx, fn func(number string) (bool, error)) error {
	return tx.Bucket(bCreditNotes).Scan("", func(k string, _ []byte) (bool, error) { return fn(k) })
}

// eachCreditNote calls fn with every credit note, in number order.
func eachCreditNote(tx *book.Tx, fn func(number string, r *SalesReturn) (bool, error)) error {
	return tx.Bucket(bCreditNotes).Scan("", func(k string, v []byte) (bool, error) {
		var sr SalesReturn
		if err := json.Unmarshal(v, &sr); err != nil {
			return false, fmt.Errorf("credit note %s: %w", k, err)
		}
		return fn(k, &sr)
	})
}

// Receipts are written as plain JSON (doc_codec.go says why) and read by getDoc.
func putReceipt(tx *book.Tx, number string, r *Receipt) error {
	return tx.Bucket(bReceipts).PutJSON(number, r)
}

func getReceipt(tx *book.Tx, number string, r *Receipt) (bool, error) {
	return getDoc(tx.Bucket(bReceipts), number, r)
}

func chequeStateOf(tx *book.Tx, receipt string, s *ChequeState) bool {
	ok, _ := tx.Bucket(bCheques).GetJSON(receipt, s)
	return ok
}

func putChequeState(tx *book.Tx, receipt string, s ChequeState) error {
	return tx.Bucket(bCheques).PutJSON(receipt, s)
}

func putBounce(tx *book.Tx, number string, b *ChequeBounce) error {
	return tx.Bucket(bBounces).PutJSON(number, b)
}

func getBounce(tx *book.Tx, number string, b *ChequeBounce) (bool, error) {
	return tx.Bucket(bBounces).GetJSON(number, b)
}

// eachBounce calls fn with every cheque bounce, in number order.
func eachBounce(tx *book.Tx, fn func(number string, b *ChequeBounce) (bool, error)) error {
	return tx.Bucket(bBounces).Scan("", func(k string, v []byte) (bool, error) {
		var b ChequeBounce
		if err := json.Unmarshal(v, &b); err != nil {
			return false, fmt.Errorf("cheque bounce %s: %w", k, err)
		}
		return fn(k, &b)
	})
}

// Adjustments, transfers and counts are stored as plain JSON.
func putStockDoc(tx *book.Tx, d *StockDoc) error { return tx.Bucket(bStockDocs).PutJSON(d.Number, d) }

func getStockDoc(tx *book.Tx, number string, d *StockDoc) (bool, error) {
	return tx.Bucket(bStockDocs).GetJSON(number, d)
}

// eachCount calls fn with every stock count, in number order.
func eachCount(tx *book.Tx, fn func(d *StockDoc) (bool, error)) error {
	return tx.Bucket(bStockDocs).Scan(PrefixCount+"/", func(k string, v []byte) (bool, error) {
		var d StockDoc
		if err := json.Unmarshal(v, &d); err != nil {
			return false, fmt.Errorf("count %s: %w", k, err)
		}
		return fn(&d)
	})
}

// orders is billing.orders (id → Order) with its index by the time taken.
type orders struct{ b *book.Bucket }

func ordersIn(tx *book.Tx) orders { return orders{tx.Bucket(bOrders)} }

func (os orders) get(id string, o *Order) (bool, error) { return os.b.GetJSON(id, o) }

func (os orders) put(id string, o *Order) error { return os.b.PutJSON(id, o) }

// indexOrder puts a new order in the index by the time it was taken.
func indexOrder(tx *book.Tx, o *Order) error {
	return tx.Bucket(bOrdersByTime).Put(orderTimeKey(o.TakenAt, o.ID), nil)
}

// orderIDsByTime calls fn with every order's id, by the time it was taken.
func orderIDsByTime(tx *book.Tx, fn func(id string) (bool, error)) error {
	return tx.Bucket(bOrdersByTime).Scan("", func(k string, _ []byte) (bool, error) {
		return fn(k[strings.IndexByte(k, 0)+1:])
	})
}
