package schemes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/masters"
)

// A brand's scheme circular is one row per scheme. Lists (items, brands,
// channels…) are comma-separated in one cell; slabs are one cell too,
// "threshold:benefit" steps separated by semicolons — "10:5%; 25:7.5%;
// 50:2 free" for a quantity slab, "5000:2%; 10000:₹150" for a value slab
// (thresholds in rupees) — and a combo is "ITEM:QTY, ITEM:QTY". One row per
// scheme keeps a circular diffable and makes a repeated code an error, not
// a silent merge.

// CircularSpec is the shape of a scheme circular: the columns a brand's
// sheet may carry, with the headers brands actually write.
var CircularSpec = &excel.Spec{Kind: "schemes", Fields: []excel.Field{
	{Name: "Scheme Code", Synonyms: []string{"Code", "Scheme ID", "Scheme No"}, Type: excel.Text, Required: true, Example: "BRT-GD-APR26"},
	{Name: "Scheme Name", Synonyms: []string{"Name", "Description"}, Type: excel.Text, Required: true, Example: "Good Day slab April"},
	{Name: "Type", Synonyms: []string{"Kind", "Scheme Type"}, Type: excel.Text, Required: true, Example: "qty_slab"},
	{Name: "Valid From", Synonyms: []string{"From", "Start Date", "From Date"}, Type: excel.Date, Required: true, Example: "01-04-2026"},
	{Name: "Valid To", Synonyms: []string{"To", "End Date", "Valid Till", "To Date"}, Type: excel.Date, Required: true, Example: "30-04-2026"},
	{Name: "Items", Synonyms: []string{"Item Code", "Item Codes", "SKU", "SKUs", "Product Code"}, Type: excel.Text, Example: "GD200, GD100"},
	{Name: "Brands", Synonyms: []string{"Brand"}, Type: excel.Text},
	{Name: "Categories", Synonyms: []string{"Category"}, Type: excel.Text},
	{Name: "Channels", Synonyms: []string{"Channel", "Outlet Type"}, Type: excel.Text, Example: "Grocery"},
	{Name: "Beats", Synonyms: []string{"Beat", "Route"}, Type: excel.Text},
	{Name: "States", Synonyms: []string{"State"}, Type: excel.Text},
	{Name: "Outlets", Synonyms: []string{"Outlet", "Outlet Codes", "Retailers"}, Type: excel.Text},
	{Name: "Exclusive", Type: excel.Bool, Default: "No", Example: "No"},
	{Name: "Priority", Type: excel.Int, Example: "10"},
	{Name: "Min Qty", Type: excel.Qty},
	{Name: "Max Qty", Type: excel.Qty},
	{Name: "Min Value", Synonyms: []string{"Min Bill Value", "Minimum Value"}, Type: excel.Money},
	{Name: "Max Value", Synonyms: []string{"Maximum Value"}, Type: excel.Money},
	{Name: "Discount %", Synonyms: []string{"Percent", "Disc %", "Discount"}, Type: excel.Percent},
	{Name: "Amount Off", Synonyms: []string{"Rs Off", "Flat Off", "Amount"}, Type: excel.Money},
	{Name: "Buy Qty", Synonyms: []string{"Buy"}, Type: excel.Qty},
	{Name: "Free Qty", Synonyms: []string{"Get Qty", "Free", "Get"}, Type: excel.Qty},
	{Name: "Free Item", Synonyms: []string{"Free SKU", "Free Item Code"}, Type: excel.Code},
	{Name: "Slabs", Synonyms: []string{"Slab"}, Type: excel.Text, Example: "10:5%; 25:7.5%; 50:2 free"},
	{Name: "Combo", Synonyms: []string{"Combo Items"}, Type: excel.Text},
	{Name: "Budget", Synonyms: []string{"Scheme Budget", "Budget Value"}, Type: excel.Money, Example: "50,000"},
	{Name: "Budget Free Qty", Synonyms: []string{"Free Qty Budget"}, Type: excel.Qty},
	{Name: "Outlet Cap", Synonyms: []string{"Per Outlet Cap", "Outlet Cap Value"}, Type: excel.Money},
	{Name: "Outlet Cap Qty", Synonyms: []string{"Per Outlet Cap Qty"}, Type: excel.Qty},
}}

// columnOf maps a definition's JSON field (as FieldError names it,
// "slabs[1].min_qty") to the circular's column.
var columnOf = map[string]string{
	"code": "Scheme Code", "name": "Scheme Name", "kind": "Type", "valid_from": "Valid From", "valid_to": "Valid To",
	"items": "Items", "brands": "Brands", "categories": "Categories", "channels": "Channels", "beats": "Beats",
	"states": "States", "outlets": "Outlets", "exclusive": "Exclusive", "priority": "Priority",
	"min_qty": "Min Qty", "max_qty": "Max Qty", "min_value_paise": "Min Value", "max_value_paise": "Max Value",
	"discount_bp": "Discount %", "amount_paise": "Amount Off", "buy_qty": "Buy Qty", "free_qty": "Free Qty",
	"free_item": "Free Item", "slabs": "Slabs", "combo": "Combo", "budget_paise": "Budget",
	"budget_free_qty": "Budget Free Qty", "per_outlet_cap_paise": "Outlet Cap", "per_outlet_cap_qty": "Outlet Cap Qty",
}

// kindWords are what circulars write in the Type column.
var kindWords = map[string]Kind{
	"percent": Percent, "percentage": Percent, "pct": Percent, "%": Percent, "discount": Percent, "%_off": Percent,
	"flat": Flat, "flat_off": Flat, "rs_off": Flat, "amount_off": Flat, "per_unit": Flat,
	"buy_x_get_y": BuyXGetY, "bxgy": BuyXGetY, "free": BuyXGetY, "free_goods": BuyXGetY, "x+y": BuyXGetY,
	"qty_slab": QtySlab, "quantity_slab": QtySlab, "value_slab": ValueSlab,
	"invoice_value": InvoiceValue, "bill_value": InvoiceValue, "combo": Combo,
}

// ErrCircularRefused is returned, wrapped, when a circular has any error:
// nothing of it was saved and the Report lists every problem.
var ErrCircularRefused = errors.New("the circular has errors: nothing was saved")

// ErrUnreadable is returned, wrapped, for a file that is not a spreadsheet
// or has no header the circular's columns can be found in.
var ErrUnreadable = errors.New("the file cannot be read as a scheme circular")

// CircularError is one problem in a circular, where the clerk finds it.
type CircularError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// CircularOutcome is what the import does to one scheme of the file.
type CircularOutcome struct {
	Row    int    `json:"row"`
	Key    string `json:"key"`    // the scheme code
	Change string `json:"change"` // new, updated, unchanged
}

// Report is the answer to a circular import or its dry run.
type Report struct {
	File      string            `json:"file"`
	DryRun    bool              `json:"dry_run"`
	Committed bool              `json:"committed"` // true only when the schemes were saved
	Rows      int               `json:"rows"`
	New       int               `json:"new"`
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Records   []CircularOutcome `json:"records"`
	Errors    []CircularError   `json:"errors"`
	Warnings  []string          `json:"warnings"`
	// Result is the file as read: pass it to excel.WriteBadRows with the
	// file again to give the clerk the rows to fix.
	Result *excel.Result `json:"-"`
}

// ImportCircular reads a brand's scheme circular (.xlsx or .csv) and saves
// its schemes in tx, all or nothing: every cell is read, every definition
// validated and every free item looked up before anything is written, and
// a file with any error writes nothing and returns ErrCircularRefused
// (wrapped) with the Report listing each error by row and column. A dry run
// writes nothing either; its Report says which schemes are new, updated or
// unchanged. today only words warnings (a scheme that has already ended).
// The error return is otherwise for a file that cannot be read at all.
func ImportCircular(tx *book.Tx, r io.Reader, name string, dryRun bool, today cal.Date) (Report, error) {
	rep := Report{File: name, DryRun: dryRun, Records: []CircularOutcome{}, Errors: []CircularError{}, Warnings: []string{}}
	type parsed struct {
		row int
		s   Scheme
	}
	var good []parsed
	var extra []excel.RowError
	firstRow := map[string]int{}
	res, err := excel.Read(r, name, CircularSpec, func(row *excel.Row) error {
		s, errs := circularScheme(row)
		if first, dup := firstRow[s.Code]; dup && s.Code != "" {
			errs = append(errs, row.Error("Scheme Code", fmt.Sprintf("appears again: the same code is on row %d; write one row per scheme", first)))
		} else {
			firstRow[s.Code] = row.Num
		}
		if err := s.Validate(); err != nil {
			var inv *Invalid
			if !errors.As(err, &inv) {
				return err
			}
			for _, fe := range inv.Fields {
				f := fe.Field
				if i := strings.IndexAny(f, "[."); i >= 0 {
					f = f[:i]
				}
				col, ok := columnOf[f]
				if !ok {
					col = "Scheme Code"
				}
				e := row.Error(col, fe.Reason)
				if strings.ContainsAny(fe.Field, "[.") {
					e.Reason = fe.Field + " " + fe.Reason
				}
				errs = append(errs, e)
			}
		}
		if s.FreeItem != "" {
			if _, err := masters.GetItem(tx, s.FreeItem); err != nil {
				errs = append(errs, row.Error("Free Item", "is not in the item master: add the item first, free goods leave stock like any line"))
			}
		}
		if len(errs) > 0 {
			extra = append(extra, errs...)
			return nil
		}
		for _, code := range append(append([]string(nil), s.Items...), comboItems(&s)...) {
			if _, err := masters.GetItem(tx, code); err != nil {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("row %d: item %s is not in the item master; %s will not apply to it until it is", row.Num, code, s.Code))
			}
		}
		if today.Valid() && s.ValidTo.Valid() && s.ValidTo.Before(today) {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("row %d: %s ended on %s", row.Num, s.Code, s.ValidTo.Display()))
		}
		good = append(good, parsed{row.Num, s})
		return nil
	})
	if err != nil && res == nil {
		return rep, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if err != nil {
		return rep, fmt.Errorf("circular %s: %w", name, err)
	}
	for _, e := range extra {
		res.Add(e)
	}
	res.Sort()
	rep.Result, rep.Rows = res, res.Rows
	rep.Warnings = append(rep.Warnings, res.Warnings...)
	for _, e := range res.Errors {
		rep.Errors = append(rep.Errors, CircularError{Row: e.Row, Column: e.Column, Value: e.Value, Reason: e.Reason})
	}
	if !res.OK() {
		return rep, fmt.Errorf("circular %s: %d errors in %d rows: %w", name, len(res.Errors), res.BadRows(), ErrCircularRefused)
	}
	if res.Rows == 0 {
		rep.Errors = append(rep.Errors, CircularError{Column: "", Reason: "the circular has no schemes under its header"})
		return rep, fmt.Errorf("circular %s: empty: %w", name, ErrCircularRefused)
	}
	for _, p := range good {
		change := "new"
		old, err := Get(tx, p.s.Code)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return rep, err
		default:
			a, _ := json.Marshal(old)
			b, _ := json.Marshal(p.s)
			change = "updated"
			if bytes.Equal(a, b) {
				change = "unchanged"
			}
		}
		rep.Records = append(rep.Records, CircularOutcome{Row: p.row, Key: p.s.Code, Change: change})
		switch change {
		case "new":
			rep.New++
		case "updated":
			rep.Updated++
		default:
			rep.Unchanged++
		}
		if dryRun || change == "unchanged" {
			continue
		}
		if err := Save(tx, p.s); err != nil {
			return rep, fmt.Errorf("circular %s row %d: %w", name, p.row, err)
		}
	}
	rep.Committed = !dryRun
	return rep, nil
}

func comboItems(s *Scheme) []string {
	var out []string
	for _, p := range s.Combo {
		out = append(out, p.Item)
	}
	return out
}

// circularScheme turns a good row into a definition; what the cells alone
// cannot say (a malformed slab) comes back as row errors.
func circularScheme(row *excel.Row) (Scheme, []excel.RowError) {
	var errs []excel.RowError
	kind := strings.ToLower(strings.TrimSpace(row.Text("Type")))
	kind = strings.NewReplacer(" ", "_", "-", "_").Replace(kind)
	k, ok := kindWords[kind]
	if !ok {
		k = Kind(kind) // Validate names the kinds
	}
	s := Scheme{
		Code: strings.TrimSpace(row.Text("Scheme Code")), Name: strings.TrimSpace(row.Text("Scheme Name")), Kind: k,
		ValidFrom: row.Date("Valid From"), ValidTo: row.Date("Valid To"),
		Items: codeList(row.Text("Items")), Brands: nameList(row.Text("Brands")), Categories: nameList(row.Text("Categories")),
		Channels: nameList(row.Text("Channels")), Beats: nameList(row.Text("Beats")), States: nameList(row.Text("States")),
		Outlets:   codeList(row.Text("Outlets")),
		Exclusive: row.Bool("Exclusive"), Priority: int(row.Int("Priority")),
		MinQty: row.Qty("Min Qty"), MaxQty: row.Qty("Max Qty"), MinValuePaise: row.Paise("Min Value"), MaxValuePaise: row.Paise("Max Value"),
		BudgetPaise: row.Paise("Budget"), BudgetFreeQty: row.Qty("Budget Free Qty"),
		PerOutletCapPaise: row.Paise("Outlet Cap"), PerOutletCapQty: row.Qty("Outlet Cap Qty"),
		DiscountBP: row.BP("Discount %"), AmountPaise: row.Paise("Amount Off"),
		BuyQty: row.Qty("Buy Qty"), FreeQty: row.Qty("Free Qty"), FreeItem: masters.NormalizeCode(row.Text("Free Item")),
	}
	if cell := row.Text("Slabs"); cell != "" {
		slabs, err := parseSlabs(cell, k == QtySlab)
		if err != nil {
			errs = append(errs, row.Error("Slabs", err.Error()))
		}
		s.Slabs = slabs
	}
	if cell := row.Text("Combo"); cell != "" {
		parts, err := parseCombo(cell)
		if err != nil {
			errs = append(errs, row.Error("Combo", err.Error()))
		}
		s.Combo = parts
	}
	return s, errs
}

func splitList(cell string, seps string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if v = strings.Join(strings.Fields(v), " "); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func codeList(cell string) []string {
	out := splitList(cell, ",;\n")
	for i := range out {
		out[i] = masters.NormalizeCode(out[i])
	}
	return out
}

func nameList(cell string) []string { return splitList(cell, ",;\n") }

// parseSlabs reads "10:5%; 25:7.5%; 50:2 free" (quantity thresholds) or
// "5000:2%; 10000:₹150" (rupee thresholds). A benefit ending in % is a
// discount, one ending in "free" is free pieces, anything else is rupees
// off (per unit in a quantity slab, once in a value slab).
func parseSlabs(cell string, byQty bool) ([]Slab, error) {
	var out []Slab
	for i, step := range splitList(cell, ";\n") {
		at := strings.LastIndexByte(step, ':')
		if at < 0 {
			return out, fmt.Errorf("slab %d %q: write threshold:benefit, e.g. 10:5%% or 25:1 free", i+1, step)
		}
		th, ben := strings.TrimSpace(step[:at]), strings.TrimSpace(step[at+1:])
		var sl Slab
		if byQty {
			q, err := excel.ParseQty(th, false)
			if err != nil {
				return out, fmt.Errorf("slab %d threshold %q: %v", i+1, th, err)
			}
			sl.MinQty = q
		} else {
			v, err := excel.ParseMoney(th, false)
			if err != nil {
				return out, fmt.Errorf("slab %d threshold %q: %v", i+1, th, err)
			}
			sl.MinValuePaise = v
		}
		low := strings.ToLower(ben)
		switch {
		case strings.HasSuffix(low, "%"):
			bp, err := excel.ParsePercent(ben, false)
			if err != nil {
				return out, fmt.Errorf("slab %d benefit %q: %v", i+1, ben, err)
			}
			sl.DiscountBP = bp
		case strings.HasSuffix(low, "free"):
			q, err := excel.ParseQty(strings.TrimSpace(strings.TrimSuffix(low, "free")), false)
			if err != nil {
				return out, fmt.Errorf("slab %d benefit %q: %v", i+1, ben, err)
			}
			sl.FreeQty = q
		default:
			p, err := excel.ParseMoney(ben, false)
			if err != nil {
				return out, fmt.Errorf("slab %d benefit %q: write 5%%, 2 free or ₹1.50: %v", i+1, ben, err)
			}
			sl.AmountPaise = p
		}
		out = append(out, sl)
	}
	return out, nil
}

// parseCombo reads "GD200:2, MARIE100:1"; a part without a quantity is one.
func parseCombo(cell string) ([]ComboPart, error) {
	var out []ComboPart
	for _, part := range splitList(cell, ",;\n") {
		item, qty, has := strings.Cut(part, ":")
		p := ComboPart{Item: masters.NormalizeCode(item), Qty: 1}
		if has {
			q, err := excel.ParseQty(strings.TrimSpace(qty), false)
			if err != nil {
				return out, fmt.Errorf("combo part %q: %v", part, err)
			}
			p.Qty = q
		}
		out = append(out, p)
	}
	return out, nil
}

// circularNotes explain the template's columns; the example row is a valid
// quantity slab a clerk can import as it stands.
var circularNotes = [][2]string{
	{"One row per scheme", "A code may appear once. To change a scheme, import it again with the same code: it is updated, and the audit log keeps the old definition."},
	{"Type", "percent, flat, buy_x_get_y, qty_slab, value_slab, invoice_value or combo (also: discount, rs off, free, bill value)."},
	{"Valid From / Valid To", "Any date Excel or a clerk writes: 01-04-2026, 1/4/26, 1-Apr-2026, a date cell. Both days are included."},
	{"Items, Brands, Categories, Channels, Beats, States, Outlets", "Comma-separated lists; an empty cell means all. Every filled list must match. A category covers the ones nested under it (Biscuits covers Biscuits/Cream)."},
	{"Slabs", "threshold:benefit separated by semicolons. qty_slab: 10:5%; 25:7.5%; 50:2 free (pieces). value_slab and invoice_value: 5000:2%; 10000:₹150 (rupees)."},
	{"Combo", "ITEM:QTY separated by commas, e.g. GD200:2, MG100:1; give the benefit in Discount %, Amount Off or Free Qty + Free Item."},
	{"Buy Qty / Free Qty / Free Item", "buy_x_get_y: buy 10 get 1 free is Buy Qty 10, Free Qty 1; Free Item blank means the same item."},
	{"Discount % / Amount Off", "percent: Discount % (5 or 7.5%). flat: Amount Off per piece in rupees."},
	{"Budget / Outlet Cap", "The most the scheme may cost in rupees (discount plus free goods at rate), in all and per outlet; blank is no cap."},
	{"Exclusive / Priority", "An exclusive scheme never combines with others on the same line or bill; higher priority applies first."},
}

// WriteCircularTemplate writes the blank circular with a valid example row
// and a second sheet explaining every column.
func WriteCircularTemplate(out io.Writer) error {
	var buf bytes.Buffer
	if err := excel.WriteTemplate(&buf, CircularSpec); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return err
	}
	defer f.Close()
	const sheet = "How to fill"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	f.SetColWidth(sheet, "A", "A", 34)
	f.SetColWidth(sheet, "B", "B", 110)
	f.SetCellValue(sheet, "A1", "Column")
	f.SetCellValue(sheet, "B1", "How to write it")
	for i, n := range circularNotes {
		f.SetCellValue(sheet, fmt.Sprintf("A%d", i+2), n[0])
		f.SetCellValue(sheet, fmt.Sprintf("B%d", i+2), n[1])
	}
	return f.Write(out)
}
