package importer

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

var active = excel.Field{Name: "Active", Synonyms: []string{"Status", "Is Active", "Enabled"}, Type: excel.Bool, Default: "Yes", Example: "Yes"}

func init() {
	register(&Kind{Name: "items", Title: "Items (SKUs)", Wired: true, keyField: "Item Code",
		Spec: &excel.Spec{Kind: "items", Fields: []excel.Field{
			{Name: "Item Code", Synonyms: []string{"Code", "Product Code", "Distributor Code", "Our Code"}, Type: excel.Code, Required: true, Example: "DOVE100"},
			{Name: "Brand SKU", Synonyms: []string{"SKU", "SKU Code", "Brand Code", "Brand Item Code", "Company Code", "Brand SKU Code", "Brand SKU No", "SKU No", "SKU ID", "Company SKU", "Company Item Code", "Principal Code", "Principal SKU", "Manufacturer Code", "Material Code", "Material No", "Article Code", "Brand Product Code"}, Type: excel.Text, Example: "HUL-67004321"},
			{Name: "Item Name", Synonyms: []string{"Name", "Description", "Product Name", "Product", "Item Description", "SKU Name", "SKU Description", "Material Description", "Product Description", "Article Name"}, Type: excel.Text, Required: true, Example: "Dove Cream Beauty Bar 100g"},
			{Name: "Brand", Synonyms: []string{"Brand Name", "Company"}, Type: excel.Text, Required: true, Example: "Dove"},
			{Name: "Category", Synonyms: []string{"Item Category", "Product Category", "Group", "Category Name", "Product Group", "Item Group", "Sub Category", "Segment"}, Type: excel.Text, Required: true, Example: "Personal Care/Soap"},
			{Name: "HSN", Synonyms: []string{"HSN Code", "HSN/SAC", "HSN SAC"}, Type: excel.HSN, Required: true, Example: "34011190"},
			{Name: "GST %", Synonyms: []string{"GST", "GST Rate", "Tax Rate", "Tax %", "GST Percent", "GST Rate %", "IGST %", "IGST Rate", "Tax Slab"}, Type: excel.GSTRate, Required: true, Example: "5"},
			{Name: "MRP", Synonyms: []string{"M.R.P.", "MRP Rs", "Max Retail Price", "MRP per Unit", "MRP per Piece", "MRP/PC", "Unit MRP"}, Type: excel.Money, Required: true, Example: "58.00"},
			{Name: "Selling Price", Synonyms: []string{"Price", "Rate", "PTR", "Selling Rate", "Retailer Price", "Sale Rate"}, Type: excel.Money, Example: "49.50"},
			{Name: "Unit", Synonyms: []string{"UOM", "Base Unit", "Units"}, Type: excel.Text, Example: "PCS"},
			{Name: "Case Size", Synonyms: []string{"Pcs per Case", "Case Qty", "Conversion", "UPC", "Pieces per Case", "Units per Case", "Qty per Case", "Pcs/Case", "Case Config", "Case Pack", "CS Size"}, Type: excel.Int, Example: "48"},
			{Name: "Barcodes", Synonyms: []string{"Barcode", "EAN", "EAN Code", "EAN-13", "EAN13", "Bar Code", "GTIN"}, Type: excel.Text, Example: "8901030865278, 8901030865285"},
			active,
		}},
		fields: map[string]string{"code": "Item Code", "name": "Item Name", "brand": "Brand", "category": "Category",
			"hsn": "HSN", "gst_rate_bp": "GST %", "mrp_paise": "MRP", "price_paise": "Selling Price", "case_size": "Case Size", "unit": "Unit"},
		decode: func(r *excel.Row) (record, error) {
			return itemRec{masters.Item{Code: r.Text("Item Code"), BrandCode: r.Text("Brand SKU"), Name: r.Text("Item Name"),
				Brand: r.Text("Brand"), Category: r.Text("Category"), HSN: r.Text("HSN"), GSTRateBP: r.BP("GST %"),
				MRPPaise: r.Paise("MRP"), PricePaise: r.Paise("Selling Price"), Unit: r.Text("Unit"),
				CaseSize: r.Int("Case Size"), Active: r.Bool("Active"), Barcodes: masters.SplitBarcodes(r.Text("Barcodes"))}}, nil
		}})

	register(&Kind{Name: "outlets", Title: "Outlets (retailers)", Wired: true, keyField: "Outlet Code",
		Spec: &excel.Spec{Kind: "outlets", Fields: []excel.Field{
			{Name: "Outlet Code", Synonyms: []string{"Code", "Retailer Code", "Customer Code", "Party Code", "Shop Code", "Outlet ID", "Retailer ID", "Customer ID", "Party ID", "Store Code", "Outlet No"}, Type: excel.Code, Required: true, Example: "OUT0001"},
			{Name: "Outlet Name", Synonyms: []string{"Name", "Retailer Name", "Customer Name", "Party Name", "Shop Name", "Retailer", "Store Name", "Firm Name"}, Type: excel.Text, Required: true, Example: "Sri Lakshmi General Stores"},
			{Name: "Address", Synonyms: []string{"Addr", "Full Address"}, Type: excel.Text, Example: "12, 4th Cross, Jayanagar, Bengaluru"},
			{Name: "City", Synonyms: []string{"Town", "Location", "Place"}, Type: excel.Text, Example: "Bengaluru"},
			{Name: "PIN", Synonyms: []string{"Pincode", "PIN Code", "Pin", "Postal Code"}, Type: excel.Text, Example: "560011"},
			{Name: "State", Synonyms: []string{"State Code", "State Name"}, Type: excel.Text, Example: "29"},
			{Name: "GSTIN", Synonyms: []string{"GST No", "GST Number", "GSTIN No", "GSTIN/UIN"}, Type: excel.GSTIN, Example: "29ABCDE1234F1ZW"},
			{Name: "Channel", Synonyms: []string{"Outlet Type", "Type", "Class", "Channel Name", "Outlet Channel", "Channel Type", "Sub Channel", "Outlet Class", "Trade Channel"}, Type: excel.Text, Example: "grocery"},
			{Name: "Beat", Synonyms: []string{"Beat Code", "Route", "Route Code", "Beat No", "Route No"}, Type: excel.Code, Example: "JAYA-MON"},
			{Name: "Beat Day", Synonyms: []string{"Day", "Weekday", "Visit Day", "Beat Weekday", "Route Day", "Visit Weekday"}, Type: excel.Text, Example: "Monday"},
			{Name: "Salesman", Synonyms: []string{"Salesman Code", "DSR", "SR", "Sales Rep", "DSR Code", "SR Code", "Salesperson", "Salesperson Code", "Sales Rep Code"}, Type: excel.Code, Example: "S01"},
			{Name: "Phone", Synonyms: []string{"Mobile", "Mobile No", "Contact", "Phone No"}, Type: excel.Text, Example: "9845012345"},
			{Name: "Credit Limit", Synonyms: []string{"Credit Limit Rs", "Limit"}, Type: excel.Money, Example: "25000"},
			{Name: "Credit Days", Synonyms: []string{"Credit Period", "Days"}, Type: excel.Int, Example: "7"},
			{Name: "Credit Limit Bills", Synonyms: []string{"Max Bills", "Bill Limit", "Open Bills Limit"}, Type: excel.Int, Example: "3"},
			{Name: "Credit Limit Days", Synonyms: []string{"Max Bill Age", "Bill Age Limit"}, Type: excel.Int, Example: "30"},
			{Name: "Credit Mode", Synonyms: []string{"Credit Check", "Credit Action"}, Type: excel.Text, Example: "stop"},
			{Name: "Temp Credit Limit", Synonyms: []string{"Temporary Credit Limit", "Temp Limit"}, Type: excel.Money, Example: "50000"},
			{Name: "Temp Credit Until", Synonyms: []string{"Temporary Limit Until", "Temp Limit Until", "Temp Limit Till"}, Type: excel.Date, Example: "31-12-2026"},
			active,
		}},
		fields: map[string]string{"code": "Outlet Code", "name": "Outlet Name", "state_code": "State", "gstin": "GSTIN", "city": "City", "pincode": "PIN",
			"channel": "Channel", "beat": "Beat", "beat_day": "Beat Day", "salesman": "Salesman", "credit_limit_paise": "Credit Limit", "credit_days": "Credit Days",
			"credit_limit_bills": "Credit Limit Bills", "credit_limit_days": "Credit Limit Days", "credit_mode": "Credit Mode",
			"temp_credit_limit_paise": "Temp Credit Limit", "temp_credit_until": "Temp Credit Until"},
		decode: func(r *excel.Row) (record, error) {
			st := stateCode(r.Text("State"))
			rec := outletRec{Outlet: masters.Outlet{Code: r.Text("Outlet Code"), Name: r.Text("Outlet Name"), Address: r.Text("Address"),
				City: r.Text("City"), Pincode: r.Text("PIN"), StateCode: st, GSTIN: r.Text("GSTIN"), Channel: r.Text("Channel"), Beat: r.Text("Beat"),
				Salesman: r.Text("Salesman"), Phone: r.Text("Phone"), CreditLimitPaise: r.Paise("Credit Limit"),
				CreditDays: int(r.Int("Credit Days")), CreditLimitBills: int(r.Int("Credit Limit Bills")), CreditLimitDays: int(r.Int("Credit Limit Days")),
				CreditMode: r.Text("Credit Mode"), TempCreditLimitPaise: r.Paise("Temp Credit Limit"), TempCreditUntil: r.Date("Temp Credit Until"),
				Active: r.Bool("Active")}}
			// An empty credit-control cell (or a file without the column)
			// keeps what the outlet has; 0 clears a limit, "company" the mode.
			rec.keepBills, rec.keepDays = !r.Has("Credit Limit Bills"), !r.Has("Credit Limit Days")
			rec.keepMode, rec.keepTemp = !r.Has("Credit Mode"), !r.Has("Temp Credit Limit") && !r.Has("Temp Credit Until")
			if strings.EqualFold(strings.TrimSpace(rec.CreditMode), "company") {
				rec.CreditMode = ""
			}
			if d := r.Text("Beat Day"); d != "" {
				w, ok := masters.NormalizeWeekday(d)
				if !ok {
					return nil, r.Error("Beat Day", "use a day of the week (Monday … Sunday)")
				}
				rec.beatDay = w
			}
			return rec, nil
		},
		prepare: newBeatsAndSalesmen})

	register(&Kind{Name: "beats", Title: "Beats (routes)", Wired: true, keyField: "Beat Code",
		Spec: &excel.Spec{Kind: "beats", Fields: []excel.Field{
			{Name: "Beat Code", Synonyms: []string{"Code", "Route Code", "Beat"}, Type: excel.Code, Required: true, Example: "JAYA-MON"},
			{Name: "Beat Name", Synonyms: []string{"Name", "Route Name", "Route"}, Type: excel.Text, Required: true, Example: "Jayanagar Monday"},
			{Name: "Weekday", Synonyms: []string{"Day", "Beat Day", "Visit Day"}, Type: excel.Text, Required: true, Example: "Monday"},
		}},
		fields: map[string]string{"code": "Beat Code", "name": "Beat Name", "weekday": "Weekday"},
		decode: func(r *excel.Row) (record, error) {
			return beatRec{masters.Beat{Code: r.Text("Beat Code"), Name: r.Text("Beat Name"), Weekday: r.Text("Weekday")}}, nil
		}})

	register(&Kind{Name: "salesmen", Title: "Salesmen", Wired: true, keyField: "Salesman Code",
		Spec: &excel.Spec{Kind: "salesmen", Fields: []excel.Field{
			{Name: "Salesman Code", Synonyms: []string{"Code", "DSR Code", "SR Code", "Salesman"}, Type: excel.Code, Required: true, Example: "S01"},
			{Name: "Salesman Name", Synonyms: []string{"Name", "DSR Name", "SR Name"}, Type: excel.Text, Required: true, Example: "Ravi Kumar"},
			{Name: "Phone", Synonyms: []string{"Mobile", "Mobile No", "Contact"}, Type: excel.Text, Example: "9845012345"},
			active,
		}},
		fields: map[string]string{"code": "Salesman Code", "name": "Salesman Name"},
		decode: func(r *excel.Row) (record, error) {
			return salesmanRec{masters.Salesman{Code: r.Text("Salesman Code"), Name: r.Text("Salesman Name"),
				Phone: r.Text("Phone"), Active: r.Bool("Active")}}, nil
		}})
}

// stateCode accepts "29", "29-Karnataka" or "Karnataka".
func stateCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
		s = "0" + s
	}
	if len(s) >= 2 && s[0] >= '0' && s[0] <= '9' {
		return s[:2]
	}
	for code, name := range gst.States {
		if strings.EqualFold(name, s) {
			return code
		}
	}
	return s
}

// upsert is the one shape of every master import: a record that is not in
// the book is created, one that is and differs is updated, one that is the
// same is left alone (no audit entry for nothing).
func upsert[T any](tx *book.Tx, rec T, validate func(*T) error, get func(*book.Tx) (T, error),
	same func(old, cand T) bool, create, update func(*book.Tx, T) (T, error)) (Change, error) {
	old, err := get(tx)
	if fail.Is(err, fail.KindNotFound) {
		_, err := create(tx, rec)
		return New, err
	}
	if err != nil {
		return "", err
	}
	cand := rec
	if err := validate(&cand); err != nil {
		return "", err
	}
	if same(old, cand) {
		return Unchanged, nil
	}
	_, err = update(tx, rec)
	return Updated, err
}

// firstRate is a new item's rate history: from the start of GST, or for
// the 40 % slab from GST 2.0, the day it began.
func firstRate(rate money.BP) []masters.RateFrom {
	from := masters.GSTStart
	if rate == 4000 {
		from = cal.Of(gst.GST2)
	}
	return []masters.RateFrom{{From: from, RateBP: rate}}
}

type itemRec struct{ masters.Item }

func (r itemRec) key() string { return masters.NormalizeCode(r.Code) }
func (r itemRec) apply(tx *book.Tx, opt Options) (Change, error) {
	rate := r.GSTRateBP
	it := r.Item
	it.GSTRates = firstRate(rate)
	return upsert(tx, it, (*masters.Item).Validate,
		func(tx *book.Tx) (masters.Item, error) { return masters.GetItem(tx, r.Code) },
		func(old, cand masters.Item) bool {
			cand.GSTRates, cand.GSTRateBP = old.GSTRates, old.GSTRateBP
			if len(cand.Barcodes) == 0 {
				cand.Barcodes = old.Barcodes // an empty Barcodes cell keeps the item's barcodes
			}
			return reflect.DeepEqual(old, cand) && old.RateOn(opt.Today) == rate
		},
		func(tx *book.Tx, it masters.Item) (masters.Item, error) { return masters.CreateItem(tx, it, opt.Today) },
		func(tx *book.Tx, it masters.Item) (masters.Item, error) {
			old, err := masters.GetItem(tx, it.Code)
			if err != nil {
				return it, err
			}
			it.GSTRates = old.GSTRates // keep the history; a new rate starts today
			if len(it.Barcodes) == 0 {
				it.Barcodes = old.Barcodes
			}
			return masters.UpdateItem(tx, it, opt.Today)
		})
}

type outletRec struct {
	masters.Outlet
	keepBills, keepDays, keepMode, keepTemp bool
	// beatDay is the row's Beat Day (Monday … Sunday, or empty): the
	// weekday of a beat the import creates; a beat in the book keeps its own.
	beatDay string
}

func (r outletRec) key() string { return masters.NormalizeCode(r.Code) }
func (r outletRec) apply(tx *book.Tx, _ Options) (Change, error) {
	if old, err := masters.GetOutlet(tx, r.Code); err == nil {
		if r.keepBills {
			r.CreditLimitBills = old.CreditLimitBills
		}
		if r.keepDays {
			r.CreditLimitDays = old.CreditLimitDays
		}
		if r.keepMode {
			r.CreditMode = old.CreditMode
		}
		if r.keepTemp {
			r.TempCreditLimitPaise, r.TempCreditUntil = old.TempCreditLimitPaise, old.TempCreditUntil
		}
	}
	return upsert(tx, r.Outlet, (*masters.Outlet).Validate,
		func(tx *book.Tx) (masters.Outlet, error) { return masters.GetOutlet(tx, r.Code) },
		func(old, cand masters.Outlet) bool { return reflect.DeepEqual(old, cand) },
		masters.CreateOutlet, masters.UpdateOutlet)
}

type beatRec struct{ masters.Beat }

func (r beatRec) key() string { return masters.NormalizeCode(r.Code) }
func (r beatRec) apply(tx *book.Tx, _ Options) (Change, error) {
	return upsert(tx, r.Beat, (*masters.Beat).Validate,
		func(tx *book.Tx) (masters.Beat, error) { return masters.GetBeat(tx, r.Code) },
		func(old, cand masters.Beat) bool { return reflect.DeepEqual(old, cand) },
		masters.CreateBeat, masters.UpdateBeat)
}

type salesmanRec struct{ masters.Salesman }

func (r salesmanRec) key() string { return masters.NormalizeCode(r.Code) }
func (r salesmanRec) apply(tx *book.Tx, _ Options) (Change, error) {
	return upsert(tx, r.Salesman, (*masters.Salesman).Validate,
		func(tx *book.Tx) (masters.Salesman, error) { return masters.GetSalesman(tx, r.Code) },
		func(old, cand masters.Salesman) bool { return reflect.DeepEqual(old, cand) },
		masters.CreateSalesman, masters.UpdateSalesman)
}

// newBeatsAndSalesmen lists the beats, salesmen and channels an outlet file
// names that the book lacks, and with opt.CreateMissing creates them: a beat
// named by its code, on the weekday the file's Beat Day column gives it (its
// rows must agree), else with no weekday, which the report says; a salesman
// named by his code; a channel as the file spells it (a spelling that is a
// synonym of a channel is that channel, not new). A code the masters refuse
// is left for the outlet rows to report.
func newBeatsAndSalesmen(tx *book.Tx, opt Options, recs []rowRec, rep *Report) error {
	seen := map[string]bool{}
	days := map[string]string{} // new beat → its weekday, "" when not set
	dayRow := map[string]int{}  // new beat → the row its weekday came from
	for _, rr := range recs {
		o, ok := rr.rec.(outletRec)
		if !ok {
			continue
		}
		if c := masters.NormalizeCode(o.Beat); c != "" && !seen["b"+c] {
			seen["b"+c] = true
			if _, err := masters.GetBeat(tx, c); fail.Is(err, fail.KindNotFound) {
				rep.NewBeats = append(rep.NewBeats, c)
				days[c] = ""
			}
		}
		if c := masters.NormalizeCode(o.Beat); o.beatDay != "" && c != "" {
			if d, isNew := days[c]; isNew {
				switch {
				case d == "":
					days[c], dayRow[c] = o.beatDay, rr.row
				case d != o.beatDay && rep.Result != nil:
					rep.Result.Add(excel.RowError{Row: rr.row, Column: rep.Result.Title("Beat Day"), Value: rr.written.Value("Beat Day"),
						Reason: fmt.Sprintf("beat %s is on %s on row %d: a beat has one weekday", c, d, dayRow[c])})
				}
			}
		}
		if c := masters.ChannelKey(o.Channel); c != "" && !seen["c"+c] {
			seen["c"+c] = true
			if _, ok := masters.ResolveChannel(tx, c); !ok {
				rep.NewChannels = append(rep.NewChannels, strings.TrimSpace(o.Channel))
			}
		}
		if c := masters.NormalizeCode(o.Salesman); c != "" && !seen["s"+c] {
			seen["s"+c] = true
			if _, err := masters.GetSalesman(tx, c); fail.Is(err, fail.KindNotFound) {
				rep.NewSalesmen = append(rep.NewSalesmen, c)
			}
		}
	}
	sort.Strings(rep.NewBeats)
	sort.Strings(rep.NewSalesmen)
	sort.Strings(rep.NewChannels)
	if len(days) > 0 {
		rep.NewBeatWeekdays = days
	}
	for _, c := range rep.NewBeats {
		if days[c] == "" {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("new beat %s: weekday not set (no Beat Day for it in the file); set it on the Beats screen", c))
		}
	}
	if !opt.CreateMissing || len(rep.NewBeats)+len(rep.NewSalesmen)+len(rep.NewChannels) == 0 {
		return nil
	}
	for _, c := range rep.NewChannels {
		if _, err := masters.PutChannel(tx, masters.Channel{Code: c, Name: c}); !isUser(err) {
			return err
		}
	}
	for _, c := range rep.NewBeats {
		if _, err := masters.CreateBeat(tx, masters.Beat{Code: c, Name: c, Weekday: days[c]}); !isUser(err) {
			return err
		}
	}
	for _, c := range rep.NewSalesmen {
		if _, err := masters.CreateSalesman(tx, masters.Salesman{Code: c, Name: c, Active: true}); !isUser(err) {
			return err
		}
	}
	rep.MissingCreated = true
	return nil
}

// isUser is true for no error or one the clerk can act on (a code the masters refuse).
func isUser(err error) bool {
	_, ok := fail.As(err)
	return err == nil || ok
}
