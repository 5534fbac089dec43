// Package billing posts the distributor's documents: purchases (GRN) and
// purchase returns, sales invoices, their cancellation and sales returns
// (credit notes), receipts, stock adjustments, transfers and counts, and it
// takes in orders. It owns document numbering and outstanding.
//
// Always true after every commit:
//   - a posting is one bbolt transaction that writes the document, its stock
//     movements (package stock: balances and totals in step), the scheme
//     redemptions, outstanding, one audit entry, and exactly one entry in
//     the Tally queue and one in the upload queue — or none of it;
//   - numbers are consecutive per series and financial year with no gaps:
//     the counter moves in the posting's own transaction, so a crash either
//     keeps both the number and its document or neither;
//   - a posted invoice is never changed or deleted: cancelling it adds a
//     cancellation (reversing movements dated on the invoice's own date, its
//     own queue entries) and keeps the number: void from its own date, and
//     a physical count posted since keeps what was counted, its variance
//     restated (Invoice.Counts says it all); a return is a credit note
//     against it;
//   - an invoice's figures are computed by one function for the preview and
//     the posting, so what the clerk saw is what is posted;
//   - each line's tax is computed on its taxable value (after the clerk's
//     discount and the scheme discount) at the item's GST rate on the
//     invoice date, CGST+SGST within the state and IGST across; a return
//     uses the invoice's own rates.
//
// Check proves it for a whole book.
package billing

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Document kinds: the audit kind and the queue kind.
const (
	KindInvoice        = "invoice"
	KindCancel         = "cancel"
	KindPurchase       = "purchase"
	KindPurchaseReturn = "purchase_return"
	KindSalesReturn    = "sales_return"
	KindReceipt        = "receipt"
	KindAdjustment     = "adjustment"
	KindTransfer       = "transfer"
	KindCount          = "count"
)

// Series prefixes of the documents other than invoices (whose prefix is
// the company's). Each number is PREFIX/26-27/000001.
const (
	PrefixPurchase       = "GRN"
	PrefixPurchaseReturn = "DN"
	PrefixSalesReturn    = "CN"
	PrefixReceipt        = "RCT"
	PrefixAdjustment     = "ADJ"
	PrefixTransfer       = "TRF"
	PrefixCount          = "CNT"
)

// seriesOf names a document's series: "SI/26-27".
func seriesOf(prefix string, d cal.Date, fyStart int) string {
	return prefix + "/" + cal.FYOf(d, fyStart).Short()
}

// nextNumber takes the next number of a series in the caller's transaction.
func nextNumber(tx *book.Tx, prefix string, d cal.Date, fyStart int) (string, error) {
	if err := fyInRange("date", d, fyStart); err != nil {
		return "", err
	}
	if err := checkNumbering(tx); err != nil {
		return "", err
	}
	s := seriesOf(prefix, d, fyStart)
	counters := seriesIn(tx)
	n := counters.last(s) + 1
	if n > 999999 {
		return "", fail.Conflict("number", "series %s is full (999999 documents)", s)
	}
	if err := counters.set(s, n); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/%06d", s, n), nil
}

// splitNumber reads "SI/26-27/000042" as the series "SI/26-27" and 42.
func splitNumber(num string) (string, uint64, bool) {
	i := strings.LastIndexByte(num, '/')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.ParseUint(num[i+1:], 10, 64)
	return num[:i], n, err == nil
}

// posted records a posting everywhere it must be: the audit log and both
// outgoing queues, in the posting's transaction.
func posted(tx *book.Tx, kind, id string, summary any, note string) error {
	if err := tx.Audit("post", kind, id, nil, summary, note); err != nil {
		return err
	}
	if err := tx.Enqueue(book.TallyQueue, kind, id); err != nil {
		return err
	}
	return tx.Enqueue(book.UploadQueue, kind, id)
}

func putU64(v int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	return b[:]
}

func getU64(v []byte) int64 {
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

// validDate checks a document date.
func validDate(field string, d cal.Date) error {
	if d == "" {
		return fail.Invalid(field, "is required (YYYY-MM-DD)")
	}
	if !d.Valid() {
		return fail.Invalid(field, "%q is not a date: write it as YYYY-MM-DD", d)
	}
	return nil
}

// company reads the profile; a book without one cannot post.
func company(tx *book.Tx) (masters.Company, error) {
	if !masters.CompanyReady(tx) {
		return masters.Company{}, fail.Conflict("company", "set up the company profile (name, state, GSTIN) before posting")
	}
	if tx.Writable() && masters.Revision(tx) == "" {
		// a book from before masters revisions: start one so postings use the cache
		if err := masters.Touch(tx); err != nil {
			return masters.Company{}, err
		}
	}
	return cache.getCompany(tx)
}

// itemCache reads each item once per document.
type itemCache map[string]*masters.Item

func (c itemCache) get(tx *book.Tx, field, code string) (*masters.Item, error) {
	code = masters.NormalizeCode(code)
	if it, ok := c[code]; ok {
		return it, nil
	}
	if code == "" {
		return nil, fail.Invalid(field, "is required")
	}
	it, err := cache.getItem(tx, code)
	if fail.Is(err, fail.KindNotFound) {
		return nil, fail.Invalid(field, "item %s does not exist", code)
	}
	if err != nil {
		return nil, err
	}
	c[code] = &it
	return &it, nil
}

const maxLines = 300

func checkLines(n int) error {
	if n == 0 {
		return fail.Invalid("lines", "at least one line is required")
	}
	if n > maxLines {
		return fail.Invalid("lines", "at most %d lines on one document", maxLines)
	}
	return nil
}

func lineField(i int, f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }

// qtyField checks a line quantity in base units.
func positiveQty(i int, q money.Qty) error {
	if q <= 0 {
		return fail.Invalid(lineField(i, "qty"), "must be more than zero (base units)")
	}
	return checkQty(lineField(i, "qty"), q)
}
