package app

import (
	"vitaran/backend/book"
	"vitaran/backend/gst/einvoice"
)

func init() { routeGroups = append(routeGroups, (*App).gstRoutes) }

// gstRoutes: the e-invoice JSON of a document, the IRN queue, e-way bills
// and GSTR-1. The rules live in backend/gst and its subpackages.
func (a *App) gstRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/invoices/{number}/einvoice", Roles: anyone, Do: func(c *Call) (any, error) {
			return read(a, func(tx *book.Tx) (*einvoice.Document, error) { return einvoice.ForInvoice(tx, c.Param("number")) })
		}},
		{Method: "GET", Path: "/api/returns/{number}/einvoice", Roles: anyone, Do: func(c *Call) (any, error) {
			return read(a, func(tx *book.Tx) (*einvoice.Document, error) { return einvoice.ForCreditNote(tx, c.Param("number")) })
		}},
	}
}
