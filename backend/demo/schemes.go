package demo

import (
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/schemes"
)

// Schemes writes a brand circular's worth of trade schemes running over the
// demo's history, so billing applies them, redemptions pile up and claims,
// the dashboard's scheme spend and the head-office leakage check have
// something real to show.
func Schemes(b *book.Book, from, to cal.Date) error {
	return b.UpdateAs(book.Actor{User: "demo", Role: "admin", From: "demo"}, func(tx *book.Tx) error {
		first := func(brand string) (string, error) {
			items, err := masters.ListItems(tx, masters.ItemFilter{Brand: brand}, to)
			if err != nil || len(items) == 0 {
				return "", fmt.Errorf("demo schemes: no %s item: %v", brand, err)
			}
			return items[0].Code, nil
		}
		gd, err := first("Britannia")
		if err != nil {
			return err
		}
		ss := []schemes.Scheme{
			{Code: "HUL-5PCT", Name: "HUL 5% trade discount", Kind: schemes.Percent, Brands: []string{"HUL"}, DiscountBP: 500},
			{Code: "BISC-SLAB", Name: "Biscuits: 2% from 24 pieces, 4% from 48", Kind: schemes.QtySlab, Categories: []string{"Biscuits"},
				Slabs: []schemes.Slab{{MinQty: 24, DiscountBP: 200}, {MinQty: 48, DiscountBP: 400}}},
			{Code: "CLG-CHEM-2", Name: "Colgate ₹2 off a piece for chemists", Kind: schemes.Flat, Brands: []string{"Colgate"},
				Channels: []string{"chemist"}, AmountPaise: 200},
			{Code: "BRT-12P1", Name: "Buy 12 get 1 free", Kind: schemes.BuyXGetY, Items: []string{gd}, BuyQty: 12, FreeQty: 1,
				Exclusive: true, Priority: 10, BudgetFreeQty: money.Qty(50000)},
			{Code: "BILL-15K", Name: "1% off bills above ₹15,000", Kind: schemes.InvoiceValue, MinValuePaise: money.Rupees(15000), DiscountBP: 100},
		}
		for _, s := range ss {
			s.ValidFrom, s.ValidTo = from, to
			if err := schemes.Save(tx, s); err != nil {
				return fmt.Errorf("demo scheme %s: %w", s.Code, err)
			}
		}
		return nil
	})
}
