package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// StockLineInput is one line of an adjustment, transfer or count.
type StockLineInput struct {
	Item   string    `json:"item"`
	Batch  string    `json:"batch,omitempty"`
	Godown string    `json:"godown,omitempty"`
	Qty    money.Qty `json:"qty,omitempty"` // adjustment: signed; transfer: moved
	// Counted is a count's physical quantity.
	Counted *money.Qty `json:"counted,omitempty"`
	// A positive adjustment may bring in a batch the book has not seen.
	Expiry    cal.Date    `json:"expiry,omitempty"`
	MRPPaise  money.Paise `json:"mrp_paise,omitempty"`
	RatePaise money.Paise `json:"rate_paise,omitempty"`
}

// StockDocInput is an adjustment, a transfer or a physical count.
type StockDocInput struct {
	Date   cal.Date `json:"date"`
	Reason string   `json:"reason"`
	// Opening marks an adjustment as the opening stock of the book.
	Opening bool             `json:"opening,omitempty"`
	From    string           `json:"from,omitempty"`   // transfer
	To      string           `json:"to,omitempty"`     // transfer
	Godown  string           `json:"godown,omitempty"` // count (default MAIN)
	Lines   []StockLineInput `json:"lines"`
	// DateOverride (admins only) posts a date outside the company's window.
	DateOverride bool `json:"date_override,omitempty"`
}

// StockDocLine is a posted line: what moved, and for a count what the book
// said and what was found.
type StockDocLine struct {
	Item    string      `json:"item"`
	Batch   string      `json:"batch"`
	Expiry  cal.Date    `json:"expiry"`
	Godown  string      `json:"godown"`
	To      string      `json:"to,omitempty"`
	Qty     money.Qty   `json:"qty"` // the change (count: the variance)
	BookQty *money.Qty  `json:"book_qty,omitempty"`
	Counted *money.Qty  `json:"counted,omitempty"`
	Value   money.Paise `json:"value_paise"`
}

// StockDoc is a posted adjustment, transfer or count.
type StockDoc struct {
	Number   string         `json:"number"`
	Kind     string         `json:"kind"` // adjustment, transfer, count
	Date     cal.Date       `json:"date"`
	Reason   string         `json:"reason"`
	From     string         `json:"from,omitempty"`
	To       string         `json:"to,omitempty"`
	Lines    []StockDocLine `json:"lines"`
	Value    money.Paise    `json:"value_paise"`
	PostedAt time.Time      `json:"posted_at"`
	PostedBy string         `json:"posted_by"`
	// Restated lists what cancellations of earlier invoices changed in a
	// count (see CancelInvoice): its lines already show it.
	Restated []CountRestatement `json:"restated,omitempty"`
}

func godownOf(tx *book.Tx, field, code string) (masters.Godown, error) {
	code = masters.NormalizeCode(code)
	if code == "" {
		code = stock.MainGodown
	}
	g, err := masters.GetGodown(tx, code)
	if err != nil {
		return g, fail.Invalid(field, "godown %s does not exist", code)
	}
	return g, nil
}

func stockDocStart(tx *book.Tx, in *StockDocInput, prefix string) (masters.Company, string, error) {
	if err := validDate("date", in.Date); err != nil {
		return masters.Company{}, "", err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		return masters.Company{}, "", fail.Invalid("reason", "is required: say why the stock changes")
	}
	if err := checkLines(len(in.Lines)); err != nil {
		return masters.Company{}, "", err
	}
	co, err := company(tx)
	if err != nil {
		return co, "", err
	}
	num, err := nextNumber(tx, prefix, in.Date, co.FYStartMonth)
	return co, num, err
}

func finishStockDoc(tx *book.Tx, d *StockDoc) (StockDoc, error) {
	d.PostedAt, d.PostedBy = Now(), tx.Actor.User
	for _, l := range d.Lines {
		d.Value += l.Value
	}
	if err := putStockDoc(tx, d); err != nil {
		return *d, err
	}
	return *d, posted(tx, d.Kind, d.Number, map[string]any{"number": d.Number, "lines": len(d.Lines), "value_paise": d.Value}, d.Reason)
}

// PostAdjustment posts signed quantity changes to named batches with a
// reason (breakage, found stock, opening stock).
func PostAdjustment(tx *book.Tx, in StockDocInput) (StockDoc, error) {
	co, num, err := stockDocStart(tx, &in, PrefixAdjustment)
	if err != nil {
		return StockDoc{}, err
	}
	kind := stock.Adjustment
	if in.Opening {
		kind = stock.Opening
	}
	d := StockDoc{Number: num, Kind: KindAdjustment, Date: in.Date, Reason: in.Reason}
	items := itemCache{}
	for i, l := range in.Lines {
		it, err := items.get(tx, lineField(i, "item"), l.Item)
		if err != nil {
			return d, err
		}
		if l.Qty == 0 {
			return d, fail.Invalid(lineField(i, "qty"), "must not be zero (negative takes stock out)")
		}
		if err := checkQty(lineField(i, "qty"), l.Qty); err != nil {
			return d, err
		}
		if err := checkRate(lineField(i, "rate_paise"), l.RatePaise); err != nil {
			return d, err
		}
		if err := checkRate(lineField(i, "mrp_paise"), l.MRPPaise); err != nil {
			return d, err
		}
		g, err := godownOf(tx, lineField(i, "godown"), l.Godown)
		if err != nil {
			return d, err
		}
		batch := strings.ToUpper(strings.TrimSpace(l.Batch))
		b, ok, err := stock.GetBatch(tx, it.Code, batch)
		if err != nil {
			return d, err
		}
		if !ok {
			if l.Qty < 0 || l.Expiry == "" {
				return d, fail.Invalid(lineField(i, "batch"), "batch %s of %s does not exist (a new batch needs expiry and mrp_paise)", batch, it.Code)
			}
			mrp := l.MRPPaise
			if mrp == 0 {
				mrp = it.MRPPaise
			}
			if b, err = stock.EnsureBatch(tx, stock.Batch{Item: it.Code, Batch: batch, Expiry: l.Expiry, MRP: mrp, Cost: l.RatePaise}); err != nil {
				return d, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
			}
		}
		m, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: it.Code, Batch: batch, Godown: g.Code, Qty: l.Qty, Kind: kind, Doc: num}, co.AllowNegativeStock)
		if err != nil {
			return d, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
		}
		d.Lines = append(d.Lines, StockDocLine{Item: it.Code, Batch: batch, Expiry: b.Expiry, Godown: g.Code, Qty: l.Qty, Value: m.Value})
	}
	return finishStockDoc(tx, &d)
}

// PostTransfer moves stock between godowns: named batches, or first expiry
// first (expired batches included — moving them out is the usual reason).
// A move into a damaged godown is recorded as damage.
func PostTransfer(tx *book.Tx, in StockDocInput) (StockDoc, error) {
	from, err := godownOf(tx, "from", in.From)
	if err != nil {
		return StockDoc{}, err
	}
	to, err := godownOf(tx, "to", in.To)
	if err != nil {
		return StockDoc{}, err
	}
	if from.Code == to.Code {
		return StockDoc{}, fail.Invalid("to", "must differ from the godown stock leaves")
	}
	co, num, err := stockDocStart(tx, &in, PrefixTransfer)
	if err != nil {
		return StockDoc{}, err
	}
	kind := stock.Transfer
	if to.Damaged {
		kind = stock.Damage
	}
	d := StockDoc{Number: num, Kind: KindTransfer, Date: in.Date, Reason: in.Reason, From: from.Code, To: to.Code}
	items := itemCache{}
	alloc := stock.NewAllocator(tx)
	for i, l := range in.Lines {
		it, err := items.get(tx, lineField(i, "item"), l.Item)
		if err != nil {
			return d, err
		}
		if err := positiveQty(i, l.Qty); err != nil {
			return d, err
		}
		batch := strings.ToUpper(strings.TrimSpace(l.Batch))
		picks, short, err := alloc.Pick(it.Code, from.Code, l.Qty, "", batch, co.AllowNegativeStock)
		if err != nil {
			return d, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
		}
		if short > 0 {
			return d, fail.Conflict(lineField(i, "qty"), "%s: %d in %s, %d short", it.Code, l.Qty-short, from.Code, short)
		}
		for _, p := range picks {
			out, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: it.Code, Batch: p.Batch, Godown: from.Code, Qty: -p.Qty, Kind: kind, Doc: num}, co.AllowNegativeStock)
			if err != nil {
				return d, fail.Prefix(fmt.Sprintf("lines[%d]", i), err)
			}
			if _, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: it.Code, Batch: p.Batch, Godown: to.Code, Qty: p.Qty, Kind: kind, Doc: num}, true); err != nil {
				return d, err
			}
			d.Lines = append(d.Lines, StockDocLine{Item: it.Code, Batch: p.Batch, Expiry: p.Expiry, Godown: from.Code, To: to.Code, Qty: p.Qty, Value: -out.Value})
		}
	}
	return finishStockDoc(tx, &d)
}

// PostCount posts a physical count: for each batch counted, the variance
// against the book (counted − book) is posted with the reason, and the
// count keeps both figures.
func PostCount(tx *book.Tx, in StockDocInput) (StockDoc, error) {
	g, err := godownOf(tx, "godown", in.Godown)
	if err != nil {
		return StockDoc{}, err
	}
	_, num, err := stockDocStart(tx, &in, PrefixCount)
	if err != nil {
		return StockDoc{}, err
	}
	d := StockDoc{Number: num, Kind: KindCount, Date: in.Date, Reason: in.Reason}
	items := itemCache{}
	seen := map[string]bool{}
	for i, l := range in.Lines {
		it, err := items.get(tx, lineField(i, "item"), l.Item)
		if err != nil {
			return d, err
		}
		if l.Counted == nil || *l.Counted < 0 {
			return d, fail.Invalid(lineField(i, "counted"), "is required: the pieces found (0 or more)")
		}
		if err := checkQty(lineField(i, "counted"), *l.Counted); err != nil {
			return d, err
		}
		batch := strings.ToUpper(strings.TrimSpace(l.Batch))
		b, ok, err := stock.GetBatch(tx, it.Code, batch)
		if err != nil {
			return d, err
		}
		if !ok {
			return d, fail.Invalid(lineField(i, "batch"), "batch %s of %s does not exist", batch, it.Code)
		}
		if seen[it.Code+"\x00"+batch] {
			return d, fail.Invalid(lineField(i, "batch"), "%s batch %s is counted twice", it.Code, batch)
		}
		seen[it.Code+"\x00"+batch] = true
		bal, err := stock.BalanceOf(tx, it.Code, g.Code, batch)
		if err != nil {
			return d, err
		}
		bookQty, counted := bal.Qty, *l.Counted
		line := StockDocLine{Item: it.Code, Batch: batch, Expiry: b.Expiry, Godown: g.Code, Qty: counted - bookQty, BookQty: &bookQty, Counted: &counted}
		if line.Qty != 0 {
			m, err := stock.Move(tx, stock.Movement{Date: in.Date, Item: it.Code, Batch: batch, Godown: g.Code, Qty: line.Qty, Kind: stock.Count, Doc: num}, true)
			if err != nil {
				return d, err
			}
			line.Value = m.Value
		}
		d.Lines = append(d.Lines, line)
	}
	return finishStockDoc(tx, &d)
}

// GetStockDoc returns an adjustment, transfer or count by number.
func GetStockDoc(tx *book.Tx, number string) (StockDoc, error) {
	var d StockDoc
	ok, err := getStockDoc(tx, number, &d)
	if err == nil && !ok {
		err = fail.NotFound("stock document", number)
	}
	return d, err
}
