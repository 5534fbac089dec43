package headoffice

import (
	"fmt"
	"strings"

	"vitaran/backend/cal"
	"vitaran/backend/schemes/rules"
)

// A circular in force is a promise to the trade: distributors have billed
// under it, their books keep its terms frozen on every scheme an invoice
// redeemed (package schemes, terms.go), and head office checks their claims
// with the circular it holds. Were head office to load a circular that
// rewrites a running scheme, it would recompute the distributors' claims
// under terms the outlets were never billed under and flag honest
// distributors. So a scheme that has started (valid_from on or before
// today) keeps, in every circular loaded after it:
//
//   - its place: it cannot be dropped (end it with valid_to instead);
//   - its terms (rules.TermDiff: kind, valid_from, scope, stacking, limits,
//     benefit);
//   - every day it has run: valid_to may move later, or earlier down to
//     today, never before a day it was already in force.
//
// Name, budgets and caps stay editable, as in the distributor's book. Head
// office cannot ask which schemes the distributors redeemed before their
// nightly upload arrives, so it freezes what may have been redeemed: every
// scheme that has started, not only those its store holds redemptions of.

// ReissueError lists every scheme a new circular may not change, one line
// each, naming the scheme and the fields.
type ReissueError struct{ Problems []string }

func (e *ReissueError) Error() string {
	return fmt.Sprintf("the circular changes %d scheme(s) already in force; nothing was loaded:\n  %s",
		len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// CheckReissue compares the circular to load (ss) with the one held (held)
// on today and returns a *ReissueError naming every scheme in force it
// would drop or change, or nil.
func CheckReissue(held, ss []rules.Scheme, today cal.Date) error {
	next := make(map[string]*rules.Scheme, len(ss))
	for i := range ss {
		next[strings.ToUpper(ss[i].Code)] = &ss[i]
	}
	var problems []string
	for i := range held {
		old := &held[i]
		if today.Before(old.ValidFrom) {
			continue // not started: no distributor can have billed under it
		}
		since := old.ValidFrom.Display()
		s, ok := next[strings.ToUpper(old.Code)]
		if !ok {
			problems = append(problems, fmt.Sprintf("scheme %s (in force since %s) is missing: keep it in the circular and end it with valid_to", old.Code, since))
			continue
		}
		if d := rules.TermDiff(old, s); len(d) > 0 {
			problems = append(problems, fmt.Sprintf("scheme %s (in force since %s): %s cannot change; end it (valid_to) and issue a new scheme with the new terms", old.Code, since, strings.Join(d, ", ")))
			continue
		}
		if floor := ranUntil(old, today); s.ValidTo.Valid() && s.ValidTo.Before(floor) {
			problems = append(problems, fmt.Sprintf("scheme %s (in force since %s): valid_to %s is before %s, a day it already ran; end it on %s at the earliest", old.Code, since, s.ValidTo.Display(), floor.Display(), floor.Display()))
		}
	}
	if problems != nil {
		return &ReissueError{Problems: problems}
	}
	return nil
}

// ranUntil is the last day old has run so far: today, or its end if that
// came first.
func ranUntil(old *rules.Scheme, today cal.Date) cal.Date {
	if old.ValidTo.Valid() && old.ValidTo.Before(today) {
		return old.ValidTo
	}
	return today
}

// IssueSchemes loads ss as the circular head office checks claims against,
// after CheckReissue against the one st holds.
func IssueSchemes(st Store, ss []rules.Scheme, today cal.Date) error {
	held, err := st.IssuedSchemes()
	if err != nil {
		return err
	}
	if err := CheckReissue(held, ss, today); err != nil {
		return err
	}
	return st.SetSchemes(ss)
}
