package reorder

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// A purchase order is the order placed on the brand. Always true of one:
// every line's pending is ordered less received, never below zero; an open
// order has some line pending and sits in the open index, a received or
// closed one has none counted (a closed order's pending is dropped, its
// reason kept); the sum of pending over open orders is what Suggest
// subtracts as on order.

// PrefixOrder starts every purchase order number: PO/26-27/000001.
const PrefixOrder = "PO"

// MaxOrderLines caps an order.
const MaxOrderLines = 5000

// Order statuses.
const (
	StatusOpen     = "open"
	StatusReceived = "received" // every line received in full
	StatusClosed   = "closed"   // closed by hand, the rest no longer expected
)

// OrderInput places an order: the brand and, per SKU, base units.
type OrderInput struct {
	Brand string           `json:"brand"`
	Date  cal.Date         `json:"date,omitempty"` // the facade sets today
	Lines []OrderLineInput `json:"lines"`
	Note  string           `json:"note,omitempty"`
	// RequestID is the client's own id for this placement, sent again
	// unchanged on every retry: a placement the book kept but whose answer
	// was lost is answered with the order it made, never placed twice.
	RequestID string `json:"request_id,omitempty"`
}

// OrderLineInput is one SKU ordered, in base units.
type OrderLineInput struct {
	Item string    `json:"item"`
	Qty  money.Qty `json:"qty"`
}

// OrderLine is one SKU of a placed order.
type OrderLine struct {
	Item      string    `json:"item"`
	Name      string    `json:"name"`
	BrandCode string    `json:"brand_code,omitempty"`
	CaseSize  int64     `json:"case_size"`
	Qty       money.Qty `json:"qty"`      // ordered, base units
	Received  money.Qty `json:"received"` // over the order's GRNs
	Pending   money.Qty `json:"pending"`  // still expected: 0 once closed
}

// Receipt is one GRN made against the order.
type Receipt struct {
	Purchase string           `json:"purchase"`
	Date     cal.Date         `json:"date"`
	Lines    []OrderLineInput `json:"lines"`
}

// PurchaseOrder is an order placed on the brand.
type PurchaseOrder struct {
	Number       string      `json:"number"`
	Brand        string      `json:"brand"`
	Date         cal.Date    `json:"date"`
	Status       string      `json:"status"`
	Note         string      `json:"note,omitempty"`
	Lines        []OrderLine `json:"lines"`
	Receipts     []Receipt   `json:"receipts"`
	Qty          money.Qty   `json:"qty"`
	Received     money.Qty   `json:"received"`
	Pending      money.Qty   `json:"pending"`
	PlacedAt     time.Time   `json:"placed_at"`
	PlacedBy     string      `json:"placed_by"`
	ClosedReason string      `json:"closed_reason,omitempty"`
	ClosedAt     *time.Time  `json:"closed_at,omitempty"`
	ClosedBy     string      `json:"closed_by,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier placement.
	Replayed bool `json:"replayed,omitempty"`
}

// settle recomputes pending and totals from ordered and received.
func (o *PurchaseOrder) settle() {
	o.Qty, o.Received, o.Pending = 0, 0, 0
	for i := range o.Lines {
		l := &o.Lines[i]
		l.Pending = 0
		if o.Status != StatusClosed {
			l.Pending = max(l.Qty-l.Received, 0)
		}
		o.Qty += l.Qty
		o.Received += l.Received
		o.Pending += l.Pending
	}
	if o.Status == StatusOpen && o.Pending == 0 {
		o.Status = StatusReceived
	}
}

// PlaceOrder stores an order on the brand, numbered in its own series, and
// audits it. Lines of nothing are left out; the same SKU twice is refused.
func PlaceOrder(tx *book.Tx, in OrderInput) (PurchaseOrder, error) {
	req, err := placeRequest(in)
	if err != nil {
		return PurchaseOrder{}, err
	}
	if number, same, ok := heldRequest(tx, req); ok {
		if !same {
			return PurchaseOrder{}, fail.Conflict("request_id", "%s was already used to place order %s, with other lines: send a new request_id for a new order", in.RequestID, number)
		}
		o, err := getOrder(tx, number)
		o.Replayed = true
		return o, err
	}
	in.Brand = strings.TrimSpace(in.Brand)
	if in.Brand == "" {
		return PurchaseOrder{}, fail.Invalid("brand", "is required: the brand to order from")
	}
	if len(in.Lines) > MaxOrderLines {
		return PurchaseOrder{}, fail.Invalid("lines", "at most %d lines", MaxOrderLines)
	}
	if len(in.Note) > 500 {
		return PurchaseOrder{}, fail.Invalid("note", "at most 500 characters")
	}
	if _, err := cal.Parse(string(in.Date)); err != nil {
		return PurchaseOrder{}, fail.Invalid("date", "must be a date YYYY-MM-DD")
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return PurchaseOrder{}, err
	}
	o := PurchaseOrder{Brand: in.Brand, Date: in.Date, Status: StatusOpen, Note: strings.TrimSpace(in.Note),
		Lines: []OrderLine{}, Receipts: []Receipt{}, PlacedAt: cal.Now().UTC(), PlacedBy: tx.Actor.User}
	seen := map[string]bool{}
	for i, l := range in.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		it, err := masters.GetItem(tx, l.Item)
		if err != nil {
			return PurchaseOrder{}, fail.Invalid(field+".item", "item %s does not exist", l.Item)
		}
		if !strings.EqualFold(it.Brand, in.Brand) {
			return PurchaseOrder{}, fail.Invalid(field+".item", "item %s is %s's, not %s's", it.Code, it.Brand, in.Brand)
		}
		if l.Qty < 0 || l.Qty > billing.MaxLineQty {
			return PurchaseOrder{}, fail.Invalid(field+".qty", "must be 0–%d base units", billing.MaxLineQty)
		}
		if seen[it.Code] {
			return PurchaseOrder{}, fail.Invalid(field+".item", "item %s is on the order twice", it.Code)
		}
		seen[it.Code] = true
		if l.Qty == 0 {
			continue
		}
		o.Lines = append(o.Lines, OrderLine{Item: it.Code, Name: it.Name, BrandCode: it.BrandCode, CaseSize: max(it.CaseSize, 1), Qty: l.Qty})
	}
	if len(o.Lines) == 0 {
		return PurchaseOrder{}, fail.Invalid("lines", "nothing to order: every line is 0")
	}
	if o.Number, err = nextOrderNumber(tx, PrefixOrder+"/"+cal.FYOf(in.Date, co.FYStartMonth).Short()); err != nil {
		return PurchaseOrder{}, err
	}
	o.settle()
	if err := putOrder(tx, &o); err != nil {
		return PurchaseOrder{}, err
	}
	if err := putRequest(tx, req, o.Number); err != nil {
		return PurchaseOrder{}, err
	}
	return o, tx.Audit("place", "purchase_order", o.Number, nil, o, "")
}

// placeRequest is a placement's request_id with the fingerprint of its body
// without the date (nil when there is none), checking the request_id's form.
func placeRequest(in OrderInput) (*book.Request, error) {
	id := in.RequestID
	in.RequestID, in.Date = "", "" // the facade dates it today: a retry after midnight is still the same order
	return book.NewRequest(id, in)
}

// GetOrder reads one order by number.
func GetOrder(tx *book.Tx, number string) (PurchaseOrder, error) {
	return getOrder(tx, strings.TrimSpace(number))
}

// OrderFilter chooses orders for a list; empty fields match all.
type OrderFilter struct {
	Brand  string
	Status string
	From   cal.Date
	To     cal.Date
}

// ListOrders calls fn for each order of the filter, newest number first.
func ListOrders(tx *book.Tx, f OrderFilter, fn func(o *PurchaseOrder) error) error {
	switch f.Status {
	case "", StatusOpen, StatusReceived, StatusClosed:
	default:
		return fail.Invalid("status", "must be open, received or closed")
	}
	return scanOrders(tx, func(o *PurchaseOrder) (bool, error) {
		if (f.Brand != "" && !strings.EqualFold(o.Brand, strings.TrimSpace(f.Brand))) || (f.Status != "" && o.Status != f.Status) ||
			(f.From != "" && o.Date < f.From) || (f.To != "" && o.Date > f.To) {
			return true, nil
		}
		return true, fn(o)
	})
}

// CloseOrder closes an open order by hand: what is still pending is no
// longer expected (and no longer subtracted from suggestions).
func CloseOrder(tx *book.Tx, number, reason string) (PurchaseOrder, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return PurchaseOrder{}, fail.Invalid("reason", "is required: say why the rest will not come")
	}
	if len(reason) > 500 {
		return PurchaseOrder{}, fail.Invalid("reason", "at most 500 characters")
	}
	o, err := GetOrder(tx, number)
	if err != nil {
		return o, err
	}
	if o.Status != StatusOpen {
		return o, fail.Conflict("status", "purchase order %s is %s, not open", o.Number, o.Status)
	}
	before := o.Pending
	now := cal.Now().UTC()
	o.Status, o.ClosedReason, o.ClosedAt, o.ClosedBy = StatusClosed, reason, &now, tx.Actor.User
	o.settle()
	if err := putOrder(tx, &o); err != nil {
		return o, err
	}
	return o, tx.Audit("close", "purchase_order", o.Number, map[string]any{"pending": before}, map[string]any{"pending": 0}, reason)
}

// ReceiveAgainst links a posted GRN to an open order and counts its paid
// lines (free goods are not on order) as received on the order's SKUs;
// SKUs the order does not have are not counted. Call it in the GRN's
// transaction.
func ReceiveAgainst(tx *book.Tx, number string, p billing.Purchase) (PurchaseOrder, error) {
	o, err := GetOrder(tx, number)
	if err != nil {
		return o, fail.Invalid("purchase_order", "purchase order %s does not exist", number)
	}
	if o.Status != StatusOpen {
		return o, fail.Conflict("purchase_order", "purchase order %s is %s: nothing more is expected on it", o.Number, o.Status)
	}
	if prev := orderOfGRN(tx, p.Number); prev != "" {
		return o, fail.Conflict("purchase_order", "purchase %s is already against order %s", p.Number, prev)
	}
	at := map[string]int{}
	for i, l := range o.Lines {
		at[l.Item] = i
	}
	got := map[string]money.Qty{}
	var order []string
	for _, l := range p.Lines {
		if _, ok := at[l.Item]; !ok || l.Free {
			continue
		}
		if _, ok := got[l.Item]; !ok {
			order = append(order, l.Item)
		}
		got[l.Item] += l.Qty
	}
	if len(order) == 0 {
		return o, fail.Invalid("purchase_order", "purchase %s has none of order %s's items", p.Number, o.Number)
	}
	r := Receipt{Purchase: p.Number, Date: p.Date, Lines: []OrderLineInput{}}
	for _, item := range order {
		o.Lines[at[item]].Received += got[item]
		r.Lines = append(r.Lines, OrderLineInput{Item: item, Qty: got[item]})
	}
	o.Receipts = append(o.Receipts, r)
	before := o.Pending
	o.settle()
	if err := putOrder(tx, &o); err != nil {
		return o, err
	}
	if err := linkGRN(tx, p.Number, o.Number); err != nil {
		return o, err
	}
	return o, tx.Audit("receive", "purchase_order", o.Number, map[string]any{"pending": before}, map[string]any{"pending": o.Pending, "purchase": p.Number}, "")
}

// OrderOfPurchase names the order a GRN was made against ("" for none).
func OrderOfPurchase(tx *book.Tx, purchase string) string { return orderOfGRN(tx, purchase) }

// OnOrder sums, per SKU, what open orders still expect.
func OnOrder(tx *book.Tx) (map[string]money.Qty, error) {
	out := map[string]money.Qty{}
	err := scanOpen(tx, func(o *PurchaseOrder) error {
		for _, l := range o.Lines {
			out[l.Item] += l.Pending
		}
		return nil
	})
	return out, err
}
