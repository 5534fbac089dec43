package rules

import (
	"strings"
	"testing"

	"vitaran/backend/money"
)

const day = "2026-05-10"

func scheme(code string, k Kind, set func(*Scheme)) Scheme {
	s := Scheme{Code: code, Name: code + " offer", Kind: k, ValidFrom: "2026-05-01", ValidTo: "2026-05-31"}
	if set != nil {
		set(&s)
	}
	return s
}

func bill(lines ...Line) Invoice {
	for i := range lines {
		if lines[i].No == 0 {
			lines[i].No = i + 1
		}
		if lines[i].RatePaise == 0 {
			lines[i].RatePaise = 1000
		}
	}
	return Invoice{Date: day, Outlet: Outlet{Code: "OUT1", Channel: "Grocery", Beat: "MON-A", State: "29"}, Lines: lines}
}

func goodDay(qty money.Qty) Line {
	return Line{Item: "GD100", Brand: "Britannia", Category: "Biscuits/Cream", Qty: qty, CaseSize: 12}
}

func freeOf(r Result) money.Qty {
	var q money.Qty
	for _, f := range r.Free {
		q += f.FreeQty
	}
	return q
}

func TestBuyXGetYUsesWholeSetsOnly(t *testing.T) {
	tenPlusOne := scheme("B10", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty = 10, 1 })
	for _, tc := range []struct {
		name string
		qty  money.Qty
		free money.Qty
	}{
		{"a 10+1 scheme on 25 pieces gives 2 free, never 2.5", 25, 2},
		{"9 pieces give nothing", 9, 0},
		{"exactly 10 pieces give 1 free", 10, 1},
		{"2 cases of 12 and 5 pieces (29 pieces) give 2 free", 2*12 + 5, 2},
		{"10 cases of 12 give 12 free", 120, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(bill(goodDay(tc.qty)), []Scheme{tenPlusOne}, nil)
			if got := freeOf(r); got != tc.free {
				t.Fatalf("free %d, want %d: %+v", got, tc.free, r.Lines[0])
			}
			if tc.free > 0 && (r.Free[0].Item != "GD100" || r.Free[0].ForLine != 1) {
				t.Fatalf("free row %+v", r.Free[0])
			}
		})
	}
}

func TestFreeRowsFollowTheQuantityAndAppearAndDisappearAtTheThreshold(t *testing.T) {
	s := []Scheme{scheme("B10", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty = 10, 1 })}
	for _, step := range []struct{ qty, free money.Qty }{{9, 0}, {10, 1}, {19, 1}, {20, 2}, {9, 0}, {0, 0}} {
		r := Evaluate(bill(goodDay(step.qty)), s, nil)
		if freeOf(r) != step.free || (step.free == 0) != (len(r.Free) == 0) {
			t.Fatalf("at %d pieces: free rows %+v, want %d free", step.qty, r.Free, step.free)
		}
	}
}

func TestEveryQualifyingLineEarnsItsOwnFreeRow(t *testing.T) {
	s := []Scheme{scheme("BR", BuyXGetY, func(s *Scheme) { s.Brands, s.BuyQty, s.FreeQty = []string{"Britannia"}, 6, 1 })}
	inv := bill(goodDay(12), Line{Item: "MARIE", Brand: "Britannia", Qty: 6}, Line{Item: "PARLE", Brand: "Parle", Qty: 60}, Line{Item: "BOURBON", Brand: "britannia", Qty: 20})
	r := Evaluate(inv, s, nil)
	want := map[int]money.Qty{1: 2, 2: 1, 4: 3}
	if len(r.Free) != len(want) {
		t.Fatalf("free rows %+v", r.Free)
	}
	for _, f := range r.Free {
		if want[f.ForLine] != f.FreeQty {
			t.Errorf("line %d: %d free, want %d", f.ForLine, f.FreeQty, want[f.ForLine])
		}
	}
}

func TestBuyXGetYOfAnotherItemIsValuedAtItsRate(t *testing.T) {
	s := []Scheme{scheme("TP", BuyXGetY, func(s *Scheme) { s.Items, s.BuyQty, s.FreeQty, s.FreeItem = []string{"PASTE100"}, 3, 1, "BRUSH" })}
	inv := bill(Line{Item: "PASTE100", Qty: 7, RatePaise: 5000})
	inv.Rates = map[string]money.Paise{"BRUSH": 2500}
	r := Evaluate(inv, s, nil)
	if len(r.Free) != 1 || r.Free[0].Item != "BRUSH" || r.Free[0].FreeQty != 2 || r.Free[0].ValuePaise != 5000 {
		t.Fatalf("free %+v", r.Free)
	}
	rd := r.Redemptions[0]
	if rd.FreeItem != "BRUSH" || rd.FreeQty != 2 || rd.FreeValuePaise != 5000 || rd.DiscountPaise != 0 {
		t.Fatalf("redemption %+v", rd)
	}
}

func TestEachKindGivesWhatTheCircularSays(t *testing.T) {
	cases := []struct {
		name     string
		s        Scheme
		lines    []Line
		discount money.Paise // total scheme discount
		free     money.Qty
	}{
		{"5% off a ₹1,000 line is ₹50", scheme("P5", Percent, func(s *Scheme) { s.DiscountBP = 500 }),
			[]Line{goodDay(100)}, 5000, 0},
		{"₹2 off each of 30 pieces is ₹60", scheme("F2", Flat, func(s *Scheme) { s.AmountPaise = 200 }),
			[]Line{goodDay(30)}, 6000, 0},
		{"a flat discount bigger than the rate stops at the line value", scheme("F20", Flat, func(s *Scheme) { s.AmountPaise = 2000 }),
			[]Line{goodDay(3)}, 3000, 0},
		{"qty slab: 48 pieces reach the 2nd slab (3%)", scheme("QS", QtySlab, func(s *Scheme) {
			s.Slabs = []Slab{{MinQty: 24, DiscountBP: 200}, {MinQty: 48, DiscountBP: 300}, {MinQty: 96, DiscountBP: 500}}
		}), []Line{goodDay(50)}, 1500, 0},
		{"qty slab below the first slab gives nothing", scheme("QS", QtySlab, func(s *Scheme) {
			s.Slabs = []Slab{{MinQty: 24, DiscountBP: 200}}
		}), []Line{goodDay(23)}, 0, 0},
		{"qty slab of free goods gives the slab's pieces, not per set", scheme("QF", QtySlab, func(s *Scheme) {
			s.Slabs = []Slab{{MinQty: 12, FreeQty: 1}, {MinQty: 36, FreeQty: 4}}
		}), []Line{goodDay(40)}, 0, 4},
		{"value slab: ₹600 line reaches ₹500 slab → ₹25 off", scheme("VS", ValueSlab, func(s *Scheme) {
			s.Slabs = []Slab{{MinValuePaise: 50000, AmountPaise: 2500}, {MinValuePaise: 100000, AmountPaise: 6000}}
		}), []Line{goodDay(60)}, 2500, 0},
		{"invoice value: a ₹1,200 bill above ₹1,000 gets 2% = ₹24", scheme("IV", InvoiceValue, func(s *Scheme) {
			s.MinValuePaise, s.DiscountBP = 100000, 200
		}), []Line{goodDay(70), {Item: "MARIE", Qty: 50}}, 2400, 0},
		{"invoice value below ₹1,000 gets nothing", scheme("IV", InvoiceValue, func(s *Scheme) {
			s.MinValuePaise, s.DiscountBP = 100000, 200
		}), []Line{goodDay(99)}, 0, 0},
		{"invoice value: a bill above ₹500 gets a tiffin box free", scheme("IVF", InvoiceValue, func(s *Scheme) {
			s.MinValuePaise, s.FreeQty, s.FreeItem = 50000, 1, "TIFFIN"
		}), []Line{goodDay(60)}, 0, 1},
		{"combo: 2 sets of paste + brush at ₹5 a set is ₹10", scheme("CB", Combo, func(s *Scheme) {
			s.Combo, s.AmountPaise = []ComboPart{{"PASTE", 1}, {"BRUSH", 1}}, 500
		}), []Line{{Item: "PASTE", Qty: 2}, {Item: "BRUSH", Qty: 3}}, 1000, 0},
		{"combo without the second item gives nothing", scheme("CB", Combo, func(s *Scheme) {
			s.Combo, s.AmountPaise = []ComboPart{{"PASTE", 1}, {"BRUSH", 1}}, 500
		}), []Line{{Item: "PASTE", Qty: 2}}, 0, 0},
		{"combo of 2 soaps and 1 shampoo gives a free bag per set", scheme("CF", Combo, func(s *Scheme) {
			s.Combo, s.FreeQty, s.FreeItem = []ComboPart{{"SOAP", 2}, {"SHAMPOO", 1}}, 1, "BAG"
		}), []Line{{Item: "SOAP", Qty: 5}, {Item: "SHAMPOO", Qty: 4}}, 0, 2},
		{"combo 10% off only the quantities in the sets", scheme("CP", Combo, func(s *Scheme) {
			s.Combo, s.DiscountBP = []ComboPart{{"SOAP", 2}, {"SHAMPOO", 1}}, 1000
		}), []Line{{Item: "SOAP", Qty: 5}, {Item: "SHAMPOO", Qty: 4}}, 600, 0}, // sets=2: 4 soaps+2 shampoo = ₹60
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.s.Validate(); err != nil {
				t.Fatal(err)
			}
			r := Evaluate(bill(tc.lines...), []Scheme{tc.s}, nil)
			if r.SchemeDiscountPaise != tc.discount || freeOf(r) != tc.free {
				t.Fatalf("discount %d free %d, want %d and %d\n%+v", r.SchemeDiscountPaise, freeOf(r), tc.discount, tc.free, r)
			}
			checkResult(t, r)
		})
	}
}

// checkResult asserts what is always true of a Result.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	var disc, redDisc, lineFree money.Paise
	for _, l := range r.Lines {
		if l.SchemeDiscountPaise < 0 || l.SchemeDiscountPaise > l.ValuePaise {
			t.Fatalf("line %d: scheme discount %d outside 0..%d", l.Line, l.SchemeDiscountPaise, l.ValuePaise)
		}
		if l.NetPaise != l.ValuePaise-l.SchemeDiscountPaise {
			t.Fatalf("line %d: net %d", l.Line, l.NetPaise)
		}
		disc += l.SchemeDiscountPaise
		lineFree += money.Paise(l.FreeQty)
	}
	var redFree money.Paise
	for _, rd := range r.Redemptions {
		redDisc += rd.DiscountPaise
		redFree += money.Paise(rd.FreeQty)
	}
	if disc != r.SchemeDiscountPaise || redDisc != disc {
		t.Fatalf("discount: lines %d, total %d, redemptions %d", disc, r.SchemeDiscountPaise, redDisc)
	}
	if money.Paise(freeOf(r)) != redFree || lineFree != redFree {
		t.Fatalf("free: rows %d, lines %d, redemptions %d", freeOf(r), lineFree, redFree)
	}
}

func TestScopeByDateOutletAndNestedCategory(t *testing.T) {
	base := func(set func(*Scheme)) []Scheme {
		return []Scheme{scheme("P", Percent, func(s *Scheme) { s.DiscountBP = 1000; set(s) })}
	}
	cases := []struct {
		name    string
		set     func(*Scheme)
		applies bool
	}{
		{"a scheme on Biscuits covers Biscuits/Cream", func(s *Scheme) { s.Categories = []string{"Biscuits"} }, true},
		{"a scheme on biscuits/ (any case, trailing slash) covers it too", func(s *Scheme) { s.Categories = []string{"biscuits/"} }, true},
		{"a scheme on Biscuits/Cream covers it", func(s *Scheme) { s.Categories = []string{"Biscuits/Cream"} }, true},
		{"a scheme on Biscuits/Cream/Choco does not cover Biscuits/Cream", func(s *Scheme) { s.Categories = []string{"Biscuits/Cream/Choco"} }, false},
		{"a scheme on Bisc does not cover Biscuits", func(s *Scheme) { s.Categories = []string{"Bisc"} }, false},
		{"valid to the invoice date inclusive", func(s *Scheme) { s.ValidTo = day }, true},
		{"valid from the invoice date inclusive", func(s *Scheme) { s.ValidFrom = day }, true},
		{"expired the day before", func(s *Scheme) { s.ValidTo = "2026-05-09" }, false},
		{"not started", func(s *Scheme) { s.ValidFrom = "2026-05-11" }, false},
		{"the outlet's channel", func(s *Scheme) { s.Channels = []string{"Chemist", "grocery"} }, true},
		{"another channel", func(s *Scheme) { s.Channels = []string{"Chemist"} }, false},
		{"the outlet's beat", func(s *Scheme) { s.Beats = []string{"MON-A"} }, true},
		{"another state", func(s *Scheme) { s.States = []string{"33"} }, false},
		{"an explicit outlet list naming it", func(s *Scheme) { s.Outlets = []string{"OUT9", "OUT1"} }, true},
		{"an explicit outlet list without it", func(s *Scheme) { s.Outlets = []string{"OUT9"} }, false},
		{"brand AND category must both match", func(s *Scheme) { s.Brands, s.Categories = []string{"Parle"}, []string{"Biscuits"} }, false},
		{"an item list naming it", func(s *Scheme) { s.Items = []string{"GD100"} }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(bill(goodDay(10)), base(tc.set), nil)
			if got := r.SchemeDiscountPaise > 0; got != tc.applies {
				t.Fatalf("applied %v, want %v: %+v", got, tc.applies, r)
			}
		})
	}
}

func TestMinimumAndMaximumLimits(t *testing.T) {
	pct := func(set func(*Scheme)) []Scheme {
		return []Scheme{scheme("P", Percent, func(s *Scheme) { s.DiscountBP = 1000; set(s) })}
	}
	// 10% on ₹10 a piece
	cases := []struct {
		name string
		s    []Scheme
		qty  money.Qty
		want money.Paise
	}{
		{"below min qty 12 gets nothing", pct(func(s *Scheme) { s.MinQty = 12 }), 11, 0},
		{"at min qty 12 gets 10%", pct(func(s *Scheme) { s.MinQty = 12 }), 12, 1200},
		{"below min value ₹200 gets nothing", pct(func(s *Scheme) { s.MinValuePaise = 20000 }), 19, 0},
		{"above max qty 50 keeps the discount on 50", pct(func(s *Scheme) { s.MaxQty = 50 }), 80, 5000},
		{"above max value ₹300 keeps the discount on ₹300", pct(func(s *Scheme) { s.MaxValuePaise = 30000 }), 80, 3000},
		{"buy 10 get 1 with max 25 pieces gives 2 on 100", []Scheme{scheme("B", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.MaxQty = 10, 1, 25 })}, 100, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(bill(goodDay(tc.qty)), tc.s, nil)
			if r.SchemeDiscountPaise != tc.want {
				t.Fatalf("discount %d, want %d", r.SchemeDiscountPaise, tc.want)
			}
			if tc.s[0].Kind == BuyXGetY && freeOf(r) != 2 {
				t.Fatalf("free %d", freeOf(r))
			}
		})
	}
}

func TestNearMissesSayWhatIsLeftToEarn(t *testing.T) {
	s := []Scheme{
		scheme("B10", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty = 10, 1 }),
		scheme("IV", InvoiceValue, func(s *Scheme) { s.MinValuePaise, s.DiscountBP = 100000, 200 }),
	}
	r := Evaluate(bill(goodDay(8), Line{Item: "TEA", Qty: 52}), s, nil) // ₹600 of ₹1,000
	var texts []string
	for _, n := range r.NearMisses {
		texts = append(texts, n.Text)
	}
	got := strings.Join(texts, " | ")
	for _, want := range []string{"2 pieces more → 1 free (B10)", "₹400.00 more on the bill → 2% off (IV)"} {
		if !strings.Contains(got, want) {
			t.Errorf("near misses %q lack %q", got, want)
		}
	}
	r = Evaluate(bill(goodDay(27)), s[:1], nil)
	if len(r.NearMisses) != 1 || r.NearMisses[0].Text != "3 pieces more → 1 more free (B10)" || r.NearMisses[0].MoreQty != 3 {
		t.Errorf("next set: %+v", r.NearMisses)
	}
	r = Evaluate(bill(goodDay(22)), s[:1], nil)
	if len(r.NearMisses) != 0 {
		t.Errorf("8 short of the next set is not near: %+v", r.NearMisses)
	}
	r = Evaluate(bill(Line{Item: "CASE", Qty: 100, CaseSize: 12}), []Scheme{scheme("B120", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty = 120, 12 })}, nil)
	if len(r.NearMisses) != 1 || r.NearMisses[0].Text != "1 case + 8 pieces more → 12 free (B120)" {
		t.Errorf("cases and pieces: %+v", r.NearMisses)
	}
}

func TestBudgetAndOutletCapsCutTheBenefitAndSaySo(t *testing.T) {
	t.Run("a ₹50 discount with ₹20 of budget left gives ₹20", func(t *testing.T) {
		s := []Scheme{scheme("P", Percent, func(s *Scheme) { s.DiscountBP, s.BudgetPaise = 500, 100000 })}
		r := Evaluate(bill(goodDay(100)), s, Usage{"P": {CostPaise: 98000}})
		if r.SchemeDiscountPaise != 2000 || !strings.Contains(r.Lines[0].Applied[0].Explanation, "budget has ₹20.00 left") {
			t.Fatalf("%+v", r.Lines[0])
		}
	})
	t.Run("a free-goods budget with 3 pieces left gives 3 of 5 earned", func(t *testing.T) {
		s := []Scheme{scheme("B", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.BudgetFreeQty = 10, 1, 100 })}
		r := Evaluate(bill(goodDay(50)), s, Usage{"B": {FreeQty: 97}})
		if freeOf(r) != 3 || !strings.Contains(r.Lines[0].Applied[0].Explanation, "3 pieces left") {
			t.Fatalf("%+v", r.Lines[0])
		}
	})
	t.Run("the budget is spent line by line within one bill", func(t *testing.T) {
		s := []Scheme{scheme("B", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.BudgetFreeQty = 10, 1, 3 })}
		r := Evaluate(bill(goodDay(20), Line{Item: "MARIE", Qty: 20}), s, nil)
		if freeOf(r) != 3 {
			t.Fatalf("free %d: %+v", freeOf(r), r.Free)
		}
	})
	t.Run("an outlet at its cap gets nothing and is told why", func(t *testing.T) {
		s := []Scheme{scheme("P", Percent, func(s *Scheme) { s.DiscountBP, s.PerOutletCapPaise = 500, 10000 })}
		r := Evaluate(bill(goodDay(100)), s, Usage{"P": {CostPaise: 50000, OutletCostPaise: 10000}})
		if r.SchemeDiscountPaise != 0 || len(r.Lines[0].Notes) == 0 || !strings.Contains(r.Lines[0].Notes[0], "outlet's cap") {
			t.Fatalf("%+v", r.Lines[0])
		}
	})
	t.Run("a value budget cuts free goods to whole pieces it can pay for", func(t *testing.T) {
		s := []Scheme{scheme("B", BuyXGetY, func(s *Scheme) { s.BuyQty, s.FreeQty, s.BudgetPaise = 10, 1, 10000 })}
		r := Evaluate(bill(goodDay(100)), s, Usage{"B": {CostPaise: 7500}}) // ₹25 left, ₹10 a piece
		if freeOf(r) != 2 {
			t.Fatalf("free %d", freeOf(r))
		}
	})
}

func TestStackingPicksWhatTheRulesAllowAndSaysWhy(t *testing.T) {
	p5 := scheme("P5", Percent, func(s *Scheme) { s.DiscountBP, s.Exclusive = 500, true })
	p8 := scheme("P8", Percent, func(s *Scheme) { s.DiscountBP, s.Exclusive = 800, true })
	f1 := scheme("F1", Flat, func(s *Scheme) { s.AmountPaise, s.Priority = 100, 2 })
	p3 := scheme("P3", Percent, func(s *Scheme) { s.DiscountBP, s.Priority = 300, 1 })

	t.Run("among exclusive schemes the one giving most wins", func(t *testing.T) {
		r := Evaluate(bill(goodDay(100)), []Scheme{p5, p8}, nil) // ₹1,000
		if r.SchemeDiscountPaise != 8000 || r.Lines[0].Applied[0].Scheme != "P8" {
			t.Fatalf("%+v", r.Lines[0])
		}
		if !strings.Contains(strings.Join(r.Lines[0].Notes, ";"), "P5 (₹50.00) not applied: exclusive schemes do not combine and P8 gives more (₹80.00)") {
			t.Fatalf("notes %q", r.Lines[0].Notes)
		}
	})
	t.Run("stackable schemes apply in priority order, each on the net left", func(t *testing.T) {
		r := Evaluate(bill(goodDay(100)), []Scheme{p3, f1}, nil)
		// F1 first (priority 2): ₹100 off ₹1,000; then 3% of ₹900 = ₹27
		a := r.Lines[0].Applied
		if len(a) != 2 || a[0].Scheme != "F1" || a[1].DiscountPaise != 2700 || r.SchemeDiscountPaise != 12700 {
			t.Fatalf("%+v", a)
		}
		if !strings.Contains(a[1].Explanation, "stacked after F1") {
			t.Fatal(a[1].Explanation)
		}
	})
	t.Run("the stack wins over a smaller exclusive scheme", func(t *testing.T) {
		r := Evaluate(bill(goodDay(100)), []Scheme{p3, f1, p5}, nil)
		if r.SchemeDiscountPaise != 12700 || !strings.Contains(strings.Join(r.Lines[0].Notes, ";"), "P5 (₹50.00) not applied: exclusive, and the stackable F1 + P3 together give more") {
			t.Fatalf("%+v", r.Lines[0])
		}
	})
	t.Run("a bigger exclusive scheme wins over the stack", func(t *testing.T) {
		big := scheme("P20", Percent, func(s *Scheme) { s.DiscountBP, s.Exclusive = 2000, true })
		r := Evaluate(bill(goodDay(100)), []Scheme{p3, f1, big}, nil)
		if r.SchemeDiscountPaise != 20000 || !strings.Contains(strings.Join(r.Lines[0].Notes, ";"), "F1 + P3 (together ₹127.00) not applied: exclusive P20 gives more (₹200.00)") {
			t.Fatalf("%+v", r.Lines[0])
		}
	})
	t.Run("a line discount and a bill discount stack on the net", func(t *testing.T) {
		iv := scheme("IV", InvoiceValue, func(s *Scheme) { s.MinValuePaise, s.DiscountBP = 50000, 1000 })
		r := Evaluate(bill(goodDay(100)), []Scheme{p8, iv}, nil)
		// 8% of ₹1,000 = ₹80; the bill is ₹920 → 10% = ₹92
		if r.SchemeDiscountPaise != 17200 || r.InvoiceDiscountPaise != 9200 {
			t.Fatalf("%+v", r)
		}
	})
}

func TestTheClerksDiscountComesFirstAndSchemesNeverExceedWhatIsLeft(t *testing.T) {
	l := goodDay(10)
	l.DiscountBP = 9500
	s := []Scheme{scheme("F", Flat, func(s *Scheme) { s.AmountPaise = 500 })}
	r := Evaluate(bill(l), s, nil)
	if r.Lines[0].ValuePaise != 500 || r.SchemeDiscountPaise != 500 || r.Lines[0].NetPaise != 0 {
		t.Fatalf("%+v", r.Lines[0])
	}
}

func TestABillDiscountIsSpreadOverLinesToThePaisa(t *testing.T) {
	s := []Scheme{scheme("IV", InvoiceValue, func(s *Scheme) { s.MinValuePaise, s.AmountPaise = 1000, 1000 })}
	r := Evaluate(bill(Line{Item: "A", Qty: 1}, Line{Item: "B", Qty: 1}, Line{Item: "C", Qty: 1}), s, nil)
	var sum money.Paise
	for _, l := range r.Lines {
		sum += l.SchemeDiscountPaise
	}
	if sum != 1000 || r.InvoiceDiscountPaise != 1000 || len(r.Redemptions) != 3 {
		t.Fatalf("%+v", r)
	}
	checkResult(t, r)
}

func TestTheOutputIsDeterministic(t *testing.T) {
	inv, ss := randomCase(42)
	a := Evaluate(inv, ss, nil)
	for range 20 {
		b := Evaluate(inv, ss, nil)
		if !equalJSON(t, a, b) {
			t.Fatal("two evaluations differ")
		}
	}
}

// The bill that held a server's write lock for 13 minutes: a bill-level
// discount on 10,000,000 units at ₹1,00,00,000 wrapped inside the split and
// then gave out the "remainder" a paisa at a time. It now answers at once,
// and the shares add up to the discount.
func TestABillDiscountOnAHugeBillIsSplitAtOnce(t *testing.T) {
	iv := scheme("IV", InvoiceValue, func(s *Scheme) { s.MinValuePaise, s.DiscountBP = 100000, 250 })
	big := goodDay(10_000_000)
	big.RatePaise = 1_00_00_000_00
	small := goodDay(3)
	r := Evaluate(bill(big, small), []Scheme{iv}, nil)
	var sum money.Paise
	for _, l := range r.Lines {
		if l.SchemeDiscountPaise < 0 || l.SchemeDiscountPaise > l.ValuePaise {
			t.Fatalf("line %d share %d of value %d", l.Line, l.SchemeDiscountPaise, l.ValuePaise)
		}
		sum += l.SchemeDiscountPaise
	}
	want := (r.Lines[0].ValuePaise + r.Lines[1].ValuePaise).MulRate(250)
	if r.InvoiceDiscountPaise != want || sum != want {
		t.Fatalf("discount %d, shares add up to %d, want %d", r.InvoiceDiscountPaise, sum, want)
	}
}
