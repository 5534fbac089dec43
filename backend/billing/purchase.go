package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// PurchaseLineInput is one line of the brand's invoice as received.
type PurchaseLineInput struct {
	Item       string      `json:"item"`
	Batch      string      `json:"batch"`
	Expiry     cal.Date    `json:"expiry"`
	MRPPaise   money.Paise `json:"mrp_paise"`
	Qty        money.Qty   `json:"qty"`
	RatePaise  money.Paise `json:"rate_paise"`
	DiscountBP money.BP    `json:"discount_bp,omitempty"`
}

// PurchaseInput is a goods receipt (GRN) against the brand's invoice.
type PurchaseInput struct {
	SupplierInvoiceNo string              `json:"supplier_invoice_no"`
	Date              cal.Date            `json:"date"`
	SupplierGSTIN     string              `json:"supplier_gstin,omitempty"`
	Supplier          string              `json:"supplier,omitempty"`
	Godown            string              `json:"godown,omitempty"`
	Lines             []PurchaseLineInput `json:"lines"`
	// DateOverride (admins only) posts a date outside the company's window.
	DateOverride bool `json:"date_override,omitempty"`
	// RequestID is the client's own id for this posting: sent again, it
	// answers the document already posted (requests.go).
	RequestID string `json:"request_id,omitempty"`
}

// DocLine is a line of a purchase, debit note or credit note: goods, their
// batch and the GST on them.
type DocLine struct {
	No           int          `json:"line"`
	Item         string       `json:"item"`
	Name         string       `json:"name"`
	HSN          string       `json:"hsn"`
	Batch        string       `json:"batch,omitempty"`
	Expiry       cal.Date     `json:"expiry,omitempty"`
	MRPPaise     money.Paise  `json:"mrp_paise,omitempty"`
	Qty          money.Qty    `json:"qty"`
	RatePaise    money.Paise  `json:"rate_paise"`
	DiscountBP   money.BP     `json:"discount_bp,omitempty"`
	TaxablePaise money.Paise  `json:"taxable_paise"`
	GSTRateBP    money.BP     `json:"gst_rate_bp"`
	CGSTPaise    money.Paise  `json:"cgst_paise"`
	SGSTPaise    money.Paise  `json:"sgst_paise"`
	IGSTPaise    money.Paise  `json:"igst_paise"`
	TotalPaise   money.Paise  `json:"total_paise"`
	InvoiceLine  int          `json:"invoice_line,omitempty"` // credit note: the invoice line it returns
	Condition    string       `json:"condition,omitempty"`    // credit note: saleable, damaged, expired
	Free         bool         `json:"free,omitempty"`
	Batches      []stock.Pick `json:"batches,omitempty"`
	// A credit note's line says what it gives back of the invoice line's
	// figures (ReturnShare): gross_paise (rate × qty) less discount_paise,
	// scheme_discount_paise and free_deducted_paise is its taxable value.
	// free_due is the free pieces the invoice line's schemes no longer give
	// on what the outlet kept; free_recovered of them came back (the note's
	// free lines, back in stock) and the rest stay with the outlet, valued
	// at the invoice's rate for them (free_deducted_paise) and taken off the
	// credit. A free line carries the value of the pieces it brings back
	// (free_value_paise). Absent means zero; notes posted before these
	// fields read through ReturnValues.
	GrossPaise          money.Paise `json:"gross_paise,omitempty"`
	DiscountPaise       money.Paise `json:"discount_paise,omitempty"`
	SchemeDiscountPaise money.Paise `json:"scheme_discount_paise,omitempty"`
	FreeDue             money.Qty   `json:"free_due,omitempty"`
	FreeRecovered       money.Qty   `json:"free_recovered,omitempty"`
	FreeDeductedPaise   money.Paise `json:"free_deducted_paise,omitempty"`
	FreeValuePaise      money.Paise `json:"free_value_paise,omitempty"`
}

func docTotals(lines []DocLine) Totals {
	var t Totals
	for i := range lines {
		l := &lines[i]
		t.TaxablePaise += l.TaxablePaise
		t.CGSTPaise += l.CGSTPaise
		t.SGSTPaise += l.SGSTPaise
		t.IGSTPaise += l.IGSTPaise
		if l.GrossPaise != 0 { // a credit note's line that says its discounts
			t.GrossPaise += l.GrossPaise
			t.DiscountPaise += l.DiscountPaise
			t.SchemeDiscountPaise += l.SchemeDiscountPaise
		} else {
			t.GrossPaise += l.TaxablePaise
		}
		t.FreeValuePaise += l.FreeValuePaise
	}
	t.TotalPaise, t.RoundOffPaise = (t.TaxablePaise + t.CGSTPaise + t.SGSTPaise + t.IGSTPaise).RoundToRupee()
	return t
}

// Purchase is a posted GRN: stock in, GST input.
type Purchase struct {
	Number            string    `json:"number"`
	SupplierInvoiceNo string    `json:"supplier_invoice_no"`
	Date              cal.Date  `json:"date"`
	SupplierGSTIN     string    `json:"supplier_gstin,omitempty"`
	Supplier          string    `json:"supplier,omitempty"`
	InterState        bool      `json:"inter_state"`
	Godown            string    `json:"godown"`
	Lines             []DocLine `json:"lines"`
	Totals
	PostedAt  time.Time `json:"posted_at"`
	PostedBy  string    `json:"posted_by"`
	RequestID string    `json:"request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier posting.
	Replayed bool `json:"replayed,omitempty"`
}

// postPurchase posts a GRN: new batches, stock in at the net rate, GST input
// split. The same supplier invoice number (per supplier and financial year)
// twice is a conflict.
func postPurchase(tx *book.Tx, in PurchaseInput) (Purchase, error) {
	no := strings.ToUpper(strings.TrimSpace(in.SupplierInvoiceNo))
	if no == "" || len(no) > 30 || strings.ContainsRune(no, 0) {
		return Purchase{}, fail.Invalid("supplier_invoice_no", "is required (at most 30 characters)")
	}
	if err := validDate("date", in.Date); err != nil {
		return Purchase{}, err
	}
	if err := checkLines(len(in.Lines)); err != nil {
		return Purchase{}, err
	}
	co, err := company(tx)
	if err != nil {
		return Purchase{}, err
	}
	gstin := gst.NormalizeGSTIN(in.SupplierGSTIN)
	if gstin != "" {
		if err := gst.ValidateGSTIN(gstin); err != nil {
			return Purchase{}, fail.Invalid("supplier_gstin", "%v", err)
		}
	}
	godown := masters.NormalizeCode(in.Godown)
	if godown == "" {
		godown = stock.MainGodown
	}
	if _, err := masters.GetGodown(tx, godown); err != nil {
		return Purchase{}, fail.Invalid("godown", "godown %s does not exist", godown)
	}
	fy := cal.FYOf(in.Date, co.FYStartMonth)
	if prev := purchaseOfSupplierInvoice(tx, gstin, fy, no); prev != "" {
		return Purchase{}, fail.Conflict("supplier_invoice_no", "supplier invoice %s is already entered as %s", no, prev)
	}
	p := Purchase{RequestID: in.RequestID, SupplierInvoiceNo: no, Date: in.Date, SupplierGSTIN: gstin, Supplier: strings.TrimSpace(in.Supplier),
		InterState: gstin != "" && gst.StateOfGSTIN(gstin) != co.StateCode, Godown: godown}
	num, err := nextNumber(tx, PrefixPurchase, in.Date, co.FYStartMonth)
	if err != nil {
		return p, err
	}
	p.Number = num
	items := itemCache{}
	for i, l := range in.Lines {
		it, err := items.get(tx, lineField(i, "item"), l.Item)
		if err != nil {
			return p, err
		}
		if err := positiveQty(i, l.Qty); err != nil {
			return p, err
		}
		if err := checkRate(lineField(i, "rate_paise"), l.RatePaise); err != nil {
			return p, err
		}
		if err := checkRate(lineField(i, "mrp_paise"), l.MRPPaise); err != nil {
			return p, err
		}
		if l.DiscountBP < 0 || l.DiscountBP > 10000 {
			return p, fail.Invalid(lineField(i, "discount_bp"), "must be 0–10000")
		}
		gross, err := lineValue(i, l.RatePaise, l.Qty)
		if err != nil {
			return p, err
		}
		taxable := gross - gross.MulRate(l.DiscountBP)
		batch := strings.ToUpper(strings.TrimSpace(l.Batch))
		b, err := stock.EnsureBatch(tx, stock.Batch{Item: it.Code, Batch: batch, Expiry: l.Expiry, MRP: l.MRPPaise, Cost: taxable.DivRound(int64(l.Qty))})
		if err != nil {
			return p, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
		}
		rate := it.RateOn(in.Date)
		tax := gst.Compute(taxable, rate, p.InterState)
		p.Lines = append(p.Lines, DocLine{No: i + 1, Item: it.Code, Name: it.Name, HSN: it.HSN, Batch: b.Batch, Expiry: b.Expiry,
			MRPPaise: b.MRP, Qty: l.Qty, RatePaise: l.RatePaise, DiscountBP: l.DiscountBP, TaxablePaise: taxable, GSTRateBP: rate,
			CGSTPaise: tax.CGST, SGSTPaise: tax.SGST, IGSTPaise: tax.IGST, TotalPaise: taxable + tax.Total()})
		if _, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: it.Code, Batch: b.Batch, Godown: godown, Qty: l.Qty,
			Kind: stock.Purchase, Doc: num}, true); err != nil {
			return p, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
		}
	}
	p.Totals = docTotals(p.Lines)
	if err := checkTotal("purchase", p.TotalPaise); err != nil {
		return p, err
	}
	p.PostedAt, p.PostedBy = Now(), tx.Actor.User
	if err := putPurchase(tx, num, &p); err != nil {
		return p, err
	}
	if err := putSupplierInvoice(tx, gstin, fy, no, num); err != nil {
		return p, err
	}
	return p, posted(tx, KindPurchase, num, map[string]any{"number": num, "supplier_invoice_no": no, "date": p.Date, "total_paise": p.TotalPaise}, "")
}

// GetPurchase returns a GRN by number.
func GetPurchase(tx *book.Tx, number string) (Purchase, error) {
	var p Purchase
	ok, err := getPurchase(tx, number, &p)
	if err == nil && !ok {
		err = fail.NotFound("purchase", number)
	}
	return p, err
}

// PurchaseReturnLineInput is goods sent back to the brand.
type PurchaseReturnLineInput struct {
	Item   string    `json:"item"`
	Batch  string    `json:"batch"`
	Qty    money.Qty `json:"qty"`
	Godown string    `json:"godown,omitempty"` // default MAIN; DAMAGED for damaged goods
}

// PurchaseReturnInput is a debit note to the brand, against a GRN or not.
type PurchaseReturnInput struct {
	Purchase string                    `json:"purchase,omitempty"`
	Date     cal.Date                  `json:"date"`
	Reason   string                    `json:"reason"`
	Lines    []PurchaseReturnLineInput `json:"lines"`
	// DateOverride (admins only) posts a date outside the company's window.
	DateOverride bool `json:"date_override,omitempty"`
	// RequestID is the client's own id for this posting: sent again, it
	// answers the document already posted (requests.go).
	RequestID string `json:"request_id,omitempty"`
}

// PurchaseReturn is a posted debit note.
type PurchaseReturn struct {
	Number     string    `json:"number"`
	Purchase   string    `json:"purchase,omitempty"`
	Date       cal.Date  `json:"date"`
	Reason     string    `json:"reason"`
	InterState bool      `json:"inter_state"`
	Lines      []DocLine `json:"lines"`
	Totals
	PostedAt  time.Time `json:"posted_at"`
	PostedBy  string    `json:"posted_by"`
	RequestID string    `json:"request_id,omitempty"`
	// Replayed is set (never stored) when a request_id answered an earlier posting.
	Replayed bool `json:"replayed,omitempty"`
}

// postPurchaseReturn posts a debit note: stock out of the named batches at
// the GRN's rate and GST (or the batch's cost and today's rate when no GRN
// is named). More than the GRN received of a batch is refused.
func postPurchaseReturn(tx *book.Tx, in PurchaseReturnInput) (PurchaseReturn, error) {
	if err := validDate("date", in.Date); err != nil {
		return PurchaseReturn{}, err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return PurchaseReturn{}, fail.Invalid("reason", "say why the goods go back")
	}
	if err := checkLines(len(in.Lines)); err != nil {
		return PurchaseReturn{}, err
	}
	co, err := company(tx)
	if err != nil {
		return PurchaseReturn{}, err
	}
	r := PurchaseReturn{RequestID: in.RequestID, Date: in.Date, Reason: strings.TrimSpace(in.Reason)}
	var pur *Purchase
	if in.Purchase != "" {
		p, err := GetPurchase(tx, strings.ToUpper(strings.TrimSpace(in.Purchase)))
		if err != nil {
			return r, fail.Invalid("purchase", "purchase %s does not exist", in.Purchase)
		}
		pur = &p
		r.Purchase, r.InterState = p.Number, p.InterState
	}
	num, err := nextNumber(tx, PrefixPurchaseReturn, in.Date, co.FYStartMonth)
	if err != nil {
		return r, err
	}
	r.Number = num
	items := itemCache{}
	for i, l := range in.Lines {
		it, err := items.get(tx, lineField(i, "item"), l.Item)
		if err != nil {
			return r, err
		}
		if err := positiveQty(i, l.Qty); err != nil {
			return r, err
		}
		batch := strings.ToUpper(strings.TrimSpace(l.Batch))
		b, ok, err := stock.GetBatch(tx, it.Code, batch)
		if err != nil {
			return r, err
		}
		if !ok {
			return r, fail.Invalid(lineField(i, "batch"), "batch %s of %s does not exist", batch, it.Code)
		}
		rate, gstRate, unitTaxable := b.Cost, it.RateOn(in.Date), money.Paise(0)
		if pur != nil {
			found := false
			for _, pl := range pur.Lines {
				if pl.Item == it.Code && pl.Batch == batch {
					found = true
					rate, gstRate = pl.RatePaise, pl.GSTRateBP
					unitTaxable = pl.TaxablePaise.DivRound(int64(pl.Qty))
					prev := purchaseReturned(tx, pur.Number, pl.No)
					if prev+l.Qty > pl.Qty {
						return r, fail.Invalid(lineField(i, "qty"), "%s batch %s: %d received on %s, %d returned before, %d left", it.Code, batch, pl.Qty, pur.Number, prev, pl.Qty-prev)
					}
					if err := putPurchaseReturned(tx, pur.Number, pl.No, prev+l.Qty); err != nil {
						return r, err
					}
					break
				}
			}
			if !found {
				return r, fail.Invalid(lineField(i, "batch"), "%s batch %s is not on purchase %s", it.Code, batch, pur.Number)
			}
		}
		if unitTaxable == 0 {
			unitTaxable = rate
		}
		taxable := unitTaxable.MulQty(l.Qty)
		tax := gst.Compute(taxable, gstRate, r.InterState)
		godown := masters.NormalizeCode(l.Godown)
		if godown == "" {
			godown = stock.MainGodown
		}
		r.Lines = append(r.Lines, DocLine{No: i + 1, Item: it.Code, Name: it.Name, HSN: it.HSN, Batch: batch, Expiry: b.Expiry, MRPPaise: b.MRP,
			Qty: l.Qty, RatePaise: rate, TaxablePaise: taxable, GSTRateBP: gstRate, CGSTPaise: tax.CGST, SGSTPaise: tax.SGST, IGSTPaise: tax.IGST,
			TotalPaise: taxable + tax.Total(), Batches: []stock.Pick{{Batch: batch, Expiry: b.Expiry, MRP: b.MRP, Godown: godown, Qty: l.Qty}}})
		if _, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: it.Code, Batch: batch, Godown: godown, Qty: -l.Qty,
			Kind: stock.PurchaseReturn, Doc: num}, co.AllowNegativeStock); err != nil {
			return r, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
		}
	}
	r.Totals = docTotals(r.Lines)
	r.PostedAt, r.PostedBy = Now(), tx.Actor.User
	if err := putDebitNote(tx, num, &r); err != nil {
		return r, err
	}
	return r, posted(tx, KindPurchaseReturn, num, map[string]any{"number": num, "purchase": r.Purchase, "total_paise": r.TotalPaise}, r.Reason)
}
