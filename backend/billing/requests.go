package billing

import (
	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// Idempotent postings. A client may send a request_id of its own choosing
// with an invoice, a receipt, a return or a purchase (as an order carries
// its id). The posting records it in its own transaction, beside the
// document (book.Requests, scoped by the kind of document, in
// billing.requests): the same request_id again answers the document the
// first one posted — same number, nothing new written — also after a crash
// or a restart. The same request_id with a different body is a conflict,
// not a second document.

// Answered reports whether a request_id of this kind has already posted a
// document: the doors then skip the checks that depend on the day (the
// retry of yesterday's invoice still answers yesterday's number).
func Answered(tx *book.Tx, kind, requestID string) bool {
	return requestID != "" && requests(tx, kind).Has(requestID)
}

// idempotent runs post unless the request already posted a document, in
// which case it answers that document (marked replayed) and writes nothing.
func idempotent[T any](tx *book.Tx, kind, id string, body any, get func(*book.Tx, string) (T, error),
	post func() (T, string, error), replayed func(*T)) (T, error) {
	var zero T
	req, err := book.NewRequest(id, body)
	if err != nil || req == nil {
		if err != nil {
			return zero, err
		}
		d, _, err := post()
		return d, err
	}
	held := requests(tx, kind)
	if num, same, ok := held.Held(req); ok {
		if !same {
			return zero, fail.Conflict("request_id", "%s was already used for %s, with other details: send a new request_id for a new document", id, num)
		}
		d, err := get(tx, num)
		if err != nil {
			return zero, err
		}
		replayed(&d)
		return d, nil
	}
	d, num, err := post()
	if err != nil {
		return d, err
	}
	return d, held.Put(req, num)
}

// PostInvoice posts a sales invoice in the caller's write transaction: the
// number, the invoice, its stock movements, outstanding, scheme
// redemptions, audit and both queue entries (postInvoice). Run it in
// book.Batch for group commit: it writes only through tx, so a rerun is
// harmless. With a request_id already answered it answers that invoice.
func PostInvoice(tx *book.Tx, in InvoiceInput) (Invoice, error) {
	body := in
	body.RequestID = ""
	return idempotent(tx, KindInvoice, in.RequestID, body, GetInvoice,
		func() (Invoice, string, error) { d, err := postInvoice(tx, in); return d, d.Number, err },
		func(d *Invoice) { d.Replayed = true })
}

// PostPurchase posts a GRN (postPurchase), once per request_id.
func PostPurchase(tx *book.Tx, in PurchaseInput) (Purchase, error) {
	body := in
	body.RequestID = ""
	return idempotent(tx, KindPurchase, in.RequestID, body, GetPurchase,
		func() (Purchase, string, error) { d, err := postPurchase(tx, in); return d, d.Number, err },
		func(d *Purchase) { d.Replayed = true })
}

// PostPurchaseReturn posts a debit note (postPurchaseReturn), once per request_id.
func PostPurchaseReturn(tx *book.Tx, in PurchaseReturnInput) (PurchaseReturn, error) {
	body := in
	body.RequestID = ""
	return idempotent(tx, KindPurchaseReturn, in.RequestID, body, GetPurchaseReturn,
		func() (PurchaseReturn, string, error) { d, err := postPurchaseReturn(tx, in); return d, d.Number, err },
		func(d *PurchaseReturn) { d.Replayed = true })
}

// PostSalesReturn posts a credit note (postSalesReturn), once per request_id.
func PostSalesReturn(tx *book.Tx, in SalesReturnInput) (SalesReturn, error) {
	body := in
	body.RequestID = ""
	return idempotent(tx, KindSalesReturn, in.RequestID, body, GetSalesReturn,
		func() (SalesReturn, string, error) { d, err := postSalesReturn(tx, in); return d, d.Number, err },
		func(d *SalesReturn) { d.Replayed = true })
}

// PostReceipt posts a receipt (postReceipt), once per request_id.
func PostReceipt(tx *book.Tx, in ReceiptInput) (Receipt, error) {
	body := in
	body.RequestID = ""
	return idempotent(tx, KindReceipt, in.RequestID, body, GetReceipt,
		func() (Receipt, string, error) { d, err := postReceipt(tx, in); return d, d.Number, err },
		func(d *Receipt) { d.Replayed = true })
}
