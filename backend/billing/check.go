package billing

import (
	"bytes"
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
	report := func(format string, args ...any) {
		if len(problems) < 400 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}

	// numbering
	docBucket := func(series string) string {
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
	skipped := skippedBy(tx) // gaps a restore left (numbering.go)
	err = tx.Bucket(bSeries).Scan("", func(series string, v []byte) (bool, error) {
		n := getU64(v)
		docs := tx.Bucket(docBucket(series))
		for i := int64(1); i <= n; i++ {
			if num := fmt.Sprintf("%s/%06d", series, i); !docs.Has(num) && !skipped(series, uint64(i)) {
				report("numbering: %s is missing (series %s is at %d)", num, series, n)
			}
		}
		return true, docs.Scan(series+"/", func(k string, _ []byte) (bool, error) {
			if s, i, ok := splitNumber(k); !ok || s != series || int64(i) > n {
				report("numbering: %s is beyond series %s's counter %d", k, series, n)
			}
			return true, nil
		})
	})
	if err != nil {
		return problems, err
	}

	// queues
	type docRef struct{ kind, id string }
	want := map[docRef]bool{}
	stockKinds := map[string]string{PrefixAdjustment: KindAdjustment, PrefixTransfer: KindTransfer, PrefixCount: KindCount}
	dues := map[string]money.Paise{}   // open key → due
	onAcct := map[string]money.Paise{} // outlet → on account
	add := func(m map[string]money.Paise, k string, p money.Paise) {
		s, err := money.CheckedAdd(m[k], p)
		if err != nil {
			report("%s: the amounts add up beyond any rupee figure", strings.ReplaceAll(k, "\x00", " "))
		}
		m[k] = s
	}
	for _, b := range []struct{ bucket, kind string }{
		{bInvoices, KindInvoice}, {bPurchases, KindPurchase}, {bDebitNotes, KindPurchaseReturn},
		{bCreditNotes, KindSalesReturn}, {bReceipts, KindReceipt}, {bStockDocs, ""},
	} {
		err := tx.Bucket(b.bucket).Scan("", func(k string, v []byte) (bool, error) {
			kind := b.kind
			if kind == "" {
				kind = stockKinds[k[:strings.IndexByte(k, '/')]]
			}
			want[docRef{kind, k}] = true
			switch b.bucket {
			case bInvoices:
				var inv Invoice
				if err := decodeDoc(v, &inv); err != nil {
					return false, fmt.Errorf("invoice %s: %w", k, err)
				}
				inv.Number = k
				checkInvoiceAmounts(report, &inv)
				if inv.Status == StatusCancelled {
					want[docRef{KindCancel, k}] = true
				} else if inv.TotalPaise != 0 {
					add(dues, openKey(inv.Outlet, inv.Date, k), inv.TotalPaise)
				}
			case bPurchases:
				var p Purchase
				if err := decodeDoc(v, &p); err != nil {
					return false, fmt.Errorf("purchase %s: %w", k, err)
				}
				checkDocAmounts(report, "purchase "+k, p.Lines, p.Totals, p.InterState, true, false)
			case bDebitNotes:
				var p PurchaseReturn
				if err := decodeDoc(v, &p); err != nil {
					return false, fmt.Errorf("debit note %s: %w", k, err)
				}
				checkDocAmounts(report, "debit note "+k, p.Lines, p.Totals, p.InterState, false, false)
			case bStockDocs:
				var d StockDoc
				if err := json.Unmarshal(v, &d); err != nil {
					return false, fmt.Errorf("stock document %s: %w", k, err)
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
					return false, fmt.Errorf("receipt %s: %w", k, err)
				}
				r.Number = k
				checkReceiptAmounts(report, &r)
				for _, a := range r.Allocations {
					o, d, _, err := billOf(tx, a.Invoice)
					if err != nil {
						report("receipt %s: allocated to %s: %v", k, a.Invoice, err)
						continue
					}
					add(dues, openKey(o, d, a.Invoice), -a.AmountPaise)
				}
				add(onAcct, r.Outlet, r.OnAccountPaise)
			case bCreditNotes:
				var r SalesReturn
				if err := json.Unmarshal(v, &r); err != nil {
					return false, fmt.Errorf("credit note %s: %w", k, err)
				}
				inv, err := GetInvoice(tx, r.Invoice)
				if err != nil {
					report("credit note %s: invoice %s: %v", k, r.Invoice, err)
					return true, nil
				}
				checkDocAmounts(report, "credit note "+k, r.Lines, r.Totals, r.InterState, false, true)
				if s, err := money.CheckedAdd(r.SettledPaise, r.OnAccountPaise); err != nil || s != r.TotalPaise || r.SettledPaise < 0 || r.OnAccountPaise < 0 {
					report("credit note %s: settled ₹%s and on account ₹%s do not make its total ₹%s", k, r.SettledPaise, r.OnAccountPaise, r.TotalPaise)
				}
				add(dues, openKey(inv.Outlet, inv.Date, inv.Number), -r.SettledPaise)
				add(onAcct, r.Outlet, r.OnAccountPaise)
			}
			return true, nil
		})
		if err != nil {
			return problems, err
		}
	}
	err = checkBounces(tx, report, add, dues, onAcct, func(k string) { want[docRef{KindChequeBounce, k}] = true })
	if err != nil {
		return problems, err
	}
	// request_ids: each answered request names a document of its kind
	err = tx.Bucket(bRequests).Scan("", func(k string, v []byte) (bool, error) {
		kind, id, _ := strings.Cut(k, "\x00")
		num, _, _ := bytes.Cut(v, []byte{0})
		if !want[docRef{kind, string(num)}] {
			report("request_id %s (%s) answers %s, which is not in the book", id, kind, num)
		}
		return true, nil
	})
	if err != nil {
		return problems, err
	}
	for _, q := range []string{book.TallyQueue, book.UploadQueue} {
		seen := map[docRef]int{}
		entries, err := tx.Queued(q, 0, 0)
		if err != nil {
			return problems, err
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
			if !want[r] {
				report("%s queue: %s %s is queued but not in the book", q, e.Kind, e.ID)
			}
		}
		for r := range want {
			switch n := seen[r]; {
			case n == 0:
				report("%s queue: %s %s is not queued", q, r.kind, r.id)
			case n > 1:
				report("%s queue: %s %s is queued %d times", q, r.kind, r.id, n)
			}
			if !tx.IsQueued(q, r.kind, r.id) {
				report("%s queue index: %s %s is missing", q, r.kind, r.id)
			}
		}
	}

	// outstanding
	seen := map[string]bool{}
	tx.Bucket(bOpen).Scan("", func(k string, v []byte) (bool, error) {
		seen[k] = true
		total, due := decOpen(v)
		if due <= 0 || due > total {
			report("outstanding %s: ₹%s due of a ₹%s bill", strings.ReplaceAll(k, "\x00", " "), due, total)
		}
		if due != dues[k] {
			report("outstanding %s: book says ₹%s due, documents give ₹%s", strings.ReplaceAll(k, "\x00", " "), due, dues[k])
		}
		return true, nil
	})
	for k, d := range dues {
		if !seen[k] && d != 0 {
			report("outstanding %s: ₹%s due but not on the open list", strings.ReplaceAll(k, "\x00", " "), d)
		}
	}
	// each outlet's due sum is its open bills' dues
	sums := map[string]money.Paise{}
	counts := map[string]int{}
	for k, d := range dues {
		if d != 0 {
			counts[k[:strings.IndexByte(k, 0)]]++
		}
		sums[k[:strings.IndexByte(k, 0)]] += d
	}
	tx.Bucket(bDue).Scan("", func(k string, v []byte) (bool, error) {
		got, bills := money.Paise(getU64(v)), -1 // 8 bytes: a book from before the count
		if len(v) == 16 {
			got, bills = decDue(v)
		}
		if got != sums[k] {
			report("outstanding of %s: book says ₹%s due in all, its bills give ₹%s", k, got, sums[k])
		}
		if bills >= 0 && bills != counts[k] {
			report("outstanding of %s: book says %d open bills, its documents give %d", k, bills, counts[k])
		}
		return true, nil
	})
	clear(seen)
	tx.Bucket(bOnAccount).Scan("", func(k string, v []byte) (bool, error) {
		seen[k] = true
		if got := money.Paise(getU64(v)); got != onAcct[k] {
			report("on account %s: book says ₹%s, documents give ₹%s", k, got, onAcct[k])
		}
		return true, nil
	})
	for k, p := range onAcct {
		if !seen[k] && p != 0 {
			report("on account %s: ₹%s missing", k, p)
		}
	}
	return problems, nil
}
