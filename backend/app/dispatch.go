package app

import (
	"bytes"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/dispatch"
	"vitaran/backend/fail"
)

// LoadingSheet is a beat's loading sheet for a day.
func (a *App) LoadingSheet(date cal.Date, beat string) (*dispatch.LoadingSheet, error) {
	return read(a, func(tx *book.Tx) (*dispatch.LoadingSheet, error) { return dispatch.Loading(tx, date, beat) })
}

// DeliverySheet is a beat's delivery sheet for a day.
func (a *App) DeliverySheet(date cal.Date, beat string) (*dispatch.DeliverySheet, error) {
	return read(a, func(tx *book.Tx) (*dispatch.DeliverySheet, error) { return dispatch.Delivery(tx, date, beat) })
}

// dispatchSheet answers a day's sheet for a beat, as JSON or as a workbook.
func dispatchSheet(c *Call, kind string, build func(cal.Date, string) (any, error), export func(any, *bytes.Buffer) error) (any, error) {
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

// getLoadingSheet answers GET /api/dispatch/loading-sheet.
func (a *App) getLoadingSheet(c *Call) (any, error) {
	return dispatchSheet(c, "loading-sheet",
		func(d cal.Date, b string) (any, error) { return a.LoadingSheet(d, b) },
		func(s any, w *bytes.Buffer) error { return dispatch.ExportLoading(s.(*dispatch.LoadingSheet), w) })
}

// getDeliverySheet answers GET /api/dispatch/delivery-sheet.
func (a *App) getDeliverySheet(c *Call) (any, error) {
	return dispatchSheet(c, "delivery-sheet",
		func(d cal.Date, b string) (any, error) { return a.DeliverySheet(d, b) },
		func(s any, w *bytes.Buffer) error { return dispatch.ExportDelivery(s.(*dispatch.DeliverySheet), w) })
}
