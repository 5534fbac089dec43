package tallybridge

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"vitaran/backend/money"
)

// HeldVoucher is a voucher as Tally holds it, read back from a Collection
// export: what the cross-check compares with the book, what a restore asks
// for the highest numbers, and what it can pull a lost document back from.
type HeldVoucher struct {
	RemoteID  string
	Type      string // VCHTYPE: Sales, Credit Note, …
	Number    string
	Date      string // YYYYMMDD, as Tally read it
	Party     string // PARTYLEDGERNAME
	GSTIN     string
	Narration string
	Cancelled bool
	MasterID  int64
	AlterID   int64
	Lines     []HeldLine
	Ledgers   []HeldLeg // LEDGERENTRIES.LIST: the party, taxes, round-off
}

// HeldLine is one inventory line of a held voucher. Quantities and the
// amount are positive as printed; free goods are Actual above Billed.
type HeldLine struct {
	Item, Godown, Batch, Unit, Ledger string
	Billed, Actual                    money.Qty
	Rate                              money.Paise
	Amount                            money.Paise
}

// HeldLeg is one ledger entry, in Tally's sign (a debit is negative), with
// the party leg's bill-wise allocations (BILLALLOCATIONS.LIST).
type HeldLeg struct {
	Ledger string
	Amount money.Paise
	Bills  []HeldBill
}

// HeldBill is one bill-wise allocation of a party leg: the bill's name, New
// Ref, Agst Ref or On Account, and the amount in Tally's sign.
type HeldBill struct {
	Name, Type string
	Amount     money.Paise
}

// VouchersRequest is the body of a new-form Collection export of every
// voucher dated from..to (YYYYMMDD; empty for no bound), with the fields a
// voucher is rebuilt from (TALLY.md, "Export ... TYPE Collection").
func VouchersRequest(company, from, to string) []byte {
	doc := etree.NewDocument()
	env := doc.CreateElement("ENVELOPE")
	h := env.CreateElement("HEADER")
	addText(h, "VERSION", "1")
	addText(h, "TALLYREQUEST", "Export")
	addText(h, "TYPE", "Collection")
	addText(h, "ID", "Vitaran Vouchers")
	desc := env.CreateElement("BODY").CreateElement("DESC")
	sv := desc.CreateElement("STATICVARIABLES")
	addText(sv, "SVEXPORTFORMAT", "$$SysName:XML")
	if company != "" {
		addText(sv, "SVCURRENTCOMPANY", company)
	}
	if from != "" {
		addText(sv, "SVFROMDATE", from)
	}
	if to != "" {
		addText(sv, "SVTODATE", to)
	}
	c := desc.CreateElement("TDL").CreateElement("TDLMESSAGE").CreateElement("COLLECTION")
	c.CreateAttr("NAME", "Vitaran Vouchers")
	c.CreateAttr("ISMODIFY", "No")
	addText(c, "TYPE", "Voucher")
	addText(c, "FETCH", "DATE, VOUCHERTYPENAME, VOUCHERNUMBER, PARTYLEDGERNAME, PARTYGSTIN, NARRATION, ISCANCELLED, REMOTEID, MASTERID, ALTERID, ALLINVENTORYENTRIES.*, LEDGERENTRIES.*")
	var b bytes.Buffer
	_ = writeDoc(&b, doc)
	return b.Bytes()
}

// Vouchers exports every voucher Tally holds dated from..to (either may be
// zero for no bound), cancelled ones included.
func (c *Client) Vouchers(ctx context.Context, from, to time.Time) ([]HeldVoucher, error) {
	f, t := "", ""
	if !from.IsZero() {
		f = TallyDate(from)
	}
	if !to.IsZero() {
		t = TallyDate(to)
	}
	var out []HeldVoucher
	err := c.post(ctx, VouchersRequest(c.Company, f, t), func(r io.Reader) error {
		vs, reps, err := ReadVouchers(r)
		if c.OnRepairs != nil && len(reps) > 0 {
			c.OnRepairs(reps)
		}
		out = vs
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("export vouchers from Tally: %w", err)
	}
	return out, nil
}

// VouchersPaged is Vouchers a calendar month per request (TALLY.md: page
// large pulls by date), so a year of a busy company is never one reply.
func (c *Client) VouchersPaged(ctx context.Context, from, to time.Time) ([]HeldVoucher, error) {
	var out []HeldVoucher
	for start := from; !start.After(to); {
		end := time.Date(start.Year(), start.Month()+1, 1, 0, 0, 0, 0, start.Location()).AddDate(0, 0, -1)
		if end.After(to) {
			end = to
		}
		vs, err := c.Vouchers(ctx, start, end)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
		start = end.AddDate(0, 0, 1)
	}
	return out, nil
}

// ReadVouchers reads a voucher export of any size, one voucher at a time;
// numbers are read digit by digit and a voucher whose amount or quantity is
// not a number is refused with its number named.
func ReadVouchers(r io.Reader) ([]HeldVoucher, []Repair, error) {
	var out []HeldVoucher
	repairs, err := readExport(r, func(name string) bool { return name == "VOUCHER" }, func(n *node) error {
		v, err := heldVoucher(n)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, repairs, err
}

func heldVoucher(n *node) (HeldVoucher, error) {
	v := HeldVoucher{
		RemoteID: cleanText(n.attrs["REMOTEID"]), Type: cleanText(n.attrs["VCHTYPE"]),
		Number: n.value("VOUCHERNUMBER"), Date: n.value("DATE"), Party: n.value("PARTYLEDGERNAME"),
		GSTIN: n.value("PARTYGSTIN"), Narration: n.value("NARRATION"),
		Cancelled: strings.EqualFold(n.value("ISCANCELLED"), "Yes"),
	}
	if v.Type == "" {
		v.Type = n.value("VOUCHERTYPENAME")
	}
	v.MasterID, _ = strconv.ParseInt(n.value("MASTERID"), 10, 64)
	v.AlterID, _ = strconv.ParseInt(n.value("ALTERID"), 10, 64)
	bad := func(what, text string, err error) error {
		return fmt.Errorf("voucher %s %q: %s %q: %v", v.Type, v.Number, what, text, err)
	}
	for _, tag := range []string{"ALLINVENTORYENTRIES.LIST", "INVENTORYENTRIES.LIST"} {
		for _, e := range n.all(tag) {
			l := HeldLine{Item: e.value("STOCKITEMNAME"), Godown: e.value("BATCHALLOCATIONS.LIST", "GODOWNNAME"),
				Batch: e.value("BATCHALLOCATIONS.LIST", "BATCHNAME"), Ledger: e.value("ACCOUNTINGALLOCATIONS.LIST", "LEDGERNAME")}
			var err error
			if l.Billed, l.Unit, err = ParseQty(e.value("BILLEDQTY")); err != nil {
				return v, bad("billed quantity", e.value("BILLEDQTY"), err)
			}
			if l.Actual, _, err = ParseQty(e.value("ACTUALQTY")); err != nil {
				return v, bad("actual quantity", e.value("ACTUALQTY"), err)
			}
			if l.Rate, _, err = ParseRate(e.value("RATE")); err != nil {
				return v, bad("rate", e.value("RATE"), err)
			}
			if l.Amount, err = ParseAmount(e.value("AMOUNT")); err != nil {
				return v, bad("amount", e.value("AMOUNT"), err)
			}
			l.Billed, l.Actual, l.Amount = abs(l.Billed), abs(l.Actual), money.Paise(abs(money.Qty(l.Amount)))
			v.Lines = append(v.Lines, l)
		}
	}
	for _, e := range n.all("LEDGERENTRIES.LIST") {
		amt, err := ParseAmount(e.value("AMOUNT"))
		if err != nil {
			return v, bad("amount", e.value("AMOUNT"), err)
		}
		leg := HeldLeg{Ledger: e.value("LEDGERNAME"), Amount: amt}
		for _, b := range e.all("BILLALLOCATIONS.LIST") {
			ba, err := ParseAmount(b.value("AMOUNT"))
			if err != nil {
				return v, bad("bill amount", b.value("AMOUNT"), err)
			}
			leg.Bills = append(leg.Bills, HeldBill{Name: b.value("NAME"), Type: b.value("BILLTYPE"), Amount: ba})
		}
		v.Ledgers = append(v.Ledgers, leg)
	}
	return v, nil
}

func abs(q money.Qty) money.Qty {
	if q < 0 {
		return -q
	}
	return q
}
