package rules

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"vitaran/backend/excel"
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

// CircularColumn is the circular's column for a definition's JSON field
// ("budget_paise" → "Budget"), "" for a field it has no column for.
func CircularColumn(field string) string { return columnOf[field] }

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

// CircularRow is one scheme of a circular, read and validated, with the
// row it is on.
type CircularRow struct {
	Row    int
	Scheme Scheme
}

// Circular is a circular as read: the file (Result, with every error
// added, sorted), the rows that read clean in file order, and the errors
// by row and column.
type Circular struct {
	Result *excel.Result
	Rows   []CircularRow
	Errors []CircularError
}

// ReadCircular reads a brand's scheme circular (.xlsx or .csv): every
// cell, every definition validated, a repeated code refused. check, when
// not nil, adds the reader's own errors for a row that read clean (the
// distributor's book checks free items against its item master; head
// office keeps none). A file with any error returns ErrCircularRefused
// (wrapped) with Errors listing each by row and column, a file with no
// scheme too; a file that cannot be read at all ErrUnreadable. Nothing is
// written anywhere: the distributor's import saves the rows, head office
// issues them.
func ReadCircular(r io.Reader, name string, check func(row *excel.Row, s *Scheme) []excel.RowError) (Circular, error) {
	c := Circular{Errors: []CircularError{}}
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
		if check != nil {
			errs = append(errs, check(row, &s)...)
		}
		if len(errs) > 0 {
			extra = append(extra, errs...)
			return nil
		}
		c.Rows = append(c.Rows, CircularRow{row.Num, s})
		return nil
	})
	if err != nil && res == nil {
		return c, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if err != nil {
		return c, fmt.Errorf("circular %s: %w", name, err)
	}
	for _, e := range extra {
		res.Add(e)
	}
	res.Sort()
	c.Result = res
	for _, e := range res.Errors {
		c.Errors = append(c.Errors, CircularError{Row: e.Row, Column: e.Column, Value: e.Value, Reason: e.Reason})
	}
	if !res.OK() {
		return c, fmt.Errorf("circular %s: %d errors in %d rows: %w", name, len(res.Errors), res.BadRows(), ErrCircularRefused)
	}
	if res.Rows == 0 {
		c.Errors = append(c.Errors, CircularError{Column: "", Reason: "the circular has no schemes under its header"})
		return c, fmt.Errorf("circular %s: empty: %w", name, ErrCircularRefused)
	}
	return c, nil
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
		BuyQty: row.Qty("Buy Qty"), FreeQty: row.Qty("Free Qty"), FreeItem: code(row.Text("Free Item")),
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
		out[i] = code(out[i])
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
		p := ComboPart{Item: code(item), Qty: 1}
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

// code is an item or outlet code as the masters keep it (masters.NormalizeCode).
func code(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
