package app

import (
	"context"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/dispatch"
	"vitaran/backend/gst/ewaybill"
	"vitaran/backend/gst/irp"
)

// CreateTrip puts invoices on a vehicle for a day: a dispatch.
func (a *App) CreateTrip(ctx context.Context, in dispatch.TripInput) (dispatch.Trip, error) {
	return post(a, ctx, func(tx *book.Tx) (dispatch.Trip, error) {
		if in.Date != "" && in.Date.Valid() {
			if err := billing.CheckDate(tx, "date", in.Date, a.Today(), false); err != nil {
				return dispatch.Trip{}, err
			}
		}
		return dispatch.CreateTrip(tx, in)
	})
}

// Trip returns a dispatch.
func (a *App) Trip(id int64) (dispatch.Trip, error) {
	return read(a, func(tx *book.Tx) (dispatch.Trip, error) { return dispatch.GetTrip(tx, id) })
}

// ReturnTrip records a dispatch back: each invoice delivered or returned,
// the returned goods back to stock by a cancellation (the invoice's own
// day, no IRN) or a credit note.
func (a *App) ReturnTrip(ctx context.Context, id int64, in dispatch.ReturnInput) (dispatch.Trip, error) {
	if in.Date == "" {
		in.Date = a.Today()
	}
	return post(a, ctx, func(tx *book.Tx) (dispatch.Trip, error) {
		if err := a.dated(ctx, tx, billing.KindSalesReturn, "", in.Date, false); err != nil {
			return dispatch.Trip{}, err
		}
		noIRN := func(number string) bool {
			_, has, err := irp.Get(tx, billing.KindInvoice, number)
			return err == nil && !has
		}
		return dispatch.ReturnTrip(tx, id, in, noIRN)
	})
}

// TripPage lists dispatches, newest first.
func (a *App) TripPage(f dispatch.TripFilter, p Paging) (ListPage[dispatch.Trip], error) {
	all, err := read(a, func(tx *book.Tx) ([]dispatch.Trip, error) { return dispatch.ListTrips(tx, f) })
	if err != nil {
		return ListPage[dispatch.Trip]{}, err
	}
	t := map[string]int64{"invoices": 0, "total_paise": 0, "out": 0}
	for _, x := range all {
		t["invoices"] += int64(len(x.Invoices))
		t["total_paise"] += int64(x.TotalPaise)
		if x.Status == dispatch.TripOut {
			t["out"]++
		}
	}
	return pageOf(all, p, t), nil
}

// tripID is the trip named in the path.
func tripID(c *Call) (int64, error) { return dispatch.ParseTripID(c.Param("id")) }

// postDispatchTrips answers POST /api/dispatch/trips.
func (a *App) postDispatchTrips(c *Call) (any, error) {
	var in dispatch.TripInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	t, err := a.CreateTrip(c.Ctx, in)
	return Created{t}, err
}

// getDispatchTrips answers GET /api/dispatch/trips.
func (a *App) getDispatchTrips(c *Call) (any, error) {
	var f dispatch.TripFilter
	from, to, p, err := periodPaging(c)
	if err != nil {
		return nil, err
	}
	f.From, f.To = from, to
	f.Status = c.Query("status")
	return a.TripPage(f, p)
}

// getDispatchTripsId answers GET /api/dispatch/trips/{id}.
func (a *App) getDispatchTripsId(c *Call) (any, error) {
	id, err := tripID(c)
	if err != nil {
		return nil, err
	}
	return a.Trip(id)
}

// getDispatchTripsIdEwaybill answers GET /api/dispatch/trips/{id}/ewaybill.
func (a *App) getDispatchTripsIdEwaybill(c *Call) (any, error) {
	id, err := tripID(c)
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (*ewaybill.File, error) { return dispatch.TripEWayBills(tx, id) })
}

// postDispatchTripsIdReturn answers POST /api/dispatch/trips/{id}/return.
func (a *App) postDispatchTripsIdReturn(c *Call) (any, error) {
	id, err := tripID(c)
	if err != nil {
		return nil, err
	}
	var in dispatch.ReturnInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.ReturnTrip(c.Ctx, id, in)
}
