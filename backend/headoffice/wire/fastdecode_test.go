package wire_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"
)

// The hand decoder agrees with encoding/json on every row it accepts, and
// gives up (to encoding/json) on what it does not know — with or without a
// previous row to share strings with.
func FuzzSalesLineDecoderAgreesWithJSON(f *testing.F) {
	g := wiretest.NewGen("D", 1)
	lines, _ := g.Day("2025-10-06", 5)
	for i := range lines {
		raw, _ := json.Marshal(&lines[i])
		f.Add(raw)
	}
	f.Add([]byte(`{"doc_type":"invoice","qty":1.5}`))
	f.Add([]byte(`{"invoice_no":"A\u0042","scheme_codes":[],"order_lat":12.97,"Qty":3}`))
	f.Add([]byte(`{"line_no":01}`))
	prev := lines[0]
	f.Fuzz(func(t *testing.T, raw []byte) {
		var slow wire.SalesLine
		slowErr := json.Unmarshal(raw, &slow)
		for _, p := range []*wire.SalesLine{nil, &prev} {
			var fast wire.SalesLine
			if !wire.DecodeSalesLine(raw, &fast, p) {
				continue
			}
			if slowErr != nil {
				t.Fatalf("fast accepted what encoding/json refuses (%v): %s", slowErr, raw)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s:\nfast %+v\njson %+v", raw, fast, slow)
			}
		}
	})
}

func FuzzRedemptionDecoderAgreesWithJSON(f *testing.F) {
	g := wiretest.NewGen("D", 1)
	_, reds := g.Day("2025-10-06", 5)
	for i := range reds {
		raw, _ := json.Marshal(&reds[i])
		f.Add(raw)
	}
	f.Add([]byte(`{"redemption_id":"R1","value_paise":1e3}`))
	f.Add([]byte(`{"scheme_code":null,"free_qty":-4,"line_no":2}`))
	f.Add([]byte(`{"Redemption_ID":"R2","sku_code":"\u00e9"}`))
	prev := reds[0]
	f.Fuzz(func(t *testing.T, raw []byte) {
		var slow wire.Redemption
		slowErr := json.Unmarshal(raw, &slow)
		for _, p := range []*wire.Redemption{nil, &prev} {
			var fast wire.Redemption
			if !wire.DecodeRedemption(raw, &fast, p) {
				continue
			}
			if slowErr != nil {
				t.Fatalf("fast accepted what encoding/json refuses (%v): %s", slowErr, raw)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s:\nfast %+v\njson %+v", raw, fast, slow)
			}
		}
	})
}
