package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/gst/irp"
	"vitaran/backend/masters"
)

// gstShop is the scheme shop (Tamil Nadu, Good Day 10+1 and Britannia 5 %)
// with its city and PIN, a registered outlet in Chennai, one in Bengaluru
// (inter-state) and one registered outlet without a PIN.
func gstShop(t *testing.T) *door {
	d := schemeShop(t)
	st, co := d.do("PUT", "/api/company", map[string]any{"address": "14 Anna Salai", "city": "Chennai", "pincode": "600002"})
	if st != 200 || co["pincode"] != "600002" || co["einvoice"] != "off" || num(co["ewaybill_threshold_paise"]) != 5000000 || num(co["hsn_digits"]) != 4 {
		t.Fatalf("company %d %v", st, co)
	}
	err := d.app.Book.Update(func(tx *book.Tx) error {
		for _, o := range []masters.Outlet{
			{Code: "MTR01", Name: "Murugan Traders", Address: "5 Ranganathan Street, T Nagar", City: "Chennai", Pincode: "600017", GSTIN: testGSTIN("33", "AABFM4321K"), Active: true},
			{Code: "BLR01", Name: "Bangalore Wholesale", Address: "22 Avenue Road", City: "Bengaluru", Pincode: "560002", GSTIN: testGSTIN("29", "AACFB9876L"), Active: true},
			{Code: "NOPIN", Name: "No Pin Traders", Address: "1 Main Road", GSTIN: testGSTIN("33", "AADFN1111M"), Active: true},
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
	circular := circularXLSX(t, circularHeader,
		[]any{"GD-10P1", "Good Day buy 10 get 1", "buy_x_get_y", "01-11-2026", "30-11-2026", "gd200", "", 10, 1, "", "", ""},
		[]any{"BRT-5", "Britannia 5% off", "Percent", "1 Nov 2026", "30/11/2026", "", "Britannia", "", "", "5%", "", "50,000"})
	if st, rep := d.upload("/api/schemes/import", "britannia-nov.xlsx", circular); st != 200 {
		t.Fatalf("import %d %v", st, rep)
	}
	return d
}

func (d *door) einvoice(path string) (int, []byte, *einvoice.Document) {
	d.t.Helper()
	st, raw := d.raw("GET", path, nil)
	if st != 200 {
		return st, raw, nil
	}
	var doc einvoice.Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		d.t.Fatalf("%s: %v\n%s", path, err, raw)
	}
	return st, raw, &doc
}

func TestAB2BInvoiceAndItsCreditNoteBecomeTheIRPsJSONToThePaisa(t *testing.T) {
	d := gstShop(t)
	// 25 Good Day at ₹30 (2 free, 5 % off) and 24 Marie Gold at ₹12 (5 % off), within Tamil Nadu
	st, inv := d.do("POST", "/api/invoices", map[string]any{"outlet": "MTR01", "date": "2026-11-25",
		"lines": []map[string]any{{"item": "GD200", "qty": 25}, {"item": "MG100", "qty": 24}}})
	if st != 201 || inv["number"] != "SI/26-27/000001" {
		t.Fatalf("invoice %d %v", st, inv)
	}
	st, raw, doc := d.einvoice("/api/invoices/" + url.PathEscape("SI/26-27/000001") + "/einvoice")
	if st != 200 {
		t.Fatalf("einvoice %d %s", st, raw)
	}
	for _, want := range []string{
		`"Version":"1.1"`, `"TranDtls":{"TaxSch":"GST","SupTyp":"B2B","RegRev":"N"}`,
		`"DocDtls":{"Typ":"INV","No":"SI/26-27/000001","Dt":"25/11/2026"}`,
		`"SellerDtls":{"Gstin":"` + testGSTIN("33", "AAAPM1234C") + `","LglNm":"Sri Murugan Agencies","Addr1":"14 Anna Salai","Loc":"Chennai","Pin":600002,"Stcd":"33"}`,
		`"BuyerDtls":{"Gstin":"` + testGSTIN("33", "AABFM4321K") + `","LglNm":"Murugan Traders","Pos":"33","Addr1":"5 Ranganathan Street, T Nagar","Loc":"Chennai","Pin":600017,"Stcd":"33"}`,
		// 25 × ₹30 = ₹750, less 5 % (₹37.50) = ₹712.50; CGST and SGST 2.5 % each ₹17.81; the 2 free travel as FreeQty
		`{"SlNo":"1","PrdDesc":"Good Day Cashew 200g","IsServc":"N","HsnCd":"19053100","Qty":25,"FreeQty":2,"Unit":"PCS","UnitPrice":30.00,"TotAmt":750.00,"Discount":37.50,"AssAmt":712.50,"GstRt":5,"IgstAmt":0.00,"CgstAmt":17.81,"SgstAmt":17.81,"TotItemVal":748.12,"BchDtls":{"Nm":"B1","ExpDt":"30/06/2027"}}`,
		`{"SlNo":"2","PrdDesc":"Marie Gold 100g","IsServc":"N","HsnCd":"19053100","Qty":24,"FreeQty":0,"Unit":"PCS","UnitPrice":12.00,"TotAmt":288.00,"Discount":14.40,"AssAmt":273.60,"GstRt":5,"IgstAmt":0.00,"CgstAmt":6.84,"SgstAmt":6.84,"TotItemVal":287.28,"BchDtls":{"Nm":"M1","ExpDt":"31/03/2027"}}`,
		// ₹1,035.40 rounds to ₹1,035
		`"ValDtls":{"AssVal":986.10,"CgstVal":24.65,"SgstVal":24.65,"IgstVal":0.00,"Discount":0.00,"RndOffAmt":-0.40,"TotInvVal":1035.00}`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("e-invoice lacks %s\n%s", want, raw)
		}
	}
	if len(doc.ItemList) != 2 || doc.RefDtls != nil {
		t.Fatalf("items %d ref %v", len(doc.ItemList), doc.RefDtls)
	}
	if probs := einvoice.Check(doc, einvoice.Rules{}); len(probs) > 0 {
		t.Fatalf("the portal's rules refuse it: %v", probs)
	}

	// 10 Good Day back: ₹300 less its share of the discount ₹15, CGST ₹7.13 (half of 2.5 % of ₹285 rounds up)
	st, cn := d.do("POST", "/api/returns", map[string]any{"invoice": "SI/26-27/000001", "date": "2026-11-27", "reason": "damaged in transit",
		"lines": []map[string]any{{"line": 1, "qty": 10}}})
	if st != 201 {
		t.Fatalf("return %d %v", st, cn)
	}
	st, raw, doc = d.einvoice("/api/returns/" + url.PathEscape(cn["number"].(string)) + "/einvoice")
	if st != 200 {
		t.Fatalf("credit note einvoice %d %s", st, raw)
	}
	for _, want := range []string{
		`"DocDtls":{"Typ":"CRN","No":"CN/26-27/000001","Dt":"27/11/2026"}`,
		`"Qty":10,"FreeQty":0,"Unit":"PCS","UnitPrice":30.00,"TotAmt":300.00,"Discount":15.00,"AssAmt":285.00,"GstRt":5,"IgstAmt":0.00,"CgstAmt":7.13,"SgstAmt":7.13,"TotItemVal":299.26`,
		`"ValDtls":{"AssVal":285.00,"CgstVal":7.13,"SgstVal":7.13,"IgstVal":0.00,"Discount":0.00,"RndOffAmt":-0.26,"TotInvVal":299.00}`,
		`"RefDtls":{"InvRm":"damaged in transit","PrecDocDtls":[{"InvNo":"SI/26-27/000001","InvDt":"25/11/2026"}]}`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("credit note lacks %s\n%s", want, raw)
		}
	}
	if probs := einvoice.Check(doc, einvoice.Rules{}); len(probs) > 0 {
		t.Fatalf("the portal's rules refuse the credit note: %v", probs)
	}
}

func TestAnInterStateB2BInvoiceCarriesIGSTAndB2CIsRefused(t *testing.T) {
	d := gstShop(t)
	st, inv := d.do("POST", "/api/invoices", map[string]any{"outlet": "BLR01", "date": "2026-11-25", "lines": []map[string]any{{"item": "GD200", "qty": 10}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, inv)
	}
	st, raw, _ := d.einvoice("/api/invoices/" + url.PathEscape(inv["number"].(string)) + "/einvoice")
	// ₹300 less 5 % = ₹285, IGST 5 % ₹14.25; ₹299.25 rounds to ₹299
	for _, want := range []string{`"Pos":"29"`, `"Stcd":"29"`, `"Qty":10,"FreeQty":1`,
		`"AssAmt":285.00,"GstRt":5,"IgstAmt":14.25,"CgstAmt":0.00,"SgstAmt":0.00,"TotItemVal":299.25`,
		`"ValDtls":{"AssVal":285.00,"CgstVal":0.00,"SgstVal":0.00,"IgstVal":14.25,"Discount":0.00,"RndOffAmt":-0.25,"TotInvVal":299.00}`} {
		if st != 200 || !strings.Contains(string(raw), want) {
			t.Errorf("%d: lacks %s\n%s", st, want, raw)
		}
	}

	st, b2c := d.do("POST", "/api/invoices", map[string]any{"outlet": "SLS01", "date": "2026-11-25", "lines": []map[string]any{{"item": "MG100", "qty": 5}}})
	if st != 201 {
		t.Fatalf("b2c %d %v", st, b2c)
	}
	st, body := d.do("GET", "/api/invoices/"+url.PathEscape(b2c["number"].(string))+"/einvoice", nil)
	if st != 400 || !strings.Contains(body["error"].(string), "B2C invoices do not get an IRN") {
		t.Fatalf("b2c einvoice %d %v", st, body)
	}
	st, nopin := d.do("POST", "/api/invoices", map[string]any{"outlet": "NOPIN", "date": "2026-11-25", "lines": []map[string]any{{"item": "MG100", "qty": 5}}})
	if st != 201 {
		t.Fatalf("nopin %d %v", st, nopin)
	}
	st, body = d.do("GET", "/api/invoices/"+url.PathEscape(nopin["number"].(string))+"/einvoice", nil)
	if st != 400 || body["field"] != "outlet" || body["error"] != "outlet NOPIN (No Pin Traders) has no city or PIN: add it on the outlet before its e-invoice is made" {
		t.Fatalf("no PIN %d %v", st, body)
	}
	// a turnover above ₹5 crore needs 6 HSN digits
	if st, co := d.do("PUT", "/api/company", map[string]any{"hsn_digits": 6}); st != 200 {
		t.Fatalf("hsn digits %d %v", st, co)
	}
	stockTea(d)
	st, tea := d.do("POST", "/api/invoices", map[string]any{"outlet": "MTR01", "date": "2026-11-25", "lines": []map[string]any{{"item": "TEA1", "qty": 2}}})
	if st != 201 {
		t.Fatalf("tea %d %v", st, tea)
	}
	st, body = d.do("GET", "/api/invoices/"+url.PathEscape(tea["number"].(string))+"/einvoice", nil)
	if st != 400 || body["field"] != "lines[0].hsn" || !strings.Contains(body["error"].(string), "HSN 0902 has 4 digits, the company's turnover needs at least 6") {
		t.Fatalf("short HSN %d %v", st, body)
	}
}

// irpShop is the GST shop with e-invoicing through the IRP emulator, on a
// real HTTP port, with the book's and the portal's clock pinned together.
func irpShop(t *testing.T) (*door, *irp.Sim, *testClock) {
	d := gstShop(t)
	clk := &testClock{t: time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)} // 11:00 IST
	d.app.Now = clk.now
	sim, err := irp.NewSim(irp.SimOptions{GSTIN: testGSTIN("33", "AAAPM1234C"), Username: "murugan_api", Password: "pw-2026",
		ClientID: "AAAPM-CLIENT", ClientSecret: "S3CR3T-9876", Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	st, co := d.do("PUT", "/api/company", map[string]any{"einvoice": "api", "einvoice_from": "2026-11-01", "irp_url": srv.URL,
		"irp_username": "murugan_api", "irp_password": "pw-2026", "irp_client_id": "AAAPM-CLIENT", "irp_client_secret": "S3CR3T-9876"})
	if st != 200 || co["irp_client_secret_hint"] != "…9876" || co["irp_client_secret"] != nil {
		t.Fatalf("company %d %v", st, co)
	}
	return d, sim, clk
}

func TestADistributorOnNICsDirectAPIGetsItsIRNsThroughTheEncryptedEnvelope(t *testing.T) {
	d := gstShop(t)
	clk := &testClock{t: time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)}
	d.app.Now = clk.now
	sim, err := irp.NewSim(irp.SimOptions{GSTIN: testGSTIN("33", "AAAPM1234C"), Username: "murugan_api", Password: "pw-2026",
		ClientID: "AAAPM-CLIENT", ClientSecret: "S3CR3T-9876", Now: clk.now, Mode: irp.ModeDirect})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	settings := map[string]any{"einvoice": "api", "einvoice_from": "2026-11-01", "irp_url": srv.URL, "irp_mode": "direct",
		"irp_username": "murugan_api", "irp_password": "pw-2026", "irp_client_id": "AAAPM-CLIENT", "irp_client_secret": "S3CR3T-9876"}
	// the direct API's login is encrypted with the portal's key: it is asked for
	if st, body := d.do("PUT", "/api/company", settings); st != 400 || body["field"] != "irp_public_key" {
		t.Fatalf("without the key %d %v", st, body)
	}
	settings["irp_public_key"] = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"
	if st, body := d.do("PUT", "/api/company", settings); st != 400 || body["field"] != "irp_public_key" {
		t.Fatalf("a broken key %d %v", st, body)
	}
	settings["irp_public_key"] = sim.LoginKeyPEM()
	if st, co := d.do("PUT", "/api/company", settings); st != 200 || co["irp_mode"] != "direct" || co["irp_public_key"] != strings.TrimSpace(sim.LoginKeyPEM()) {
		t.Fatalf("company %d %v", st, co)
	}
	b2b := d.bill("MTR01", 24)
	if rep := d.step(); rep.Active != 1 {
		t.Fatalf("step %+v", rep)
	}
	_, got := d.do("GET", "/api/invoices/"+url.PathEscape(b2b), nil)
	if got["irn_status"] != "active" || got["irn"] != irp.IRN(testGSTIN("33", "AAAPM1234C"), "2026-11-25", "INV", b2b) ||
		irp.Verify(got["signed_qr"].(string), sim.PublicKey()) != nil {
		t.Fatalf("direct %v", got)
	}
	// cancelling goes through the envelope too
	if st, body := d.do("POST", "/api/invoices/"+url.PathEscape(b2b)+"/cancel", map[string]any{"reason": "wrong outlet"}); st != 200 || body["irn_status"] != "cancelled" {
		t.Fatalf("cancel %d %v", st, body)
	}
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (d *door) step() irp.Report {
	d.t.Helper()
	rep, err := d.app.IRNStep(context.Background())
	if err != nil {
		d.t.Fatal(err)
	}
	return rep
}

func (d *door) bill(outlet string, qty int) string {
	d.t.Helper()
	st, inv := d.do("POST", "/api/invoices", map[string]any{"outlet": outlet, "date": "2026-11-25", "lines": []map[string]any{{"item": "MG100", "qty": qty}}})
	if st != 201 {
		d.t.Fatalf("bill %d %v", st, inv)
	}
	return inv["number"].(string)
}

func TestB2BInvoicesGetTheirIRNAfterPostingAndThePortalsTroublesNeverLoseOrDoubleOne(t *testing.T) {
	d, sim, clk := irpShop(t)
	b2b := d.bill("MTR01", 24)
	b2c := d.bill("SLS01", 5)
	inv := func(n string) map[string]any { _, b := d.do("GET", "/api/invoices/"+url.PathEscape(n), nil); return b }
	if got := inv(b2b); got["irn_status"] != "pending" || got["irn"] != nil {
		t.Fatalf("before the worker: %v", got)
	}
	if rep := d.step(); rep.Queued != 1 || rep.Active != 1 {
		t.Fatalf("step %+v", rep)
	}
	got := inv(b2b)
	qr, err := irp.ReadQR(got["signed_qr"].(string))
	if got["irn_status"] != "active" || got["irn"] != irp.IRN(testGSTIN("33", "AAAPM1234C"), "2026-11-25", "INV", b2b) || got["ack_date"] != "2026-11-25 11:00:00" ||
		err != nil || qr.DocNo != b2b || qr.TotInvVal != 28700 || qr.BuyerGstin != testGSTIN("33", "AABFM4321K") || qr.ItemCnt != 1 {
		t.Fatalf("after: %v\nQR %+v %v", got, qr, err)
	}
	if err := irp.Verify(got["signed_qr"].(string), sim.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if got := inv(b2c); got["irn_status"] != "not_required" {
		t.Fatalf("b2c %v", got)
	}
	// the signed QR, drawn for the printed invoice: a square PNG of whole
	// 4-pixel modules, at least QR version 10 for a ~1,000-character JWT
	st, qrImg := d.do("GET", "/api/invoices/"+url.PathEscape(b2b)+"/qr", nil)
	pngURL, _ := qrImg["png"].(string)
	img, text, derr := pngOf(pngURL)
	if st != 200 || qrImg["irn"] != got["irn"] || derr != nil || img.Dx() != img.Dy() || img.Dx()%irp.QRModulePixels != 0 || img.Dx()/irp.QRModulePixels < 57 {
		t.Fatalf("qr %d %v %v %v", st, qrImg["irn"], img, derr)
	}
	// scanned, the code gives back the portal's signed JWT to the character
	if text != got["signed_qr"] {
		t.Fatalf("the printed QR reads %.60q…, the portal signed %.60q…", text, got["signed_qr"])
	}
	if st, body := d.do("GET", "/api/invoices/"+url.PathEscape(b2c)+"/qr", nil); st != 409 || body["field"] != "irn" {
		t.Fatalf("a B2C invoice has no QR to print: %d %v", st, body)
	}

	// the portal down: billing goes on, the invoice waits with a reason
	sim.SetFault(irp.Fault{Down: true})
	down := d.bill("MTR01", 12)
	if rep := d.step(); rep.Failed != 1 || !rep.Unreachable {
		t.Fatalf("down %+v", rep)
	}
	st, raw := d.raw("GET", "/api/einvoice/queue", nil)
	if st != 200 || !strings.Contains(string(raw), `"number":"`+down+`","date":"2026-11-25","outlet":"MTR01","irn_status":"failed"`) ||
		!strings.Contains(string(raw), "Billing goes on") {
		t.Fatalf("queue %d %s", st, raw)
	}
	if rep := d.step(); rep.Sent != 0 {
		t.Fatalf("a failed IRN waits for its next try: %+v", rep)
	}
	// the portal answers again but loses the reply after giving the IRN
	sim.SetFault(irp.Fault{LoseReply: 1})
	if st, body := d.do("POST", "/api/einvoice/retry/"+url.PathEscape(down), nil); st != 200 || body["irn_status"] != "failed" {
		t.Fatalf("retry %d %v", st, body)
	}
	if rep := d.step(); rep.Failed != 1 || sim.IRNs() != 2 {
		t.Fatalf("lost reply %+v, %d IRNs", rep, sim.IRNs())
	}
	clk.add(2 * time.Minute) // the backoff's first wait
	if rep := d.step(); rep.Active != 1 || sim.IRNs() != 2 {
		t.Fatalf("after the lost reply %+v, %d IRNs", rep, sim.IRNs())
	}
	if got := inv(down); got["irn_status"] != "active" || got["irn"] != irp.IRN(testGSTIN("33", "AAAPM1234C"), "2026-11-25", "INV", down) || got["irn_error"] != nil {
		t.Fatalf("recovered %v", got)
	}
	if st, raw := d.raw("GET", "/api/einvoice/queue", nil); st != 200 || strings.TrimSpace(string(raw)) != "[]" {
		t.Fatalf("queue after %s", raw)
	}

	// cancelling within 24 hours cancels the IRN too
	st, body := d.do("POST", "/api/invoices/"+url.PathEscape(down)+"/cancel", map[string]any{"reason": "wrong outlet", "reason_code": 2})
	if st != 200 || body["status"] != "cancelled" || body["irn_status"] != "cancelled" {
		t.Fatalf("cancel %d %v", st, body)
	}
	// after 24 hours the IRN stands: a credit note is the way
	clk.add(25 * time.Hour)
	d.login("admin", "admin-secret") // the session ended with the day
	st, body = d.do("POST", "/api/invoices/"+url.PathEscape(b2b)+"/cancel", map[string]any{"reason": "wrong outlet", "goods_left": false})
	if st != 409 || !strings.Contains(body["error"].(string), "Make a credit note") {
		t.Fatalf("late cancel %d %v", st, body)
	}
	if got := inv(b2b); got["status"] != "posted" || got["irn_status"] != "active" {
		t.Fatalf("after the refused cancel %v", got)
	}
	st, body = d.do("POST", "/api/invoices/"+url.PathEscape(b2b)+"/cancel", map[string]any{"reason": "x", "reason_code": 7})
	if st != 400 || body["field"] != "reason_code" {
		t.Fatalf("reason code %d %v", st, body)
	}
	// the credit note gets its own IRN
	st, cn := d.do("POST", "/api/returns", map[string]any{"invoice": b2b, "date": "2026-11-26", "reason": "damaged", "lines": []map[string]any{{"line": 1, "qty": 4}}})
	if st != 201 {
		t.Fatalf("return %d %v", st, cn)
	}
	if rep := d.step(); rep.Active != 1 {
		t.Fatalf("credit note %+v", rep)
	}
	_, got = d.do("GET", "/api/returns/"+url.PathEscape(cn["number"].(string)), nil)
	if got["irn_status"] != "active" || got["irn"] != irp.IRN(testGSTIN("33", "AAAPM1234C"), "2026-11-26", "CRN", cn["number"].(string)) {
		t.Fatalf("credit note %v", got)
	}
}

func TestGoodsAboveTheThresholdMoveWithAnEWayBillForTheDispatchsVehicle(t *testing.T) {
	d := gstShop(t)
	if st, co := d.do("PUT", "/api/company", map[string]any{"ewaybill_threshold_paise": 100000}); st != 200 || num(co["ewaybill_threshold_paise"]) != 100000 {
		t.Fatalf("threshold %d %v", st, co)
	}
	st, big := d.do("POST", "/api/invoices", map[string]any{"outlet": "MTR01", "date": "2026-11-25",
		"lines": []map[string]any{{"item": "GD200", "qty": 25}, {"item": "MG100", "qty": 24}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, big)
	}
	small := d.bill("MTR01", 24) // ₹287: below ₹1,000
	st, raw := d.raw("GET", "/api/invoices/"+url.PathEscape(big["number"].(string))+"/ewaybill?vehicle=tn-09-ab-1234&distance=12", nil)
	for _, want := range []string{
		`"version":"1.0.0621"`, `"supplyType":"O","subSupplyType":1,"docType":"INV","docNo":"SI/26-27/000001","docDate":"25/11/2026"`,
		`"fromGstin":"` + testGSTIN("33", "AAAPM1234C") + `"`, `"fromPlace":"Chennai","fromPincode":600002,"fromStateCode":33`,
		`"toGstin":"` + testGSTIN("33", "AABFM4321K") + `"`, `"toPlace":"Chennai","toPincode":600017,"toStateCode":33`,
		// the invoice's own figures: ₹986.10 + ₹24.65 + ₹24.65 − ₹0.40 = ₹1,035
		`"totalValue":986.10,"cgstValue":24.65,"sgstValue":24.65,"igstValue":0.00,"cessValue":0.00,"otherValue":-0.40,"totInvValue":1035.00`,
		`"transMode":1,"transDistance":12,"vehicleNo":"TN09AB1234","vehicleType":"R","mainHsnCode":19053100`,
		// 25 sold and 2 free Good Day move together
		`{"itemNo":1,"productName":"Good Day Cashew 200g","productDesc":"Good Day Cashew 200g","hsnCode":19053100,"quantity":27,"qtyUnit":"PCS","taxableAmount":712.50,"cgstRate":2.5,"sgstRate":2.5,"igstRate":0,"cessRate":0}`,
	} {
		if st != 200 || !strings.Contains(string(raw), want) {
			t.Errorf("%d: e-way bill lacks %s\n%s", st, want, raw)
		}
	}
	st, body := d.do("GET", "/api/invoices/"+url.PathEscape(small)+"/ewaybill?vehicle=TN09AB1234", nil)
	if st != 400 || !strings.Contains(body["error"].(string), "not above the e-way bill threshold ₹1,000.00") {
		t.Fatalf("small %d %v", st, body)
	}
	st, body = d.do("GET", "/api/invoices/"+url.PathEscape(small)+"/ewaybill?vehicle=T9", nil)
	if st != 400 || body["field"] != "vehicle" {
		t.Fatalf("vehicle %d %v", st, body)
	}
	st, raw = d.raw("GET", "/api/ewaybill?date=2026-11-25&vehicle=TN09AB1234&distance=0", nil)
	if st != 200 || strings.Count(string(raw), `"docNo"`) != 1 || !strings.Contains(string(raw), `"docNo":"SI/26-27/000001"`) {
		t.Fatalf("the day's e-way bills %d %s", st, raw)
	}
}

func TestTheClerkChecksAnEWayBillInPlainWordsDownloadsItAndRecordsThePortalsNumber(t *testing.T) {
	d := gstShop(t)
	d.do("PUT", "/api/company", map[string]any{"ewaybill_threshold_paise": 100000})
	st, big := d.do("POST", "/api/invoices", map[string]any{"outlet": "MTR01", "date": "2026-11-25",
		"lines": []map[string]any{{"item": "GD200", "qty": 25}, {"item": "MG100", "qty": 24}}})
	if st != 201 {
		t.Fatalf("invoice %d %v", st, big)
	}
	n := url.PathEscape(big["number"].(string))
	problems := func(body map[string]any) string {
		var out []string
		for _, p := range body["problems"].([]any) {
			m := p.(map[string]any)
			out = append(out, m["field"].(string)+": "+m["message"].(string))
		}
		return strings.Join(out, "\n")
	}
	// nothing filled, a transporter GSTIN with a wrong check character and 5,000 km: every problem at once, no JSON
	st, rep := d.do("GET", "/api/invoices/"+n+"/ewaybill/check?transporter_id=33AABFM4321K1ZQ&distance=5000", nil)
	if st != 200 || rep["needed"] != true || rep["file"] != nil {
		t.Fatalf("check %d %v", st, rep)
	}
	for _, want := range []string{"transporter_id: the transporter's GSTIN or enrolment id 33AABFM4321K1ZQ is wrong", "distance: must be 0–4000 km"} {
		if !strings.Contains(problems(rep), want) {
			t.Errorf("lacks %q in\n%s", want, problems(rep))
		}
	}
	if _, rep = d.do("GET", "/api/invoices/"+n+"/ewaybill/check", nil); !strings.Contains(problems(rep), "vehicle: enter the vehicle number") {
		t.Errorf("no vehicle: %s", problems(rep))
	}
	// by rail the portal wants the railway receipt
	if _, rep = d.do("GET", "/api/invoices/"+n+"/ewaybill/check?trans_mode=2&distance=300", nil); !strings.Contains(problems(rep), "trans_doc_no: by rail, air or ship") {
		t.Errorf("rail: %s", problems(rep))
	}
	// filled right: the JSON for the portal, with the transporter
	st, rep = d.do("GET", "/api/invoices/"+n+"/ewaybill/check?vehicle=TN09AB1234&distance=12&transporter_id="+testGSTIN("33", "AABFM4321K")+"&transporter_name=Sri+Lorry+Service", nil)
	if st != 200 || len(rep["problems"].([]any)) != 0 || rep["file"] == nil {
		t.Fatalf("good %d %v", st, rep)
	}
	raw, _ := json.Marshal(rep["file"])
	if !strings.Contains(string(raw), `"transporterId":"`+testGSTIN("33", "AABFM4321K")+`","transporterName":"Sri Lorry Service"`) {
		t.Fatalf("file %s", raw)
	}
	// the portal's number comes back: recorded, audited, on the invoice
	rec := map[string]any{"ewb_no": "1812 3456 7890", "ewb_date": "2026-11-25", "vehicle_no": "TN09AB1234", "distance_km": 12}
	for field, bad := range map[string]map[string]any{
		"ewb_no":   {"ewb_no": "12345"},
		"ewb_date": {"ewb_date": "2026-11-24"},
		"vehicle":  {"vehicle_no": "T9"},
	} {
		body := map[string]any{}
		for k, v := range rec {
			body[k] = v
		}
		for k, v := range bad {
			body[k] = v
		}
		if st, got := d.do("PUT", "/api/invoices/"+n+"/ewaybill", body); st != 400 || got["field"] != field {
			t.Errorf("%s: %d %v", field, st, got)
		}
	}
	st, got := d.do("PUT", "/api/invoices/"+n+"/ewaybill", rec)
	// 12 km: one day, to midnight of the day after
	if st != 200 || got["ewb_no"] != "181234567890" || got["valid_until"] != "2026-11-26" {
		t.Fatalf("record %d %v", st, got)
	}
	_, inv := d.do("GET", "/api/invoices/"+n, nil)
	ewb, _ := inv["ewaybill"].(map[string]any)
	if ewb == nil || ewb["ewb_no"] != "181234567890" || ewb["vehicle_no"] != "TN09AB1234" {
		t.Fatalf("invoice %v", inv["ewaybill"])
	}
	if _, rep = d.do("GET", "/api/invoices/"+n+"/ewaybill/check?vehicle=TN09AB1234", nil); rep["recorded"] == nil {
		t.Fatalf("the check shows what was recorded: %v", rep)
	}
	// the dispatch: the day's invoices above the threshold, one transport
	st, raw = d.raw("GET", "/api/ewaybill/check?date=2026-11-25&vehicle=TN09AB1234&distance=12", nil)
	if st != 200 || strings.Count(string(raw), `"docNo":"SI/26-27/000001"`) != 1 || strings.Count(string(raw), `"needed":true`) != 1 {
		t.Fatalf("day %d %s", st, raw)
	}
	// on a dispatch trip, the check names the trip whose vehicle the screen fills in
	if st, trip := d.do("POST", "/api/dispatch/trips", map[string]any{"date": "2026-11-25", "vehicle_no": "TN 09 CD 4321", "driver": "Selvam",
		"distance_km": 18, "invoices": []string{big["number"].(string)}}); st != 201 {
		t.Fatalf("trip %d %v", st, trip)
	}
	_, rep = d.do("GET", "/api/invoices/"+n+"/ewaybill/check", nil)
	if trip, _ := rep["trip"].(map[string]any); trip == nil || trip["vehicle_no"] != "TN09CD4321" || num(trip["distance_km"]) != 18 || trip["driver"] != "Selvam" {
		t.Fatalf("trip on the check: %v", rep["trip"])
	}
	// a cancelled invoice's goods do not move
	if st, body := d.do("POST", "/api/invoices/"+n+"/cancel", map[string]any{"reason": "wrong outlet"}); st != 200 {
		t.Fatalf("cancel %d %v", st, body)
	}
	if st, got := d.do("PUT", "/api/invoices/"+n+"/ewaybill", rec); st != 409 {
		t.Fatalf("cancelled %d %v", st, got)
	}
}

// A November of every kind of supply: GSTR-1 section by section, to the paisa.
func TestAMonthsGSTR1ReconcilesWithTheRegistersSectionBySection(t *testing.T) {
	d := gstShop(t)
	err := d.app.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.CreateItem(tx, masters.Item{Code: "FRIDGE", Name: "Godrej Fridge 260L", Brand: "Godrej", Category: "Appliances",
			HSN: "84181010", GSTRateBP: 1800, MRPPaise: 13000000, PricePaise: 11000000, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: "KAR01", Name: "Karnataka Kirana", Address: "9 KR Market", City: "Bengaluru", Pincode: "560002", StateCode: "29", Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "GOD/1", "date": "2026-11-20",
		"lines": []map[string]any{{"item": "FRIDGE", "batch": "F1", "expiry": "2036-06-30", "mrp_paise": 13000000, "qty": 2, "rate_paise": 9000000}}})
	post := func(outlet string, lines ...map[string]any) string {
		st, inv := d.do("POST", "/api/invoices", map[string]any{"outlet": outlet, "date": "2026-11-25", "lines": lines})
		if st != 201 {
			t.Fatalf("invoice %d %v", st, inv)
		}
		return inv["number"].(string)
	}
	ret := func(inv string, line, qty int) {
		st, cn := d.do("POST", "/api/returns", map[string]any{"invoice": inv, "date": "2026-11-27", "reason": "damaged", "lines": []map[string]any{{"line": line, "qty": qty}}})
		if st != 201 {
			t.Fatalf("return %d %v", st, cn)
		}
	}
	b2bIntra := post("MTR01", map[string]any{"item": "GD200", "qty": 25}, map[string]any{"item": "MG100", "qty": 24}) // ₹986.10 + 24.65 + 24.65
	post("BLR01", map[string]any{"item": "GD200", "qty": 10})                                                         // ₹285 + IGST 14.25
	b2cSmall := post("SLS01", map[string]any{"item": "MG100", "qty": 5})                                              // ₹57 + 1.43 + 1.43
	fridge := post("KAR01", map[string]any{"item": "FRIDGE", "qty": 1})                                               // ₹1,10,000 + IGST 19,800: B2C large
	post("KAR01", map[string]any{"item": "MG100", "qty": 10})                                                         // ₹114 + IGST 5.70: B2C small, inter-state
	cancelled := post("SLS01", map[string]any{"item": "MG100", "qty": 2})
	if st, body := d.do("POST", "/api/invoices/"+url.PathEscape(cancelled)+"/cancel", map[string]any{"reason": "wrong outlet"}); st != 200 {
		t.Fatalf("cancel %d %v", st, body)
	}
	ret(b2bIntra, 1, 10) // ₹285 + 7.13 + 7.13
	ret(fridge, 1, 1)
	ret(b2cSmall, 1, 5) // wholly back

	st, raw := d.raw("GET", "/api/gst/gstr1?period=112026", nil)
	if st != 200 {
		t.Fatalf("gstr1 %d %s", st, raw)
	}
	mtr, blr := testGSTIN("33", "AABFM4321K"), testGSTIN("29", "AACFB9876L")
	for section, want := range map[string]string{
		"head": `{"gstin":"` + testGSTIN("33", "AAAPM1234C") + `","fp":"112026","version":"GST3.2.1","hash":"hash",`,
		"b2b": `"b2b":[{"ctin":"` + blr + `","inv":[{"inum":"SI/26-27/000002","idt":"25-11-2026","val":299.00,"pos":"29","rchrg":"N","inv_typ":"R","itms":[{"num":1,"itm_det":{"txval":285.00,"rt":5,"iamt":14.25,"camt":0.00,"samt":0.00,"csamt":0.00}}]}]},` +
			`{"ctin":"` + mtr + `","inv":[{"inum":"SI/26-27/000001","idt":"25-11-2026","val":1035.00,"pos":"33","rchrg":"N","inv_typ":"R","itms":[{"num":1,"itm_det":{"txval":986.10,"rt":5,"iamt":0.00,"camt":24.65,"samt":24.65,"csamt":0.00}}]}]}]`,
		"b2cl": `"b2cl":[{"pos":"29","inv":[{"inum":"SI/26-27/000004","idt":"25-11-2026","val":129800.00,"pos":"29","itms":[{"num":1,"itm_det":{"txval":110000.00,"rt":18,"iamt":19800.00,"camt":0.00,"samt":0.00,"csamt":0.00}}]}]}]`,
		// the Chennai B2C bill came back whole, so only the Karnataka one stays in Table 7
		"b2cs":  `"b2cs":[{"sply_ty":"INTER","pos":"29","typ":"OE","txval":114.00,"rt":5,"iamt":5.70,"camt":0.00,"samt":0.00,"csamt":0.00}]`,
		"cdnr":  `"cdnr":[{"ctin":"` + mtr + `","nt":[{"ntty":"C","nt_num":"CN/26-27/000001","nt_dt":"27-11-2026","val":299.00,"pos":"33","rchrg":"N","inv_typ":"R","itms":[{"num":1,"itm_det":{"txval":285.00,"rt":5,"iamt":0.00,"camt":7.13,"samt":7.13,"csamt":0.00}}]}]}]`,
		"cdnur": `"cdnur":[{"typ":"B2CL","ntty":"C","nt_num":"CN/26-27/000002","nt_dt":"27-11-2026","val":129800.00,"pos":"29","itms":[{"num":1,"itm_det":{"txval":110000.00,"rt":18,"iamt":19800.00,"camt":0.00,"samt":0.00,"csamt":0.00}}]}]`,
		// B2B: 25 + 2 free + 24 + 10 + 1 free − 10 returned − the 1 free piece
		// back with them (the 15 kept earn 1) = 51 pieces, ₹1,271.10 − ₹285
		"hsn": `"hsn":{"hsn_b2b":[{"num":1,"hsn_sc":"19053100","desc":"Good Day Cashew 200g","uqc":"PCS","qty":51,"rt":5,"txval":986.10,"iamt":14.25,"camt":17.52,"samt":17.52,"csamt":0.00}],` +
			`"hsn_b2c":[{"num":1,"hsn_sc":"19053100","desc":"Marie Gold 100g","uqc":"PCS","qty":10,"rt":5,"txval":114.00,"iamt":5.70,"camt":0.00,"samt":0.00,"csamt":0.00}]}`,
		"doc_issue": `"doc_issue":{"doc_det":[{"doc_num":1,"doc_typ":"Invoices for outward supply","docs":[{"num":1,"from":"SI/26-27/000001","to":"SI/26-27/000006","totnum":6,"cancel":1,"net_issue":5}]},` +
			`{"doc_num":5,"doc_typ":"Credit Note","docs":[{"num":1,"from":"CN/26-27/000001","to":"CN/26-27/000003","totnum":3,"cancel":0,"net_issue":3}]}]}`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s: want %s\nin %s", section, want, raw)
		}
	}
	// the net taxable value reconciles with the registers: invoices ₹1,11,442.10 less credit notes ₹1,10,342
	var r struct {
		B2B []struct {
			Inv []struct {
				Itms []struct {
					ItmDet struct{ Txval einvoice.Amount } `json:"itm_det"`
				}
			}
		}
		B2CL []struct {
			Inv []struct {
				Itms []struct {
					ItmDet struct{ Txval einvoice.Amount } `json:"itm_det"`
				}
			}
		}
		B2CS []struct{ Txval einvoice.Amount }
		CDNR []struct {
			Nt []struct {
				Itms []struct {
					ItmDet struct{ Txval einvoice.Amount } `json:"itm_det"`
				}
			}
		}
		CDNUR []struct {
			Itms []struct {
				ItmDet struct{ Txval einvoice.Amount } `json:"itm_det"`
			}
		}
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	var net einvoice.Amount
	for _, b := range r.B2B {
		for _, i := range b.Inv {
			for _, it := range i.Itms {
				net += it.ItmDet.Txval
			}
		}
	}
	for _, b := range r.B2CL {
		for _, i := range b.Inv {
			for _, it := range i.Itms {
				net += it.ItmDet.Txval
			}
		}
	}
	for _, b := range r.B2CS {
		net += b.Txval
	}
	for _, c := range r.CDNR {
		for _, n := range c.Nt {
			for _, it := range n.Itms {
				net -= it.ItmDet.Txval
			}
		}
	}
	for _, n := range r.CDNUR {
		for _, it := range n.Itms {
			net -= it.ItmDet.Txval
		}
	}
	if net != 111442_10-110342_00 {
		t.Fatalf("net taxable %d paise, want %d", net, 111442_10-110342_00)
	}
	// the same in the offline tool's Excel template
	st, raw = d.raw("GET", "/api/gst/gstr1.xlsx?period=112026", nil)
	if st != 200 {
		t.Fatalf("xlsx %d %s", st, raw)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sheet, want string }{
		// the receiver's name as billed, which the JSON does not carry
		{"b2b,sez,de", "[" + blr + " Bangalore Wholesale SI/26-27/000002 25-Nov-2026 299 29-Karnataka N  Regular B2B  5 285 0]"},
		{"cdnr", "[" + mtr + " Murugan Traders CN/26-27/000001 27-Nov-2026 C 33-Tamil Nadu N Regular B2B 299  5 285 0]"},
		{"b2cl", "[SI/26-27/000004 25-Nov-2026 129800 29-Karnataka  18 110000 0]"},
		{"b2cs", "[OE 29-Karnataka  5 114 0]"},
		{"hsn(b2b)", "[19053100 Good Day Cashew 200g PCS-PIECES 51 1035.39 5 986.1 14.25 17.52 17.52 0]"},
		{"docs", "[Invoices for outward supply SI/26-27/000001 SI/26-27/000006 6 1]"},
	} {
		rows, _ := x.GetRows(c.sheet)
		if len(rows) < 2 || fmt.Sprint(rows[1]) != c.want {
			t.Errorf("sheet %s: %q, want first row %s", c.sheet, rows, c.want)
		}
	}
	st, body := d.do("GET", "/api/gst/gstr1?period=132026", nil)
	if st != 400 || body["field"] != "period" {
		t.Fatalf("bad period %d %v", st, body)
	}
	// above ₹5 crore every HSN needs 6 digits: the short one is named before any file is made
	stockTea(d)
	tea := post("SLS01", map[string]any{"item": "TEA1", "qty": 1})
	d.do("PUT", "/api/company", map[string]any{"hsn_digits": 6})
	st, body = d.do("GET", "/api/gst/gstr1?period=112026", nil)
	if st != 400 || body["field"] != "hsn" || !strings.HasPrefix(body["error"].(string), tea+" line 1, item TEA1: HSN \"0902\" has fewer than the 6 digits") {
		t.Fatalf("short HSN %d %v", st, body)
	}
}

func TestOfflineTheDaysB2BDocumentsGoOutAsTheBulkFileAndTheirIRNsComeBack(t *testing.T) {
	d := gstShop(t)
	if st, co := d.do("PUT", "/api/company", map[string]any{"einvoice": "offline"}); st != 200 {
		t.Fatalf("offline %d %v", st, co)
	}
	b2b := d.bill("MTR01", 24)
	d.bill("SLS01", 5)
	nopin := d.bill("NOPIN", 5)
	st, raw := d.raw("GET", "/api/einvoice/offline?date=2026-11-25", nil)
	var ex irp.Export
	if err := json.Unmarshal(raw, &ex); st != 200 || err != nil || len(ex.Documents) != 1 || ex.Documents[0].DocDtls.No != b2b ||
		len(ex.Skipped) != 1 || ex.Skipped[0].Number != nopin || !strings.Contains(ex.Skipped[0].Reason, "has no city or PIN") {
		t.Fatalf("export %d %v %s", st, err, raw)
	}
	// the portal answers the bulk file (here its emulator)
	clk := &testClock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	sim, err := irp.NewSim(irp.SimOptions{GSTIN: testGSTIN("33", "AAAPM1234C"), Username: "u", Password: "p", ClientID: "c", ClientSecret: "s", Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	c := irp.NewClient(irp.Credentials{BaseURL: srv.URL, GSTIN: testGSTIN("33", "AAAPM1234C"), Username: "u", Password: "p", ClientID: "c", ClientSecret: "s"}, 0)
	data, err := c.Generate(context.Background(), ex.Documents[0])
	if err != nil {
		t.Fatal(err)
	}
	good := irp.ReplyFor(ex.Documents[0], data)
	bad := good
	bad.DocNo = nopin // a QR code that names another document
	st, body := d.do("POST", "/api/einvoice/offline/import", []irp.ReplyEntry{good, bad})
	if st != 400 || !strings.Contains(body["error"].(string), "entry 2 ("+nopin+"): the signed QR code is for "+b2b) {
		t.Fatalf("bad file %d %v", st, body)
	}
	if _, inv := d.do("GET", "/api/invoices/"+url.PathEscape(b2b), nil); inv["irn_status"] != "pending" {
		t.Fatalf("a refused file wrote: %v", inv)
	}
	st, body = d.do("POST", "/api/einvoice/offline/import", []irp.ReplyEntry{good})
	if st != 200 || num(body["imported"]) != 1 {
		t.Fatalf("import %d %v", st, body)
	}
	_, inv := d.do("GET", "/api/invoices/"+url.PathEscape(b2b), nil)
	if inv["irn_status"] != "active" || inv["irn"] != data.Irn || inv["signed_qr"] != data.SignedQRCode || inv["ack_date"] != "2026-11-25 14:30:00" {
		t.Fatalf("after import %v", inv)
	}
	// the same file again changes nothing
	if st, body = d.do("POST", "/api/einvoice/offline/import", []irp.ReplyEntry{good}); st != 200 || num(body["imported"]) != 0 {
		t.Fatalf("again %d %v", st, body)
	}
}

// pngOf decodes a data:image/png;base64 URL: the image's bounds and the
// text of the QR code drawn in it, read back by ZXing's decoder (a phone's).
func pngOf(dataURL string) (image.Rectangle, string, error) {
	b64, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		return image.Rectangle{}, "", fmt.Errorf("not a PNG data URL: %.40q", dataURL)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return image.Rectangle{}, "", err
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return image.Rectangle{}, "", err
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return img.Bounds(), "", err
	}
	res, err := qrreader.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		return img.Bounds(), "", fmt.Errorf("reading the QR code: %w", err)
	}
	return img.Bounds(), res.GetText(), nil
}

// stockTea adds item TEA1, whose HSN "0902" has only 4 digits, and buys 10.
func stockTea(d *door) {
	d.app.Book.Update(func(tx *book.Tx) error {
		_, err := masters.CreateItem(tx, masters.Item{Code: "TEA1", Name: "Tea 250g", Brand: "Tata", Category: "Tea", HSN: "0902", GSTRateBP: 500,
			MRPPaise: 15000, PricePaise: 12000, Active: true}, "2026-11-01")
		return err
	})
	d.do("POST", "/api/purchases", map[string]any{"supplier_invoice_no": "TATA/1", "date": "2026-11-20",
		"lines": []map[string]any{{"item": "TEA1", "batch": "T1", "expiry": "2027-06-30", "mrp_paise": 15000, "qty": 10, "rate_paise": 10000}}})
}
