package importer

import (
	"strings"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/stock"
)

// seedShop is a Karnataka distributor with the templates' example item and
// outlet.
func seedShop(t *testing.T, b *book.Book) {
	t.Helper()
	err := b.Update(func(tx *book.Tx) error {
		if err := masters.EnsureDefaults(tx); err != nil {
			return err
		}
		g := "29AAAPM1234C1Z"
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "29", GSTIN: g + string(gst.CheckChar(g))}); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "DOVE100", Name: "Dove 100g", Brand: "Dove", Category: "Soap",
			HSN: "34011190", GSTRateBP: 500, MRPPaise: 5800, CaseSize: 48, PricePaise: 4950, Active: true}, "2026-11-25"); err != nil {
			return err
		}
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: "OUT0001", Name: "Sri Lakshmi Stores", StateCode: "29", Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTheBrandsInvoicesComeInAsOneGRNEachAndNotTwice(t *testing.T) {
	b := openBook(t)
	seedShop(t, b)
	file := sheet(t,
		[]any{"Bill No", "Bill Date", "SKU", "Batch No", "Exp", "MRP", "Quantity", "Free", "Purchase Rate", "GST"},
		[]any{"HUL/1", "01-11-2026", "DOVE100", "B1", "31-12-2027", "58", "480", "", "44.10", "5"},
		[]any{"HUL/1", "01-11-2026", "DOVE100", "B2", "31-01-2028", "58", "96", "4", "44.10", "5"},
		[]any{"HUL/2", "02-11-2026", "dove100", "B3", "31-01-2028", "58", "48", "", "44.10", "5"},
	)
	rep, err := ImportFile(b, "purchases", file, Options{Today: "2026-11-25"})
	if err != nil || !rep.Committed || rep.New != 3 {
		t.Fatalf("%+v %v %v", rep, err, errs(rep))
	}
	b.View(func(tx *book.Tx) error {
		if got := stock.ItemTotal(tx, "DOVE100").Qty; got != 480+100+48 {
			t.Errorf("stock %d", got)
		}
		p, err := billing.GetPurchase(tx, "GRN/26-27/000001")
		if err != nil || len(p.Lines) != 2 || p.SupplierInvoiceNo != "HUL/1" {
			t.Errorf("GRN 1: %+v %v", p, err)
		}
		// 96 paid and 4 free at 44.10: the line is worth 96 × 44.10.
		if got := p.Lines[1].TaxablePaise; got != 96*4410 {
			t.Errorf("free goods change the value: %d", got)
		}
		return nil
	})
	again, _ := ImportFile(b, "purchases", file, Options{Today: "2026-11-25"})
	if again.Unchanged != 3 || again.New != 0 || len(again.Errors) != 0 {
		t.Errorf("the same invoices again: %+v", again)
	}
}

func TestAPurchaseFileWithOneBadLinePostsNothing(t *testing.T) {
	b := openBook(t)
	seedShop(t, b)
	file := sheet(t,
		[]any{"Invoice No", "Invoice Date", "Item Code", "Batch", "Expiry", "MRP", "Qty", "Rate", "GST %"},
		[]any{"HUL/1", "01-11-2026", "DOVE100", "B1", "31-12-2027", "58", "480", "44.10", "5"},
		[]any{"HUL/2", "02-11-2026", "NOSUCH", "B2", "31-12-2027", "58", "10", "44.10", "5"},
		[]any{"HUL/3", "02-11-2026", "DOVE100", "B3", "31-12-2027", "58", "-5", "44.10", "5"},
	)
	rep, err := ImportFile(b, "purchases", file, Options{Today: "2026-11-25"})
	if err != nil || rep.Committed {
		t.Fatalf("%+v %v", rep, err)
	}
	got := strings.Join(errs(rep), "\n")
	for _, want := range []string{"row 3, column Item Code", "row 4, column Qty"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	b.View(func(tx *book.Tx) error {
		if q := stock.ItemTotal(tx, "DOVE100").Qty; q != 0 {
			t.Errorf("a failed import left %d in stock", q)
		}
		return nil
	})
}

func TestOpeningStockOrdersAndPricesApplyThroughTheBook(t *testing.T) {
	b := openBook(t)
	seedShop(t, b)
	open := sheet(t,
		[]any{"Item Code", "Batch", "Expiry", "MRP", "Qty", "Cost"},
		[]any{"DOVE100", "OB1", "2027-12-31", "58", "120", "44"},
		[]any{"DOVE100", "OB2", "31/01/28", "58", "60", ""},
	)
	rep, err := ImportFile(b, "opening-stock", open, Options{Today: "2026-11-25"})
	if err != nil || rep.New != 2 || !rep.Committed {
		t.Fatalf("%+v %v %v", rep, err, errs(rep))
	}
	again, _ := ImportFile(b, "opening-stock", open, Options{Today: "2026-11-25", DryRun: true})
	if again.Unchanged != 2 {
		t.Errorf("opening stock again: %+v %v", again, errs(again))
	}
	orders := sheet(t,
		[]any{"Order No", "Date", "Retailer Code", "SKU", "Qty"},
		[]any{"ORD-1", "25-11-2026", "OUT0001", "DOVE100", "24"},
		[]any{"ORD-1", "25-11-2026", "OUT0001", "DOVE100", "12"},
	)
	rep, _ = ImportFile(b, "orders", orders, Options{Today: "2026-11-25"})
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "row 3") {
		t.Errorf("the same item twice on an order: %v", errs(rep))
	}
	orders = sheet(t,
		[]any{"Order No", "Date", "Retailer Code", "SKU", "Qty"},
		[]any{"ORD-1", "25-11-2026", "OUT0001", "DOVE100", "24"},
	)
	rep, _ = ImportFile(b, "orders", orders, Options{Today: "2026-11-25"})
	if rep.New != 1 || !rep.Committed {
		t.Errorf("order: %+v %v", rep, errs(rep))
	}
	if rep, _ = ImportFile(b, "orders", orders, Options{Today: "2026-11-25"}); rep.Unchanged != 1 {
		t.Errorf("order again: %+v", rep)
	}
	prices := sheet(t, []any{"Price List", "Item Code", "PTR"}, []any{"RETAIL", "DOVE100", "51.25"})
	rep, _ = ImportFile(b, "price-lists", prices, Options{Today: "2026-11-25"})
	if rep.Updated != 1 || !rep.Committed {
		t.Errorf("price: %+v %v", rep, errs(rep))
	}
	b.View(func(tx *book.Tx) error {
		it, _ := masters.GetItem(tx, "DOVE100")
		if it.PricePaise != 5125 {
			t.Errorf("price %d", it.PricePaise)
		}
		if q := stock.ItemTotal(tx, "DOVE100").Qty; q != 180 {
			t.Errorf("opening stock %d", q)
		}
		return nil
	})
}
