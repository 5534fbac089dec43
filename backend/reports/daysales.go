package reports

import (
	"sort"
	"sync"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
	"vitaran/backend/stock"
)

// DaySales is one day's secondary sales: posted invoices less the credit
// notes dated that day.
type DaySales struct {
	Invoices    int
	CreditNotes int
	Taxable     money.Paise
	Total       money.Paise
}

// catchUp is how many ledger movements a summary follows before it gives
// up and starts afresh (a book restored, a year imported).
const catchUp = 200_000

// SalesDays is a per-book summary of sales by day, so the morning screen
// costs a few day lookups instead of decoding every invoice of two months.
//
// Always true: every day it holds equals the invoices and credit notes of
// that day as of ledger sequence seq. Every posting, cancellation and credit
// note moves stock, so the movements after seq name exactly the days that
// may have changed; those are dropped and read again from the documents
// when next asked.
type SalesDays struct {
	mu      sync.Mutex
	loaded  bool
	seq     uint64
	days    map[cal.Date]DaySales
	dropped map[cal.Date]bool
	unsaved bool
}

// NewSalesDays is an empty summary; Load or the first question fills it.
func NewSalesDays() *SalesDays {
	return &SalesDays{days: map[cal.Date]DaySales{}, dropped: map[cal.Date]bool{}}
}

// Period sums the days from..to.
func (s *SalesDays) Period(tx *book.Tx, from, to cal.Date) (Period, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.sync(tx); err != nil {
		return Period{}, err
	}
	if err := s.fill(tx, from, to); err != nil {
		return Period{}, err
	}
	p := Period{From: from, To: to}
	for d := from; d <= to; d = d.AddDays(1) {
		ds := s.days[d]
		p.Invoices += ds.Invoices
		p.CreditNotes += ds.CreditNotes
		p.Taxable += ds.Taxable
		p.Total += ds.Total
	}
	return p, nil
}

// Unsaved says whether Save has days to write.
func (s *SalesDays) Unsaved() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unsaved
}

// Save writes the summary into its bucket in a write transaction, so the
// next opening of the book answers from it.
func (s *SalesDays) Save(tx *book.Tx) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.sync(tx); err != nil {
		return err
	}
	if err := saveDays(tx, s.dropped, s.days, s.seq); err != nil {
		return err
	}
	clear(s.dropped)
	s.unsaved = false
	return nil
}

// load reads the saved summary once.
func (s *SalesDays) load(tx *book.Tx) error {
	s.loaded = true
	seq, ok, err := loadDays(tx, s.days)
	if !ok {
		seq = stock.LastSeq(tx)
	}
	s.seq = seq
	return err
}

// sync drops the days the ledger says have moved since the summary's seq.
func (s *SalesDays) sync(tx *book.Tx) error {
	if !s.loaded {
		if err := s.load(tx); err != nil {
			return err
		}
	}
	last := stock.LastSeq(tx)
	if last == s.seq {
		return nil
	}
	if last < s.seq || last-s.seq > catchUp {
		for d := range s.days {
			s.drop(d)
		}
		s.seq = last
		return nil
	}
	cancelled := map[string]bool{}
	err := stock.Movements(tx, s.seq, func(m *stock.Movement) (bool, error) {
		switch m.Kind {
		case stock.Sale, stock.SalesReturn:
			s.drop(m.Date)
		case stock.SaleCancel:
			// The sales fall on the invoice's day (billing.Invoice.VoidDate);
			// books cancelled before that dated the movement on the day of
			// cancelling.
			if !cancelled[m.Doc] {
				cancelled[m.Doc] = true
				inv, err := billing.GetInvoice(tx, m.Doc)
				if err != nil {
					for d := range s.days { // not an invoice we can read: start afresh
						s.drop(d)
					}
					return false, nil
				}
				s.drop(inv.VoidDate())
			}
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	s.seq = last
	s.unsaved = true
	return nil
}

func (s *SalesDays) drop(d cal.Date) {
	if _, ok := s.days[d]; ok {
		delete(s.days, d)
		s.dropped[d] = true
		s.unsaved = true
	}
}

// fill reads the documents of the days from..to not yet in the summary.
func (s *SalesDays) fill(tx *book.Tx, from, to cal.Date) error {
	var first, last cal.Date
	for d := from; d <= to; d = d.AddDays(1) {
		if _, ok := s.days[d]; !ok {
			if first == "" {
				first = d
			}
			last = d
		}
	}
	if first == "" {
		return nil
	}
	acc := map[cal.Date]DaySales{}
	err := Invoices(tx, first, last, func(inv *billing.Invoice) error {
		ds := acc[inv.Date]
		ds.Invoices++
		ds.Taxable += inv.TaxablePaise
		ds.Total += inv.TotalPaise
		acc[inv.Date] = ds
		return nil
	})
	if err != nil {
		return err
	}
	err = CreditNotes(tx, first, last, func(cn *billing.SalesReturn) error {
		ds := acc[cn.Date]
		ds.CreditNotes++
		ds.Taxable -= cn.TaxablePaise
		ds.Total -= cn.TotalPaise
		acc[cn.Date] = ds
		return nil
	})
	if err != nil {
		return err
	}
	for d := first; d <= last; d = d.AddDays(1) {
		if _, ok := s.days[d]; !ok {
			s.days[d] = acc[d]
			delete(s.dropped, d)
			s.unsaved = true
		}
	}
	return nil
}

// CreditNotes calls fn for each credit note (sales return) dated from..to,
// in date and number order.
func CreditNotes(tx *book.Tx, from, to cal.Date, fn func(cn *billing.SalesReturn) error) error {
	cns, err := billing.ListSalesReturns(tx, billing.DocFilter{From: from, To: to, Limit: 1 << 30})
	if err != nil {
		return err
	}
	sortCreditNotes(cns)
	for i := range cns {
		if err := fn(&cns[i]); err != nil {
			return err
		}
	}
	return nil
}

func sortCreditNotes(cns []billing.SalesReturn) {
	sort.SliceStable(cns, func(i, j int) bool {
		if cns[i].Date != cns[j].Date {
			return cns[i].Date < cns[j].Date
		}
		return cns[i].Number < cns[j].Number
	})
}
