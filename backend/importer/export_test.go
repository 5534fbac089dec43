package importer

import (
	"bytes"
	"reflect"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
	"vitaran/backend/masters"
)

const roundTripDay = cal.Date("2026-11-25")

// masterKinds in the order a new book takes them: beats and salesmen
// before the outlets that name them.
var masterKinds = []string{"beats", "salesmen", "items", "outlets"}

func exportKind(t *testing.T, b *book.Book, kind string) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := b.View(func(tx *book.Tx) error { _, err := Export(tx, kind, roundTripDay, &buf); return err })
	if err != nil {
		t.Fatalf("export %s: %v", kind, err)
	}
	return buf.Bytes()
}

// snapshot is every master record, items without their rate history (a
// template has one GST column: the rate in force on the day).
func snapshot(t *testing.T, b *book.Book) map[string]any {
	t.Helper()
	out := map[string]any{}
	b.View(func(tx *book.Tx) error {
		its, _ := masters.ListItems(tx, masters.ItemFilter{}, roundTripDay)
		for i := range its {
			its[i].GSTRateBP, its[i].GSTRates = its[i].RateOn(roundTripDay), nil
		}
		out["items"] = its
		out["outlets"], _ = masters.ListOutlets(tx, masters.OutletFilter{})
		out["beats"], _ = masters.ListBeats(tx, "")
		out["salesmen"], _ = masters.ListSalesmen(tx, "")
		return nil
	})
	return out
}

func TestAMastersExportImportsBackUnchangedAndIntoAnEmptyBookIdentically(t *testing.T) {
	src := openBook(t)
	if err := demo.Masters(src, demo.Sizes["small"], 1); err != nil {
		t.Fatal(err)
	}
	dst := openBook(t)
	files := map[string][]byte{}
	for _, kind := range masterKinds {
		files[kind] = exportKind(t, src, kind)
		rep, err := Import(src, kind, bytes.NewReader(files[kind]), kind+".xlsx", Options{DryRun: true, Today: roundTripDay})
		if err != nil || len(rep.Errors) > 0 {
			t.Fatalf("%s dry run: %v %v", kind, err, errs(rep))
		}
		if rep.Rows == 0 || rep.Unchanged != rep.Rows || rep.New+rep.Updated != 0 {
			t.Errorf("%s: re-importing the export: %d rows, %d new, %d updated, %d unchanged", kind, rep.Rows, rep.New, rep.Updated, rep.Unchanged)
		}
		rep, err = Import(dst, kind, bytes.NewReader(files[kind]), kind+".xlsx", Options{Today: roundTripDay})
		if err != nil || len(rep.Errors) > 0 || !rep.Committed || rep.New != rep.Rows {
			t.Fatalf("%s into an empty book: %v %v %+v", kind, err, errs(rep), rep)
		}
	}
	want, got := snapshot(t, src), snapshot(t, dst)
	for _, kind := range masterKinds {
		if !reflect.DeepEqual(want[kind], got[kind]) {
			t.Errorf("%s differ after the round trip", kind)
		}
	}
	for _, kind := range masterKinds {
		if again := exportKind(t, dst, kind); len(again) == 0 {
			t.Errorf("%s: empty second export", kind)
		}
	}
}

func TestOnlyMastersExport(t *testing.T) {
	b := openBook(t)
	err := b.View(func(tx *book.Tx) error { _, err := Export(tx, "purchases", roundTripDay, &bytes.Buffer{}); return err })
	if err == nil {
		t.Error("purchases exported")
	}
}
