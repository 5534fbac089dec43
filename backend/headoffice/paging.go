package headoffice

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"vitaran/backend/money"
)

// Every list the dashboard answers (the drill, stock cover, schemes and the
// claims' lists) pages on the server: the whole filter is summed, counted
// and totalled, put in a stable order (largest value first, ties by code,
// so page 2 follows page 1 exactly), and one page of it is sent with
// total_rows (how many rows the filter has) and totals (summed over all of
// them, not just the page). A drill answer already had "total" (a Sum), so
// head office's lists name the count total_rows, all of them alike.

const (
	// PageDefault is the rows a page holds when limit is not given.
	PageDefault = 100
	// PageMax is the most rows one page may ask for.
	PageMax = 1000
)

// Page is one page of a list: Limit rows from Offset. A zero Limit is
// every row (Go callers: the tests, the CLI); the HTTP door always pages.
type Page struct {
	Limit  int
	Offset int
}

// pageParams reads limit= and offset= (PageDefault and 0 when absent);
// a value outside 1…PageMax or below 0 is refused naming the parameter.
func pageParams(req *http.Request) (Page, error) {
	p := Page{Limit: PageDefault}
	q := req.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > PageMax {
			return p, inputError("limit: a whole number from 1 to " + strconv.Itoa(PageMax))
		}
		p.Limit = n
	}
	var err error
	p.Offset, err = intParam(req, "offset", 0)
	return p, err
}

// cut is the page of all p asks for (all when p.Limit is 0); never nil,
// so an empty page is [] in JSON.
func cut[T any](all []T, p Page) []T {
	if p.Offset >= len(all) {
		return []T{}
	}
	end := len(all)
	if p.Limit > 0 && p.Offset+p.Limit < end {
		end = p.Offset + p.Limit
	}
	return all[p.Offset:end:end]
}

// matches says whether q ("" for any) is in one of the texts, ignoring case.
func matches(q string, texts ...string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	for _, t := range texts {
		if strings.Contains(strings.ToLower(t), q) {
			return true
		}
	}
	return false
}

// largestFirst orders by value, largest first, then by the keys in order.
func largestFirst(a, b int64, keys ...[2]string) int {
	if c := cmp.Compare(b, a); c != 0 {
		return c
	}
	for _, k := range keys {
		if c := strings.Compare(k[0], k[1]); c != 0 {
			return c
		}
	}
	return 0
}

// sumTotals is a Sum as a list's totals.
func sumTotals(s Sum) map[string]int64 {
	return map[string]int64{"lines": s.Lines, "invoices": s.Invoices, "qty": int64(s.Qty), "free_qty": int64(s.FreeQty),
		"discount_paise": int64(s.Discount), "taxable_paise": int64(s.Taxable), "tax_paise": int64(s.Tax)}
}

// PlanPager is a Store that pages a rollup summed over a period in the
// database (PostgreSQL: one query sums, orders, counts, totals and cuts),
// so a list of 25,000 distributors sends and holds one page, not 25,000
// rows. Without it the dashboard sums into a map and orders and cuts in
// Go, which the embedded store (one process, one file) can afford.
type PlanPager interface {
	PagePlan(q PlanPage) (PlanPageAnswer, error)
}

// PlanPage is one page of Roll summed as PlanSummer.SumPlan sums it (the
// months from month cells, plus and less days from day cells), per
// distributor (ByCode) and/or dim (ByDim), largest OrderBy first.
type PlanPage struct {
	Roll Rollup
	// Primary, when set, is a second rollup whose taxable, summed per
	// distributor over the same plan, comes beside each row.
	Primary Rollup
	// Region keeps one region's distributors ("" every one).
	Region string
	// Listed gives every registered distributor (of Region) a row, sold
	// or not, with its name (ByCode, not ByDim); otherwise a group whose
	// cells net to nothing is left out, as sumRollups leaves it.
	Listed              bool
	ByCode, ByDim       bool
	Months, Plus, Minus []Period
	// OrderBy is "taxable" or "value": largest first; ties by code then
	// dim, or by dim then code when DimFirst.
	OrderBy  string
	DimFirst bool
	// Joined: a row's key is "code/dim" (beats and salesmen nationally or
	// of a region), ordered on ties and searched as that one string.
	Joined bool
	Q      string // only rows whose code, name or dim holds it (any case)
	Page   Page
}

// PlanRow is one row of a PlanPage's answer.
type PlanRow struct {
	Code, Name, Dim string
	Sum             Sum
	Primary         money.Paise
}

// PlanPageAnswer is the page's rows, how many rows the whole filter has,
// and its totals.
type PlanPageAnswer struct {
	Rows    []PlanRow
	Count   int
	Total   Sum
	Primary money.Paise
}

// planOf is how a rollup kept per distributor is read over p (see
// monthPlan): months and days, or days only for a rollup without month
// cells.
func planOf(roll Rollup, p Period) (months, plus, minus []Period) {
	if MonthGrain(roll) != MonthsByDistributor {
		return nil, []Period{p}, nil
	}
	return monthPlan(p)
}
