package billing

import (
	"bytes"
	"encoding/json"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// FuzzInvoiceBody feeds arbitrary request bodies through the strict decoder
// and the preview: nothing panics, and every refusal is an error a person
// can act on (a fail kind), never an internal one.
func FuzzInvoiceBody(f *testing.F) {
	for _, s := range []string{
		`{"outlet":"SLS01","date":"2026-11-25","lines":[{"item":"GD200","qty":3}]}`,
		`{"outlet":"KAR01","date":"2026-11-25","lines":[{"item":"SOAP75","qty":-1,"discount_bp":20000}]}`,
		`{"outlet":"","date":"x","lines":[]}`, `{"lines":[{"item":"GD200","qty":1,"batch":"NOPE","rate_paise":-5}]}`,
	} {
		f.Add([]byte(s))
	}
	b := shop(f)
	receive(f, b, "BRT/1", gd("B1", "2027-06-30", 100))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range []any{&InvoiceInput{}, &PurchaseInput{}, &SalesReturnInput{}, &ReceiptInput{}, &StockDocInput{}, &Order{}} {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if dec.Decode(target) != nil {
				continue
			}
			if in, ok := target.(*InvoiceInput); ok {
				b.View(func(tx *book.Tx) error {
					_, err := Preview(tx, *in)
					if err != nil {
						if _, ok := fail.As(err); !ok {
							t.Fatalf("internal error for %s: %v", body, err)
						}
					}
					return nil
				})
			}
		}
	})
}
