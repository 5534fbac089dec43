package app

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// restoreShop opens an app in dir with one item in stock and one outlet,
// uploading to the head office at url as D001 with key.
func restoreShop(t *testing.T, dir, url, key string) *App {
	t.Helper()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33", GSTIN: testGSTIN("33", "AAAPM1234C")}); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "SLS01", Name: "Sri Lakshmi Stores", StateCode: "33", Active: true, CreditLimitPaise: 10000000}); err != nil {
			return err
		}
		_, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/1", Date: "2026-11-01",
			Lines: []billing.PurchaseLineInput{{Item: "GD200", Batch: "B1", Expiry: "2027-06-30", MRPPaise: 4000, Qty: 500, RatePaise: 2500}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := WithCaller(context.Background(), Caller{User: "admin", Role: RoleAdmin, From: "test"})
	if _, err := a.SetUploadSettings(admin, UploadSettings{URL: url, DistributorCode: "D001", Key: key}); err != nil {
		t.Fatal(err)
	}
	return a
}

var clerk = WithCaller(context.Background(), Caller{User: "ravi", Role: RoleBilling, From: "test"})

func bill(t *testing.T, a *App, qty int) billing.Invoice {
	t.Helper()
	inv, err := a.PostInvoice(clerk, billing.InvoiceInput{Outlet: "SLS01", Date: cal.MustParse("2026-11-25"), Lines: []billing.LineInput{{Item: "GD200", Qty: moneyQty(qty)}}})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// Back up, bill, upload, restore the backup, bill again: the new sale takes
// a new number, head office takes the next upload, and the restore says
// which sale was lost and that head office holds it.
func TestARestoreNeverForksHistory(t *testing.T) {
	_, key, ho := testHeadOffice(t, headoffice.ReceiverOptions{})

	dir := t.TempDir()
	a := restoreShop(t, dir, ho.URL, key)
	first := bill(t, a, 10)
	if rep, err := a.UploadNow(context.Background()); err != nil || len(rep.Sent) != 1 {
		t.Fatalf("first upload %+v %v", rep, err)
	}
	saved := filepath.Join(t.TempDir(), "before.book")
	if err := a.Book.BackupFile(saved); err != nil {
		t.Fatal(err)
	}
	lost := bill(t, a, 7) // printed, uploaded, then lost by the restore
	if rep, err := a.UploadNow(context.Background()); err != nil || len(rep.Sent) != 1 {
		t.Fatalf("second upload %+v %v", rep, err)
	}
	a.Close()

	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	rep, err := RestoreWith(dir, saved, RestoreOptions{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	series, n, _ := billing.SeriesOfNumber(lost.Number)
	if rep.NumberingHeld || rep.Next[series] != n+1 || len(rep.Lost) != 1 || rep.Lost[0].Number != lost.Number || rep.Lost[0].AtHeadOffice != "yes" {
		t.Fatalf("report %+v", rep)
	}
	words := strings.Join(rep.Summary, "\n")
	for _, w := range []string{"lost: invoice " + lost.Number + " (at head office)", "1 reached head office", "next " + lost.Number[:len(lost.Number)-6]} {
		if !strings.Contains(words, w) {
			t.Errorf("the report does not say %q:\n%s", w, words)
		}
	}
	if _, err := os.Stat(rep.KeptAs); err != nil {
		t.Errorf("the replaced book was not kept: %v", err)
	}

	a, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	again := bill(t, a, 3)
	if again.Number == lost.Number || again.Number <= lost.Number || again.Number <= first.Number {
		t.Fatalf("after the restore the sale took %s (lost %s)", again.Number, lost.Number)
	}
	up, err := a.UploadNow(context.Background())
	if err != nil || len(up.Sent) != 1 || up.Waiting != 0 {
		t.Fatalf("upload after the restore: %+v %v", up, err)
	}
	if !strings.Contains(up.Sent[0], "-"+rep.Incarnation+"-") {
		t.Errorf("batch id %s does not carry the incarnation %s", up.Sent[0], rep.Incarnation)
	}
	st, err := a.RestoreStatus()
	if err != nil || st.Restore == nil || st.Restore.Incarnation != rep.Incarnation || st.NumberingHeld {
		t.Fatalf("status %+v %v", st, err)
	}
	// vitaran check: the number the restore passed over is its gap, not a
	// document lost from this book.
	if cr, err := CheckBook(a.Book); err != nil || !cr.OK() {
		t.Fatalf("check after the restore: %v %v", cr.Problems, err)
	}
}

// Restored where there is no book to compare with (a new PC): nothing is
// numbered until a person confirms the next number; then billing resumes
// there.
func TestARestoreWithNothingToCompareHoldsNumberingUntilConfirmed(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	store, key, ho := testHeadOffice(t, headoffice.ReceiverOptions{Now: func() time.Time { return at }})

	dir := t.TempDir()
	a := restoreShop(t, dir, ho.URL, key)
	bill(t, a, 1)
	saved := filepath.Join(t.TempDir(), "before.book")
	if err := a.Book.BackupFile(saved); err != nil {
		t.Fatal(err)
	}
	// Two more invoices reach head office after the backup.
	var sent []wire.SalesLine
	for range 2 {
		inv := bill(t, a, 2)
		sent = append(sent, wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: inv.Number, InvoiceDate: inv.Date, LineNo: 1, OutletCode: "SLS01", SKUCode: "GD200", Qty: 2, RatePaise: 3000, TaxablePaise: 6000})
	}
	b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: "B1", Kind: wire.KindDelta, PeriodFrom: "2026-11-25", PeriodTo: "2026-11-25", CreatedAt: at}, SalesLines: sent}
	body, _ := b.Encode()
	dec, err := wire.DecodeBatch(body, wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Ingest(dec, at); err != nil {
		t.Fatal(err)
	}
	a.Close()

	fresh := t.TempDir()
	rep, err := RestoreWith(fresh, saved, RestoreOptions{Now: func() time.Time { return at }})
	if err != nil || !rep.NumberingHeld || !strings.Contains(strings.Join(rep.Summary, " "), "ON HOLD") {
		t.Fatalf("report %+v %v", rep, err)
	}
	if rep.Next["SI/26-27"] != 4 || !strings.Contains(rep.Replaced, "head office answered") {
		t.Fatalf("head office holds SI/26-27/000003, the restore proposes %d: %s", rep.Next["SI/26-27"], rep.Replaced)
	}
	a, err = Open(fresh, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = a.PostInvoice(clerk, billing.InvoiceInput{Outlet: "SLS01", Date: "2026-11-25", Lines: []billing.LineInput{{Item: "GD200", Qty: 1}}})
	if !fail.Is(err, fail.KindConflict) || !strings.Contains(err.Error(), "confirm the next number") {
		t.Fatalf("billing while numbering is held: %v", err)
	}
	if _, err := a.ConfirmNumbering(clerk, map[string]uint64{"SI/26-27": 0}); err == nil {
		t.Fatal("a next number of 0 was accepted")
	}
	st, err := a.ConfirmNumbering(clerk, map[string]uint64{"SI/26-27": 2186})
	if err != nil || st.NumberingHeld || st.Next["SI/26-27"] != 2186 {
		t.Fatalf("confirm %+v %v", st, err)
	}
	if inv := bill(t, a, 1); inv.Number != "SI/26-27/002186" {
		t.Fatalf("after confirming 2186 the invoice is %s", inv.Number)
	}
	if cr, err := CheckBook(a.Book); err != nil || !cr.OK() {
		t.Fatalf("check after confirming: %v %v", cr.Problems, err)
	}
	// A confirmation never lowers a series.
	if st, err := a.ConfirmNumbering(clerk, map[string]uint64{"SI/26-27": 5}); err != nil || st.Next["SI/26-27"] != 2187 {
		t.Fatalf("lowering %+v %v", st, err)
	}
}

func moneyQty(n int) money.Qty { return money.Qty(n) }

// An admin restores from the Backups screen while the server runs: only
// with the typed confirmation, only a backup the screen lists, never a
// clerk; the book is then the backup's, a new incarnation, and billing goes
// on above the lost number.
func TestAnAdminRestoresABackupFromTheScreenWhileTheServerRuns(t *testing.T) {
	d := shopDoor(t)
	billSome(t, d)
	st, body := d.do("POST", "/api/backups", nil)
	if st != 201 {
		t.Fatalf("backup %d %v", st, body)
	}
	name := body["name"].(string)
	st, lost := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 2}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, lost)
	}
	d.user("ravi", RoleBilling, "ravi-secret")
	if st, _ := d.as("ravi", "ravi-secret").do("POST", "/api/restore", map[string]any{"file": name, "confirm": "RESTORE"}); st != 403 {
		t.Fatalf("a clerk restored: %d", st)
	}
	if st, body := d.do("POST", "/api/restore", map[string]any{"file": name, "confirm": "restore"}); st != 400 || body["field"] != "confirm" {
		t.Fatalf("without the typed confirmation: %d %v", st, body)
	}
	if st, _ := d.do("POST", "/api/restore", map[string]any{"file": "../vitaran.book", "confirm": "RESTORE"}); st != 404 {
		t.Fatalf("a path, not a listed backup: %d", st)
	}
	st, rep := d.do("POST", "/api/restore", map[string]any{"file": name, "confirm": "RESTORE"})
	if st != 200 || rep["incarnation"] == "" || !strings.Contains(strings.Join(strs(rep["summary"]), "\n"), "lost: invoice "+lost["number"].(string)) {
		t.Fatalf("restore %d %v", st, rep)
	}
	if st, _ := d.do("GET", "/api/invoices/"+url.PathEscape(lost["number"].(string)), nil); st != 404 {
		t.Fatalf("the lost invoice is still in the book: %d", st)
	}
	st, again := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 1}}})
	if st != 201 || again["number"].(string) <= lost["number"].(string) {
		t.Fatalf("after the restore %d %v (lost %s)", st, again["number"], lost["number"])
	}
	if cr, err := CheckBook(d.app.Book); err != nil || !cr.OK() {
		t.Fatalf("check %v %v", cr.Problems, err)
	}
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
