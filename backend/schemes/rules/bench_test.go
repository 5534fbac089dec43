package rules

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"vitaran/backend/money"
)

// circularCase is a busy grocery bill against a month's circulars: 30
// lines over 200 SKUs of 3 brands; 50 schemes running as brands write them
// — 20 on one or two SKUs, 15 on a brand, 10 on a category, 5 on the bill —
// of every kind, half with budgets.
func circularCase() (Invoice, []Scheme, Usage) {
	rng := rand.New(rand.NewPCG(5, 50))
	items := make([]string, 200)
	for i := range items {
		items[i] = fmt.Sprintf("SKU%03d", i)
	}
	var lines []Line
	for i := range 30 {
		it := rng.IntN(len(items))
		lines = append(lines, Line{No: i + 1, Item: items[it], Brand: propBrands[it%3], Category: propCats[it%len(propCats)] + fmt.Sprintf("/Pack%d", it%4),
			Qty: money.Qty(1 + rng.IntN(120)), CaseSize: 12, RatePaise: money.Paise(500 + rng.IntN(20000))})
	}
	inv := bill(lines...)
	var ss []Scheme
	for i := 0; len(ss) < 50; i++ {
		s := randomScheme(rng, i)
		s.Items, s.Brands, s.Categories = nil, nil, nil
		n := len(ss)
		switch {
		case n < 45 && s.Kind.billLevel():
			continue
		case n >= 45 && !s.Kind.billLevel():
			continue
		case n < 20:
			s.Items = []string{items[rng.IntN(len(items))], lines[rng.IntN(30)].Item}
		case n < 35:
			s.Brands = []string{propBrands[rng.IntN(3)]}
			s.Items = []string{items[rng.IntN(len(items))], lines[rng.IntN(30)].Item, items[rng.IntN(len(items))]}
		case n < 45:
			s.Categories = []string{propCats[rng.IntN(len(propCats))]}
		case s.Kind == Combo:
			s.Combo[0].Item, s.Combo[1].Item = lines[n%30].Item, lines[(n+7)%30].Item
			if s.Combo[0].Item == s.Combo[1].Item {
				s.Combo[1].Item = "OTHER"
			}
		}
		if rng.IntN(3) == 0 {
			s.Channels = []string{"Grocery", "Chemist"}
		}
		ss = append(ss, s)
	}
	return inv, ss, randomUsage(rng, ss)
}

// benchCase is the worst case: 50 schemes of every kind, most covering
// every line, so each line weighs and stacks many.
func benchCase() (Invoice, []Scheme, Usage) {
	rng := rand.New(rand.NewPCG(3, 30))
	items := make([]string, 200)
	for i := range items {
		items[i] = fmt.Sprintf("SKU%03d", i)
	}
	var lines []Line
	for i := range 30 {
		it := rng.IntN(len(items))
		lines = append(lines, Line{No: i + 1, Item: items[it], Brand: propBrands[it%3], Category: propCats[it%len(propCats)],
			Qty: money.Qty(1 + rng.IntN(120)), CaseSize: 12, RatePaise: money.Paise(500 + rng.IntN(20000))})
	}
	inv := bill(lines...)
	var ss []Scheme
	for i := range 50 {
		s := randomScheme(rng, i)
		if s.Kind == Combo {
			s.Combo[0].Item, s.Combo[1].Item = lines[i%30].Item, lines[(i+7)%30].Item
			if s.Combo[0].Item == s.Combo[1].Item {
				s.Combo[1].Item = "OTHER"
			}
		} else if len(s.Items) > 0 {
			s.Items = []string{lines[i%30].Item, items[rng.IntN(len(items))]}
		}
		ss = append(ss, s)
	}
	return inv, ss, randomUsage(rng, ss)
}

func BenchmarkEvaluate50Schemes30Lines(b *testing.B) {
	inv, ss, u := circularCase()
	r := Evaluate(inv, ss, u)
	b.ReportMetric(float64(len(r.Redemptions)), "redemptions")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		Evaluate(inv, ss, u)
	}
}

func BenchmarkEvaluatePrepared50Schemes30Lines(b *testing.B) {
	inv, ss, u := circularCase()
	set := Prepare(ss)
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		set.Evaluate(inv, u)
	}
}

func BenchmarkEvaluateWorstCase50BroadSchemes30Lines(b *testing.B) {
	inv, ss, u := benchCase()
	r := Evaluate(inv, ss, u)
	b.ReportMetric(float64(len(r.Redemptions)), "redemptions")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		Evaluate(inv, ss, u)
	}
}

// The index only narrows the search: over random bills and circulars (and
// the two benchmark cases) every result is byte for byte what weighing every
// scheme on every line gives.
func TestTheSchemeIndexFindsWhatWeighingEverySchemeFinds(t *testing.T) {
	check := func(name string, inv Invoice, ss []Scheme, u Usage) {
		t.Helper()
		fast := Prepare(ss)
		slow := Prepare(ss)
		slow.index = lineIndex{}
		for i := range slow.line {
			slow.index.open = append(slow.index.open, int32(i))
		}
		a, _ := json.Marshal(fast.Evaluate(inv, u))
		b, _ := json.Marshal(slow.Evaluate(inv, u))
		if string(a) != string(b) {
			t.Fatalf("%s: indexed\n%s\nweighing all\n%s", name, a, b)
		}
	}
	inv, ss, u := circularCase()
	check("circular", inv, ss, u)
	inv, ss, u = benchCase()
	check("worst case", inv, ss, u)
	for n := range 300 {
		inv, ss := randomCase(uint64(n))
		check(fmt.Sprint("random ", n), inv, ss, nil)
	}
}
