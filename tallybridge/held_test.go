package tallybridge_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// What Tally holds reads back as it was sent: numbers, REMOTEIDs, lines
// with free goods, ledgers in Tally's sign; a cancelled voucher keeps its
// number and loses its amounts; the party leg's bill allocation reads back;
// the period bounds the export.
func TestVouchersReadBackFromATallyExport(t *testing.T) {
	_, c := startSim(t, tallysim.Options{})
	ctx := context.Background()
	a, b := sale("INV-1", 2), sale("INV-2", 1)
	b.Lines[0].FreeQty = 3
	late := sale("INV-3", 1)
	late.Date = billDay.AddDate(0, 0, 5)
	vs := []tallybridge.Voucher{a, b, late}
	if _, err := tallybridge.EnsureMasters(ctx, c, vs); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PostVouchers(ctx, vs, 0); err != nil {
		t.Fatal(err)
	}
	a.Cancel = &tallybridge.Cancellation{Reason: "typed twice", Only: true}
	if _, err := c.PostVouchers(ctx, []tallybridge.Voucher{a}, 0); err != nil {
		t.Fatal(err)
	}
	got, err := c.Vouchers(ctx, billDay, billDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("the day holds 2 vouchers, the export gave %d: %+v", len(got), got)
	}
	one, two := got[0], got[1]
	if one.RemoteID != "INV-1" || !one.Cancelled || len(one.Lines) != 0 || one.Date != tallybridge.TallyDate(billDay) {
		t.Errorf("the cancelled voucher: %+v", one)
	}
	l := two.Lines[0]
	if two.RemoteID != "INV-2" || two.Type != "Sales" || two.Cancelled || two.Party != b.Party.Name || two.MasterID == 0 ||
		l.Item != b.Lines[0].Item || l.Billed != 1 || l.Actual != 4 || l.Amount != b.Lines[0].Amount || l.Rate != b.Lines[0].Rate || l.Godown != "Main Location" {
		t.Errorf("the live voucher: %+v", two)
	}
	var sum int64
	for _, g := range two.Ledgers {
		sum += int64(g.Amount)
	}
	if sum+int64(l.Amount) != 0 {
		t.Errorf("ledger legs %+v and the line %d do not balance", two.Ledgers, l.Amount)
	}
	// the party leg's bill-wise allocation reads back: the sale's New Ref
	bills := 0
	for _, g := range two.Ledgers {
		for _, bl := range g.Bills {
			bills++
			if g.Ledger != b.Party.Name || bl.Type != "New Ref" || bl.Amount != g.Amount || (bl.Name != b.BillRef && bl.Name != b.Number) {
				t.Errorf("bill allocation %+v of leg %+v", bl, g)
			}
		}
	}
	if bills != 1 {
		t.Errorf("%d bill allocations read back, want the party's one: %+v", bills, two.Ledgers)
	}
	all, err := c.Vouchers(ctx, time.Time{}, time.Time{})
	if err != nil || len(all) != 3 {
		t.Fatalf("every voucher: %d %v", len(all), err)
	}
}

func FuzzReadVouchers(f *testing.F) {
	f.Add([]byte(`<ENVELOPE><BODY><DATA><COLLECTION><VOUCHER REMOTEID="a" VCHTYPE="Sales"><DATE>20261125</DATE><VOUCHERNUMBER>SI/1</VOUCHERNUMBER><ALLINVENTORYENTRIES.LIST><STOCKITEMNAME>Soap</STOCKITEMNAME><RATE>10.00/Nos</RATE><AMOUNT>20.00</AMOUNT><ACTUALQTY> 3 Nos</ACTUALQTY><BILLEDQTY> 2 Nos</BILLEDQTY></ALLINVENTORYENTRIES.LIST><LEDGERENTRIES.LIST><LEDGERNAME>X</LEDGERNAME><AMOUNT>-20.00</AMOUNT></LEDGERENTRIES.LIST><GSTNATUREOFRETURN>&#4; Not Applicable</GSTNATUREOFRETURN></VOUCHER></COLLECTION></DATA></BODY></ENVELOPE>`))
	f.Add([]byte("<ENVELOPE><BODY><LINEERROR>Could not set 'SVCurrentCompany' to 'X'</LINEERROR></BODY></ENVELOPE>"))
	f.Add([]byte(`<VOUCHER><ALLINVENTORYENTRIES.LIST><BILLEDQTY>2 Box 5 strips</BILLEDQTY></ALLINVENTORYENTRIES.LIST></VOUCHER>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		vs, _, err := tallybridge.ReadVouchers(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, v := range vs {
			for _, l := range v.Lines {
				if l.Billed < 0 || l.Actual < 0 || l.Amount < 0 {
					t.Fatalf("a line read with a negative part: %+v", l)
				}
			}
		}
	})
}
