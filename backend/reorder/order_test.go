package reorder

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/fail"
)

func gd200(t *testing.T, b *book.Book) Line {
	t.Helper()
	return suggestion(t, b, Params{Brand: "Britannia", On: on, CoverDays: 365}).Lines[0]
}

// 90 sold in 30 days; a year's cover is 1095. With 60 usable that is 1035
// short: 44 cases of 24 (1056).
func TestAnOrderOfTenCasesLowersTheSuggestionByTenCasesUntilReceivedOrClosed(t *testing.T) {
	b := brandShop(t)
	if l := gd200(t, b); l.SuggestedQty != 1056 || l.OnOrder != 0 {
		t.Fatalf("before ordering: %+v", l)
	}
	var o PurchaseOrder
	if err := b.Update(func(tx *book.Tx) (err error) {
		o, err = PlaceOrder(tx, OrderInput{Brand: "britannia", Date: on, Lines: []OrderLineInput{{Item: "gd200", Qty: 240}, {Item: "MARIE", Qty: 0}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if o.Number != "PO/26-27/000001" || o.Status != StatusOpen || len(o.Lines) != 1 || o.Pending != 240 {
		t.Fatalf("placed: %+v", o)
	}
	l := gd200(t, b)
	if l.OnOrder != 240 || l.SuggestedQty != 1056-240 || l.Cases != 34 {
		t.Fatalf("ten cases on order, ten fewer suggested: %+v", l)
	}

	// The brand sends six cases: the GRN made from the order leaves four pending.
	if err := b.Update(func(tx *book.Tx) error {
		p, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/2", Date: on, Lines: []billing.PurchaseLineInput{
			{Item: "GD200", Batch: "B", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 144, RatePaise: 2500},
		}})
		if err != nil {
			return err
		}
		o, err = ReceiveAgainst(tx, o.Number, p)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusOpen || o.Lines[0].Received != 144 || o.Pending != 96 || len(o.Receipts) != 1 || o.Receipts[0].Purchase != "GRN/26-27/000002" {
		t.Fatalf("six of ten cases received: %+v", o)
	}
	l = gd200(t, b)
	if l.Stock != 204 || l.OnOrder != 96 || l.SuggestedQty != 816 {
		t.Fatalf("four cases still on order, 144 more in stock: %+v", l)
	}

	// The brand will not send the rest: closed by hand, nothing pending.
	err := b.Update(func(tx *book.Tx) error { _, err := CloseOrder(tx, o.Number, ""); return err })
	if e, ok := fail.As(err); !ok || e.Field != "reason" {
		t.Fatalf("closing needs a reason: %v", err)
	}
	if err := b.Update(func(tx *book.Tx) (err error) { o, err = CloseOrder(tx, o.Number, "brand out of stock"); return err }); err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusClosed || o.Pending != 0 || o.Received != 144 || o.ClosedReason != "brand out of stock" {
		t.Fatalf("closed: %+v", o)
	}
	if l := gd200(t, b); l.OnOrder != 0 || l.SuggestedQty != 912 {
		t.Fatalf("closed order subtracts nothing: 1095 less 204 is 38 cases: %+v", l)
	}
	err = b.Update(func(tx *book.Tx) error { _, err := CloseOrder(tx, o.Number, "again"); return err })
	if e, ok := fail.As(err); !ok || e.Kind != fail.KindConflict {
		t.Fatalf("a closed order closes once: %v", err)
	}
}

func TestAnOrderReceivedInFullIsNoLongerOpen(t *testing.T) {
	b := brandShop(t)
	var o PurchaseOrder
	if err := b.Update(func(tx *book.Tx) (err error) {
		if o, err = PlaceOrder(tx, OrderInput{Brand: "Britannia", Date: on, Lines: []OrderLineInput{{Item: "GD200", Qty: 48}}}); err != nil {
			return err
		}
		p, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/3", Date: on, Lines: []billing.PurchaseLineInput{
			{Item: "GD200", Batch: "C", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 50, RatePaise: 2500},
			{Item: "SOAP75", Batch: "T", Expiry: "2027-12-31", MRPPaise: 3500, Qty: 5, RatePaise: 2000},
		}})
		if err != nil {
			return err
		}
		if o, err = ReceiveAgainst(tx, o.Number, p); err != nil {
			return err
		}
		if OrderOfPurchase(tx, p.Number) != o.Number {
			t.Errorf("the GRN is not linked to %s", o.Number)
		}
		_, err = ReceiveAgainst(tx, o.Number, p)
		if e, ok := fail.As(err); !ok || e.Kind != fail.KindConflict {
			t.Errorf("a received order takes no more GRNs: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if o.Status != StatusReceived || o.Pending != 0 || o.Received != 50 {
		t.Fatalf("received over the order: %+v", o)
	}
}

func TestABadOrderNamesItsFieldAndWritesNothing(t *testing.T) {
	b := brandShop(t)
	for _, c := range []struct {
		in    OrderInput
		field string
	}{
		{OrderInput{Date: on, Lines: []OrderLineInput{{Item: "GD200", Qty: 24}}}, "brand"},
		{OrderInput{Brand: "Britannia", Date: on, Lines: []OrderLineInput{{Item: "GD200", Qty: 0}}}, "lines"},
		{OrderInput{Brand: "Britannia", Date: on, Lines: []OrderLineInput{{Item: "GD200", Qty: 24}, {Item: "SOAP75", Qty: 48}}}, "lines[1].item"},
		{OrderInput{Brand: "Britannia", Date: on, Lines: []OrderLineInput{{Item: "GD200", Qty: -1}}}, "lines[0].qty"},
		{OrderInput{Brand: "Britannia", Date: on, Lines: []OrderLineInput{{Item: "GD200", Qty: 24}, {Item: "gd200", Qty: 24}}}, "lines[1].item"},
		{OrderInput{Brand: "Britannia", Date: on, Lines: []OrderLineInput{{Item: "NOPE", Qty: 24}}}, "lines[0].item"},
	} {
		err := b.Update(func(tx *book.Tx) error { _, err := PlaceOrder(tx, c.in); return err })
		if e, ok := fail.As(err); !ok || e.Field != c.field {
			t.Errorf("%+v: %v", c.in, err)
		}
	}
	n := 0
	b.View(func(tx *book.Tx) error {
		return ListOrders(tx, OrderFilter{}, func(*PurchaseOrder) error { n++; return nil })
	})
	if n != 0 {
		t.Fatalf("%d orders written by bad requests", n)
	}
}

// A placement whose answer was lost is sent again with its request_id: the
// book answers the order it already made, and the goods are on order once.
func TestAPlacementSentTwiceWithItsRequestIDIsOneOrder(t *testing.T) {
	b := brandShop(t)
	place := func(in OrderInput) (o PurchaseOrder, err error) {
		err = b.Update(func(tx *book.Tx) (err error) { o, err = PlaceOrder(tx, in); return err })
		return o, err
	}
	in := OrderInput{Brand: "Britannia", Date: on, RequestID: "po-1", Lines: []OrderLineInput{{Item: "GD200", Qty: 240}}}
	first, err := place(in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := place(in)
	if err != nil {
		t.Fatal(err)
	}
	if again.Number != first.Number || !again.Replayed || first.Replayed {
		t.Fatalf("the retry answers %s (replayed %v), want %s replayed", again.Number, again.Replayed, first.Number)
	}
	if l := gd200(t, b); l.OnOrder != 240 {
		t.Fatalf("on order after the retry: %d pieces, want 240", l.OnOrder)
	}

	in.Lines[0].Qty = 480
	_, err = place(in)
	if f, ok := fail.As(err); !ok || f.Field != "request_id" {
		t.Fatalf("the same request_id with other lines: %v, want a conflict naming request_id", err)
	}
	in.RequestID = "no spaces allowed"
	if _, err = place(in); err == nil {
		t.Fatal("a request_id with spaces was taken")
	}
}

// A book from before book.Requests holds the placement's fingerprint as 64
// hex digits: its retry still answers the order, other lines still conflict.
func TestAPlacementRecordedTheOldWayStillAnswersItsRetry(t *testing.T) {
	b := brandShop(t)
	place := func(in OrderInput) (o PurchaseOrder, err error) {
		err = b.Update(func(tx *book.Tx) (err error) { o, err = PlaceOrder(tx, in); return err })
		return o, err
	}
	in := OrderInput{Brand: "Britannia", Date: on, RequestID: "po-old", Lines: []OrderLineInput{{Item: "GD200", Qty: 240}}}
	first, err := place(in)
	if err != nil {
		t.Fatal(err)
	}
	body := in
	body.RequestID, body.Date = "", ""
	raw, _ := json.Marshal(body)
	sum := sha256.Sum256(raw)
	if err := b.Update(func(tx *book.Tx) error {
		return tx.Bucket(bRequests).Put("po-old", []byte(first.Number+"\x00"+hex.EncodeToString(sum[:])))
	}); err != nil {
		t.Fatal(err)
	}
	again, err := place(in)
	if err != nil || again.Number != first.Number || !again.Replayed {
		t.Fatalf("the retry answers %s (replayed %v, %v), want %s replayed", again.Number, again.Replayed, err, first.Number)
	}
	in.Lines[0].Qty = 480
	if _, err = place(in); !fail.Is(err, fail.KindConflict) {
		t.Fatalf("the same request_id with other lines: %v, want a conflict", err)
	}
}
