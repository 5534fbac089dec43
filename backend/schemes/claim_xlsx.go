package schemes

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/money"
)

// WriteClaim writes the claim statement the distributor sends the brand: a
// summary, then outlet-wise, invoice-wise and redemption-wise sheets. Every
// amount is a typed rupee cell holding the exact paise, and each sheet's
// total row is the statement's Total, which equals the sum of its rows.
// names gives outlets their names (a missing one is left blank).
func WriteClaim(out io.Writer, cs *ClaimStatement, names map[string]string) error {
	f := excelize.NewFile()
	defer f.Close()
	w := &claimBook{f: f}
	w.init()

	w.sheet("Summary", "Sheet1", []claimCol{{"", cText, 28}, {"", cText, 40}})
	w.put("Scheme", cs.Scheme)
	w.put("Name", cs.Name)
	w.put("From", cs.From)
	w.put("To", cs.To)
	w.put("Redemptions", cs.Total.Redemptions)
	w.put("Free quantity", cs.Total.FreeQty)
	w.put("Discount", cs.Total.DiscountPaise)
	w.put("Free goods value", cs.Total.FreeValuePaise)
	w.put("Claim", cs.Total.ValuePaise)

	totals := func(t ClaimTotals) []any {
		return []any{t.Redemptions, t.FreeQty, t.DiscountPaise, t.FreeValuePaise, t.ValuePaise}
	}
	amounts := []claimCol{{"Redemptions", cInt, 13}, {"Free Qty", cInt, 10}, {"Discount", cMoney, 14},
		{"Free Goods Value", cMoney, 17}, {"Claim", cMoney, 15}}

	w.sheet("Outlet-wise", "", append([]claimCol{{"Outlet", cText, 12}, {"Outlet Name", cText, 30}}, amounts...))
	for _, o := range cs.Outlets {
		w.line(append([]any{o.Outlet, names[o.Outlet]}, totals(o.ClaimTotals)...)...)
	}
	w.total(2, totals(cs.Total))

	w.sheet("Invoice-wise", "", append([]claimCol{{"Invoice", cText, 18}, {"Date", cDate, 12}, {"Outlet", cText, 12}, {"Outlet Name", cText, 30}}, amounts...))
	for _, iv := range cs.Invoices {
		w.line(append([]any{iv.Invoice, iv.Date, iv.Outlet, names[iv.Outlet]}, totals(iv.ClaimTotals)...)...)
	}
	w.total(4, totals(cs.Total))

	w.sheet("Redemptions", "", []claimCol{{"Date", cDate, 12}, {"Invoice", cText, 18}, {"Credit Note", cText, 18},
		{"Outlet", cText, 12}, {"Line", cInt, 6}, {"Item", cText, 14}, {"Line Qty", cInt, 10}, {"Free Item", cText, 14},
		{"Free Qty", cInt, 10}, {"Discount", cMoney, 14}, {"Free Goods Value", cMoney, 17}, {"Claim", cMoney, 15}})
	for i := range cs.Lines {
		r := &cs.Lines[i]
		w.line(r.Date, r.Invoice, r.Return, r.Outlet, r.Line, r.Item, r.LineQty, r.FreeItem, r.FreeQty,
			r.DiscountPaise, r.FreeValuePaise, r.CostPaise())
	}
	w.total(8, []any{cs.Total.FreeQty, cs.Total.DiscountPaise, cs.Total.FreeValuePaise, cs.Total.ValuePaise})

	if w.err != nil {
		return fmt.Errorf("claim %s workbook: %w", cs.Scheme, w.err)
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(out)
	return err
}

type cellKind int

const (
	cText cellKind = iota
	cInt
	cMoney
	cDate
)

type claimCol struct {
	title string
	kind  cellKind
	width float64
}

// claimBook writes small sheets cell by cell: a claim is a few thousand rows
// at most, so the streaming writer's constraints buy nothing here.
type claimBook struct {
	f                  *excelize.File
	err                error
	name               string
	cols               []claimCol
	row                int
	bold, boldMoney    int
	money, qty, date   int
	boldQty, labelBold int
}

func (w *claimBook) style(s *excelize.Style) int {
	if w.err != nil {
		return 0
	}
	id, err := w.f.NewStyle(s)
	w.err = err
	return id
}

func (w *claimBook) init() {
	rupees, qty, date := excel.FormatRupees, excel.FormatQty, excel.FormatDate
	head := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	w.bold = w.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: head})
	w.labelBold = w.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	w.money = w.style(&excelize.Style{CustomNumFmt: &rupees})
	w.qty = w.style(&excelize.Style{CustomNumFmt: &qty})
	w.date = w.style(&excelize.Style{CustomNumFmt: &date})
	w.boldMoney = w.style(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &rupees})
	w.boldQty = w.style(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &qty})
}

// sheet starts a sheet (renaming rename, the workbook's first, when given)
// and writes its header unless every title is blank.
func (w *claimBook) sheet(name, rename string, cols []claimCol) {
	if w.err != nil {
		return
	}
	if rename != "" {
		w.err = w.f.SetSheetName(rename, name)
	} else {
		_, w.err = w.f.NewSheet(name)
	}
	w.name, w.cols, w.row = name, cols, 0
	header := false
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.f.SetColWidth(name, col, col, c.width)
		header = header || c.title != ""
	}
	if !header {
		return
	}
	w.row = 1
	for i, c := range cols {
		w.set(i, c.title, w.bold)
	}
	w.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func (w *claimBook) set(i int, v any, style int) {
	if w.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(i+1, w.row)
	if w.err = w.f.SetCellValue(w.name, cell, v); w.err == nil && style != 0 {
		w.err = w.f.SetCellStyle(w.name, cell, cell, style)
	}
}

func (w *claimBook) value(i int, v any, bold bool) {
	switch x := v.(type) {
	case money.Paise:
		st := w.money
		if bold {
			st = w.boldMoney
		}
		w.set(i, rupeeCell(x), st)
	case money.Qty:
		st := w.qty
		if bold {
			st = w.boldQty
		}
		w.set(i, int64(x), st)
	case int:
		w.set(i, x, 0)
	case cal.Date:
		if x == "" {
			return
		}
		w.set(i, x.Time(), w.date)
	case string:
		if x != "" {
			w.set(i, x, 0)
		}
	default:
		w.set(i, fmt.Sprint(x), 0)
	}
}

func (w *claimBook) line(values ...any) {
	w.row++
	for i, v := range values {
		w.value(i, v, false)
	}
}

// put writes a label and its value on the summary sheet.
func (w *claimBook) put(label string, v any) {
	w.row++
	w.set(0, label, w.labelBold)
	w.value(1, v, false)
}

// total writes the totals row: "Total" in the first column and the values
// from column at on.
func (w *claimBook) total(at int, values []any) {
	w.row++
	w.set(0, "Total", w.labelBold)
	for i, v := range values {
		w.value(at+i, v, true)
	}
	if w.err == nil && w.row > 2 {
		last, _ := excelize.ColumnNumberToName(len(w.cols))
		w.err = w.f.AutoFilter(w.name, fmt.Sprintf("A1:%s%d", last, w.row-1), nil)
	}
}

// rupeeCell is the number Excel stores for an amount: the double nearest
// the exact decimal, which excelize writes back as that same text, so the
// file holds the paise exactly. Whole rupees go over as integers.
func rupeeCell(p money.Paise) any {
	if p%100 == 0 {
		return int64(p / 100)
	}
	v, _ := strconv.ParseFloat(p.Plain(), 64)
	return v
}
