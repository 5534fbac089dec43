package app

import (
	"io"
	"net/http"
)

// download is a GET that also returns the headers (downloads).
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
