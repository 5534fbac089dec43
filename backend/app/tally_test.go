package app

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/masters"
	"vitaran/tallybridge/tallysim"
)

const tallyCompany = "Sri Murugan Agencies"

// tallyDoor is a shop with a purchase and three invoices, an emulated Tally
// on 127.0.0.1 and the settings pointing at it.
func tallyDoor(t *testing.T, o tallysim.Options) (*door, *tallysim.Server) {
	t.Helper()
	d := shopDoor(t)
	billSome(t, d)
	o.Company = tallyCompany
	sim := tallysim.New(o)
	u, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	st, body := d.do("PUT", "/api/tally/settings", map[string]any{"url": u, "company": tallyCompany, "mode": "invoice",
		"read_timeout_s": 5, "connect_timeout_s": 1})
	if st != 200 || body["encoding"] != "utf-8" {
		t.Fatalf("settings %d %v", st, body)
	}
	return d, sim
}

func tnum(m map[string]any, k string) int { f, _ := m[k].(float64); return int(f) }

func TestTallySettingsAndConnectionTest(t *testing.T) {
	d, sim := tallyDoor(t, tallysim.Options{})
	if st, body := d.do("PUT", "/api/tally/settings", map[string]any{"url": "http://127.0.0.1:9000/", "mode": "invoice", "encoding": "latin-1"}); st != 400 || !strings.Contains(fmt.Sprint(body), "encoding") {
		t.Errorf("a bad encoding: %d %v", st, body)
	}
	st, body := d.do("GET", "/api/tally/settings", nil)
	if st != 200 || body["company"] != tallyCompany || body["batch_size"].(float64) != 25 {
		t.Fatalf("settings %d %v", st, body)
	}
	test := func() map[string]any {
		t.Helper()
		st, body := d.do("POST", "/api/tally/test", nil)
		if st != 200 {
			t.Fatalf("test %d %v", st, body)
		}
		return body
	}
	if b := test(); b["reachable"] != true || b["company_open"] != true || b["error"] != nil {
		t.Errorf("running: %v", b)
	}
	sim.OpenCompany("")
	if b := test(); b["reachable"] != true || b["company_open"] != false || !strings.Contains(b["error"].(string), "no company is open") {
		t.Errorf("no company: %v", b)
	}
	sim.OpenCompany(tallyCompany)
	sim.SetFault(tallysim.Refuse)
	if b := test(); b["reachable"] != false || !strings.Contains(b["error"].(string), "not running") {
		t.Errorf("not running: %v", b)
	}
	sim.SetFault(tallysim.None)
	// requests in UTF-16 when the settings say so
	d.do("PUT", "/api/tally/settings", map[string]any{"url": "http://" + strings.TrimPrefix(fmt.Sprint(body["url"]), "http://"), "company": tallyCompany, "mode": "invoice", "encoding": "utf-16"})
	if b := test(); b["company_open"] != true || sim.UTF16Requests() == 0 {
		t.Errorf("utf-16: %v, %d UTF-16 requests", b, sim.UTF16Requests())
	}
}

// Push posts one voucher per document; a second push posts nothing; an
// invoice to a party Tally lacks fails with Tally's words, shows in the
// queue, and posts on retry once the cause is fixed.
func TestTallyPushQueueAndRetryOverHTTP(t *testing.T) {
	d, sim := tallyDoor(t, tallysim.Options{})
	events, stop := d.app.Events().Subscribe()
	defer stop()
	st, body := d.do("POST", "/api/tally/push", nil)
	if st != 200 || tnum(body, "posted") != 4 || tnum(body, "failed") != 0 || body["error"] != nil {
		t.Fatalf("push %d %v", st, body)
	}
	ticks := 0
	for len(events) > 0 {
		if p := <-events; p.Task == "tally" {
			ticks++
		}
	}
	if ticks == 0 {
		t.Error("no progress events during the push")
	}
	st, raw := d.raw("GET", "/api/tally/queue", nil)
	if st != 200 || strings.Count(string(raw), `"state":"posted"`) != 4 {
		t.Fatalf("queue %d %s", st, raw)
	}
	for _, id := range strings.Split(string(raw), `"remote_id":"`)[1:] {
		id = id[:strings.Index(id, `"`)]
		if n := sim.CountByRemoteID(id); n != 1 {
			t.Errorf("Tally holds %d vouchers for %s", n, id)
		}
	}
	if sim.VoucherCount() != 4 {
		t.Fatalf("Tally holds %d vouchers for 4 documents", sim.VoucherCount())
	}
	before := sim.Requests()
	if st, body := d.do("POST", "/api/tally/push", nil); st != 200 || tnum(body, "posted") != 0 || tnum(body, "due") != 0 || sim.Requests() != before {
		t.Fatalf("second push %d %v, %d requests", st, body, sim.Requests()-before)
	}

	// a new party, and masters left to the accountant: Tally refuses it
	err := d.app.Book.Update(func(tx *book.Tx) error {
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: "NEW01", Name: "Navaneetham Stores", StateCode: "33", Active: true, CreditLimitPaise: 100000})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, body := d.do("POST", "/api/invoices", map[string]any{"outlet": "NEW01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 5}}}); st != 201 {
		t.Fatalf("invoice %d %v", st, body)
	}
	settings := func(skip bool) {
		_, s := d.do("GET", "/api/tally/settings", nil)
		s["skip_masters"] = skip
		if st, body := d.do("PUT", "/api/tally/settings", s); st != 200 {
			t.Fatalf("settings %d %v", st, body)
		}
	}
	settings(true)
	if st, body := d.do("POST", "/api/tally/push", nil); st != 200 || tnum(body, "failed") != 1 {
		t.Fatalf("push to a missing ledger %d %v", st, body)
	}
	st, raw = d.raw("GET", "/api/tally/queue?state=failed", nil)
	if st != 200 || !strings.Contains(string(raw), "Ledger 'Navaneetham Stores' does not exist!") || !strings.Contains(string(raw), `"attempts":1`) {
		t.Fatalf("failed queue %d %s", st, raw)
	}
	id := strings.Split(strings.Split(string(raw), `"id":"`)[1], `"`)[0]
	st, body = d.do("GET", "/api/tally/status", nil)
	if st != 200 || tnum(body["counts"].(map[string]any), "failed") != 1 || tnum(body["counts"].(map[string]any), "posted") != 4 {
		t.Fatalf("status %d %v", st, body)
	}
	settings(false) // the fix: let the bridge create the ledger
	st, body = d.do("POST", "/api/tally/retry/"+url.PathEscape(id), nil)
	if st != 200 || tnum(body, "posted") != 1 || tnum(body, "failed") != 0 {
		t.Fatalf("retry %s: %d %v", id, st, body)
	}
	if _, ok := sim.HasLedger("Navaneetham Stores"); !ok || sim.VoucherCount() != 5 {
		t.Fatalf("after the retry Tally holds %d vouchers", sim.VoucherCount())
	}
	if st, body := d.do("POST", "/api/tally/retry/"+url.PathEscape("invoice:NOPE"), nil); st < 400 {
		t.Errorf("retry of nothing: %d %v", st, body)
	}
}

func mappingSheet(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range append([][]string{{"Kind", "Vitaran name", "Tally name"}}, rows...) {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTallyMappingSuggestAndExcelImport(t *testing.T) {
	d, _ := tallyDoor(t, tallysim.Options{Ledgers: []tallysim.Ledger{{Name: "Sri Lakshmi Stores A/c", Parent: "Sundry Debtors"}}})
	st, raw := d.raw("GET", "/api/tally/mapping/suggest", nil)
	if st != 200 || !strings.Contains(string(raw), `"Sri Lakshmi Stores":[{`) || !strings.Contains(string(raw), "Sri Lakshmi Stores A/c") {
		t.Fatalf("suggest %d %s", st, raw)
	}
	sheet := mappingSheet(t, [][]string{{"ledger", "Sri Lakshmi Stores", "Sri Lakshmi Stores A/c"}, {"item", "Good Day Cashew 200g", "GD Cashew 200"}})
	st, body := d.do("POST", "/api/tally/mapping/import?name=mapping.xlsx", string(sheet))
	if st != 200 {
		t.Fatalf("import %d %v", st, body)
	}
	st, body = d.do("GET", "/api/tally/mapping", nil)
	if st != 200 || body["ledgers"].(map[string]any)["Sri Lakshmi Stores"] != "Sri Lakshmi Stores A/c" || body["items"].(map[string]any)["Good Day Cashew 200g"] != "GD Cashew 200" {
		t.Fatalf("mapping %d %v", st, body)
	}
	bad := mappingSheet(t, [][]string{{"ledger", "Round Off", "Rounding Off"}, {"vendor", "X", "Y"}})
	if st, body := d.do("POST", "/api/tally/mapping/import?name=bad.xlsx", string(bad)); st != 400 || !strings.Contains(fmt.Sprint(body), "Kind") {
		t.Fatalf("a sheet with a bad row: %d %v", st, body)
	}
	if _, body := d.do("GET", "/api/tally/mapping", nil); body["ledgers"].(map[string]any)["Round Off"] != nil {
		t.Fatal("a sheet with a bad row changed the mapping")
	}
}

func TestTallyPullPreviewThenApplyOverHTTP(t *testing.T) {
	d, _ := tallyDoor(t, tallysim.Options{Units: []string{"Nos"},
		Ledgers: []tallysim.Ledger{{Name: "Zeenat Kirana Bhandar", Parent: "Sundry Debtors", State: "Tamil Nadu"}},
		Items:   []tallysim.Item{{Name: "Zest Lime Soap 75g", Parent: "Zest", BaseUnit: "Nos", HSN: "34011190", GSTRate: "18"}}})
	events, stop := d.app.Events().Subscribe()
	defer stop()
	st, body := d.do("POST", "/api/tally/pull/preview", nil)
	counts, _ := body["counts"].(map[string]any)
	if st != 200 || tnum(counts, "new") != 2 || tnum(counts, "needs mrp") != 1 {
		t.Fatalf("preview %d %v", st, body)
	}
	st, body = d.do("POST", "/api/tally/pull/apply", nil)
	if st != 200 || tnum(body, "applied") != 1 || tnum(body, "skipped") != 1 || !strings.Contains(fmt.Sprint(body["records"]), "needs MRP") {
		t.Fatalf("apply without MRPs %d %v", st, body)
	}
	st, body = d.do("POST", "/api/tally/pull/apply", map[string]any{"mrp_paise": map[string]int{"Zest Lime Soap 75g": 4500}})
	if st != 200 || tnum(body, "applied") != 1 || tnum(body, "skipped") != 0 {
		t.Fatalf("apply with the MRP %d %v", st, body)
	}
	ticks := 0
	for len(events) > 0 {
		if p := <-events; p.Task == "tally pull" {
			ticks++
		}
	}
	if ticks < 3 {
		t.Errorf("%d progress events during pulls", ticks)
	}
	d.app.Book.View(func(tx *book.Tx) error {
		items, _ := masters.ListItems(tx, masters.ItemFilter{}, d.app.Today())
		found := false
		for _, it := range items {
			found = found || it.Name == "Zest Lime Soap 75g" && it.MRPPaise == 4500
		}
		if !found {
			t.Error("the item was not created with its MRP")
		}
		return nil
	})
}
