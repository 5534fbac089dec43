package app

import (
	"context"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/reorder"
)

// The orders placed on the brand (reorder/order.go): placed from the Order
// to the brand screen, received by the GRNs made from them, closed by hand.

// PlacePurchaseOrder stores an order on the brand dated today.
func (a *App) PlacePurchaseOrder(ctx context.Context, in reorder.OrderInput) (reorder.PurchaseOrder, error) {
	in.Date = a.Today()
	return post(a, ctx, func(tx *book.Tx) (reorder.PurchaseOrder, error) { return reorder.PlaceOrder(tx, in) })
}

// ClosePurchaseOrder closes an open order by hand with a reason.
func (a *App) ClosePurchaseOrder(ctx context.Context, number, reason string) (reorder.PurchaseOrder, error) {
	return post(a, ctx, func(tx *book.Tx) (reorder.PurchaseOrder, error) { return reorder.CloseOrder(tx, number, reason) })
}

// PurchaseInput is a GRN, made from a purchase order when purchase_order
// names one: the purchase is linked to it and its lines are counted as
// received on the order, in the same transaction.
type PurchaseInput struct {
	billing.PurchaseInput
	PurchaseOrder string `json:"purchase_order,omitempty"`
}

// PurchaseAnswer is a posted GRN with the order it was made from.
type PurchaseAnswer struct {
	billing.Purchase
	PurchaseOrder string `json:"purchase_order,omitempty"`
}

// PostPurchaseFromOrder posts a GRN and, when it names an order, receives
// it on that order; a request sent again answers the GRN already posted.
func (a *App) PostPurchaseFromOrder(ctx context.Context, in PurchaseInput) (PurchaseAnswer, error) {
	return post(a, ctx, func(tx *book.Tx) (PurchaseAnswer, error) {
		if err := a.dated(ctx, tx, billing.KindPurchase, in.RequestID, in.Date, in.DateOverride); err != nil {
			return PurchaseAnswer{}, err
		}
		if in.PurchaseOrder != "" {
			// Checked before the GRN is written so the answer names the order field.
			if _, err := reorder.GetOrder(tx, in.PurchaseOrder); err != nil {
				return PurchaseAnswer{}, fail.Invalid("purchase_order", "purchase order %s does not exist", in.PurchaseOrder)
			}
		}
		p, err := billing.PostPurchase(tx, in.PurchaseInput)
		if err != nil {
			return PurchaseAnswer{}, err
		}
		out := PurchaseAnswer{Purchase: p, PurchaseOrder: reorder.OrderOfPurchase(tx, p.Number)}
		if p.Replayed || in.PurchaseOrder == "" {
			return out, nil
		}
		o, err := reorder.ReceiveAgainst(tx, in.PurchaseOrder, p)
		out.PurchaseOrder = o.Number
		return out, err
	})
}

// postPurchases answers POST /api/purchases.
func (a *App) postPurchases(c *Call) (any, error) {
	var in PurchaseInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	p, err := a.PostPurchaseFromOrder(c.Ctx, in)
	return created(p, p.Replayed), err
}

// getPurchasesNumber answers GET /api/purchases/{number}: the GRN and the
// order it was made from.
func (a *App) getPurchasesNumber(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) (PurchaseAnswer, error) {
		p, err := billing.GetPurchase(tx, c.Param("number"))
		return PurchaseAnswer{Purchase: p, PurchaseOrder: reorder.OrderOfPurchase(tx, p.Number)}, err
	})
}

// postPurchaseOrders answers POST /api/purchase-orders.
func (a *App) postPurchaseOrders(c *Call) (any, error) {
	var in reorder.OrderInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	o, err := a.PlacePurchaseOrder(c.Ctx, in)
	return created(o, o.Replayed), err
}

// getPurchaseOrders answers GET /api/purchase-orders: brand=, status=
// (open|received|closed), from=, to=; paged, newest first.
func (a *App) getPurchaseOrders(c *Call) (any, error) {
	f := reorder.OrderFilter{Brand: c.Query("brand"), Status: c.Query("status")}
	for _, q := range []struct {
		name string
		to   *cal.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := c.Query(q.name); v != "" {
			d, err := cal.Parse(v)
			if err != nil {
				return nil, fail.Invalid(q.name, "must be a date YYYY-MM-DD")
			}
			*q.to = d
		}
	}
	pg, err := pagingOf(c)
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (ListPage[reorder.PurchaseOrder], error) {
		out := ListPage[reorder.PurchaseOrder]{Rows: []reorder.PurchaseOrder{}, Offset: pg.Offset, Limit: pg.Limit,
			Totals: map[string]int64{"qty": 0, "received": 0, "pending": 0}}
		var all []reorder.PurchaseOrder
		err := reorder.ListOrders(tx, f, func(o *reorder.PurchaseOrder) error {
			out.Total++
			out.Totals["qty"] += int64(o.Qty)
			out.Totals["received"] += int64(o.Received)
			out.Totals["pending"] += int64(o.Pending)
			all = append(all, *o)
			return nil
		})
		if pg.Oldest {
			for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
				all[i], all[j] = all[j], all[i]
			}
		}
		rows := all[min(pg.Offset, len(all)):]
		out.Rows = append(out.Rows, rows[:min(pg.Limit, len(rows))]...)
		return out, err
	})
}

// getPurchaseOrdersNumber answers GET /api/purchase-orders/{number};
// format=xlsx gives the order as the brand's order sheet.
func (a *App) getPurchaseOrdersNumber(c *Call) (any, error) {
	o, err := read(a, func(tx *book.Tx) (reorder.PurchaseOrder, error) { return reorder.GetOrder(tx, c.Param("number")) })
	if err != nil || c.Query("format") != "xlsx" {
		return o, err
	}
	bo := BrandOrder{Brand: o.Brand}
	for _, l := range o.Lines {
		bo.Lines = append(bo.Lines, OrderLine{Item: l.Item, Qty: l.Qty})
	}
	return a.OrderSheet(bo)
}

// CloseBody closes an order: why the rest will not come.
type CloseBody struct {
	Reason string `json:"reason"`
}

// postPurchaseOrdersNumberClose answers POST /api/purchase-orders/{number}/close.
func (a *App) postPurchaseOrdersNumberClose(c *Call) (any, error) {
	var in CloseBody
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.ClosePurchaseOrder(c.Ctx, c.Param("number"), in.Reason)
}
