package headoffice

import (
	"reflect"
	"testing"

	"vitaran/backend/money"
)

// FuzzRollupDay: a stored rollup day (packed cells) or a legacy cell read
// from any bytes answers an error, never a panic, and cells written then
// read come back as they were.
func FuzzRollupDay(f *testing.F) {
	a := Sum{Lines: 12, Qty: 360, FreeQty: 12, Sold: 348, Discount: 9000, Taxable: 81000, Tax: 4050, Value: 85050}
	b := Sum{Lines: 1, Qty: -4, Sold: -4, Taxable: -12000, Tax: -600, Value: -12600}
	f.Add(packDay([]dimSum{{"S1", a}, {"BEAT1\x1fO1", b}}), "S2", int64(7))
	f.Add(a.marshal(), "", int64(-1))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, "\x1f", int64(0))
	f.Fuzz(func(t *testing.T, v []byte, dim string, n int64) {
		read := func(raw []byte) ([]dimSum, error) {
			var out []dimSum
			err := eachCell(raw, func(d []byte, s Sum) error { out = append(out, dimSum{string(d), s}); return nil })
			return out, err
		}
		if cells, err := read(v); err == nil {
			var again []byte
			for i := range cells {
				again = appendCell(again, cells[i].dim, &cells[i].sum)
			}
			if back, err := read(again); err != nil || !reflect.DeepEqual(back, cells) {
				t.Fatalf("%x read as %v, written and read again as %v, %v", v, cells, back, err)
			}
		}
		if s, err := unmarshalSum(v); err == nil {
			if back, err := unmarshalSum(s.marshal()); err != nil || back != s {
				t.Fatalf("cell %x read as %+v, written and read again as %+v, %v", v, s, back, err)
			}
		}
		want := []dimSum{{dim, Sum{Lines: n, Qty: money.Qty(-n), FreeQty: money.Qty(n / 2), Sold: money.Qty(n), Discount: money.Paise(n / 3),
			Taxable: money.Paise(-n), Tax: money.Paise(n / 5), Value: money.Paise(n)}}}
		if got, err := read(packDay(want)); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote %v, read %v, %v", want, got, err)
		}
		if got, err := unmarshalSum(want[0].sum.marshal()); err != nil || got != want[0].sum {
			t.Fatalf("wrote %+v, read %+v, %v", want[0].sum, got, err)
		}
	})
}
