package reorder

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
)

// The purchase orders' buckets (see the table in book/doc.go):
//
//	reorder.po         number → PurchaseOrder (JSON)
//	reorder.po.open    number → "" while the order has quantities pending
//	reorder.po.series  series ("PO/26-27") → last number (8 bytes)
//	reorder.po.pur     purchase (GRN) number → order number
//	reorder.po.requests  request_id → order number \0 fingerprint of the placement (book.Requests)
//
// and the targets of days of cover:
//
//	reorder.cover      "brand" \0 <brand>, "item" \0 <code> → days (decimal text)
const (
	bCover    = "reorder.cover"
	bOrders   = "reorder.po"
	bOpen     = "reorder.po.open"
	bPOSeries = "reorder.po.series"
	bByGRN    = "reorder.po.pur"
	bRequests = "reorder.po.requests"
)

func getOrder(tx *book.Tx, number string) (PurchaseOrder, error) {
	var o PurchaseOrder
	ok, err := tx.Bucket(bOrders).GetJSON(number, &o)
	if err != nil {
		return o, fmt.Errorf("store: unable to read purchase order %s: %w", number, err)
	}
	if !ok {
		return o, fail.NotFound("purchase order", number)
	}
	return o, nil
}

// putOrder writes the order and keeps the open index in step with it.
func putOrder(tx *book.Tx, o *PurchaseOrder) error {
	if err := tx.Bucket(bOrders).PutJSON(o.Number, o); err != nil {
		return fmt.Errorf("store: unable to write purchase order %s: %w", o.Number, err)
	}
	if o.Status == StatusOpen {
		return tx.Bucket(bOpen).Put(o.Number, []byte{})
	}
	return tx.Bucket(bOpen).Delete(o.Number)
}

// scanOrders visits orders newest number first.
func scanOrders(tx *book.Tx, fn func(o *PurchaseOrder) (bool, error)) error {
	return tx.Bucket(bOrders).Reverse("", "", func(k string, v []byte) (bool, error) {
		var o PurchaseOrder
		if err := json.Unmarshal(v, &o); err != nil {
			return false, fmt.Errorf("store: unable to read purchase order %s: %w", k, err)
		}
		return fn(&o)
	})
}

// scanOpen visits the orders with quantities still pending.
func scanOpen(tx *book.Tx, fn func(o *PurchaseOrder) error) error {
	return tx.Bucket(bOpen).Scan("", func(k string, _ []byte) (bool, error) {
		o, err := getOrder(tx, k)
		if err != nil {
			return false, err
		}
		return true, fn(&o)
	})
}

// nextOrderNumber takes the next number of the series: PO/26-27/000001.
func nextOrderNumber(tx *book.Tx, series string) (string, error) {
	b := tx.Bucket(bPOSeries)
	var n uint64
	if raw := b.Get(series); len(raw) == 8 {
		n = binary.BigEndian.Uint64(raw)
	}
	n++
	if n > 999999 {
		return "", fail.Conflict("number", "series %s is full (999999 orders)", series)
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], n)
	if err := b.Put(series, buf[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/%06d", series, n), nil
}

func orderOfGRN(tx *book.Tx, purchase string) string { return string(tx.Bucket(bByGRN).Get(purchase)) }

func linkGRN(tx *book.Tx, purchase, order string) error {
	return tx.Bucket(bByGRN).Put(purchase, []byte(order))
}

func coverKey(kind, key string) string {
	if kind == "item" {
		key = masters.NormalizeCode(key)
	} else {
		key = strings.ToLower(strings.TrimSpace(key))
	}
	return kind + "\x00" + key
}

func getCover(tx *book.Tx, kind, key string) int {
	n, _ := strconv.Atoi(string(tx.Bucket(bCover).Get(coverKey(kind, key))))
	return n
}

// putCover keeps a target; 0 days drops it.
func putCover(tx *book.Tx, kind, key string, days int) error {
	if days == 0 {
		return tx.Bucket(bCover).Delete(coverKey(kind, key))
	}
	return tx.Bucket(bCover).Put(coverKey(kind, key), []byte(strconv.Itoa(days)))
}

// scanCovers calls fn with every target kept, in key order.
func scanCovers(tx *book.Tx, fn func(kind, key string, days int)) error {
	return tx.Bucket(bCover).Scan("", func(k string, v []byte) (bool, error) {
		kind, key, _ := strings.Cut(k, "\x00")
		n, _ := strconv.Atoi(string(v))
		fn(kind, key, n)
		return true, nil
	})
}

// heldRequest is the order a request_id placed and whether it came with
// the same body (book.Requests).
func heldRequest(tx *book.Tx, r *book.Request) (number string, same, ok bool) {
	if r == nil {
		return "", false, false
	}
	return book.RequestsIn(tx.Bucket(bRequests), "").Held(r)
}

// putRequest records that r placed the order; nil records nothing.
func putRequest(tx *book.Tx, r *book.Request, number string) error {
	if r == nil {
		return nil
	}
	return book.RequestsIn(tx.Bucket(bRequests), "").Put(r, number)
}
