package importer

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/xuri/excelize/v2"
)

// BenchmarkImport100kOutlets imports a 100,000-row outlet file (written with
// excelize's streaming writer) into an empty book, in one transaction.
func BenchmarkImport100kOutlets(b *testing.B) {
	path := filepath.Join(b.TempDir(), "outlets.xlsx")
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"Outlet Code", "Outlet Name", "State", "Channel", "Credit Limit", "Credit Days"})
	for i := 0; i < 100000; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{fmt.Sprintf("OUT%06d", i), fmt.Sprintf("Shop number %d", i), "29", "grocery", 25000, 7})
	}
	sw.Flush()
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bk := openBookB(b)
		b.StartTimer()
		rep, err := ImportFile(bk, "outlets", path, Options{Today: "2026-11-25"})
		if err != nil || rep.New != 100000 {
			b.Fatalf("%v %v", err, errs(rep)[:min(3, len(rep.Errors))])
		}
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
}
