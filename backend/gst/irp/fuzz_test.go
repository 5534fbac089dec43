package irp

import (
	"errors"
	"path/filepath"
	"testing"

	"vitaran/backend/book"
)

// Any token read from the portal or a reply file splits, or is refused,
// without panicking; what it carries reads back.
func FuzzReadJWT(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJkYXRhIjoie1wiRG9jTm9cIjpcIlNJLzFcIn0iLCJpc3MiOiJOSUMifQ.c2ln")
	f.Add("a.b.c")
	f.Add("..")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Fuzz(func(t *testing.T, tok string) {
		data, err := ReadJWT(tok)
		if err == nil && len(data) == 0 {
			t.Fatalf("%q: no data and no error", tok)
		}
		ReadQR(tok)
	})
}

// Any reply body decodes into an answer, a refusal or an unreachable error.
func FuzzDecodeReply(f *testing.F) {
	f.Add([]byte(`{"Status":1,"Data":{"AckNo":1,"Irn":"ab"}}`))
	f.Add([]byte(`{"Status":1,"Data":"{\"AckNo\":1}"}`))
	f.Add([]byte(`{"Status":0,"ErrorDetails":[{"ErrorCode":"2150","ErrorMessage":"Duplicate IRN"}],"InfoDtls":[{"InfCd":"DUPIRN","Desc":{"Irn":"x"}}]}`))
	f.Add([]byte(`<html>503</html>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var out IRNData
		err := decodeReply(raw, nil, &out)
		if err != nil {
			Explain(err)
		}
	})
}

// Any reply file is imported whole or refused, without panicking.
func FuzzImportReply(f *testing.F) {
	b, err := book.Open(filepath.Join(f.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer b.Close()
	f.Add([]byte(`[{"DocTyp":"INV","DocNo":"SI/26-27/000001","DocDt":"25/11/2026","Irn":"ab","AckNo":1,"AckDt":"2026-11-25 10:00:00","SignedQRCode":"a.b.c"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"x":1}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b.Update(func(tx *book.Tx) error {
			ImportReply(tx, raw)
			return errors.New("roll back")
		})
	})
}
