package irp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"vitaran/backend/gst"
	"vitaran/backend/gst/einvoice"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func key(t *testing.T) *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		testKey = k
	})
	return testKey
}

func gstin(state, pan string) string { s := state + pan + "1Z"; return s + string(gst.CheckChar(s)) }

var (
	seller = gstin("33", "AAAPM1234C")
	buyer  = gstin("33", "AABFM4321K")
	// 25 November 2026, 11:00 IST
	billedAt = time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)
)

// clock is the portal's pinned clock, moved by the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func portal(t *testing.T) (*Sim, *Client, *clock) {
	clk := &clock{t: billedAt}
	s, err := NewSim(SimOptions{GSTIN: seller, Username: "murugan_api", Password: "pw-1", ClientID: "cid", ClientSecret: "csec",
		Now: clk.now, Key: key(t), Inactive: []string{gstin("33", "AAAFZ9999Z")}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := NewClient(Credentials{BaseURL: srv.URL, GSTIN: seller, Username: "murugan_api", Password: "pw-1", ClientID: "cid", ClientSecret: "csec"}, 2*time.Second)
	return s, c, clk
}

// invoice is ₹712.50 of biscuits at 5 % within Tamil Nadu: ₹748.12, rounded ₹748.
func invoice(no string) *einvoice.Document {
	return &einvoice.Document{Version: "1.1", TranDtls: einvoice.TranDtls{TaxSch: "GST", SupTyp: "B2B", RegRev: "N"},
		DocDtls:    einvoice.DocDtls{Typ: "INV", No: no, Dt: "25/11/2026"},
		SellerDtls: einvoice.Party{Gstin: seller, LglNm: "Sri Murugan Agencies", Addr1: "14 Anna Salai", Loc: "Chennai", Pin: 600002, Stcd: "33"},
		BuyerDtls:  einvoice.Party{Gstin: buyer, LglNm: "Murugan Traders", Pos: "33", Addr1: "5 Ranganathan Street", Loc: "Chennai", Pin: 600017, Stcd: "33"},
		ItemList: []einvoice.Item{{SlNo: "1", PrdDesc: "Good Day Cashew 200g", IsServc: "N", HsnCd: "19053100", Qty: einvoice.Units(25), FreeQty: einvoice.Units(2),
			Unit: "PCS", UnitPrice: 3000, TotAmt: 75000, Discount: 3750, AssAmt: 71250, GstRt: 500, CgstAmt: 1781, SgstAmt: 1781, TotItemVal: 74812}},
		ValDtls: einvoice.ValDtls{AssVal: 71250, CgstVal: 1781, SgstVal: 1781, RndOffAmt: -12, TotInvVal: 74800}}
}

func TestTheIRPGivesOneIRNPerDocumentWithASignedQRCode(t *testing.T) {
	s, c, _ := portal(t)
	ctx := context.Background()
	got, err := c.Generate(ctx, invoice("SI/26-27/000001"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Irn != IRN(seller, "2026-11-25", "INV", "SI/26-27/000001") || len(got.Irn) != 64 || got.AckDt != "2026-11-25 11:00:00" || got.Status != "ACT" {
		t.Fatalf("%+v", got)
	}
	if err := Verify(got.SignedQRCode, s.PublicKey()); err != nil {
		t.Fatalf("QR signature: %v", err)
	}
	if err := Verify(got.SignedInvoice, s.PublicKey()); err != nil {
		t.Fatalf("invoice signature: %v", err)
	}
	qr, err := ReadQR(got.SignedQRCode)
	if err != nil {
		t.Fatal(err)
	}
	want := QRPayload{SellerGstin: seller, BuyerGstin: buyer, DocNo: "SI/26-27/000001", DocTyp: "INV", DocDt: "25/11/2026", TotInvVal: 74800,
		ItemCnt: 1, MainHsnCode: "19053100", Irn: got.Irn, IrnDt: "2026-11-25 11:00:00"}
	if qr != want {
		t.Fatalf("QR carries %+v\nwant %+v", qr, want)
	}
	// the same document again: 2150, answered with the IRN already given
	again, err := c.Generate(ctx, invoice("SI/26-27/000001"))
	if err != nil || again.Irn != got.Irn || again.AckNo != got.AckNo || s.IRNs() != 1 {
		t.Fatalf("duplicate: %+v %v (%d IRNs)", again, err, s.IRNs())
	}
}

func TestAReplyLostAfterTheIRNWasGivenIsRecoveredByTheDuplicateError(t *testing.T) {
	s, c, _ := portal(t)
	ctx := context.Background()
	s.SetFault(Fault{LoseReply: 1})
	_, err := c.Generate(ctx, invoice("SI/26-27/000002"))
	if !errors.Is(err, ErrUnreachable) || s.IRNs() != 1 {
		t.Fatalf("lost reply: %v, %d IRNs", err, s.IRNs())
	}
	got, err := c.Generate(ctx, invoice("SI/26-27/000002"))
	if err != nil || got.Irn != IRN(seller, "2026-11-25", "INV", "SI/26-27/000002") || got.SignedQRCode == "" || s.IRNs() != 1 {
		t.Fatalf("resend: %+v %v", got, err)
	}
	if s.Calls(PathByDoc) != 1 {
		t.Fatalf("the IRN should be fetched by document once, not %d", s.Calls(PathByDoc))
	}
}

func TestThePortalRefusesWhatItShouldInTheClerksWords(t *testing.T) {
	s, c, clk := portal(t)
	ctx := context.Background()
	cases := []struct {
		name string
		edit func(d *einvoice.Document)
		code string
		says string
	}{
		{"totals off by more than ₹1", func(d *einvoice.Document) { d.ValDtls.TotInvVal += 101 }, "2189", "TotInvVal"},
		{"AssAmt is not TotAmt − Discount", func(d *einvoice.Document) { d.ItemList[0].Discount = 3000 }, "2193", "TotAmt − Discount"},
		{"IGST within the state", func(d *einvoice.Document) { d.ItemList[0].IgstAmt = 100 }, "2172", "charges IGST"},
		{"a date after today", func(d *einvoice.Document) { d.DocDtls.Dt = "26/11/2026" }, "2163", "computer's date"},
		{"TotAmt is not Qty × UnitPrice", func(d *einvoice.Document) { d.ItemList[0].UnitPrice = 3100 }, "5002", "Qty × UnitPrice"},
		{"a services HSN on goods", func(d *einvoice.Document) { d.ItemList[0].HsnCd = "9965" }, "2176", "Correct the HSN on the item master"},
		{"a buyer GSTIN with a wrong check character", func(d *einvoice.Document) { d.BuyerDtls.Gstin = buyer[:14] + "Q" }, "3028", "not on the GST portal"},
		{"an inactive buyer", func(d *einvoice.Document) { d.BuyerDtls.Gstin = gstin("33", "AAAFZ9999Z") }, "3029", "not active"},
		{"a PIN outside the state", func(d *einvoice.Document) { d.BuyerDtls.Pin = 560001 }, "5002", "Pin"},
		{"a date older than 30 days", func(d *einvoice.Document) { d.DocDtls.Dt = "20/10/2026" }, "2305", "older than the portal accepts"},
		{"another seller", func(d *einvoice.Document) { d.SellerDtls.Gstin = gstin("33", "AACCX1111X") }, "2143", "not the one the IRP user belongs to"},
	}
	for _, k := range cases {
		d := invoice("SI/26-27/000003")
		k.edit(d)
		_, err := c.Generate(ctx, d)
		code, text := Explain(err)
		if code != k.code || !strings.Contains(text, k.says) {
			t.Errorf("%s: %s %q", k.name, code, text)
		}
	}
	if s.IRNs() != 0 {
		t.Fatalf("a refused document got an IRN")
	}
	// cancel within 24 hours; after that the portal refuses (2270)
	a, _ := c.Generate(ctx, invoice("SI/26-27/000004"))
	b, _ := c.Generate(ctx, invoice("SI/26-27/000005"))
	clk.add(23 * time.Hour)
	if out, err := c.Cancel(ctx, a.Irn, 2, "wrong outlet"); err != nil || out.Irn != a.Irn || out.CancelDate != "2026-11-26 10:00:00" {
		t.Fatalf("cancel: %+v %v", out, err)
	}
	if _, err := c.Cancel(ctx, a.Irn, 2, "again"); err == nil || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("cancel twice: %v", err)
	}
	clk.add(2 * time.Hour)
	_, err := c.Cancel(ctx, b.Irn, 3, "order cancelled")
	if code, text := Explain(err); code != "2270" || !strings.Contains(text, "Make a credit note") {
		t.Fatalf("late cancel: %s %s", code, text)
	}
	// past 72 hours the portal no longer gives an IRN by document (2283)
	clk.add(72 * time.Hour)
	if _, err := c.ByDocument(ctx, "INV", "SI/26-27/000005", "25/11/2026"); err == nil || !strings.Contains(err.Error(), "2283") {
		t.Fatalf("late fetch: %v", err)
	}
	s.SetFault(Fault{Down: true})
	_, err = c.Generate(ctx, invoice("SI/26-27/000006"))
	if _, text := Explain(err); !errors.Is(err, ErrUnreachable) || !strings.Contains(text, "Billing goes on") {
		t.Fatalf("down: %v", err)
	}
}
