package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/headoffice/upload"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/reports"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// The cross-check (`vitaran check --cross`): the book's sales register,
// head office's cells (what its dashboard sums) and the vouchers Tally holds
// must tell the same secondary sales per day, per outlet and per SKU, to the
// paisa and the piece: quantity billed, free quantity and taxable value, net
// of returns; a cancelled invoice counts nowhere. Tally is read with a
// Collection export (only this book's vouchers, by REMOTEID prefix) and head
// office with a signed question (POST /upload/v1/totals).
//
// In day-wise mode Tally knows no outlets (the day's summary party): per
// outlet, Tally is compared only on days it holds nothing for that party,
// and the report says how many days it could not.

// getCheckCross answers GET /api/check/cross.
func (a *App) getCheckCross(c *Call) (any, error) {
	to := a.Today()
	if v := c.Query("to"); v != "" {
		d, err := cal.Parse(v)
		if err != nil {
			return nil, fail.Invalid("to", "%v", err)
		}
		to = d
	}
	from := cal.FYOf(to, 4).First()
	if v := c.Query("from"); v != "" {
		d, err := cal.Parse(v)
		if err != nil {
			return nil, fail.Invalid("from", "%v", err)
		}
		from = d
	}
	if to.Before(from) {
		return nil, fail.Invalid("to", "is before from")
	}
	if from.AddDays(2 * 366).Before(to) {
		return nil, fail.Invalid("from", "compare at most two years at a time")
	}
	return a.CrossCheck(c.Ctx, from, to)
}

// CrossFigures are one cell's figures.
type CrossFigures struct {
	Qty     money.Qty   `json:"qty"`
	FreeQty money.Qty   `json:"free_qty"`
	Taxable money.Paise `json:"taxable_paise"`
}

func (f *CrossFigures) add(o CrossFigures) {
	f.Qty += o.Qty
	f.FreeQty += o.FreeQty
	f.Taxable += o.Taxable
}

// CrossDiff is one cell where the three sides do not agree. HeadOffice or
// Tally is nil when that side was not compared for the cell.
type CrossDiff struct {
	Day        cal.Date      `json:"day"`
	By         string        `json:"by"`  // day, outlet or sku
	Key        string        `json:"key"` // outlet or item code ("" for a day)
	Book       CrossFigures  `json:"book"`
	HeadOffice *CrossFigures `json:"head_office,omitempty"`
	Tally      *CrossFigures `json:"tally,omitempty"`
}

// String says the difference plainly, one line.
func (d CrossDiff) String() string {
	what := "day total"
	if d.By != "day" {
		what = d.By + " " + d.Key
	}
	side := func(name string, f *CrossFigures) string {
		if f == nil {
			return ""
		}
		return fmt.Sprintf("; %s %d + %d free, ₹%s", name, f.Qty, f.FreeQty, f.Taxable.Plain())
	}
	return fmt.Sprintf("%s %s: book %d + %d free, ₹%s%s%s", d.Day, what, d.Book.Qty, d.Book.FreeQty, d.Book.Taxable.Plain(),
		side("head office", d.HeadOffice), side("Tally", d.Tally))
}

// CrossReport is what the cross-check found: secondary sales in Cells and
// Differences, and each further section (tax, returns, purchases, stock,
// money) in Sections.
type CrossReport struct {
	From       cal.Date `json:"from"`
	To         cal.Date `json:"to"`
	Tally      string   `json:"tally"`       // "compared", or why not
	HeadOffice string   `json:"head_office"` // "compared", or why not
	// Cells is how many day × outlet and day × SKU cells were compared.
	Cells       int         `json:"cells"`
	Differences []CrossDiff `json:"differences"`
	// Notes say what could not be compared and why.
	Notes    []string       `json:"notes,omitempty"`
	Sections []CrossSection `json:"sections"`
}

// OK reports whether every side compared agreed and none was missing.
func (r CrossReport) OK() bool {
	return r.DifferenceCount() == 0 && r.Tally == "compared" && r.HeadOffice == "compared"
}

// DifferenceCount counts the differences of every section.
func (r CrossReport) DifferenceCount() int {
	n := len(r.Differences)
	for _, s := range r.Sections {
		n += len(s.Differences)
	}
	return n
}

// CellCount counts the cells of every section.
func (r CrossReport) CellCount() int {
	n := r.Cells
	for _, s := range r.Sections {
		n += s.Cells
	}
	return n
}

// crossSide is one side's cells.
type crossSide struct {
	day    map[cal.Date]*CrossFigures
	outlet map[[2]string]*CrossFigures // day, outlet
	sku    map[[2]string]*CrossFigures // day, item
}

func newCrossSide() *crossSide {
	return &crossSide{day: map[cal.Date]*CrossFigures{}, outlet: map[[2]string]*CrossFigures{}, sku: map[[2]string]*CrossFigures{}}
}

func cell[K comparable](m map[K]*CrossFigures, k K) *CrossFigures {
	c := m[k]
	if c == nil {
		c = &CrossFigures{}
		m[k] = c
	}
	return c
}

func (s *crossSide) add(day cal.Date, outlet, item string, f CrossFigures) {
	cell(s.day, day).add(f)
	if outlet != "" {
		cell(s.outlet, [2]string{string(day), outlet}).add(f)
	}
	if item != "" {
		cell(s.sku, [2]string{string(day), item}).add(f)
	}
}

// CrossCheck compares the book with head office and Tally over from..to,
// asking each as the company's settings say. A side that cannot be asked
// is named in the report, never taken for agreement.
func (a *App) CrossCheck(ctx context.Context, from, to cal.Date) (CrossReport, error) {
	return CrossCheckBook(ctx, a.Book, a.Now(), from, to, CrossOptions{})
}

// CrossOptions name another Tally than the settings do (as `vitaran tally
// push --url --company` may).
type CrossOptions struct {
	TallyURL, TallyCompany string
}

// CrossCheckBook is CrossCheck on an open book (`vitaran check --cross`
// opens it read-only); now signs the question to head office.
func CrossCheckBook(ctx context.Context, b *book.Book, now time.Time, from, to cal.Date, o CrossOptions) (CrossReport, error) {
	rep := CrossReport{From: from, To: to, Differences: []CrossDiff{}}
	if !from.Valid() || !to.Valid() || to.Before(from) {
		return rep, fmt.Errorf("the period %s to %s: from and to are dates, from not after to", from, to)
	}
	var bookSide *crossSide
	in := &crossInputs{from: from, to: to, itemOfSKU: map[string]string{}}
	in.tax, in.returns = newBookSections()
	err := b.View(func(tx *book.Tx) error {
		var err error
		if bookSide, err = bookCells(tx, from, to, in); err != nil {
			return err
		}
		if in.names, err = posting.TallyNames(tx); err != nil {
			return err
		}
		if in.tset, err = posting.GetSettings(tx); err != nil {
			return err
		}
		if in.duty, in.charge, err = tallyLedgers(tx); err != nil {
			return err
		}
		items, err := masters.ListItems(tx, masters.ItemFilter{}, to)
		for _, it := range items {
			sku := it.BrandCode
			if sku == "" {
				sku = it.Code
			}
			in.itemOfSKU[sku] = it.Code
		}
		return err
	})
	if err != nil {
		return rep, err
	}
	names, tset, itemOfSKU := in.names, in.tset, in.itemOfSKU

	var hoSide, tallySide *crossSide
	if set, err := upload.LoadSettings(b); err != nil {
		rep.HeadOffice = "not compared: " + err.Error()
	} else if in.ho, err = askHeadOffice(ctx, set, now, from, to); err != nil {
		rep.HeadOffice = "not compared: " + err.Error()
	} else {
		hoSide = headOfficeCells(in.ho, itemOfSKU)
		rep.HeadOffice = "compared"
	}
	summaryDays := map[cal.Date]bool{}
	in.summaryDays = summaryDays
	if !names.Used && tset.Company == "" && o.TallyCompany == "" {
		rep.Tally = "not compared: Tally is not set up and nothing of this book was ever queued for it"
	} else {
		if o.TallyURL != "" {
			tset.URL = o.TallyURL
		}
		if o.TallyCompany != "" {
			tset.Company = o.TallyCompany
		}
		c := tset.Client()
		vs, err := c.VouchersPaged(ctx, from.Time(), to.Time())
		if err != nil {
			rep.Tally = "not compared: " + err.Error()
		} else {
			tallySide, rep.Notes = tallyCells(vs, names, summaryDays)
			rep.Tally = "compared"
			in.vs = vs
			if in.vs == nil {
				in.vs = []tallybridge.HeldVoucher{}
			}
		}
	}
	if len(summaryDays) > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d days were posted to Tally as day summaries: per outlet, Tally is not compared on them (per day and per SKU it is)", len(summaryDays)))
	}
	rep.Differences = compareSides(bookSide, hoSide, tallySide, summaryDays, &rep.Cells)
	err = b.View(func(tx *book.Tx) error {
		var err error
		rep.Sections, err = in.sections(tx)
		return err
	})
	return rep, err
}

// bookCells reads the sales register: invoices (not cancelled) and credit
// notes, as the register shows them; in the same pass it fills the book's
// tax and returns cells.
func bookCells(tx *book.Tx, from, to cal.Date, in *crossInputs) (*crossSide, error) {
	s := newCrossSide()
	r, err := reports.Run(tx, "sales-register", reports.Params{From: from, To: to, Oldest: true})
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, c := range r.Columns {
		col[c.Key] = i
	}
	for _, row := range r.Rows {
		f := CrossFigures{Taxable: row[col["taxable_paise"]].(money.Paise)}
		q := row[col["qty"]].(money.Qty)
		if free, _ := row[col["free"]].(bool); free {
			f.FreeQty = q
		} else {
			f.Qty = q
		}
		day, outlet, item := row[col["date"]].(cal.Date), row[col["outlet"]].(string), row[col["item"]].(string)
		s.add(day, outlet, item, f)
		free, _ := row[col["free"]].(bool)
		addRegisterRow(in.tax, in.returns, day, row[col["doc_type"]].(string), outlet, item, q, free, f.Taxable,
			row[col["cgst_paise"]].(money.Paise), row[col["sgst_paise"]].(money.Paise), row[col["igst_paise"]].(money.Paise))
	}
	return s, nil
}

// askHeadOffice asks head office, a year at a time.
func askHeadOffice(ctx context.Context, set upload.Settings, now time.Time, from, to cal.Date) ([]wire.TotalsAnswer, error) {
	var out []wire.TotalsAnswer
	for start := from; !to.Before(start); start = start.AddDays(wire.MaxTotalsDays) {
		end := start.AddDays(wire.MaxTotalsDays - 1)
		if to.Before(end) {
			end = to
		}
		ans, err := upload.AskTotals(ctx, set, now, start, end)
		if err != nil {
			return nil, err
		}
		out = append(out, ans)
	}
	return out, nil
}

// headOfficeCells are head office's sales cells.
func headOfficeCells(answers []wire.TotalsAnswer, itemOfSKU map[string]string) *crossSide {
	s := newCrossSide()
	for _, ans := range answers {
		for _, c := range ans.Outlets {
			f := CrossFigures{Qty: c.Qty, FreeQty: c.FreeQty, Taxable: c.Taxable}
			cell(s.day, c.Day).add(f)
			cell(s.outlet, [2]string{string(c.Day), c.Key}).add(f)
		}
		for _, c := range ans.SKUs {
			item := itemOfSKU[c.Key]
			if item == "" {
				item = "SKU " + c.Key // head office holds a SKU the book has no item for
			}
			cell(s.sku, [2]string{string(c.Day), item}).add(CrossFigures{Qty: c.Qty, FreeQty: c.FreeQty, Taxable: c.Taxable})
		}
	}
	return s
}

// tallyCells sums this book's live Sales vouchers and Credit Notes.
func tallyCells(vs []tallybridge.HeldVoucher, n posting.Names, summaryDays map[cal.Date]bool) (*crossSide, []string) {
	s := newCrossSide()
	var notes []string
	unknown := map[string]bool{}
	for _, v := range vs {
		if v.Cancelled || !n.Ours(v.RemoteID) {
			continue
		}
		sign := money.Qty(1)
		switch v.Type {
		case tallybridge.Sales.String():
		case tallybridge.CreditNote.String():
			sign = -1
		default:
			continue
		}
		day, err := tallyDay(v.Date)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Tally voucher %s has a date Vitaran cannot read (%q)", v.Number, v.Date))
			continue
		}
		outlet := n.Outlet(v.Party)
		if strings.EqualFold(v.Party, n.SummaryParty) {
			summaryDays[day] = true
			outlet = ""
		} else if outlet == "" {
			outlet = "ledger " + v.Party
		}
		for _, l := range v.Lines {
			item := n.Item(l.Item)
			if item == "" {
				if !unknown[l.Item] {
					notes = append(notes, fmt.Sprintf("Tally's stock item %q is no item of the book", l.Item))
					unknown[l.Item] = true
				}
				item = "stock item " + l.Item
			}
			f := CrossFigures{Qty: sign * l.Billed, FreeQty: sign * (l.Actual - l.Billed), Taxable: money.Paise(sign) * l.Amount}
			s.add(day, outlet, item, f)
		}
	}
	return s, notes
}

// compareSides lists every cell where a compared side differs from the
// book, per day, per outlet and per SKU, in day order.
func compareSides(bk, ho, ty *crossSide, summaryDays map[cal.Date]bool, cells *int) []CrossDiff {
	var out []CrossDiff
	pick := func(s *crossSide, by string, k [2]string) *CrossFigures {
		if s == nil {
			return nil
		}
		var c *CrossFigures
		switch by {
		case "day":
			c = s.day[cal.Date(k[0])]
		case "outlet":
			c = s.outlet[k]
		default:
			c = s.sku[k]
		}
		if c == nil {
			c = &CrossFigures{}
		}
		return c
	}
	for _, by := range []string{"day", "outlet", "sku"} {
		keys := map[[2]string]bool{}
		for _, s := range []*crossSide{bk, ho, ty} {
			if s == nil {
				continue
			}
			switch by {
			case "day":
				for d := range s.day {
					keys[[2]string{string(d), ""}] = true
				}
			case "outlet":
				for k := range s.outlet {
					keys[k] = true
				}
			default:
				for k := range s.sku {
					keys[k] = true
				}
			}
		}
		for k := range keys {
			if by != "day" {
				*cells++
			}
			b, h, t := pick(bk, by, k), pick(ho, by, k), pick(ty, by, k)
			if by == "outlet" && summaryDays[cal.Date(k[0])] {
				t = nil
			}
			if (h == nil || *h == *b) && (t == nil || *t == *b) {
				continue
			}
			out = append(out, CrossDiff{Day: cal.Date(k[0]), By: by, Key: k[1], Book: *b, HeadOffice: h, Tally: t})
		}
	}
	order := map[string]int{"day": 0, "outlet": 1, "sku": 2}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day < out[j].Day
		}
		if out[i].By != out[j].By {
			return order[out[i].By] < order[out[j].By]
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// tallyDay reads Tally's YYYYMMDD.
func tallyDay(s string) (cal.Date, error) {
	if len(s) != 8 {
		return "", fmt.Errorf("%q is not YYYYMMDD", s)
	}
	return cal.Parse(s[:4] + "-" + s[4:6] + "-" + s[6:])
}
