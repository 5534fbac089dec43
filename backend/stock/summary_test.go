package stock

import (
	"reflect"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// october is a small month at a distributor, worked out by hand:
//
//	SOAP: 100 of S1 (expires 15-12-2026, ₹20.00) and 200 of S2 (30-06-2027,
//	      ₹21.00) bought on the 1st; 60 sold on the 20th (FEFO: all S1);
//	      5 of S2 found damaged on the 25th.
//	TEA:  20 of T1 (expired 15-10-2026, ₹10.00) left over from September;
//	      300 of T2 (₹11.00) bought on the 1st; 150 and 120 sold, 10 returned.
//	DAL:  50 of D1 (expires 30-12-2026, ₹50.00) bought on the 3rd, none sold.
func october(t *testing.T) *book.Book {
	b := openBook(t)
	s1 := Batch{Item: "SOAP", Batch: "S1", Expiry: "2026-12-15", MRP: 2500, Cost: 2000}
	s2 := Batch{Item: "SOAP", Batch: "S2", Expiry: "2027-06-30", MRP: 2500, Cost: 2100}
	t1 := Batch{Item: "TEA", Batch: "T1", Expiry: "2026-10-15", MRP: 1200, Cost: 1000}
	t2 := Batch{Item: "TEA", Batch: "T2", Expiry: "2027-12-31", MRP: 1200, Cost: 1100}
	d1 := Batch{Item: "DAL", Batch: "D1", Expiry: "2026-12-30", MRP: 6000, Cost: 5000}
	receive(t, b, "2026-09-10", t1, MainGodown, 20)
	receive(t, b, "2026-10-01", s1, MainGodown, 100)
	receive(t, b, "2026-10-01", s2, MainGodown, 200)
	receive(t, b, "2026-10-01", t2, MainGodown, 300)
	receive(t, b, "2026-10-03", d1, MainGodown, 50)
	sell := func(d cal.Date, item string, qty money.Qty) {
		update(t, b, func(tx *book.Tx) error {
			picks, short, err := NewAllocator(tx).Pick(item, MainGodown, qty, d, "", false)
			if err != nil || short > 0 {
				t.Fatalf("sale of %d %s on %s: short %d, %v", qty, item, d, short, err)
			}
			for _, p := range picks {
				if _, err := Move(tx, Movement{Date: d, Item: item, Batch: p.Batch, Godown: MainGodown, Qty: -p.Qty, Kind: Sale, Doc: "INV"}, false); err != nil {
					return err
				}
			}
			return nil
		})
	}
	sell("2026-10-16", "TEA", 150) // the day after T1 expired: all T2
	sell("2026-10-20", "SOAP", 60)
	sell("2026-10-28", "TEA", 120)
	update(t, b, func(tx *book.Tx) error {
		_, err := Move(tx, Movement{Date: "2026-10-29", Item: "TEA", Batch: "T2", Godown: MainGodown, Qty: 10, Kind: SalesReturn, Doc: "CN1"}, true)
		return err
	})
	update(t, b, func(tx *book.Tx) error {
		return shift(tx, "2026-10-25", Damage, "SOAP", "S2", MainGodown, DamagedGodown, 5)
	})
	return b
}

func TestStockSummaryListsEachItemWithItsBatchesByGodown(t *testing.T) {
	b := october(t)
	var all, soap []ItemStock
	view(t, b, func(tx *book.Tx) (err error) {
		if all, err = Summary(tx, ""); err != nil {
			return err
		}
		soap, err = Summary(tx, "SOAP")
		return err
	})
	want := []ItemStock{
		{Item: "DAL", Qty: 50, Value: 250000, Batches: []BatchStock{
			{Batch: "D1", Godown: MainGodown, Expiry: "2026-12-30", MRP: 6000, Qty: 50, Value: 250000}}},
		{Item: "SOAP", Qty: 240, Value: 500000, Batches: []BatchStock{
			{Batch: "S2", Godown: DamagedGodown, Expiry: "2027-06-30", MRP: 2500, Qty: 5, Value: 10500},
			{Batch: "S1", Godown: MainGodown, Expiry: "2026-12-15", MRP: 2500, Qty: 40, Value: 80000},
			{Batch: "S2", Godown: MainGodown, Expiry: "2027-06-30", MRP: 2500, Qty: 195, Value: 409500}}},
		{Item: "TEA", Qty: 60, Value: 64000, Batches: []BatchStock{
			{Batch: "T1", Godown: MainGodown, Expiry: "2026-10-15", MRP: 1200, Qty: 20, Value: 20000},
			{Batch: "T2", Godown: MainGodown, Expiry: "2027-12-31", MRP: 1200, Qty: 40, Value: 44000}}},
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("summary\n got %+v\nwant %+v", all, want)
	}
	if !reflect.DeepEqual(soap, want[1:2]) {
		t.Errorf("summary of SOAP\n got %+v\nwant %+v", soap, want[1:2])
	}
}

func days(n int64) *int64 { return &n }

func TestOctoberReconciliationWithCoverNearExpiryAndOverstock(t *testing.T) {
	b := october(t)
	var got []Recon
	view(t, b, func(tx *book.Tx) (err error) {
		got, err = Reconcile(tx, ReconOptions{From: "2026-10-01", To: "2026-10-31", NearExpiryDays: 60, OverstockDays: 45})
		return err
	})
	want := []Recon{
		// nothing sold: no cover to speak of, and the stock is overstock;
		// expiring on 30-12-2026 is within 60 days of 31-10-2026
		{Item: "DAL", Received: 50, ReceivedValue: 250000, Closing: 50, ClosingValue: 250000,
			Overstock: true, NearExpiry: true, NearExpiryQty: 50},
		// 240 on hand ÷ 60 sold in 30 days = 120 days of cover > 45;
		// the 40 of S1 expire within 60 days, the damaged 5 are not counted
		{Item: "SOAP", Received: 300, ReceivedValue: 620000, Sold: 60, SoldValue: 120000,
			Damaged: 5, DamagedValue: 10500, Closing: 240, ClosingValue: 500000,
			Sales30: 60, DaysOfCover: days(120), Overstock: true, NearExpiry: true, NearExpiryQty: 40},
		// 60 on hand ÷ 260 net sold in 30 days = 6 days (6.9, whole days down);
		// the 20 of T1 expired on 15-10-2026
		{Item: "TEA", Opening: 20, OpeningValue: 20000, Received: 300, ReceivedValue: 330000,
			Sold: 270, SoldValue: 297000, Returned: 10, ReturnedValue: 11000, Closing: 60, ClosingValue: 64000,
			Sales30: 260, DaysOfCover: days(6), Expired: 20},
	}
	if !reflect.DeepEqual(got, want) {
		for i := range max(len(got), len(want)) {
			if i >= len(got) || i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("row %d\n got %+v\nwant %+v", i, at(got, i), at(want, i))
			}
		}
	}
}

func at(rs []Recon, i int) any {
	if i < len(rs) {
		r := rs[i]
		if r.DaysOfCover != nil {
			return struct {
				Recon
				Cover int64
			}{r, *r.DaysOfCover}
		}
		return r
	}
	return nil
}
