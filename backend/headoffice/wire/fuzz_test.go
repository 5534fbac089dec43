package wire

import (
	"bytes"
	"compress/gzip"
	"testing"
)

// Gzip NDJSON rows of every part: bad rows are refused with the row number.
func FuzzRows(f *testing.F) {
	f.Add(uint8(0), []byte(`{"doc_type":"invoice","invoice_no":"SI/1","invoice_date":"2025-10-06","line_no":1,"outlet_code":"O","sku_code":"S","qty":2,"rate_paise":100,"taxable_paise":200}`+"\n"))
	f.Add(uint8(2), []byte(`{"date":"2025-10-06","sku_code":"S","opening":5,"received":0,"sold":1,"returned":0,"damaged":0,"adjusted":0,"closing":4}`))
	f.Add(uint8(3), []byte("{\"redemption_id\":\"R\"}\n\n"))
	f.Fuzz(func(t *testing.T, which uint8, ndjson []byte) {
		part := PartNames[int(which)%len(PartNames)]
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(ndjson)
		zw.Close()
		rows, _, derr := ReadNDJSON(buf.Bytes(), 1<<20)
		if derr != nil {
			return
		}
		b := &Batch{}
		if err := b.decodeRows(part, rows); err != nil {
			de, ok := err.(*DecodeError)
			if !ok || de.Row < 1 || de.Row > len(rows) {
				t.Fatalf("refusal without a row: %v", err)
			}
			return
		}
		for i := range b.Stock {
			if !b.Stock[i].Balanced() {
				t.Fatal("an unbalanced stock row was accepted")
			}
		}
	})
}
