// Package dispatch prepares a beat's van for a day: the loading sheet (what
// to take from which godown and batch) and the delivery sheet (the bills in
// the order the van calls on the outlets); and it keeps the dispatches
// themselves (trips.go): invoices on a vehicle and driver, delivered or
// returned.
//
// Always true: both sheets read the invoices dated that day and billed on
// that beat that count (billing.Invoice.Counts: a cancelled invoice loads
// nothing); the loading sheet's quantities are the batches recorded on the
// invoice lines (FEFO as billed, never picked again), so its billed and
// free totals equal the invoices' lines to the piece.
package dispatch

import (
	"io"
	"sort"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
	"vitaran/backend/reports"
	"vitaran/backend/stock"
)

// Load is one item of one batch in one godown to put on the van.
type Load struct {
	Godown   string      `json:"godown"`
	Item     string      `json:"item"`
	Name     string      `json:"name"`
	Batch    string      `json:"batch"`
	Expiry   cal.Date    `json:"expiry,omitempty"`
	MRPPaise money.Paise `json:"mrp_paise"`
	CaseSize int64       `json:"case_size"`
	Qty      money.Qty   `json:"qty"` // base units: cases × case_size + pieces
	Cases    int64       `json:"cases"`
	Pieces   int64       `json:"pieces"`
	Invoices int         `json:"invoices"` // the bills it goes to
}

// LoadTotals sums a list of loads.
type LoadTotals struct {
	Qty    money.Qty `json:"qty"`
	Cases  int64     `json:"cases"`
	Pieces int64     `json:"pieces"`
}

// LoadingSheet is what a beat's van takes out on a day. Free goods (scheme
// free rows) are listed apart from the billed goods.
type LoadingSheet struct {
	Date       cal.Date   `json:"date"`
	Beat       string     `json:"beat"`
	BeatName   string     `json:"beat_name"`
	Invoices   []string   `json:"invoices"`
	Lines      []Load     `json:"lines"`
	Free       []Load     `json:"free"`
	Totals     LoadTotals `json:"totals"`
	FreeTotals LoadTotals `json:"free_totals"`
}

// Stop is one invoice on the delivery sheet, in route order.
type Stop struct {
	Seq        int         `json:"seq"`
	Invoice    string      `json:"invoice"`
	Outlet     string      `json:"outlet"`
	OutletName string      `json:"outlet_name"`
	Address    string      `json:"address,omitempty"`
	Phone      string      `json:"phone,omitempty"`
	Lines      int         `json:"lines"`
	TotalPaise money.Paise `json:"total_paise"`
	// OutstandingPaise is what the outlet owes in all on the day (its open
	// bills, this one included, less money on account).
	OutstandingPaise money.Paise `json:"outstanding_paise"`
}

// DeliverySheet is a beat's invoices of a day in route order.
type DeliverySheet struct {
	Date       cal.Date    `json:"date"`
	Beat       string      `json:"beat"`
	BeatName   string      `json:"beat_name"`
	Stops      []Stop      `json:"stops"`
	Invoices   int         `json:"invoices"`
	TotalPaise money.Paise `json:"total_paise"`
}

// beatInvoices checks the date and beat and returns the beat's invoices of
// the day that count, by number.
func beatInvoices(tx *book.Tx, date cal.Date, beat string) (masters.Beat, []billing.Invoice, error) {
	if date == "" || !date.Valid() {
		return masters.Beat{}, nil, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", date)
	}
	code := masters.NormalizeCode(beat)
	if code == "" {
		return masters.Beat{}, nil, fail.Invalid("beat", "say which beat (its code)")
	}
	b, err := masters.GetBeat(tx, code)
	if err != nil {
		return b, nil, err
	}
	var out []billing.Invoice
	err = reports.Invoices(tx, date, date, func(inv *billing.Invoice) error {
		if inv.Counts() && masters.NormalizeCode(inv.Beat) == b.Code {
			out = append(out, *inv)
		}
		return nil
	})
	return b, out, err
}

// Loading builds the loading sheet of a beat for a day.
func Loading(tx *book.Tx, date cal.Date, beat string) (*LoadingSheet, error) {
	b, invs, err := beatInvoices(tx, date, beat)
	if err != nil {
		return nil, err
	}
	s := &LoadingSheet{Date: date, Beat: b.Code, BeatName: b.Name, Invoices: []string{}, Lines: []Load{}, Free: []Load{}}
	type key struct {
		free                bool
		godown, item, batch string
	}
	loads := map[key]*Load{}
	seen := map[key]string{} // the last invoice counted on a load
	caseSize := map[string]int64{}
	add := func(inv *billing.Invoice, l *billing.Line, p stock.Pick) {
		k := key{l.Free, p.Godown, l.Item, p.Batch}
		ld := loads[k]
		if ld == nil {
			cs, ok := caseSize[l.Item]
			if !ok {
				cs = 1
				if it, err := masters.GetItem(tx, l.Item); err == nil && it.CaseSize > 0 {
					cs = it.CaseSize
				}
				caseSize[l.Item] = cs
			}
			ld = &Load{Godown: p.Godown, Item: l.Item, Name: l.Name, Batch: p.Batch, Expiry: p.Expiry, MRPPaise: p.MRP, CaseSize: cs}
			loads[k] = ld
		}
		ld.Qty += p.Qty
		if seen[k] != inv.Number {
			seen[k] = inv.Number
			ld.Invoices++
		}
	}
	for i := range invs {
		inv := &invs[i]
		s.Invoices = append(s.Invoices, inv.Number)
		for j := range inv.Lines {
			l := &inv.Lines[j]
			var picked money.Qty
			for _, p := range l.Batches {
				add(inv, l, p)
				picked += p.Qty
			}
			if rest := l.Qty - picked; rest != 0 {
				// A line without recorded batches still loads its quantity.
				add(inv, l, stock.Pick{Qty: rest})
			}
		}
	}
	for k, ld := range loads {
		ld.Cases, ld.Pieces = int64(ld.Qty)/ld.CaseSize, int64(ld.Qty)%ld.CaseSize
		tot := &s.Totals
		if k.free {
			s.Free, tot = append(s.Free, *ld), &s.FreeTotals
		} else {
			s.Lines = append(s.Lines, *ld)
		}
		tot.Qty, tot.Cases, tot.Pieces = tot.Qty+ld.Qty, tot.Cases+ld.Cases, tot.Pieces+ld.Pieces
	}
	for _, ls := range [][]Load{s.Lines, s.Free} {
		sort.Slice(ls, func(i, j int) bool {
			a, b := &ls[i], &ls[j]
			if a.Godown != b.Godown {
				return a.Godown < b.Godown
			}
			if a.Item != b.Item {
				return a.Item < b.Item
			}
			if a.Expiry != b.Expiry {
				return a.Expiry < b.Expiry
			}
			return a.Batch < b.Batch
		})
	}
	return s, nil
}

// Delivery builds the delivery sheet of a beat for a day: its invoices in
// route order (by outlet code; an outlet's bills by number), each with the
// outlet's phone and outstanding.
func Delivery(tx *book.Tx, date cal.Date, beat string) (*DeliverySheet, error) {
	b, invs, err := beatInvoices(tx, date, beat)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(invs, func(i, j int) bool {
		if invs[i].Outlet != invs[j].Outlet {
			return invs[i].Outlet < invs[j].Outlet
		}
		return invs[i].Number < invs[j].Number
	})
	s := &DeliverySheet{Date: date, Beat: b.Code, BeatName: b.Name, Stops: []Stop{}}
	owes := map[string]money.Paise{}
	for i := range invs {
		inv := &invs[i]
		st := Stop{Seq: i + 1, Invoice: inv.Number, Outlet: inv.Outlet, OutletName: inv.OutletName, Address: inv.OutletAddress,
			Lines: len(inv.Lines), TotalPaise: inv.TotalPaise}
		if o, err := masters.GetOutlet(tx, inv.Outlet); err == nil {
			st.Phone = o.Phone
			if st.Address == "" {
				st.Address = strings.TrimSpace(strings.Join([]string{o.Address, o.City}, " "))
			}
		}
		due, ok := owes[inv.Outlet]
		if !ok {
			if o, err := billing.OutstandingOf(tx, inv.Outlet, date); err == nil {
				due = o.OutstandingPaise
			}
			owes[inv.Outlet] = due
		}
		st.OutstandingPaise = due
		s.Stops = append(s.Stops, st)
		s.TotalPaise += inv.TotalPaise
	}
	s.Invoices = len(s.Stops)
	return s, nil
}

// FileName is a sensible name for a sheet's export: kind_beat_date.xlsx.
func FileName(kind, beat string, date cal.Date) string {
	return kind + "_" + masters.NormalizeCode(beat) + "_" + date.Compact() + ".xlsx"
}

// ExportLoading writes the loading sheet as an .xlsx: the billed goods, then
// the free goods (Free: Yes), with a totals row.
func ExportLoading(s *LoadingSheet, out io.Writer) error {
	w := excel.NewExport(out, "Loading sheet", []excel.Column{
		{Title: "Godown", Type: excel.Text},
		{Title: "Item", Type: excel.Text},
		{Title: "Item name", Type: excel.Text, Width: 30},
		{Title: "Batch", Type: excel.Text},
		{Title: "Expiry", Type: excel.Date},
		{Title: "MRP", Type: excel.Money},
		{Title: "Case size", Type: excel.Int},
		{Title: "Free", Type: excel.Bool, Width: 6},
		{Title: "Cases", Type: excel.Int, Total: true},
		{Title: "Pieces", Type: excel.Int, Total: true},
		{Title: "Qty", Type: excel.Qty, Total: true},
		{Title: "Invoices", Type: excel.Int},
	})
	for _, part := range []struct {
		free  bool
		loads []Load
	}{{false, s.Lines}, {true, s.Free}} {
		for _, l := range part.loads {
			var exp any
			if l.Expiry != "" {
				exp = l.Expiry
			}
			if err := w.Row(l.Godown, l.Item, l.Name, l.Batch, exp, l.MRPPaise, l.CaseSize, part.free, l.Cases, l.Pieces, l.Qty, l.Invoices); err != nil {
				return err
			}
		}
	}
	return w.Close()
}

// ExportDelivery writes the delivery sheet as an .xlsx, in route order.
func ExportDelivery(s *DeliverySheet, out io.Writer) error {
	w := excel.NewExport(out, "Delivery sheet", []excel.Column{
		{Title: "Seq", Type: excel.Int, Width: 6},
		{Title: "Invoice", Type: excel.Text, Width: 18},
		{Title: "Outlet", Type: excel.Text},
		{Title: "Outlet name", Type: excel.Text, Width: 28},
		{Title: "Address", Type: excel.Text, Width: 30},
		{Title: "Phone", Type: excel.Text, Width: 14},
		{Title: "Lines", Type: excel.Int},
		{Title: "Amount", Type: excel.Money, Total: true},
		{Title: "Outstanding", Type: excel.Money},
	})
	for _, st := range s.Stops {
		if err := w.Row(st.Seq, st.Invoice, st.Outlet, st.OutletName, st.Address, st.Phone, st.Lines, st.TotalPaise, st.OutstandingPaise); err != nil {
			return err
		}
	}
	return w.Close()
}
