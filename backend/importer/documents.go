package importer

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/money"
)

// The kinds below are documents, not masters: opening stock, the brand's
// invoices, orders and price lists are applied through billing and masters
// (apply.go), a whole file at a time, because one document spans rows.
// Schemes are the brand's circular, read and saved by package schemes.

// OpeningStock is one batch of opening stock in a godown.
type OpeningStock struct {
	Item, Godown, Batch string
	Expiry              cal.Date
	MRP, Cost           money.Paise
	Qty                 money.Qty
}

// PurchaseLine is one line of the brand's primary invoice, recorded as a GRN.
type PurchaseLine struct {
	InvoiceNo               string
	InvoiceDate             cal.Date
	Item, Batch             string
	Expiry                  cal.Date
	MRP, Rate               money.Paise
	Qty, Free               money.Qty
	Discount                money.Paise
	GSTRate                 money.BP // as the brand billed it; the book's own rate decides the tax
	SupplierGSTIN, Supplier string
}

// OrderLine is one line of a salesman's order.
type OrderLine struct {
	OrderNo       string
	Date          cal.Date
	Outlet, Item  string
	Qty           money.Qty
	Salesman, Ref string
}

// PriceLine is one item's price in a named price list.
type PriceLine struct {
	PriceList, Item string
	Price           money.Paise
	From            cal.Date
}

type pending[T any] struct {
	k string
	v T
}

func (p pending[T]) key() string { return p.k }
func (p pending[T]) apply(*book.Tx, Options) (Change, error) {
	return New, nil // never reached: wired document kinds use applyAll, unwired ones stop before the transaction
}

var (
	fItem   = excel.Field{Name: "Item Code", Synonyms: []string{"SKU", "Product Code", "Code", "Item"}, Type: excel.Code, Required: true, Example: "DOVE100"}
	fBatch  = excel.Field{Name: "Batch", Synonyms: []string{"Batch No", "Batch Number", "Lot"}, Type: excel.Code, Required: true, Example: "B2601"}
	fExpiry = excel.Field{Name: "Expiry", Synonyms: []string{"Expiry Date", "Exp", "Exp Date", "Best Before"}, Type: excel.Date, Example: "31-12-2027"}
	fMRP    = excel.Field{Name: "MRP", Synonyms: []string{"M.R.P."}, Type: excel.Money, Required: true, Example: "58.00"}
	fQty    = excel.Field{Name: "Qty", Synonyms: []string{"Quantity", "Pcs", "Units"}, Type: excel.Qty, Required: true, Example: "480"}
)

func init() {
	register(&Kind{Name: "opening-stock", Title: "Opening stock", Wired: true, keyField: "Batch", applyAll: applyOpening,
		fields: map[string]string{"item": "Item Code", "batch": "Batch", "godown": "Godown", "qty": "Qty", "expiry": "Expiry", "mrp_paise": "MRP", "rate_paise": "Cost"},
		Spec: &excel.Spec{Kind: "opening-stock", Fields: []excel.Field{fItem,
			{Name: "Godown", Synonyms: []string{"Location", "Warehouse"}, Type: excel.Code, Default: "MAIN", Example: "MAIN"},
			fBatch, fExpiry, fMRP, fQty,
			{Name: "Cost", Synonyms: []string{"Purchase Rate", "Cost Price", "Landing Cost"}, Type: excel.Money, Example: "44.10"}}},
		decode: func(r *excel.Row) (record, error) {
			v := OpeningStock{r.Text("Item Code"), r.Text("Godown"), r.Text("Batch"), r.Date("Expiry"), r.Paise("MRP"), r.Paise("Cost"), r.Qty("Qty")}
			return pending[OpeningStock]{v.Item + "|" + v.Godown + "|" + v.Batch + "|" + v.MRP.Plain(), v}, nil
		}})
	register(&Kind{Name: "purchases", Title: "Purchases (brand invoices)", Wired: true, keyField: "Batch", applyAll: applyPurchases,
		fields: map[string]string{"item": "Item Code", "batch": "Batch", "qty": "Qty", "expiry": "Expiry", "mrp_paise": "MRP", "rate_paise": "Rate",
			"discount_bp": "Discount", "supplier_invoice_no": "Invoice No", "date": "Invoice Date", "supplier_gstin": "Supplier GSTIN"},
		Spec: &excel.Spec{Kind: "purchases", Fields: []excel.Field{
			{Name: "Invoice No", Synonyms: []string{"Bill No", "Invoice Number", "Doc No"}, Type: excel.Code, Required: true, Example: "HUL/26/001234"},
			{Name: "Invoice Date", Synonyms: []string{"Bill Date", "Date", "Doc Date"}, Type: excel.Date, Required: true, Example: "05-01-2026"},
			fItem, fBatch, fExpiry, fMRP, fQty,
			{Name: "Free Qty", Synonyms: []string{"Free", "Scheme Qty"}, Type: excel.Qty, Example: "0"},
			{Name: "Rate", Synonyms: []string{"Purchase Rate", "Price", "Basic Rate"}, Type: excel.Money, Required: true, Example: "44.10"},
			{Name: "Discount", Synonyms: []string{"Disc", "Disc Amt", "Discount Amount"}, Type: excel.Money, Example: "0"},
			{Name: "GST %", Synonyms: []string{"GST", "GST Rate", "Tax Rate"}, Type: excel.GSTRate, Example: "5"},
			{Name: "Supplier GSTIN", Synonyms: []string{"Company GSTIN", "Vendor GSTIN", "Supplier GST No"}, Type: excel.GSTIN, Example: "27AAACH1004N1ZU"},
			{Name: "Supplier", Synonyms: []string{"Supplier Name", "Company Name", "Vendor"}, Type: excel.Text, Example: "Hindustan Unilever Ltd"}}},
		decode: func(r *excel.Row) (record, error) {
			v := PurchaseLine{r.Text("Invoice No"), r.Date("Invoice Date"), r.Text("Item Code"), r.Text("Batch"), r.Date("Expiry"),
				r.Paise("MRP"), r.Paise("Rate"), r.Qty("Qty"), r.Qty("Free Qty"), r.Paise("Discount"), r.BP("GST %"),
				r.Text("Supplier GSTIN"), r.Text("Supplier")}
			return pending[PurchaseLine]{v.InvoiceNo + "|" + v.Item + "|" + v.Batch, v}, nil
		}})
	register(&Kind{Name: "orders", Title: "Orders", Wired: true, keyField: "Item Code", applyAll: applyOrders,
		fields: map[string]string{"item": "Item Code", "qty": "Qty", "outlet": "Outlet Code", "salesman": "Salesman", "id": "Order No"},
		Spec: &excel.Spec{Kind: "orders", Fields: []excel.Field{
			{Name: "Order No", Synonyms: []string{"Order Number", "Ref", "Order Ref"}, Type: excel.Code, Required: true, Example: "ORD-0001"},
			{Name: "Order Date", Synonyms: []string{"Date"}, Type: excel.Date, Required: true, Example: "05-01-2026"},
			{Name: "Outlet Code", Synonyms: []string{"Retailer Code", "Customer Code", "Party Code"}, Type: excel.Code, Required: true, Example: "OUT0001"},
			fItem, fQty,
			{Name: "Salesman", Synonyms: []string{"Salesman Code", "DSR"}, Type: excel.Code, Example: "S01"}}},
		decode: func(r *excel.Row) (record, error) {
			v := OrderLine{r.Text("Order No"), r.Date("Order Date"), r.Text("Outlet Code"), r.Text("Item Code"), r.Qty("Qty"), r.Text("Salesman"), ""}
			return pending[OrderLine]{v.OrderNo + "|" + v.Item, v}, nil
		}})
	register(&Kind{Name: "price-lists", Title: "Price lists", Wired: true, keyField: "Item Code", applyAll: applyPrices,
		fields: map[string]string{"price_paise": "Price", "code": "Item Code"},
		Spec: &excel.Spec{Kind: "price-lists", Fields: []excel.Field{
			{Name: "Price List", Synonyms: []string{"List", "Price Group"}, Type: excel.Code, Required: true, Example: "RETAIL"},
			fItem,
			{Name: "Price", Synonyms: []string{"Rate", "Selling Price", "PTR"}, Type: excel.Money, Required: true, Example: "49.50"},
			{Name: "From", Synonyms: []string{"Effective From", "Valid From", "Date"}, Type: excel.Date, Example: "01-04-2026"}}},
		decode: func(r *excel.Row) (record, error) {
			v := PriceLine{r.Text("Price List"), r.Text("Item Code"), r.Paise("Price"), r.Date("From")}
			return pending[PriceLine]{v.Item, v}, nil
		}})
}
