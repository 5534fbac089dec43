package collections

import (
	"fmt"
	"path/filepath"
	"testing"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// shop is a book with a salesman, three outlets and six open bills (two
// each), returned by number.
func shop(t testing.TB) (*book.Book, []billing.Invoice) {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	var invs []billing.Invoice
	err = b.Update(func(tx *book.Tx) error {
		if err := masters.EnsureDefaults(tx); err != nil {
			return err
		}
		gstin := "33AAAPM1234C1Z"
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Sri Murugan Agencies", StateCode: "33", GSTIN: gstin + string(gst.CheckChar(gstin))}); err != nil {
			return err
		}
		if _, err := masters.CreateItem(tx, masters.Item{Code: "GD200", Name: "Good Day Cashew 200g", Brand: "Britannia", Category: "Biscuits", HSN: "19053100", GSTRateBP: 500,
			MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}, "2026-11-01"); err != nil {
			return err
		}
		if _, err := masters.CreateSalesman(tx, masters.Salesman{Code: "RAVI", Name: "Ravi", Active: true}); err != nil {
			return err
		}
		for _, c := range []string{"ANB01", "MKS02", "SLS03"} {
			if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: c, Name: "Outlet " + c, StateCode: "33", Active: true}); err != nil {
				return err
			}
		}
		if _, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "B-1", Date: "2026-11-01", Lines: []billing.PurchaseLineInput{
			{Item: "GD200", Batch: "A", Expiry: "2027-12-31", MRPPaise: 4000, Qty: 1000, RatePaise: 2500}}}); err != nil {
			return err
		}
		for i, c := range []string{"ANB01", "MKS02", "SLS03", "ANB01", "MKS02", "SLS03"} {
			inv, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: c, Date: cal.Date("2026-11-2" + fmt.Sprint(i)), Lines: []billing.LineInput{{Item: "GD200", Qty: money.Qty(10 * (i + 1))}}})
			if err != nil {
				return err
			}
			invs = append(invs, inv)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, invs
}

// Whatever the lines of a settlement, it either posts nothing or posts
// receipts that add up, bill by bill, to exactly what the sheet says was
// collected; the book's outstanding proves out either way and no bill
// stays tagged.
func FuzzASettlementPostsExactlyWhatTheSheetSays(f *testing.F) {
	f.Add([]byte{0, 255, 1, 0, 10, 2, 2, 128, 0})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 200, 2})
	f.Add([]byte{5, 0, 0, 5, 255, 0, 3, 7, 9})
	f.Add([]byte{0, 200, 0, 1, 100, 1, 2, 50, 2, 1, 60, 5, 3, 10, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, invs := shop(t)
		numbers := make([]string, 0, 5)
		for _, inv := range invs[:5] { // the sixth is never tagged
			numbers = append(numbers, inv.Number)
		}
		var s Sheet
		err := b.Update(func(tx *book.Tx) error {
			var err error
			s, err = Create(tx, SheetInput{Salesman: "RAVI", Date: "2026-11-25", Bills: numbers})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var lines []Payment
		for i := 0; i+2 < len(data) && len(lines) < 12; i += 3 {
			inv := invs[int(data[i])%6] // sometimes a bill not on the sheet
			p := Payment{Invoice: inv.Number, AmountPaise: inv.TotalPaise * money.Paise(data[i+1]) / 200}
			switch data[i+2] % 4 {
			case 0:
				p.Mode = "cash"
			case 1:
				p.Mode, p.ChequeNo, p.Bank, p.ChequeDate = "cheque", fmt.Sprint(data[i+2]%3), "SBI", "2026-11-25"
			case 2:
				p.Mode, p.Reference = "upi", "UTR"+fmt.Sprint(data[i+2]%5)
			default:
				p.Mode = "card"
			}
			lines = append(lines, p)
		}
		var settled Sheet
		err = b.Update(func(tx *book.Tx) error {
			var err error
			settled, err = Settle(tx, s.ID, SettleInput{Bills: lines})
			return err
		})
		b.View(func(tx *book.Tx) error {
			probs, cerr := billing.Check(tx)
			if cerr != nil {
				t.Fatal(cerr)
			}
			for _, p := range probs {
				t.Error("check: " + p)
			}
			now, _ := Get(tx, s.ID)
			if err != nil {
				if now.Status != StatusOpen || len(now.Receipts) != 0 {
					t.Fatalf("a refused settlement (%v) changed the sheet: %+v", err, now)
				}
				return nil
			}
			byBill := map[string]money.Paise{}
			for _, n := range settled.Receipts {
				r, err := billing.GetReceipt(tx, n)
				if err != nil {
					t.Fatal(err)
				}
				if r.OnAccountPaise != 0 {
					t.Errorf("receipt %s left ₹%s on account", n, r.OnAccountPaise)
				}
				for _, a := range r.Allocations {
					byBill[a.Invoice] += a.AmountPaise
				}
			}
			var sum money.Paise
			for _, bl := range settled.Bills {
				sum += bl.CollectedPaise
				if byBill[bl.Invoice] != bl.CollectedPaise {
					t.Errorf("%s: sheet says ₹%s collected, receipts set ₹%s against it", bl.Invoice, bl.CollectedPaise, byBill[bl.Invoice])
				}
				if TaggedTo(tx, bl.Invoice) != 0 {
					t.Errorf("%s is still tagged", bl.Invoice)
				}
				inv, _ := billing.GetInvoice(tx, bl.Invoice)
				if due := billing.DueOn(tx, &inv); due != bl.DuePaise-bl.CollectedPaise {
					t.Errorf("%s: ₹%s due, want ₹%s less ₹%s", bl.Invoice, due, bl.DuePaise, bl.CollectedPaise)
				}
			}
			if sum != settled.CollectedPaise || len(byBill) > len(settled.Bills) {
				t.Errorf("collected ₹%s, bills say ₹%s; receipts touch %d bills", settled.CollectedPaise, sum, len(byBill))
			}
			return nil
		})
	})
}
