package masters

import (
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/money"
)

// Outlet is a retailer the distributor bills.
type Outlet struct {
	Code             string      `json:"code"`
	Name             string      `json:"name"`
	Address          string      `json:"address"`
	City             string      `json:"city"`
	Pincode          string      `json:"pincode"`
	StateCode        string      `json:"state_code"`
	GSTIN            string      `json:"gstin"` // empty for an unregistered outlet
	Channel          string      `json:"channel"`
	Beat             string      `json:"beat"`
	Salesman         string      `json:"salesman"`
	Phone            string      `json:"phone,omitempty"`
	CreditLimitPaise money.Paise `json:"credit_limit_paise"`
	CreditDays       int         `json:"credit_days"`
	// Credit control (credit.go): a stop or warning when a bill would take
	// the outlet past any of its limits; zero means no such limit.
	CreditLimitBills     int         `json:"credit_limit_bills"`
	CreditLimitDays      int         `json:"credit_limit_days"`
	CreditMode           string      `json:"credit_mode"` // warn, stop; "" follows the company's credit_check
	TempCreditLimitPaise money.Paise `json:"temp_credit_limit_paise"`
	TempCreditUntil      cal.Date    `json:"temp_credit_until,omitempty"`
	Active               bool        `json:"active"`
}

// Registered reports whether the outlet has a GSTIN.
func (o *Outlet) Registered() bool { return o.GSTIN != "" }

func (o *Outlet) normalize() {
	o.Code = NormalizeCode(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	o.GSTIN = gst.NormalizeGSTIN(o.GSTIN)
	o.StateCode = strings.TrimSpace(o.StateCode)
	o.City = strings.TrimSpace(o.City)
	o.Pincode = strings.TrimSpace(o.Pincode)
	o.Channel = strings.TrimSpace(o.Channel) // as typed until checkRefs resolves it, so a refusal shows what the clerk typed
	o.Beat = NormalizeCode(o.Beat)
	o.Salesman = NormalizeCode(o.Salesman)
	o.CreditMode = strings.ToLower(strings.TrimSpace(o.CreditMode))
	if o.StateCode == "" && len(o.GSTIN) >= 2 {
		o.StateCode = o.GSTIN[:2]
	}
}

// Validate checks the outlet on its own (references are checked against the
// book by Create/Update).
func (o *Outlet) Validate() error {
	o.normalize()
	if err := validCode("code", o.Code); err != nil {
		return err
	}
	if err := required("name", o.Name); err != nil {
		return err
	}
	if err := gst.ValidState(o.StateCode); err != nil {
		return fail.Invalid("state_code", "%v", err)
	}
	if o.GSTIN != "" {
		if err := gst.ValidateGSTIN(o.GSTIN); err != nil {
			return fail.Invalid("gstin", "%v", err)
		}
		if st := gst.StateOfGSTIN(o.GSTIN); st != o.StateCode {
			return fail.Invalid("gstin", "GSTIN %s belongs to state %s (%s), not %s (%s)", o.GSTIN, st, gst.StateName(st), o.StateCode, gst.StateName(o.StateCode))
		}
	}
	if o.Pincode != "" {
		if err := gst.ValidatePIN(o.Pincode, o.StateCode); err != nil {
			return fail.Invalid("pincode", "%v", err)
		}
	}
	if ChannelKey(o.Channel) == "" {
		o.Channel = "grocery"
	}
	if o.CreditLimitPaise < 0 {
		return fail.Invalid("credit_limit_paise", "must not be negative")
	}
	if o.CreditDays < 0 || o.CreditDays > 365 {
		return fail.Invalid("credit_days", "must be 0–365")
	}
	return o.validateCredit()
}

func (o *Outlet) checkRefs(tx *book.Tx) error {
	// The channel is the channels master's: its code or any synonym, stored as the code.
	c, ok := ResolveChannel(tx, o.Channel)
	if !ok {
		return fail.Invalid("channel", "%q is not a channel: add it (or it as a synonym) on the Channels list first", o.Channel)
	}
	o.Channel = c
	if o.Beat != "" && !exists(tx, bBeats, o.Beat) {
		return fail.Invalid("beat", "beat %s does not exist: create it first", o.Beat)
	}
	if o.Salesman != "" && !exists(tx, bSalesmen, o.Salesman) {
		return fail.Invalid("salesman", "salesman %s does not exist: create it first", o.Salesman)
	}
	return nil
}

// CreateOutlet validates and stores a new outlet.
func CreateOutlet(tx *book.Tx, o Outlet) (Outlet, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	if err := o.checkRefs(tx); err != nil {
		return o, err
	}
	return o, put(tx, bOutlets, "outlet", o.Code, o, true)
}

// UpdateOutlet stores a changed outlet.
func UpdateOutlet(tx *book.Tx, o Outlet) (Outlet, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	if err := o.checkRefs(tx); err != nil {
		return o, err
	}
	return o, put(tx, bOutlets, "outlet", o.Code, o, false)
}

// GetOutlet returns one outlet by code.
func GetOutlet(tx *book.Tx, code string) (Outlet, error) {
	return get[Outlet](tx, bOutlets, "outlet", code)
}

// OutletFilter narrows a list of outlets.
type OutletFilter struct {
	Q          string // words in code, name, beat, address, GSTIN
	Beat       string
	Salesman   string
	Channel    string
	ActiveOnly bool
}

// ListOutlets returns the outlets that pass f, in code order.
func ListOutlets(tx *book.Tx, f OutletFilter) ([]Outlet, error) {
	return list(tx, bOutlets, func(o *Outlet) bool {
		if f.ActiveOnly && !o.Active {
			return false
		}
		if f.Beat != "" && !strings.EqualFold(o.Beat, f.Beat) {
			return false
		}
		if f.Salesman != "" && !strings.EqualFold(o.Salesman, f.Salesman) {
			return false
		}
		if f.Channel != "" && o.Channel != f.Channel {
			return false
		}
		return matches(f.Q, o.Code, o.Name, o.Beat, o.Address, o.GSTIN)
	})
}
