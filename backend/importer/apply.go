package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// maxDocLines is how many rows go on one posted document; billing refuses
// more than 300 lines, and a long opening-stock file becomes several
// adjustments of one import (still one transaction).
const maxDocLines = 300

// doc is one document made of rows of the file.
type doc struct {
	key  string
	rows []int // the file's row of each line, in line order
}

var lineField = regexp.MustCompile(`^lines\[(\d+)\]\.?(.*)$`)

// rowOf turns billing's error about a document into the clerk's row and
// column: "lines[2].qty" is the third line's row, Qty column.
func (k *Kind) rowError(res *excel.Result, d doc, err error) (excel.RowError, bool) {
	fe, ok := fail.As(err)
	if !ok {
		return excel.RowError{}, false
	}
	row, field := d.rows[0], fe.Field
	if m := lineField.FindStringSubmatch(fe.Field); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(d.rows) {
			row = d.rows[i]
		}
		field = m[2]
	}
	col := field
	if f, ok := k.fields[field]; ok {
		col = res.Title(f)
	}
	return excel.RowError{Row: row, Column: col, Reason: fe.Reason}, true
}

// post runs one document's posting; a problem the clerk can fix becomes a
// row error, anything else stops the import.
func (k *Kind) post(res *excel.Result, d doc, fn func() error) (bool, error) {
	err := fn()
	if err == nil {
		return true, nil
	}
	if re, ok := k.rowError(res, d, err); ok {
		res.Add(re)
		return false, nil
	}
	return false, fmt.Errorf("%s %s: %w", k.Title, d.key, err)
}

func outcomes(d doc, ch Change) []Outcome {
	out := make([]Outcome, len(d.rows))
	for i, r := range d.rows {
		out[i] = Outcome{Row: r, Key: d.key, Change: ch}
	}
	return out
}

// applyOpening posts the opening stock as opening adjustments dated the
// import day, batch by batch. A batch already in the book with the same
// quantity is unchanged (the file imported again); with another quantity it
// is refused: a correction is a stock count, not a second opening.
func applyOpening(tx *book.Tx, opt Options, rows []rowRec, res *excel.Result) ([]Outcome, error) {
	k := kinds["opening-stock"]
	var outs []Outcome
	var cur billing.StockDocInput
	var d doc
	flush := func() error {
		if len(cur.Lines) == 0 {
			return nil
		}
		if _, err := k.post(res, d, func() error { _, err := billing.PostAdjustment(tx, cur); return err }); err != nil {
			return err
		}
		cur.Lines, d.rows = nil, nil
		return nil
	}
	for _, rr := range rows {
		v := rr.rec.(pending[OpeningStock]).v
		it, err := masters.GetItem(tx, v.Item)
		if err != nil {
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("Item Code"), Value: v.Item, Reason: "no such item: import the items first"})
			continue
		}
		if _, err := masters.GetGodown(tx, v.Godown); err != nil {
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("Godown"), Value: v.Godown, Reason: "no such godown"})
			continue
		}
		if v.Qty <= 0 {
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("Qty"), Value: strconv.FormatInt(int64(v.Qty), 10), Reason: "opening stock must be more than zero"})
			continue
		}
		if v.Expiry == "" {
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("Expiry"), Reason: "a batch needs its expiry date"})
			continue
		}
		if _, ok, err := stock.GetBatch(tx, it.Code, v.Batch); err != nil {
			return nil, err
		} else if ok {
			bal, err := stock.BalanceOf(tx, it.Code, v.Godown, v.Batch)
			if err != nil {
				return nil, err
			}
			if bal.Qty == v.Qty {
				outs = append(outs, Outcome{Row: rr.row, Key: rr.rec.key(), Change: Unchanged})
				continue
			}
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("Batch"), Value: v.Batch,
				Reason: fmt.Sprintf("batch %s of %s is already in the book with %d in %s: correct it with a stock count, not opening stock", v.Batch, it.Code, bal.Qty, v.Godown)})
			continue
		}
		cost := v.Cost
		if cost == 0 {
			cost = it.PricePaise
		}
		if len(cur.Lines) == 0 {
			cur = billing.StockDocInput{Date: opt.Today, Reason: "opening stock imported from " + res.Sheet, Opening: true}
			d = doc{key: "opening stock"}
		}
		cur.Lines = append(cur.Lines, billing.StockLineInput{Item: it.Code, Batch: v.Batch, Godown: v.Godown, Qty: v.Qty,
			Expiry: v.Expiry, MRPPaise: v.MRP, RatePaise: cost})
		d.rows = append(d.rows, rr.row)
		outs = append(outs, Outcome{Row: rr.row, Key: rr.rec.key(), Change: New})
		if len(cur.Lines) == maxDocLines {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	return outs, flush()
}

// groupRows gathers the rows of each document (an invoice, an order) under
// its number, keeping the numbers in the order the file first names them.
func groupRows(rows []rowRec, number func(rowRec) string) ([]string, map[string][]rowRec) {
	var order []string
	groups := map[string][]rowRec{}
	for _, rr := range rows {
		no := number(rr)
		if _, seen := groups[no]; !seen {
			order = append(order, no)
		}
		groups[no] = append(groups[no], rr)
	}
	return order, groups
}

// applyPurchases posts each brand invoice of the file (rows grouped by the
// invoice number) as a GRN. An invoice already entered is unchanged, so the
// same file imported twice adds nothing. The brand's free quantity comes in
// on the same batch, its value spread over the line as a discount.
func applyPurchases(tx *book.Tx, opt Options, rows []rowRec, res *excel.Result) ([]Outcome, error) {
	k := kinds["purchases"]
	order, groups := groupRows(rows, func(rr rowRec) string { return rr.rec.(pending[PurchaseLine]).v.InvoiceNo })
	var outs []Outcome
	for _, no := range order {
		g := groups[no]
		first := g[0].rec.(pending[PurchaseLine]).v
		in := billing.PurchaseInput{SupplierInvoiceNo: no, Date: first.InvoiceDate, SupplierGSTIN: first.SupplierGSTIN, Supplier: first.Supplier}
		d := doc{key: no}
		ok := true
		for _, rr := range g {
			v := rr.rec.(pending[PurchaseLine]).v
			if v.InvoiceDate != first.InvoiceDate {
				res.Add(excel.RowError{Row: rr.row, Column: res.Title("Invoice Date"), Value: v.InvoiceDate.Display(),
					Reason: fmt.Sprintf("invoice %s is dated %s on row %d: one invoice has one date", no, first.InvoiceDate.Display(), g[0].row)})
				ok = false
				continue
			}
			if v.Qty <= 0 {
				res.Add(excel.RowError{Row: rr.row, Column: res.Title("Qty"), Value: strconv.FormatInt(int64(v.Qty), 10), Reason: "must be more than zero"})
				ok = false
				continue
			}
			line := billing.PurchaseLineInput{Item: v.Item, Batch: v.Batch, Expiry: v.Expiry, MRPPaise: v.MRP, Qty: v.Qty + v.Free, RatePaise: v.Rate}
			gross := v.Rate.MulQty(v.Qty + v.Free)
			net := v.Rate.MulQty(v.Qty) - v.Discount
			if net < 0 {
				res.Add(excel.RowError{Row: rr.row, Column: res.Title("Discount"), Value: v.Discount.Plain(), Reason: "is more than the line's value"})
				ok = false
				continue
			}
			if gross > 0 && net != gross {
				line.DiscountBP = money.BP((int64(gross-net)*10000 + int64(gross)/2) / int64(gross))
			}
			in.Lines = append(in.Lines, line)
			d.rows = append(d.rows, rr.row)
		}
		if !ok {
			continue
		}
		_, err := billing.PostPurchase(tx, in)
		if fe, isFail := fail.As(err); isFail && fe.Kind == fail.KindConflict && fe.Field == "supplier_invoice_no" {
			outs = append(outs, outcomes(d, Unchanged)...) // the same invoice imported before
			continue
		}
		if err != nil {
			if re, ok := k.rowError(res, d, err); ok {
				res.Add(re)
				continue
			}
			return nil, fmt.Errorf("invoice %s: %w", no, err)
		}
		outs = append(outs, outcomes(d, New)...)
	}
	return outs, nil
}

// applyOrders stores each order of the file (rows grouped by the order
// number, which becomes the order's id): one already stored is unchanged.
func applyOrders(tx *book.Tx, opt Options, rows []rowRec, res *excel.Result) ([]Outcome, error) {
	k := kinds["orders"]
	order, groups := groupRows(rows, func(rr rowRec) string { return rr.rec.(pending[OrderLine]).v.OrderNo })
	var outs []Outcome
	for _, no := range order {
		g := groups[no]
		first := g[0].rec.(pending[OrderLine]).v
		taken, _ := time.ParseInLocation(time.DateOnly, string(first.Date), cal.IST)
		o := billing.Order{ID: no, Outlet: first.Outlet, Salesman: first.Salesman, TakenAt: taken}
		d := doc{key: no}
		ok := true
		for _, rr := range g {
			v := rr.rec.(pending[OrderLine]).v
			if v.Outlet != first.Outlet || v.Date != first.Date {
				res.Add(excel.RowError{Row: rr.row, Column: res.Title("Outlet Code"), Value: v.Outlet,
					Reason: fmt.Sprintf("order %s is for %s on %s (row %d): one order is one outlet on one day", no, first.Outlet, first.Date.Display(), g[0].row)})
				ok = false
				continue
			}
			if v.Qty <= 0 {
				res.Add(excel.RowError{Row: rr.row, Column: res.Title("Qty"), Value: strconv.FormatInt(int64(v.Qty), 10), Reason: "must be more than zero"})
				ok = false
				continue
			}
			o.Lines = append(o.Lines, billing.LineInput{Item: v.Item, Qty: v.Qty})
			d.rows = append(d.rows, rr.row)
		}
		if !ok {
			continue
		}
		var created bool
		posted, err := k.post(res, d, func() error {
			var err error
			_, created, err = billing.PutOrder(tx, o)
			return err
		})
		if err != nil {
			return nil, err
		}
		if posted {
			ch := Unchanged
			if created {
				ch = New
			}
			outs = append(outs, outcomes(d, ch)...)
		}
	}
	return outs, nil
}

// applyPrices sets each item's selling price. Vitaran keeps one selling
// price per item, so every list in the file sets it (and says so).
func applyPrices(tx *book.Tx, opt Options, rows []rowRec, res *excel.Result) ([]Outcome, error) {
	k := kinds["price-lists"]
	lists := map[string]bool{}
	var outs []Outcome
	for _, rr := range rows {
		v := rr.rec.(pending[PriceLine]).v
		lists[v.PriceList] = true
		it, err := masters.GetItem(tx, v.Item)
		if err != nil {
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("Item Code"), Value: v.Item, Reason: "no such item: import the items first"})
			continue
		}
		if v.From != "" && v.From > opt.Today {
			res.Add(excel.RowError{Row: rr.row, Column: res.Title("From"), Value: v.From.Display(),
				Reason: "is a future date: import the price list on the day it starts"})
			continue
		}
		if it.PricePaise == v.Price {
			outs = append(outs, Outcome{Row: rr.row, Key: it.Code, Change: Unchanged})
			continue
		}
		it.PricePaise = v.Price
		d := doc{key: it.Code, rows: []int{rr.row}}
		posted, err := k.post(res, d, func() error { _, err := masters.UpdateItem(tx, it, opt.Today); return err })
		if err != nil {
			return nil, err
		}
		if posted {
			outs = append(outs, Outcome{Row: rr.row, Key: it.Code, Change: Updated})
		}
	}
	if len(lists) > 1 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the file has %d price lists: Vitaran keeps one selling price per item, so each row sets it", len(lists)))
	}
	return outs, nil
}
