package reports

import (
	"testing"

	"vitaran/backend/money"
)

// FuzzDaySales: a saved day of the sales summary read from any bytes is
// refused or read, never a panic, and a day written then read comes back
// as it was.
func FuzzDaySales(f *testing.F) {
	f.Add(encDay(DaySales{Invoices: 300, CreditNotes: 4, Taxable: 24_300_000, Total: 25_515_000}), int64(300))
	f.Add(encDay(DaySales{CreditNotes: 1, Taxable: -12000, Total: -12600}), int64(-1))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, int64(0))
	f.Fuzz(func(t *testing.T, v []byte, n int64) {
		if ds, ok := decDay(v); ok {
			if back, ok := decDay(encDay(ds)); !ok || back != ds {
				t.Fatalf("%x read as %+v, written and read again as %+v", v, ds, back)
			}
		}
		want := DaySales{Invoices: int(n), CreditNotes: int(n / 7), Taxable: money.Paise(-n), Total: money.Paise(n)}
		if got, ok := decDay(encDay(want)); !ok || got != want {
			t.Fatalf("wrote %+v, read %+v", want, got)
		}
	})
}
