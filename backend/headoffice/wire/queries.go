package wire

import (
	"crypto/rand"
	"encoding/hex"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// NumbersPath is where a distributor asks head office, signed like an
// upload, for the last document number it holds of each series: a book
// restored with nothing to compare with resumes above them.
const NumbersPath = "/upload/v1/numbers"

// NumbersAnswer is head office's answer: series ("SI/26-27") → the last
// number it holds, from the sales lines dated since.
type NumbersAnswer struct {
	DistributorCode string            `json:"distributor_code"`
	Since           cal.Date          `json:"since"`
	Last            map[string]uint64 `json:"last"`
}

// TotalsPath is where a distributor asks head office, signed like an
// upload, what it holds of the distributor's secondary sales per day and
// outlet and per day and SKU: the very cells its dashboard sums. `vitaran
// check --cross` compares them with the book and Tally.
const TotalsPath = "/upload/v1/totals"

// MaxTotalsDays bounds one question's period.
const MaxTotalsDays = 366

// TotalsCell is one day's sales of one outlet (Key: outlet code) or one SKU
// (Key: the brand's SKU code), net of returns and cancellations; in
// Returns, one day's credit-note lines of one outlet (Key) and one SKU
// (SKU), positive as returned; in Primary, one day's goods received of
// one SKU (Key), net of purchase returns.
type TotalsCell struct {
	Day      cal.Date    `json:"day"`
	Key      string      `json:"key"`
	SKU      string      `json:"sku,omitempty"`
	Lines    int64       `json:"lines"`
	Invoices int64       `json:"invoices,omitempty"` // outlets only: an invoice has many SKUs
	Qty      money.Qty   `json:"qty"`
	FreeQty  money.Qty   `json:"free_qty"`
	Taxable  money.Paise `json:"taxable_paise"`
	Tax      money.Paise `json:"tax_paise"`
}

// TotalsAnswer is head office's answer to a totals question.
type TotalsAnswer struct {
	DistributorCode string       `json:"distributor_code"`
	From            cal.Date     `json:"from"`
	To              cal.Date     `json:"to"`
	Outlets         []TotalsCell `json:"outlets"`
	SKUs            []TotalsCell `json:"skus"`
	// Holds names what else the answer carries (TotalsReturns,
	// TotalsPrimary, TotalsStock); a receiver built before them names
	// none, and the cross-check then says head office was not asked.
	Holds   []string     `json:"holds,omitempty"`
	Returns []TotalsCell `json:"returns,omitempty"`
	Primary []TotalsCell `json:"primary,omitempty"`
	// StockDay is the day of the last stock statement on or before To
	// ("" when none); Stock is that statement's closing per SKU.
	StockDay cal.Date    `json:"stock_day,omitempty"`
	Stock    []StockCell `json:"stock,omitempty"`
}

// What a totals answer may hold besides the sales cells.
const (
	TotalsReturns = "returns"
	TotalsPrimary = "primary"
	TotalsStock   = "stock"
)

// StockCell is one SKU's closing stock in a stock statement.
type StockCell struct {
	SKU          string      `json:"sku"`
	Closing      money.Qty   `json:"closing"`
	ClosingValue money.Paise `json:"closing_value_paise"`
}

// NewKey makes a distributor key: 32 random bytes as 64 hex digits.
func NewKey() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("wire: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
