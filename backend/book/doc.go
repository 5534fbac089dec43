// Package book is the distributor's book: one bbolt file per company holding
// masters, documents, the stock ledger, balances, the audit log and the
// outgoing queues (Tally, head office). Nothing else in Vitaran imports bbolt.
//
// Always true:
//   - a book on disk carries its schema version in meta/schema; Open runs
//     migrations forward (after copying the file aside) and refuses, untouched,
//     a book written by a newer Vitaran;
//   - a write is one bbolt transaction: whatever a posting writes (document,
//     movements, balances, audit entry, queue entries) commits together or
//     not at all;
//   - the audit bucket is append-only: entries are keyed by a sequence and
//     nothing in this package updates or deletes one.
//
// # Buckets
//
// Every bucket has one owner package: only the owner opens it, in its
// store.go (the exceptions are listed in owners_test.go), and every other
// package reads it through the owner's exported functions
// (TestEveryBucketHasOneOwner checks the source). \0 and \x1f separate the
// parts of a key; SeqKey(n) is a sequence as 16 hex digits. Values are JSON
// unless said otherwise. The request_id records (…requests) are kept by
// their owners through book.Requests, one encoding for all (requests.go).
//
//	bucket                   owner               key → value
//	meta                     book                "schema", "created" → text
//	audit                    book                SeqKey → AuditEntry (binary, audit.go)
//	queue.<q>                book                SeqKey → QueueEntry (binary, queue.go); q is tally or upload
//	queue.<q>.doc            book                kind \0 id → seq (uvarint)
//	book.incarnation         book                "id" → incarnation id
//	users                    app                 user name → User
//	sessions                 app                 SHA-256 of the token → Session
//	drafts                   app                 user \0 kind → Draft
//	app.restore              app                 "last" → RestoreReport
//	settings                 backup              "backup" → Settings
//	loginlimit               loginlimit          "a:" address, "u:" user → Entry
//	company                  masters             "profile" → Company, "irp_secrets" → IRPSecrets
//	items                    masters             code → Item
//	items.barcode            masters             barcode → item code
//	outlets                  masters             code → Outlet
//	beats                    masters             code → Beat
//	salesmen                 masters             code → Salesman
//	godowns                  masters             code → Godown
//	channels                 masters             code → Channel (the distributor's own, synonyms of the built-in ones)
//	masters.rev              masters             "rev" → 16 random bytes
//	stock.batches            stock               item \0 batch → Batch (binary, store.go)
//	stock.moves              stock               SeqKey → Movement (binary): the ledger
//	stock.bal                stock               item \0 godown \0 expiry \0 batch → qty, value, mrp (binary)
//	stock.item               stock               item → qty, value over all godowns (binary)
//	stock.day                stock               item \0 YYYY-MM-DD → totals by kind (binary)
//	stock.month              stock               item \0 YYYY-MM → totals by kind (binary)
//	stock.fold               stock               "seq" → last movement in the day and month totals (8 bytes)
//	billing.inv              billing             number → Invoice (JSON deflated, billing doc_codec.go)
//	billing.inv.date         billing             date \0 number → outlet
//	billing.inv.outlet       billing             outlet \0 date \0 number → ""
//	billing.series           billing             series ("SI/26-27") → last number (8 bytes)
//	billing.series.skipped   billing             series → [[from, to], …] passed over
//	billing.numbering.hold   billing             "hold" → NumberingHold
//	billing.pur              billing             number → Purchase (doc_codec.go)
//	billing.pur.sup          billing             supplier GSTIN \0 FY \0 supplier invoice → number
//	billing.dn               billing             number → PurchaseReturn (doc_codec.go)
//	billing.cn               billing             number → SalesReturn
//	billing.cn.returned      billing             invoice \0 line, "P" \0 purchase \0 line (4 digits) → returned so far
//	billing.rct              billing             number → Receipt (doc_codec.go)
//	billing.ar               billing             outlet \0 date \0 invoice → total, due (16 bytes)
//	billing.ar.onacct        billing             outlet → unallocated receipts and credits
//	billing.ar.due           billing             outlet → sum due over open bills, their count (binary)
//	billing.chq              billing             receipt number → ChequeState
//	billing.chb              billing             number → ChequeBounce
//	billing.lastrate         billing             outlet \0 item → last date, rate, discount, qty, invoice (binary)
//	billing.stockdoc         billing             number → Adjustment / Transfer / Count
//	billing.orders           billing             id → Order
//	billing.orders.time      billing             taken_at \0 id → status
//	billing.requests         billing             kind \0 request_id → number \0 fingerprint (requests.go)
//	schemes                  schemes             code → Scheme
//	schemes.usage            schemes             code, code \0 outlet → counter
//	schemes.redeemed         schemes             invoice \0 seq (8 bytes) → Redemption (binary, codec.go)
//	schemes.claims           schemes             code \0 date \0 invoice → ""
//	schemes.rev              schemes             "rev" → 16 random bytes
//	redemptions.returned     schemes             invoice \0 line → base units returned so far
//	redemptions.returns      schemes             credit note → invoice
//	redemptions              schemes             legacy, before schema 2: read (store.go) and dropped by migrate.go
//	redemptions.invoice      schemes             legacy, before schema 2: dropped by migrate.go
//	collections.sheet        collections         SeqKey(id) → Sheet
//	collections.tagged       collections         invoice → sheet id (open sheets)
//	collections.requests     collections         request_id → sheet id \0 fingerprint of the settlement (requests.go)
//	dispatch.trip            dispatch            SeqKey(id) → Trip
//	dispatch.trip.inv        dispatch            invoice → trip id
//	reorder.cover            reorder             "brand" \0 brand, "item" \0 code → days (text)
//	reorder.po               reorder             number → PurchaseOrder (store.go)
//	reorder.po.open          reorder             number → "" while something is pending on it
//	reorder.po.series        reorder             series ("PO/26-27") → last number (8 bytes)
//	reorder.po.pur           reorder             purchase (GRN) number → order number
//	reorder.po.requests      reorder             request_id → order number \0 placement fingerprint (requests.go)
//	reports.sales.day        reports             date → DaySales, "~v1.seq" → ledger seq (derived; binary, store.go)
//	einvoice.irn             gst/irp             kind \0 number → Record
//	einvoice.meta            gst/irp             "cursor" → last Tally-queue seq looked at
//	ewaybill.records         gst/ewaybill        invoice → Record
//	tally.meta               tallybridge/posting "settings", "mapping", "cursor", "prefix", "old_cancel_notes" (schema 4 ran)
//	tally.docs               tallybridge/posting queue id (kind:number; old_cancel_note:<invoice>-CXL) → docState
//	tally.open               tallybridge/posting SeqKey(book queue seq) → queue id, not yet posted
//	tally.days               tallybridge/posting date → dayState (day-wise mode)
//	upload_pending           headoffice/upload   SeqKey → pending row
//	upload_outbox            headoffice/upload   SeqKey → OutboxBatch
//	upload_bodies            headoffice/upload   SeqKey → batch body as sent
//	upload_state             headoffice/upload   "state" → last build, refresh, success
//	upload_settings          headoffice/upload   "settings" → Settings
//	upload_drain             headoffice/upload   "queue", "audit" → last seq drained; "redated" \x1f redemption id → the date its restated id carries
//
// Head office's embedded store is a book of its own, owned by headoffice
// (every key and encoding in its store.go):
// ho_distributors (code → Distributor), ho_admin ("admin", "month_cells_v4"),
// ho_batches, ho_sales_lines (legacy, one key a line), ho_sales_parts and
// ho_sales_seen (packed lines and the seen index by distributor and day),
// ho_primary_receipts, ho_stock, ho_redemptions, ho_outlets, ho_skus,
// ho_schemes ("issued" → the schemes issued), ho_conflicts (code \x1f part
// \x1f row key \x1f batch id → conflict), ho_rollday_<rollup> and
// ho_rollmonth_<rollup> (scope \x1f day or month → packed cells),
// ho_roll_<rollup> (legacy, packed on open), and loginlimit.
package book
