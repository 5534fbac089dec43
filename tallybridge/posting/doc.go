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
// Cancellation: a cancelled invoice is posted as a reversing credit note of
// its own (REMOTEID "<prefix>:cancel:<number>", Agst Ref the invoice) with the
// invoice's very lines, taxes and round-off, so the party, sales, tax and stock
// in Tally net to zero. Altering the invoice's REMOTEID to an empty voucher was
// the other choice; it was not taken because (1) tallybridge's voucher model has
// no "cancelled" flag and its check refuses an item invoice without quantities;
// (2) the cancel and the invoice are two queue entries: if the invoice
// failed and is retried after the cancel went through, the retry would alter
// Tally's voided copy back into a live sale. A reversing note has no such
// ordering hazard: whatever order the two reach Tally in, they net to zero, and
// each document is one voucher.
//
// Day-wise mode (the company's tally_mode "daily"): invoices and their
// cancellations queued while the mode is on are folded into their day; each
// day with new or cancelled invoices is summarised again (tallybridge.
// SummariseByDay) and re-posted under the same ids, which alters the day's
// vouchers. Returns and receipts are still posted one by one, to the summary
// party, because outlet-wise receivables stay in Vitaran in this mode.
package posting
