package app

import (
	"bytes"
	"fmt"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/reorder"
)

// SuggestionPage is a suggested order a page at a time: the suggestion's
// header with the page of its lines and totals over all of them.
type SuggestionPage struct {
	reorder.Header
	ListPage[reorder.Line]
}

// PurchaseSuggestion suggests the brand's next order on today's figures.
func (a *App) PurchaseSuggestion(p reorder.Params) (reorder.Suggestion, error) {
	p.On = a.Today()
	return read(a, func(tx *book.Tx) (reorder.Suggestion, error) { return reorder.Suggest(tx, p) })
}

// OrderLine is one line of the order sent to the brand.
type OrderLine struct {
	Item string    `json:"item"`
	Qty  money.Qty `json:"qty"` // base units
}

// BrandOrder is the (edited) order to export as the brand's sheet.
type BrandOrder struct {
	Brand string      `json:"brand"`
	Lines []OrderLine `json:"lines"`
}

// maxOrderLines caps an order sheet.
const maxOrderLines = 5000

var orderColumns = []excel.Column{
	{Title: "Brand SKU", Type: excel.Text}, {Title: "Item Code", Type: excel.Text}, {Title: "Item Name", Type: excel.Text},
	{Title: "Case Size", Type: excel.Int}, {Title: "Cases", Type: excel.Int}, {Title: "Pieces", Type: excel.Int}, {Title: "Qty", Type: excel.Qty},
}

// OrderSheet writes the brand's order as an .xlsx: the brand's SKU code,
// ours, the name, and the quantity in cases, loose pieces and base units.
// Lines of nothing are left out.
func (a *App) OrderSheet(o BrandOrder) (File, error) {
	o.Brand = strings.TrimSpace(o.Brand)
	if o.Brand == "" {
		return File{}, fail.Invalid("brand", "is required")
	}
	if len(o.Lines) > maxOrderLines {
		return File{}, fail.Invalid("lines", "at most %d lines", maxOrderLines)
	}
	var buf bytes.Buffer
	err := a.view(func(tx *book.Tx) error {
		w := excel.NewExport(&buf, "Order", orderColumns)
		for i, l := range o.Lines {
			field := fmt.Sprintf("lines[%d]", i)
			it, err := masters.GetItem(tx, l.Item)
			if err != nil {
				return fail.Invalid(field+".item", "item %s does not exist", l.Item)
			}
			if !strings.EqualFold(it.Brand, o.Brand) {
				return fail.Invalid(field+".item", "item %s is %s's, not %s's", it.Code, it.Brand, o.Brand)
			}
			if l.Qty < 0 || l.Qty > billing.MaxLineQty {
				return fail.Invalid(field+".qty", "must be 0–%d base units", billing.MaxLineQty)
			}
			if l.Qty == 0 {
				continue
			}
			cs := max(it.CaseSize, 1)
			if err := w.Row(it.BrandCode, it.Code, it.Name, cs, int64(l.Qty)/cs, int64(l.Qty)%cs, l.Qty); err != nil {
				return err
			}
		}
		return w.Close()
	})
	if err != nil {
		return File{}, err
	}
	name := fmt.Sprintf("order-%s-%s.xlsx", strings.ReplaceAll(strings.ToLower(o.Brand), " ", "-"), a.Today())
	return File{Name: name, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Body: buf.Bytes()}, nil
}

// getPurchaseSuggestions answers GET /api/purchase-suggestions.
func (a *App) getPurchaseSuggestions(c *Call) (any, error) {
	var p reorder.Params
	p.Brand = c.Query("brand")
	var err error
	if p.CoverDays, err = queryInt(c, "cover_days", 0, 1, reorder.MaxDays, fmt.Sprintf("must be 1–%d days", reorder.MaxDays)); err != nil {
		return nil, err
	}
	if p.WindowDays, err = queryInt(c, "window_days", reorder.DefaultWindowDays, 1, reorder.MaxDays, fmt.Sprintf("must be 1–%d days", reorder.MaxDays)); err != nil {
		return nil, err
	}
	s, err := a.PurchaseSuggestion(p)
	if err != nil {
		return nil, err
	}
	if c.Query("format") == "xlsx" {
		o := BrandOrder{Brand: s.Brand}
		for _, l := range s.Lines {
			o.Lines = append(o.Lines, OrderLine{Item: l.Item, Qty: l.SuggestedQty})
		}
		return a.OrderSheet(o)
	}
	pg, err := pagingOf(c)
	if err != nil {
		return nil, err
	}
	out := SuggestionPage{Header: s.Header, ListPage: ListPage[reorder.Line]{Total: len(s.Lines), Offset: pg.Offset, Limit: pg.Limit,
		Totals: map[string]int64{}}}
	for _, l := range s.Lines {
		out.Totals["stock"] += int64(l.Stock)
		out.Totals["near_expiry_qty"] += int64(l.NearExpiryQty)
		out.Totals["sold"] += int64(l.Sold)
		out.Totals["suggested_qty"] += int64(l.SuggestedQty)
		out.Totals["suggested_cases"] += l.Cases
	}
	rows := s.Lines[min(pg.Offset, len(s.Lines)):]
	out.Rows = rows[:min(pg.Limit, len(rows))]
	return out, nil
}

// postPurchaseSuggestionsOrderXlsx answers POST /api/purchase-suggestions/order.xlsx.
func (a *App) postPurchaseSuggestionsOrderXlsx(c *Call) (any, error) {
	var o BrandOrder
	if err := c.Decode(&o); err != nil {
		return nil, err
	}
	return a.OrderSheet(o)
}

// getPurchaseSuggestionsCover answers GET /api/purchase-suggestions/cover.
func (a *App) getPurchaseSuggestionsCover(c *Call) (any, error) {
	return read(a, reorder.Covers)
}

// putPurchaseSuggestionsCover answers PUT /api/purchase-suggestions/cover.
func (a *App) putPurchaseSuggestionsCover(c *Call) (any, error) {
	var in reorder.Cover
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return post(a, c.Ctx, func(tx *book.Tx) (reorder.Cover, error) { return reorder.PutCover(tx, in) })
}
