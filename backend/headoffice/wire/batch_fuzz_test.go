package wire_test

import (
	"bytes"
	"testing"

	"vitaran/backend/headoffice/wire"
)

func seedBatch() []byte {
	b := oneLargeDay()
	b.SalesLines, b.Stock, b.Redemptions, b.Receipts = b.SalesLines[:5], b.Stock[:3], b.Redemptions[:2], b.Receipts[:2]
	b.Outlets = []wire.Outlet{{OutletCode: "O1", Name: "Shop", Active: true}}
	b.SKUs = []wire.SKU{{SKUCode: "S1", Name: "Soap", Active: true}}
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
		b, err := wire.DecodeBatch(body, wire.Limits{MaxUnzipped: 1 << 20})
		if err != nil {
			if _, ok := err.(*wire.DecodeError); !ok {
				t.Fatalf("a refusal that is not a DecodeError: %T %v", err, err)
			}
			return
		}
		c := b.Manifest.Counts()
		if c[wire.PartSalesLines] != len(b.SalesLines) || c[wire.PartStock] != len(b.Stock) || c[wire.PartOutlets] != len(b.Outlets) {
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
		m, off, err := wire.DecodeManifest(line)
		if err == nil && (off > len(line) || m.BatchID == "") {
			t.Fatalf("accepted a manifest with offset %d of %d and batch %q", off, len(line), m.BatchID)
		}
	})
}
