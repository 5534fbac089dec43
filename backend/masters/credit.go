package masters

import (
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/money"
)

// Credit modes of an outlet: warn lets the bill through with a warning,
// stop refuses it unless a role allowed to overrides it with a reason.
const (
	CreditWarn = "warn"
	CreditStop = "stop"
)

// maxCreditPaise caps an amount limit far below where a sum with a bill
// could wrap (₹1,00,00,00,00,000).
const maxCreditPaise money.Paise = 1_00_00_00_00_000_00

// MaxCreditBills caps credit_limit_bills: more open bills than this is no limit.
const MaxCreditBills = 999

func (o *Outlet) validateCredit() error {
	switch o.CreditMode {
	case "", CreditWarn, CreditStop:
	default:
		return fail.Invalid("credit_mode", "%q: use warn, stop or leave it empty for the company's credit check", o.CreditMode)
	}
	if o.CreditLimitBills < 0 || o.CreditLimitBills > MaxCreditBills {
		return fail.Invalid("credit_limit_bills", "must be 0–%d open bills (0 = no limit)", MaxCreditBills)
	}
	if o.CreditLimitDays < 0 || o.CreditLimitDays > 365 {
		return fail.Invalid("credit_limit_days", "must be 0–365 days (0 = no limit)")
	}
	if o.TempCreditLimitPaise < 0 || o.TempCreditLimitPaise > maxCreditPaise {
		return fail.Invalid("temp_credit_limit_paise", "must be 0 or a positive amount")
	}
	if o.CreditLimitPaise > maxCreditPaise {
		return fail.Invalid("credit_limit_paise", "is out of range")
	}
	if o.TempCreditUntil != "" && !o.TempCreditUntil.Valid() {
		return fail.Invalid("temp_credit_until", "%q is not a date (YYYY-MM-DD)", o.TempCreditUntil)
	}
	if o.TempCreditLimitPaise > 0 && o.TempCreditUntil == "" {
		return fail.Invalid("temp_credit_until", "give the last day of the temporary limit")
	}
	return nil
}

// CreditModeOf is the outlet's own mode, or the company's credit_check
// ("block" is stop).
func (o *Outlet) CreditModeOf(co *Company) string {
	if o.CreditMode != "" {
		return o.CreditMode
	}
	if co.CreditCheck == "block" || co.CreditCheck == CreditStop {
		return CreditStop
	}
	return CreditWarn
}

// CreditLimitOn is the amount limit on a day: the temporary limit up to and
// including its last day, the standing limit after (0 = no amount limit).
func (o *Outlet) CreditLimitOn(d cal.Date) money.Paise {
	if o.TempCreditLimitPaise > 0 && o.TempCreditUntil != "" && d <= o.TempCreditUntil {
		return o.TempCreditLimitPaise
	}
	return o.CreditLimitPaise
}
