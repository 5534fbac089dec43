package masters

import (
	"fmt"
	"sort"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/money"
)

// Item is a SKU as the distributor stocks it.
type Item struct {
	Code      string `json:"code"`       // the distributor's own code
	BrandCode string `json:"brand_code"` // the brand's SKU code: the upload key
	Name      string `json:"name"`
	Brand     string `json:"brand"`
	// Category is a path of nested categories: "Biscuits/Cream".
	Category string `json:"category"`
	HSN      string `json:"hsn"`
	// GSTRateBP is the rate in force today (read-only on the way out; on
	// the way in, a new value starts a new rate from today).
	GSTRateBP money.BP `json:"gst_rate_bp"`
	// GSTRates is the history, oldest first.
	GSTRates   []RateFrom  `json:"gst_rates"`
	MRPPaise   money.Paise `json:"mrp_paise"`
	Unit       string      `json:"unit"`        // base unit: "PCS"
	CaseSize   int64       `json:"case_size"`   // base units in a case
	PricePaise money.Paise `json:"price_paise"` // selling price to retailers, per base unit, before GST
	Active     bool        `json:"active"`
	// Barcodes are what a scanner reads off the pack (EAN-13, the brand's
	// own codes): several per item, each on one item only.
	Barcodes []string `json:"barcodes,omitempty"`
}

// MaxBarcodes is how many barcodes one item may carry.
const MaxBarcodes = 20

// ItemByBarcode returns the code of the item carrying barcode ("" if none).
func ItemByBarcode(tx *book.Tx, barcode string) string {
	return barcodeOwner(tx, strings.TrimSpace(barcode))
}

// indexBarcodes moves the barcode index from old's barcodes to it's,
// refusing a barcode another item already carries.
func indexBarcodes(tx *book.Tx, old []string, it Item) error {
	b := barcodes(tx)
	for i, bc := range it.Barcodes {
		if owner := b.owner(bc); owner != "" && owner != it.Code {
			return fail.Conflict(fmt.Sprintf("barcodes[%d]", i), "barcode %s is already on item %s", bc, owner)
		}
	}
	keep := map[string]bool{}
	for _, bc := range it.Barcodes {
		keep[bc] = true
	}
	for _, bc := range old {
		if !keep[bc] && b.owner(bc) == it.Code {
			if err := b.drop(bc); err != nil {
				return err
			}
		}
	}
	for _, bc := range it.Barcodes {
		if err := b.set(bc, it.Code); err != nil {
			return err
		}
	}
	return nil
}

// SplitBarcodes reads a cell of several barcodes ("8901063010031, 8901063010048").
func SplitBarcodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == ' ' || r == '/' || r == '\n' })
}

// RateFrom is a GST rate effective from a day.
type RateFrom struct {
	From   cal.Date `json:"from"`
	RateBP money.BP `json:"rate_bp"`
}

// GSTStart is the first day of GST (01-07-2017): an item's first rate
// starts here unless it says otherwise.
const GSTStart cal.Date = "2017-07-01"

// RateOn returns the GST rate in force on day d.
func (it *Item) RateOn(d cal.Date) money.BP {
	var r money.BP
	for _, x := range it.GSTRates {
		if x.From <= d {
			r = x.RateBP
		}
	}
	return r
}

// CategoryPath splits the category into its levels.
func (it *Item) CategoryPath() []string { return strings.Split(it.Category, "/") }

func (it *Item) normalize() {
	it.Code = NormalizeCode(it.Code)
	it.BrandCode = strings.TrimSpace(it.BrandCode)
	it.Name = strings.TrimSpace(it.Name)
	it.Brand = strings.TrimSpace(it.Brand)
	it.HSN = strings.TrimSpace(it.HSN)
	it.Unit = strings.ToUpper(strings.TrimSpace(it.Unit))
	if it.Unit == "" {
		it.Unit = "PCS"
	}
	if it.CaseSize == 0 {
		it.CaseSize = 1
	}
	parts := strings.Split(it.Category, "/")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	it.Category = strings.Join(parts, "/")
	sort.SliceStable(it.GSTRates, func(i, j int) bool { return it.GSTRates[i].From < it.GSTRates[j].From })
	var bcs []string
	seen := map[string]bool{}
	for _, bc := range it.Barcodes {
		bc = strings.TrimSpace(bc)
		if bc != "" && !seen[bc] {
			seen[bc] = true
			bcs = append(bcs, bc)
		}
	}
	it.Barcodes = bcs
}

// Validate checks an item and names the field at fault.
func (it *Item) Validate() error {
	it.normalize()
	if err := validCode("code", it.Code); err != nil {
		return err
	}
	if err := required("name", it.Name); err != nil {
		return err
	}
	if err := required("brand", it.Brand); err != nil {
		return err
	}
	if it.Category == "" {
		return fail.Invalid("category", "is required (nest with '/', e.g. Biscuits/Cream)")
	}
	for _, p := range it.CategoryPath() {
		if p == "" {
			return fail.Invalid("category", "%q has an empty level", it.Category)
		}
	}
	if err := gst.ValidateHSN(it.HSN); err != nil {
		return fail.Invalid("hsn", "%v", err)
	}
	if len(it.GSTRates) == 0 {
		return fail.Invalid("gst_rate_bp", "is required (e.g. 500 for 5 %%, 1800 for 18 %%)")
	}
	seen := map[cal.Date]bool{}
	for i, r := range it.GSTRates {
		field := fmt.Sprintf("gst_rates[%d]", i)
		if !r.From.Valid() {
			return fail.Invalid(field+".from", "%q is not a date (YYYY-MM-DD)", r.From)
		}
		if seen[r.From] {
			return fail.Invalid(field+".from", "two rates start on %s", r.From.Display())
		}
		seen[r.From] = true
		if err := gst.ValidRate(r.RateBP, r.From.Time()); err != nil {
			return fail.Invalid(field+".rate_bp", "%v", err)
		}
	}
	if it.MRPPaise <= 0 {
		return fail.Invalid("mrp_paise", "must be more than zero")
	}
	if it.PricePaise < 0 {
		return fail.Invalid("price_paise", "must not be negative")
	}
	if it.CaseSize < 1 || it.CaseSize > 10000 {
		return fail.Invalid("case_size", "must be 1–10000 base units")
	}
	if len(it.Unit) > 8 {
		return fail.Invalid("unit", "at most 8 characters (PCS, KG, BOX)")
	}
	if len(it.Barcodes) > MaxBarcodes {
		return fail.Invalid("barcodes", "at most %d barcodes per item, not %d", MaxBarcodes, len(it.Barcodes))
	}
	for i, bc := range it.Barcodes {
		if len(bc) < 4 || len(bc) > 32 {
			return fail.Invalid(fmt.Sprintf("barcodes[%d]", i), "barcode %q must be 4–32 characters", bc)
		}
		for _, r := range bc {
			if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
				return fail.Invalid(fmt.Sprintf("barcodes[%d]", i), "barcode %q may hold only letters, digits and -", bc)
			}
		}
	}
	return nil
}

// fillToday sets GSTRateBP to the rate in force on today.
func (it *Item) fillToday(today cal.Date) { it.GSTRateBP = it.RateOn(today) }

// CreateItem validates and stores a new item. When only gst_rate_bp is
// given, the rate starts at GSTStart.
func CreateItem(tx *book.Tx, it Item, today cal.Date) (Item, error) {
	if len(it.GSTRates) == 0 && (it.GSTRateBP != 0 || it.HSN != "") {
		it.GSTRates = []RateFrom{{From: GSTStart, RateBP: it.GSTRateBP}}
	}
	if err := it.Validate(); err != nil {
		return it, err
	}
	it.fillToday(today)
	if exists(tx, bItems, it.Code) {
		return it, fail.Conflict("code", "item %s already exists", it.Code)
	}
	if err := indexBarcodes(tx, nil, it); err != nil {
		return it, err
	}
	return it, put(tx, bItems, "item", it.Code, it, true)
}

// UpdateItem stores a changed item. A gst_rate_bp that differs from today's
// rate, with the history unchanged, starts a new rate today; an explicit
// gst_rates replaces the history.
func UpdateItem(tx *book.Tx, it Item, today cal.Date) (Item, error) {
	old, err := GetItem(tx, it.Code)
	if err != nil {
		return it, err
	}
	if sameRates(old.GSTRates, it.GSTRates) && it.GSTRateBP != old.RateOn(today) {
		rates := append([]RateFrom(nil), old.GSTRates...)
		if n := len(rates); n > 0 && rates[n-1].From == today {
			rates[n-1].RateBP = it.GSTRateBP
		} else {
			rates = append(rates, RateFrom{From: today, RateBP: it.GSTRateBP})
		}
		it.GSTRates = rates
	}
	if err := it.Validate(); err != nil {
		return it, err
	}
	it.fillToday(today)
	if err := indexBarcodes(tx, old.Barcodes, it); err != nil {
		return it, err
	}
	return it, put(tx, bItems, "item", it.Code, it, false)
}

func sameRates(a, b []RateFrom) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// GetItem returns one item by code.
func GetItem(tx *book.Tx, code string) (Item, error) { return get[Item](tx, bItems, "item", code) }

// ItemFilter narrows a list of items.
type ItemFilter struct {
	Q          string // words to find in code, brand code, name, brand, category
	Brand      string
	Category   string // includes nested categories
	ActiveOnly bool
}

// ListItems returns the items that pass f, in code order.
func ListItems(tx *book.Tx, f ItemFilter, today cal.Date) ([]Item, error) {
	items, err := list(tx, bItems, func(it *Item) bool {
		if f.ActiveOnly && !it.Active {
			return false
		}
		if f.Brand != "" && !strings.EqualFold(it.Brand, f.Brand) {
			return false
		}
		if f.Category != "" && !InCategory(it.Category, f.Category) {
			return false
		}
		return matches(f.Q, it.Code, it.BrandCode, it.Name, it.Brand, it.Category)
	})
	for i := range items {
		items[i].fillToday(today)
	}
	return items, err
}

// InCategory reports whether category c is cat or nested under it.
func InCategory(c, cat string) bool {
	return strings.EqualFold(c, cat) || (len(c) > len(cat) && strings.EqualFold(c[:len(cat)], cat) && c[len(cat)] == '/')
}
