package app

import (
	"context"
	"slices"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/stock"
)

func init() {
	RegisterChecker(Checker{Name: "stock and billing", Check: billing.Check})
}

// post runs a posting with group commit: concurrent clerks share one fsync.
// fn writes only through tx (book.Batch may run it twice).
func post[T any](a *App, ctx context.Context, fn func(tx *book.Tx) (T, error)) (T, error) {
	var out T
	err := a.Book.BatchAs(CallerOf(ctx).Actor(), func(tx *book.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

func read[T any](a *App, fn func(tx *book.Tx) (T, error)) (T, error) {
	var out T
	err := a.view(func(tx *book.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// dated checks a document's date against the company's window on the
// business day (billing.CheckDate); only an admin may override it. A
// request_id already answered skips it: its retry answers the first posting.
func (a *App) dated(ctx context.Context, tx *book.Tx, kind, requestID string, d cal.Date, override bool) error {
	if billing.Answered(tx, kind, requestID) {
		return nil
	}
	if override && CallerOf(ctx).Role != RoleAdmin {
		return fail.Forbidden("only an admin may post a document with date_override")
	}
	return billing.CheckDate(tx, "date", d, a.Today(), override)
}

// PreviewInvoice computes an invoice as posting would, saving nothing.
func (a *App) PreviewInvoice(ctx context.Context, in billing.InvoiceInput) (billing.Invoice, error) {
	return read(a, func(tx *book.Tx) (billing.Invoice, error) {
		if err := a.dated(ctx, tx, billing.KindInvoice, in.RequestID, in.Date, in.DateOverride); err != nil {
			return billing.Invoice{}, err
		}
		return billing.Preview(tx, in)
	})
}

// CreditOverriders are the roles that may bill past a credit stop (of
// those that may bill at all).
var CreditOverriders = []string{RoleAdmin}

// PostInvoice posts a sales invoice. A credit_override passes a credit
// stop only from a role in CreditOverriders.
func (a *App) PostInvoice(ctx context.Context, in billing.InvoiceInput) (billing.Invoice, error) {
	if in.CreditOverride != nil && !slices.Contains(CreditOverriders, CallerOf(ctx).Role) {
		return billing.Invoice{}, fail.Forbidden("only an admin may override a credit stop: ask one to post this bill with the reason")
	}
	return post(a, ctx, func(tx *book.Tx) (billing.Invoice, error) {
		if err := a.dated(ctx, tx, billing.KindInvoice, in.RequestID, in.Date, in.DateOverride); err != nil {
			return billing.Invoice{}, err
		}
		return billing.PostInvoice(tx, in)
	})
}

// Invoice returns a posted invoice.
func (a *App) Invoice(number string) (billing.Invoice, error) {
	return read(a, func(tx *book.Tx) (billing.Invoice, error) { return billing.GetInvoice(tx, number) })
}

// Invoices lists invoices.
func (a *App) Invoices(f billing.InvoiceFilter) ([]billing.InvoiceSummary, error) {
	return read(a, func(tx *book.Tx) ([]billing.InvoiceSummary, error) { return billing.ListInvoices(tx, f) })
}

// CancelInvoice cancels a posted invoice, keeping its number: void from its
// own date. An earlier day's invoice needs goods_left (false: the goods
// never left); goods that left go back by a sales return instead.
func (a *App) CancelInvoice(ctx context.Context, number string, in billing.CancelInput) (billing.Invoice, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.Invoice, error) {
		return billing.Cancel(tx, number, in, a.Today())
	})
}

// PostPurchase posts a GRN.
func (a *App) PostPurchase(ctx context.Context, in billing.PurchaseInput) (billing.Purchase, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.Purchase, error) {
		if err := a.dated(ctx, tx, billing.KindPurchase, in.RequestID, in.Date, in.DateOverride); err != nil {
			return billing.Purchase{}, err
		}
		return billing.PostPurchase(tx, in)
	})
}

// PostPurchaseReturn posts a debit note to the brand.
func (a *App) PostPurchaseReturn(ctx context.Context, in billing.PurchaseReturnInput) (billing.PurchaseReturn, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.PurchaseReturn, error) {
		if err := a.dated(ctx, tx, billing.KindPurchaseReturn, in.RequestID, in.Date, in.DateOverride); err != nil {
			return billing.PurchaseReturn{}, err
		}
		return billing.PostPurchaseReturn(tx, in)
	})
}

// PostSalesReturn posts a credit note against an invoice.
func (a *App) PostSalesReturn(ctx context.Context, in billing.SalesReturnInput) (billing.SalesReturn, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.SalesReturn, error) {
		if err := a.dated(ctx, tx, billing.KindSalesReturn, in.RequestID, in.Date, in.DateOverride); err != nil {
			return billing.SalesReturn{}, err
		}
		return billing.PostSalesReturn(tx, in)
	})
}

// PostReceipt posts money received from an outlet.
func (a *App) PostReceipt(ctx context.Context, in billing.ReceiptInput) (billing.Receipt, error) {
	return post(a, ctx, func(tx *book.Tx) (billing.Receipt, error) {
		if err := a.dated(ctx, tx, billing.KindReceipt, in.RequestID, in.Date, in.DateOverride); err != nil {
			return billing.Receipt{}, err
		}
		return billing.PostReceipt(tx, in)
	})
}

// PutOrder takes in an order; the same id twice stores it once.
func (a *App) PutOrder(ctx context.Context, o billing.Order) (billing.Order, bool, error) {
	var created bool
	out, err := post(a, ctx, func(tx *book.Tx) (billing.Order, error) {
		o, c, err := billing.PutOrder(tx, o)
		created = c
		return o, err
	})
	return out, created, err
}

// ConvertOrder bills an order as far as stock allows.
func (a *App) ConvertOrder(ctx context.Context, id string, d cal.Date) (billing.Conversion, error) {
	if d == "" {
		d = a.Today()
	}
	return post(a, ctx, func(tx *book.Tx) (billing.Conversion, error) {
		if err := a.dated(ctx, tx, billing.KindInvoice, "", d, false); err != nil {
			return billing.Conversion{}, err
		}
		return billing.ConvertOrder(tx, id, d)
	})
}

// PostStockDoc posts an adjustment, a transfer or a count.
func (a *App) PostStockDoc(ctx context.Context, kind string, in billing.StockDocInput) (billing.StockDoc, error) {
	fn := map[string]func(*book.Tx, billing.StockDocInput) (billing.StockDoc, error){
		billing.KindAdjustment: billing.PostAdjustment, billing.KindTransfer: billing.PostTransfer, billing.KindCount: billing.PostCount,
	}[kind]
	return post(a, ctx, func(tx *book.Tx) (billing.StockDoc, error) {
		if err := a.dated(ctx, tx, kind, "", in.Date, in.DateOverride); err != nil {
			return billing.StockDoc{}, err
		}
		return fn(tx, in)
	})
}

// Stock returns stock on hand for every item (or one).
func (a *App) Stock(item string) ([]stock.ItemStock, error) {
	return read(a, func(tx *book.Tx) ([]stock.ItemStock, error) {
		s, err := stock.Summary(tx, item)
		if s == nil {
			s = []stock.ItemStock{}
		}
		return s, err
	})
}

// Reconciliation reconciles stock per item for a period.
func (a *App) Reconciliation(o stock.ReconOptions) ([]stock.Recon, error) {
	return read(a, func(tx *book.Tx) ([]stock.Recon, error) {
		co, err := masters.GetCompany(tx)
		if err != nil {
			return nil, err
		}
		o.NearExpiryDays, o.OverstockDays = co.NearExpiryDays, co.OverstockDays
		return stock.Reconcile(tx, o)
	})
}

// created answers a new document 201 and a request_id's retry 200.
func created(doc any, replayed bool) any {
	if replayed {
		return doc
	}
	return Created{doc}
}

func dateQuery(c *Call, name string, def cal.Date) (cal.Date, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	d, err := cal.Parse(v)
	if err != nil {
		return "", fail.Invalid(name, "%v", err)
	}
	return d, nil
}

// showDoc answers one posted document by the number in the path.
func showDoc[T any](a *App, get func(tx *book.Tx, number string) (T, error)) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		return read(a, func(tx *book.Tx) (T, error) { return get(tx, c.Param("number")) })
	}
}

// postStockDoc posts a stock document of one kind (adjustment, transfer, count).
func (a *App) postStockDoc(kind string) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		var in billing.StockDocInput
		if err := c.Decode(&in); err != nil {
			return nil, err
		}
		d, err := a.PostStockDoc(c.Ctx, kind, in)
		return Created{d}, err
	}
}

// listDocs pages documents between from and to, for one party (the query
// parameter named party: supplier or outlet).
func listDocs[T any](party string, get func(f billing.DocFilter, p Paging) (T, error)) func(c *Call) (any, error) {
	return func(c *Call) (any, error) {
		var f billing.DocFilter
		from, to, p, err := periodPaging(c)
		if err != nil {
			return nil, err
		}
		f.From, f.To = from, to
		f.Party = c.Query(party)
		return get(f, p)
	}
}

// postPurchaseReturns answers POST /api/purchase-returns.
func (a *App) postPurchaseReturns(c *Call) (any, error) {
	var in billing.PurchaseReturnInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	p, err := a.PostPurchaseReturn(c.Ctx, in)
	return created(p, p.Replayed), err
}

// postInvoicesPreview answers POST /api/invoices/preview.
func (a *App) postInvoicesPreview(c *Call) (any, error) {
	var in billing.InvoiceInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.PreviewInvoice(c.Ctx, in)
}

// postInvoices answers POST /api/invoices.
func (a *App) postInvoices(c *Call) (any, error) {
	var in billing.InvoiceInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	inv, err := a.PostInvoice(c.Ctx, in)
	return created(inv, inv.Replayed), err
}

// getInvoices answers GET /api/invoices.
func (a *App) getInvoices(c *Call) (any, error) {
	var f billing.InvoiceFilter
	from, to, p, err := periodPaging(c)
	if err != nil {
		return nil, err
	}
	f.From, f.To = from, to
	f.Outlet, f.Q = c.Query("outlet"), c.Query("q")
	return a.InvoicePage(f, p)
}

// postInvoicesNumberCancel answers POST /api/invoices/{number}/cancel.
func (a *App) postInvoicesNumberCancel(c *Call) (any, error) {
	var in CancelWithIRN
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.cancelInvoice(c.Ctx, c.Param("number"), in)
}

// postOrders answers POST /api/orders.
func (a *App) postOrders(c *Call) (any, error) {
	var o billing.Order
	if err := c.Decode(&o); err != nil {
		return nil, err
	}
	if o.Status != "" || o.Invoice != "" || !o.ReceivedAt.IsZero() {
		return nil, fail.Invalid("status", "is set by the book, not the sender")
	}
	out, created, err := a.PutOrder(c.Ctx, o)
	if created {
		return Created{out}, err
	}
	return out, err
}

// getOrders answers GET /api/orders.
func (a *App) getOrders(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) ([]billing.Order, error) { return billing.ListOrders(tx, c.Query("status")) })
}

// getOrdersId answers GET /api/orders/{id}.
func (a *App) getOrdersId(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) (billing.Order, error) { return billing.GetOrder(tx, c.Param("id")) })
}

// postOrdersIdConvert answers POST /api/orders/{id}/convert.
func (a *App) postOrdersIdConvert(c *Call) (any, error) {
	var in struct {
		Date cal.Date `json:"date"`
	}
	if c.R.ContentLength != 0 {
		if err := c.Decode(&in); err != nil {
			return nil, err
		}
	}
	conv, err := a.ConvertOrder(c.Ctx, c.Param("id"), in.Date)
	return Created{conv}, err
}

// postReturns answers POST /api/returns.
func (a *App) postReturns(c *Call) (any, error) {
	var in billing.SalesReturnInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	r, err := a.PostSalesReturn(c.Ctx, in)
	return created(r, r.Replayed), err
}

// postReceipts answers POST /api/receipts.
func (a *App) postReceipts(c *Call) (any, error) {
	var in billing.ReceiptInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	r, err := a.PostReceipt(c.Ctx, in)
	return created(r, r.Replayed), err
}

// getOutletsCodeOutstanding answers GET /api/outlets/{code}/outstanding.
func (a *App) getOutletsCodeOutstanding(c *Call) (any, error) {
	on, err := dateQuery(c, "on", a.Today())
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (billing.OutletOutstanding, error) {
		return billing.OutstandingOf(tx, c.Param("code"), on)
	})
}

// getOutletsCodeCredit answers GET /api/outlets/{code}/credit.
func (a *App) getOutletsCodeCredit(c *Call) (any, error) {
	on, err := dateQuery(c, "date", a.Today())
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (billing.Credit, error) { return billing.CreditOf(tx, c.Param("code"), on) })
}

// getOutletsCodeLastRate answers GET /api/outlets/{code}/last-rate.
func (a *App) getOutletsCodeLastRate(c *Call) (any, error) {
	item := c.Query("item")
	if item == "" {
		return nil, fail.Invalid("item", "is required: the item whose last rate to show")
	}
	return read(a, func(tx *book.Tx) (billing.LastRate, error) { return billing.LastRateOf(tx, c.Param("code"), item), nil })
}

// getOutstanding answers GET /api/outstanding.
func (a *App) getOutstanding(c *Call) (any, error) {
	on, err := dateQuery(c, "on", a.Today())
	if err != nil {
		return nil, err
	}
	p, err := pagingOf(c)
	if err != nil {
		return nil, err
	}
	return a.OutstandingPage(on, p)
}

// getStock answers GET /api/stock.
func (a *App) getStock(c *Call) (any, error) {
	return a.Stock("")
}

// getStockItem answers GET /api/stock/{item}.
func (a *App) getStockItem(c *Call) (any, error) {
	code := masters.NormalizeCode(c.Param("item"))
	s, err := a.Stock(code)
	if err != nil {
		return nil, err
	}
	if len(s) == 0 {
		if _, err := a.Item(code); err != nil {
			return nil, err
		}
		return stock.ItemStock{Item: code, Batches: []stock.BatchStock{}}, nil
	}
	return s[0], nil
}

// getReconciliation answers GET /api/reconciliation.
func (a *App) getReconciliation(c *Call) (any, error) {
	today := a.Today()
	var o stock.ReconOptions
	var err error
	if o.From, err = dateQuery(c, "from", cal.Date(string(today)[:8]+"01")); err != nil {
		return nil, err
	}
	if o.To, err = dateQuery(c, "to", today); err != nil {
		return nil, err
	}
	if o.To < o.From {
		return nil, fail.Invalid("to", "must not be before from")
	}
	o.Item = masters.NormalizeCode(c.Query("item"))
	return a.Reconciliation(o)
}
