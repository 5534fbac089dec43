package rules

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"vitaran/backend/money"
)

var (
	propItems  = []string{"GD100", "MARIE", "BOURBON", "PASTE", "BRUSH", "SOAP", "SHAMPOO", "TEA250"}
	propBrands = []string{"Britannia", "Colgate", "HUL"}
	propCats   = []string{"Biscuits", "Biscuits/Cream", "Oral/Paste", "Oral/Brush", "Bath/Soap", "Beverages/Tea"}
)

// randomScheme makes a valid scheme of a random kind with random scope,
// limits and caps.
func randomScheme(rng *rand.Rand, n int) Scheme {
	k := kinds[rng.IntN(len(kinds))]
	s := scheme(fmt.Sprintf("S%02d", n), k, nil)
	s.Exclusive = rng.IntN(3) == 0
	s.Priority = rng.IntN(4)
	pick := func(list []string) []string {
		if rng.IntN(3) > 0 {
			return nil
		}
		return []string{list[rng.IntN(len(list))]}
	}
	if k != Combo {
		s.Items, s.Brands, s.Categories = pick(propItems), pick(propBrands), pick(propCats)
	}
	if rng.IntN(4) == 0 {
		s.MinQty = money.Qty(rng.IntN(20))
	}
	if rng.IntN(4) == 0 {
		s.MaxQty = s.MinQty + money.Qty(1+rng.IntN(60))
	}
	if rng.IntN(4) == 0 {
		s.MaxValuePaise = money.Paise(1 + rng.IntN(100000))
	}
	if rng.IntN(3) == 0 {
		s.BudgetPaise = money.Paise(1 + rng.IntN(50000))
	}
	if rng.IntN(3) == 0 {
		s.BudgetFreeQty = money.Qty(1 + rng.IntN(20))
	}
	if rng.IntN(4) == 0 {
		s.PerOutletCapPaise = money.Paise(1 + rng.IntN(20000))
	}
	if rng.IntN(4) == 0 {
		s.PerOutletCapQty = money.Qty(1 + rng.IntN(10))
	}
	benefit := func() {
		switch rng.IntN(3) {
		case 0:
			s.DiscountBP = money.BP(1 + rng.IntN(10000))
		case 1:
			s.AmountPaise = money.Paise(1 + rng.IntN(5000))
		default:
			s.FreeQty, s.FreeItem = money.Qty(1+rng.IntN(3)), propItems[rng.IntN(len(propItems))]
		}
	}
	slabs := func(byQty bool) {
		var at int64
		for range 1 + rng.IntN(3) {
			at += int64(1 + rng.IntN(40))
			sl := Slab{}
			if byQty {
				sl.MinQty = money.Qty(at)
			} else {
				sl.MinValuePaise = money.Paise(at * 1000)
			}
			switch rng.IntN(3) {
			case 0:
				sl.DiscountBP = money.BP(1 + rng.IntN(3000))
			case 1:
				sl.AmountPaise = money.Paise(1 + rng.IntN(3000))
			default:
				sl.FreeQty = money.Qty(1 + rng.IntN(4))
			}
			s.Slabs = append(s.Slabs, sl)
		}
	}
	switch k {
	case Percent:
		s.DiscountBP = money.BP(1 + rng.IntN(10000))
	case Flat:
		s.AmountPaise = money.Paise(1 + rng.IntN(3000))
	case BuyXGetY:
		s.BuyQty, s.FreeQty = money.Qty(1+rng.IntN(12)), money.Qty(1+rng.IntN(3))
		if rng.IntN(2) == 0 {
			s.FreeItem = propItems[rng.IntN(len(propItems))]
		}
	case QtySlab:
		slabs(true)
	case ValueSlab:
		slabs(false)
	case InvoiceValue:
		if rng.IntN(2) == 0 {
			slabs(false)
			s.FreeItem = propItems[0]
		} else {
			s.MinValuePaise = money.Paise(1 + rng.IntN(100000))
			benefit()
			if s.FreeQty > 0 {
				s.MaxValuePaise = 0
			}
		}
	case Combo:
		a, b := rng.IntN(len(propItems)), rng.IntN(len(propItems)-1)
		if b >= a {
			b++
		}
		s.Combo = []ComboPart{{propItems[a], money.Qty(1 + rng.IntN(3))}, {propItems[b], money.Qty(1 + rng.IntN(3))}}
		benefit()
	}
	if s.MaxValuePaise > 0 && s.MaxValuePaise < s.MinValuePaise {
		s.MaxValuePaise = s.MinValuePaise
	}
	return s
}

func randomCase(seed uint64) (Invoice, []Scheme) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var lines []Line
	for i := range 1 + rng.IntN(12) {
		it := rng.IntN(len(propItems))
		l := Line{No: i + 1, Item: propItems[it], Brand: propBrands[it%len(propBrands)], Category: propCats[it%len(propCats)],
			Qty: money.Qty(rng.IntN(80)), CaseSize: 12, RatePaise: money.Paise(1 + rng.IntN(20000))}
		if rng.IntN(4) == 0 {
			l.DiscountBP = money.BP(rng.IntN(10001))
		}
		lines = append(lines, l)
	}
	inv := bill(lines...)
	inv.Rates = map[string]money.Paise{}
	for _, it := range propItems[:4] {
		inv.Rates[it] = money.Paise(rng.IntN(3000))
	}
	var ss []Scheme
	for i := range rng.IntN(15) {
		ss = append(ss, randomScheme(rng, i))
	}
	return inv, ss
}

func randomUsage(rng *rand.Rand, ss []Scheme) Usage {
	u := Usage{}
	for _, s := range ss {
		if rng.IntN(2) == 0 {
			u[s.Code] = Used{CostPaise: money.Paise(rng.IntN(40000)), FreeQty: money.Qty(rng.IntN(15)),
				OutletCostPaise: money.Paise(rng.IntN(10000)), OutletFreeQty: money.Qty(rng.IntN(5))}
		}
	}
	return u
}

// maxFree is the most free quantity a scheme's rules allow on one line (or
// the bill), before caps.
func maxFree(s *Scheme, qty money.Qty) money.Qty {
	switch s.Kind {
	case BuyXGetY:
		if s.MaxQty > 0 {
			qty = min(qty, s.MaxQty)
		}
		return qty / s.BuyQty * s.FreeQty
	case Combo:
		return 1 << 40 // checked by the bill-level bound below
	}
	m := s.FreeQty
	for _, sl := range s.Slabs {
		m = max(m, sl.FreeQty)
	}
	return m
}

func TestPropertyDiscountsAndFreeGoodsStayWithinTheRules(t *testing.T) {
	for seed := range uint64(3000) {
		inv, ss := randomCase(seed)
		usage := randomUsage(rand.New(rand.NewPCG(seed, 9)), ss)
		r := Evaluate(inv, ss, usage)
		byCode := map[string]*Scheme{}
		for i := range ss {
			if err := ss[i].Validate(); err != nil {
				t.Fatalf("seed %d: generator made an invalid scheme: %v", seed, err)
			}
			byCode[ss[i].Code] = &ss[i]
		}
		checkResult(t, r)
		cost := map[string]money.Paise{}
		free := map[string]money.Qty{}
		for _, rd := range r.Redemptions {
			cost[rd.Scheme] += rd.CostPaise()
			free[rd.Scheme] += rd.FreeQty
			if rd.DiscountPaise < 0 || rd.FreeQty < 0 {
				t.Fatalf("seed %d: negative redemption %+v", seed, rd)
			}
		}
		for _, l := range r.Lines {
			for _, a := range l.Applied {
				s := byCode[a.Scheme]
				if a.FreeQty > maxFree(s, inv.Lines[l.Line-1].Qty) && !s.Kind.billLevel() {
					t.Fatalf("seed %d line %d: %s gives %d free, rules allow %d", seed, l.Line, s.Code, a.FreeQty, maxFree(s, inv.Lines[l.Line-1].Qty))
				}
			}
		}
		for code, s := range byCode {
			u := usage[code]
			if s.BudgetPaise > 0 && cost[code] > max(s.BudgetPaise-u.CostPaise, 0) {
				t.Fatalf("seed %d: %s costs %d with %d of budget left", seed, code, cost[code], s.BudgetPaise-u.CostPaise)
			}
			if s.PerOutletCapPaise > 0 && cost[code] > max(s.PerOutletCapPaise-u.OutletCostPaise, 0) {
				t.Fatalf("seed %d: %s outlet cap broken", seed, code)
			}
			if s.BudgetFreeQty > 0 && free[code] > max(s.BudgetFreeQty-u.FreeQty, 0) {
				t.Fatalf("seed %d: %s gives %d free with %d left", seed, code, free[code], s.BudgetFreeQty-u.FreeQty)
			}
			if s.PerOutletCapQty > 0 && free[code] > max(s.PerOutletCapQty-u.OutletFreeQty, 0) {
				t.Fatalf("seed %d: %s outlet free cap broken", seed, code)
			}
		}
	}
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
