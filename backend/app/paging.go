package app

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
)

// Every list the screens show pages on the server: the whole filter is read,
// counted and totalled, and one page of it is sent, newest first unless the
// caller asks for order=oldest. No list stops silently at a fixed number of
// rows: total says how many rows the filter has, totals sum all of them.

const (
	listPage    = 500    // rows per page when limit is not given
	listMaxPage = 10_000 // the most one page may ask for
)

// Paging is a list's limit, offset and order (limit=, offset=, order=).
type Paging struct {
	Limit  int
	Offset int
	Oldest bool // order=oldest: oldest first (the default is newest first)
}

// ListPage is one page of a list: its rows, how many rows the whole filter
// has, and totals over all of them (not just this page).
type ListPage[T any] struct {
	Rows   []T              `json:"rows"`
	Total  int              `json:"total"`
	Totals map[string]int64 `json:"totals"`
	Offset int              `json:"offset"`
	Limit  int              `json:"limit"`
}

func pagingOf(c *Call) (Paging, error) {
	p := Paging{Limit: listPage}
	var err error
	if p.Limit, err = queryInt(c, "limit", listPage, 1, listMaxPage, fmt.Sprintf("must be 1–%d", listMaxPage)); err != nil {
		return p, err
	}
	if p.Offset, err = queryInt(c, "offset", 0, 0, math.MaxInt, "must be a whole number, 0 or more"); err != nil {
		return p, err
	}
	p.Oldest, err = queryOldest(c)
	return p, err
}

// queryInt reads the whole-number query parameter name, def when absent;
// outside lo…hi it is refused with rule as the reason.
func queryInt(c *Call, name string, def, lo, hi int, rule string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return def, fail.Invalid(name, "%s", rule)
	}
	return n, nil
}

// queryOldest reads order=newest|oldest (newest first when absent).
func queryOldest(c *Call) (bool, error) {
	switch c.Query("order") {
	case "", "newest":
		return false, nil
	case "oldest":
		return true, nil
	}
	return false, fail.Invalid("order", "use newest or oldest")
}

// pageOf orders all (given oldest first) as p asks and cuts one page.
func pageOf[T any](all []T, p Paging, totals map[string]int64) ListPage[T] {
	if !p.Oldest {
		slices.Reverse(all)
	}
	out := ListPage[T]{Rows: []T{}, Total: len(all), Totals: totals, Offset: p.Offset, Limit: p.Limit}
	if out.Totals == nil {
		out.Totals = map[string]int64{}
	}
	if p.Offset < len(all) {
		end := len(all)
		if p.Limit > 0 && p.Offset+p.Limit < end {
			end = p.Offset + p.Limit
		}
		out.Rows = all[p.Offset:end]
	}
	return out
}

// byDate puts documents read in number order into date order (then number):
// a document keyed late can carry an earlier date.
func byDate[T any](xs []T, date func(*T) cal.Date) {
	sort.SliceStable(xs, func(i, j int) bool { return date(&xs[i]) < date(&xs[j]) })
}

// InvoicePage lists the invoices of a filter, one page of them, with the
// count and the totals of every live (not cancelled) invoice in it.
func (a *App) InvoicePage(f billing.InvoiceFilter, p Paging) (ListPage[billing.InvoiceSummary], error) {
	f.Limit = math.MaxInt
	all, err := a.Invoices(f)
	if err != nil {
		return ListPage[billing.InvoiceSummary]{}, err
	}
	byDate(all, func(s *billing.InvoiceSummary) cal.Date { return s.Date })
	t := map[string]int64{"invoices": 0, "cancelled": 0, "lines": 0, "taxable_paise": 0, "total_paise": 0}
	for i := range all {
		s := &all[i]
		if s.Status == billing.StatusCancelled {
			t["cancelled"]++
			continue
		}
		t["invoices"]++
		t["lines"] += int64(s.Lines)
		t["taxable_paise"] += int64(s.Taxable)
		t["total_paise"] += int64(s.Total)
	}
	return pageOf(all, p, t), nil
}

// docPage lists purchases, credit notes or receipts a page at a time.
func docPage[T any](a *App, f billing.DocFilter, p Paging, list func(tx *book.Tx, f billing.DocFilter) ([]T, error),
	date func(*T) cal.Date, sum func(*T, map[string]int64)) (ListPage[T], error) {
	f.Limit = math.MaxInt
	all, err := read(a, func(tx *book.Tx) ([]T, error) { return list(tx, f) })
	if err != nil {
		return ListPage[T]{}, err
	}
	byDate(all, date)
	t := map[string]int64{}
	for i := range all {
		sum(&all[i], t)
	}
	return pageOf(all, p, t), nil
}

func sumTotals(t map[string]int64, x *billing.Totals) {
	t["taxable_paise"] += int64(x.TaxablePaise)
	t["cgst_paise"] += int64(x.CGSTPaise)
	t["sgst_paise"] += int64(x.SGSTPaise)
	t["igst_paise"] += int64(x.IGSTPaise)
	t["total_paise"] += int64(x.TotalPaise)
}

// PurchasePage is one page of GRNs, newest first.
func (a *App) PurchasePage(f billing.DocFilter, p Paging) (ListPage[billing.Purchase], error) {
	return docPage(a, f, p, billing.ListPurchases, func(x *billing.Purchase) cal.Date { return x.Date },
		func(x *billing.Purchase, t map[string]int64) { sumTotals(t, &x.Totals) })
}

// SalesReturnPage is one page of credit notes, newest first.
func (a *App) SalesReturnPage(f billing.DocFilter, p Paging) (ListPage[billing.SalesReturn], error) {
	return docPage(a, f, p, billing.ListSalesReturns, func(x *billing.SalesReturn) cal.Date { return x.Date },
		func(x *billing.SalesReturn, t map[string]int64) { sumTotals(t, &x.Totals) })
}

// ReceiptPage is one page of receipts, newest first.
func (a *App) ReceiptPage(f billing.DocFilter, p Paging) (ListPage[billing.Receipt], error) {
	return docPage(a, f, p, billing.ListReceipts, func(x *billing.Receipt) cal.Date { return x.Date },
		func(x *billing.Receipt, t map[string]int64) {
			t["amount_paise"] += int64(x.AmountPaise)
			t["on_account_paise"] += int64(x.OnAccountPaise)
		})
}

// OutstandingPage is one page of the outlets that owe or hold money, by
// outlet code (order=oldest is the same order: outstanding has no date).
func (a *App) OutstandingPage(on cal.Date, p Paging) (ListPage[billing.OutletOutstanding], error) {
	all, err := read(a, func(tx *book.Tx) ([]billing.OutletOutstanding, error) { return billing.AllOutstanding(tx, on) })
	if err != nil {
		return ListPage[billing.OutletOutstanding]{}, err
	}
	t := map[string]int64{"due_paise": 0, "on_account_paise": 0, "outstanding_paise": 0}
	for i := range all {
		t["due_paise"] += int64(all[i].DuePaise)
		t["on_account_paise"] += int64(all[i].OnAccountPaise)
		t["outstanding_paise"] += int64(all[i].OutstandingPaise)
	}
	p.Oldest = true
	return pageOf(all, p, t), nil
}
