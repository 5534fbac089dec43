package wire

import (
	"bytes"
	"compress/gzip"
	"testing"
)

func seedBatch() []byte {
	b := oneLargeDay()
	b.SalesLines, b.Stock, b.Redemptions, b.Receipts = b.SalesLines[:5], b.Stock[:3], b.Redemptions[:2], b.Receipts[:2]
	b.Outlets = []Outlet{{OutletCode: "O1", Name: "Shop", Active: true}}
	b.SKUs = []SKU{{SKUCode: "S1", Name: "Soap", Active: true}}
	body, _ := b.Encode()
	return body
}

// Whatever arrives, DecodeBatch refuses it with a DecodeError or returns a
// batch whose counts are the manifest's; it never panics.
func FuzzDecodeBatch(f *testing.F) {
	f.Add(seedBatch())
	f.Add([]byte("{}\n"))
	f.Add([]byte(`{"format_version":1,"distributor_code":"D","batch_id":"B","kind":"delta","period_from":"2025-01-01","period_to":"2025-01-01","created_at":"2025-01-01T00:00:00Z","parts":[]}` + "\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := DecodeBatch(body, Limits{MaxUnzipped: 1 << 20})
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("a refusal that is not a DecodeError: %T %v", err, err)
			}
			return
		}
		c := b.Manifest.Counts()
		if c[PartSalesLines] != len(b.SalesLines) || c[PartStock] != len(b.Stock) || c[PartOutlets] != len(b.Outlets) {
			t.Fatalf("decoded counts differ from the manifest: %v", c)
		}
	})
}

// The manifest line alone.
func FuzzDecodeManifest(f *testing.F) {
	body := seedBatch()
	f.Add(body[:bytes.IndexByte(body, '\n')+1])
	f.Add([]byte(`{"format_version":1}` + "\n"))
	f.Fuzz(func(t *testing.T, line []byte) {
		m, off, err := DecodeManifest(line)
		if err == nil && (off > len(line) || m.BatchID == "") {
			t.Fatalf("accepted a manifest with offset %d of %d and batch %q", off, len(line), m.BatchID)
		}
	})
}

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
