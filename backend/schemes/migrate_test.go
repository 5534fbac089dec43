package schemes

import (
	"path/filepath"
	"testing"

	"vitaran/backend/book"
)

func TestRedemptionsOfABookBeforeSchema2MoveToTheCompactLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), book.FileName)
	b, err := book.Open(path, book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	save(t, b, scheme("P", Percent, func(s *Scheme) { s.DiscountBP = 500 }))
	old := []Redemption{
		{Seq: 1, Scheme: "P", Invoice: "SI/1", Date: "2026-05-02", Outlet: "OUT1", Line: 1, Item: "A", LineQty: 10, DiscountPaise: 500},
		{Seq: 2, Scheme: "P", Invoice: "SI/2", Date: "2026-05-03", Outlet: "OUT2", Line: 1, Item: "A", LineQty: 4, DiscountPaise: 200},
		{Seq: 3, Scheme: "P", Invoice: "SI/1", Date: "2026-05-09", Outlet: "OUT1", Line: 1, Item: "A", LineQty: 10, DiscountPaise: -250, Return: "CN/1"},
	}
	err = b.Update(func(tx *book.Tx) error {
		main, byInv := tx.Bucket(oldRedeemed), tx.Bucket(oldByInv)
		for _, r := range old {
			key := r.Scheme + "\x00" + string(r.Date) + "\x00" + book.SeqKey(r.Seq)
			if err := main.PutJSON(key, r); err != nil {
				return err
			}
			if err := byInv.Put(r.Invoice+"\x00"+book.SeqKey(r.Seq), []byte(key)); err != nil {
				return err
			}
		}
		if err := main.SetSeq(3); err != nil {
			return err
		}
		return tx.Bucket("meta").Put("schema", []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if b, err = book.Open(path, book.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *book.Tx) error {
		rs, err := Redemptions(tx, "SI/1")
		if err != nil || len(rs) != 2 || rs[0] != old[0] || rs[1] != old[2] {
			t.Fatalf("SI/1 redemptions %+v, %v", rs, err)
		}
		c, err := Claim(tx, "P", "2026-05-01", "2026-05-31")
		if err != nil || c.Total.DiscountPaise != 450 || c.Total.Redemptions != 3 || len(c.Invoices) != 2 {
			t.Fatalf("claim %+v, %v", c.Total, err)
		}
		if tx.Bucket(oldRedeemed).Len() != 0 || tx.Bucket(oldByInv).Len() != 0 {
			t.Fatal("the old buckets are still there")
		}
		return nil
	})
	err = b.Update(func(tx *book.Tx) error {
		return Redeem(tx, "SI/3", "2026-05-10", "OUT1", []Redemption{{Scheme: "P", Line: 1, Item: "A", LineQty: 2, DiscountPaise: 100}})
	})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *book.Tx) error {
		if rs, _ := Redemptions(tx, "SI/3"); len(rs) != 1 || rs[0].Seq != 4 {
			t.Fatalf("a new redemption after the migration: %+v", rs)
		}
		return nil
	})
}
