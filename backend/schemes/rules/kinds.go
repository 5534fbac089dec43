package rules

import (
	"fmt"

	"vitaran/backend/money"
)

// onLine works out what one line-level scheme gives a line whose net value
// (after schemes stacked before it) is net, and what the line almost earns.
// Caps are not applied here.
func (e *evaluation) onLine(s *Scheme, l *lineState, net money.Paise) (benefit, *NearMiss) {
	b := benefit{s: s}
	qty, value, cs := l.in.Qty, l.value, l.in.CaseSize
	// A near miss is reported once the line is at least half way through
	// the step to the next benefit, so the clerk sees what is worth asking.
	miss := func(moreQty money.Qty, moreValue money.Paise, step int64, what string) *NearMiss {
		if 2*(int64(moreQty)+int64(moreValue)) > step {
			return nil
		}
		nm := &NearMiss{Scheme: s.Code, Line: l.in.No, MoreQty: moreQty, MoreValuePaise: moreValue}
		if moreQty > 0 {
			nm.Text = pieces(moreQty, cs) + " more → " + what + " (" + s.Code + ")"
		} else {
			nm.Text = rs(moreValue) + " more → " + what + " (" + s.Code + ")"
		}
		return nm
	}
	if qty < s.MinQty {
		return b, miss(s.MinQty-qty, 0, int64(s.MinQty), s.Name)
	}
	if value < s.MinValuePaise {
		return b, miss(0, s.MinValuePaise-value, int64(s.MinValuePaise), s.Name)
	}
	// Above a maximum the line keeps the benefit of the maximum.
	eq := qty
	if s.MaxQty > 0 && eq > s.MaxQty {
		eq = s.MaxQty
	}
	if s.MaxValuePaise > 0 && value > s.MaxValuePaise {
		eq = min(eq, money.Qty(mulDivFloor(int64(qty), int64(s.MaxValuePaise), int64(value))))
	}
	ev := net
	if s.MaxQty > 0 && qty > s.MaxQty {
		ev = money.Paise(MulDiv(int64(net), int64(s.MaxQty), int64(qty)))
	}
	if s.MaxValuePaise > 0 && ev > s.MaxValuePaise {
		ev = s.MaxValuePaise
	}
	var limit money.Qty
	if eq < qty {
		limit = eq
	}
	w := &b.why
	w.code, w.qty, w.cs, w.units, w.limit, w.held = s.Code, qty, cs, eq, limit, -1
	percent := func(bp money.BP) {
		b.disc = ev.MulRate(bp)
		w.how, w.rate, w.on, w.disc = 'p', bp, ev, b.disc
	}
	perUnit := func(amount money.Paise) {
		b.disc = satMulQty(amount, eq)
		w.how, w.amount, w.disc = 'u', amount, b.disc
		if b.disc > net {
			b.disc, w.held = net, net
		}
	}
	lump := func(amount money.Paise) {
		b.disc = min(amount, net)
		w.how, w.disc = 'l', b.disc
	}
	free := func(q money.Qty) {
		b.freeItem = s.FreeItem
		if b.freeItem == "" {
			b.freeItem = l.in.Item
		}
		b.freeQty = q
		b.freeRate = e.freeRate(b.freeItem)
		w.how, w.free, w.freeItem = 'f', q, b.freeItem
	}
	var nm *NearMiss
	switch s.Kind {
	case Percent:
		percent(s.DiscountBP)
	case Flat:
		perUnit(s.AmountPaise)
	case BuyXGetY:
		// Whole sets only: 10+1 on 25 pieces is 2 sets, 2 free, never 2.5.
		sets := eq / s.BuyQty
		free(sets * s.FreeQty)
		w.how, w.buy, w.freePer, w.sets = 'b', s.BuyQty, s.FreeQty, sets
		if eq == qty && (s.MaxQty == 0 || (sets+1)*s.BuyQty <= s.MaxQty) {
			more := (sets+1)*s.BuyQty - qty
			if 2*more <= s.BuyQty {
				what := itoa(s.FreeQty) + " free"
				if sets > 0 {
					what = itoa(s.FreeQty) + " more free"
				}
				nm = miss(more, 0, int64(s.BuyQty), what)
			}
		}
	case QtySlab, ValueSlab:
		at := -1
		for i, sl := range s.Slabs {
			if (s.Kind == QtySlab && qty >= sl.MinQty) || (s.Kind == ValueSlab && value >= sl.MinValuePaise) {
				at = i
			}
		}
		if at+1 < len(s.Slabs) {
			next, cur := s.Slabs[at+1], Slab{}
			if at >= 0 {
				cur = s.Slabs[at]
			}
			if s.Kind == QtySlab {
				if 2*(next.MinQty-qty) <= next.MinQty-cur.MinQty {
					nm = miss(next.MinQty-qty, 0, int64(next.MinQty-cur.MinQty), slabWords(next, s.FreeItem))
				}
			} else if 2*(next.MinValuePaise-value) <= next.MinValuePaise-cur.MinValuePaise {
				nm = miss(0, next.MinValuePaise-value, int64(next.MinValuePaise-cur.MinValuePaise), slabWords(next, s.FreeItem))
			}
		}
		if at < 0 {
			return b, nm
		}
		sl := s.Slabs[at]
		switch {
		case sl.DiscountBP > 0:
			percent(sl.DiscountBP)
		case sl.AmountPaise > 0 && s.Kind == QtySlab:
			perUnit(sl.AmountPaise)
		case sl.AmountPaise > 0:
			lump(sl.AmountPaise)
		default:
			free(sl.FreeQty)
		}
		w.slab, w.slabs, w.slabQty, w.slabValue = at+1, len(s.Slabs), sl.MinQty, sl.MinValuePaise
	}
	return b, nm
}

// lineWhy keeps what explains a line benefit, so that the sentence is
// written only for the benefits that are applied.
type lineWhy struct {
	how                    byte // p percent, u per unit, l lump, f free, b buy x get y
	code                   string
	rate                   money.BP
	amount, on, disc, held money.Paise
	qty, cs, units, limit  money.Qty
	buy, freePer, sets     money.Qty
	free                   money.Qty
	freeItem               string
	slab, slabs            int
	slabQty                money.Qty
	slabValue              money.Paise
}

func (w *lineWhy) String() string {
	var t string
	switch w.how {
	case 'p':
		t = w.code + ": " + w.rate.String() + " off " + rs(w.on) + " = " + rs(w.disc)
	case 'u':
		t = w.code + ": " + rs(w.amount) + " off each of " + pieces(w.units, w.cs) + " = " + rs(w.disc)
	case 'l':
		t = w.code + ": " + rs(w.disc) + " off the line"
	case 'b':
		t = w.code + ": buy " + itoa(w.buy) + " get " + itoa(w.freePer) + " " + w.freeItem + " free — " + pieces(w.qty, w.cs) +
			" make " + itoa(w.sets) + " whole set(s) → " + itoa(w.free) + " free"
		if over := w.qty - w.sets*w.buy; over > 0 && w.limit == 0 {
			t += " (" + pieces(over, w.cs) + " over)"
		}
	case 'f':
		t = w.code + ": " + itoa(w.free) + " " + w.freeItem + " free"
	}
	if w.limit > 0 && w.how != 'p' && w.how != 'l' {
		t += " (on " + pieces(w.limit, w.cs) + ": the scheme's maximum)"
	}
	if w.held >= 0 {
		t += ", held to the line's " + rs(w.held)
	}
	switch {
	case w.slabQty > 0:
		t += " — slab " + itoa(w.slab) + " of " + itoa(w.slabs) + " (from " + pieces(w.slabQty, w.cs) + ")"
	case w.slabValue > 0:
		t += " — slab " + itoa(w.slab) + " of " + itoa(w.slabs) + " (from " + rs(w.slabValue) + ")"
	}
	return t
}

// slabWords says what a slab gives: "2% off", "₹1.00 off each", "3 free".
func slabWords(sl Slab, freeItem string) string {
	switch {
	case sl.DiscountBP > 0:
		return sl.DiscountBP.String() + " off"
	case sl.AmountPaise > 0:
		return rs(sl.AmountPaise) + " off"
	default:
		if freeItem != "" {
			return itoa(sl.FreeQty) + " " + freeItem + " free"
		}
		return itoa(sl.FreeQty) + " free"
	}
}

// evalBill applies the bill-level schemes (invoice_value, combo) on what the
// lines are worth after line-level schemes, with the same exclusive/stack
// rule as a line.
func (e *evaluation) evalBill(active []*Scheme) {
	if len(active) == 0 {
		return
	}
	// Thresholds are judged on the net after line schemes and do not move
	// while bill-level schemes stack; each discount is taken on the net
	// left by those before it.
	base := make([]money.Paise, len(e.lines))
	for i := range e.lines {
		base[i] = e.lines[i].net
	}
	var opts []option
	var chain option
	for _, s := range active {
		cur := base
		if !s.Exclusive && len(chain.benefits) > 0 {
			cur = append([]money.Paise(nil), base...)
			for _, b := range chain.benefits {
				shares, err := b.shares()
				if err != nil {
					continue // commitBill leaves it out
				}
				for k, li := range b.lines {
					cur[li] -= shares[k]
				}
			}
		}
		var b benefit
		var nm *NearMiss
		if s.Kind == Combo {
			b, nm = e.onCombo(s, cur)
		} else {
			b, nm = e.onBillValue(s, base, cur)
		}
		if nm != nil {
			e.res.NearMisses = append(e.res.NearMisses, *nm)
		}
		e.capBenefit(&b)
		if b.empty() {
			if b.cut.set() {
				e.res.Notes = append(e.res.Notes, s.Code+" not applied: "+b.cut.String())
			}
			continue
		}
		if s.Exclusive {
			opts = append(opts, option{benefits: []benefit{b}, exclusive: true})
		} else {
			chain.benefits = append(chain.benefits, b)
		}
	}
	if len(chain.benefits) > 0 {
		opts = append(opts, chain)
	}
	best, why := choose(opts)
	if best < 0 {
		return
	}
	e.res.Notes = append(e.res.Notes, why...)
	w := &opts[best]
	for i := range w.benefits {
		b := &w.benefits[i]
		switch {
		case w.exclusive && len(opts) > 1:
			b.say("; exclusive, and the best for this bill")
		case w.exclusive:
			b.say("; exclusive")
		case i > 0:
			b.say("; stacked after %s", w.benefits[i-1].s.Code)
		}
		if b.cut.set() {
			b.say("; %s", b.cut.String())
		}
		e.commitBill(b)
	}
}

// shares spreads a bill-level discount over its lines by weight; the
// shares always add up to the discount and none exceeds its line's net.
// Amounts beyond int64 are an error, never a wrapped share.
func (b *benefit) shares() ([]money.Paise, error) { return b.disc.Split(b.weights) }

func (e *evaluation) commitBill(b *benefit) {
	shares, err := b.shares()
	if err != nil {
		// the door's limits keep a bill far from this; leave the scheme out
		// rather than post a share that does not add up
		e.res.Notes = append(e.res.Notes, fmt.Sprintf("left out: %s: the bill's amounts are out of range (%v)", b.s.Code, err))
		return
	}
	sp := e.spentOf(b.s.Code)
	sp.cost += b.value()
	sp.qty += b.freeQty
	e.res.InvoiceDiscountPaise += b.disc
	a := Applied{Scheme: b.s.Code, Kind: b.s.Kind, DiscountPaise: b.disc, Explanation: b.text()}
	for k, share := range shares {
		if share == 0 {
			continue
		}
		l := &e.lines[b.lines[k]]
		l.net -= share
		l.res.SchemeDiscountPaise += share
		l.res.Applied = append(l.res.Applied, Applied{Scheme: b.s.Code, Kind: b.s.Kind, DiscountPaise: share,
			Explanation: b.s.Code + ": this line's share (" + rs(share) + ") of the bill discount " + rs(b.disc)})
		e.redeem(l, b.s.Code, share, "", 0, 0)
	}
	if b.freeQty > 0 {
		a.FreeItem, a.FreeQty, a.FreeValuePaise = b.freeItem, b.freeQty, b.freeValue()
		l := &e.lines[b.forLine]
		l.res.FreeQty += b.freeQty
		l.res.Applied = append(l.res.Applied, Applied{Scheme: b.s.Code, Kind: b.s.Kind, FreeItem: b.freeItem,
			FreeQty: b.freeQty, FreeValuePaise: b.freeValue(), Explanation: b.text()})
		e.res.Free = append(e.res.Free, FreeLine{Item: b.freeItem, FreeQty: b.freeQty, Scheme: b.s.Code,
			ForLine: l.in.No, RatePaise: b.freeRate, ValuePaise: b.freeValue()})
		e.redeem(l, b.s.Code, 0, b.freeItem, b.freeQty, b.freeValue())
	}
	e.res.Bill = append(e.res.Bill, a)
}

// onBillValue is invoice_value: the in-scope lines' value after line
// schemes (base) earns the scheme; the discount is taken on cur.
func (e *evaluation) onBillValue(s *Scheme, base, cur []money.Paise) (benefit, *NearMiss) {
	b := benefit{s: s, forLine: -1}
	var value, net money.Paise
	var qty money.Qty
	for i := range e.lines {
		l := &e.lines[i]
		if l.in.Qty <= 0 || l.value <= 0 || !s.Covers(&l.in) {
			continue
		}
		if b.forLine < 0 {
			b.forLine = i
		}
		value += base[i]
		net += cur[i]
		qty += l.in.Qty
		b.lines = append(b.lines, i)
		b.weights = append(b.weights, int64(max(cur[i], 0)))
	}
	if b.forLine < 0 {
		return b, nil
	}
	miss := func(more, step money.Paise, what string) *NearMiss {
		if 2*more > step {
			return nil
		}
		return &NearMiss{Scheme: s.Code, MoreValuePaise: more, Text: rs(more) + " more on the bill → " + what + " (" + s.Code + ")"}
	}
	if qty < s.MinQty {
		if 2*(s.MinQty-qty) > s.MinQty {
			return b, nil
		}
		return b, &NearMiss{Scheme: s.Code, MoreQty: s.MinQty - qty, Text: pieces(s.MinQty-qty, 0) + " more on the bill → " + s.Name + " (" + s.Code + ")"}
	}
	sl := Slab{MinValuePaise: s.MinValuePaise, DiscountBP: s.DiscountBP, AmountPaise: s.AmountPaise, FreeQty: s.FreeQty}
	var nm *NearMiss
	if len(s.Slabs) > 0 {
		at := -1
		for i, x := range s.Slabs {
			if value >= x.MinValuePaise {
				at = i
			}
		}
		if at+1 < len(s.Slabs) {
			var from money.Paise
			if at >= 0 {
				from = s.Slabs[at].MinValuePaise
			}
			nm = miss(s.Slabs[at+1].MinValuePaise-value, s.Slabs[at+1].MinValuePaise-from, slabWords(s.Slabs[at+1], s.FreeItem))
		}
		if at < 0 || value < s.MinValuePaise {
			return b, nm
		}
		sl = s.Slabs[at]
	} else if value < s.MinValuePaise {
		return b, miss(s.MinValuePaise-value, s.MinValuePaise, slabWords(sl, s.FreeItem))
	}
	ev := net
	if s.MaxValuePaise > 0 && ev > s.MaxValuePaise {
		ev = s.MaxValuePaise
	}
	switch {
	case sl.DiscountBP > 0:
		b.disc = ev.MulRate(sl.DiscountBP)
		b.say("%s: bill of %s reaches %s → %s off %s = %s", s.Code, rupees(value), rupees(sl.MinValuePaise), sl.DiscountBP, rupees(ev), rupees(b.disc))
	case sl.AmountPaise > 0:
		b.disc = min(sl.AmountPaise, net)
		b.say("%s: bill of %s reaches %s → %s off", s.Code, rupees(value), rupees(sl.MinValuePaise), rupees(b.disc))
	default:
		b.freeItem, b.freeQty, b.freeRate = s.FreeItem, sl.FreeQty, e.freeRate(s.FreeItem)
		b.say("%s: bill of %s reaches %s → %d %s free", s.Code, rupees(value), rupees(sl.MinValuePaise), b.freeQty, b.freeItem)
	}
	return b, nm
}

// onCombo counts whole sets of the combo across the bill (lines of the same
// item pool together) and rewards each set.
func (e *evaluation) onCombo(s *Scheme, cur []money.Paise) (benefit, *NearMiss) {
	b := benefit{s: s, forLine: -1}
	sets := money.Qty(-1)
	have := make([]money.Qty, len(s.Combo))
	vals := make([]money.Paise, len(s.Combo))
	found := false
	for k, p := range s.Combo {
		for i := range e.lines {
			l := &e.lines[i]
			if l.in.Item != p.Item || l.in.Qty <= 0 || l.value <= 0 {
				continue
			}
			if b.forLine < 0 {
				b.forLine = i
			}
			have[k] += l.in.Qty
			vals[k] += cur[i]
			b.lines = append(b.lines, i)
			b.weights = append(b.weights, int64(max(cur[i], 0)))
			found = true
		}
		n := have[k] / p.Qty
		if sets < 0 || n < sets {
			sets = n
		}
	}
	if !found {
		return b, nil
	}
	// a near miss: what the next whole set still needs
	var more, step money.Qty
	for k, p := range s.Combo {
		more += max((sets+1)*p.Qty-have[k], 0)
		step += p.Qty
	}
	var nm *NearMiss
	if (s.MaxQty == 0 || sets+1 <= s.MaxQty) && 2*more <= step {
		var need []string
		for k, p := range s.Combo {
			if short := (sets+1)*p.Qty - have[k]; short > 0 {
				need = append(need, itoa(short)+" × "+p.Item)
			}
		}
		nm = &NearMiss{Scheme: s.Code, MoreQty: more, Text: "add " + joinAnd(need) + " → combo " + s.Name + " (" + s.Code + ")"}
	}
	if sets < max(s.MinQty, 1) {
		return b, nm
	}
	if s.MaxQty > 0 && sets > s.MaxQty {
		sets = s.MaxQty
	}
	var total money.Paise
	for _, w := range b.weights {
		total += money.Paise(w)
	}
	switch {
	case s.DiscountBP > 0:
		var inSets money.Paise
		for k, p := range s.Combo {
			inSets += money.Paise(MulDiv(int64(vals[k]), int64(sets*p.Qty), int64(have[k])))
		}
		if s.MaxValuePaise > 0 && inSets > s.MaxValuePaise {
			inSets = s.MaxValuePaise
		}
		b.disc = min(inSets.MulRate(s.DiscountBP), total)
		b.say("%s: %d combo set(s) worth %s → %s off = %s", s.Code, sets, rupees(inSets), s.DiscountBP, rupees(b.disc))
	case s.AmountPaise > 0:
		b.disc = min(satMulQty(s.AmountPaise, sets), total)
		b.say("%s: %d combo set(s) × %s = %s off", s.Code, sets, rupees(s.AmountPaise), rupees(b.disc))
	default:
		b.freeItem, b.freeQty, b.freeRate = s.FreeItem, sets*s.FreeQty, e.freeRate(s.FreeItem)
		b.say("%s: %d combo set(s) → %d %s free", s.Code, sets, b.freeQty, b.freeItem)
	}
	return b, nm
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " and " + parts[len(parts)-1]
}
