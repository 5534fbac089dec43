package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// Order statuses.
const (
	OrderPending   = "pending"
	OrderConverted = "converted"
)

// Order is an order taken in the field or on the phone. Its id is chosen by
// the sender, so sending it again stores nothing new.
type Order struct {
	ID         string      `json:"id"`
	Outlet     string      `json:"outlet"`
	Salesman   string      `json:"salesman,omitempty"`
	TakenAt    time.Time   `json:"taken_at"`
	Lat        float64     `json:"lat,omitempty"` // GPS position, not money
	Lng        float64     `json:"lng,omitempty"`
	Lines      []LineInput `json:"lines"`
	Status     string      `json:"status"`
	Invoice    string      `json:"invoice,omitempty"`
	ReceivedAt time.Time   `json:"received_at"`
}

// PutOrder stores a new order, or returns the one already stored under its
// id (created is false then).
func PutOrder(tx *book.Tx, o Order) (Order, bool, error) {
	o.ID = strings.TrimSpace(o.ID)
	if o.ID == "" || len(o.ID) > 64 || strings.ContainsRune(o.ID, 0) {
		return o, false, fail.Invalid("id", "is required: the client's own id for the order, at most 64 characters")
	}
	b := ordersIn(tx)
	var old Order
	if ok, err := b.get(o.ID, &old); err != nil || ok {
		return old, false, err
	}
	out, err := cache.getOutlet(tx, o.Outlet)
	if err != nil {
		if fail.Is(err, fail.KindNotFound) {
			return o, false, fail.Invalid("outlet", "outlet %s does not exist", o.Outlet)
		}
		return o, false, err
	}
	o.Outlet = out.Code
	o.Salesman = masters.NormalizeCode(o.Salesman)
	if o.Salesman == "" {
		o.Salesman = out.Salesman
	}
	if o.Lat < -90 || o.Lat > 90 || o.Lng < -180 || o.Lng > 180 {
		return o, false, fail.Invalid("lat", "GPS position %v,%v is not on Earth", o.Lat, o.Lng)
	}
	if err := checkLines(len(o.Lines)); err != nil {
		return o, false, err
	}
	items := itemCache{}
	for i := range o.Lines {
		it, err := items.get(tx, lineField(i, "item"), o.Lines[i].Item)
		if err != nil {
			return o, false, err
		}
		o.Lines[i].Item = it.Code
		if err := positiveQty(i, o.Lines[i].Qty); err != nil {
			return o, false, err
		}
	}
	if o.TakenAt.IsZero() {
		o.TakenAt = Now()
	}
	o.Status, o.Invoice, o.ReceivedAt = OrderPending, "", Now()
	if err := b.put(o.ID, &o); err != nil {
		return o, false, err
	}
	if err := indexOrder(tx, &o); err != nil {
		return o, false, err
	}
	return o, true, tx.Audit("create", "order", o.ID, nil, o, "")
}

// GetOrder returns an order by id.
func GetOrder(tx *book.Tx, id string) (Order, error) {
	var o Order
	ok, err := ordersIn(tx).get(id, &o)
	if err == nil && !ok {
		err = fail.NotFound("order", id)
	}
	return o, err
}

// ListOrders returns orders by the time they were taken, optionally of one
// status.
func ListOrders(tx *book.Tx, status string) ([]Order, error) {
	if status != "" && status != OrderPending && status != OrderConverted {
		return nil, fail.Invalid("status", "use pending or converted")
	}
	out := []Order{}
	orders := ordersIn(tx)
	err := orderIDsByTime(tx, func(id string) (bool, error) {
		var o Order
		if _, err := orders.get(id, &o); err != nil {
			return false, err
		}
		if status == "" || o.Status == status {
			out = append(out, o)
		}
		return true, nil
	})
	return out, err
}

// claimOrder checks an order can still be billed.
func claimOrder(tx *book.Tx, id string) error {
	o, err := GetOrder(tx, id)
	if fail.Is(err, fail.KindNotFound) {
		return fail.Invalid("order_id", "order %s does not exist", id)
	}
	if err != nil {
		return err
	}
	if o.Status != OrderPending {
		return fail.Conflict("order_id", "order %s was already billed as %s", id, o.Invoice)
	}
	return nil
}

func markOrder(tx *book.Tx, id, invoice string) error {
	o, err := GetOrder(tx, id)
	if err != nil {
		return err
	}
	o.Status, o.Invoice = OrderConverted, invoice
	return ordersIn(tx).put(id, &o)
}

// Shortfall is an order line that stock could not fill in full.
type Shortfall struct {
	Line    int       `json:"line"`
	Item    string    `json:"item"`
	Ordered money.Qty `json:"ordered"`
	Billed  money.Qty `json:"billed"`
	Short   money.Qty `json:"short"`
}

// Conversion is an order billed as far as stock allows.
type Conversion struct {
	Invoice   Invoice     `json:"invoice"`
	Shortfall []Shortfall `json:"shortfall"`
}

// ConvertOrder bills a pending order on day d: each line as far as saleable,
// unexpired stock allows, reporting the shortfall line by line.
func ConvertOrder(tx *book.Tx, id string, d cal.Date) (Conversion, error) {
	if err := validDate("date", d); err != nil {
		return Conversion{}, err
	}
	o, err := GetOrder(tx, id)
	if err != nil {
		return Conversion{}, err
	}
	if o.Status != OrderPending {
		return Conversion{}, fail.Conflict("id", "order %s was already billed as %s", id, o.Invoice)
	}
	co, err := company(tx)
	if err != nil {
		return Conversion{}, err
	}
	alloc := stock.NewAllocator(tx)
	in := InvoiceInput{Outlet: o.Outlet, Date: d, OrderID: o.ID, Salesman: o.Salesman}
	conv := Conversion{Shortfall: []Shortfall{}}
	for i, l := range o.Lines {
		billed := l.Qty
		if !co.AllowNegativeStock {
			_, short, err := alloc.Pick(l.Item, stock.MainGodown, l.Qty, d, l.Batch, false)
			if err != nil {
				return conv, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
			}
			billed = l.Qty - short
		}
		if billed < l.Qty {
			conv.Shortfall = append(conv.Shortfall, Shortfall{Line: i + 1, Item: l.Item, Ordered: l.Qty, Billed: billed, Short: l.Qty - billed})
		}
		if billed > 0 {
			l.Qty = billed
			in.Lines = append(in.Lines, l)
		}
	}
	if len(in.Lines) == 0 {
		return conv, fail.Conflict("id", "order %s: nothing it asks for is in stock", id)
	}
	inv, err := PostInvoice(tx, in)
	if err != nil {
		return conv, err
	}
	conv.Invoice = inv
	return conv, nil
}
