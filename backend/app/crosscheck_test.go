package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
	"vitaran/tallybridge/tallysim"
)

// crossShop is a shop billing two items to two outlets under two schemes
// (10+1 on GD200, 5 % on MG100), with an emulated Tally and a real head
// office on 127.0.0.1, both set in the company's settings.
type crossShop struct {
	t   *testing.T
	dir string
	a   *App
	sim *tallysim.Server
	url string
	ho  *headoffice.BookStore
}

var crossAdmin = WithCaller(context.Background(), Caller{User: "admin", Role: RoleAdmin, From: "test"})

func newCrossShop(t *testing.T) *crossShop {
	t.Helper()
	s := &crossShop{t: t, dir: t.TempDir()}
	// head office's clock is the shop's: the test's days are not the wall clock's
	store, key, ho := testHeadOffice(t, headoffice.ReceiverOptions{Now: func() time.Time { return s.a.Now() }})
	s.ho = store
	s.a = restoreShop(t, s.dir, ho.URL, key)
	t.Cleanup(func() { s.a.Close() })
	err := s.a.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.CreateItem(tx, masters.Item{Code: "MG100", Name: "Marie Gold 100g", Brand: "Britannia", Category: "Biscuits",
			HSN: "19053100", GSTRateBP: 500, MRPPaise: 1500, CaseSize: 48, PricePaise: 1235, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "CK300", Name: "Coke 300ml", Brand: "Coca-Cola", Category: "Beverages",
			HSN: "22021010", GSTRateBP: 1800, MRPPaise: 4000, CaseSize: 24, PricePaise: 2890, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "KVS02", Name: "Kaveri Stores", StateCode: "33", Channel: "Grocery", Active: true, CreditLimitPaise: 10000000}); err != nil {
			return err
		}
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "BLR03", Name: "Bengaluru Mart", StateCode: "29", GSTIN: testGSTIN("29", "AABCB1234D"), Channel: "Modern Trade", Active: true, CreditLimitPaise: 10000000}); err != nil {
			return err
		}
		if err := schemes.Save(tx, schemes.Scheme{Code: "BILL2", Name: "2% off a bill of ₹500", Kind: schemes.InvoiceValue, ValidFrom: "2026-11-01", ValidTo: "2026-11-30",
			MinValuePaise: 50000, DiscountBP: 200}); err != nil {
			return err
		}
		if _, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BRT/2", Date: "2026-11-01",
			Lines: []billing.PurchaseLineInput{{Item: "MG100", Batch: "M1", Expiry: "2027-03-31", MRPPaise: 1500, Qty: 500, RatePaise: 1000},
				{Item: "CK300", Batch: "C1", Expiry: "2027-03-31", MRPPaise: 4000, Qty: 500, RatePaise: 2000}}}); err != nil {
			return err
		}
		if err := schemes.Save(tx, schemes.Scheme{Code: "GD10P1", Name: "Good Day 10+1", Kind: schemes.BuyXGetY, ValidFrom: "2026-11-01", ValidTo: "2026-11-30",
			Items: []string{"GD200"}, BuyQty: 10, FreeQty: 1}); err != nil {
			return err
		}
		return schemes.Save(tx, schemes.Scheme{Code: "MG5", Name: "Marie 5% off", Kind: schemes.Percent, ValidFrom: "2026-11-01", ValidTo: "2026-11-30",
			Items: []string{"MG100"}, DiscountBP: 500})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.sim = tallysim.New(tallysim.Options{Company: tallyCompany})
	var err2 error
	s.url, err2 = s.sim.Start("127.0.0.1:0")
	err = err2
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.sim.Close() })
	s.mode(posting.ModeInvoice)
	return s
}

func (s *crossShop) mode(m string) {
	s.t.Helper()
	set, err := s.a.TallySettings()
	if err != nil {
		s.t.Fatal(err)
	}
	set.URL, set.Company, set.Mode, set.ReadTimeout, set.ConnectTimeout = s.url, tallyCompany, m, 5, 1
	if _, err := s.a.PutTallySettings(crossAdmin, set); err != nil {
		s.t.Fatal(err)
	}
}

func (s *crossShop) on(day cal.Date) {
	s.a.Now = func() time.Time { return day.Time().Add(12 * time.Hour) }
}

func (s *crossShop) bill(day cal.Date, outlet string, lines ...billing.LineInput) billing.Invoice {
	s.t.Helper()
	s.on(day)
	inv, err := s.a.PostInvoice(crossAdmin, billing.InvoiceInput{Outlet: outlet, Date: day, Lines: lines})
	if err != nil {
		s.t.Fatal(err)
	}
	return inv
}

func (s *crossShop) cancel(number string, today cal.Date) {
	s.t.Helper()
	s.on(today)
	no := false
	if _, err := s.a.CancelInvoice(crossAdmin, number, billing.CancelInput{Reason: "billed to the wrong outlet", GoodsLeft: &no}); err != nil {
		s.t.Fatal(err)
	}
}

func (s *crossShop) ret(day cal.Date, invoice string, lines ...billing.SalesReturnLineInput) {
	s.t.Helper()
	s.on(day)
	if _, err := s.a.PostSalesReturn(crossAdmin, billing.SalesReturnInput{Invoice: invoice, Date: day, Reason: "damaged in transit", Lines: lines}); err != nil {
		s.t.Fatal(err)
	}
}

// sync pushes to Tally and uploads to head office; both must take everything.
func (s *crossShop) sync() {
	s.t.Helper()
	p, err := s.a.PushTally(crossAdmin, true)
	if err != nil || p.StillFailed+p.StillWaiting != 0 || p.Error != "" {
		s.t.Fatalf("push %+v %v", p, err)
	}
	if up, err := s.a.UploadNow(context.Background()); err != nil || up.Waiting != 0 {
		s.t.Fatalf("upload %+v %v", up, err)
	}
}

func (s *crossShop) check(from, to cal.Date) CrossReport {
	s.t.Helper()
	r, err := s.a.CrossCheck(context.Background(), from, to)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

func qty(item string, n int) billing.LineInput {
	return billing.LineInput{Item: item, Qty: money.Qty(n)}
}

// The one cross-check: a book with same-day and later-day cancellations,
// partial returns, two schemes and Tally switched from invoice to day-wise
// summary mode and back, pushed to the Tally emulator and uploaded to a real
// head office, tells the same sales per day, outlet and SKU on all three
// sides — to the paisa and the piece.
func TestTheBookHeadOfficeAndTallyAgreePerDayOutletAndSKU(t *testing.T) {
	s := newCrossShop(t)
	// invoice mode
	a := s.bill("2026-11-20", "SLS01", qty("GD200", 22), qty("MG100", 10), billing.LineInput{Item: "CK300", Qty: 3, DiscountBP: 250})
	b := s.bill("2026-11-20", "KVS02", qty("MG100", 5))
	s.cancel(b.Number, "2026-11-20") // same day
	c := s.bill("2026-11-21", "SLS01", qty("GD200", 12))
	g := s.bill("2026-11-21", "BLR03", qty("GD200", 30), qty("CK300", 7)) // inter-state: IGST, and the bill scheme
	// primary and money: a GRN from another state (IGST input), a debit
	// note sending part of it back, cash against one bill, and a cheque
	// against another that the bank returns with a charge
	s.on("2026-11-21")
	grn, err := s.a.PostPurchase(crossAdmin, billing.PurchaseInput{SupplierInvoiceNo: "BRT/KA/77", Date: "2026-11-21", SupplierGSTIN: testGSTIN("29", "AABCB9876K"),
		Lines: []billing.PurchaseLineInput{{Item: "MG100", Batch: "M2", Expiry: "2027-05-31", MRPPaise: 1500, Qty: 96, RatePaise: 1010, DiscountBP: 150},
			{Item: "CK300", Batch: "C2", Expiry: "2027-04-30", MRPPaise: 4000, Qty: 48, RatePaise: 2050}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.PostReceipt(crossAdmin, billing.ReceiptInput{Outlet: "BLR03", Date: "2026-11-21", Mode: "cash", AmountPaise: 25000,
		Allocations: []billing.Allocation{{Invoice: g.Number, AmountPaise: 25000}}}); err != nil {
		t.Fatal(err)
	}
	chq, err := s.a.PostReceipt(crossAdmin, billing.ReceiptInput{Outlet: "SLS01", Date: "2026-11-21", Mode: "cheque", Reference: "000731", AmountPaise: 15000,
		Allocations: []billing.Allocation{{Invoice: a.Number, AmountPaise: 15000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.DepositCheque(crossAdmin, chq.Number, "2026-11-21"); err != nil {
		t.Fatal(err)
	}
	s.sync()
	s.on("2026-11-22")
	if _, err := s.a.PostPurchaseReturn(crossAdmin, billing.PurchaseReturnInput{Purchase: grn.Number, Date: "2026-11-22", Reason: "dented cans",
		Lines: []billing.PurchaseReturnLineInput{{Item: "CK300", Batch: "C2", Qty: 6}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.BounceCheque(crossAdmin, chq.Number, billing.BounceInput{Date: "2026-11-22", Reason: "signature differs", ChargePaise: 11800}); err != nil {
		t.Fatal(err)
	}
	s.sync()
	// day-wise summaries
	s.mode(posting.ModeDaily)
	d := s.bill("2026-11-22", "KVS02", qty("GD200", 11), qty("MG100", 4))
	e := s.bill("2026-11-22", "SLS01", qty("MG100", 7))
	s.bill("2026-11-22", "SLS01", qty("CK300", 1))
	s.sync()
	s.cancel(c.Number, "2026-11-23") // a later day, posted invoice-wise
	s.cancel(e.Number, "2026-11-23") // a later day, folded into a summary
	s.ret("2026-11-23", a.Number, billing.SalesReturnLineInput{Line: 1, Qty: 5}, billing.SalesReturnLineInput{Line: 2, Qty: 3})
	s.sync()
	// back to invoice mode: nothing stranded either way
	s.mode(posting.ModeInvoice)
	s.bill("2026-11-22", "KVS02", qty("MG100", 2)) // the summarised day gains an invoice-wise sale
	s.ret("2026-11-24", d.Number, billing.SalesReturnLineInput{Line: 2, Qty: 2})
	s.ret("2026-11-24", g.Number, billing.SalesReturnLineInput{Line: 2, Qty: 4})
	s.sync()
	saved := filepath.Join(t.TempDir(), "before.book")
	if err := s.a.Book.BackupFile(saved); err != nil {
		t.Fatal(err)
	}
	lost1 := s.bill("2026-11-24", "BLR03", qty("MG100", 40)) // printed, in Tally and at head office, then lost by the restore
	last := s.bill("2026-11-24", "SLS01", qty("GD200", 10), qty("CK300", 2))
	// a credit note against the lost invoice (part of it damaged) and a
	// receipt set bill by bill against it and an older bill: lost too
	s.on("2026-11-24")
	lostNote, err := s.a.PostSalesReturn(crossAdmin, billing.SalesReturnInput{Invoice: lost1.Number, Date: "2026-11-24", Reason: "short shelf life",
		Lines: []billing.SalesReturnLineInput{{Line: 1, Qty: 6}, {Line: 1, Qty: 2, Condition: "damaged"}}})
	if err != nil {
		t.Fatal(err)
	}
	lostReceipt, err := s.a.PostReceipt(crossAdmin, billing.ReceiptInput{Outlet: "BLR03", Date: "2026-11-24", Mode: "upi", Reference: "UTR 4471", AmountPaise: 200000,
		Allocations: []billing.Allocation{{Invoice: lost1.Number, AmountPaise: 30000}, {Invoice: g.Number, AmountPaise: 50000}}, OnAccount: true})
	if err != nil {
		t.Fatal(err)
	}
	s.sync()
	if r := s.check("2026-11-01", "2026-11-30"); !r.OK() {
		t.Fatalf("before the restore: %+v", r)
	}

	// A restore loses both invoices; Tally still holds them, so the restore
	// names them, resumes numbering above them, and pulls them back.
	s.a.Close()
	rep, err := RestoreWith(s.dir, saved, RestoreOptions{Now: func() time.Time { return cal.Date("2026-11-25").Time().Add(6 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if s.a, err = Open(s.dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(rep.Lost) != 4 || rep.NumberingHeld ||
		!strings.Contains(strings.Join(rep.Summary, "\n"), "4 of them Tally still holds as vouchers of their own") {
		t.Fatalf("restore report %+v", rep)
	}
	for _, d := range rep.Lost {
		if !d.FromTally {
			t.Fatalf("restore report: %s %s cannot be pulled back: %+v", d.Kind, d.Number, rep)
		}
	}
	if r := s.check("2026-11-01", "2026-11-30"); r.OK() {
		t.Fatal("after the restore the book lacks two sales Tally and head office hold, yet the cross-check agrees")
	}
	s.on("2026-11-25")
	pulled, err := s.a.PullFromTally(crossAdmin)
	if err != nil || len(pulled.Pulled) != 4 || len(pulled.NotPulled) != 0 {
		t.Fatalf("pull %+v %v", pulled, err)
	}
	if inv, err := s.a.Invoice(lost1.Number); err != nil || inv.TotalPaise != lost1.TotalPaise || inv.Lines[0].Batches[0].Batch != lost1.Lines[0].Batches[0].Batch {
		t.Fatalf("pulled back %+v %v, was %+v", inv, err, lost1)
	}
	var note billing.SalesReturn
	var rct billing.Receipt
	err = s.a.view(func(tx *book.Tx) error {
		if note, err = billing.GetSalesReturn(tx, lostNote.Number); err != nil {
			return err
		}
		rct, err = billing.GetReceipt(tx, lostReceipt.Number)
		return err
	})
	if err != nil || note.TotalPaise != lostNote.TotalPaise || note.SettledPaise != lostNote.SettledPaise || len(note.Lines) != len(lostNote.Lines) ||
		note.Lines[1].Condition != "damaged" || note.Lines[1].Batches[0] != lostNote.Lines[1].Batches[0] {
		t.Fatalf("credit note pulled back %+v %v, was %+v", note, err, lostNote)
	}
	if rct.AmountPaise != lostReceipt.AmountPaise || rct.Mode != "upi" || rct.Reference != "UTR 4471" || rct.OnAccountPaise != lostReceipt.OnAccountPaise ||
		len(rct.Allocations) != len(lostReceipt.Allocations) {
		t.Fatalf("receipt pulled back %+v, was %+v", rct, lostReceipt)
	}
	if again, err := s.a.PullFromTally(crossAdmin); err != nil || len(again.Pulled) != 0 {
		t.Fatalf("a second pull %+v %v", again, err)
	}
	s.sync()
	if next := s.bill("2026-11-25", "SLS01", qty("MG100", 1)); next.Number <= last.Number {
		t.Fatalf("after the restore the next invoice is %s, at or below %s", next.Number, last.Number)
	}
	s.sync()
	if cr, err := CheckBook(s.a.Book); err != nil || !cr.OK() {
		t.Fatalf("check after the pull: %v %v", cr.Problems, err)
	}

	r := s.check("2026-11-01", "2026-11-30")
	if !r.OK() || r.Cells == 0 {
		var lines []string
		for _, d := range r.Differences {
			lines = append(lines, d.String())
		}
		t.Fatalf("tally %s, head office %s, %d cells, notes %v:\n%s", r.Tally, r.HeadOffice, r.Cells, r.Notes, strings.Join(lines, "\n"))
	}
	t.Logf("%d cells compared; notes %v", r.Cells, r.Notes)
	// every section compared cells, on every side that holds its figures
	for _, sec := range r.Sections {
		t.Logf("%s: %d cells; book %s; head office %s; Tally %s", sec.Name, sec.Cells, sec.Book, sec.HeadOffice, sec.Tally)
		if sec.Cells == 0 || (sec.Name != SectionMoney && strings.HasPrefix(sec.HeadOffice, "not")) || (sec.Name != SectionStock && strings.HasPrefix(sec.Tally, "not")) {
			t.Errorf("section %s: %d cells; head office %s; Tally %s", sec.Name, sec.Cells, sec.HeadOffice, sec.Tally)
		}
	}

	// The accountant cancels the 24th's sale to SLS01 in Tally: the
	// cross-check names the day, the outlet and both SKUs, Tally short.
	set, _ := s.a.TallySettings()
	held, err := set.Client().Vouchers(context.Background(), cal.Date("2026-11-24").Time(), cal.Date("2026-11-24").Time())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range held {
		if strings.HasSuffix(v.RemoteID, ":invoice:"+last.Number) {
			body := `<ENVELOPE><HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER><BODY><IMPORTDATA><REQUESTDESC><REPORTNAME>Vouchers</REPORTNAME></REQUESTDESC><REQUESTDATA><TALLYMESSAGE>` +
				`<VOUCHER REMOTEID="` + v.RemoteID + `" VCHTYPE="Sales" ACTION="Cancel"><DATE>20261124</DATE><VOUCHERTYPENAME>Sales</VOUCHERTYPENAME><VOUCHERNUMBER>` + v.Number + `</VOUCHERNUMBER></VOUCHER></TALLYMESSAGE></REQUESTDATA></IMPORTDATA></BODY></ENVELOPE>`
			if _, err := set.Client().Import(context.Background(), []byte(body), tallybridge.Expect{Sent: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r = s.check("2026-11-01", "2026-11-30")
	var said []string
	for _, d := range r.Differences {
		if d.HeadOffice == nil || *d.HeadOffice != d.Book || d.Tally == nil {
			t.Errorf("head office agrees with the book: %s", d)
		}
		said = append(said, d.By+" "+d.Key)
	}
	if r.OK() || strings.Join(said, ",") != "day ,outlet SLS01,sku CK300,sku GD200" {
		t.Fatalf("differences after the accountant's cancel: %v", said)
	}
	if got := r.Differences[1].String(); got != "2026-11-24 outlet SLS01: book 12 + 1 free, ₹357.80; head office 12 + 1 free, ₹357.80; Tally 0 + 0 free, ₹0.00" {
		t.Errorf("said %q", got)
	}
}

// Switching between invoice and day-wise mode never strands a voucher:
// documents queued (and failed, Tally being down) in one mode are posted
// after the switch, a folded invoice cancelled after switching back takes
// its day summary with it, and Tally ends as the book is.
func TestSwitchingTallyModesNeverStrandsAVoucher(t *testing.T) {
	s := newCrossShop(t)
	push := func() TallyPushResult {
		t.Helper()
		p, err := s.a.PushTally(crossAdmin, true)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	s.sim.SetFault(tallysim.Refuse)
	s.bill("2026-11-20", "SLS01", qty("GD200", 4)) // queued and failed in invoice mode
	if p := push(); p.StillFailed+p.StillWaiting == 0 {
		t.Fatalf("Tally is down, yet nothing is left: %+v", p)
	}
	s.mode(posting.ModeDaily)
	only := s.bill("2026-11-21", "KVS02", qty("MG100", 6)) // folded into the 21st's summary
	push()
	s.sim.SetFault(tallysim.None)
	if p := push(); p.StillFailed+p.StillWaiting != 0 || p.Error != "" {
		t.Fatalf("after Tally is back: %+v", p)
	}
	summaries := func() (n int) {
		for _, v := range s.sim.Vouchers() {
			if strings.Contains(v.RemoteID, "DS-20261121") && !v.Cancelled {
				n++
			}
		}
		return n
	}
	if summaries() != 1 {
		t.Fatalf("the 21st's summary is not in Tally: %+v", s.sim.Vouchers())
	}
	s.mode(posting.ModeInvoice)
	s.cancel(only.Number, "2026-11-22") // its day's only invoice: the summary must go
	s.bill("2026-11-21", "SLS01", qty("CK300", 2))
	if p := push(); p.StillFailed+p.StillWaiting != 0 || p.Error != "" {
		t.Fatalf("after Tally is back: %+v", p)
	}
	s.mode(posting.ModeDaily)
	s.bill("2026-11-22", "SLS01", qty("MG100", 3))
	s.mode(posting.ModeInvoice)
	s.sync()
	st, err := s.a.TallyStatus()
	if err != nil {
		t.Fatal(err)
	}
	if f, w := st.Left(); f+w != 0 {
		t.Fatalf("stranded: %d failed, %d waiting: %+v", f, w, st)
	}
	r := s.check("2026-11-01", "2026-11-30")
	if !r.OK() {
		var lines []string
		for _, d := range r.Differences {
			lines = append(lines, d.String())
		}
		t.Fatalf("tally %s, head office %s:\n%s", r.Tally, r.HeadOffice, strings.Join(lines, "\n"))
	}
	if summaries() != 0 {
		t.Errorf("the 21st's summary of the cancelled invoice is still in Tally: %+v", s.sim.Vouchers())
	}
}

// A restore asks Tally what it holds: onto a PC with no book to compare
// with, Tally names the lost invoice (pullable) and numbering is proposed
// above it; with Tally unreachable the restore says so and holds numbering
// for a person to confirm.
func TestARestoreAsksTallyWhatItHolds(t *testing.T) {
	s := newCrossShop(t)
	s.bill("2026-11-20", "SLS01", qty("GD200", 5))
	s.sync()
	saved := filepath.Join(t.TempDir(), "before.book")
	if err := s.a.Book.BackupFile(saved); err != nil {
		t.Fatal(err)
	}
	lost := s.bill("2026-11-21", "KVS02", qty("MG100", 6))
	s.sync()
	at := func() time.Time { return cal.Date("2026-11-25").Time().Add(6 * time.Hour) }

	fresh := t.TempDir()
	rep, err := RestoreWith(fresh, saved, RestoreOptions{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	series, n, _ := billing.SeriesOfNumber(lost.Number)
	if !rep.NumberingHeld || rep.Next[series] != n+1 || len(rep.Lost) != 1 || rep.Lost[0].Number != lost.Number || !rep.Lost[0].FromTally ||
		rep.Lost[0].AtHeadOffice != "unknown" || !strings.Contains(rep.Replaced, "Tally answered") {
		t.Fatalf("restore onto a new PC: %+v", rep)
	}

	s.a.Close()
	s.sim.SetFault(tallysim.Refuse)
	rep, err = RestoreWith(s.dir, saved, RestoreOptions{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.NumberingHeld || !strings.Contains(rep.HoldReason, "Tally could not be asked") || rep.Next[series] != n+1 {
		t.Fatalf("restore with Tally down: %+v", rep)
	}
	if s.a, err = Open(s.dir, Options{}); err != nil {
		t.Fatal(err)
	}
}

// A day summary names no invoice nor outlet: a restore that lost an invoice
// folded into one says Tally holds it but cannot pull it back, and a lost
// credit note against it (a voucher of its own, on the summary's party)
// is not pulled either, the reason named: its invoice is not in the book.
func TestADaySummaryIsNeverPulledBack(t *testing.T) {
	s := newCrossShop(t)
	s.mode(posting.ModeDaily)
	s.bill("2026-11-20", "SLS01", qty("GD200", 5))
	s.sync()
	saved := filepath.Join(t.TempDir(), "before.book")
	if err := s.a.Book.BackupFile(saved); err != nil {
		t.Fatal(err)
	}
	lost := s.bill("2026-11-21", "KVS02", qty("MG100", 6))
	s.sync()
	s.ret("2026-11-22", lost.Number, billing.SalesReturnLineInput{Line: 1, Qty: 2})
	s.sync()
	s.a.Close()
	rep, err := RestoreWith(s.dir, saved, RestoreOptions{Now: func() time.Time { return cal.Date("2026-11-25").Time().Add(6 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if s.a, err = Open(s.dir, Options{}); err != nil {
		t.Fatal(err)
	}
	var inv, note *LostDoc
	for i, d := range rep.Lost {
		switch d.Kind {
		case billing.KindInvoice:
			inv = &rep.Lost[i]
		case billing.KindSalesReturn:
			note = &rep.Lost[i]
		}
	}
	if inv == nil || inv.FromTally || !inv.InTally || note == nil || !note.FromTally {
		t.Fatalf("restore report %+v", rep)
	}
	s.on("2026-11-25")
	pulled, err := s.a.PullFromTally(crossAdmin)
	if err != nil || len(pulled.Pulled) != 0 || !strings.Contains(pulled.NotPulled[note.Number], "is not in the book") {
		t.Fatalf("pull %+v %v", pulled, err)
	}
	if why := pulled.NotPulled[lost.Number]; !strings.Contains(why, "only inside its day's summary") || !strings.Contains(why, "bill it again") {
		t.Fatalf("a summarised invoice is named with what to do, never tried: %+v", pulled)
	}
}

// Each section of the cross-check names what the book holds and the other
// sides do not: a credit note, a GRN, a breakage and a receipt posted in
// the book and sent to neither Tally nor head office are each reported on
// their own line, in their own section, with the side that lacks them.
func TestTheCrossCheckNamesADifferenceInEverySection(t *testing.T) {
	s := newCrossShop(t)
	inv := s.bill("2026-11-24", "SLS01", qty("MG100", 10), qty("CK300", 4))
	blr := s.bill("2026-11-24", "BLR03", qty("GD200", 12))
	s.ret("2026-11-25", inv.Number, billing.SalesReturnLineInput{Line: 1, Qty: 2})
	if _, err := s.a.PostReceipt(crossAdmin, billing.ReceiptInput{Outlet: "SLS01", Date: "2026-11-25", Mode: "cash", AmountPaise: 5000,
		Allocations: []billing.Allocation{{Invoice: inv.Number, AmountPaise: 5000}}}); err != nil {
		t.Fatal(err)
	}
	s.sync()
	r := s.check("2026-11-01", "2026-11-25")
	if !r.OK() || len(r.Sections) != 5 {
		t.Fatalf("before anything is planted: %+v", r)
	}
	for _, sec := range r.Sections {
		if sec.Cells == 0 {
			t.Errorf("section %s compared no cell", sec.Name)
		}
	}

	// planted in the book on the 25th, sent to neither side
	if _, err := s.a.PostSalesReturn(crossAdmin, billing.SalesReturnInput{Invoice: blr.Number, Date: "2026-11-25", Reason: "expired",
		Lines: []billing.SalesReturnLineInput{{Line: 1, Qty: 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.PostPurchase(crossAdmin, billing.PurchaseInput{SupplierInvoiceNo: "BRT/9", Date: "2026-11-25",
		Lines: []billing.PurchaseLineInput{{Item: "CK300", Batch: "C9", Expiry: "2027-06-30", MRPPaise: 4000, Qty: 24, RatePaise: 2000}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.PostStockDoc(crossAdmin, billing.KindAdjustment, billing.StockDocInput{Date: "2026-11-25", Reason: "breakage",
		Lines: []billing.StockLineInput{{Item: "MG100", Batch: "M1", Qty: -3}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.PostReceipt(crossAdmin, billing.ReceiptInput{Outlet: "KVS02", Date: "2026-11-25", Mode: "upi", Reference: "UTR 99", AmountPaise: 7000, OnAccount: true}); err != nil {
		t.Fatal(err)
	}
	r = s.check("2026-11-01", "2026-11-25")
	if r.OK() {
		t.Fatal("four documents the other sides lack, yet the cross-check agrees")
	}
	want := map[string]string{
		SectionTax:       "2026-11-25 tax outlet BLR03: book cgst ₹0.00, sgst ₹0.00, igst ₹-",
		SectionReturns:   "2026-11-25 returns outlet BLR03 SKU GD200: book qty 1, free_qty 0, taxable ₹",
		SectionPurchases: "2026-11-25 purchases SKU CK300: book qty 24, free_qty 0, taxable ₹480.00, tax ₹86.40; head office qty 0, free_qty 0, taxable ₹0.00, tax ₹0.00; Tally qty 0, free_qty 0, taxable ₹0.00",
		SectionStock:     "2026-11-25 stock SKU MG100: book closing ",
		SectionMoney:     "2026-11-25 money outlet KVS02: book received ₹70.00, bounced ₹0.00; Tally received ₹0.00, bounced ₹0.00",
	}
	for _, sec := range r.Sections {
		var lines []string
		found := false
		for _, d := range sec.Differences {
			lines = append(lines, d.String())
			found = found || strings.HasPrefix(d.String(), want[sec.Name])
			if strings.Contains(d.String(), "\n") {
				t.Errorf("a difference on two lines: %q", d)
			}
		}
		if !found {
			t.Errorf("section %s does not say %q:\n%s", sec.Name, want[sec.Name], strings.Join(lines, "\n"))
		}
		switch sec.Name {
		case SectionMoney:
			if !strings.HasPrefix(sec.HeadOffice, "not held") {
				t.Errorf("head office holds no money, yet: %s", sec.HeadOffice)
			}
		case SectionStock:
			if !strings.HasPrefix(sec.Tally, "not compared") {
				t.Errorf("Tally's stock is not read, yet: %s", sec.Tally)
			}
		}
	}
	if n := r.DifferenceCount(); n < 5 {
		t.Fatalf("%d differences", n)
	}
}
