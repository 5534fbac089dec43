// Package tallybridge keeps the distributor's Tally books in step with Vitaran:
// it turns documents into Tally vouchers (XML over HTTP), creates the masters
// they need, reads masters back, and pushes a durable queue so that every
// document reaches Tally exactly once.
//
// Always true:
//   - every voucher the bridge sends has legs that sum to exactly zero paise,
//     and every leg's ISDEEMEDPOSITIVE flag agrees with its sign (debit = Yes
//     with a negative amount); a voucher that breaks this is refused before
//     it leaves the process;
//   - every voucher carries REMOTEID = our stable id, so a re-send alters the
//     voucher Tally already holds instead of creating a second one;
//   - a queue entry is marked "sent, awaiting reply" durably before its
//     request goes out, so after a crash the next attempt knows Tally may
//     already hold it;
//   - no float touches money: amounts are money.Paise, quantities money.Qty,
//     rates money.BP, and Tally's text is parsed digit by digit.
//
// TALLY.md (the shared design notes) says what real Tally does; tallysim
// emulates it; README.md here draws the queue states.
package tallybridge

import (
	"fmt"
	"time"

	"vitaran/backend/money"
)

// Kind is the Tally voucher type a document becomes.
type Kind int

const (
	Sales        Kind = iota + 1 // retailer invoice: party debit, goods and output tax credit
	CreditNote                   // sales return: every sign of a sale flipped
	Purchase                     // brand invoice (GRN): goods and input tax debit, party credit
	DebitNote                    // purchase return: every sign of a purchase flipped
	Receipt                      // money from a retailer: bank/cash debit, party credit
	StockJournal                 // godown transfer or stock adjustment: inventory in/out only
	Journal                      // a receipt undone (a bounced cheque): party debit, bank and charges credit
)

// String is the voucher type name Tally knows (VCHTYPE).
func (k Kind) String() string {
	switch k {
	case Sales:
		return "Sales"
	case CreditNote:
		return "Credit Note"
	case Purchase:
		return "Purchase"
	case DebitNote:
		return "Debit Note"
	case Receipt:
		return "Receipt"
	case StockJournal:
		return "Stock Journal"
	case Journal:
		return "Journal"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// goodsOut reports whether the voucher's goods leave the distributor (a sale
// or a purchase return): the goods and tax legs are credits, the party a debit.
func (k Kind) goodsOut() bool { return k == Sales || k == DebitNote }

// Voucher is one document as Tally will hold it. It is deliberately plain: the
// billing adapter fills it, the bridge checks and sends it. Amounts are
// positive as printed on the document; the bridge applies Tally's signs.
type Voucher struct {
	Kind     Kind
	RemoteID string    // our stable id for the document; re-sends alter the voucher with this id
	Number   string    // the document number printed on the invoice
	Date     time.Time // only the calendar day is used
	Party    Party     // the outlet or supplier (Receipt: who paid)

	PlaceOfSupply string // state name, e.g. "Karnataka"; defaults to the party's state
	Narration     string

	Lines   []Line   // inventory lines (Sales, CreditNote, Purchase, DebitNote)
	Taxes   []TaxLeg // CGST/SGST or IGST legs, positive amounts
	Charges []Charge // other legs on the bill: discounts (negative), freight (positive)

	// RoundOff is what rounding added to the bill total (negative when it
	// took away), so Total = lines + taxes + charges + RoundOff.
	RoundOff       money.Paise
	RoundOffLedger string // default "Round Off"

	// Total is the amount the party owes or is owed (Receipt: the amount
	// received). It is stated, not derived, so that a document whose parts do
	// not add up is caught here rather than in Tally.
	Total money.Paise

	// BillRef names the bill in the party's bill-wise ledger. Sales and
	// Purchase create it (New Ref, default Number); CreditNote, DebitNote and
	// Receipt settle it (Agst Ref). Empty on a Receipt means On Account.
	BillRef string

	// Bills sets a Receipt against several bills: one Agst Ref each, in
	// this order; what they leave of Total goes On Account. When set,
	// BillRef is not used. On a Journal they are the bills it opens again
	// (debits, Agst Ref); its Charges are a New Ref under its Number.
	Bills []Bill

	// Bank is the bank or cash ledger a Receipt lands in ("Cash" by default),
	// or a Journal takes back from.
	Bank string

	// In and Out are a StockJournal's entries: goods arriving in a godown
	// and goods leaving one. A transfer has equal value on both sides.
	In, Out []StockEntry

	// Cancel, when set, cancels the voucher in Tally (ACTION="Cancel" by
	// REMOTEID, as the accountant's Alt+X): its number stays used, its
	// amounts stop counting and GSTR-1 reports it cancelled. The voucher is
	// sent first (created, or altered back to the document) unless
	// Cancel.Only, so the cancel always finds it and ends the request.
	Cancel *Cancellation

	// Delete, when set, removes the voucher with this REMOTEID from Tally
	// (ACTION="Delete"; Kind, Number and Date name it): a day summary whose
	// invoices were all cancelled. Nothing else of the voucher is sent.
	Delete bool
}

// Cancellation says why and when a document was cancelled.
type Cancellation struct {
	Date   time.Time // when it was cancelled (narration only: Tally keeps the voucher's own date)
	Reason string
	// Only: Tally is known to hold the voucher; send the cancel alone.
	Only bool
}

// Objects is how many import objects the voucher makes: itself, its
// cancel, or both.
func (v Voucher) Objects() int {
	switch {
	case v.Cancel == nil:
		return 1
	case v.Cancel.Only:
		return 1
	}
	return 2
}

// Bill is part of a receipt set against one bill (an invoice's New Ref).
type Bill struct {
	Ref    string      // the bill's name in the party's bill-wise ledger
	Amount money.Paise // positive, as on the receipt
}

// Party is the other side of a voucher.
type Party struct {
	Name  string // the ledger name in Tally (after mapping)
	GSTIN string // empty for an unregistered outlet
	State string // state name, e.g. "Tamil Nadu"
}

// Line is one inventory line of an invoice.
type Line struct {
	Item     string      // stock item name in Tally
	HSN      string      // used when the item has to be created
	GSTRate  money.BP    // the item's GST rate (1800 = 18 %)
	Godown   string      // always sent: multi-godown companies reject a line without one
	Batch    string      // default "Primary Batch"
	Unit     string      // base unit symbol, e.g. "Nos", "Pcs"
	Qty      money.Qty   // billed quantity
	FreeQty  money.Qty   // free goods: shipped on top of the billed quantity
	Rate     money.Paise // price per unit before discount
	Discount money.BP    // the clerk's line discount; Tally is sent whatever percentage turns Rate × Qty into Amount
	Amount   money.Paise // net of every discount (the clerk's, the schemes'); what the sales/purchase ledger gets
	Ledger   string      // sales or purchase ledger, e.g. "Sales @ 18%"
}

// gross is RATE × billed quantity, what Tally starts a line's AMOUNT from.
func (l Line) gross() money.Paise { return l.Rate.MulQty(l.Qty) }

// Tax names a GST duty head.
type Tax string

const (
	CGST Tax = "CGST"
	SGST Tax = "SGST"
	IGST Tax = "IGST"
)

// TaxLeg is one duty on the bill.
type TaxLeg struct {
	Tax    Tax
	Rate   money.BP    // the GST rate of the lines it taxes (18 % for a 9 % CGST leg); used by the day summary
	Ledger string      // default "Output CGST" on sales, "Input CGST" on purchases
	Amount money.Paise // positive
}

// Charge is another ledger leg that adds to (or, negative, takes from) the bill.
type Charge struct {
	Ledger string
	Amount money.Paise
}

// StockEntry is one side of a stock journal.
type StockEntry struct {
	Item   string
	Godown string
	Batch  string
	Unit   string
	Qty    money.Qty
	Rate   money.Paise
	Amount money.Paise
}

// Default ledger names used when a voucher leaves one empty. They are also
// the names the masters step creates in a fresh company.
const (
	DefaultRoundOff = "Round Off"
	DefaultCash     = "Cash"
	DefaultBatch    = "Primary Batch"
	DefaultGodown   = "Main Location"
)

// SalesLedgerName is the sales ledger for a GST rate: "Sales @ 18%".
func SalesLedgerName(rate money.BP) string { return "Sales @ " + rate.String() }

// PurchaseLedgerName is the purchase ledger for a GST rate: "Purchase @ 18%".
func PurchaseLedgerName(rate money.BP) string { return "Purchase @ " + rate.String() }

// TaxLedgerName is the default duty ledger: "Output CGST" on the selling
// side, "Input IGST" on the buying side.
func TaxLedgerName(t Tax, selling bool) string {
	if selling {
		return "Output " + string(t)
	}
	return "Input " + string(t)
}

// withDefaults returns a copy of v with every empty ledger, batch and
// godown name filled in, so that the XML and the masters step see the same
// names.
func (v Voucher) withDefaults() Voucher {
	selling := v.Kind == Sales || v.Kind == CreditNote
	if v.RoundOffLedger == "" {
		v.RoundOffLedger = DefaultRoundOff
	}
	if (v.Kind == Receipt || v.Kind == Journal) && v.Bank == "" {
		v.Bank = DefaultCash
	}
	if v.PlaceOfSupply == "" {
		v.PlaceOfSupply = v.Party.State
	}
	if v.BillRef == "" && (v.Kind == Sales || v.Kind == Purchase) {
		v.BillRef = v.Number
	}
	lines := make([]Line, len(v.Lines))
	for i, l := range v.Lines {
		if l.Ledger == "" {
			if selling {
				l.Ledger = SalesLedgerName(l.GSTRate)
			} else {
				l.Ledger = PurchaseLedgerName(l.GSTRate)
			}
		}
		if l.Godown == "" {
			l.Godown = DefaultGodown
		}
		if l.Batch == "" {
			l.Batch = DefaultBatch
		}
		lines[i] = l
	}
	v.Lines = lines
	taxes := make([]TaxLeg, len(v.Taxes))
	for i, t := range v.Taxes {
		if t.Ledger == "" {
			t.Ledger = TaxLedgerName(t.Tax, selling)
		}
		taxes[i] = t
	}
	v.Taxes = taxes
	v.In = stockDefaults(v.In)
	v.Out = stockDefaults(v.Out)
	return v
}

func stockDefaults(es []StockEntry) []StockEntry {
	out := make([]StockEntry, len(es))
	for i, e := range es {
		if e.Godown == "" {
			e.Godown = DefaultGodown
		}
		if e.Batch == "" {
			e.Batch = DefaultBatch
		}
		out[i] = e
	}
	return out
}

// Leg is one accounting leg of a voucher in Tally's sign: a debit is
// negative (ISDEEMEDPOSITIVE Yes), a credit positive (ISDEEMEDPOSITIVE No).
type Leg struct {
	Ledger string
	Amount money.Paise
	Party  bool // the party's own leg (bill-wise)
	Line   int  // index into Lines for an inventory line's ledger, else -1
}

// Debit reports whether the leg is a debit: Tally's ISDEEMEDPOSITIVE.
func (l Leg) Debit() bool { return l.Amount < 0 }

// Legs returns the voucher's accounting legs with Tally's signs, after
// defaults. A stock journal has none.
func (v Voucher) Legs() []Leg { return v.withDefaults().legs() }

// legs is Legs for a voucher whose defaults are already filled.
func (v Voucher) legs() []Leg {
	// s turns "adds to the bill" into Tally's sign for the goods side.
	s := money.Paise(1)
	if !v.Kind.goodsOut() {
		s = -1
	}
	var legs []Leg
	switch v.Kind {
	case StockJournal:
		return nil
	case Receipt:
		return []Leg{
			{Ledger: v.Bank, Amount: -v.Total, Line: -1},
			{Ledger: v.Party.Name, Amount: v.Total, Party: true, Line: -1},
		}
	case Journal:
		legs = []Leg{{Ledger: v.Party.Name, Amount: -v.Total, Party: true, Line: -1}, {Ledger: v.Bank, Amount: v.Total, Line: -1}}
		for _, c := range v.Charges {
			legs[1].Amount -= c.Amount
			legs = append(legs, Leg{Ledger: c.Ledger, Amount: c.Amount, Line: -1})
		}
		return legs
	}
	legs = append(legs, Leg{Ledger: v.Party.Name, Amount: -s * v.Total, Party: true, Line: -1})
	for i, l := range v.Lines {
		legs = append(legs, Leg{Ledger: l.Ledger, Amount: s * l.Amount, Line: i})
	}
	for _, t := range v.Taxes {
		legs = append(legs, Leg{Ledger: t.Ledger, Amount: s * t.Amount, Line: -1})
	}
	for _, c := range v.Charges {
		legs = append(legs, Leg{Ledger: c.Ledger, Amount: s * c.Amount, Line: -1})
	}
	if v.RoundOff != 0 {
		legs = append(legs, Leg{Ledger: v.RoundOffLedger, Amount: s * v.RoundOff, Line: -1})
	}
	return legs
}

// Check refuses a voucher Tally would refuse or, worse, accept wrongly:
// missing ids, names or dates, negative amounts where the document has
// none, and legs that do not sum to exactly zero.
func (v Voucher) Check() error {
	if err := v.check(); err != nil {
		return fmt.Errorf("voucher %s %q: %w", v.Kind, v.Number, err)
	}
	return nil
}

func (v Voucher) check() error {
	if v.Kind < Sales || v.Kind > Journal {
		return fmt.Errorf("unknown voucher kind %d", int(v.Kind))
	}
	if v.RemoteID == "" {
		return fmt.Errorf("no remote id: every voucher needs our stable id so a re-send alters instead of duplicating")
	}
	if v.Date.IsZero() {
		return fmt.Errorf("no date")
	}
	if v.Delete {
		if v.Number == "" || v.Cancel != nil {
			return fmt.Errorf("a delete names the voucher by number and cancels nothing")
		}
		return nil
	}
	if v.Kind == StockJournal {
		return v.checkStockJournal()
	}
	if v.Party.Name == "" {
		return fmt.Errorf("no party ledger")
	}
	if v.Kind == Journal {
		return v.checkJournal()
	}
	if v.Kind == Receipt {
		if v.Total <= 0 {
			return fmt.Errorf("receipt amount %s: must be more than zero", v.Total.Plain())
		}
		var set money.Paise
		seen := map[string]bool{}
		for i, b := range v.Bills {
			if b.Ref == "" || b.Amount <= 0 {
				return fmt.Errorf("bill %d: needs the bill's name and an amount above zero", i+1)
			}
			if seen[b.Ref] {
				return fmt.Errorf("bill %d: %s is named twice; give it once with the whole amount", i+1, b.Ref)
			}
			seen[b.Ref] = true
			set += b.Amount
		}
		if set > v.Total {
			return fmt.Errorf("bills set against %s but the receipt is %s", set.Plain(), v.Total.Plain())
		}
		return nil
	}
	if len(v.Lines) == 0 {
		return fmt.Errorf("no lines")
	}
	for i, l := range v.Lines {
		switch {
		case l.Item == "":
			return fmt.Errorf("line %d: no stock item", i+1)
		case l.Qty < 0 || l.FreeQty < 0:
			return fmt.Errorf("line %d (%s): negative quantity", i+1, l.Item)
		case l.Qty == 0 && l.FreeQty == 0:
			return fmt.Errorf("line %d (%s): no quantity", i+1, l.Item)
		case l.Amount < 0 || l.Rate < 0:
			return fmt.Errorf("line %d (%s): negative amount or rate", i+1, l.Item)
		case l.Unit == "":
			return fmt.Errorf("line %d (%s): no unit", i+1, l.Item)
		case l.Qty > 0 && l.gross()/money.Paise(l.Qty) != l.Rate:
			return fmt.Errorf("line %d (%s): rate × quantity is too large", i+1, l.Item)
		}
		// Tally recomputes AMOUNT from RATE × BILLEDQTY less DISCOUNT on
		// re-save: a discount hidden in AMOUNT alone would change sales and tax
		if _, err := lineDiscount(l.gross(), l.Amount, l.Discount); err != nil {
			return fmt.Errorf("line %d (%s): %w", i+1, l.Item, err)
		}
	}
	for _, t := range v.Taxes {
		if t.Amount < 0 {
			return fmt.Errorf("%s leg %s: negative tax", t.Tax, t.Amount.Plain())
		}
	}
	return checkLegs(v.withDefaults().legs())
}

// checkJournal checks a receipt undone: a party, something taken back from
// the bank, charges above zero, and reopened bills within the amount.
func (v Voucher) checkJournal() error {
	var charges, set money.Paise
	for i, c := range v.Charges {
		if c.Ledger == "" || c.Amount <= 0 {
			return fmt.Errorf("charge %d: needs a ledger and an amount above zero", i+1)
		}
		charges += c.Amount
	}
	if v.Total-charges <= 0 {
		return fmt.Errorf("journal %s with charges %s: takes nothing back from %s", v.Total.Plain(), charges.Plain(), v.Bank)
	}
	seen := map[string]bool{}
	for i, b := range v.Bills {
		if b.Ref == "" || b.Amount <= 0 || seen[b.Ref] {
			return fmt.Errorf("bill %d: needs a bill named once and an amount above zero", i+1)
		}
		seen[b.Ref] = true
		set += b.Amount
	}
	if set > v.Total-charges {
		return fmt.Errorf("bills reopened for %s but %s was taken back", set.Plain(), (v.Total - charges).Plain())
	}
	return checkLegs(v.withDefaults().legs())
}

// checkLegs is the zero-sum rule: the legs of a voucher add up to nothing.
func checkLegs(legs []Leg) error {
	var sum money.Paise
	for _, l := range legs {
		if l.Ledger == "" {
			return fmt.Errorf("a leg of %s has no ledger name", l.Amount.Plain())
		}
		sum += l.Amount
	}
	if sum != 0 {
		return fmt.Errorf("legs do not balance: they sum to %s, not zero (Tally would say \"Voucher totals do not match!\"): check Total against lines + taxes + charges + round-off", sum.Plain())
	}
	return nil
}

func (v Voucher) checkStockJournal() error {
	if len(v.In) == 0 && len(v.Out) == 0 {
		return fmt.Errorf("stock journal has no entries")
	}
	var in, out money.Paise
	for i, e := range v.In {
		if e.Item == "" || e.Qty <= 0 || e.Amount < 0 || e.Unit == "" {
			return fmt.Errorf("entry in %d: needs an item, a unit, a quantity above zero and no negative amount", i+1)
		}
		if _, err := exactRate(e.Amount, e.Qty); err != nil {
			return fmt.Errorf("entry in %d: %w", i+1, err)
		}
		in += e.Amount
	}
	for i, e := range v.Out {
		if e.Item == "" || e.Qty <= 0 || e.Amount < 0 || e.Unit == "" {
			return fmt.Errorf("entry out %d: needs an item, a unit, a quantity above zero and no negative amount", i+1)
		}
		if _, err := exactRate(e.Amount, e.Qty); err != nil {
			return fmt.Errorf("entry out %d: %w", i+1, err)
		}
		out += e.Amount
	}
	if len(v.In) > 0 && len(v.Out) > 0 && in != out {
		return fmt.Errorf("transfer does not balance: %s in, %s out", in.Plain(), out.Plain())
	}
	return nil
}
