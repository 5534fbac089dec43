package schemes

import (
	"testing"

	"vitaran/backend/cal"
)

func TestStoredRedemptionReadsBackAsWritten(t *testing.T) {
	for _, r := range []Redemption{
		{Seq: 1, Scheme: "BISC-SLAB", Invoice: "SI/25-26/000159", Date: cal.Date("2025-11-27"), Outlet: "OUT00102",
			Line: 3, Item: "PRL0423", LineQty: 96, DiscountPaise: 1492},
		{Seq: 1 << 40, Scheme: "SOAP-12+1", Invoice: "SI/25-26/000160", Date: cal.Date("2025-12-02"), Outlet: "OUT00007",
			Line: 12, Item: "WPR0009", LineQty: 25, FreeItem: "WPR0009", FreeQty: -1, FreeValuePaise: -3000, Return: "CN/25-26/000004"},
	} {
		got, err := readRedemption(redemptionKey(r.Invoice, r.Seq), appendRedemption(nil, &r))
		if err != nil || got != r {
			t.Fatalf("wrote %+v, read %+v, %v", r, got, err)
		}
	}
	r := Redemption{Scheme: "X", Invoice: "I", Date: "2025-01-01"}
	v := appendRedemption(nil, &r)
	for n := 0; n < len(v); n++ {
		if _, err := readRedemption(redemptionKey("I", 1), v[:n]); err == nil {
			t.Fatalf("a value cut to %d bytes read without error", n)
		}
	}
}
