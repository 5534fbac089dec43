package billing

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
)

// Document dates. Every number carries its financial year as two digits
// ("SI/26-27/000001"), so the book takes dates whose financial year starts
// in 2000…2099 only: a 1900 invoice would otherwise share FY 2099-00's
// series. Within those, a document posted through the doors must fall in
// the company's window — from the books' open date (by default the start
// of the previous financial year) to a day or two past today — or carry an
// admin's override.

// Years is the span of financial years the book numbers.
const (
	FirstFY = 2000
	LastFY  = 2099
)

// fyInRange refuses a date whose financial year a two-digit label cannot
// name uniquely.
func fyInRange(field string, d cal.Date, fyStart int) error {
	if fy := cal.FYOf(d, fyStart); fy.Start < FirstFY || fy.Start > LastFY {
		return fail.Invalid(field, "%s is in financial year %s: the book numbers years %d-%02d to %d-%02d only",
			d.Display(), fy.Label(), FirstFY, (FirstFY+1)%100, LastFY, (LastFY+1)%100)
	}
	return nil
}

// ErrOutsideWindow marks a date refused by the window, which an admin may
// override.
type ErrOutsideWindow struct{ error }

func (e ErrOutsideWindow) Unwrap() error { return e.error }

// DateWindow is the span of dates a document may carry on the given day
// without an override.
func DateWindow(co masters.Company, today cal.Date) (from, to cal.Date) {
	from = co.BooksOpenFrom
	if from == "" {
		fy := cal.FYOf(today, co.FYStartMonth)
		fy.Start--
		from = fy.First()
	}
	days := co.DaysAhead
	if days <= 0 {
		days = 2
	}
	return from, today.AddDays(days)
}

// CheckDate says whether a document dated d may be posted (or previewed)
// today. Outside the window the error is an ErrOutsideWindow (400, field
// "date") unless override is set; the caller grants override to admins
// only. Dates outside the numbered years are refused even then.
func CheckDate(tx *book.Tx, field string, d cal.Date, today cal.Date, override bool) error {
	if err := validDate(field, d); err != nil {
		return err
	}
	co, err := company(tx)
	if err != nil {
		return err
	}
	if err := fyInRange(field, d, co.FYStartMonth); err != nil {
		return err
	}
	if override {
		return nil
	}
	from, to := DateWindow(co, today)
	switch {
	case d < from:
		return ErrOutsideWindow{fail.Invalid(field, "%s is before the open books (from %s): an admin may post it with date_override", d.Display(), from.Display())}
	case d > to:
		return ErrOutsideWindow{fail.Invalid(field, "%s is more than %d days after today (%s): an admin may post it with date_override", d.Display(), today.DaysUntil(to), today.Display())}
	}
	return nil
}
