package schemes

import (
	"fmt"
	"math/rand/v2"

	"vitaran/backend/money"
)

// The engine's tests live with it in package rules; these are the helpers
// the book's tests share with them, copied (an in-package test of rules
// cannot import a shared generator that imports rules).

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

var allKinds = []Kind{Percent, Flat, BuyXGetY, QtySlab, ValueSlab, InvoiceValue, Combo}

var (
	propItems  = []string{"GD100", "MARIE", "BOURBON", "PASTE", "BRUSH", "SOAP", "SHAMPOO", "TEA250"}
	propBrands = []string{"Britannia", "Colgate", "HUL"}
	propCats   = []string{"Biscuits", "Biscuits/Cream", "Oral/Paste", "Oral/Brush", "Bath/Soap", "Beverages/Tea"}
)

// randomScheme makes a valid scheme of a random kind with random scope,
// limits and caps.
func randomScheme(rng *rand.Rand, n int) Scheme {
	k := allKinds[rng.IntN(len(allKinds))]
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
		s.Combo = []ComboPart{{Item: propItems[a], Qty: money.Qty(1 + rng.IntN(3))}, {Item: propItems[b], Qty: money.Qty(1 + rng.IntN(3))}}
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
