package billing

import (
	"path/filepath"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// GSTIN builds a valid GSTIN for a state from a PAN.
func GSTIN(state, pan string) string {
	s := state + pan + "1Z"
	return s + string(gst.CheckChar(s))
}

const day = cal.Date("2026-11-25")

// shop opens a book for a Tamil Nadu distributor with three items and
// outlets in Tamil Nadu (registered and not) and Karnataka.
func shop(t testing.TB) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	err = b.Update(func(tx *book.Tx) error {
		if err := masters.EnsureDefaults(tx); err != nil {
			return err
		}
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33", GSTIN: GSTIN("33", "AAAPM1234C")}); err != nil {
			return err
		}
		for _, it := range []masters.Item{
			{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits/Cookies", HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true},
			{Code: "SOAP75", Name: "Lux Soap 75g", Brand: "HUL", Category: "Personal Care/Soap", HSN: "34011190", GSTRateBP: 1800, MRPPaise: 3500, CaseSize: 48, PricePaise: 2850, Active: true},
			{Code: "COLA", Name: "Cola 600ml", Brand: "Fizz", Category: "Beverages", HSN: "22021010", GSTRateBP: 4000, GSTRates: []masters.RateFrom{{From: "2017-07-01", RateBP: 2800}, {From: "2025-09-22", RateBP: 4000}}, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true},
		} {
			if _, err := masters.CreateItem(tx, it, day); err != nil {
				return err
			}
		}
		if _, err := masters.CreateBeat(tx, masters.Beat{Code: "MON-01", Name: "T Nagar", Weekday: "Monday"}); err != nil {
			return err
		}
		if _, err := masters.CreateSalesman(tx, masters.Salesman{Code: "S1", Name: "Ravi", Active: true}); err != nil {
			return err
		}
		for _, o := range []masters.Outlet{
			{Code: "SLS01", Name: "Sri Lakshmi Stores", StateCode: "33", GSTIN: GSTIN("33", "ABCDE1234F"), Beat: "MON-01", Salesman: "S1", Active: true},
			{Code: "KAR01", Name: "Bengaluru Mart", StateCode: "29", GSTIN: GSTIN("29", "ABCDE1234F"), Active: true},
			{Code: "KAR02", Name: "Hosur Road Kirana", StateCode: "29", Active: true},
			{Code: "TN02", Name: "Anna Kirana", StateCode: "33", Active: true},
		} {
			if _, err := masters.CreateOutlet(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func update[T any](t testing.TB, b *book.Book, fn func(tx *book.Tx) (T, error)) (T, error) {
	t.Helper()
	var out T
	err := b.UpdateAs(book.Actor{User: "clerk", Role: "billing"}, func(tx *book.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func receive(t testing.TB, b *book.Book, no string, lines ...PurchaseLineInput) Purchase {
	t.Helper()
	return must[Purchase](t)(update(t, b, func(tx *book.Tx) (Purchase, error) {
		return PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: no, Date: "2026-11-01", Lines: lines})
	}))
}

func bill(t testing.TB, b *book.Book, in InvoiceInput) (Invoice, error) {
	t.Helper()
	return update(t, b, func(tx *book.Tx) (Invoice, error) { return PostInvoice(tx, in) })
}

func checkBook(t testing.TB, b *book.Book) {
	t.Helper()
	b.View(func(tx *book.Tx) error {
		probs, err := Check(tx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			t.Error("check: " + p)
		}
		return nil
	})
}

func wantKind(t *testing.T, err error, k fail.Kind, field string) {
	t.Helper()
	e, ok := fail.As(err)
	if !ok || e.Kind != k || (field != "" && e.Field != field) {
		t.Fatalf("want kind %d on %q, got %v", k, field, err)
	}
}

func gd(batch string, exp cal.Date, qty money.Qty) PurchaseLineInput {
	return PurchaseLineInput{Item: "GD200", Batch: batch, Expiry: exp, MRPPaise: 4000, Qty: qty, RatePaise: 2500}
}

func TestAnIntraStateSaleChargesCGSTAndSGSTHalfEach(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 30, DiscountBP: 1000}}}))
	l := inv.Lines[0]
	// 30 × ₹30 = ₹900, less 10 % = ₹810 taxable, 2.5 % + 2.5 % = ₹20.25 each
	if l.TaxablePaise != 81000 || l.CGSTPaise != 2025 || l.SGSTPaise != 2025 || l.IGSTPaise != 0 {
		t.Fatalf("line %+v", l)
	}
	if inv.TaxablePaise != 81000 || inv.TotalPaise != 85100 || inv.RoundOffPaise != 50 {
		t.Fatalf("totals %+v", inv.Totals)
	}
	if inv.Number != "SI/26-27/000001" || len(inv.Number) > 16 {
		t.Fatalf("number %s", inv.Number)
	}
	checkBook(t, b)
}

func TestAnInterStateSaleToAKarnatakaGSTINFromTamilNaduChargesIGST(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", PurchaseLineInput{Item: "SOAP75", Batch: "L1", Expiry: "2028-01-31", MRPPaise: 3500, Qty: 480, RatePaise: 2400})
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "KAR01", Date: day, Lines: []LineInput{{Item: "SOAP75", Qty: 48}}}))
	l := inv.Lines[0]
	// 48 × ₹28.50 = ₹1,368 at 18 % IGST = ₹246.24
	if !inv.InterState || l.TaxablePaise != 136800 || l.IGSTPaise != 24624 || l.CGSTPaise != 0 || l.SGSTPaise != 0 {
		t.Fatalf("line %+v", l)
	}
	if inv.TotalPaise != 161400 || inv.RoundOffPaise != -24 {
		t.Fatalf("totals %+v", inv.Totals)
	}
}

func TestAnUnregisteredOutletUsesItsOwnState(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
	ka := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "KAR02", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10}}}))
	tn := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "TN02", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 10}}}))
	if !ka.InterState || ka.IGSTPaise != 1500 || tn.InterState || tn.CGSTPaise != 750 || tn.SGSTPaise != 750 {
		t.Fatalf("KA %+v / TN %+v", ka.Totals, tn.Totals)
	}
}

func TestTheRateIsTheOneInForceOnTheInvoiceDate(t *testing.T) {
	b := shop(t)
	receive(t, b, "F/1", PurchaseLineInput{Item: "COLA", Batch: "C1", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 100, RatePaise: 2000})
	before := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: "2025-09-21", Lines: []LineInput{{Item: "COLA", Qty: 10}}}))
	after := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: "2025-09-22", Lines: []LineInput{{Item: "COLA", Qty: 10}}}))
	if before.Lines[0].GSTRateBP != 2800 || before.CGSTPaise != 4200 || after.Lines[0].GSTRateBP != 4000 || after.CGSTPaise != 6000 {
		t.Fatalf("before %+v after %+v", before.Lines[0], after.Lines[0])
	}
	if before.Number != "SI/25-26/000001" || after.Number != "SI/25-26/000002" {
		t.Fatalf("numbers %s %s", before.Number, after.Number)
	}
}

func TestFEFOTakesTheBatchExpiringFirstAndSplitsWhenItIsShort(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("LATE", "2027-12-31", 100), gd("EARLY", "2027-03-31", 20), gd("MID", "2027-06-30", 50))
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 45}}}))
	p := inv.Lines[0].Batches
	if len(p) != 2 || p[0].Batch != "EARLY" || p[0].Qty != 20 || p[1].Batch != "MID" || p[1].Qty != 25 {
		t.Fatalf("picks %+v", p)
	}
	b.View(func(tx *book.Tx) error {
		s, _ := stock.Summary(tx, "GD200")
		if s[0].Qty != 125 || s[0].Value != 125*2500 {
			t.Fatalf("stock %+v", s[0])
		}
		return nil
	})
	checkBook(t, b)
}

func TestAnExpiredBatchIsNeverSold(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("OLD", "2026-11-24", 100), gd("NEW", "2027-06-30", 10))
	_, err := bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 15}}})
	wantKind(t, err, fail.KindConflict, "lines[0].qty")
	if e, _ := fail.As(err); e.Reason != "GD200: 10 in stock (not expired), 5 short" {
		t.Fatalf("reason %q", e.Reason)
	}
	_, err = bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 1, Batch: "OLD"}}})
	wantKind(t, err, fail.KindInvalid, "lines[0].batch")
	// on its last day it still sells
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: "2026-11-24", Lines: []LineInput{{Item: "GD200", Qty: 5}}}))
	if inv.Lines[0].Batches[0].Batch != "OLD" {
		t.Fatalf("%+v", inv.Lines[0].Batches)
	}
	checkBook(t, b)
}

func TestAnExplicitBatchIsTakenFromThatBatch(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("A", "2027-03-31", 10), gd("B", "2027-06-30", 10))
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 4, Batch: "B"}}}))
	if p := inv.Lines[0].Batches; len(p) != 1 || p[0].Batch != "B" || p[0].Qty != 4 {
		t.Fatalf("%+v", p)
	}
}

func TestStockCannotGoNegativeUnlessTheCompanyAllowsIt(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 10))
	in := InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 12}}}
	_, err := bill(t, b, in)
	wantKind(t, err, fail.KindConflict, "lines[0].qty")
	// nothing was written: the next invoice still gets number 1
	must[any](t)(update(t, b, func(tx *book.Tx) (any, error) {
		co, _ := masters.GetCompany(tx)
		co.AllowNegativeStock = true
		return masters.PutCompany(tx, co)
	}))
	inv := must[Invoice](t)(bill(t, b, in))
	if inv.Number != "SI/26-27/000001" {
		t.Fatalf("number %s", inv.Number)
	}
	b.View(func(tx *book.Tx) error {
		if q := stock.ItemTotal(tx, "GD200").Qty; q != -2 {
			t.Fatalf("stock %d", q)
		}
		return nil
	})
	checkBook(t, b)
}

func TestTheSameSupplierInvoiceTwiceIsRefused(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/77", gd("B1", "2027-06-30", 10))
	_, err := update(t, b, func(tx *book.Tx) (Purchase, error) {
		return PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: "brt/77", Date: "2026-11-02", Lines: []PurchaseLineInput{gd("B2", "2027-06-30", 10)}})
	})
	wantKind(t, err, fail.KindConflict, "supplier_invoice_no")
}

func TestAPurchaseSplitsGSTInput(t *testing.T) {
	b := shop(t)
	p := receive(t, b, "BRT/1", gd("B1", "2027-06-30", 240))
	// 240 × ₹25 = ₹6,000 at 5 %: ₹150 + ₹150
	if p.Number != "GRN/26-27/000001" || p.TaxablePaise != 600000 || p.CGSTPaise != 15000 || p.SGSTPaise != 15000 || p.TotalPaise != 630000 {
		t.Fatalf("%+v", p)
	}
}

func TestPreviewComputesWhatPostingPostsAndWritesNothing(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2026-12-10", 10))
	in := InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 12}}}
	var pv Invoice
	b.View(func(tx *book.Tx) error { pv = must[Invoice](t)(Preview(tx, in)); return nil })
	kinds := map[string]bool{}
	for _, w := range pv.Warnings {
		kinds[w.Kind] = true
	}
	if !kinds["short_stock"] || !kinds["near_expiry"] || pv.Number != "" {
		t.Fatalf("warnings %+v", pv.Warnings)
	}
	in.Lines[0].Qty = 10
	b.View(func(tx *book.Tx) error { pv = must[Invoice](t)(Preview(tx, in)); return nil })
	inv := must[Invoice](t)(bill(t, b, in))
	if pv.TotalPaise != inv.TotalPaise || pv.CGSTPaise != inv.CGSTPaise {
		t.Fatalf("preview %+v post %+v", pv.Totals, inv.Totals)
	}
}

func TestCancellingReversesStockAndKeepsTheNumber(t *testing.T) {
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 100))
	inv := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 30}}}))
	c := must[Invoice](t)(update(t, b, func(tx *book.Tx) (Invoice, error) { return CancelInvoice(tx, inv.Number, "wrong outlet", day) }))
	if c.Status != StatusCancelled || c.Cancellation.Reason != "wrong outlet" {
		t.Fatalf("%+v", c)
	}
	_, err := update(t, b, func(tx *book.Tx) (Invoice, error) { return CancelInvoice(tx, inv.Number, "again", day) })
	wantKind(t, err, fail.KindConflict, "number")
	next := must[Invoice](t)(bill(t, b, InvoiceInput{Outlet: "SLS01", Date: day, Lines: []LineInput{{Item: "GD200", Qty: 1}}}))
	if next.Number != "SI/26-27/000002" {
		t.Fatalf("next %s", next.Number)
	}
	b.View(func(tx *book.Tx) error {
		if q := stock.ItemTotal(tx, "GD200").Qty; q != 99 {
			t.Fatalf("stock %d", q)
		}
		return nil
	})
	checkBook(t, b)
}
