package schemes

import (
	"reflect"
	"strings"
	"testing"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// FuzzRedemption: a stored redemption (codec.go) read from any bytes under
// any key answers an error, never a panic, and one written then read comes
// back as it was.
func FuzzRedemption(f *testing.F) {
	for _, r := range []Redemption{
		{Seq: 1, Scheme: "GD-BUY10-GET1", Invoice: "SI/26-27/000001", Date: "2026-11-25", Outlet: "SLS01", Line: 1, Item: "GD200",
			LineQty: 30, DiscountPaise: 9000, FreeItem: "GD200", FreeQty: 3, FreeValuePaise: 8100},
		{Seq: 2, Scheme: "SOAP-5PC", Invoice: "SI/26-27/000001", Date: "2026-11-25", Outlet: "SLS01", Line: 2, Item: "SOAP75",
			LineQty: -4, DiscountPaise: -120, Return: "CN/26-27/000002"},
	} {
		f.Add(redemptionKey(r.Invoice, r.Seq), appendRedemption(nil, &r), r.Item, int64(r.DiscountPaise))
	}
	f.Add("SI/1\x00\x00\x00\x00\x00\x00\x00\x00\x01", []byte{redemptionFormat, 0xff}, "", int64(-1))
	f.Add("no key", []byte{}, "\x00", int64(0))
	f.Fuzz(func(t *testing.T, key string, v []byte, s string, n int64) {
		if r, err := readRedemption(key, v); err == nil {
			again, err := readRedemption(redemptionKey(r.Invoice, r.Seq), appendRedemption(nil, &r))
			if err != nil || !reflect.DeepEqual(again, r) {
				t.Fatalf("%q=%x read as %+v, written and read again as %+v, %v", key, v, r, again, err)
			}
		}
		if strings.IndexByte(s, 0) >= 0 {
			return // an invoice number never holds the key's separator
		}
		want := Redemption{Seq: uint64(n), Scheme: s, Invoice: s, Date: cal.Date(s), Outlet: s, Line: int(n), Item: s,
			LineQty: money.Qty(n), DiscountPaise: money.Paise(-n), FreeItem: s, FreeQty: money.Qty(n / 3), FreeValuePaise: money.Paise(n / 7), Return: s}
		got, err := readRedemption(redemptionKey(want.Invoice, want.Seq), appendRedemption(nil, &want))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote %+v, read %+v, %v", want, got, err)
		}
	})
}
