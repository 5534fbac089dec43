package masters

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

const today = "2026-11-25"

func testBook(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Update(EnsureDefaults); err != nil {
		t.Fatal(err)
	}
	return b
}

func goodDay() Item {
	return Item{Code: "gd200", BrandCode: "BRT-GD-200", Name: "Good Day Cashew 200g", Brand: "Britannia",
		Category: "Biscuits/Cookies", HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := fail.As(err)
	if !ok || e.Field != field {
		t.Fatalf("want an error on %s, got %v", field, err)
	}
}

func TestAnItemKeepsItsGSTRateHistory(t *testing.T) {
	b := testBook(t)
	err := b.Update(func(tx *book.Tx) error {
		it, err := CreateItem(tx, goodDay(), "2025-09-01")
		if err != nil {
			return err
		}
		if it.Code != "GD200" || it.RateOn("2020-01-01") != 500 {
			t.Fatalf("%+v", it)
		}
		it.GSTRateBP = 1800
		it, err = UpdateItem(tx, it, today)
		if err != nil {
			return err
		}
		if it.RateOn("2026-11-24") != 500 || it.RateOn(today) != 1800 || it.GSTRateBP != 1800 || len(it.GSTRates) != 2 {
			t.Fatalf("history %+v", it.GSTRates)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBadItemsAreRefusedWithTheField(t *testing.T) {
	b := testBook(t)
	b.Update(func(tx *book.Tx) error {
		cases := map[string]func(*Item){
			"hsn":         func(i *Item) { i.HSN = "19A5" },
			"mrp_paise":   func(i *Item) { i.MRPPaise = 0 },
			"category":    func(i *Item) { i.Category = "Biscuits//Cream" },
			"code":        func(i *Item) { i.Code = "GOOD DAY" },
			"gst_rate_bp": func(i *Item) { i.GSTRateBP = 0; i.HSN = "" },
		}
		for field, spoil := range cases {
			it := goodDay()
			spoil(&it)
			_, err := CreateItem(tx, it, today)
			if field == "gst_rate_bp" {
				wantField(t, err, "hsn")
				continue
			}
			wantField(t, err, field)
		}
		it := goodDay()
		it.GSTRateBP = 1500
		_, err := CreateItem(tx, it, today)
		wantField(t, err, "gst_rates[0].rate_bp")
		return nil
	})
}

func TestDuplicateCodesConflictAndNothingIsWritten(t *testing.T) {
	b := testBook(t)
	b.Update(func(tx *book.Tx) error { _, err := CreateItem(tx, goodDay(), today); return err })
	err := b.Update(func(tx *book.Tx) error { _, err := CreateItem(tx, goodDay(), today); return err })
	if !fail.Is(err, fail.KindConflict) {
		t.Fatalf("got %v", err)
	}
}

func TestAnOutletsGSTINMustBelongToItsState(t *testing.T) {
	b := testBook(t)
	err := b.Update(func(tx *book.Tx) error {
		if _, err := CreateBeat(tx, Beat{Code: "BEAT-MON-01", Name: "Jayanagar", Weekday: "mon"}); err != nil {
			return err
		}
		o := Outlet{Code: "SLS01", Name: "Sri Lakshmi Stores", StateCode: "33", GSTIN: "29ABCDE1234F1ZW", Beat: "beat-mon-01", Active: true}
		_, err := CreateOutlet(tx, o)
		wantField(t, err, "gstin")
		o.StateCode = "29"
		o.GSTIN = "29ABCDE1234F1ZX"
		_, err = CreateOutlet(tx, o)
		if e, _ := fail.As(err); e == nil || e.Reason != "GSTIN 29ABCDE1234F1ZX: the last character should be W" {
			t.Fatalf("got %v", err)
		}
		o.GSTIN = "29ABCDE1234F1ZW"
		o.Beat = "NOPE"
		_, err = CreateOutlet(tx, o)
		wantField(t, err, "beat")
		o.Beat = "BEAT-MON-01"
		_, err = CreateOutlet(tx, o)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *book.Tx) error {
		got, _ := ListOutlets(tx, OutletFilter{Q: "lakshmi"})
		if len(got) != 1 || got[0].Beat != "BEAT-MON-01" || got[0].Channel != "grocery" {
			t.Fatalf("%+v", got)
		}
		bt, _ := GetBeat(tx, "beat-mon-01")
		if bt.Weekday != "Monday" {
			t.Fatal(bt.Weekday)
		}
		log, _ := tx.AuditLog(0, 0, nil)
		if len(log) != 4 { // 2 godowns, beat, outlet
			t.Fatalf("audit has %d entries", len(log))
		}
		return nil
	})
}

func TestNestedCategories(t *testing.T) {
	if !InCategory("Biscuits/Cream", "biscuits") || InCategory("BiscuitsX", "Biscuits") || !InCategory("Biscuits", "Biscuits") {
		t.Fatal("nesting")
	}
}

func TestCompanyProfile(t *testing.T) {
	b := testBook(t)
	b.Update(func(tx *book.Tx) error {
		_, err := PutCompany(tx, Company{Name: "Vijaya Agencies", StateCode: "33", GSTIN: "29ABCDE1234F1ZW"})
		wantField(t, err, "gstin")
		_, err = PutCompany(tx, Company{Name: "Vijaya Agencies", StateCode: "29", GSTIN: "29ABCDE1234F1ZW", InvoicePrefix: "INVOICE"})
		wantField(t, err, "invoice_prefix")
		c, err := PutCompany(tx, Company{Name: "Vijaya Agencies", StateCode: "29", GSTIN: "29ABCDE1234F1ZW"})
		if err != nil || c.FYStartMonth != 4 || c.InvoicePrefix != "SI" {
			t.Fatalf("%+v %v", c, err)
		}
		return nil
	})
}

func TestTheIRPSecretsAreStoredButShownOnlyByTheirLastFourCharacters(t *testing.T) {
	b := testBook(t)
	co := Company{Name: "Vijaya Agencies", Address: "12 MG Road", City: "Bengaluru", Pincode: "560001", StateCode: "29", GSTIN: "29ABCDE1234F1ZW"}
	co.EInvoice, co.IRPURL, co.IRPUsername = "api", "https://irp.example", "vijaya_api"
	err := b.Update(func(tx *book.Tx) error {
		_, err := PutCompany(tx, co)
		wantField(t, err, "irp_password") // api without the secrets
		co.IRPPassword, co.IRPClientID, co.IRPClientSecret = "pass-1234", "client-ABCD", "secret-WXYZ"
		c, err := PutCompany(tx, co)
		if err != nil {
			return err
		}
		if c.IRPPassword != "" || c.IRPPasswordHint != "…1234" || c.IRPClientIDHint != "…ABCD" || c.IRPClientSecretHint != "…WXYZ" {
			t.Fatalf("shown %+v", c.GSTSettings)
		}
		// Saving the profile back with the hints keeps the secrets.
		c.HSNDigits = 6
		c.IRPPassword = c.IRPPasswordHint
		if _, err := PutCompany(tx, c); err != nil {
			return err
		}
		s, _ := GetIRPSecrets(tx)
		if s != (IRPSecrets{Password: "pass-1234", ClientID: "client-ABCD", ClientSecret: "secret-WXYZ"}) {
			t.Fatalf("secrets %+v", s)
		}
		got, _ := GetCompany(tx)
		if got.HSNDigits != 6 || got.EWayBillThresholdPaise != 50_000_00 || got.IRPClientSecret != "" || got.IRPClientSecretHint != "…WXYZ" {
			t.Fatalf("profile %+v", got.GSTSettings)
		}
		log, err := tx.AuditLog(0, 0, nil)
		for _, e := range log {
			if strings.Contains(string(mustJSON(e)), "pass-1234") {
				t.Fatalf("a secret reached the audit log: %s", mustJSON(e))
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bad := co
	bad.Pincode = "600001"
	b.Update(func(tx *book.Tx) error { _, err := PutCompany(tx, bad); wantField(t, err, "pincode"); return nil })
	bad = co
	bad.HSNDigits = 8
	b.Update(func(tx *book.Tx) error { _, err := PutCompany(tx, bad); wantField(t, err, "hsn_digits"); return nil })
	bad = co
	bad.City = ""
	b.Update(func(tx *book.Tx) error { _, err := PutCompany(tx, bad); wantField(t, err, "city"); return nil })
}

func TestAnOutletsPINMustBelongToItsState(t *testing.T) {
	o := Outlet{Code: "O1", Name: "Sri Lakshmi Stores", StateCode: "29", City: "Bengaluru", Pincode: "600001"}
	wantField(t, o.Validate(), "pincode")
	o.Pincode = "560011"
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }
