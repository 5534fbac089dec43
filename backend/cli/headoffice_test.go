package cli_test

import (
	"strings"
	"testing"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
)

// `headoffice conflicts` lists, on the embedded store too, a line resent
// under its key with other content, held beside sent.
func TestHeadOfficeConflictsOnTheEmbeddedStore(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := run("headoffice", "add-distributor", "D001", "--region", "South", "--data", dir); code != 0 || len(strings.TrimSpace(out)) != 64 {
		t.Fatalf("add-distributor: %d %s %s", code, out, errs)
	}
	if code, out, _ := run("headoffice", "conflicts", "--data", dir); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("no conflicts yet: %d %s", code, out)
	}
	st, err := headoffice.OpenStore(dir, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	sale := wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: "SI/7", InvoiceDate: cal.MustParse("2026-11-25"), LineNo: 1, OutletCode: "O1", SKUCode: "GD200", Qty: 7, RatePaise: 3000, TaxablePaise: 21000}
	other := sale
	other.Qty, other.TaxablePaise = 3, 9000
	for i, l := range []wire.SalesLine{sale, other} {
		b := &wire.Batch{Manifest: wire.Manifest{DistributorCode: "D001", BatchID: []string{"B1", "B2"}[i], Kind: wire.KindDelta, PeriodFrom: l.InvoiceDate, PeriodTo: l.InvoiceDate, CreatedAt: at}, SalesLines: []wire.SalesLine{l}}
		if _, _, err := st.Ingest(b, at); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, out, errs := run("headoffice", "conflicts", "--data", dir, "--distributor", "d001")
	if code != 0 || !strings.Contains(out, `"row_key": "invoice|2026-11-25|SI/7|1"`) || !strings.Contains(out, `"batch_id": "B2"`) || !strings.Contains(out, `"qty": 3`) {
		t.Fatalf("headoffice conflicts: %d %s %s", code, out, errs)
	}
}
