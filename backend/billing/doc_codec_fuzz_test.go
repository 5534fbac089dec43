package billing

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDocument: a stored document (doc_codec.go) read from any bytes
// answers an error, never a panic; a posted invoice written then read
// comes back as it was, in each of the forms a book may hold (deflated
// against the dictionary, deflated without it, plain JSON).
func FuzzDocument(f *testing.F) {
	b := shop(f)
	receive(f, b, "BRT/1", gd("B1", "2027-06-30", 100))
	inv := must[Invoice](f)(bill(f, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 30, DiscountBP: 1000}}}))
	// as billing keeps them where a return reads them (keepScope)
	inv.Lines[0].Brand, inv.Lines[0].Category = "Britannia", "Biscuits/Cookies"
	raw, err := json.Marshal(inv)
	if err != nil {
		f.Fatal(err)
	}
	packed, err := encodeDoc(inv)
	if err != nil {
		f.Fatal(err)
	}
	var plain bytes.Buffer
	plain.WriteByte(docDeflate)
	w, _ := flate.NewWriter(&plain, flate.BestSpeed)
	w.Write(raw)
	w.Close()
	for _, v := range [][]byte{packed, plain.Bytes(), raw} {
		var got Invoice
		if err := decodeDoc(v, &got); err != nil || !reflect.DeepEqual(got, inv) {
			f.Fatalf("form %d: read %+v, %v; want %+v", v[0], got, err, inv)
		}
		f.Add(v)
	}
	f.Add([]byte{docDeflateDict, 0xff, 0x00})
	f.Fuzz(func(t *testing.T, v []byte) {
		var got Invoice
		if decodeDoc(v, &got) != nil {
			return
		}
		again, err := encodeDoc(got)
		if err != nil {
			t.Fatalf("%x read as %+v, which does not write: %v", v, got, err)
		}
		var back Invoice
		if err := decodeDoc(again, &back); err != nil || !reflect.DeepEqual(back, got) {
			t.Fatalf("%x read as %+v, written and read again as %+v, %v", v, got, back, err)
		}
	})
}
