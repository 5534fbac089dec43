package headoffice

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

// issued is what head office's circular said: buy 10 get 1 on soap for
// grocery outlets in October, 5 % off toothpaste with a ₹100 budget.
var issued = []rules.Scheme{
	{Code: "SOAP10+1", Name: "Soap 10+1", Kind: rules.BuyXGetY, ValidFrom: "2025-10-01", ValidTo: "2025-10-31", Items: []string{"SOAP"}, Channels: []string{"grocery"}, BuyQty: 10, FreeQty: 1},
	{Code: "PASTE5", Name: "Paste 5%", Kind: rules.Percent, ValidFrom: "2025-10-01", ValidTo: "2025-10-31", Items: []string{"PASTE"}, DiscountBP: 500, BudgetPaise: 10000},
}

func ingestBatch(t *testing.T, st *BookStore, b *wire.Batch) {
	t.Helper()
	body, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	dec, err := wire.DecodeBatch(body, wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Ingest(dec, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// A distributor that overclaims: 25 soaps earn 2 free, it claims 5; a chemist
// is not in the soap scheme; an invoice after the scheme ended; and paste
// discounts past the ₹100 budget. Each is flagged with the leakage in rupees,
// totalled per scheme and per distributor; the honest claim is not.
func TestHeadOfficeFlagsAnOverclaimingDistributor(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := AddDistributor(st, "D009", "North", "Greedy Traders"); err != nil {
		t.Fatal(err)
	}
	// Schemes come in through the file, as the CLI loads them.
	f := filepath.Join(t.TempDir(), "schemes.json")
	raw, _ := jsonMarshal(issued)
	os.WriteFile(f, raw, 0o600)
	ss, err := ReadSchemeFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSchemes(ss); err != nil {
		t.Fatal(err)
	}

	line := func(inv, date, outlet string, no int, item string, qty, free money.Qty, rate money.Paise, codes ...string) wire.SalesLine {
		return wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: inv, InvoiceDate: cDate(date), LineNo: no, OutletCode: outlet, SKUCode: "BR-" + item, ItemCode: item,
			Qty: qty, FreeQty: free, RatePaise: rate, TaxablePaise: rate.MulQty(qty), SchemeCodes: codes}
	}
	red := func(id, scheme, inv, date, outlet string, no int, free money.Qty, disc, value money.Paise) wire.Redemption {
		return wire.Redemption{RedemptionID: id, SchemeCode: scheme, InvoiceNo: inv, InvoiceDate: cDate(date), LineNo: no, OutletCode: outlet, FreeQty: free, DiscountPaise: disc, ValuePaise: value}
	}
	b := &wire.Batch{Manifest: wire.Manifest{FormatVersion: wire.FormatVersion, DistributorCode: "D009", BatchID: "D009-1", Kind: wire.KindDelta, PeriodFrom: "2025-10-01", PeriodTo: "2025-11-02", CreatedAt: time.Now().UTC().Truncate(time.Second)}}
	b.Outlets = []wire.Outlet{{OutletCode: "GROC1", Name: "Kirana", Channel: "grocery", Active: true}, {OutletCode: "CHEM1", Name: "Pharmacy", Channel: "chemist", Active: true}}
	b.SalesLines = []wire.SalesLine{
		// honest: 12 soaps → 1 free (₹10)
		line("I1", "2025-10-05", "GROC1", 1, "SOAP", 12, 0, 1000, "SOAP10+1"), line("I1", "2025-10-05", "GROC1", 2, "SOAP", 0, 1, 1000, "SOAP10+1"),
		// overclaim: 25 soaps earn 2, claims 5
		line("I2", "2025-10-06", "GROC1", 1, "SOAP", 25, 0, 1000, "SOAP10+1"), line("I2", "2025-10-06", "GROC1", 2, "SOAP", 0, 5, 1000, "SOAP10+1"),
		// chemist: not a grocery
		line("I3", "2025-10-07", "CHEM1", 1, "SOAP", 10, 0, 1000, "SOAP10+1"), line("I3", "2025-10-07", "CHEM1", 2, "SOAP", 0, 1, 1000, "SOAP10+1"),
		// after the scheme ended
		line("I4", "2025-11-02", "GROC1", 1, "SOAP", 10, 0, 1000, "SOAP10+1"), line("I4", "2025-11-02", "GROC1", 2, "SOAP", 0, 1, 1000, "SOAP10+1"),
		// paste: ₹1,200 of paste at 5 % = ₹60 each; the second goes ₹20 past the ₹100 budget
		line("I5", "2025-10-08", "CHEM1", 1, "PASTE", 12, 0, 10000, "PASTE5"),
		line("I6", "2025-10-09", "CHEM1", 1, "PASTE", 12, 0, 10000, "PASTE5"),
	}
	b.Redemptions = []wire.Redemption{
		red("R1", "SOAP10+1", "I1", "2025-10-05", "GROC1", 2, 1, 0, 1000),
		red("R2", "SOAP10+1", "I2", "2025-10-06", "GROC1", 2, 5, 0, 5000),
		red("R3", "SOAP10+1", "I3", "2025-10-07", "CHEM1", 2, 1, 0, 1000),
		red("R4", "SOAP10+1", "I4", "2025-11-02", "GROC1", 2, 1, 0, 1000),
		red("R5", "PASTE5", "I5", "2025-10-08", "CHEM1", 1, 0, 6000, 6000),
		red("R6", "PASTE5", "I6", "2025-10-09", "CHEM1", 1, 0, 6000, 6000),
	}
	ingestBatch(t, st, b)

	sum, err := CheckClaims(st, RulesFromStore(st), "2025-10-01", "2025-11-30")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		reason string
		leak   money.Paise
	}{
		"R2": {FlagAboveEntitlement, 3000}, // 3 soaps too many at ₹10
		"R3": {FlagIneligibleOutlet, 1000},
		"R4": {FlagOutsideDates, 1000},
		"R6": {FlagBudgetExceeded, 2000},
	}
	if len(sum.Flags) != len(want) {
		t.Fatalf("flags: %+v", sum.Flags)
	}
	for _, f := range sum.Flags {
		w, ok := want[f.RedemptionID]
		if !ok || f.Reason != w.reason || f.LeakagePaise != w.leak {
			t.Errorf("%s: %s %s; want %s %s", f.RedemptionID, f.Reason, f.LeakagePaise, w.reason, w.leak)
		}
	}
	if !sum.RulesChecked || sum.LeakagePaise != 7000 || sum.ClaimedPaise != 20000 {
		t.Fatalf("summary: claimed %s leakage %s", sum.ClaimedPaise, sum.LeakagePaise)
	}
	if len(sum.ByDistributor) != 1 || sum.ByDistributor[0].LeakagePaise != 7000 {
		t.Fatalf("by distributor: %+v", sum.ByDistributor)
	}
	for _, s := range sum.ByScheme {
		if (s.Key == "SOAP10+1" && s.LeakagePaise != 5000) || (s.Key == "PASTE5" && s.LeakagePaise != 2000) {
			t.Errorf("by scheme %s: %s", s.Key, s.LeakagePaise)
		}
	}
}

func cDate(s string) cal.Date { return cal.Date(s) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
