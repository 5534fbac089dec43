package posting

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/gst"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/tallybridge"
)

// Change is one field that a pull would change.
type Change struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// PullRecord is one Tally master and what it would do to ours.
type PullRecord struct {
	Kind    string   `json:"kind"`   // outlet or item
	Tally   string   `json:"tally"`  // the name in Tally
	Code    string   `json:"code"`   // ours: existing, or the one a new record gets
	Action  string   `json:"action"` // new, changed, unchanged
	Changes []Change `json:"changes,omitempty"`
	Error   string   `json:"error,omitempty"` // apply: why this record was refused
	// Needs names what Tally cannot give and we must have before the record
	// can be created: "mrp" for a new item (Tally's stock items carry no MRP).
	Needs string `json:"needs,omitempty"`
	// Skipped says why apply left the record alone (an item without an MRP).
	Skipped string `json:"skipped,omitempty"`
	outlet  *masters.Outlet
	item    *masters.Item
}

// Counts of a preview by action.
func Counts(rs []PullRecord) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		out[r.Action]++
		if r.Error != "" {
			out["refused"]++
		}
		if r.Needs != "" {
			out["needs "+r.Needs]++
		}
		if r.Skipped != "" {
			out["skipped"]++
		}
	}
	return out
}

var stateCodes = func() map[string]string {
	m := map[string]string{}
	for code, name := range gst.States {
		m[strings.ToLower(name)] = code
	}
	return m
}()

// PreviewPull compares Tally's ledgers under Sundry Debtors (→ outlets) and
// stock items (→ items) with ours. Ours are found by GSTIN, then by the
// mapping, then by name.
func PreviewPull(tx *book.Tx, m tallybridge.Masters, today cal.Date) ([]PullRecord, error) {
	mp, err := GetMapping(tx)
	if err != nil {
		return nil, err
	}
	reverse := func(in map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range in {
			out[strings.ToLower(v)] = k
		}
		return out
	}
	revLedgers, revItems := reverse(mp.Ledgers), reverse(mp.Items)
	outlets, err := masters.ListOutlets(tx, masters.OutletFilter{})
	if err != nil {
		return nil, err
	}
	byGSTIN, byName := map[string]masters.Outlet{}, map[string]masters.Outlet{}
	codes := map[string]bool{}
	for _, o := range outlets {
		if o.GSTIN != "" {
			byGSTIN[o.GSTIN] = o
		}
		byName[strings.ToLower(o.Name)] = o
		byName[strings.ToLower(o.Name+" ("+o.Code+")")] = o // the adapter's name for a shared shop name
		codes[o.Code] = true
	}
	// the bridge's own debtors (the day-summary party, under its mapped
	// name too) are no shop: never propose them as outlets
	own := map[string]bool{}
	if s, err := GetSettings(tx); err == nil {
		var def Settings
		def.Defaults()
		for _, n := range []string{s.SummaryParty, def.SummaryParty} {
			own[strings.ToLower(n)] = true
			if mapped := mp.Ledgers[n]; mapped != "" {
				own[strings.ToLower(mapped)] = true
			}
		}
	}
	var out []PullRecord
	for _, l := range m.Ledgers {
		if !strings.EqualFold(l.Parent, tallybridge.GroupDebtors) || own[strings.ToLower(strings.TrimSpace(l.Name))] {
			continue
		}
		g := gst.NormalizeGSTIN(l.GSTIN)
		state := stateCodes[strings.ToLower(strings.TrimSpace(l.State))]
		if g != "" {
			state = gst.StateOfGSTIN(g)
		}
		cur, ok := byGSTIN[g]
		if !ok || g == "" {
			name := l.Name
			if ours, mapped := revLedgers[strings.ToLower(l.Name)]; mapped {
				name = ours
			}
			cur, ok = byName[strings.ToLower(name)]
		}
		r := PullRecord{Kind: "outlet", Tally: l.Name}
		if !ok {
			o := masters.Outlet{Code: newCode(l.Name, codes), Name: l.Name, GSTIN: g, StateCode: state, Channel: "grocery", Active: true}
			r.Code, r.Action, r.outlet = o.Code, "new", &o
			out = append(out, r)
			continue
		}
		o := cur
		r.Code = o.Code
		if g != "" && g != o.GSTIN {
			r.Changes = append(r.Changes, Change{"gstin", o.GSTIN, g})
			o.GSTIN = g
		}
		if state != "" && state != o.StateCode {
			r.Changes = append(r.Changes, Change{"state_code", o.StateCode, state})
			o.StateCode = state
		}
		r.Action = "unchanged"
		if len(r.Changes) > 0 {
			r.Action, r.outlet = "changed", &o
		}
		out = append(out, r)
	}
	items, err := masters.ListItems(tx, masters.ItemFilter{}, today)
	if err != nil {
		return nil, err
	}
	itemsByName := map[string]masters.Item{}
	icodes := map[string]bool{}
	for _, it := range items {
		itemsByName[strings.ToLower(it.Name)] = it
		itemsByName[strings.ToLower(it.Name+" ("+it.Code+")")] = it
		icodes[it.Code] = true
	}
	for _, si := range m.Items {
		name := si.Name
		if ours, mapped := revItems[strings.ToLower(si.Name)]; mapped {
			name = ours
		}
		unit := strings.ToUpper(strings.TrimSpace(strings.TrimSuffix(si.BaseUnit, ".")))
		if len(unit) > 8 {
			unit = unit[:8]
		}
		r := PullRecord{Kind: "item", Tally: si.Name}
		cur, ok := itemsByName[strings.ToLower(name)]
		if !ok {
			cat := si.Parent
			if cat == "" {
				cat = "Tally"
			}
			// a distributor's stock groups are usually its brands
			it := masters.Item{Code: newCode(si.Name, icodes), Name: si.Name, Brand: cat, Category: cat, HSN: si.HSN, GSTRateBP: si.GSTRate,
				Unit: unit, CaseSize: 1, Active: true}
			r.Code, r.Action, r.item, r.Needs = it.Code, "new", &it, "mrp"
			out = append(out, r)
			continue
		}
		it := cur
		r.Code = it.Code
		if si.HSN != "" && si.HSN != it.HSN {
			r.Changes = append(r.Changes, Change{"hsn", it.HSN, si.HSN})
			it.HSN = si.HSN
		}
		if si.GSTRate != 0 && si.GSTRate != it.GSTRateBP {
			r.Changes = append(r.Changes, Change{"gst_rate_bp", fmt.Sprint(it.GSTRateBP), fmt.Sprint(si.GSTRate)})
			it.GSTRateBP = si.GSTRate
		}
		if unit != "" && unit != it.Unit {
			r.Changes = append(r.Changes, Change{"unit", it.Unit, unit})
			it.Unit = unit
		}
		r.Action = "unchanged"
		if len(r.Changes) > 0 {
			r.Action, r.item = "changed", &it
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out, nil
}

// ApplyOptions are what an apply is given besides the preview.
type ApplyOptions struct {
	// MRP of new items, by Tally name or by the code the preview gave
	// (case ignored). Tally keeps no MRP, and an item cannot be billed
	// without one, so a new item whose MRP is not given is skipped, not
	// guessed: the MRP is printed on the pack and goes on every invoice,
	// and an accountant would rather enter it than find a made-up one there.
	MRP map[string]money.Paise
	// Progress hears each record applied.
	Progress func(done, total int)
}

// ApplyResult counts what an apply did.
type ApplyResult struct {
	Applied int `json:"applied"`
	Refused int `json:"refused"` // masters refused it: Error says why
	Skipped int `json:"skipped"` // left for later: Skipped says why (a new item without an MRP)
}

// NeedsMRP is the reason a new item pulled from Tally is skipped.
const NeedsMRP = "needs MRP: Tally keeps none; give the MRP printed on the pack and apply again"

// ApplyPull creates and updates ours through masters' own functions, in the
// caller's transaction. Records masters refuses carry the reason in Error;
// the caller decides whether any refusal rolls the whole pull back. New
// items are created only with an MRP from o.MRP, otherwise skipped with
// NeedsMRP.
func ApplyPull(tx *book.Tx, rs []PullRecord, today cal.Date, o ApplyOptions) ApplyResult {
	mrp := map[string]money.Paise{}
	for k, v := range o.MRP {
		mrp[strings.ToLower(strings.TrimSpace(k))] = v
	}
	var res ApplyResult
	for i := range rs {
		if o.Progress != nil {
			o.Progress(i, len(rs))
		}
		r := &rs[i]
		r.Skipped, r.Error = "", ""
		if r.item != nil && r.Action == "new" {
			p, ok := mrp[strings.ToLower(r.Tally)]
			if !ok {
				p, ok = mrp[strings.ToLower(r.Code)]
			}
			if !ok || p <= 0 {
				r.Skipped = NeedsMRP
				res.Skipped++
				continue
			}
			r.item.MRPPaise = p
		}
		var err error
		switch {
		case r.outlet != nil && r.Action == "new":
			_, err = masters.CreateOutlet(tx, *r.outlet)
		case r.outlet != nil:
			_, err = masters.UpdateOutlet(tx, *r.outlet)
		case r.item != nil && r.Action == "new":
			_, err = masters.CreateItem(tx, *r.item, today)
		case r.item != nil:
			_, err = masters.UpdateItem(tx, *r.item, today)
		default:
			continue
		}
		if err != nil {
			r.Error = err.Error()
			res.Refused++
			continue
		}
		if r.item != nil && r.Action == "new" {
			r.Needs = ""
		}
		res.Applied++
	}
	if o.Progress != nil {
		o.Progress(len(rs), len(rs))
	}
	return res
}

// newCode makes a master code from a name: upper case, no spaces, at most
// 20 characters, unique among taken.
func newCode(name string, taken map[string]bool) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(name) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	base := b.String()
	if base == "" {
		base = "TALLY"
	}
	if len(base) > 16 {
		base = base[:16]
	}
	code := base
	for n := 2; taken[code]; n++ {
		code = fmt.Sprintf("%s%d", base, n)
	}
	taken[code] = true
	return code
}

// MappingSpec is the Excel mapping sheet: "Vitaran name" → "Tally name",
// with a kind column (ledger, item, godown, unit; ledger when blank).
var MappingSpec = &excel.Spec{Kind: "tally mapping", Fields: []excel.Field{
	{Name: "Kind", Synonyms: []string{"Type", "Master"}, Type: excel.Text, Default: "ledger", Example: "ledger"},
	{Name: "Vitaran name", Synonyms: []string{"Our name", "Vitaran", "Name in Vitaran"}, Type: excel.Text, Required: true, Example: "Sales @ 18%"},
	{Name: "Tally name", Synonyms: []string{"Tally", "Name in Tally", "Tally ledger"}, Type: excel.Text, Required: true, Example: "Sales GST 18%"},
}}

// ReadMapping reads a mapping sheet into a mapping added to base; a row
// with an unknown kind is reported with its row number.
func ReadMapping(r io.Reader, name string, base tallybridge.Mapping) (tallybridge.Mapping, *excel.Result, error) {
	m := base
	for _, p := range []*map[string]string{&m.Ledgers, &m.Items, &m.Godowns, &m.Units} {
		cp := map[string]string{}
		for k, v := range *p {
			cp[k] = v
		}
		*p = cp
	}
	res, err := excel.Read(r, name, MappingSpec, func(row *excel.Row) error {
		ours, theirs := row.Text("Vitaran name"), row.Text("Tally name")
		switch strings.ToLower(strings.TrimSpace(row.Text("Kind"))) {
		case "ledger", "ledgers", "party", "account":
			m.Ledgers[ours] = theirs
		case "item", "items", "stock item":
			m.Items[ours] = theirs
		case "godown", "godowns", "location":
			m.Godowns[ours] = theirs
		case "unit", "units":
			m.Units[ours] = theirs
		default:
			return row.Error("Kind", "use ledger, item, godown or unit")
		}
		return nil
	})
	return m, res, err
}
