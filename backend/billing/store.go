package billing

import (
	"fmt"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Billing's buckets and every key it builds in them. Documents are
// encoded by doc_codec.go, the open bills and dues by receipts.go, the last
// rates by counter.go; \0 separates the parts of a key.
const (
	bInvoices      = "billing.inv"            // number → Invoice (doc_codec.go)
	bInvByDate     = "billing.inv.date"       // invDateKey → outlet
	bInvByOutlet   = "billing.inv.outlet"     // invOutletKey → ""
	bSeries        = "billing.series"         // series ("SI/26-27") → last number (8 bytes)
	bPurchases     = "billing.pur"            // number → Purchase
	bPurSupplier   = "billing.pur.sup"        // supplierKey → number
	bDebitNotes    = "billing.dn"             // number → PurchaseReturn
	bCreditNotes   = "billing.cn"             // number → SalesReturn
	bReturned      = "billing.cn.returned"    // retKey, purchaseReturnedKey → returned so far (returns.go, purchase.go)
	bReceipts      = "billing.rct"            // number → Receipt
	bOpen          = "billing.ar"             // openKey → total, due (16 bytes, receipts.go)
	bOnAccount     = "billing.ar.onacct"      // outlet → unallocated receipts and credits
	bDue           = "billing.ar.due"         // outlet → sum due over its open bills, count of them
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
