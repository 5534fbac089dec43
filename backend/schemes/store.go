package schemes

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// Buckets in the book.
const (
	bucketSchemes  = "schemes"              // code → Scheme
	bucketUsage    = "schemes.usage"        // code, code\x00outlet → counter
	bucketRedeemed = "schemes.redeemed"     // invoice\x00seq → Redemption, compact (codec.go)
	bucketClaims   = "schemes.claims"       // code\x00date\x00invoice → nothing: where Claim looks
	bucketReturned = "redemptions.returned" // invoice\x00line → base units returned so far
	bucketReturns  = "redemptions.returns"  // credit note → invoice, so a return reverses once
	bucketRevision = "schemes.rev"          // "rev" → 16 random bytes, new with every Save
)

// Legacy buckets, read-only: books before schema 2 kept redemptions as
// JSON keyed by scheme, date and seq, with a second bucket indexing them by
// invoice. Only the schema-2 migration (migrate.go) reads them, through
// eachLegacyRedemption, and then drops them; nothing writes them.
const (
	oldRedeemed = "redemptions"         // legacy: scheme \x00 date \x00 seq → Redemption (JSON)
	oldByInv    = "redemptions.invoice" // legacy: invoice → redemption keys
)

// Key layouts: every key this package builds is built here.

func outletKey(code, outlet string) string { return code + "\x00" + outlet }

func claimKey(code string, date cal.Date, invoice string) string {
	return code + "\x00" + string(date) + "\x00" + invoice
}

// redeemedPrefix is the prefix of an invoice's redemptions (redemptionKey).
func redeemedPrefix(invoice string) string { return invoice + "\x00" }

func returnedKey(invoice string, line int) string { return invoice + "\x00" + strconv.Itoa(line) }

// Revision is the schemes' revision: "" in a book from before revisions.
func Revision(tx *book.Tx) string { return string(tx.Bucket(bucketRevision).Get("rev")) }

func putRevision(tx *book.Tx, rev []byte) error { return tx.Bucket(bucketRevision).Put("rev", rev) }

// eachClaimed calls fn with each invoice the claims index names for the
// scheme between from and to inclusive, with the redemption's date.
func eachClaimed(tx *book.Tx, code string, from, to cal.Date, fn func(date cal.Date, invoice string) error) error {
	return tx.Bucket(bucketClaims).Range(code+"\x00"+string(from), code+"\x00"+string(to)+"\x01", func(k string, _ []byte) (bool, error) {
		date, invoice, err := splitClaimKey(code, k)
		if err != nil {
			return false, err
		}
		return true, fn(date, invoice)
	})
}

// Redeemed is the span of invoice dates that redeemed a scheme: the first
// and the last invoice (a reversal, dated on its return, is not one).
// Used is false when no invoice ever redeemed it.
type Redeemed struct {
	Used        bool
	First, Last cal.Date
	LastInvoice string
}

// RedeemedSpan reads from the claims index which invoices redeemed the
// scheme. The first key is always an invoice's (a reversal is dated on or
// after its invoice); for the last, keys are walked back until one is an
// invoice's own redemption rather than a return's reversal.
func RedeemedSpan(tx *book.Tx, code string) (Redeemed, error) {
	var sp Redeemed
	idx := tx.Bucket(bucketClaims)
	lo, hi := code+"\x00", code+"\x01"
	err := idx.Range(lo, hi, func(k string, _ []byte) (bool, error) {
		d, _, err := splitClaimKey(code, k)
		sp.Used, sp.First = true, d
		return false, err
	})
	if err != nil || !sp.Used {
		return sp, err
	}
	err = idx.Reverse(lo, hi, func(k string, _ []byte) (bool, error) {
		d, invoice, err := splitClaimKey(code, k)
		if err != nil {
			return false, err
		}
		own := false
		err = eachRedemption(tx, invoice, func(r Redemption) error {
			own = own || (r.Scheme == code && r.Return == "" && r.Date == d)
			return nil
		})
		if own {
			sp.Last, sp.LastInvoice = d, invoice
		}
		return !own && err == nil, err
	})
	if sp.Last == "" {
		sp.Last = sp.First // only reversals re-dated by a migration: be safe
	}
	return sp, err
}

func splitClaimKey(code, k string) (cal.Date, string, error) {
	rest := k[len(code)+1:]
	i := strings.IndexByte(rest, 0)
	if i < 0 {
		return "", "", fmt.Errorf("claims index key %q is corrupt", k)
	}
	return cal.Date(rest[:i]), rest[i+1:], nil
}

// eachRedemption calls fn with an invoice's redemptions and reversals in
// the order they were written.
func eachRedemption(tx *book.Tx, invoice string, fn func(Redemption) error) error {
	return tx.Bucket(bucketRedeemed).Scan(redeemedPrefix(invoice), func(k string, v []byte) (bool, error) {
		r, err := readRedemption(k, v)
		if err != nil {
			return false, err
		}
		return true, fn(r)
	})
}

// Errors a caller can test for with errors.Is.
var (
	ErrNotFound        = errors.New("no such scheme")
	ErrCapExceeded     = errors.New("scheme budget or outlet cap exceeded")
	ErrAlreadyRedeemed = errors.New("the invoice's redemptions are already written")
	ErrAlreadyReversed = errors.New("the return's reversals are already written")
	ErrOverReturn      = errors.New("more returned than the line sold")
)

// CapError says which cap a redemption would break and what was left. The
// posting should re-evaluate with fresh usage and show the clerk.
type CapError struct {
	Scheme string
	Cap    string // "budget_paise", "budget_free_qty", "per_outlet_cap_paise", "per_outlet_cap_qty"
	Left   int64
	Asked  int64
}

func (e *CapError) Error() string {
	return fmt.Sprintf("scheme %s: %s has %d left and the invoice asks %d", e.Scheme, e.Cap, e.Left, e.Asked)
}

func (e *CapError) Unwrap() error { return ErrCapExceeded }

// counter is what a scheme (or a scheme at one outlet) has cost so far; it
// always equals the sum of its redemptions and reversals.
type counter struct {
	CostPaise      money.Paise `json:"cost_paise"`
	DiscountPaise  money.Paise `json:"discount_paise"`
	FreeQty        money.Qty   `json:"free_qty"`
	FreeValuePaise money.Paise `json:"free_value_paise"`
}

func (c *counter) add(r *Redemption) {
	c.CostPaise += r.CostPaise()
	c.DiscountPaise += r.DiscountPaise
	c.FreeQty += r.FreeQty
	c.FreeValuePaise += r.FreeValuePaise
}

// Save stores a scheme after validating it, with an audit entry holding the
// old and new definition. A scheme an invoice redeemed keeps its terms
// (FrozenTerms, terms.go): Save refuses to change them with a 409.
func Save(tx *book.Tx, s Scheme) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b := tx.Bucket(bucketSchemes)
	var before Scheme
	had, err := b.GetJSON(s.Code, &before)
	if err != nil {
		return err
	}
	if had {
		if err := FrozenTerms(tx, &before, &s); err != nil {
			return err
		}
	}
	if err := b.PutJSON(s.Code, s); err != nil {
		return err
	}
	if err := touch(tx); err != nil {
		return err
	}
	if had {
		return tx.Audit("update", "scheme", s.Code, before, s, "")
	}
	return tx.Audit("create", "scheme", s.Code, nil, s, "")
}

// Get returns the scheme with the code, or ErrNotFound.
func Get(tx *book.Tx, code string) (Scheme, error) {
	var s Scheme
	ok, err := tx.Bucket(bucketSchemes).GetJSON(code, &s)
	if err != nil {
		return Scheme{}, err
	}
	if !ok {
		return Scheme{}, fmt.Errorf("scheme %q: %w", code, ErrNotFound)
	}
	return s, nil
}

// List returns every scheme, by code.
func List(tx *book.Tx) ([]Scheme, error) {
	var out []Scheme
	err := tx.Bucket(bucketSchemes).Scan("", func(k string, v []byte) (bool, error) {
		var s Scheme
		if err := json.Unmarshal(v, &s); err != nil {
			return false, fmt.Errorf("scheme %s: %w", k, err)
		}
		out = append(out, s)
		return true, nil
	})
	return out, err
}

// Active returns the schemes running on the date, by code: what billing
// passes to Evaluate.
func Active(tx *book.Tx, d cal.Date) ([]Scheme, error) {
	all, err := List(tx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, s := range all {
		if d >= s.ValidFrom && d <= s.ValidTo {
			out = append(out, s)
		}
	}
	return out, nil
}

func readCounter(b *book.Bucket, key string) (counter, error) {
	var c counter
	_, err := b.GetJSON(key, &c)
	return c, err
}

// UsageOf reads what the schemes have cost so far, in total and for the
// outlet. Read it in the posting transaction so it is current.
func UsageOf(tx *book.Tx, schemes []Scheme, outlet string) (Usage, error) {
	b := tx.Bucket(bucketUsage)
	u := Usage{}
	for _, s := range schemes {
		all, err := readCounter(b, s.Code)
		if err != nil {
			return nil, err
		}
		at, err := readCounter(b, outletKey(s.Code, outlet))
		if err != nil {
			return nil, err
		}
		if all != (counter{}) || at != (counter{}) {
			u[s.Code] = Used{CostPaise: all.CostPaise, FreeQty: all.FreeQty, OutletCostPaise: at.CostPaise, OutletFreeQty: at.FreeQty}
		}
	}
	return u, nil
}

// Redeem writes an invoice's redemptions (Result.Redemptions) and moves the
// usage counters, inside the caller's posting transaction. It re-checks
// every budget and outlet cap against the counters in this transaction and
// refuses with a *CapError rather than overspend: bbolt runs one writer at
// a time, so of two clerks racing for the last of a budget, the second
// sees the first's spend.
func Redeem(tx *book.Tx, invoiceNo string, date cal.Date, outlet string, reds []Redemption) error {
	if len(reds) == 0 {
		return nil
	}
	if invoiceNo == "" || !date.Valid() {
		return fmt.Errorf("redeem: invoice number and date are required")
	}
	already := false
	if err := tx.Bucket(bucketRedeemed).Scan(redeemedPrefix(invoiceNo), func(string, []byte) (bool, error) { already = true; return false, nil }); err != nil {
		return err
	}
	if already {
		return fmt.Errorf("invoice %s: %w", invoiceNo, ErrAlreadyRedeemed)
	}
	// what this invoice asks of each scheme
	asked := map[string]*counter{}
	var codes []string
	for i := range reds {
		r := &reds[i]
		if r.DiscountPaise < 0 || r.FreeQty < 0 || r.FreeValuePaise < 0 {
			return fmt.Errorf("invoice %s line %d scheme %s: a redemption cannot be negative", invoiceNo, r.Line, r.Scheme)
		}
		if asked[r.Scheme] == nil {
			asked[r.Scheme] = &counter{}
			codes = append(codes, r.Scheme)
		}
		asked[r.Scheme].add(r)
	}
	sort.Strings(codes)
	usage := tx.Bucket(bucketUsage)
	for _, code := range codes {
		s, err := Get(tx, code)
		if err != nil {
			return fmt.Errorf("invoice %s: %w", invoiceNo, err)
		}
		all, err := readCounter(usage, code)
		if err != nil {
			return err
		}
		at, err := readCounter(usage, outletKey(code, outlet))
		if err != nil {
			return err
		}
		a := asked[code]
		for _, c := range []struct {
			name       string
			cap, used  int64
			askedValue int64
		}{
			{"budget_paise", int64(s.BudgetPaise), int64(all.CostPaise), int64(a.CostPaise)},
			{"budget_free_qty", int64(s.BudgetFreeQty), int64(all.FreeQty), int64(a.FreeQty)},
			{"per_outlet_cap_paise", int64(s.PerOutletCapPaise), int64(at.CostPaise), int64(a.CostPaise)},
			{"per_outlet_cap_qty", int64(s.PerOutletCapQty), int64(at.FreeQty), int64(a.FreeQty)},
		} {
			if c.cap > 0 && c.askedValue > 0 && c.used+c.askedValue > c.cap {
				return fmt.Errorf("invoice %s: %w", invoiceNo, &CapError{Scheme: code, Cap: c.name, Left: max(c.cap-c.used, 0), Asked: c.askedValue})
			}
		}
	}
	for i := range reds {
		r := reds[i]
		r.Invoice, r.Date, r.Outlet, r.Return = invoiceNo, date, outlet, ""
		if err := write(tx, &r); err != nil {
			return err
		}
	}
	return nil
}

// write appends one redemption (or reversal) and moves its counters.
func write(tx *book.Tx, r *Redemption) error {
	main := tx.Bucket(bucketRedeemed)
	seq, err := main.NextSeq()
	if err != nil {
		return err
	}
	r.Seq = seq
	if err := main.Put(redemptionKey(r.Invoice, seq), appendRedemption(nil, r)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketClaims).Put(claimKey(r.Scheme, r.Date, r.Invoice), nil); err != nil {
		return err
	}
	usage := tx.Bucket(bucketUsage).Scattered()
	for _, k := range []string{r.Scheme, outletKey(r.Scheme, r.Outlet)} {
		c, err := readCounter(usage, k)
		if err != nil {
			return err
		}
		c.add(r)
		if err := usage.PutJSON(k, c); err != nil {
			return err
		}
	}
	return nil
}

// Redemptions returns an invoice's redemptions and reversals in the order
// they were written.
func Redemptions(tx *book.Tx, invoiceNo string) ([]Redemption, error) {
	var out []Redemption
	err := eachRedemption(tx, invoiceNo, func(r Redemption) error { out = append(out, r); return nil })
	return out, err
}

// Reverse writes a sales return's share of an invoice's redemptions:
// returned maps line number → base units returned. A discount's share is
// its proportion of the quantity billed, taken cumulatively over all
// returns of the line, so returning everything (in one return or many)
// reverses exactly what was redeemed, to the paisa. Free goods are
// settled on what the outlet keeps: kept is the invoice as it stands after
// this return (all its lines, net of this and earlier returns), and each
// free redemption keeps what the scheme's own rule gives on it
// (rules.FreeOnKept) — for a combo or an invoice-value scheme whichever line
// comes back, since their rule reads the whole bill. Without kept (a book
// that cannot say) a line keeps FreeKept of its own quantity. What was
// kept before is read from the earlier reversals, and what is kept after
// is never more, so all returns together never take back more than was
// given, and a whole invoice back takes back all of it. Reversals are
// negative redemptions dated on the return, under returnNo; the budget
// they free is available again.
func Reverse(tx *book.Tx, invoiceNo, returnNo string, date cal.Date, returned map[int]money.Qty, kept *Kept) ([]Redemption, error) {
	if returnNo == "" || !date.Valid() {
		return nil, fmt.Errorf("reverse: return number and date are required")
	}
	rets := tx.Bucket(bucketReturns)
	if rets.Has(returnNo) {
		return nil, fmt.Errorf("return %s: %w", returnNo, ErrAlreadyReversed)
	}
	all, err := Redemptions(tx, invoiceNo)
	if err != nil {
		return nil, err
	}
	lines := make([]int, 0, len(returned))
	for ln := range returned {
		lines = append(lines, ln)
	}
	sort.Ints(lines)
	defs := map[string]*Scheme{}
	schemeOf := func(code string) *Scheme {
		if s, ok := defs[code]; ok {
			return s
		}
		var sp *Scheme
		if s, err := Get(tx, code); err == nil {
			sp = &s
		}
		defs[code] = sp
		return sp
	}
	// a bill-level scheme's free goods are settled once for the whole
	// return, below, when the kept invoice says what the bill still earns
	billFree := func(r *Redemption) bool {
		s := schemeOf(r.Scheme)
		return kept != nil && r.FreeQty > 0 && s != nil && s.Kind.BillLevel()
	}
	done := tx.Bucket(bucketReturned)
	var out []Redemption
	reverse := func(r *Redemption, disc money.Paise, freeBack money.Qty) error {
		// the value of free goods goes back at the rate they were given,
		// cumulatively, so what stays claimed is the pieces kept (2 free at
		// ₹30, one due back: ₹30 stays)
		var valueBack money.Paise
		if freeBack > 0 {
			before := int64(r.FreeQty - keptSoFar(all, r))
			valueBack = money.Paise(rules.MulDiv(int64(r.FreeValuePaise), before+int64(freeBack), int64(r.FreeQty)) -
				rules.MulDiv(int64(r.FreeValuePaise), before, int64(r.FreeQty)))
		}
		rev := Redemption{Scheme: r.Scheme, Invoice: invoiceNo, Date: date, Outlet: r.Outlet, Line: r.Line, Item: r.Item,
			LineQty: r.LineQty, FreeItem: r.FreeItem, Return: returnNo,
			DiscountPaise: -disc, FreeQty: -freeBack, FreeValuePaise: -valueBack}
		if rev.DiscountPaise == 0 && rev.FreeQty == 0 && rev.FreeValuePaise == 0 {
			return nil
		}
		if err := write(tx, &rev); err != nil {
			return err
		}
		out = append(out, rev)
		return nil
	}
	for _, ln := range lines {
		q := returned[ln]
		if q < 0 {
			return nil, fmt.Errorf("return %s line %d: a returned quantity cannot be negative", returnNo, ln)
		}
		var orig []Redemption
		for _, r := range all {
			if r.Line == ln && r.Return == "" {
				orig = append(orig, r)
			}
		}
		if len(orig) == 0 || q == 0 {
			continue
		}
		key := returnedKey(invoiceNo, ln)
		var prev money.Qty
		if raw := done.Get(key); raw != nil {
			n, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("returned so far for %s line %d is corrupt", invoiceNo, ln)
			}
			prev = money.Qty(n)
		}
		sold := orig[0].LineQty
		if prev+q > sold {
			return nil, fmt.Errorf("return %s: invoice %s line %d sold %d, %d returned before, %d now: %w", returnNo, invoiceNo, ln, sold, prev, q, ErrOverReturn)
		}
		for i := range orig {
			r := &orig[i]
			disc := money.Paise(rules.MulDiv(int64(r.DiscountPaise), int64(prev+q), int64(sold)) - rules.MulDiv(int64(r.DiscountPaise), int64(prev), int64(sold)))
			var freeBack money.Qty
			if r.FreeQty > 0 && !billFree(r) {
				before := keptSoFar(all, r)
				after := FreeKept(schemeOf(r.Scheme), r, sold-prev-q)
				if s := schemeOf(r.Scheme); kept != nil && s != nil {
					after = min(rules.FreeOnKept(s, r, kept), r.FreeQty)
				}
				freeBack = before - min(after, before)
			}
			if err := reverse(r, disc, freeBack); err != nil {
				return nil, err
			}
		}
		if err := done.Put(key, []byte(strconv.FormatInt(int64(prev+q), 10))); err != nil {
			return nil, err
		}
	}
	for i := range all {
		r := &all[i]
		if r.Return != "" || !billFree(r) {
			continue
		}
		before := keptSoFar(all, r)
		after := min(rules.FreeOnKept(schemeOf(r.Scheme), r, kept), r.FreeQty, before)
		if err := reverse(r, 0, before-after); err != nil {
			return nil, err
		}
	}
	if err := rets.Put(returnNo, []byte(invoiceNo)); err != nil {
		return nil, err
	}
	return out, nil
}

// keptSoFar is how many of a redemption's free pieces the outlet still
// keeps after the reversals written before (all is the invoice's
// redemptions and reversals).
func keptSoFar(all []Redemption, r *Redemption) money.Qty {
	k := r.FreeQty
	for i := range all {
		x := &all[i]
		if x.Return != "" && x.Scheme == r.Scheme && x.Line == r.Line && x.FreeItem == r.FreeItem {
			k += x.FreeQty
		}
	}
	return max(k, 0)
}

// FreeKept is rules.FreeKept: the free pieces the outlet keeps of a
// redemption when it keeps `kept` of the pieces billed on its line.
func FreeKept(s *Scheme, r *Redemption, kept money.Qty) money.Qty { return rules.FreeKept(s, r, kept) }

// eachLegacyRedemption calls fn with each redemption of a book from before
// schema 2, in key order. It answers how many it read and the old bucket's
// sequence (the last seq handed out).
func eachLegacyRedemption(tx *book.Tx, fn func(r *Redemption) error) (n int, seq uint64, err error) {
	old := tx.Bucket(oldRedeemed)
	if old.Len() == 0 {
		return 0, 0, nil
	}
	err = old.Scan("", func(k string, v []byte) (bool, error) {
		r, err := decodeLegacyRedemption(k, v)
		if err != nil {
			return false, err
		}
		n++
		return true, fn(&r)
	})
	return n, old.Seq(), err
}

// decodeLegacyRedemption reads one value of the legacy redemptions bucket.
func decodeLegacyRedemption(k string, v []byte) (Redemption, error) {
	var r Redemption
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("migrate redemption %q: %w", k, err)
	}
	return r, nil
}

// dropLegacyRedemptions deletes both legacy buckets, once migrated.
func dropLegacyRedemptions(tx *book.Tx) error {
	if err := tx.DropBucket(oldRedeemed); err != nil {
		return err
	}
	return tx.DropBucket(oldByInv)
}

// rewriteRedemption writes a redemption under the seq it already has and
// names it in the claims index: only for migrations, which carry one over
// from the legacy layout or re-date it. Counters do not move.
func rewriteRedemption(tx *book.Tx, r *Redemption) error {
	if err := tx.Bucket(bucketRedeemed).Put(redemptionKey(r.Invoice, r.Seq), appendRedemption(nil, r)); err != nil {
		return err
	}
	return tx.Bucket(bucketClaims).Put(claimKey(r.Scheme, r.Date, r.Invoice), nil)
}

// setRedemptionSeq carries the legacy bucket's numbering over, so new
// redemptions never reuse a migrated seq.
func setRedemptionSeq(tx *book.Tx, seq uint64) error { return tx.Bucket(bucketRedeemed).SetSeq(seq) }

// unclaim removes an invoice from the claims index of a scheme's day.
func unclaim(tx *book.Tx, code string, date cal.Date, invoice string) error {
	return tx.Bucket(bucketClaims).Delete(claimKey(code, date, invoice))
}
