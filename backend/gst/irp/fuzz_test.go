package irp

import (
	"testing"
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
		err := decodeReply(raw, &out)
		if err != nil {
			Explain(err)
		}
	})
}
