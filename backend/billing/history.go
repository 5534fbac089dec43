package billing

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// HistoryOptions shape a generated year of trading.
type HistoryOptions struct {
	Seed uint64
	// To is the last day (default today); pass it for a reproducible book.
	To cal.Date
	// Days of history ending at To (default 365).
	Days int
	// InvoicesPerDay (default 300) of about LinesPerInvoice lines (default 8).
	InvoicesPerDay  int
	LinesPerInvoice int
	// Progress, when set, is told after each day.
	Progress func(day, days int)
}

// HistoryStats counts what was generated.
type HistoryStats struct {
	Days, Purchases, Invoices, Lines, Cancelled, Returns, Receipts, StockDocs, PurchaseReturns int
}

// GenerateHistory writes a deterministic history over the masters already
// in the book (company, items, outlets): weekly primary purchases per brand
// with batches and expiries, invoices every day, a few cancellations,
// returns (some damaged), receipts a week after billing, breakage
// adjustments, monthly counts, expired stock moved to the damaged godown
// and sent back to the brand. Each day is one transaction through the same
// posting functions the clerks use; open the book with NoSync to load fast.
func GenerateHistory(b *book.Book, o HistoryOptions) (HistoryStats, error) {
	if o.To == "" {
		o.To = cal.Today()
	}
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.InvoicesPerDay <= 0 {
		o.InvoicesPerDay = 300
	}
	if o.LinesPerInvoice <= 0 {
		o.LinesPerInvoice = 8
	}
	var items []masters.Item
	var outlets []masters.Outlet
	err := b.View(func(tx *book.Tx) error {
		var err error
		if !masters.CompanyReady(tx) {
			return fail.Conflict("company", "create the company profile before generating history")
		}
		if items, err = masters.ListItems(tx, masters.ItemFilter{ActiveOnly: true}, o.To); err != nil {
			return err
		}
		outlets, err = masters.ListOutlets(tx, masters.OutletFilter{ActiveOnly: true})
		return err
	})
	if err != nil {
		return HistoryStats{}, err
	}
	if len(items) == 0 || len(outlets) == 0 {
		return HistoryStats{}, fail.Conflict("masters", "history needs active items and outlets")
	}
	g := &generator{o: o, items: items, outlets: outlets, rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), byDay: map[cal.Date][]string{}}
	g.brands = map[string][]int{}
	for i := range items {
		g.brands[items[i].Brand] = append(g.brands[items[i].Brand], i)
	}
	for br := range g.brands {
		g.brandNames = append(g.brandNames, br)
	}
	sort.Strings(g.brandNames)
	// an item sells about its share of the lines; stock enough for two weeks
	g.perDay = max(1, o.InvoicesPerDay*o.LinesPerInvoice*8/len(items))
	start := o.To.AddDays(-(o.Days - 1))
	actor := book.Actor{User: "demo", Role: "admin", From: "cli"}
	for i := 0; i < o.Days; i++ {
		d := start.AddDays(i)
		err := b.UpdateAs(actor, func(tx *book.Tx) error { return g.day(tx, d, i) })
		if err != nil {
			return g.stats, fmt.Errorf("history %s: %w", d.Display(), err)
		}
		g.stats.Days++
		if o.Progress != nil {
			o.Progress(i+1, o.Days)
		}
	}
	return g.stats, nil
}

type generator struct {
	o          HistoryOptions
	items      []masters.Item
	outlets    []masters.Outlet
	brands     map[string][]int
	brandNames []string
	rng        *rand.Rand
	perDay     int
	byDay      map[cal.Date][]string // invoices posted each day
	stats      HistoryStats
	grn        int
}

func shelfLife(code string) int {
	h := fnv.New32a()
	h.Write([]byte(code))
	return []int{90, 180, 270, 365, 540, 720}[h.Sum32()%6]
}

// pick returns an item index skewed towards the popular ones, so slow
// movers pile up (overstock) and fast ones run short now and then.
func (g *generator) pick() int {
	u := g.rng.Float64()
	return int(float64(len(g.items)) * u * u)
}

func (g *generator) day(tx *book.Tx, d cal.Date, n int) error {
	if n%7 == 0 {
		if err := g.purchases(tx, d); err != nil {
			return err
		}
	}
	if err := g.invoices(tx, d); err != nil {
		return err
	}
	if err := g.receipts(tx, d); err != nil {
		return err
	}
	if err := g.returns(tx, d); err != nil {
		return err
	}
	if n%7 == 3 {
		if err := g.breakage(tx, d); err != nil {
			return err
		}
	}
	if n%30 == 15 {
		if err := g.monthEnd(tx, d); err != nil {
			return err
		}
	}
	return nil
}

// purchases: one GRN per brand, topping each item up to two weeks of sales.
func (g *generator) purchases(tx *book.Tx, d cal.Date) error {
	target := money.Qty(g.perDay * 14)
	for _, br := range g.brandNames {
		idx := g.brands[br]
		for startAt := 0; startAt < len(idx); startAt += maxLines {
			var lines []PurchaseLineInput
			for _, i := range idx[startAt:min(len(idx), startAt+maxLines)] {
				it := &g.items[i]
				have := stock.ItemTotal(tx, it.Code).Qty
				if have >= target {
					continue
				}
				cs := money.Qty(max(it.CaseSize, 1))
				q := (target*2 - have + cs - 1) / cs * cs
				lines = append(lines, PurchaseLineInput{Item: it.Code, Batch: fmt.Sprintf("%s%s", string(d)[2:4]+string(d)[5:7]+string(d)[8:10], "A"),
					Expiry: d.AddDays(shelfLife(it.Code)), MRPPaise: it.MRPPaise, Qty: q, RatePaise: it.PricePaise * 85 / 100})
			}
			if len(lines) == 0 {
				continue
			}
			g.grn++
			if _, err := PostPurchase(tx, PurchaseInput{SupplierInvoiceNo: fmt.Sprintf("%s/%06d", brandCode(br), g.grn), Date: d, Lines: lines}); err != nil {
				return err
			}
			g.stats.Purchases++
		}
	}
	return nil
}

func brandCode(br string) string {
	out := []byte{}
	for i := 0; i < len(br) && len(out) < 4; i++ {
		c := br[i]
		if c >= 'a' && c <= 'z' {
			c -= 32
		}
		if c >= 'A' && c <= 'Z' {
			out = append(out, c)
		}
	}
	return string(out)
}

func (g *generator) invoices(tx *book.Tx, d cal.Date) error {
	n := g.o.InvoicesPerDay*9/10 + g.rng.IntN(g.o.InvoicesPerDay/5+1)
	series := seriesIn(tx)
	for range n {
		o := &g.outlets[g.rng.IntN(len(g.outlets))]
		nl := max(1, g.o.LinesPerInvoice/2+g.rng.IntN(g.o.LinesPerInvoice+1))
		alloc := stock.NewAllocator(tx)
		seen := map[int]bool{}
		in := InvoiceInput{Outlet: o.Code, Date: d}
		for range nl {
			i := g.pick()
			if seen[i] {
				continue
			}
			seen[i] = true
			it := &g.items[i]
			q := money.Qty(1 + g.rng.IntN(12))
			if it.CaseSize > 1 && g.rng.IntN(3) == 0 {
				q = money.Qty(it.CaseSize)
			}
			_, short, err := alloc.Pick(it.Code, stock.MainGodown, q, d, "", false)
			if err != nil {
				return err
			}
			if q -= short; q <= 0 {
				continue
			}
			l := LineInput{Item: it.Code, Qty: q}
			if g.rng.IntN(5) == 0 {
				l.DiscountBP = money.BP(100 * (1 + g.rng.IntN(5)))
			}
			in.Lines = append(in.Lines, l)
		}
		if len(in.Lines) == 0 {
			continue
		}
		before := series.last(seriesKeyFor(tx, d))
		inv, err := PostInvoice(tx, in)
		if err != nil {
			// refused before anything was written (free goods short, credit): skip it
			if after := series.last(seriesKeyFor(tx, d)); after == before && (fail.Is(err, fail.KindConflict) || fail.Is(err, fail.KindInvalid)) {
				continue
			}
			return err
		}
		g.stats.Invoices++
		g.stats.Lines += len(inv.Lines)
		if g.rng.IntN(300) == 0 {
			if _, err := CancelInvoice(tx, inv.Number, "billed to the wrong outlet", d); err != nil {
				return err
			}
			g.stats.Cancelled++
			continue
		}
		g.byDay[d] = append(g.byDay[d], inv.Number)
	}
	return nil
}

func seriesKeyFor(tx *book.Tx, d cal.Date) string {
	co, _ := cache.getCompany(tx)
	return seriesOf(co.InvoicePrefix, d, co.FYStartMonth)
}

// receipts: most bills of a week ago are paid in full, a few in part.
func (g *generator) receipts(tx *book.Tx, d cal.Date) error {
	for _, num := range g.byDay[d.AddDays(-7)] {
		if g.rng.IntN(10) == 0 {
			continue
		}
		// the day index names the outlet: no invoice to decode
		day := d.AddDays(-7)
		outlet := outletOfInvoice(tx, day, num)
		if outlet == "" {
			return fmt.Errorf("invoice %s is not in the day index", num)
		}
		inv := Invoice{Number: num, Date: day, Outlet: outlet}
		due := getDue(tx, inv.Outlet, inv.Date, inv.Number)
		if due <= 0 {
			continue
		}
		if g.rng.IntN(8) == 0 {
			due = due / 200 * 100
			if due <= 0 {
				continue
			}
		}
		mode := []string{"cash", "cash", "upi", "cheque", "bank"}[g.rng.IntN(5)]
		ref := ""
		if mode != "cash" {
			ref = fmt.Sprintf("%s-%06d", mode, g.rng.IntN(1000000))
		}
		if _, err := PostReceipt(tx, ReceiptInput{Outlet: inv.Outlet, Date: d, Mode: mode, AmountPaise: due, Reference: ref,
			Allocations: []Allocation{{Invoice: inv.Number, AmountPaise: due}}}); err != nil {
			return err
		}
		g.stats.Receipts++
	}
	delete(g.byDay, d.AddDays(-30))
	return nil
}

// returns: about one bill in a hundred comes back in part within ten days.
func (g *generator) returns(tx *book.Tx, d cal.Date) error {
	from := g.byDay[d.AddDays(-3)]
	for k := 0; k < len(from)/100+1 && len(from) > 0; k++ {
		inv, err := GetInvoice(tx, from[g.rng.IntN(len(from))])
		if err != nil {
			return err
		}
		if inv.Status != StatusPosted {
			continue
		}
		ln := inv.Lines[g.rng.IntN(len(inv.Lines))]
		left := ln.Qty - getReturned(tx, inv.Number, ln.No).Qty
		if left <= 0 || ln.Free {
			continue
		}
		cond := []string{"saleable", "saleable", "damaged", "expired"}[g.rng.IntN(4)]
		if _, err := PostSalesReturn(tx, SalesReturnInput{Invoice: inv.Number, Date: d, Reason: "shop returned " + cond + " stock",
			Lines: []SalesReturnLineInput{{Line: ln.No, Qty: money.Qty(1 + g.rng.IntN(int(left))), Condition: cond}}}); err != nil {
			return err
		}
		g.stats.Returns++
	}
	return nil
}

// breakage: a few pieces written off in the godown each week.
func (g *generator) breakage(tx *book.Tx, d cal.Date) error {
	var lines []StockLineInput
	for range 3 {
		it := &g.items[g.pick()]
		s, err := stock.Summary(tx, it.Code)
		if err != nil || len(s) == 0 {
			continue
		}
		for _, bs := range s[0].Batches {
			if bs.Godown == stock.MainGodown && bs.Qty > 2 {
				lines = append(lines, StockLineInput{Item: it.Code, Batch: bs.Batch, Qty: -2})
				break
			}
		}
	}
	if len(lines) == 0 {
		return nil
	}
	if _, err := PostAdjustment(tx, StockDocInput{Date: d, Reason: "breakage in the godown", Lines: lines}); err != nil {
		return err
	}
	g.stats.StockDocs++
	return nil
}

// monthEnd: count twenty items, move expired stock to the damaged godown
// and send the damaged stock back to the brand.
func (g *generator) monthEnd(tx *book.Tx, d cal.Date) error {
	var count []StockLineInput
	seen := map[string]bool{}
	for range 20 {
		it := &g.items[g.rng.IntN(len(g.items))]
		s, err := stock.Summary(tx, it.Code)
		if err != nil || len(s) == 0 {
			continue
		}
		for _, bs := range s[0].Batches {
			if bs.Godown == stock.MainGodown && bs.Qty > 0 && !seen[it.Code+bs.Batch] {
				seen[it.Code+bs.Batch] = true
				c := bs.Qty
				if g.rng.IntN(4) == 0 {
					c = max(0, c-money.Qty(1+g.rng.IntN(3)))
				}
				count = append(count, StockLineInput{Item: it.Code, Batch: bs.Batch, Counted: &c})
				break
			}
		}
	}
	if len(count) > 0 {
		if _, err := PostCount(tx, StockDocInput{Date: d, Reason: "monthly cycle count", Lines: count}); err != nil {
			return err
		}
		g.stats.StockDocs++
	}
	all, err := stock.Summary(tx, "")
	if err != nil {
		return err
	}
	var expired []StockLineInput
	var back []PurchaseReturnLineInput
	for _, s := range all {
		for _, bs := range s.Batches {
			switch {
			case bs.Godown == stock.MainGodown && bs.Expiry < d && bs.Qty > 0 && len(expired) < maxLines:
				expired = append(expired, StockLineInput{Item: s.Item, Batch: bs.Batch, Qty: bs.Qty})
			case bs.Godown == stock.DamagedGodown && bs.Qty > 0 && len(back) < maxLines:
				back = append(back, PurchaseReturnLineInput{Item: s.Item, Batch: bs.Batch, Qty: bs.Qty, Godown: stock.DamagedGodown})
			}
		}
	}
	if len(expired) > 0 {
		if _, err := PostTransfer(tx, StockDocInput{Date: d, Reason: "expired: out of saleable stock", From: stock.MainGodown, To: stock.DamagedGodown, Lines: expired}); err != nil {
			return err
		}
		g.stats.StockDocs++
	}
	if len(back) > 0 {
		if _, err := PostPurchaseReturn(tx, PurchaseReturnInput{Date: d, Reason: "damaged and expired stock back to the brand", Lines: back}); err != nil {
			return err
		}
		g.stats.PurchaseReturns++
	}
	return nil
}
