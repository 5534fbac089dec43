package einvoice

import (
	"encoding/json"
	"testing"
)

// An amount read from the portal's JSON writes back to the same value: no
// float ever stands between the text and the paise.
func FuzzAmount(f *testing.F) {
	for _, s := range []string{"0", "0.5", "12.34", "-99.99", "1e3", "01.2", "1.234", "", "999999999999999.99", "-", "1.", ".5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a Amount
		if err := a.UnmarshalJSON([]byte(s)); err != nil {
			return
		}
		out, _ := a.MarshalJSON()
		var b Amount
		if err := b.UnmarshalJSON(out); err != nil || a != b {
			t.Fatalf("%q → %d → %s → %d %v", s, a, out, b, err)
		}
		var q Qty
		if err := q.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatalf("%q is an amount but not a quantity: %v", s, err)
		}
		out, _ = q.MarshalJSON()
		var q2 Qty
		if err := q2.UnmarshalJSON(out); err != nil || q != q2 {
			t.Fatalf("qty %q → %s → %d", s, out, q2)
		}
	})
}

// Any JSON the emulator receives decodes or is refused, and the rules then
// run on it without panicking.
func FuzzDocument(f *testing.F) {
	f.Add([]byte(`{"Version":"1.1","DocDtls":{"Typ":"INV","No":"SI/26-27/000001","Dt":"25/11/2026"},"ItemList":[{"SlNo":"1","HsnCd":"1905","Qty":2,"UnitPrice":10.5,"TotAmt":21}]}`))
	f.Add([]byte(`{"ItemList":[{"HsnCd":"9","GstRt":0.25}],"RefDtls":{"PrecDocDtls":[{"InvDt":"31/02/2026"}]}}`))
	f.Add([]byte(`{"SellerDtls":{"Pin":-1,"Gstin":"x"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var d Document
		if json.Unmarshal(raw, &d) != nil {
			return
		}
		Check(&d, Rules{Tolerance: PortalTolerance})
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"25/11/2026", "31/02/2026", "1/1/2026", "aa/bb/cccc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && Date(d) != s {
			t.Fatalf("%q → %s → %s", s, d, Date(d))
		}
	})
}
