package ewaybill

import (
	"regexp"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
)

// Record is an invoice's e-way bill as the portal gave it (number, date,
// validity), with the transport it was made for. It prints on the invoice.
type Record struct {
	Invoice    string   `json:"invoice"`
	EWBNo      string   `json:"ewb_no"`
	EWBDate    cal.Date `json:"ewb_date"`
	ValidUntil cal.Date `json:"valid_until"`
	Dispatch
}

// ewbNoRe is the portal's e-way bill number: 12 digits.
var ewbNoRe = regexp.MustCompile(`^[0-9]{12}$`)

// ValidDays is an e-way bill's validity for a distance (Rule 138(10) of the
// CGST Rules, regular cargo): one day up to 200 km and one more for every
// 200 km or part after; a day runs to midnight of the day after the one it
// starts on.
func ValidDays(km int) int {
	if km <= 200 {
		return 1
	}
	return (km + 199) / 200
}

// PutRecord records the e-way bill the portal gave an invoice: a 12-digit
// number, its date (not before the invoice's, not after today) and its
// validity (by default what Rule 138(10) gives for the distance). Audited;
// recording again replaces it.
func PutRecord(tx *book.Tx, number string, r Record, today cal.Date) (Record, error) {
	inv, err := billing.GetInvoice(tx, number)
	if err != nil {
		return r, err
	}
	if inv.Status != billing.StatusPosted {
		return r, fail.Conflict("number", "invoice %s is cancelled: its goods do not move", inv.Number)
	}
	r.Invoice = inv.Number
	r.EWBNo = strings.ReplaceAll(strings.TrimSpace(r.EWBNo), " ", "")
	if !ewbNoRe.MatchString(r.EWBNo) {
		return r, fail.Invalid("ewb_no", "%q is not an e-way bill number: the portal gives 12 digits", r.EWBNo)
	}
	if err := r.Dispatch.Check(); err != nil {
		return r, err
	}
	if r.EWBDate == "" || !r.EWBDate.Valid() {
		return r, fail.Invalid("ewb_date", "enter the e-way bill's date as the portal printed it (YYYY-MM-DD)")
	}
	if r.EWBDate < inv.Date {
		return r, fail.Invalid("ewb_date", "%s is before invoice %s's date %s", r.EWBDate, inv.Number, inv.Date)
	}
	if today != "" && r.EWBDate > today {
		return r, fail.Invalid("ewb_date", "%s is after today", r.EWBDate)
	}
	if r.ValidUntil == "" {
		r.ValidUntil = r.EWBDate.AddDays(ValidDays(r.Distance))
	}
	if !r.ValidUntil.Valid() || r.ValidUntil < r.EWBDate {
		return r, fail.Invalid("valid_until", "must be a date on or after the e-way bill's date %s", r.EWBDate)
	}
	var before *Record
	if old, ok, err := GetRecord(tx, inv.Number); err != nil {
		return r, err
	} else if ok {
		before = &old
	}
	if err := putRecord(tx, &r); err != nil {
		return r, err
	}
	if before == nil {
		return r, tx.Audit("ewaybill", billing.KindInvoice, inv.Number, nil, r, "")
	}
	return r, tx.Audit("ewaybill", billing.KindInvoice, inv.Number, before, r, "")
}

// Report is what the e-way bill screen shows for an invoice: whether it
// needs an e-way bill, everything the portal would refuse in plain words,
// the JSON when nothing is, and the e-way bill already recorded.
type Report struct {
	Invoice        string    `json:"invoice"`
	Date           cal.Date  `json:"date"`
	Outlet         string    `json:"outlet"`
	OutletName     string    `json:"outlet_name"`
	Beat           string    `json:"beat,omitempty"`
	TotalPaise     int64     `json:"total_paise"`
	ThresholdPaise int64     `json:"threshold_paise"`
	Needed         bool      `json:"needed"`
	Problems       []Problem `json:"problems"`
	File           *File     `json:"file,omitempty"`
	Recorded       *Record   `json:"recorded,omitempty"`
}

// CheckInvoice makes an invoice's report for a dispatch.
func CheckInvoice(tx *book.Tx, number string, d Dispatch) (*Report, error) {
	co, err := masters.GetCompany(tx)
	if err != nil {
		return nil, err
	}
	inv, err := billing.GetInvoice(tx, number)
	if err != nil {
		return nil, err
	}
	return report(tx, co, &inv, d)
}

func report(tx *book.Tx, co masters.Company, inv *billing.Invoice, d Dispatch) (*Report, error) {
	rep := &Report{Invoice: inv.Number, Date: inv.Date, Outlet: inv.Outlet, OutletName: inv.OutletName, Beat: inv.Beat,
		TotalPaise: int64(inv.TotalPaise), ThresholdPaise: int64(co.EWayBillThresholdPaise), Needed: Needed(co, inv), Problems: d.Problems()}
	if rec, ok, err := GetRecord(tx, inv.Number); err != nil {
		return nil, err
	} else if ok {
		rep.Recorded = &rec
	}
	if inv.Status != billing.StatusPosted {
		rep.Problems = append(rep.Problems, Problem{"number", "invoice " + inv.Number + " is cancelled: its goods do not move"})
		return rep, nil
	}
	more, err := problemsOf(tx, co, inv, d)
	if err != nil {
		return nil, err
	}
	rep.Problems = append(rep.Problems, more...)
	if len(rep.Problems) == 0 {
		rep.Problems = []Problem{}
		b, err := bill(tx, co, inv, d)
		if err != nil {
			return nil, err
		}
		rep.File = &File{Version: Version, BillLists: []Bill{*b}}
	}
	return rep, nil
}

// CheckDay makes the reports of a day's invoices above the threshold (one
// beat's when beat is given), all for one dispatch.
func CheckDay(tx *book.Tx, day cal.Date, beat string, d Dispatch) ([]Report, error) {
	if !day.Valid() {
		return nil, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", day)
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return nil, err
	}
	list, err := billing.ListInvoices(tx, billing.InvoiceFilter{From: day, To: day, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	out := []Report{}
	for _, s := range list {
		inv, err := billing.GetInvoice(tx, s.Number)
		if err != nil {
			return nil, err
		}
		if !Needed(co, &inv) || (beat != "" && !strings.EqualFold(inv.Beat, beat)) {
			continue
		}
		r, err := report(tx, co, &inv, d)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, nil
}
