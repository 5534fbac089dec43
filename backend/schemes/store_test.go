package schemes

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/schemes/rules"
)

func openBook(t testing.TB) *book.Book {
	t.Helper()
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func save(t testing.TB, b *book.Book, ss ...Scheme) {
	t.Helper()
	err := b.UpdateAs(book.Actor{User: "asha"}, func(tx *book.Tx) error {
		for _, s := range ss {
			if err := Save(tx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// post does what billing does inside its posting transaction: read usage,
// evaluate, redeem.
func post(tx *book.Tx, no string, inv Invoice) (Result, error) {
	ss, err := Active(tx, inv.Date)
	if err != nil {
		return Result{}, err
	}
	u, err := UsageOf(tx, ss, inv.Outlet.Code)
	if err != nil {
		return Result{}, err
	}
	r := Evaluate(inv, ss, u)
	return r, Redeem(tx, no, inv.Date, inv.Outlet.Code, r.Redemptions)
}

func TestSavedSchemesAreAuditedAndListedByCode(t *testing.T) {
	b := openBook(t)
	save(t, b, scheme("ZED", Percent, func(s *Scheme) { s.DiscountBP = 100 }), scheme("ABC", Flat, func(s *Scheme) { s.AmountPaise = 100 }))
	save(t, b, scheme("ABC", Flat, func(s *Scheme) { s.AmountPaise = 150 }))
	b.View(func(tx *book.Tx) error {
		list, err := List(tx)
		if err != nil || len(list) != 2 || list[0].Code != "ABC" || list[0].AmountPaise != 150 {
			t.Fatalf("%+v %v", list, err)
		}
		if _, err := Get(tx, "NOPE"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("got %v", err)
		}
		log, _ := tx.AuditLog(0, 0, func(e *book.AuditEntry) bool { return e.Kind == "scheme" })
		if len(log) != 3 || log[2].Action != "update" || log[2].User != "asha" || !strings.Contains(string(log[2].Before), `"amount_paise":100`) {
			t.Fatalf("audit %+v", log)
		}
		return nil
	})
	err := b.Update(func(tx *book.Tx) error { return Save(tx, scheme("BAD", Percent, nil)) })
	var inv *Invalid
	if !errors.As(err, &inv) || inv.Fields[0].Field != "discount_bp" {
		t.Fatalf("got %v", err)
	}
}

func TestRedemptionsAreClaimedOutletWiseAndInvoiceWise(t *testing.T) {
	b := openBook(t)
	save(t, b,
		scheme("B10", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.Brands = 10, 1, []string{"Britannia"} }),
		scheme("P5", Percent, func(s *Scheme) { s.DiscountBP = 500; s.Brands = []string{"Parle"} }))
	invs := []struct {
		no, outlet string
		date       cal.Date
		lines      []Line
	}{
		{"INV1", "OUT1", "2026-05-02", []Line{goodDay(25), {Item: "PARLEG", Brand: "Parle", Qty: 40}}},
		{"INV2", "OUT2", "2026-05-03", []Line{goodDay(10)}},
		{"INV3", "OUT1", "2026-05-04", []Line{{Item: "PARLEG", Brand: "Parle", Qty: 7, RatePaise: 333}}},
		{"INV4", "OUT1", "2026-06-01", []Line{goodDay(50)}}, // after the scheme
	}
	for _, x := range invs {
		inv := bill(x.lines...)
		inv.Date, inv.Outlet.Code = x.date, x.outlet
		if err := b.Update(func(tx *book.Tx) error { _, err := post(tx, x.no, inv); return err }); err != nil {
			t.Fatal(err)
		}
	}
	b.View(func(tx *book.Tx) error {
		c, err := Claim(tx, "B10", "2026-05-01", "2026-05-31")
		if err != nil {
			t.Fatal(err)
		}
		// 25 → 2 free, 10 → 1 free, at ₹10 a piece
		if c.Total.FreeQty != 3 || c.Total.FreeValuePaise != 3000 || c.Total.ValuePaise != 3000 || len(c.Outlets) != 2 || len(c.Invoices) != 2 {
			t.Fatalf("%+v", c)
		}
		p, _ := Claim(tx, "P5", "2026-05-01", "2026-05-31")
		// 5% of ₹400 = ₹20; 5% of 7 × ₹3.33 = 5% of ₹23.31 = ₹1.17 (1.1655 → 1.17)
		if p.Total.DiscountPaise != 2000+117 || p.Outlets[0].Outlet != "OUT1" || p.Invoices[1].Invoice != "INV3" {
			t.Fatalf("%+v", p)
		}
		checkClaim(t, c)
		checkClaim(t, p)
		return nil
	})
	err := b.Update(func(tx *book.Tx) error { _, err := post(tx, "INV1", bill(goodDay(25))); return err })
	if !errors.Is(err, ErrAlreadyRedeemed) {
		t.Fatalf("second redeem of INV1: %v", err)
	}
}

func checkClaim(t *testing.T, c ClaimStatement) {
	t.Helper()
	var lines, outlets, invoices ClaimTotals
	for i := range c.Lines {
		lines.Add(&c.Lines[i])
	}
	for _, o := range c.Outlets {
		outlets.FreeQty += o.FreeQty
		outlets.DiscountPaise += o.DiscountPaise
		outlets.FreeValuePaise += o.FreeValuePaise
		outlets.ValuePaise += o.ValuePaise
		outlets.Redemptions += o.Redemptions
	}
	for _, o := range c.Invoices {
		invoices.FreeQty += o.FreeQty
		invoices.DiscountPaise += o.DiscountPaise
		invoices.FreeValuePaise += o.FreeValuePaise
		invoices.ValuePaise += o.ValuePaise
		invoices.Redemptions += o.Redemptions
	}
	if lines != c.Total || outlets != c.Total || invoices != c.Total {
		t.Fatalf("claim totals differ: total %+v lines %+v outlets %+v invoices %+v", c.Total, lines, outlets, invoices)
	}
}

func TestASalesReturnReversesItsShareAndAllReturnsReverseEverything(t *testing.T) {
	b := openBook(t)
	save(t, b, scheme("P", Percent, func(s *Scheme) { s.DiscountBP, s.BudgetPaise = 333, 100000 }),
		scheme("B", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.Items = 10, 1, []string{"MARIE"} }))
	inv := bill(Line{Item: "GD100", Qty: 7, RatePaise: 1111}, Line{Item: "MARIE", Qty: 30, RatePaise: 500})
	var r Result
	if err := b.Update(func(tx *book.Tx) error { var err error; r, err = post(tx, "INV1", inv); return err }); err != nil {
		t.Fatal(err)
	}
	// ₹77.77 × 3.33% = 258.97 → 259 paise on line 1; line 2 ₹150 → 500 paise, 3 free
	steps := []map[int]money.Qty{{1: 3, 2: 10}, {1: 1}, {1: 3, 2: 20}}
	for i, ret := range steps {
		err := b.Update(func(tx *book.Tx) error {
			_, err := Reverse(tx, "INV1", fmt.Sprintf("CN%d", i), "2026-05-20", ret, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			b.View(func(tx *book.Tx) error {
				c, _ := Claim(tx, "P", "2026-05-01", "2026-05-31")
				// line 1: 259 × 3/7 = 111; line 2: 500 × 10/30 = 166.67 → 167
				if c.Total.DiscountPaise != 259+500-111-167 {
					t.Fatalf("after the first return: %+v", c.Total)
				}
				fc, _ := Claim(tx, "B", "2026-05-01", "2026-05-31")
				if fc.Total.FreeQty != 2 { // 3 free, a third of the line back → 1 free back
					t.Fatalf("free after the first return: %+v", fc.Total)
				}
				return nil
			})
		}
	}
	b.View(func(tx *book.Tx) error {
		for _, code := range []string{"P", "B"} {
			c, _ := Claim(tx, code, "2026-05-01", "2026-05-31")
			if c.Total.DiscountPaise != 0 || c.Total.FreeQty != 0 || c.Total.FreeValuePaise != 0 {
				t.Fatalf("%s after returning everything: %+v", code, c.Total)
			}
			checkClaim(t, c)
		}
		u, _ := UsageOf(tx, []Scheme{{Code: "P"}}, "OUT1")
		if u["P"] != (Used{}) {
			t.Fatalf("budget not given back: %+v", u)
		}
		return nil
	})
	_ = r
	err := b.Update(func(tx *book.Tx) error {
		_, err := Reverse(tx, "INV1", "CN9", "2026-05-21", map[int]money.Qty{1: 1}, nil)
		return err
	})
	if !errors.Is(err, ErrOverReturn) {
		t.Fatalf("returning more than sold: %v", err)
	}
	err = b.Update(func(tx *book.Tx) error {
		_, err := Reverse(tx, "INV1", "CN0", "2026-05-21", map[int]money.Qty{}, nil)
		return err
	})
	if !errors.Is(err, ErrAlreadyReversed) {
		t.Fatalf("the same credit note twice: %v", err)
	}
}

func TestTwoClerksCannotBothSpendTheLastOfABudget(t *testing.T) {
	b := openBook(t)
	// ₹100 of budget; each bill earns ₹60 (6% of ₹1,000)
	save(t, b, scheme("P6", Percent, func(s *Scheme) { s.DiscountBP, s.BudgetPaise = 600, 10000 }))
	const clerks = 8
	var wg sync.WaitGroup
	for c := range clerks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inv := bill(goodDay(100))
			inv.Outlet.Code = fmt.Sprintf("OUT%d", c)
			err := b.Batch(func(tx *book.Tx) error { _, err := post(tx, fmt.Sprintf("INV%d", c), inv); return err })
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	b.View(func(tx *book.Tx) error {
		c, _ := Claim(tx, "P6", "2026-05-01", "2026-05-31")
		if c.Total.DiscountPaise != 10000 || c.Total.Redemptions != 2 {
			t.Fatalf("budget ₹100: claimed %+v", c.Total)
		}
		return nil
	})
}

func TestRedeemRefusesAStaleEvaluationThatWouldOverspend(t *testing.T) {
	b := openBook(t)
	save(t, b, scheme("P6", Percent, func(s *Scheme) { s.DiscountBP, s.BudgetPaise = 600, 10000 }))
	// both clerks evaluated on screen when the budget was untouched
	ss := []Scheme{scheme("P6", Percent, func(s *Scheme) { s.DiscountBP, s.BudgetPaise = 600, 10000 })}
	stale := Evaluate(bill(goodDay(100)), ss, nil)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for c := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[c] = b.Update(func(tx *book.Tx) error {
				return Redeem(tx, fmt.Sprintf("INV%d", c), day, "OUT1", stale.Redemptions)
			})
		}()
	}
	wg.Wait()
	var ce *CapError
	ok := (errs[0] == nil) != (errs[1] == nil)
	if !ok || !(errors.As(errs[0], &ce) || errors.As(errs[1], &ce)) || ce.Cap != "budget_paise" || ce.Left != 4000 {
		t.Fatalf("want one posted and one refused with ₹40 left: %v / %v", errs[0], errs[1])
	}
}

func TestPropertyClaimsEqualTheSumOfRedemptions(t *testing.T) {
	b := openBook(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var all []Scheme
	for i := range 25 {
		s := randomScheme(rng, i)
		s.ValidFrom, s.ValidTo = "2026-05-01", "2026-05-31"
		all = append(all, s)
	}
	save(t, b, all...)
	written := map[string]*ClaimTotals{}
	for n := range 300 {
		inv, _ := randomCase(uint64(n))
		inv.Date = cal.Date("2026-05-01").AddDays(rng.IntN(31))
		inv.Outlet.Code = fmt.Sprintf("OUT%d", rng.IntN(6))
		no := fmt.Sprintf("INV%04d", n)
		err := b.Update(func(tx *book.Tx) error {
			r, err := post(tx, no, inv)
			if err != nil {
				return err
			}
			// up to three returns of parts of a line, sometimes all of it
			back := map[int]money.Qty{}
			if rng.IntN(3) == 0 && len(inv.Lines) > 0 {
				l := inv.Lines[rng.IntN(len(inv.Lines))]
				left := l.Qty
				for k := 0; k < 3 && left > 0; k++ {
					q := 1 + money.Qty(rng.IntN(int(left)))
					if k == 2 || rng.IntN(4) == 0 {
						q = left
					}
					left -= q
					rev, err := Reverse(tx, no, fmt.Sprintf("CN%s-%d", no, k), inv.Date, map[int]money.Qty{l.No: q}, nil)
					if err != nil {
						return err
					}
					r.Redemptions = append(r.Redemptions, rev...)
				}
				back[l.No] = l.Qty - left
			}
			checkFreeValueFollowsPieces(t, r.Redemptions)
			checkNetIsWhatReversalsLeave(t, all, r.Redemptions, back)
			for i := range r.Redemptions {
				rd := &r.Redemptions[i]
				if written[rd.Scheme] == nil {
					written[rd.Scheme] = &ClaimTotals{}
				}
				written[rd.Scheme].Add(rd)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", no, err)
		}
	}
	b.View(func(tx *book.Tx) error {
		for _, s := range all {
			c, err := Claim(tx, s.Code, "2026-05-01", "2026-05-31")
			if err != nil {
				t.Fatal(err)
			}
			checkClaim(t, c)
			want := ClaimTotals{}
			if w := written[s.Code]; w != nil {
				want = *w
			}
			if c.Total != want {
				t.Fatalf("%s: claim %+v, redemptions %+v", s.Code, c.Total, want)
			}
			if s.BudgetPaise > 0 && c.Total.ValuePaise > s.BudgetPaise {
				t.Fatalf("%s: over budget %+v", s.Code, c.Total)
			}
			if s.BudgetFreeQty > 0 && c.Total.FreeQty > s.BudgetFreeQty {
				t.Fatalf("%s: over free budget %+v", s.Code, c.Total)
			}
		}
		return nil
	})
}

// checkFreeValueFollowsPieces: after any returns, what stays claimed of a
// line's free goods is the pieces kept at the rate they were given, and a
// line returned whole is claimed at nothing.
func checkFreeValueFollowsPieces(t *testing.T, reds []Redemption) {
	t.Helper()
	type key struct {
		scheme string
		line   int
	}
	orig := map[key]Redemption{}
	net := map[key]*Redemption{}
	for _, r := range reds {
		k := key{r.Scheme, r.Line}
		if r.Return == "" {
			orig[k] = r
		}
		if net[k] == nil {
			net[k] = &Redemption{}
		}
		net[k].DiscountPaise += r.DiscountPaise
		net[k].FreeQty += r.FreeQty
		net[k].FreeValuePaise += r.FreeValuePaise
	}
	for k, o := range orig {
		n := net[k]
		if n.DiscountPaise < 0 || n.FreeQty < 0 || n.FreeValuePaise < 0 || n.DiscountPaise > o.DiscountPaise || n.FreeQty > o.FreeQty {
			t.Fatalf("%v: reversed more than redeemed: %+v of %+v", k, *n, o)
		}
		if o.FreeQty > 0 {
			if want := money.Paise(rules.MulDiv(int64(o.FreeValuePaise), int64(n.FreeQty), int64(o.FreeQty))); n.FreeValuePaise != want {
				t.Fatalf("%v: %d free pieces kept valued ₹%s, want ₹%s (given %d for ₹%s)", k, n.FreeQty, n.FreeValuePaise, want, o.FreeQty, o.FreeValuePaise)
			}
		}
	}
}

type salesBook map[cal.Date][]Sale

func (sb salesBook) SalesByOutletItem(from, to cal.Date) ([]Sale, error) {
	var out []Sale
	for d, rows := range sb {
		if d >= from && d <= to {
			out = append(out, rows...)
		}
	}
	return out, nil
}

func TestPerformanceComparesTheSameOutletsWithThePeriodBefore(t *testing.T) {
	b := openBook(t)
	save(t, b, scheme("B10", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.Brands = 10, 1, []string{"Britannia"} }))
	inv := bill(goodDay(100))
	if err := b.Update(func(tx *book.Tx) error { _, err := post(tx, "INV1", inv); return err }); err != nil {
		t.Fatal(err)
	}
	sales := salesBook{
		"2026-05-10": {{Outlet: "OUT1", Item: "GD100", Brand: "Britannia", Qty: 100, ValuePaise: 100000},
			{Outlet: "OUT2", Item: "GD100", Brand: "Britannia", Qty: 500, ValuePaise: 500000}, // did not take the scheme
			{Outlet: "OUT1", Item: "PARLEG", Brand: "Parle", Qty: 50, ValuePaise: 50000}},     // not in scope
		"2026-04-15": {{Outlet: "OUT1", Item: "GD100", Brand: "Britannia", Qty: 40, ValuePaise: 40000}},
		"2026-03-31": {{Outlet: "OUT1", Item: "GD100", Brand: "Britannia", Qty: 999, ValuePaise: 999000}}, // before the previous period
	}
	b.View(func(tx *book.Tx) error {
		p, err := Measure(tx, "B10", "2026-05-31", sales)
		if err != nil {
			t.Fatal(err)
		}
		want := Performance{Scheme: "B10", From: "2026-05-01", To: "2026-05-31", PrevFrom: "2026-03-31", PrevTo: "2026-04-30",
			Outlets: 1, CostPaise: 10000, Qty: 100, ValuePaise: 100000, PrevQty: 40 + 999, PrevValuePaise: 1039000}
		want.UpliftQty, want.UpliftPaise, want.CostBP = 100-1039, 100000-1039000, 1000
		if p != want {
			t.Fatalf("got  %+v\nwant %+v", p, want)
		}
		return nil
	})
}

// Billing reads the running schemes from a cache: the same prepared set
// while nothing is saved, a fresh one as soon as a scheme is saved, and
// never another book's.
func TestActiveSetFollowsEverySave(t *testing.T) {
	b := openBook(t)
	save(t, b, scheme("ABC", Flat, func(s *Scheme) { s.AmountPaise = 100 }))
	running := func(bk *book.Book) *Running {
		var r *Running
		err := bk.View(func(tx *book.Tx) error {
			var err error
			r, err = ActiveSet(tx, "2026-05-15")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := running(b)
	if again := running(b); again != first {
		t.Fatal("an unchanged book prepared its schemes twice")
	}
	if len(first.Schemes) != 1 || first.Schemes[0].AmountPaise != 100 {
		t.Fatalf("running %+v", first.Schemes)
	}
	save(t, b, scheme("ABC", Flat, func(s *Scheme) { s.AmountPaise = 150 }))
	if r := running(b); r == first || len(r.Schemes) != 1 || r.Schemes[0].AmountPaise != 150 {
		t.Fatalf("after a save billing still sees %+v", r.Schemes)
	}
	other := openBook(t)
	save(t, other, scheme("XYZ", Flat, func(s *Scheme) { s.AmountPaise = 5 }))
	if r := running(other); len(r.Schemes) != 1 || r.Schemes[0].Code != "XYZ" {
		t.Fatalf("another book's schemes: %+v", r.Schemes)
	}
}

// What the outlet keeps of its free goods when part of the line comes back:
// what the scheme's own rule gives on the quantity kept.
func TestFreeGoodsKeptAreWhatTheSchemeGivesOnTheQuantityKept(t *testing.T) {
	tenPlusOne := scheme("B", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty = 10, 1 })
	capped := scheme("C", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.MaxQty = 10, 1, 20 })
	slab := scheme("S", QtySlab, func(s *Scheme) {
		s.Slabs = []Slab{{MinQty: 12, FreeQty: 1}, {MinQty: 24, FreeQty: 3}, {MinQty: 48, DiscountBP: 500}}
	})
	minQty := scheme("M", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.MinQty = 5, 1, 15 })
	for _, c := range []struct {
		name       string
		s          *Scheme
		sold, free money.Qty
		kept, want money.Qty
	}{
		{"a 10+1 on 25 gives 2; 15 kept earn 1", &tenPlusOne, 25, 2, 15, 1},
		{"20 kept still earn both", &tenPlusOne, 25, 2, 20, 2},
		{"19 kept earn 1, not 1.52 rounded to 2", &tenPlusOne, 25, 2, 19, 1},
		{"9 kept earn none", &tenPlusOne, 25, 2, 9, 0},
		{"all kept keep all", &tenPlusOne, 25, 2, 25, 2},
		{"nothing kept keeps nothing", &tenPlusOne, 25, 2, 0, 0},
		{"a capped scheme gave 2 on 35; 25 kept still earn 2", &capped, 35, 2, 25, 2},
		{"a budget cut the free goods to 1: never more than given", &tenPlusOne, 30, 1, 25, 1},
		{"a slab of 24 gave 3; 20 kept are in the slab of 12", &slab, 30, 3, 20, 1},
		{"11 kept are below every slab", &slab, 30, 3, 11, 0},
		{"below the scheme's minimum nothing is earned", &minQty, 20, 4, 14, 0},
		{"a scheme no longer in the book: whole pieces of the share", nil, 25, 2, 15, 1},
	} {
		r := Redemption{LineQty: c.sold, FreeQty: c.free}
		if got := FreeKept(c.s, &r, c.kept); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// checkNetIsWhatReversalsLeave: every redemption with its reversals adds up
// to rules.Net on all that came back of its line — the rule head office
// nets an invoice's returns with (back maps line → returned in all).
func checkNetIsWhatReversalsLeave(t *testing.T, all []Scheme, reds []Redemption, back map[int]money.Qty) {
	t.Helper()
	for _, r := range reds {
		if r.Return != "" {
			continue
		}
		got := r
		for _, x := range reds {
			if x.Return != "" && x.Scheme == r.Scheme && x.Line == r.Line && x.FreeItem == r.FreeItem {
				got.DiscountPaise += x.DiscountPaise
				got.FreeQty += x.FreeQty
				got.FreeValuePaise += x.FreeValuePaise
			}
		}
		var s *Scheme
		for i := range all {
			if all[i].Code == r.Scheme {
				s = &all[i]
			}
		}
		want := rules.Net(s, &r, back[r.Line], nil)
		if got.DiscountPaise != want.DiscountPaise || got.FreeQty != want.FreeQty || got.FreeValuePaise != want.FreeValuePaise {
			t.Fatalf("%s line %d %s, %d of %d back: reversals leave %d off, %d free worth %d; rules.Net %d off, %d free worth %d",
				r.Invoice, r.Line, r.Scheme, back[r.Line], r.LineQty, got.DiscountPaise, got.FreeQty, got.FreeValuePaise,
				want.DiscountPaise, want.FreeQty, want.FreeValuePaise)
		}
	}
}
