package headoffice

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The hand decoder agrees with encoding/json on every row it accepts, and
// gives up (to encoding/json) on what it does not know.
func FuzzSalesLineDecoderAgreesWithJSON(f *testing.F) {
	g := newGen("D", 1)
	lines, _ := g.day("2025-10-06", 5)
	for i := range lines {
		raw, _ := json.Marshal(&lines[i])
		f.Add(raw)
	}
	f.Add([]byte(`{"doc_type":"invoice","qty":1.5}`))
	f.Add([]byte(`{"invoice_no":"A\u0042","scheme_codes":[],"order_lat":12.97,"Qty":3}`))
	f.Add([]byte(`{"line_no":01}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var fast SalesLine
		if !decodeSalesLine(raw, &fast) {
			return
		}
		var slow SalesLine
		if err := json.Unmarshal(raw, &slow); err != nil {
			t.Fatalf("fast accepted what encoding/json refuses (%v): %s", err, raw)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%s:\nfast %+v\njson %+v", raw, fast, slow)
		}
	})
}
