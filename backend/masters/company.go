package masters

import (
	"net/url"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst"
	"vitaran/backend/money"
)

// Company is the distributor's own profile and the settings that change how
// the book behaves.
type Company struct {
	Name         string `json:"name"`
	Address      string `json:"address"`
	City         string `json:"city"`
	Pincode      string `json:"pincode"`
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
	// CoverDays is the stock the next order to the brand aims at, in days
	// of average sales (default 21), unless the brand or the SKU has its own.
	CoverDays int `json:"cover_days"`
	// TallyMode is "invoice" (one voucher per document) or "daily" (one
	// summary voucher per day per GST rate).
	TallyMode string `json:"tally_mode"`
	// BooksOpenFrom is the first date a document may carry without an
	// admin's override: the books before it are closed. Empty means the
	// start of the previous financial year (the current and the last are
	// open). DaysAhead is how far past today a document may be dated
	// (default 2).
	BooksOpenFrom cal.Date `json:"books_open_from,omitempty"`
	DaysAhead     int      `json:"days_ahead"`
	GSTSettings
}

// GSTSettings are the company's e-invoice and e-way bill settings.
type GSTSettings struct {
	// EInvoice is off, api (IRNs from the IRP through its API) or offline
	// (the portal's bulk JSON out and its reply file in).
	EInvoice string `json:"einvoice"`
	// EInvoiceFrom is the first document date that needs an IRN ("" = all).
	EInvoiceFrom cal.Date `json:"einvoice_from,omitempty"`
	// IRPURL is the IRP's (or the GSP's) API base URL.
	IRPURL      string `json:"irp_url,omitempty"`
	IRPUsername string `json:"irp_username,omitempty"`
	// IRPMode is gsp (a GSP's passthrough of the IRP's API, plain JSON; the
	// default) or direct (NIC's own API with its encrypted envelope), which
	// needs IRPPublicKey: the portal's RSA public key, PEM, downloaded from
	// its API user management (public, so shown as it is).
	IRPMode      string `json:"irp_mode"`
	IRPPublicKey string `json:"irp_public_key,omitempty"`
	// The secrets are written in only; the profile shows their last four
	// characters (the _hint fields), like the upload key.
	IRPPassword         string `json:"irp_password,omitempty"`
	IRPClientID         string `json:"irp_client_id,omitempty"`
	IRPClientSecret     string `json:"irp_client_secret,omitempty"`
	IRPPasswordHint     string `json:"irp_password_hint,omitempty"`
	IRPClientIDHint     string `json:"irp_client_id_hint,omitempty"`
	IRPClientSecretHint string `json:"irp_client_secret_hint,omitempty"`
	// HSNDigits is how many HSN digits every B2B line must carry: 4 up to
	// ₹5 crore turnover, 6 above (Notification 78/2020-Central Tax).
	HSNDigits int `json:"hsn_digits"`
	// EWayBillThresholdPaise is the consignment value from which goods move
	// with an e-way bill (₹50,000 under Rule 138 of the CGST Rules).
	EWayBillThresholdPaise money.Paise `json:"ewaybill_threshold_paise"`
}

// IRPSecrets are the IRP credentials kept out of the profile.
type IRPSecrets struct {
	Password     string `json:"password,omitempty"`
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
}

// Ways of reaching the IRP (GSTSettings.IRPMode).
const (
	IRPModeGSP    = "gsp"
	IRPModeDirect = "direct"
)

// e-invoice modes.
const (
	EInvoiceOff     = "off"
	EInvoiceAPI     = "api"
	EInvoiceOffline = "offline"
)

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
	if c.CoverDays == 0 {
		c.CoverDays = 21
	}
	if c.TallyMode == "" {
		c.TallyMode = "invoice"
	}
	if c.DaysAhead == 0 {
		c.DaysAhead = 2
	}
	if c.EInvoice == "" {
		c.EInvoice = EInvoiceOff
	}
	if c.HSNDigits == 0 {
		c.HSNDigits = 4
	}
	if c.EWayBillThresholdPaise == 0 {
		c.EWayBillThresholdPaise = 50_000_00
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
	if c.CoverDays < 1 || c.CoverDays > 365 {
		return fail.Invalid("cover_days", "must be 1–365 days of sales")
	}
	if c.BooksOpenFrom != "" && (!c.BooksOpenFrom.Valid() || c.BooksOpenFrom < "2000-01-01") {
		return fail.Invalid("books_open_from", "%q is not a date from 2000 on (YYYY-MM-DD)", c.BooksOpenFrom)
	}
	if c.DaysAhead < 1 || c.DaysAhead > 31 {
		return fail.Invalid("days_ahead", "must be 1–31 days")
	}
	c.City = strings.TrimSpace(c.City)
	c.Pincode = strings.TrimSpace(c.Pincode)
	if c.Pincode != "" {
		if err := gst.ValidatePIN(c.Pincode, c.StateCode); err != nil {
			return fail.Invalid("pincode", "%v", err)
		}
	}
	return c.validateGST()
}

func (c *Company) validateGST() error {
	g := &c.GSTSettings
	g.EInvoice = strings.ToLower(strings.TrimSpace(g.EInvoice))
	g.IRPURL = strings.TrimSpace(g.IRPURL)
	g.IRPUsername = strings.TrimSpace(g.IRPUsername)
	g.IRPMode = strings.ToLower(strings.TrimSpace(g.IRPMode))
	g.IRPPublicKey = strings.TrimSpace(g.IRPPublicKey)
	switch g.IRPMode {
	case "":
		g.IRPMode = IRPModeGSP
	case IRPModeGSP, IRPModeDirect:
	default:
		return fail.Invalid("irp_mode", "must be gsp (through a GSP) or direct (NIC's own API)")
	}
	if g.IRPPublicKey != "" {
		if _, err := gst.ParseRSAPublicKey(g.IRPPublicKey); err != nil {
			return fail.Invalid("irp_public_key", "%v: paste the key from the e-invoice portal's API user management", err)
		}
	}
	switch g.EInvoice {
	case EInvoiceOff, EInvoiceAPI, EInvoiceOffline:
	default:
		return fail.Invalid("einvoice", "must be off, api or offline")
	}
	if g.EInvoiceFrom != "" && !g.EInvoiceFrom.Valid() {
		return fail.Invalid("einvoice_from", "%q is not a date (YYYY-MM-DD)", g.EInvoiceFrom)
	}
	if g.HSNDigits != 4 && g.HSNDigits != 6 {
		return fail.Invalid("hsn_digits", "must be 4 (turnover up to ₹5 crore) or 6 (above)")
	}
	if g.EWayBillThresholdPaise < 0 {
		return fail.Invalid("ewaybill_threshold_paise", "must not be negative")
	}
	if g.IRPURL != "" {
		u, err := url.Parse(g.IRPURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fail.Invalid("irp_url", "%q is not a web address (https://…)", g.IRPURL)
		}
	}
	if g.EInvoice == EInvoiceOff {
		return nil
	}
	// The IRP needs the seller's own GSTIN, place and PIN on every document.
	for _, f := range []struct{ name, v string }{{"gstin", c.GSTIN}, {"address", c.Address}, {"city", c.City}, {"pincode", c.Pincode}} {
		if strings.TrimSpace(f.v) == "" {
			return fail.Invalid(f.name, "is required for e-invoicing: the IRP prints the seller's %s on every IRN", f.name)
		}
	}
	if g.EInvoice == EInvoiceAPI {
		if g.IRPURL == "" {
			return fail.Invalid("irp_url", "is required when einvoice is api: the IRP's or your GSP's API address")
		}
		if g.IRPUsername == "" {
			return fail.Invalid("irp_username", "is required when einvoice is api: the API user created on the e-invoice portal")
		}
		if g.IRPMode == IRPModeDirect && g.IRPPublicKey == "" {
			return fail.Invalid("irp_public_key", "is required for NIC's direct API: the login is encrypted with it (e-invoice portal, API user management)")
		}
	}
	return nil
}

// hint shows a secret by its last four characters.
func hint(s string) string {
	if s == "" {
		return ""
	}
	if len(s) <= 4 {
		return "…"
	}
	return "…" + s[len(s)-4:]
}

// keep is the secret to store: a new one, or the old one when the field is
// empty or still carries the hint that was shown.
func keep(in, old string) string {
	in = strings.TrimSpace(in)
	if in == "" || strings.HasPrefix(in, "…") {
		return old
	}
	return in
}

// GetIRPSecrets returns the IRP credentials (for the IRN worker only).
func GetIRPSecrets(tx *book.Tx) (IRPSecrets, error) {
	var s IRPSecrets
	err := readIRPSecrets(tx, &s)
	return s, err
}

// showSecrets blanks the secrets on the profile and fills their hints.
func (c *Company) showSecrets(s IRPSecrets) {
	c.IRPPassword, c.IRPClientID, c.IRPClientSecret = "", "", ""
	c.IRPPasswordHint, c.IRPClientIDHint, c.IRPClientSecretHint = hint(s.Password), hint(s.ClientID), hint(s.ClientSecret)
}

// GetCompany returns the profile; an empty book has an empty profile with defaults.
func GetCompany(tx *book.Tx) (Company, error) {
	var c Company
	err := readProfile(tx, &c)
	c.Defaults()
	if err != nil {
		return c, err
	}
	s, err := GetIRPSecrets(tx)
	c.showSecrets(s)
	return c, err
}

// PutCompany validates and stores the profile.
func PutCompany(tx *book.Tx, c Company) (Company, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	var before any
	if old := rawProfile(tx); old != nil {
		before = rawJSON(old)
	}
	old, err := GetIRPSecrets(tx)
	if err != nil {
		return c, err
	}
	sec := IRPSecrets{Password: keep(c.IRPPassword, old.Password), ClientID: keep(c.IRPClientID, old.ClientID),
		ClientSecret: keep(c.IRPClientSecret, old.ClientSecret)}
	if c.EInvoice == EInvoiceAPI && (sec.Password == "" || sec.ClientID == "" || sec.ClientSecret == "") {
		return c, fail.Invalid("irp_password", "einvoice api needs the IRP password, client id and client secret")
	}
	if sec != old {
		if err := putIRPSecrets(tx, sec); err != nil {
			return c, err
		}
	}
	// The profile (and so its audit entry) never carries a secret.
	c.showSecrets(sec)
	if err := putProfile(tx, c); err != nil {
		return c, err
	}
	if err := Touch(tx); err != nil {
		return c, err
	}
	return c, tx.Audit("setting", "company", "profile", before, c, "")
}

// CompanyReady reports whether the profile has been set up.
func CompanyReady(tx *book.Tx) bool { return exists(tx, bCompany, keyProfile) }
