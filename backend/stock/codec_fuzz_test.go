package stock

import (
	"reflect"
	"testing"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// The stock book's records (a movement, a batch, a day's or month's
// totals, a balance, an item total) read from any bytes answer an error or
// a zero, never a panic, and one written then read comes back as it was.
func FuzzStockRecords(f *testing.F) {
	m := Movement{Seq: 3, Date: "2026-11-25", Item: "GD200", Batch: "B1", Godown: MainGodown, Qty: -30, Kind: Sale, Doc: "SI/26-27/000001", Value: -81000}
	b := Batch{Item: "GD200", Batch: "B1", Expiry: "2027-06-30", MRP: 3500, Cost: 2700}
	var tot Totals
	tot[kindIndex(Purchase)] = [2]int64{100, 270000}
	tot[kindIndex(Sale)] = [2]int64{-30, -81000}
	for _, v := range [][]byte{encMove(&m), encBatch(&b), []byte(`{"item":"GD200","batch":"B1","expiry":"2027-06-30","mrp_paise":3500,"cost_paise":2700}`),
		encTotals(&tot), encBal(Balance{Qty: 70, Value: 189000, MRP: 3500}), encTotal(Total{Qty: 70, Value: 189000})} {
		f.Add(v, "GD200", int64(-30), uint8(kindIndex(Sale)))
	}
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, "", int64(-1), uint8(200))
	f.Fuzz(func(t *testing.T, v []byte, s string, n int64, kind uint8) {
		if got, err := decMove(5, v); err == nil {
			if again, err := decMove(5, encMove(&got)); err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("movement %x read as %+v, written and read again as %+v, %v", v, got, again, err)
			}
		}
		if got, err := decBatch(v); err == nil {
			if again, err := decBatch(encBatch(&got)); err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("batch %x read as %+v, written and read again as %+v, %v", v, got, again, err)
			}
		}
		if got, err := decTotals(v); err == nil {
			if again, err := decTotals(encTotals(&got)); err != nil || again != got {
				t.Fatalf("totals %x read as %v, written and read again as %v, %v", v, got, again, err)
			}
		}
		if got := decBal(v); decBal(encBal(got)) != got {
			t.Fatalf("balance %x does not read back", v)
		}
		if got := decTotal(v); decTotal(encTotal(got)) != got {
			t.Fatalf("total %x does not read back", v)
		}

		k := Kinds[int(kind)%len(Kinds)]
		wm := Movement{Seq: 5, Date: cal.Date(s), Item: s, Batch: s, Godown: s, Qty: money.Qty(n), Kind: k, Doc: s, Value: money.Paise(-n)}
		if got, err := decMove(5, encMove(&wm)); err != nil || got != wm {
			t.Fatalf("wrote %+v, read %+v, %v", wm, got, err)
		}
		wb := Batch{Item: s, Batch: s, Expiry: cal.Date(s), MRP: money.Paise(n), Cost: money.Paise(-n)}
		if got, err := decBatch(encBatch(&wb)); err != nil || got != wb {
			t.Fatalf("wrote %+v, read %+v, %v", wb, got, err)
		}
		var wt Totals
		wt[kindIndex(k)] = [2]int64{n, -n}
		if got, err := decTotals(encTotals(&wt)); err != nil || got != wt {
			t.Fatalf("wrote %v, read %v, %v", wt, got, err)
		}
		wbal := Balance{Qty: money.Qty(n), Value: money.Paise(-n), MRP: money.Paise(n / 3)}
		if decBal(encBal(wbal)) != wbal || decTotal(encTotal(Total{Qty: money.Qty(n), Value: money.Paise(n)})) != (Total{Qty: money.Qty(n), Value: money.Paise(n)}) {
			t.Fatalf("balance or total %d does not read back", n)
		}
	})
}
