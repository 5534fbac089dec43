package billing

import (
	"encoding/json"
	"fmt"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Check verifies the book's invariants and returns every problem found (at
// most a few hundred), or none:
//   - the stock book: balances and totals rebuilt from the movements (stock.Check);
//   - numbering: every series runs 1…n with no gap and nothing beyond n
//     (but the numbers a restore passed over, see numbering.go);
//   - queues: every posted document (and every cancellation) is in the Tally
//     queue and the upload queue exactly once, and every queued document exists;
//   - request_ids: each one answered names a document in the book;
//   - amounts: every stored figure of every document is derived again from
//     what it rests on, in checked arithmetic, and held to the business
//     limits (check_amounts.go);
//   - outstanding: each open bill's due is its total less receipts and
//     credit notes set against it, and each outlet's money on account is
//     what its receipts and credit notes left over.
//
// `vitaran check` prints the problems and exits non-zero when there are any.
func Check(tx *book.Tx) ([]string, error) {
	problems, err := stock.Check(tx)
	if err != nil {
		return problems, err
	}
	c := &bookCheck{tx: tx, problems: problems, want: map[docRef]bool{}, dues: map[string]money.Paise{}, onAcct: map[string]money.Paise{}}
	for _, step := range []func() error{
		c.numbering,
		c.documents,
		func() error {
			return checkBounces(tx, c.report, c.add, c.dues, c.onAcct, func(k string) { c.want[docRef{KindChequeBounce, k}] = true })
		},
		c.requestIDs,
		c.queues,
	} {
		if err := step(); err != nil {
			return c.problems, err
		}
	}
	c.outstanding()
	c.onAccount()
	return c.problems, nil
}

// bookCheck is one run of Check: the problems found so far and what the
// documents say the queues, open bills and money on account must hold.
type bookCheck struct {
	tx       *book.Tx
	problems []string
	want     map[docRef]bool        // every document (and cancellation) that must be queued
	dues     map[string]money.Paise // open key → due
	onAcct   map[string]money.Paise // outlet → on account
}

type docRef struct{ kind, id string }

func (c *bookCheck) report(format string, args ...any) {
	if len(c.problems) < 400 {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	}
}

func (c *bookCheck) add(m map[string]money.Paise, k string, p money.Paise) {
	s, err := money.CheckedAdd(m[k], p)
	if err != nil {
		c.report("%s: the amounts add up beyond any rupee figure", strings.ReplaceAll(k, "\x00", " "))
	}
	m[k] = s
}

// seriesBucket is the bucket holding a series' documents.
func seriesBucket(series string) string {
	switch series[:strings.IndexByte(series, '/')] {
	case PrefixPurchase:
		return bPurchases
	case PrefixPurchaseReturn:
		return bDebitNotes
	case PrefixSalesReturn:
		return bCreditNotes
	case PrefixReceipt:
		return bReceipts
	case PrefixAdjustment, PrefixTransfer, PrefixCount:
		return bStockDocs
	case PrefixChequeBounce:
		return bBounces
	}
	return bInvoices
}

// numbering: every series runs 1…n with no gap (but a restore's) and
// nothing beyond n.
func (c *bookCheck) numbering() error {
	tx := c.tx
	skipped := skippedBy(tx) // gaps a restore left (numbering.go)
	return seriesIn(tx).each(func(series string, last uint64) (bool, error) {
		n := int64(last)
		docs := shelfOf(tx, seriesBucket(series))
		for i := int64(1); i <= n; i++ {
			if num := fmt.Sprintf("%s/%06d", series, i); !docs.has(num) && !skipped(series, uint64(i)) {
				c.report("numbering: %s is missing (series %s is at %d)", num, series, n)
			}
		}
		return true, docs.each(series+"/", func(k string, _ []byte) (bool, error) {
			if s, i, ok := splitNumber(k); !ok || s != series || int64(i) > n {
				c.report("numbering: %s is beyond series %s's counter %d", k, series, n)
			}
			return true, nil
		})
	})
}

// documents: every document's amounts, and what it adds to the queues,
// the open bills and money on account.
func (c *bookCheck) documents() error {
	for _, b := range []struct{ bucket, kind string }{
		{bInvoices, KindInvoice}, {bPurchases, KindPurchase}, {bDebitNotes, KindPurchaseReturn},
		{bCreditNotes, KindSalesReturn}, {bReceipts, KindReceipt}, {bStockDocs, ""},
	} {
		err := shelfOf(c.tx, b.bucket).each("", func(k string, v []byte) (bool, error) {
			return true, c.document(b.bucket, b.kind, k, v)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

var stockKinds = map[string]string{PrefixAdjustment: KindAdjustment, PrefixTransfer: KindTransfer, PrefixCount: KindCount}

func (c *bookCheck) document(bucket, kind, k string, v []byte) error {
	tx, report := c.tx, c.report
	if kind == "" {
		kind = stockKinds[k[:strings.IndexByte(k, '/')]]
	}
	c.want[docRef{kind, k}] = true
	switch bucket {
	case bInvoices:
		var inv Invoice
		if err := decodeDoc(v, &inv); err != nil {
			return fmt.Errorf("invoice %s: %w", k, err)
		}
		inv.Number = k
		checkInvoiceAmounts(report, &inv)
		if inv.Status == StatusCancelled {
			c.want[docRef{KindCancel, k}] = true
		} else if inv.TotalPaise != 0 {
			c.add(c.dues, openKey(inv.Outlet, inv.Date, k), inv.TotalPaise)
		}
	case bPurchases:
		var p Purchase
		if err := decodeDoc(v, &p); err != nil {
			return fmt.Errorf("purchase %s: %w", k, err)
		}
		checkDocAmounts(report, "purchase "+k, p.Lines, p.Totals, p.InterState, true, false)
	case bDebitNotes:
		var p PurchaseReturn
		if err := decodeDoc(v, &p); err != nil {
			return fmt.Errorf("debit note %s: %w", k, err)
		}
		checkDocAmounts(report, "debit note "+k, p.Lines, p.Totals, p.InterState, false, false)
	case bStockDocs:
		var d StockDoc
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("stock document %s: %w", k, err)
		}
		sum := money.Paise(0)
		var err error
		for i, l := range d.Lines {
			if err == nil {
				sum, err = money.CheckedAdd(sum, l.Value)
			}
			if l.Qty > MaxLineQty || l.Qty < -MaxLineQty {
				report("%s line %d: quantity %d is beyond the limit of %d", k, i+1, l.Qty, MaxLineQty)
			}
		}
		if err != nil || sum != d.Value {
			report("%s: value ₹%s is not the sum of its lines (₹%s)", k, d.Value, sum)
		}
	case bReceipts:
		var r Receipt
		if err := decodeDoc(v, &r); err != nil {
			return fmt.Errorf("receipt %s: %w", k, err)
		}
		r.Number = k
		checkReceiptAmounts(report, &r)
		for _, a := range r.Allocations {
			o, d, _, err := billOf(tx, a.Invoice)
			if err != nil {
				report("receipt %s: allocated to %s: %v", k, a.Invoice, err)
				continue
			}
			c.add(c.dues, openKey(o, d, a.Invoice), -a.AmountPaise)
		}
		c.add(c.onAcct, r.Outlet, r.OnAccountPaise)
	case bCreditNotes:
		var r SalesReturn
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("credit note %s: %w", k, err)
		}
		inv, err := GetInvoice(tx, r.Invoice)
		if err != nil {
			report("credit note %s: invoice %s: %v", k, r.Invoice, err)
			return nil
		}
		checkDocAmounts(report, "credit note "+k, r.Lines, r.Totals, r.InterState, false, true)
		if s, err := money.CheckedAdd(r.SettledPaise, r.OnAccountPaise); err != nil || s != r.TotalPaise || r.SettledPaise < 0 || r.OnAccountPaise < 0 {
			report("credit note %s: settled ₹%s and on account ₹%s do not make its total ₹%s", k, r.SettledPaise, r.OnAccountPaise, r.TotalPaise)
		}
		c.add(c.dues, openKey(inv.Outlet, inv.Date, inv.Number), -r.SettledPaise)
		c.add(c.onAcct, r.Outlet, r.OnAccountPaise)
	}
	return nil
}

// requestIDs: each answered request names a document of its kind.
func (c *bookCheck) requestIDs() error {
	return eachRequest(c.tx, func(kind, id, num string) (bool, error) {
		if !c.want[docRef{kind, num}] {
			c.report("request_id %s (%s) answers %s, which is not in the book", id, kind, num)
		}
		return true, nil
	})
}

// queues: every document is in the Tally and upload queues exactly once,
// and every queued document of ours exists.
func (c *bookCheck) queues() error {
	tx := c.tx
	for _, q := range []string{book.TallyQueue, book.UploadQueue} {
		seen := map[docRef]int{}
		entries, err := tx.Queued(q, 0, 0)
		if err != nil {
			return err
		}
		ours := map[string]bool{KindInvoice: true, KindCancel: true, KindPurchase: true, KindPurchaseReturn: true,
			KindSalesReturn: true, KindReceipt: true, KindAdjustment: true, KindTransfer: true, KindCount: true,
			KindChequeBounce: true}
		for _, e := range entries {
			if !ours[e.Kind] {
				continue
			}
			r := docRef{e.Kind, e.ID}
			seen[r]++
			if !c.want[r] {
				c.report("%s queue: %s %s is queued but not in the book", q, e.Kind, e.ID)
			}
		}
		for r := range c.want {
			switch n := seen[r]; {
			case n == 0:
				c.report("%s queue: %s %s is not queued", q, r.kind, r.id)
			case n > 1:
				c.report("%s queue: %s %s is queued %d times", q, r.kind, r.id, n)
			}
			if !tx.IsQueued(q, r.kind, r.id) {
				c.report("%s queue index: %s %s is missing", q, r.kind, r.id)
			}
		}
	}
	return nil
}

// outstanding: each open bill's due is what its documents leave, and each
// outlet's due in all (and its count of open bills) is its bills'.
func (c *bookCheck) outstanding() {
	report, dues := c.report, c.dues
	seen := map[string]bool{}
	eachOpenBill(c.tx, func(k string, total, due money.Paise) {
		seen[k] = true
		if due <= 0 || due > total {
			report("outstanding %s: ₹%s due of a ₹%s bill", strings.ReplaceAll(k, "\x00", " "), due, total)
		}
		if due != dues[k] {
			report("outstanding %s: book says ₹%s due, documents give ₹%s", strings.ReplaceAll(k, "\x00", " "), due, dues[k])
		}
	})
	for k, d := range dues {
		if !seen[k] && d != 0 {
			report("outstanding %s: ₹%s due but not on the open list", strings.ReplaceAll(k, "\x00", " "), d)
		}
	}
	sums := map[string]money.Paise{}
	counts := map[string]int{}
	for k, d := range dues {
		if d != 0 {
			counts[k[:strings.IndexByte(k, 0)]]++
		}
		sums[k[:strings.IndexByte(k, 0)]] += d
	}
	eachDueOf(c.tx, func(k string, got money.Paise, bills int) { // bills -1: a book from before the count
		if got != sums[k] {
			report("outstanding of %s: book says ₹%s due in all, its bills give ₹%s", k, got, sums[k])
		}
		if bills >= 0 && bills != counts[k] {
			report("outstanding of %s: book says %d open bills, its documents give %d", k, bills, counts[k])
		}
	})
}

// onAccount: each outlet's money on account is what its receipts and
// credit notes left over.
func (c *bookCheck) onAccount() {
	seen := map[string]bool{}
	eachOnAccount(c.tx, func(k string, got money.Paise) {
		seen[k] = true
		if got != c.onAcct[k] {
			c.report("on account %s: book says ₹%s, documents give ₹%s", k, got, c.onAcct[k])
		}
	})
	for k, p := range c.onAcct {
		if !seen[k] && p != 0 {
			c.report("on account %s: ₹%s missing", k, p)
		}
	}
}
