package masters

import (
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
)

// Company is the distributor's own profile and the settings that change how
// the book behaves.
type Company struct {
	Name         string `json:"name"`
	Address      string `json:"address"`
	GSTIN        string `json:"gstin"`
	StateCode    string `json:"state_code"`
	FYStartMonth int    `json:"fy_start_month"`
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	// Code is the distributor's code at the brand (the upload key).
	Code string `json:"code,omitempty"`
	// InvoicePrefix starts every sales invoice number: "SI" gives SI/26-27/000001.
	InvoicePrefix string `json:"invoice_prefix"`
	// AllowNegativeStock lets a sale go below zero (off by default).
	AllowNegativeStock bool `json:"allow_negative_stock"`
	// CreditCheck is "warn" (default) or "block": what a sale over an
	// outlet's credit limit or with overdue bills does.
	CreditCheck string `json:"credit_check"`
	// NearExpiryDays flags batches expiring within this many days (default 60).
	NearExpiryDays int `json:"near_expiry_days"`
	// OverstockDays flags items with more days of cover than this (default 45).
	OverstockDays int `json:"overstock_days"`
	// TallyMode is "invoice" (one voucher per document) or "daily" (one
	// summary voucher per day per GST rate).
	TallyMode string `json:"tally_mode"`
}

// Defaults fills unset settings.
func (c *Company) Defaults() {
	if c.FYStartMonth == 0 {
		c.FYStartMonth = 4
	}
	if c.InvoicePrefix == "" {
		c.InvoicePrefix = "SI"
	}
	if c.CreditCheck == "" {
		c.CreditCheck = "warn"
	}
	if c.NearExpiryDays == 0 {
		c.NearExpiryDays = 60
	}
	if c.OverstockDays == 0 {
		c.OverstockDays = 45
	}
	if c.TallyMode == "" {
		c.TallyMode = "invoice"
	}
}

// Validate checks the profile.
func (c *Company) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	c.GSTIN = gst.NormalizeGSTIN(c.GSTIN)
	c.InvoicePrefix = strings.ToUpper(strings.TrimSpace(c.InvoicePrefix))
	c.Defaults()
	if err := required("name", c.Name); err != nil {
		return err
	}
	if err := gst.ValidState(c.StateCode); err != nil {
		return fail.Invalid("state_code", "%v", err)
	}
	if c.GSTIN != "" {
		if err := gst.ValidateGSTIN(c.GSTIN); err != nil {
			return fail.Invalid("gstin", "%v", err)
		}
		if gst.StateOfGSTIN(c.GSTIN) != c.StateCode {
			return fail.Invalid("gstin", "GSTIN %s is registered in state %s, but the company's state is %s", c.GSTIN, gst.StateOfGSTIN(c.GSTIN), c.StateCode)
		}
	}
	if c.FYStartMonth < 1 || c.FYStartMonth > 12 {
		return fail.Invalid("fy_start_month", "must be a month number 1–12 (4 for April)")
	}
	// SI/26-27/000001 must fit in 16 characters: prefix + 13.
	if len(c.InvoicePrefix) > 3 || !codeRe.MatchString(c.InvoicePrefix) || strings.Contains(c.InvoicePrefix, "/") {
		return fail.Invalid("invoice_prefix", "use 1–3 letters or digits, so invoice numbers stay within 16 characters")
	}
	if c.CreditCheck != "warn" && c.CreditCheck != "block" {
		return fail.Invalid("credit_check", "must be warn or block")
	}
	if c.TallyMode != "invoice" && c.TallyMode != "daily" {
		return fail.Invalid("tally_mode", "must be invoice or daily")
	}
	if c.NearExpiryDays < 0 || c.OverstockDays < 0 {
		return fail.Invalid("near_expiry_days", "must not be negative")
	}
	return nil
}

// GetCompany returns the profile; an empty book has an empty profile with defaults.
func GetCompany(tx *book.Tx) (Company, error) {
	var c Company
	_, err := tx.Bucket(bCompany).GetJSON("profile", &c)
	c.Defaults()
	return c, err
}

// PutCompany validates and stores the profile.
func PutCompany(tx *book.Tx, c Company) (Company, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	b := tx.Bucket(bCompany)
	var before any
	if old := b.Get("profile"); old != nil {
		before = rawJSON(old)
	}
	if err := b.PutJSON("profile", c); err != nil {
		return c, err
	}
	if err := Touch(tx); err != nil {
		return c, err
	}
	return c, tx.Audit("setting", "company", "profile", before, c, "")
}

// CompanyReady reports whether the profile has been set up.
func CompanyReady(tx *book.Tx) bool { return tx.Bucket(bCompany).Has("profile") }
