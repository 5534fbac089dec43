package headoffice

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"vitaran/backend/headoffice/wire"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// postSigned posts body to the receiver at url as distributor code, with
// the timestamp and signature given (right or wrong).
func postSigned(t *testing.T, url, code, ts, sig string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+wire.UploadPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", wire.ContentType)
	req.Header.Set(wire.HeaderDistributor, code)
	req.Header.Set(wire.HeaderTimestamp, ts)
	req.Header.Set(wire.HeaderSignature, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}
