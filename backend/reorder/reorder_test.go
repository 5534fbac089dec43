package reorder

import (
	"path/filepath"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

const on = cal.Date("2026-11-25")

// brandShop is a book with two Britannia SKUs (cases of 24) and a HUL one:
// GD200 has 200 good units and 30 expiring within the 60 near-expiry days,
// sold 50 before the 30-day window and 90 in it.
func brandShop(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	do := func(fn func(tx *book.Tx) error) {
		t.Helper()
		if err := b.Update(fn); err != nil {
			t.Fatal(err)
		}
	}
	do(func(tx *book.Tx) error {
		if err := masters.EnsureDefaults(tx); err != nil {
			return err
		}
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33"}); err != nil {
			return err
		}
		for _, it := range []masters.Item{
			{Code: "GD200", BrandCode: "BRT-GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits", HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true},
			{Code: "MARIE", BrandCode: "BRT-MARIE", Name: "Marie Gold 250g", Brand: "Britannia", Category: "Biscuits", HSN: "19053100", GSTRateBP: 500, MRPPaise: 3000, CaseSize: 36, PricePaise: 2500, Active: true},
			{Code: "SOAP75", Name: "Lux Soap 75g", Brand: "HUL", Category: "Soap", HSN: "34011190", GSTRateBP: 1800, MRPPaise: 3500, CaseSize: 48, PricePaise: 2850, Active: true},
		} {
			if _, err := masters.CreateItem(tx, it, on); err != nil {
				return err
			}
		}
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: "TN02", Name: "Anna Kirana", StateCode: "33", Active: true})
		return err
	})
	do(func(tx *book.Tx) error {
		_, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/1", Date: "2026-10-01", Lines: []billing.PurchaseLineInput{
			{Item: "GD200", Batch: "A", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 200, RatePaise: 2500},
			{Item: "GD200", Batch: "N", Expiry: "2026-12-20", MRPPaise: 4000, Qty: 30, RatePaise: 2500},
			{Item: "SOAP75", Batch: "S", Expiry: "2027-12-31", MRPPaise: 3500, Qty: 10, RatePaise: 2000},
		}})
		return err
	})
	for _, s := range []struct {
		d   cal.Date
		qty money.Qty
	}{{"2026-10-20", 50}, {"2026-10-27", 40}, {"2026-11-25", 50}, {"2026-11-20", 5}} {
		do(func(tx *book.Tx) error {
			lines := []billing.LineInput{{Item: "GD200", Qty: s.qty, Batch: "A"}}
			if s.qty == 5 {
				lines = []billing.LineInput{{Item: "SOAP75", Qty: 5}}
			}
			_, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "TN02", Date: s.d, Lines: lines})
			return err
		})
	}
	return b
}

func suggestion(t *testing.T, b *book.Book, p Params) Suggestion {
	t.Helper()
	var s Suggestion
	if err := b.View(func(tx *book.Tx) (err error) { s, err = Suggest(tx, p); return err }); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTheSuggestionBringsUsableStockToTheDaysOfCoverInWholeCases(t *testing.T) {
	b := brandShop(t)
	s := suggestion(t, b, Params{Brand: "britannia", On: on})
	if len(s.Lines) != 2 || !s.PendingOrders || s.Note != PendingOrdersNote || s.WindowDays != 30 {
		t.Fatalf("two Britannia SKUs, pending orders subtracted and said so: %+v", s)
	}
	gd := s.Lines[0]
	// 90 sold in the 30 days to 25-11 (the 50 of 20-10 is before): 3 a day;
	// 21 days (the company's default) is 63; 60 usable (30 near expiry
	// left out) leaves 3 short: one case of 24.
	if gd.Item != "GD200" || gd.Sold != 90 || gd.AvgDaily != 3 || gd.Stock != 60 || gd.NearExpiryQty != 30 ||
		gd.CoverDays != 21 || gd.CoverFrom != "company" || gd.TargetQty != 63 || gd.SuggestedQty != 24 || gd.Cases != 1 {
		t.Fatalf("GD200: %+v", gd)
	}
	if m := s.Lines[1]; m.Item != "MARIE" || m.Sold != 0 || m.SuggestedQty != 0 {
		t.Fatalf("nothing sold, nothing suggested: %+v", m)
	}
	// 45 days asked for: 135 less 60 is 75, four cases.
	if gd := suggestion(t, b, Params{Brand: "Britannia", On: on, CoverDays: 45}).Lines[0]; gd.SuggestedQty != 96 || gd.CoverFrom != "request" {
		t.Fatalf("45 days: %+v", gd)
	}
	// a 10-day window: 50 sold, 5 a day; 21 days is 105, 45 short: two cases.
	if gd := suggestion(t, b, Params{Brand: "Britannia", On: on, WindowDays: 10}).Lines[0]; gd.Sold != 50 || gd.SuggestedQty != 48 {
		t.Fatalf("10-day window: %+v", gd)
	}
}

func TestTheSKUsTargetWinsOverTheBrandsWhichWinsOverTheCompanys(t *testing.T) {
	b := brandShop(t)
	put := func(c Cover) {
		t.Helper()
		if err := b.Update(func(tx *book.Tx) error { _, err := PutCover(tx, c); return err }); err != nil {
			t.Fatal(err)
		}
	}
	put(Cover{Brand: "Britannia", Days: 30}) // 90 less 60: 30 short, two cases
	if gd := suggestion(t, b, Params{Brand: "Britannia", On: on}).Lines[0]; gd.CoverFrom != "brand" || gd.SuggestedQty != 48 {
		t.Fatalf("the brand's 30 days: %+v", gd)
	}
	put(Cover{Item: "gd200", Days: 10}) // 30 wanted, 60 on hand
	if gd := suggestion(t, b, Params{Brand: "Britannia", On: on}).Lines[0]; gd.CoverFrom != "item" || gd.TargetQty != 30 || gd.SuggestedQty != 0 {
		t.Fatalf("the SKU's 10 days: %+v", gd)
	}
	put(Cover{Item: "GD200", Days: 0})
	if gd := suggestion(t, b, Params{Brand: "Britannia", On: on}).Lines[0]; gd.CoverFrom != "brand" {
		t.Fatalf("0 drops the SKU's target: %+v", gd)
	}
	var covers []Cover
	b.View(func(tx *book.Tx) (err error) { covers, err = Covers(tx); return err })
	if len(covers) != 1 || covers[0].Brand != "britannia" || covers[0].Days != 30 {
		t.Fatalf("covers kept: %+v", covers)
	}
}

func TestABadRequestNamesItsField(t *testing.T) {
	b := brandShop(t)
	for _, c := range []struct {
		p     Params
		field string
		kind  fail.Kind
	}{
		{Params{On: on}, "brand", fail.KindInvalid},
		{Params{Brand: "Britannia", On: on, CoverDays: 366}, "cover_days", fail.KindInvalid},
		{Params{Brand: "Britannia", On: on, WindowDays: -1}, "window_days", fail.KindInvalid},
		{Params{Brand: "Parle", On: on}, "", fail.KindNotFound},
	} {
		err := b.View(func(tx *book.Tx) error { _, err := Suggest(tx, c.p); return err })
		if e, ok := fail.As(err); !ok || e.Kind != c.kind || e.Field != c.field {
			t.Errorf("%+v: %v", c.p, err)
		}
	}
	err := b.Update(func(tx *book.Tx) error { _, err := PutCover(tx, Cover{Brand: "X", Item: "GD200", Days: 3}); return err })
	if e, ok := fail.As(err); !ok || e.Field != "brand" {
		t.Errorf("both a brand and an item: %v", err)
	}
}

// The rule on its own: the least whole cases that reach the target.
func TestSuggestIsTheLeastWholeCasesThatReachTheTarget(t *testing.T) {
	for _, c := range []struct {
		sold         money.Qty
		window, days int
		have         money.Qty
		cs           int64
		target, qty  money.Qty
	}{
		{90, 30, 21, 60, 24, 63, 24},
		{90, 30, 21, 63, 24, 63, 0},  // exactly covered
		{90, 30, 21, 39, 24, 63, 24}, // 24 short: one case exactly
		{90, 30, 21, 38, 24, 63, 48}, // 25 short: two
		{1, 30, 1, 0, 12, 1, 12},     // a thirtieth of a unit a day still wants one
		{0, 30, 21, 0, 24, 0, 0},
		{90, 30, 21, -10, 1, 63, 73}, // negative stock is a shortfall too
	} {
		target, qty := suggest(c.sold, c.window, c.days, c.have, c.cs)
		if target != c.target || qty != c.qty {
			t.Errorf("%+v: target %d, qty %d", c, target, qty)
		}
	}
}
