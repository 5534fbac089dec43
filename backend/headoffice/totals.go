package headoffice

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// TotalsPath is where a distributor asks head office, signed like an
// upload, what it holds of the distributor's secondary sales per day and
// outlet and per day and SKU: the very cells its dashboard sums. `vitaran
// check --cross` compares them with the book and Tally.
const TotalsPath = "/upload/v1/totals"

// MaxTotalsDays bounds one question's period.
const MaxTotalsDays = 366

// TotalsCell is one day's sales of one outlet (Key: outlet code) or one SKU
// (Key: the brand's SKU code), net of returns and cancellations.
type TotalsCell struct {
	Day      cal.Date    `json:"day"`
	Key      string      `json:"key"`
	Lines    int64       `json:"lines"`
	Invoices int64       `json:"invoices,omitempty"` // outlets only: an invoice has many SKUs
	Qty      money.Qty   `json:"qty"`
	FreeQty  money.Qty   `json:"free_qty"`
	Taxable  money.Paise `json:"taxable_paise"`
	Tax      money.Paise `json:"tax_paise"`
}

// TotalsAnswer is head office's answer to a totals question.
type TotalsAnswer struct {
	DistributorCode string       `json:"distributor_code"`
	From            cal.Date     `json:"from"`
	To              cal.Date     `json:"to"`
	Outlets         []TotalsCell `json:"outlets"`
	SKUs            []TotalsCell `json:"skus"`
}

func (r *Receiver) totals(w http.ResponseWriter, req *http.Request) {
	code, body, ok := r.signedQuery(w, req)
	if !ok {
		return
	}
	var in struct {
		From cal.Date `json:"from"`
		To   cal.Date `json:"to"`
	}
	if err := json.Unmarshal(body, &in); err != nil || !in.From.Valid() || !in.To.Valid() || in.To.Before(in.From) {
		writeRefusal(w, http.StatusBadRequest, "bad_body", `the body is {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}, from not after to`)
		return
	}
	if in.From.AddDays(MaxTotalsDays - 1).Before(in.To) {
		writeRefusal(w, http.StatusBadRequest, "bad_body", "ask for at most "+strconv.Itoa(MaxTotalsDays)+" days at a time")
		return
	}
	out, err := SalesTotals(r.store, code, in.From, in.To)
	if err != nil {
		r.opt.Log.Error("head office: totals", "code", code, "err", err)
		writeRefusal(w, http.StatusInternalServerError, "store", "the receiver could not read its store; retry later")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// SalesTotals reads a distributor's sales cells per day and outlet and per
// day and SKU from the store's rollups.
func SalesTotals(st Store, code string, from, to cal.Date) (TotalsAnswer, error) {
	out := TotalsAnswer{DistributorCode: code, From: from, To: to, Outlets: []TotalsCell{}, SKUs: []TotalsCell{}}
	for _, r := range []Rollup{RollSalesOutlet, RollSalesSKU} {
		cells := map[[2]string]*TotalsCell{}
		err := st.ScanRollup(r, code, from, to, func(day cal.Date, dim string, s Sum) error {
			if r == RollSalesOutlet {
				dim = dim[strings.LastIndex(dim, sep)+1:] // beat \x1f outlet
			}
			k := [2]string{string(day), dim}
			c := cells[k]
			if c == nil {
				c = &TotalsCell{Day: day, Key: dim}
				cells[k] = c
			}
			c.Lines += s.Lines
			c.Invoices += s.Invoices
			c.Qty += s.Qty
			c.FreeQty += s.FreeQty
			c.Taxable += s.Taxable
			c.Tax += s.Tax
			return nil
		})
		if err != nil {
			return out, err
		}
		list := make([]TotalsCell, 0, len(cells))
		for _, c := range cells {
			list = append(list, *c)
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Day != list[j].Day {
				return list[i].Day < list[j].Day
			}
			return list[i].Key < list[j].Key
		})
		if r == RollSalesOutlet {
			out.Outlets = list
		} else {
			out.SKUs = list
		}
	}
	return out, nil
}
