package tallybridge_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// A narration with ₹ and Tamil reaches a Tally that reads UTF-8 as Latin-1
// only as "?"; sent as UTF-16LE with a BOM it arrives whole.
func TestRupeeSignSurvivesOnlyInUTF16(t *testing.T) {
	for _, enc := range []tallybridge.Encoding{tallybridge.UTF8, tallybridge.UTF16LE} {
		sim, c := startSim(t, tallysim.Options{LatinOnlyUTF8: true})
		c.Encoding = enc
		v := sale("INV-"+enc.String(), 2)
		v.Narration = "Paid ₹1,250 — முருகன் ஸ்டோர்ஸ்"
		if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{v}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.PostVouchers(context.Background(), []tallybridge.Voucher{v}, 0); err != nil {
			t.Fatalf("%s: %v", enc, err)
		}
		got, _ := sim.VoucherByRemoteID(v.RemoteID)
		switch enc {
		case tallybridge.UTF8:
			if strings.Contains(got.Narration, "₹") || !strings.Contains(got.Narration, "?") {
				t.Errorf("utf-8: the emulated Tally kept %q; it should have lost the ₹", got.Narration)
			}
		case tallybridge.UTF16LE:
			if got.Narration != v.Narration {
				t.Errorf("utf-16: Tally holds %q, want %q", got.Narration, v.Narration)
			}
			if sim.UTF16Requests() == 0 {
				t.Error("no request arrived as UTF-16")
			}
		}
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]tallybridge.Encoding{"": tallybridge.UTF8, "UTF-8": tallybridge.UTF8, "utf-16": tallybridge.UTF16LE, "UTF16LE": tallybridge.UTF16LE} {
		if got, err := tallybridge.ParseEncoding(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := tallybridge.ParseEncoding("latin-1"); err == nil {
		t.Error("latin-1 accepted")
	}
}

// Whatever the bridge sends, the date arrives as YYYYMMDD and Tally reads
// the day we meant; the same request with an ISO date is accepted without
// a word and filed under another day, in another financial year.
func TestISODateWouldBeSilentlyMisread(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	v := sale("INV-DATE", 1)
	v.Date = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{v}); err != nil {
		t.Fatal(err)
	}
	body, err := tallybridge.VouchersXML(company, tallybridge.OldForm, []tallybridge.Voucher{v})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "<DATE>20261125</DATE>") {
		t.Fatalf("the bridge did not write YYYYMMDD:\n%s", body)
	}
	if _, err := c.Import(context.Background(), body, tallybridge.Expect{Sent: 1}); err != nil {
		t.Fatal(err)
	}
	got, _ := sim.VoucherByRemoteID("INV-DATE")
	if got.Date != "20261125" || got.SentDate != got.Date {
		t.Fatalf("sent as YYYYMMDD, Tally holds %q (sent %q)", got.Date, got.SentDate)
	}

	iso := strings.Replace(strings.Replace(string(body), "<DATE>20261125</DATE>", "<DATE>2026-11-25</DATE>", 1), `REMOTEID="INV-DATE"`, `REMOTEID="INV-ISO"`, 1)
	res, err := c.Import(context.Background(), []byte(iso), tallybridge.Expect{Sent: 1})
	if err != nil || res.Created != 1 {
		t.Fatalf("Tally refused the ISO date (%+v, %v); real Tally takes it silently", res, err)
	}
	got, _ = sim.VoucherByRemoteID("INV-ISO")
	if got.Date == "20261125" {
		t.Fatal("the emulator read the ISO date right; real Tally misreads it")
	}
	t.Logf("2026-11-25 sent as ISO was filed under %s", got.Date)
}

// A transfer that moves less value in than out is refused, as the bridge's
// own check refuses it before sending.
func TestStockJournalSidesMustMatch(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{Godowns: []string{"Van 1"}})
	v := tallybridge.Voucher{Kind: tallybridge.StockJournal, RemoteID: "SJ-1", Number: "SJ-1", Date: billDay,
		Out: []tallybridge.StockEntry{{Item: "Glow Soap 50g", Godown: "Main Location", Unit: "Nos", Qty: 10, Rate: 1000, Amount: 10000}},
		In:  []tallybridge.StockEntry{{Item: "Glow Soap 50g", Godown: "Van 1", Unit: "Nos", Qty: 10, Rate: 1000, Amount: 10000}}}
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{v}); err != nil {
		t.Fatal(err)
	}
	body, err := tallybridge.VouchersXML(company, tallybridge.OldForm, []tallybridge.Voucher{v})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(context.Background(), body, tallybridge.Expect{Sent: 1}); err != nil {
		t.Fatalf("a balanced transfer: %v", err)
	}
	// tamper with the IN side's value: 100.00 in, 100.00 out becomes 90.00 in
	// (at 9.00 a piece, so that the line itself is what Tally would recompute)
	bad := strings.Replace(string(body), "-100.00", "-90.00", 1)
	in := strings.Index(bad, "<INVENTORYENTRIESIN.LIST>")
	bad = bad[:in] + strings.Replace(bad[in:], "<RATE>10.00/Nos</RATE>", "<RATE>9.00/Nos</RATE>", 1)
	bad = strings.Replace(bad, `REMOTEID="SJ-1"`, `REMOTEID="SJ-2"`, 1)
	_, err = c.Import(context.Background(), []byte(bad), tallybridge.Expect{Sent: 1})
	if err == nil || !strings.Contains(err.Error(), "Voucher totals do not match!") {
		t.Fatalf("an unbalanced transfer: %v", err)
	}
	if sim.CountByRemoteID("SJ-2") != 0 {
		t.Fatal("Tally stored the unbalanced transfer")
	}
	v.In[0].Amount = 9000
	if err := v.Check(); err == nil {
		t.Fatal("the bridge would send an unbalanced transfer")
	}
}

// A receipt of ₹1,000 set against two bills (600 + 300) and 100 on account
// reaches Tally bill by bill, adding up to the party's credit.
func TestReceiptAgainstSeveralBillsIsAllocatedBillByBill(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	party := tallybridge.Party{Name: "Sri Murugan Stores & Co", GSTIN: "33AABCS1234F1Z5", State: "Tamil Nadu"}
	r := tallybridge.Voucher{Kind: tallybridge.Receipt, RemoteID: "RC-1", Number: "RC-1", Date: billDay, Party: party, Total: 100000,
		Bills: []tallybridge.Bill{{Ref: "INV-1", Amount: 60000}, {Ref: "INV-2", Amount: 30000}}}
	q := tallybridge.NewMemQueue()
	q.Add(r)
	if rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{}); err != nil || rep.Posted != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	got, _ := sim.VoucherByRemoteID("RC-1")
	want := map[string]int64{"Agst Ref INV-1": 60000, "Agst Ref INV-2": 30000, "On Account RC-1": 10000}
	if fmt.Sprint(got.Bills) != fmt.Sprint(want) {
		t.Fatalf("bills %v, want %v", got.Bills, want)
	}
	if got.Ledgers[party.Name] != 100000 {
		t.Fatalf("party credit %d", got.Ledgers[party.Name])
	}
	for _, bad := range [][]tallybridge.Bill{
		{{Ref: "INV-1", Amount: 80000}, {Ref: "INV-2", Amount: 30000}}, // more than received
		{{Ref: "INV-1", Amount: 50000}, {Ref: "INV-1", Amount: 10000}}, // a bill twice
		{{Ref: "", Amount: 100}},
	} {
		r.Bills = bad
		if err := r.Check(); err == nil {
			t.Errorf("bills %v accepted", bad)
		}
	}
}

// The emulator answers a UTF-16 request with a BOM as it answers UTF-8.
func TestEmulatorReadsUTF16Requests(t *testing.T) {
	_, c := startSim(t, tallysim.Options{})
	req := tallybridge.EncodeUTF16LE(tallybridge.ExportRequest(company, "Ledgers"))
	resp, err := http.Post(c.URL, "text/xml; charset=utf-16", strings.NewReader(string(req)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	m, _, err := tallybridge.ReadMasters(resp.Body)
	if err != nil || len(m.Ledgers) == 0 {
		t.Fatalf("%d ledgers, %v", len(m.Ledgers), err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
}
