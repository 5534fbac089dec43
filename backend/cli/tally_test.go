package cli_test

import (
	"bytes"
	"strings"
	"testing"

	"vitaran/backend/app"
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cli"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/tallybridge/tallysim"
)

const company = "Sri Murugan Agencies"

// shopDir is a book with a purchase and two invoices waiting for Tally.
func shopDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a, err := app.Open(dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.Book.Update(func(tx *book.Tx) error {
		g := "33AAAPM1234C1Z"
		if _, err := masters.PutCompany(tx, masters.Company{Name: company, StateCode: "33", GSTIN: g + string(gst.CheckChar(g))}); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "SLS01", Name: "Sri Lakshmi Stores", StateCode: "33", Active: true, CreditLimitPaise: 1000000}); err != nil {
			return err
		}
		if _, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/1", Date: "2026-11-01", Supplier: "Britannia",
			Lines: []billing.PurchaseLineInput{{Item: "GD200", Batch: "B1", Expiry: "2027-06-30", MRPPaise: 4000, Qty: 100, RatePaise: 2500}}}); err != nil {
			return err
		}
		for _, q := range []money.Qty{10, 4} {
			if _, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "SLS01", Date: "2026-11-24", Lines: []billing.LineInput{{Item: "GD200", Qty: q}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Run(&cli.Env{Stdout: &out, Stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestTallyPushExitsNonZeroUntilTheFaultIsFixed(t *testing.T) {
	dir := shopDir(t)
	sim := tallysim.New(tallysim.Options{Company: company})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()

	sim.SetFault(tallysim.Exceptions) // every import: EXCEPTIONS, no text
	code, out, errs := run("tally", "push", "--url", url, "--company", company, "--data", dir)
	if code == 0 || !strings.Contains(out, "3 failed") {
		t.Fatalf("push into a failing Tally: exit %d\n%s%s", code, out, errs)
	}
	if sim.VoucherCount() != 0 {
		t.Fatal("Tally stored vouchers while failing")
	}
	code, out, _ = run("tally", "status", "--data", dir)
	if code != 0 || strings.Count(out, "FAILED ") != 3 || !strings.Contains(out, "next try") || !strings.Contains(out, "invoice:") {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "FAILED ") && !strings.Contains(line, "): ") {
			t.Errorf("a failure without its reason: %s", line)
		}
	}

	sim.SetFault(tallysim.None)
	code, out, errs = run("tally", "push", "--url", url, "--company", company, "--data", dir, "--retry-now")
	if code != 0 || !strings.Contains(out, "3 posted, 0 failed") || sim.VoucherCount() != 3 {
		t.Fatalf("push after the fix: exit %d, Tally holds %d\n%s%s", code, sim.VoucherCount(), out, errs)
	}
	if !strings.Contains(errs, "3 of 3 vouchers") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	code, out, _ = run("tally", "push", "--url", url, "--company", company, "--data", dir)
	if code != 0 || !strings.Contains(out, "0 due, 0 posted") || sim.VoucherCount() != 3 {
		t.Fatalf("second push: exit %d\n%s", code, out)
	}
	code, out, _ = run("tally", "status", "--data", dir)
	if code != 0 || strings.Contains(out, "FAILED") || !strings.Contains(out, "posted          3") {
		t.Fatalf("status after: %s", out)
	}
}

func TestTallyPushToNoTallyFailsWithTheReason(t *testing.T) {
	dir := shopDir(t)
	code, out, errs := run("tally", "push", "--url", "http://127.0.0.1:1/", "--company", company, "--data", dir)
	if code == 0 || !strings.Contains(errs, "not running") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ := run("tally", "nonsense"); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}

func TestTallyPullPreviewsThenAppliesWithMRP(t *testing.T) {
	dir := shopDir(t)
	sim := tallysim.New(tallysim.Options{Company: company, Units: []string{"Nos"},
		Ledgers: []tallysim.Ledger{{Name: "Zeenat Kirana Bhandar", Parent: "Sundry Debtors", State: "Tamil Nadu"}},
		Items:   []tallysim.Item{{Name: "Zest Lime Soap 75g", Parent: "Zest", BaseUnit: "Nos", HSN: "34011190", GSTRate: "18"}}})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	code, out, errs := run("tally", "pull", "--url", url, "--company", company, "--data", dir)
	if code != 0 || !strings.Contains(out, "NEEDS MRP") || !strings.Contains(out, "2 new") || !strings.Contains(out, "preview") {
		t.Fatalf("preview: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run("tally", "pull", "--url", url, "--company", company, "--data", dir, "--apply")
	if code != 0 || !strings.Contains(out, "SKIPPED: needs MRP") || !strings.Contains(out, "applied 1, refused 0, skipped 1") {
		t.Fatalf("apply without MRP: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run("tally", "pull", "--url", url, "--company", company, "--data", dir, "--apply", "--mrp", "Zest Lime Soap 75g=45.00")
	if code != 0 || !strings.Contains(out, "applied 1, refused 0, skipped 0") {
		t.Fatalf("apply with MRP: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := run("tally", "pull", "--data", dir, "--mrp", "Zest"); code != 2 || !strings.Contains(errs, "Tally item name=45.00") {
		t.Errorf("a bad --mrp: exit %d %s", code, errs)
	}
}

// Tally was off when the clerk pushed; once it is back, the next push a
// person starts posts everything at once (no waiting for the next try), and
// the summary line counts what is left.
func TestTallyPushAfterTallyIsBackPostsWhatFailedForWantOfTally(t *testing.T) {
	dir := shopDir(t)
	sim := tallysim.New(tallysim.Options{Company: company})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	sim.SetFault(tallysim.Refuse)
	code, out, errs := run("tally", "push", "--url", url, "--company", company, "--data", dir)
	if code == 0 || !strings.Contains(out, "3 vouchers failed and 0 waiting") || !strings.Contains(errs, "refused the connection") || strings.Contains(errs, "EOF") {
		t.Fatalf("push with Tally off: exit %d\n%s%s", code, out, errs)
	}
	sim.SetFault(tallysim.None)
	code, out, errs = run("tally", "push", "--url", url, "--company", company, "--data", dir)
	if code != 0 || !strings.Contains(out, "3 posted, 0 failed") || !strings.Contains(out, "0 vouchers failed and 0 waiting") || sim.VoucherCount() != 3 {
		t.Fatalf("push once Tally is back: exit %d, Tally holds %d\n%s%s", code, sim.VoucherCount(), out, errs)
	}
}
