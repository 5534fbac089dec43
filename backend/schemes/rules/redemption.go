package rules

import (
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Redemption is one scheme's benefit on one invoice line: what the
// distributor gave and claims back. A sales return writes a reversal: the
// same fields, negative, with Return naming the credit note.
type Redemption struct {
	Seq            uint64      `json:"seq,omitempty"`
	Scheme         string      `json:"scheme"`
	Invoice        string      `json:"invoice,omitempty"`
	Date           cal.Date    `json:"date,omitempty"`
	Outlet         string      `json:"outlet"`
	Line           int         `json:"line"`
	Item           string      `json:"item"`
	LineQty        money.Qty   `json:"line_qty"` // billed on the line: the base of a return's share
	DiscountPaise  money.Paise `json:"discount_paise"`
	FreeItem       string      `json:"free_item,omitempty"`
	FreeQty        money.Qty   `json:"free_qty"`
	FreeValuePaise money.Paise `json:"free_value_paise"`
	Return         string      `json:"return,omitempty"`
}

// CostPaise is what the redemption costs the scheme: discount plus the
// value of free goods.
func (r *Redemption) CostPaise() money.Paise { return r.DiscountPaise + r.FreeValuePaise }
