package app

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"vitaran/backend/excel"
)

// An .xlsx of 5 MB that unpacked to 1.2 GB, sent as a dry run, took 148 s
// and 1.66 GB. The import door now refuses a workbook whose parts unpack
// past the limit from its zip directory, as a 400 naming the file (the
// bomb itself, built for real, is in backend/excel's tests).
func TestAnImportThatUnpacksTooFarIsA400(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store,
		UncompressedSize64: uint64(excel.MaxUnpackedBytes) + 1, CompressedSize64: 4})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<x/>"))
	zw.Close()
	start := time.Now()
	st, raw, _ := d.importUpload("/api/import/items?dry_run=1", "items.xlsx", buf.Bytes())
	var body map[string]any
	json.Unmarshal(raw, &body)
	if st != 400 || body["field"] != "file" || time.Since(start) > 2*time.Second {
		t.Fatalf("%d %s in %s", st, raw, time.Since(start))
	}
}
