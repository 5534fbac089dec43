package headoffice

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
)

// totals answers wire.TotalsPath.
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
	if in.From.AddDays(wire.MaxTotalsDays - 1).Before(in.To) {
		writeRefusal(w, http.StatusBadRequest, "bad_body", "ask for at most "+strconv.Itoa(wire.MaxTotalsDays)+" days at a time")
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
// day and SKU from the store's rollups; its credit-note lines per day,
// outlet and SKU from the raw lines; its primary cells per day and SKU;
// and the closing of its last stock statement on or before to.
func SalesTotals(st Store, code string, from, to cal.Date) (wire.TotalsAnswer, error) {
	out := wire.TotalsAnswer{DistributorCode: code, From: from, To: to, Outlets: []wire.TotalsCell{}, SKUs: []wire.TotalsCell{},
		Holds: []string{wire.TotalsReturns, wire.TotalsPrimary, wire.TotalsStock}, Returns: []wire.TotalsCell{}, Primary: []wire.TotalsCell{}, Stock: []wire.StockCell{}}
	returns := map[[3]string]*wire.TotalsCell{}
	err := st.SalesLines(code, from, to, func(l wire.SalesLine) error {
		if l.DocType != wire.DocReturn {
			return nil
		}
		k := [3]string{string(l.InvoiceDate), l.OutletCode, l.SKUCode}
		c := returns[k]
		if c == nil {
			c = &wire.TotalsCell{Day: l.InvoiceDate, Key: l.OutletCode, SKU: l.SKUCode}
			returns[k] = c
		}
		c.Lines++
		c.Qty -= l.Qty
		c.FreeQty -= l.FreeQty
		c.Taxable -= l.TaxablePaise
		c.Tax -= l.CGSTPaise + l.SGSTPaise + l.IGSTPaise
		return nil
	})
	if err != nil {
		return out, err
	}
	for _, c := range returns {
		out.Returns = append(out.Returns, *c)
	}
	sort.Slice(out.Returns, func(i, j int) bool {
		a, b := out.Returns[i], out.Returns[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.SKU < b.SKU
	})
	stock, err := st.StockOn(code, to)
	if err != nil {
		return out, err
	}
	for _, l := range stock {
		out.StockDay = l.Date // one statement: every row has its day
		out.Stock = append(out.Stock, wire.StockCell{SKU: l.SKUCode, Closing: l.Closing, ClosingValue: l.ClosingValuePaise})
	}
	sort.Slice(out.Stock, func(i, j int) bool { return out.Stock[i].SKU < out.Stock[j].SKU })
	for _, r := range []Rollup{RollSalesOutlet, RollSalesSKU, RollPrimarySKU} {
		cells := map[[2]string]*wire.TotalsCell{}
		err := st.ScanRollup(r, code, from, to, func(day cal.Date, dim string, s Sum) error {
			if r == RollSalesOutlet {
				dim = dim[strings.LastIndex(dim, sep)+1:] // beat \x1f outlet
			}
			k := [2]string{string(day), dim}
			c := cells[k]
			if c == nil {
				c = &wire.TotalsCell{Day: day, Key: dim}
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
		list := make([]wire.TotalsCell, 0, len(cells))
		for _, c := range cells {
			list = append(list, *c)
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Day != list[j].Day {
				return list[i].Day < list[j].Day
			}
			return list[i].Key < list[j].Key
		})
		switch r {
		case RollSalesOutlet:
			out.Outlets = list
		case RollSalesSKU:
			out.SKUs = list
		default:
			out.Primary = list
		}
	}
	return out, nil
}
