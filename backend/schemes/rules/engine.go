package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"vitaran/backend/money"
)

// Result is what the schemes do to one invoice: shown to the clerk before
// saving, and posted as it stands.
type Result struct {
	Lines []LineResult `json:"lines"`
	// Free lists the free rows billing adds, one per scheme and earning line.
	Free []FreeLine `json:"free"`
	// Bill lists the bill-level schemes (invoice_value, combo) applied, in
	// the order they applied; their discount is also spread over the lines.
	Bill                 []Applied   `json:"bill,omitempty"`
	InvoiceDiscountPaise money.Paise `json:"invoice_discount_paise"`
	SchemeDiscountPaise  money.Paise `json:"scheme_discount_paise"`
	FreeValuePaise       money.Paise `json:"free_value_paise"`
	NearMisses           []NearMiss  `json:"near_misses,omitempty"`
	// Redemptions are what Redeem writes when the invoice posts: one per
	// scheme and line.
	Redemptions []Redemption `json:"redemptions,omitempty"`
	// Notes say why bill-level schemes were chosen or left out.
	Notes []string `json:"notes,omitempty"`
}

// LineResult is one billed line after schemes. The taxable value is
// NetPaise: value_paise (gross less the clerk's discount) less
// scheme_discount_paise, which includes the line's share of bill-level
// schemes and never exceeds value_paise.
type LineResult struct {
	Line                int         `json:"line"`
	Item                string      `json:"item"`
	GrossPaise          money.Paise `json:"gross_paise"`
	ManualDiscountPaise money.Paise `json:"manual_discount_paise"`
	ValuePaise          money.Paise `json:"value_paise"`
	SchemeDiscountPaise money.Paise `json:"scheme_discount_paise"`
	NetPaise            money.Paise `json:"net_paise"`
	FreeQty             money.Qty   `json:"free_qty"`
	Applied             []Applied   `json:"applied,omitempty"`
	Notes               []string    `json:"notes,omitempty"`
}

// Applied is one scheme's benefit with the sentence that explains it.
type Applied struct {
	Scheme         string      `json:"scheme"`
	Kind           Kind        `json:"kind"`
	DiscountPaise  money.Paise `json:"discount_paise"`
	FreeItem       string      `json:"free_item,omitempty"`
	FreeQty        money.Qty   `json:"free_qty,omitempty"`
	FreeValuePaise money.Paise `json:"free_value_paise,omitempty"`
	Explanation    string      `json:"explanation"`
}

// FreeLine is a free row to add to the invoice: it carries its own HSN and
// GST, is picked FEFO and leaves stock like any line.
type FreeLine struct {
	Item       string      `json:"item"`
	FreeQty    money.Qty   `json:"free_qty"`
	Scheme     string      `json:"scheme"`
	ForLine    int         `json:"for_line"`
	RatePaise  money.Paise `json:"rate_paise"`
	ValuePaise money.Paise `json:"value_paise"`
}

// NearMiss is a scheme the bill almost earns (or could earn more of).
// Line 0 means the whole bill.
type NearMiss struct {
	Scheme         string      `json:"scheme"`
	Line           int         `json:"line"`
	MoreQty        money.Qty   `json:"more_qty,omitempty"`
	MoreValuePaise money.Paise `json:"more_value_paise,omitempty"`
	Text           string      `json:"text"`
}

// Set is a prepared list of schemes: validated once and ordered by
// priority, so evaluating on every keystroke costs little.
type Set struct {
	line, bill []*Scheme
	// index finds the line-level schemes that may cover a line without
	// weighing all of them: a circular's schemes name one SKU, a brand or a
	// category, so a line meets a handful of the fifty.
	index lineIndex
	// Skipped holds the schemes left out because they are invalid.
	Skipped []error
}

// Prepare validates and orders schemes for evaluation. Invalid ones are
// left out and listed in Skipped; they never apply.
func Prepare(schemes []Scheme) *Set {
	st := &Set{}
	for i := range schemes {
		s := schemes[i]
		if err := s.Validate(); err != nil {
			st.Skipped = append(st.Skipped, err)
			continue
		}
		if s.Kind.billLevel() {
			st.bill = append(st.bill, &s)
		} else {
			st.line = append(st.line, &s)
		}
	}
	byPriority := func(list []*Scheme) {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Priority != list[j].Priority {
				return list[i].Priority > list[j].Priority
			}
			return list[i].Code < list[j].Code
		})
	}
	byPriority(st.line)
	byPriority(st.bill)
	st.index = newLineIndex(st.line)
	return st
}

// Evaluate applies the schemes to the invoice given what they have already
// cost. It is Prepare(schemes).Evaluate(inv, usage).
func Evaluate(inv Invoice, schemes []Scheme, usage Usage) Result {
	return Prepare(schemes).Evaluate(inv, usage)
}

// benefit is what one scheme would give, before it is committed.
type benefit struct {
	s        *Scheme
	disc     money.Paise
	freeItem string
	freeQty  money.Qty
	freeRate money.Paise
	said     []said // the explanation, formatted only if the benefit is committed
	why      lineWhy
	cut      cutNote // why a cap cut it
	// bill level: the lines that share the discount, by weight, and the
	// line the free goods are written against
	lines   []int
	weights []int64
	forLine int
}

type said struct {
	format string
	args   []any
}

// say adds to the explanation. Formatting waits until the benefit is
// committed: most benefits weighed on a busy bill are never shown.
func (b *benefit) say(format string, args ...any) { b.said = append(b.said, said{format, args}) }

func (b *benefit) text() string {
	var sb strings.Builder
	if b.why.how != 0 {
		sb.WriteString(b.why.String())
	}
	for _, s := range b.said {
		fmt.Fprintf(&sb, s.format, s.args...)
	}
	return sb.String()
}

func (b *benefit) freeValue() money.Paise { return satMulQty(b.freeRate, b.freeQty) }

// satMulQty is amount × q, or the largest amount when the product is beyond
// int64: every caller caps it (at the line's net, the bill, a budget), and a
// free row that large is refused by billing's limits — never a wrapped value.
func satMulQty(amount money.Paise, q money.Qty) money.Paise {
	v, _ := amount.CheckedMulQty(q) // saturated on overflow
	return v
}

func (b *benefit) value() money.Paise {
	v, err := money.CheckedAdd(b.disc, b.freeValue())
	if err != nil {
		return math.MaxInt64
	}
	return v
}

func (b *benefit) empty() bool { return b.disc <= 0 && b.freeQty <= 0 }

type lineState struct {
	in    Line
	value money.Paise // gross less the clerk's discount
	net   money.Paise // value less scheme discounts so far
	res   *LineResult
}

type spent struct {
	cost money.Paise
	qty  money.Qty
}

type evaluation struct {
	inv   *Invoice
	usage Usage
	lines []lineState
	spent map[string]*spent
	res   Result
	notes map[string]string
}

// Evaluate applies the prepared schemes to the invoice. The output is
// deterministic: lines by line number, schemes by priority then code.
func (st *Set) Evaluate(inv Invoice, usage Usage) Result {
	e := &evaluation{inv: &inv, usage: usage, spent: map[string]*spent{}}
	lines := append([]Line(nil), inv.Lines...)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].No < lines[j].No })
	e.lines = make([]lineState, len(lines))
	e.res.Lines = make([]LineResult, len(lines))
	for i, l := range lines {
		gross := l.GrossPaise
		if gross == 0 {
			gross = l.RatePaise.MulQty(l.Qty)
		}
		manual := money.Paise(0)
		if l.DiscountBP > 0 && l.DiscountBP <= 10000 {
			manual = gross.MulRate(l.DiscountBP)
		}
		value := gross - manual
		e.res.Lines[i] = LineResult{Line: l.No, Item: l.Item, GrossPaise: gross, ManualDiscountPaise: manual, ValuePaise: value}
		e.lines[i] = lineState{in: l, value: value, net: value, res: &e.res.Lines[i]}
	}
	for _, err := range st.Skipped {
		e.res.Notes = append(e.res.Notes, "left out: "+err.Error())
	}

	running := make([]bool, len(st.line))
	for i, s := range st.line {
		running[i] = s.inScope(inv.Date, &inv.Outlet)
	}
	var cands []int32
	var active []*Scheme
	for i := range e.lines {
		cands = st.index.candidates(&e.lines[i].in, cands)
		active = active[:0]
		for _, c := range cands {
			if running[c] {
				active = append(active, st.line[c])
			}
		}
		e.evalLine(active, &e.lines[i])
	}
	active = active[:0]
	for _, s := range st.bill {
		if s.inScope(inv.Date, &inv.Outlet) {
			active = append(active, s)
		}
	}
	e.evalBill(active)

	for i := range e.res.Lines {
		lr := &e.res.Lines[i]
		lr.NetPaise = lr.ValuePaise - lr.SchemeDiscountPaise
		e.res.SchemeDiscountPaise += lr.SchemeDiscountPaise
	}
	for _, f := range e.res.Free {
		e.res.FreeValuePaise += f.ValuePaise
	}
	slices.SortStableFunc(e.res.Free, func(a, b FreeLine) int { return a.ForLine - b.ForLine })
	slices.SortStableFunc(e.res.NearMisses, func(a, b NearMiss) int { return a.Line - b.Line })
	sort.SliceStable(e.res.Redemptions, func(i, j int) bool {
		a, b := e.res.Redemptions[i], e.res.Redemptions[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Scheme < b.Scheme
	})
	return e.res
}

// option is one way to combine schemes at a level: a single exclusive
// scheme, or the stackable ones in priority order.
type option struct {
	benefits  []benefit
	exclusive bool
}

func (o *option) value() (v money.Paise, q money.Qty) {
	for i := range o.benefits {
		v += o.benefits[i].value()
		q += o.benefits[i].freeQty
	}
	return v, q
}

func (o *option) names() string {
	n := make([]string, len(o.benefits))
	for i := range o.benefits {
		n[i] = o.benefits[i].s.Code
	}
	return strings.Join(n, " + ")
}

// better reports whether a gives the outlet more than b: more value, then
// more free pieces, then the higher-priority lead scheme, then the code.
func better(a, b *option) bool {
	av, aq := a.value()
	bv, bq := b.value()
	if av != bv {
		return av > bv
	}
	if aq != bq {
		return aq > bq
	}
	as, bs := a.benefits[0].s, b.benefits[0].s
	if as.Priority != bs.Priority {
		return as.Priority > bs.Priority
	}
	return as.Code < bs.Code
}

// choose picks the best option and says why the others lost, in at most
// two notes: one for the exclusive schemes left out, one for the stack.
func choose(opts []option) (best int, why []string) {
	if len(opts) == 0 {
		return -1, nil
	}
	best = 0
	for i := 1; i < len(opts); i++ {
		if better(&opts[i], &opts[best]) {
			best = i
		}
	}
	if len(opts) == 1 {
		return best, nil
	}
	w := &opts[best]
	wv, _ := w.value()
	var lost []string
	for i := range opts {
		o := &opts[i]
		if i == best || !o.exclusive {
			continue
		}
		ov, _ := o.value()
		lost = append(lost, o.names()+" ("+rs(ov)+")")
	}
	if len(lost) > 0 {
		if w.exclusive {
			why = append(why, strings.Join(lost, ", ")+" not applied: exclusive schemes do not combine and "+w.names()+" gives more ("+rs(wv)+")")
		} else {
			why = append(why, strings.Join(lost, ", ")+" not applied: exclusive, and the stackable "+w.names()+" together give more ("+rs(wv)+")")
		}
	}
	for i := range opts {
		if o := &opts[i]; i != best && !o.exclusive {
			ov, _ := o.value()
			why = append(why, o.names()+" (together "+rs(ov)+") not applied: exclusive "+w.names()+" gives more ("+rs(wv)+")")
		}
	}
	return best, why
}

func (e *evaluation) evalLine(active []*Scheme, l *lineState) {
	if l.in.Qty <= 0 || l.value <= 0 {
		return
	}
	var opts []option
	var chain option
	net := l.value
	for _, s := range active {
		if !s.Covers(&l.in) {
			continue
		}
		start := l.value
		if !s.Exclusive {
			start = net
		}
		b, nm := e.onLine(s, l, start)
		if nm != nil {
			e.res.NearMisses = append(e.res.NearMisses, *nm)
		}
		e.capBenefit(&b)
		if b.empty() {
			if b.cut.set() {
				l.res.Notes = append(l.res.Notes, e.spentNote(s.Code, &b.cut))
			}
			continue
		}
		if s.Exclusive {
			opts = append(opts, option{benefits: []benefit{b}, exclusive: true})
		} else {
			chain.benefits = append(chain.benefits, b)
			net -= b.disc
		}
	}
	if len(chain.benefits) > 0 {
		opts = append(opts, chain)
	}
	best, why := choose(opts)
	if best < 0 {
		return
	}
	l.res.Notes = append(l.res.Notes, why...)
	w := &opts[best]
	for i := range w.benefits {
		b := &w.benefits[i]
		text := b.text()
		switch {
		case w.exclusive && len(opts) > 1:
			text += "; exclusive, and the best for this line"
		case w.exclusive:
			text += "; exclusive"
		case i > 0:
			text += "; stacked after " + w.benefits[i-1].s.Code
		}
		if b.cut.set() {
			text += "; " + b.cut.String()
		}
		e.commit(b, l, text)
	}
}

// commit spends a benefit on a line: the discount, the free row, the
// redemption and the cap consumption.
func (e *evaluation) commit(b *benefit, l *lineState, text string) {
	sp := e.spentOf(b.s.Code)
	sp.cost += b.value()
	sp.qty += b.freeQty
	if b.disc > 0 {
		l.net -= b.disc
		l.res.SchemeDiscountPaise += b.disc
	}
	a := Applied{Scheme: b.s.Code, Kind: b.s.Kind, DiscountPaise: b.disc, Explanation: text}
	if b.freeQty > 0 {
		a.FreeItem, a.FreeQty, a.FreeValuePaise = b.freeItem, b.freeQty, b.freeValue()
		l.res.FreeQty += b.freeQty
		e.res.Free = append(e.res.Free, FreeLine{Item: b.freeItem, FreeQty: b.freeQty, Scheme: b.s.Code,
			ForLine: l.in.No, RatePaise: b.freeRate, ValuePaise: b.freeValue()})
	}
	l.res.Applied = append(l.res.Applied, a)
	e.redeem(l, b.s.Code, b.disc, b.freeItem, b.freeQty, a.FreeValuePaise)
}

func (e *evaluation) redeem(l *lineState, scheme string, disc money.Paise, freeItem string, freeQty money.Qty, freeValue money.Paise) {
	for i := range e.res.Redemptions {
		r := &e.res.Redemptions[i]
		if r.Scheme == scheme && r.Line == l.in.No && (freeQty == 0 || r.FreeItem == "" || r.FreeItem == freeItem) {
			r.DiscountPaise += disc
			r.FreeQty += freeQty
			r.FreeValuePaise += freeValue
			if freeQty > 0 {
				r.FreeItem = freeItem
			}
			return
		}
	}
	r := Redemption{Scheme: scheme, Outlet: e.inv.Outlet.Code, Line: l.in.No, Item: l.in.Item, LineQty: l.in.Qty,
		DiscountPaise: disc, FreeQty: freeQty, FreeValuePaise: freeValue}
	if freeQty > 0 {
		r.FreeItem = freeItem
	}
	e.res.Redemptions = append(e.res.Redemptions, r)
}

// spentNote says once per bill that a scheme has nothing left to give;
// every line it would have reached repeats the same sentence.
func (e *evaluation) spentNote(code string, c *cutNote) string {
	if n, ok := e.notes[code]; ok && c.none {
		return n
	}
	n := code + " not applied: " + c.String()
	if c.none {
		if e.notes == nil {
			e.notes = map[string]string{}
		}
		e.notes[code] = n
	}
	return n
}

func (e *evaluation) spentOf(code string) *spent {
	sp := e.spent[code]
	if sp == nil {
		sp = &spent{}
		e.spent[code] = sp
	}
	return sp
}

// capBenefit cuts a benefit to what the scheme's budget and the outlet's
// cap have left, and says so.
func (e *evaluation) capBenefit(b *benefit) {
	s := b.s
	if s.BudgetPaise == 0 && s.BudgetFreeQty == 0 && s.PerOutletCapPaise == 0 && s.PerOutletCapQty == 0 {
		return
	}
	u := e.usage[s.Code]
	sp := e.spent[s.Code]
	if sp == nil {
		sp = &spent{}
	}
	const none = money.Paise(1 << 62)
	costLeft, costWhy := none, ""
	if s.BudgetPaise > 0 {
		costLeft, costWhy = s.BudgetPaise-u.CostPaise-sp.cost, "budget"
	}
	if s.PerOutletCapPaise > 0 {
		if left := s.PerOutletCapPaise - u.OutletCostPaise - sp.cost; left < costLeft {
			costLeft, costWhy = left, "this outlet's cap"
		}
	}
	qtyLeft, qtyWhy := money.Qty(1<<62), ""
	if s.BudgetFreeQty > 0 {
		qtyLeft, qtyWhy = s.BudgetFreeQty-u.FreeQty-sp.qty, "free-goods budget"
	}
	if s.PerOutletCapQty > 0 {
		if left := s.PerOutletCapQty - u.OutletFreeQty - sp.qty; left < qtyLeft {
			qtyLeft, qtyWhy = left, "this outlet's free-goods cap"
		}
	}
	costLeft = max(costLeft, 0)
	qtyLeft = max(qtyLeft, 0)
	if b.freeQty > qtyLeft {
		b.cut = cutNote{what: qtyWhy, pieces: true, left: int64(qtyLeft), from: int64(b.freeQty), to: int64(qtyLeft)}
		b.freeQty = qtyLeft
	}
	if b.value() > costLeft {
		was := b.value()
		if b.disc > costLeft {
			b.disc = costLeft
		}
		if b.freeQty > 0 && b.freeRate > 0 && b.value() > costLeft {
			b.freeQty = money.Qty((costLeft - b.disc) / b.freeRate)
		}
		b.cut = cutNote{what: costWhy, left: int64(costLeft), from: int64(was), to: int64(b.value())}
	}
	b.cut.none = b.empty()
}

// cutNote says how a cap cut a benefit.
type cutNote struct {
	what           string
	pieces, none   bool
	left, from, to int64
}

func (c cutNote) set() bool { return c.what != "" }

func (c cutNote) String() string {
	cut := "benefit cut"
	if c.none {
		cut = "nothing left to give; cut"
	}
	if c.pieces {
		return c.what + " has " + itoa(c.left) + " pieces left: " + cut + " from " + itoa(c.from) + " free to " + itoa(c.to)
	}
	return c.what + " has " + rs(money.Paise(c.left)) + " left: " + cut + " from " + rs(money.Paise(c.from)) + " to " + rs(money.Paise(c.to))
}

// freeRate prices a free item per unit: the caller's rate, else the rate of
// a line billing it, else the line's own rate when it is the same item.
func (e *evaluation) freeRate(item string) money.Paise {
	if r, ok := e.inv.Rates[item]; ok {
		return r
	}
	for i := range e.lines {
		if e.lines[i].in.Item == item {
			return e.lines[i].in.RatePaise
		}
	}
	return 0
}

// rs writes an amount as money.Paise.String does, with the rupee sign,
// without fmt.
func rs(p money.Paise) string {
	v, sign := int64(p), ""
	if v < 0 {
		v, sign = -v, "-"
	}
	c := v % 100
	return "₹" + sign + money.GroupIndian(v/100) + "." + string(rune('0'+c/10)) + string(rune('0'+c%10))
}

// itoa writes a count: explanations are built by concatenation, not fmt,
// because a busy bill renders hundreds of them.
func itoa[T ~int64 | ~int](n T) string { return strconv.FormatInt(int64(n), 10) }

// rupees and pcs format lazily, when an explanation is rendered.
type rupees money.Paise

func (r rupees) String() string { return rs(money.Paise(r)) }

// pieces writes a quantity the way a clerk counts it: "2 pieces",
// "1 case + 2 pieces".
func pieces(q, caseSize money.Qty) string {
	unit := func(n money.Qty, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return itoa(n) + " " + many
	}
	if caseSize > 1 && q >= caseSize {
		c, p := q/caseSize, q%caseSize
		if p == 0 {
			return unit(c, "case", "cases")
		}
		return unit(c, "case", "cases") + " + " + unit(p, "piece", "pieces")
	}
	return unit(q, "piece", "pieces")
}
