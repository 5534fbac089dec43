package cli_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vitaran/backend/app"
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/gst"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/gst/irp"
	"vitaran/backend/masters"
)

func TestOfflineIRNsGoOutAsTheBulkFileAndComeBackFromTheReplyFile(t *testing.T) {
	dir := t.TempDir()
	g := func(st, pan string) string { s := st + pan + "1Z"; return s + string(gst.CheckChar(s)) }
	seller := g("33", "AAAPM1234C")
	a, err := app.Open(dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Book.Update(func(tx *book.Tx) error {
		co := masters.Company{Name: "Sri Murugan Agencies", Address: "14 Anna Salai", City: "Chennai", Pincode: "600002", StateCode: "33", GSTIN: seller}
		co.EInvoice = "offline"
		if _, err := masters.PutCompany(tx, co); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, PricePaise: 3000, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "MTR01", Name: "Murugan Traders", Address: "5 Ranganathan Street", City: "Chennai",
			Pincode: "600017", GSTIN: g("33", "AABFM4321K"), Active: true}); err != nil {
			return err
		}
		if _, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/1", Date: "2026-11-01", Supplier: "Britannia",
			Lines: []billing.PurchaseLineInput{{Item: "GD200", Batch: "B1", Expiry: "2027-06-30", MRPPaise: 4000, Qty: 100, RatePaise: 2500}}}); err != nil {
			return err
		}
		_, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "MTR01", Date: "2026-11-25", Lines: []billing.LineInput{{Item: "GD200", Qty: 10}}})
		return err
	})
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	bulk := filepath.Join(t.TempDir(), "bulk.json")
	code, stdout, stderr := run("irp", "export", "--date", "2026-11-25", "--out", bulk, "--data", dir)
	if code != 0 || !strings.Contains(stdout, "1 documents written") {
		t.Fatalf("export %d %s %s", code, stdout, stderr)
	}
	var docs []*einvoice.Document
	raw, _ := os.ReadFile(bulk)
	if err := json.Unmarshal(raw, &docs); err != nil || len(docs) != 1 || docs[0].DocDtls.No != "SI/26-27/000001" {
		t.Fatalf("bulk %v %s", err, raw)
	}
	// the portal (its emulator) answers the bulk file
	sim, err := irp.NewSim(irp.SimOptions{GSTIN: seller, Username: "u", Password: "p", ClientID: "c", ClientSecret: "s",
		Now: func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	c := irp.NewClient(irp.Credentials{BaseURL: srv.URL, GSTIN: seller, Username: "u", Password: "p", ClientID: "c", ClientSecret: "s"}, 0)
	data, err := c.Generate(context.Background(), docs[0])
	if err != nil {
		t.Fatal(err)
	}
	reply := filepath.Join(t.TempDir(), "reply.json")
	out, _ := json.Marshal([]irp.ReplyEntry{irp.ReplyFor(docs[0], data)})
	os.WriteFile(reply, out, 0o644)
	code, stdout, stderr = run("irp", "import", "--file", reply, "--data", dir)
	if code != 0 || !strings.Contains(stdout, "1 IRNs imported") {
		t.Fatalf("import %d %s %s", code, stdout, stderr)
	}
	code, stdout, _ = run("irp", "export", "--out", bulk, "--data", dir)
	if code != 0 || !strings.Contains(stdout, "0 documents written") {
		t.Fatalf("nothing waits after the import: %d %s", code, stdout)
	}
}
