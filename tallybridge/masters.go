package tallybridge

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Mapping sends our names to the accountant's: when the company already has
// "ABC Traders A/c" for our outlet "ABC Traders", vouchers use theirs and
// nothing new is created. Keys are matched without regard to case.
type Mapping struct {
	Ledgers map[string]string `json:"ledgers"` // outlet, supplier, sales/tax/round-off ledger names
	Items   map[string]string `json:"items"`   // stock items
	Godowns map[string]string `json:"godowns"`
	Units   map[string]string `json:"units"`
}

func mapName(m map[string]string, name string) string {
	if m == nil {
		return name
	}
	if v, ok := m[name]; ok && v != "" {
		return v
	}
	for k, v := range m {
		if v != "" && strings.EqualFold(k, name) {
			return v
		}
	}
	return name
}

// Apply returns v with every name mapped, defaults filled first so that a
// mapping of "Sales @ 18%" catches lines that left the ledger empty.
func (m Mapping) Apply(v Voucher) Voucher {
	v = v.withDefaults()
	v.Party.Name = mapName(m.Ledgers, v.Party.Name)
	v.Bank = mapName(m.Ledgers, v.Bank)
	v.RoundOffLedger = mapName(m.Ledgers, v.RoundOffLedger)
	for i := range v.Lines {
		l := &v.Lines[i]
		l.Item = mapName(m.Items, l.Item)
		l.Ledger = mapName(m.Ledgers, l.Ledger)
		l.Godown = mapName(m.Godowns, l.Godown)
		l.Unit = mapName(m.Units, l.Unit)
	}
	for i := range v.Taxes {
		v.Taxes[i].Ledger = mapName(m.Ledgers, v.Taxes[i].Ledger)
	}
	charges := make([]Charge, len(v.Charges))
	for i, c := range v.Charges {
		c.Ledger = mapName(m.Ledgers, c.Ledger)
		charges[i] = c
	}
	v.Charges = charges
	for _, es := range [][]StockEntry{v.In, v.Out} {
		for i := range es {
			es[i].Item = mapName(m.Items, es[i].Item)
			es[i].Godown = mapName(m.Godowns, es[i].Godown)
			es[i].Unit = mapName(m.Units, es[i].Unit)
		}
	}
	return v
}

// Needed lists the masters the vouchers name, each with the group and
// details it would be created with in a fresh company.
func Needed(vs []Voucher) Masters {
	var m Masters
	ledgers := map[string]bool{}
	items := map[string]bool{}
	units := map[string]bool{}
	godowns := map[string]bool{}
	addLedger := func(l Ledger) {
		k := strings.ToLower(l.Name)
		if l.Name == "" || ledgers[k] {
			return
		}
		ledgers[k] = true
		m.Ledgers = append(m.Ledgers, l)
	}
	addUnit := func(u string) {
		if k := strings.ToLower(u); u != "" && !units[k] {
			units[k] = true
			m.Units = append(m.Units, Unit{Name: u})
		}
	}
	addGodown := func(g string) {
		if k := strings.ToLower(g); g != "" && !godowns[k] {
			godowns[k] = true
			m.Godowns = append(m.Godowns, Godown{Name: g})
		}
	}
	addItem := func(it StockItem) {
		if k := strings.ToLower(it.Name); it.Name != "" && !items[k] {
			items[k] = true
			m.Items = append(m.Items, it)
		}
		addUnit(it.BaseUnit)
	}
	for _, v := range vs {
		v = v.withDefaults()
		selling := v.Kind == Sales || v.Kind == CreditNote || v.Kind == Receipt || v.Kind == Journal
		partyGroup := GroupCreditors
		if selling {
			partyGroup = GroupDebtors
		}
		if v.Kind != StockJournal {
			addLedger(Ledger{Name: v.Party.Name, Parent: partyGroup, GSTIN: v.Party.GSTIN, State: v.Party.State})
		}
		if v.Kind == Receipt || v.Kind == Journal {
			group := GroupBank
			if strings.EqualFold(v.Bank, DefaultCash) {
				group = GroupCash
			}
			addLedger(Ledger{Name: v.Bank, Parent: group})
		}
		for _, l := range v.Lines {
			group := GroupPurchases
			if v.Kind == Sales || v.Kind == CreditNote {
				group = GroupSales
			}
			addLedger(Ledger{Name: l.Ledger, Parent: group})
			addItem(StockItem{Name: l.Item, BaseUnit: l.Unit, HSN: l.HSN, GSTRate: l.GSTRate})
			addGodown(l.Godown)
		}
		for _, t := range v.Taxes {
			addLedger(Ledger{Name: t.Ledger, Parent: GroupDuties, DutyHead: t.Tax})
		}
		for _, c := range v.Charges {
			group := GroupIndirectIncome
			if v.Kind != Journal && (c.Amount < 0) == v.Kind.goodsOut() { // a discount we give, or a charge we pay
				group = GroupIndirectExp
			}
			addLedger(Ledger{Name: c.Ledger, Parent: group})
		}
		if v.RoundOff != 0 {
			addLedger(Ledger{Name: v.RoundOffLedger, Parent: GroupIndirectExp})
		}
		for _, e := range append(append([]StockEntry{}, v.In...), v.Out...) {
			addItem(StockItem{Name: e.Item, BaseUnit: e.Unit})
			addGodown(e.Godown)
		}
	}
	return m
}

// Missing is what need names that have does not hold (names compared as
// Tally does, without regard to case).
func Missing(need, have Masters) Masters {
	var out Masters
	held := func(names []string) map[string]bool {
		s := make(map[string]bool, len(names))
		for _, n := range names {
			s[strings.ToLower(n)] = true
		}
		return s
	}
	var ln, in, un, gn []string
	for _, l := range have.Ledgers {
		ln = append(ln, l.Name)
	}
	for _, l := range have.Items {
		in = append(in, l.Name)
	}
	for _, l := range have.Units {
		un = append(un, l.Name)
	}
	for _, l := range have.Godowns {
		gn = append(gn, l.Name)
	}
	hl, hi, hu, hg := held(ln), held(in), held(un), held(gn)
	for _, l := range need.Ledgers {
		if !hl[strings.ToLower(l.Name)] {
			out.Ledgers = append(out.Ledgers, l)
		}
	}
	for _, it := range need.Items {
		if !hi[strings.ToLower(it.Name)] {
			out.Items = append(out.Items, it)
		}
	}
	for _, u := range need.Units {
		if !hu[strings.ToLower(u.Name)] {
			out.Units = append(out.Units, u)
		}
	}
	for _, g := range need.Godowns {
		if !hg[strings.ToLower(g.Name)] {
			out.Godowns = append(out.Godowns, g)
		}
	}
	return out
}

// Empty reports whether there is nothing to create.
func (m Masters) Empty() bool {
	return len(m.Ledgers)+len(m.Items)+len(m.Units)+len(m.Godowns) == 0
}

// EnsureMasters pulls the company's masters, works out what the vouchers
// (already mapped) name that the company lacks, and creates exactly that.
// It returns what it created.
func EnsureMasters(ctx context.Context, c *Client, vs []Voucher) (Masters, error) {
	have, err := c.ListOfAccounts(ctx)
	if err != nil {
		return Masters{}, err
	}
	missing := Missing(Needed(vs), have)
	if missing.Empty() {
		return missing, nil
	}
	if _, err := c.CreateMasters(ctx, missing); err != nil {
		return Masters{}, fmt.Errorf("create %d ledgers, %d items, %d units, %d godowns in Tally: %w",
			len(missing.Ledgers), len(missing.Items), len(missing.Units), len(missing.Godowns), err)
	}
	return missing, nil
}

// Suggestion is a candidate in Tally for one of our names on the mapping screen.
type Suggestion struct {
	Ours   string `json:"ours"`
	Theirs string `json:"theirs"`
	Score  int    `json:"score"` // 0–100
	Why    string `json:"why"`   // "same GSTIN", "same name", "similar name"
}

// SuggestLedgers proposes, for each of our parties, up to three Tally
// ledgers: the same GSTIN first (a sure match), then names that agree once
// case, punctuation and words like "A/c" or "M/s" are ignored.
func SuggestLedgers(ours, theirs []Ledger) map[string][]Suggestion {
	out := map[string][]Suggestion{}
	for _, o := range ours {
		var cands []Suggestion
		for _, t := range theirs {
			s := Suggestion{Ours: o.Name, Theirs: t.Name}
			switch {
			case o.GSTIN != "" && strings.EqualFold(o.GSTIN, t.GSTIN):
				s.Score, s.Why = 100, "same GSTIN"
			default:
				s.Score = nameScore(o.Name, t.Name)
				s.Why = "similar name"
				if s.Score == 95 {
					s.Why = "same name"
				}
			}
			if s.Score >= 50 {
				cands = append(cands, s)
			}
		}
		out[o.Name] = top3(cands)
	}
	return out
}

// SuggestItems does the same for stock items by name (and HSN as a tie-break).
func SuggestItems(ours, theirs []StockItem) map[string][]Suggestion {
	out := map[string][]Suggestion{}
	for _, o := range ours {
		var cands []Suggestion
		for _, t := range theirs {
			sc := nameScore(o.Name, t.Name)
			if o.HSN != "" && o.HSN == t.HSN && sc < 95 {
				sc += 5
			}
			if sc >= 50 {
				why := "similar name"
				if sc >= 95 {
					why = "same name"
				}
				cands = append(cands, Suggestion{Ours: o.Name, Theirs: t.Name, Score: sc, Why: why})
			}
		}
		out[o.Name] = top3(cands)
	}
	return out
}

func top3(c []Suggestion) []Suggestion {
	sort.SliceStable(c, func(i, j int) bool {
		if c[i].Score != c[j].Score {
			return c[i].Score > c[j].Score
		}
		return c[i].Theirs < c[j].Theirs
	})
	if len(c) > 3 {
		c = c[:3]
	}
	return c
}

var noiseWords = map[string]bool{"a/c": true, "ac": true, "m/s": true, "ms": true, "the": true, "and": true}

func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '/'
	})
	var out []string
	for _, w := range f {
		w = strings.Trim(w, "/")
		if w != "" && !noiseWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// nameScore is 95 for names equal after normalising, else the share of
// words in common (Jaccard) scaled to 0–90.
func nameScore(a, b string) int {
	wa, wb := words(a), words(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	if strings.Join(wa, " ") == strings.Join(wb, " ") {
		return 95
	}
	set := map[string]int{}
	for _, w := range wa {
		set[w] |= 1
	}
	for _, w := range wb {
		set[w] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return both * 90 / len(set)
}
