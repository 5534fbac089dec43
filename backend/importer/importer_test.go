package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/masters"
)

func openBook(t testing.TB) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), "book.db"), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func sheet(t *testing.T, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	path := filepath.Join(t.TempDir(), "in.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func errs(r *Report) []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Error())
	}
	return out
}

func TestBeatsThenOutletsWithADryRunFirst(t *testing.T) {
	b := openBook(t)
	beats := sheet(t, []any{"Route Code", "Route Name", "Day"}, []any{"jaya-mon", "Jayanagar", "mon"}, []any{"BTM-TUE", "BTM Layout", "Tuesday"})
	dry, err := ImportFile(b, "beats", beats, Options{DryRun: true})
	if err != nil || dry.New != 2 || dry.Committed || len(dry.Errors) != 0 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	b.View(func(tx *book.Tx) error {
		if _, err := masters.GetBeat(tx, "JAYA-MON"); err == nil {
			t.Error("a dry run wrote a beat")
		}
		return nil
	})
	rep, err := ImportFile(b, "beats", beats, Options{})
	if err != nil || rep.New != 2 || !rep.Committed {
		t.Fatalf("import: %+v %v", rep, err)
	}
	again, _ := ImportFile(b, "beats", beats, Options{DryRun: true})
	if again.Unchanged != 2 || again.New != 0 {
		t.Errorf("the same file again changes nothing: %+v", again)
	}

	outlets := sheet(t,
		[]any{"Outlet List"},
		[]any{"Retailer Code", "Retailer Name", "State", "GST No", "Route", "Credit Limit", "Credit Days"},
		[]any{"OUT1", "Sri Lakshmi Stores", "Karnataka", "29ABCDE1234F1ZW", "JAYA-MON", "25,000", 7},
		[]any{"OUT2", "Ganesh Medicals", 29, "URP", "NOWHERE", 0, 0},
		[]any{"out1", "Duplicate", 29, "", "BTM-TUE", 0, 0},
		[]any{"OUT3", "Kerala shop", 29, "29ABCDE1234F1Z9", "BTM-TUE", 0, 0},
		[]any{"OUT4", "Far shop", 29, "", "BTM-TUE", 0, 400},
	)
	rep, err = ImportFile(b, "outlets", outlets, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"row 4, column Route: NOWHERE: beat NOWHERE does not exist: create it first", // the value the book refused, as typed
		"row 5, column Retailer Code: out1: appears again: the same code is on row 3",
		"row 6, column GST No: 29ABCDE1234F1Z9: the last character should be W",
		"row 7, column Credit Days: 400: must be 0–365",
	}
	got := errs(rep)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s", strings.Join(got, "\n"))
	}
	if rep.Committed || rep.New != 0 {
		t.Errorf("a file with errors wrote something: %+v", rep)
	}
	b.View(func(tx *book.Tx) error {
		if _, err := masters.GetOutlet(tx, "OUT1"); err == nil {
			t.Error("OUT1 was written although the file had errors")
		}
		return nil
	})
}

func TestItemsNewUpdatedUnchanged(t *testing.T) {
	b := openBook(t)
	head := []any{"Item Code", "SKU", "Item Name", "Brand", "Category", "HSN Code", "GST %", "M.R.P.", "Case Size"}
	first := sheet(t, head,
		[]any{"DOVE100", "67004321", "Dove 100g", "Dove", "Personal Care/Soap", 34011190, 0.05, "58", 48},
		[]any{"LUX75", "67001111", "Lux 75g", "Lux", "Personal Care/Soap", "3401", "18%", 35.5, 72})
	if rep, err := ImportFile(b, "items", first, Options{Today: "2026-01-05"}); err != nil || rep.New != 2 || !rep.Committed {
		t.Fatalf("%+v %v %v", rep, err, errs(rep))
	}
	second := sheet(t, head,
		[]any{"DOVE100", "67004321", "Dove 100g", "Dove", "Personal Care/Soap", 34011190, 5, "58.00", 48},
		[]any{"LUX75", "67001111", "Lux 75g", "Lux", "Personal Care/Soap", "3401", 5, 35.5, 72},
		[]any{"RIN1", "67002222", "Rin 1kg", "Rin", "Home Care", "3402", 18, 99, 12})
	rep, err := ImportFile(b, "items", second, Options{Today: "2026-01-05", DryRun: true})
	if err != nil || len(rep.Errors) != 0 {
		t.Fatal(err, errs(rep))
	}
	var changes []Change
	for _, o := range rep.Records {
		changes = append(changes, o.Change)
	}
	if !reflect.DeepEqual(changes, []Change{Unchanged, Updated, New}) {
		t.Errorf("changes %v", changes)
	}
}

// A brand's own item master: "Brand Sku Code", "Material Description",
// "Pcs/Case" are its words for our Brand SKU, Item Name and Case Size, and
// no brand SKU is dropped.
func TestABrandsOwnHeadersAreRecognised(t *testing.T) {
	b := openBook(t)
	path := sheet(t,
		[]any{"Distributor Code", "Brand Sku Code", "Material Description", "Brand Name", "Product Group", "HSN", "IGST %", "MRP (Rs)", "Pcs/Case"},
		[]any{"DOVE100", "HUL-67004321", "Dove 100g", "Dove", "Personal Care/Soap", 34011190, 5, 58, 48})
	rep, err := ImportFile(b, "items", path, Options{Today: "2026-01-05"})
	if err != nil || rep.New != 1 || len(rep.Warnings) != 0 {
		t.Fatalf("%+v %v %v", rep, err, errs(rep))
	}
	b.View(func(tx *book.Tx) error {
		it, _ := masters.GetItem(tx, "DOVE100")
		if it.BrandCode != "HUL-67004321" || it.Name != "Dove 100g" || it.CaseSize != 48 {
			t.Errorf("read %+v", it)
		}
		return nil
	})
}

// Items carry their barcodes in the template ("Barcode" or "EAN" headers,
// several to a cell); a file without them keeps the barcodes already there.
func TestItemBarcodesImportAndAreKeptWhenTheCellIsEmpty(t *testing.T) {
	b := openBook(t)
	head := []any{"Item Code", "Item Name", "Brand", "Category", "HSN Code", "GST %", "M.R.P.", "EAN"}
	first := sheet(t, head, []any{"DOVE100", "Dove 100g", "Dove", "Personal Care/Soap", 34011190, 5, "58", "8901030865278, 8901030865285"})
	if rep, err := ImportFile(b, "items", first, Options{Today: "2026-01-05"}); err != nil || rep.New != 1 {
		t.Fatalf("%+v %v %v", rep, err, errs(rep))
	}
	again := sheet(t, head, []any{"DOVE100", "Dove 100g", "Dove", "Personal Care/Soap", 34011190, 5, "58", ""})
	if rep, err := ImportFile(b, "items", again, Options{Today: "2026-01-05"}); err != nil || rep.Unchanged != 1 {
		t.Fatalf("%+v %v %v", rep, err, errs(rep))
	}
	b.View(func(tx *book.Tx) error {
		it, _ := masters.GetItem(tx, "DOVE100")
		if !reflect.DeepEqual(it.Barcodes, []string{"8901030865278", "8901030865285"}) || masters.ItemByBarcode(tx, "8901030865285") != "DOVE100" {
			t.Errorf("barcodes %q", it.Barcodes)
		}
		return nil
	})
}

func TestEveryKindHasATemplateThatReadsBackClean(t *testing.T) {
	for _, k := range Kinds() {
		path := filepath.Join(t.TempDir(), k.Name+".xlsx")
		f, _ := os.Create(path)
		if err := Template(k.Name, f); err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		f.Close()
		b := openBook(t)
		if k.applyAll != nil {
			seedShop(t, b) // documents need the items and outlets of their example row
		}
		rep, err := ImportFile(b, k.Name, path, Options{DryRun: true, Today: "2026-11-25"})
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		if k.Wired && len(rep.Errors) > 0 && k.Name != "outlets" {
			t.Errorf("%s template: %v", k.Name, errs(rep))
		}
		if !k.Wired && (len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Reason, "not yet imported")) {
			t.Errorf("%s: %v", k.Name, errs(rep))
		}
	}
}

func openBookB(b *testing.B) *book.Book { return openBook(b) }

// An outlet file with a day column ("Visit Day"): a new beat takes the day
// its rows give ("tue" is Tuesday); a beat whose rows give two days is
// refused on the second row, naming the first; a day that is no day is
// refused as typed; a beat already in the book keeps its own weekday.
func TestANewBeatTakesItsWeekdayFromTheFilesDayColumn(t *testing.T) {
	b := openBook(t)
	if err := b.Update(func(tx *book.Tx) error {
		_, err := masters.CreateBeat(tx, masters.Beat{Code: "OLD-1", Name: "Old", Weekday: "Friday"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	head := []any{"Retailer Code", "Retailer Name", "State", "Route", "Visit Day"}
	bad := sheet(t, head,
		[]any{"OUT1", "Sri Lakshmi Stores", 29, "JAYA-MON", "tue"},
		[]any{"OUT2", "Ganesh Medicals", 29, "JAYA-MON", "Wednesday"},
		[]any{"OUT3", "Balaji Kirana", 29, "BTM", "Funday"})
	dry, err := ImportFile(b, "outlets", bad, Options{DryRun: true, CreateMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"row 3, column Visit Day: Wednesday: beat JAYA-MON is on Tuesday on row 2: a beat has one weekday",
		"row 4, column Visit Day: Funday: use a day of the week (Monday … Sunday)",
	}
	if got := errs(dry); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	good := sheet(t, head,
		[]any{"OUT1", "Sri Lakshmi Stores", 29, "JAYA-MON", "tue"},
		[]any{"OUT2", "Ganesh Medicals", 29, "JAYA-MON", ""},
		[]any{"OUT3", "Balaji Kirana", 29, "OLD-1", "Monday"},
		[]any{"OUT4", "Hotel Udupi", 29, "BTM", ""})
	rep, err := ImportFile(b, "outlets", good, Options{CreateMissing: true})
	if err != nil || !rep.Committed {
		t.Fatalf("import: %+v %v %v", rep, err, errs(rep))
	}
	if !reflect.DeepEqual(rep.NewBeatWeekdays, map[string]string{"BTM": "", "JAYA-MON": "Tuesday"}) ||
		!reflect.DeepEqual(rep.Warnings, []string{"new beat BTM: weekday not set (no Beat Day for it in the file); set it on the Beats screen"}) {
		t.Errorf("weekdays %v warnings %q", rep.NewBeatWeekdays, rep.Warnings)
	}
	b.View(func(tx *book.Tx) error {
		for code, want := range map[string]string{"JAYA-MON": "Tuesday", "BTM": "", "OLD-1": "Friday"} {
			if bt, err := masters.GetBeat(tx, code); err != nil || bt.Weekday != want {
				t.Errorf("beat %s on %q (%v), want %q", code, bt.Weekday, err, want)
			}
		}
		return nil
	})
}

// An outlet file naming beats and salesmen the book lacks: the dry run lists
// them beside the refused rows; asked to, the same import creates them and
// the outlets in one go. The file has no day column, so the new beats have
// no weekday (not one guessed from "JAYA-TUE"), and the dry run says so.
func TestAnOutletFileCreatesItsNewBeatsAndSalesmenWhenAsked(t *testing.T) {
	b := openBook(t)
	path := sheet(t,
		[]any{"Retailer Code", "Retailer Name", "State", "Route", "DSR Code", "Outlet Type"},
		[]any{"OUT1", "Sri Lakshmi Stores", 29, "JAYA-TUE", "S07", "Kirana"},
		[]any{"OUT2", "Ganesh Medicals", 29, "btm-x", "S07", "Van Sales"},
		[]any{"OUT3", "Balaji Kirana", 29, "JAYA-TUE", "", "General Stores"})
	dry, err := ImportFile(b, "outlets", path, Options{DryRun: true})
	if err != nil || len(dry.Errors) == 0 {
		t.Fatalf("new beats are refused unless asked: %+v %v", dry, err)
	}
	if !reflect.DeepEqual(dry.NewBeats, []string{"BTM-X", "JAYA-TUE"}) || !reflect.DeepEqual(dry.NewSalesmen, []string{"S07"}) {
		t.Errorf("dry run lists beats %v salesmen %v", dry.NewBeats, dry.NewSalesmen)
	}
	if !reflect.DeepEqual(dry.NewChannels, []string{"Van Sales"}) { // Kirana and General Stores mean grocery
		t.Errorf("dry run lists channels %v", dry.NewChannels)
	}
	if !reflect.DeepEqual(dry.NewBeatWeekdays, map[string]string{"BTM-X": "", "JAYA-TUE": ""}) ||
		!reflect.DeepEqual(dry.Warnings, []string{"new beat BTM-X: weekday not set (no Beat Day for it in the file); set it on the Beats screen",
			"new beat JAYA-TUE: weekday not set (no Beat Day for it in the file); set it on the Beats screen"}) {
		t.Errorf("dry run weekdays %v warnings %q", dry.NewBeatWeekdays, dry.Warnings)
	}
	dry, err = ImportFile(b, "outlets", path, Options{DryRun: true, CreateMissing: true})
	if err != nil || len(dry.Errors) != 0 || dry.New != 3 || dry.Committed {
		t.Fatalf("dry run creating them: %+v %v %v", dry, err, errs(dry))
	}
	b.View(func(tx *book.Tx) error {
		if _, err := masters.GetBeat(tx, "JAYA-TUE"); err == nil {
			t.Error("a dry run created a beat")
		}
		return nil
	})
	rep, err := ImportFile(b, "outlets", path, Options{CreateMissing: true})
	if err != nil || !rep.Committed || rep.New != 3 || !rep.MissingCreated {
		t.Fatalf("import: %+v %v %v", rep, err, errs(rep))
	}
	b.View(func(tx *book.Tx) error {
		tue, err1 := masters.GetBeat(tx, "JAYA-TUE")
		x, err2 := masters.GetBeat(tx, "BTM-X")
		s, err3 := masters.GetSalesman(tx, "S07")
		if err1 != nil || err2 != nil || err3 != nil || tue.Weekday != "" || x.Weekday != "" || !s.Active {
			t.Errorf("created %+v %+v %+v (%v %v %v)", tue, x, s, err1, err2, err3)
		}
		for code, want := range map[string]string{"OUT1": "grocery", "OUT2": "van_sales", "OUT3": "grocery"} {
			if o, _ := masters.GetOutlet(tx, code); o.Channel != want {
				t.Errorf("%s channel %q, want %q", code, o.Channel, want)
			}
		}
		return nil
	})
}
