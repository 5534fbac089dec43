// Package posting is the book's side of the Tally bridge: it turns the
// documents billing posted into tallybridge vouchers, keeps the durable Tally
// queue over the book (buckets "tally.*"), stores the settings and the
// mapping to the accountant's ledgers, and pulls Tally's masters back into
// ours after a preview.
//
// Always true:
//   - the queue reads book.TallyQueue, written in each posting's own
//     transaction; it never keeps a second copy of a document, only each
//     document's state (pending, sending, posted, failed + Tally's reason,
//     attempts and next try) under its queue id "kind:number";
//   - every voucher's REMOTEID is "<prefix>:<kind>:<number>", where the prefix
//     ("vitaran:<company code>") is fixed the first time the queue is read and
//     never changes, so a re-send always alters the voucher Tally holds;
//   - MarkSending commits (fsync) before it returns: an entry found "sending"
//     after a crash is re-sent with the same REMOTEID and Tally keeps one.
//
// Cancellation: a cancelled invoice is its own Sales voucher cancelled in
// Tally (ACTION="Cancel" by the invoice's REMOTEID, as the accountant's
// Alt+X): the number stays used, the amounts stop counting, GSTR-1 shows a
// cancelled invoice (Table 13) and nothing is dated the cancellation's day.
// The invoice's entry and the cancellation's entry each send, for a
// cancelled invoice, the voucher and then its cancel in one request (only
// the cancel when Tally has confirmed the voucher), so whichever reaches
// Tally first or is retried last, Tally ends with the voucher cancelled.
// Books that posted the older "<number>-CXL" reversing credit notes have
// them deleted and their Sales vouchers cancelled after the upgrade to
// schema 4 (migrate.go); new cancellations never make one.
//
// Day-wise mode (the company's tally_mode "daily"): invoices and their
// cancellations queued while the mode is on are folded into their day; each
// day with new or cancelled invoices is summarised again (tallybridge.
// SummariseByDay) and re-posted under the same ids, which alters the day's
// vouchers. Returns and receipts are still posted one by one, to the summary
// party, because outlet-wise receivables stay in Vitaran in this mode. A
// GST-rate group that empties (its invoices all cancelled) has its summary
// deleted from Tally. The summary party has no GSTIN: in this mode GSTR-1
// must be filed from Vitaran's registers, never from Tally.
package posting
