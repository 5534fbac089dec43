package app

import (
	"io"
	"net/http"
	"os"
	"testing"
)

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// raw2 is a GET that also returns the headers (downloads).
func (d *door) download(method, path string) (int, []byte, http.Header) {
	d.t.Helper()
	req, _ := http.NewRequest(method, d.srv.URL+path, nil)
	resp, err := d.c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header
}
