package app

import (
	"bytes"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/dispatch"
	"vitaran/backend/fail"
)

func init() { routeGroups = append(routeGroups, (*App).dispatchRoutes) }

// LoadingSheet is a beat's loading sheet for a day.
func (a *App) LoadingSheet(date cal.Date, beat string) (*dispatch.LoadingSheet, error) {
	return read(a, func(tx *book.Tx) (*dispatch.LoadingSheet, error) { return dispatch.Loading(tx, date, beat) })
}

// DeliverySheet is a beat's delivery sheet for a day.
func (a *App) DeliverySheet(date cal.Date, beat string) (*dispatch.DeliverySheet, error) {
	return read(a, func(tx *book.Tx) (*dispatch.DeliverySheet, error) { return dispatch.Delivery(tx, date, beat) })
}

func (a *App) dispatchRoutes() []Route {
	sheet := func(kind string, build func(cal.Date, string) (any, error), export func(any, *bytes.Buffer) error) func(c *Call) (any, error) {
		return func(c *Call) (any, error) {
			date, beat := cal.Date(c.Query("date")), c.Query("beat")
			format := c.Query("format")
			if format != "" && format != "json" && format != "xlsx" {
				return nil, fail.Invalid("format", "use json or xlsx")
			}
			s, err := build(date, beat)
			if err != nil {
				return nil, err
			}
			if format != "xlsx" {
				return s, nil
			}
			var buf bytes.Buffer
			if err := export(s, &buf); err != nil {
				return nil, err
			}
			return File{Name: dispatch.FileName(kind, beat, date), ContentType: sheetType, Body: buf.Bytes()}, nil
		}
	}
	return []Route{
		{Method: "GET", Path: "/api/dispatch/loading-sheet", Roles: anyone, Do: sheet("loading-sheet",
			func(d cal.Date, b string) (any, error) { return a.LoadingSheet(d, b) },
			func(s any, w *bytes.Buffer) error { return dispatch.ExportLoading(s.(*dispatch.LoadingSheet), w) })},
		{Method: "GET", Path: "/api/dispatch/delivery-sheet", Roles: anyone, Do: sheet("delivery-sheet",
			func(d cal.Date, b string) (any, error) { return a.DeliverySheet(d, b) },
			func(s any, w *bytes.Buffer) error { return dispatch.ExportDelivery(s.(*dispatch.DeliverySheet), w) })},
	}
}
