package excel

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// bomb is a valid workbook whose first sheet unpacks to unpacked bytes of
// repeated rows: a few hundred KB on the wire.
func bomb(t testing.TB, unpacked int64) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Item Code", "Qty"})
	var small bytes.Buffer
	if err := f.Write(&small); err != nil {
		t.Fatal(err)
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(small.Bytes()), int64(small.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, p := range zr.File {
		w, _ := zw.Create(p.Name)
		if p.Name != "xl/worksheets/sheet1.xml" {
			rc, _ := p.Open()
			io.Copy(w, rc)
			rc.Close()
			continue
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Item Code</t></is></c><c r="B1" t="inlineStr"><is><t>Qty</t></is></c></row>`)
		row := []byte(strings.Repeat(`<row><c t="inlineStr"><is><t>X</t></is></c><c t="inlineStr"><is><t>not a number</t></is></c></row>`, 1000))
		for n := int64(0); n < unpacked; n += int64(len(row)) {
			w.Write(row)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func spec2() *Spec {
	return &Spec{Kind: "stock", Fields: []Field{{Name: "Item Code", Type: Code, Required: true}, {Name: "Qty", Type: Qty, Required: true}}}
}

// A 5 MB .xlsx that unpacked to 1.2 GB took 148 s and 1.66 GB of memory as
// a dry run. It is now refused from the zip's directory, before anything
// is unpacked.
func TestAZipBombIsRefusedBeforeItIsUnpacked(t *testing.T) {
	file := bomb(t, MaxUnpackedBytes+(1<<20))
	if len(file) > 4<<20 {
		t.Fatalf("the bomb is %d bytes on the wire", len(file))
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	calls := 0
	_, err := Read(bytes.NewReader(file), "bomb.xlsx", spec2(), func(*Row) error { calls++; return nil })
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), "bomb.xlsx") || !strings.Contains(err.Error(), "256 MiB") || calls != 0 {
		t.Fatalf("err %v, %d rows", err, calls)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(4*len(file))+(1<<20) {
		t.Fatalf("refusing a %d-byte bomb allocated %d bytes", len(file), alloc)
	}
	if took > 2*time.Second {
		t.Fatalf("refusing the bomb took %s", took)
	}

	// A text table or a styles part over its own limit (each is parsed whole
	// into memory) is refused the same way.
	for _, part := range []string{"xl/styles.xml", "xl/sharedStrings.xml"} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create(part)
		w.Write(bytes.Repeat([]byte("<x/>"), int(MaxStringsBytes/4)+1))
		zw.Close()
		if _, err := Read(bytes.NewReader(buf.Bytes()), "parts.xlsx", spec2(), func(*Row) error { return nil }); !errors.Is(err, ErrTooBig) {
			t.Fatalf("%s over its limit: %v", part, err)
		}
	}
}

// A sheet under the size limit but with more rows than MaxRows stops at
// the limit, and 2.5 million errors are no longer collected: the first
// MaxErrors are kept and the rest counted.
func TestRowsAndErrorsAreCapped(t *testing.T) {
	var csv bytes.Buffer
	csv.WriteString("Item Code,Qty\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&csv, "I%d,lots\n", i)
	}
	res, err := Read(bytes.NewReader(csv.Bytes()), "bad.csv", spec2(), func(*Row) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != MaxErrors || res.MoreErrors != 2000-MaxErrors || res.OK() || res.Rows != 2000 {
		t.Fatalf("%d errors kept, %d more, %d rows", len(res.Errors), res.MoreErrors, res.Rows)
	}
	if e := res.Err().Error(); !strings.Contains(e, "2000 errors") || !strings.Contains(e, "1500 more") {
		t.Fatal(e)
	}

	csv.Reset()
	csv.WriteString("Item Code,Qty\n")
	for i := 1; i < MaxRows+5; i++ {
		csv.WriteString("A,1\n")
	}
	rows := 0
	_, err = Read(bytes.NewReader(csv.Bytes()), "long.csv", spec2(), func(*Row) error { rows++; return nil })
	if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), fmt.Sprint(MaxRows)) || rows != MaxRows-1 {
		t.Fatalf("%d rows read: %v", rows, err)
	}
}
