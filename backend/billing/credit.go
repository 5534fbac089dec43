package billing

import (
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// Credit control: an outlet may be limited by the amount it owes (a
// temporary limit replaces the standing one up to its last day), by how
// many bills it has open and by the age of its oldest open bill; its
// credit days (payment terms) flag overdue bills as before. In warn mode a
// bill past a limit carries warnings; in stop mode it is refused (409)
// unless a role allowed to sends credit_override with a reason, which the
// audit log keeps. Every figure comes from the outlet's due key and one
// seek into its open bills, so the check costs the same for an outlet with
// three bills as for one with three thousand.

// CreditOverride lets a stopped bill through; the door checks the role.
// The client sends only the reason; the posted invoice keeps, with it,
// who let it through, when, and the limits it broke (shown on the
// invoice, besides the audit log).
type CreditOverride struct {
	Reason string    `json:"reason"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at,omitzero"`
	Broken []string  `json:"broken,omitempty"`
}

// MaxOverrideReason is the longest reason an override may carry.
const MaxOverrideReason = 200

// Credit is an outlet's standing against its credit limits for a bill of
// BillPaise on Date (0 when the clerk has only picked the outlet).
type Credit struct {
	Outlet     string      `json:"outlet"`
	Date       cal.Date    `json:"date"`
	Mode       string      `json:"mode"`        // warn or stop, after the company's default
	LimitPaise money.Paise `json:"limit_paise"` // the amount limit in force (0 = none)
	TempUntil  cal.Date    `json:"temp_until,omitempty"`
	DuePaise   money.Paise `json:"due_paise"` // outstanding before this bill (less money on account)
	BillPaise  money.Paise `json:"bill_paise"`
	// AvailablePaise is what may still be billed under the amount limit.
	AvailablePaise money.Paise `json:"available_paise"`
	LimitBills     int         `json:"limit_bills"`
	OpenBills      int         `json:"open_bills"`
	LimitDays      int         `json:"limit_days"`
	CreditDays     int         `json:"credit_days"`
	OldestBill     cal.Date    `json:"oldest_bill,omitempty"`
	OldestDays     int         `json:"oldest_days"`
	// Broken lists each limit the bill breaks: kind credit_limit,
	// credit_bills, credit_days or overdue.
	Broken []Warning `json:"broken"`
	// Stopped is true when the mode is stop and a limit is broken.
	Stopped bool `json:"stopped"`
	// Field names the first limit broken, as a 409 names it.
	Field string `json:"field,omitempty"`
}

// creditOf measures an outlet against its limits for a bill.
func creditOf(tx *book.Tx, co *masters.Company, o *masters.Outlet, d cal.Date, bill money.Paise) Credit {
	c := Credit{Outlet: o.Code, Date: d, Mode: o.CreditModeOf(co), LimitPaise: o.CreditLimitOn(d), BillPaise: bill,
		LimitBills: o.CreditLimitBills, LimitDays: o.CreditLimitDays, CreditDays: o.CreditDays, Broken: []Warning{}}
	if c.LimitPaise > 0 && c.LimitPaise != o.CreditLimitPaise {
		c.TempUntil = o.TempCreditUntil
	}
	if c.LimitPaise == 0 && c.LimitBills == 0 && c.LimitDays == 0 && c.CreditDays == 0 {
		return c // no limits: nothing to read
	}
	st := outstandingOf(tx, o.Code)
	c.DuePaise, c.OpenBills, c.OldestBill = st.due, st.bills, st.oldest
	if c.OldestBill != "" {
		c.OldestDays = c.OldestBill.DaysUntil(d)
	}
	field := func(name string) {
		if c.Field == "" {
			c.Field = name
		}
	}
	if c.LimitPaise > 0 {
		c.AvailablePaise = max(c.LimitPaise-c.DuePaise, 0)
		if c.DuePaise+bill > c.LimitPaise {
			what := "the credit limit"
			name := "credit_limit_paise"
			if c.TempUntil != "" {
				what, name = "the temporary credit limit (to "+c.TempUntil.Display()+")", "temp_credit_limit_paise"
			}
			c.Broken = append(c.Broken, Warning{Kind: "credit_limit", Text: fmt.Sprintf("outstanding ₹%s + this bill ₹%s is over %s ₹%s",
				c.DuePaise, bill, what, c.LimitPaise)})
			field(name)
		}
	}
	if c.LimitBills > 0 && c.OpenBills+1 > c.LimitBills {
		c.Broken = append(c.Broken, Warning{Kind: "credit_bills", Text: fmt.Sprintf("%d bills are open and the limit is %d: this bill would be bill %d",
			c.OpenBills, c.LimitBills, c.OpenBills+1)})
		field("credit_limit_bills")
	}
	if c.LimitDays > 0 && c.OldestBill != "" && c.OldestDays > c.LimitDays {
		c.Broken = append(c.Broken, Warning{Kind: "credit_days", Text: fmt.Sprintf("the oldest open bill, of %s, is %d days old and the limit is %d days",
			c.OldestBill.Display(), c.OldestDays, c.LimitDays)})
		field("credit_limit_days")
	}
	if c.CreditDays > 0 && c.OldestBill != "" && c.OldestBill.AddDays(c.CreditDays) < d {
		c.Broken = append(c.Broken, Warning{Kind: "overdue", Text: fmt.Sprintf("a bill of %s is %d days old, past the %d credit days",
			c.OldestBill.Display(), c.OldestDays, c.CreditDays)})
		field("credit_days")
	}
	c.Stopped = c.Mode == masters.CreditStop && len(c.Broken) > 0
	return c
}

// refusal is the 409 a stopped bill gets: the limit broken and the figures.
func (c *Credit) refusal() error {
	texts := make([]string, len(c.Broken))
	for i, w := range c.Broken {
		texts[i] = w.Text
	}
	return fail.Conflict(c.Field, "outlet %s is on credit stop: %s (collect first, or have an admin override it with a reason)",
		c.Outlet, strings.Join(texts, "; "))
}

// checkOverride reads an invoice's override: nil when there is none.
func checkOverride(o *CreditOverride) (*CreditOverride, error) {
	if o == nil {
		return nil, nil
	}
	r := strings.TrimSpace(o.Reason)
	if r == "" {
		return nil, fail.Invalid("credit_override.reason", "give the reason for billing past the credit limit")
	}
	if len([]rune(r)) > MaxOverrideReason {
		return nil, fail.Invalid("credit_override.reason", "keep it within %d characters", MaxOverrideReason)
	}
	return &CreditOverride{Reason: r}, nil
}

// auditOverride records who let a stopped bill through, why, and what it broke.
func auditOverride(tx *book.Tx, num string, c *Credit, reason string) error {
	return tx.Audit("credit_override", KindInvoice, num, nil, map[string]any{"outlet": c.Outlet, "total_paise": c.BillPaise,
		"due_paise": c.DuePaise, "open_bills": c.OpenBills, "oldest_bill": c.OldestBill, "broken": c.Broken}, reason)
}

// CreditOf is an outlet's standing on a day before a bill: what the
// billing screen shows as the clerk picks the outlet.
func CreditOf(tx *book.Tx, outlet string, d cal.Date) (Credit, error) {
	if err := validDate("date", d); err != nil {
		return Credit{}, err
	}
	co, err := company(tx)
	if err != nil {
		return Credit{}, err
	}
	o, err := cache.getOutlet(tx, outlet)
	if err != nil {
		return Credit{}, err
	}
	return creditOf(tx, &co, &o, d, 0), nil
}
