package dispatch

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst/ewaybill"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// A trip is a dispatch: invoices loaded on one vehicle (its registration
// number, its driver) for a day. The e-way bills of its invoices above the
// threshold take the vehicle from it. When the van comes back, each invoice
// is delivered or returned undelivered; undelivered goods come back to
// stock on that day through billing.TakeBackUndelivered (a cancellation
// on the invoice's own day, otherwise a credit note).
//
// Always true: an invoice is on at most one trip that is still out; a trip
// comes back once, with a result for every one of its invoices, and the
// cancellations and credit notes are posted in the same transaction.

const (
	maxOnTrip = 300
)

// Trip statuses and invoice results.
const (
	TripOut      = "out"
	TripReturned = "returned"
	Delivered    = "delivered"
	Returned     = "returned"
)

// TripInvoice is one invoice on a trip.
type TripInvoice struct {
	Invoice    string      `json:"invoice"`
	Date       cal.Date    `json:"date"`
	Outlet     string      `json:"outlet"`
	OutletName string      `json:"outlet_name"`
	TotalPaise money.Paise `json:"total_paise"`
	EWayBill   bool        `json:"ewaybill"` // above the threshold: the van carries an e-way bill for it
	// On return:
	Result string `json:"result,omitempty"` // delivered, returned
	Reason string `json:"reason,omitempty"`
	Back   string `json:"back,omitempty"`     // cancelled, credit_note: how the goods came back
	Doc    string `json:"back_doc,omitempty"` // the invoice cancelled, or the credit note
}

// Trip is a dispatch.
type Trip struct {
	ID          int64         `json:"id"`
	Date        cal.Date      `json:"date"`
	Beat        string        `json:"beat,omitempty"`
	VehicleNo   string        `json:"vehicle_no"`
	Driver      string        `json:"driver"`
	DriverPhone string        `json:"driver_phone,omitempty"`
	DistanceKM  int           `json:"distance_km"`
	Status      string        `json:"status"`
	Invoices    []TripInvoice `json:"invoices"`
	TotalPaise  money.Paise   `json:"total_paise"`
	CreatedAt   time.Time     `json:"created_at"`
	CreatedBy   string        `json:"created_by"`
	ReturnedOn  cal.Date      `json:"returned_on,omitempty"`
	ReturnedBy  string        `json:"returned_by,omitempty"`
}

// TripInput puts invoices on a vehicle for a day: the invoices named, or
// with none named, every invoice of the beat that day not already out.
type TripInput struct {
	Date        cal.Date `json:"date"`
	Beat        string   `json:"beat,omitempty"`
	VehicleNo   string   `json:"vehicle_no"`
	Driver      string   `json:"driver"`
	DriverPhone string   `json:"driver_phone,omitempty"`
	DistanceKM  int      `json:"distance_km,omitempty"`
	Invoices    []string `json:"invoices,omitempty"`
}

// Drop is one invoice's result on return.
type Drop struct {
	Invoice string `json:"invoice"`
	Result  string `json:"result"` // delivered, returned
	Reason  string `json:"reason,omitempty"`
}

// ReturnInput is the van back: a result for each invoice.
type ReturnInput struct {
	Date     cal.Date `json:"date,omitempty"` // the day it came back (default today)
	Invoices []Drop   `json:"invoices"`
}

// TripNow is the clock for trips' times; tests may set it.
var TripNow = func() time.Time { return cal.Now().UTC() }

var phoneRe = regexp.MustCompile(`^[6-9][0-9]{9}$`)

// ParseTripID reads a trip id from a path.
func ParseTripID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, fail.NotFound("dispatch", s)
	}
	return id, nil
}

// CreateTrip puts invoices on a vehicle for a day.
func CreateTrip(tx *book.Tx, in TripInput) (Trip, error) {
	if in.Date == "" || !in.Date.Valid() {
		return Trip{}, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", in.Date)
	}
	v := ewaybill.Dispatch{VehicleNo: in.VehicleNo, Distance: in.DistanceKM}
	if err := v.Check(); err != nil {
		if e, ok := fail.As(err); ok && e.Field == "vehicle" {
			return Trip{}, fail.Invalid("vehicle_no", "%q is not a vehicle registration number (e.g. KA05AB1234)", in.VehicleNo)
		}
		return Trip{}, fail.Invalid("distance_km", "must be 0–4000 km (0: the e-way bill portal computes it from the PINs)")
	}
	in.Driver, in.DriverPhone = strings.TrimSpace(in.Driver), strings.TrimSpace(in.DriverPhone)
	switch {
	case in.Driver == "" || len(in.Driver) > 60:
		return Trip{}, fail.Invalid("driver", "give the driver's name (at most 60 characters)")
	case in.DriverPhone != "" && !phoneRe.MatchString(in.DriverPhone):
		return Trip{}, fail.Invalid("driver_phone", "%q is not a 10-digit mobile number", in.DriverPhone)
	case len(in.Invoices) > maxOnTrip:
		return Trip{}, fail.Invalid("invoices", "at most %d invoices on one vehicle", maxOnTrip)
	}
	co, err := masters.GetCompany(tx)
	if err != nil {
		return Trip{}, err
	}
	t := Trip{Date: in.Date, VehicleNo: v.VehicleNo, Driver: in.Driver, DriverPhone: in.DriverPhone, DistanceKM: v.Distance,
		Status: TripOut, Invoices: []TripInvoice{}, CreatedAt: TripNow(), CreatedBy: tx.Actor.User}
	numbers := in.Invoices
	if len(numbers) == 0 {
		if strings.TrimSpace(in.Beat) == "" {
			return Trip{}, fail.Invalid("invoices", "name the invoices to load, or a beat to load its day's invoices")
		}
		b, invs, err := beatInvoices(tx, in.Date, in.Beat)
		if err != nil {
			return Trip{}, err
		}
		t.Beat = b.Code
		for _, inv := range invs {
			if onTrip(tx, inv.Number) == 0 {
				numbers = append(numbers, inv.Number)
			}
		}
		if len(numbers) == 0 {
			return Trip{}, fail.Invalid("beat", "beat %s has no invoices of %s left to load", b.Code, in.Date.Display())
		}
	} else if strings.TrimSpace(in.Beat) != "" {
		b, err := masters.GetBeat(tx, masters.NormalizeCode(in.Beat))
		if err != nil {
			return Trip{}, err
		}
		t.Beat = b.Code
	}
	seen := map[string]bool{}
	for i, n := range numbers {
		field := fmt.Sprintf("invoices[%d]", i)
		n = strings.ToUpper(strings.TrimSpace(n))
		if seen[n] {
			return Trip{}, fail.Invalid(field, "invoice %s is named twice", n)
		}
		seen[n] = true
		inv, err := billing.GetInvoice(tx, n)
		if fail.Is(err, fail.KindNotFound) {
			return Trip{}, fail.Invalid(field, "invoice %s does not exist", n)
		}
		if err != nil {
			return Trip{}, err
		}
		switch {
		case !inv.Counts():
			return Trip{}, fail.Invalid(field, "invoice %s is cancelled: its goods do not go out", n)
		case inv.Date > in.Date:
			return Trip{}, fail.Invalid(field, "invoice %s is of %s, after the dispatch's day", n, inv.Date.Display())
		}
		if id := onTrip(tx, n); id != 0 {
			return Trip{}, fail.Conflict(field, "invoice %s is already out on dispatch %d", n, id)
		}
		t.Invoices = append(t.Invoices, TripInvoice{Invoice: inv.Number, Date: inv.Date, Outlet: inv.Outlet, OutletName: inv.OutletName,
			TotalPaise: inv.TotalPaise, EWayBill: ewaybill.Needed(co, &inv)})
		t.TotalPaise += inv.TotalPaise
	}
	sort.SliceStable(t.Invoices, func(i, j int) bool {
		if t.Invoices[i].Outlet != t.Invoices[j].Outlet {
			return t.Invoices[i].Outlet < t.Invoices[j].Outlet
		}
		return t.Invoices[i].Invoice < t.Invoices[j].Invoice
	})
	id, err := nextTripID(tx)
	if err != nil {
		return Trip{}, err
	}
	t.ID = id
	for _, ti := range t.Invoices {
		if err := putOnTrip(tx, ti.Invoice, t.ID); err != nil {
			return Trip{}, err
		}
	}
	if err := putTrip(tx, &t); err != nil {
		return Trip{}, err
	}
	return t, tx.Audit("create", "dispatch", strconv.FormatInt(t.ID, 10), nil, map[string]any{"date": t.Date, "vehicle_no": t.VehicleNo, "driver": t.Driver,
		"invoices": len(t.Invoices), "total_paise": t.TotalPaise}, "")
}

// ReturnTrip records the van back on a day: every invoice delivered or
// returned, the returned ones' goods back to stock (TakeBackUndelivered),
// all in the caller's transaction. mayCancel says whether an invoice may
// be cancelled (the caller knows about IRNs).
func ReturnTrip(tx *book.Tx, id int64, in ReturnInput, mayCancel func(invoice string) bool) (Trip, error) {
	t, err := GetTrip(tx, id)
	if err != nil {
		return t, err
	}
	if t.Status != TripOut {
		return t, fail.Conflict("id", "dispatch %d came back on %s", t.ID, t.ReturnedOn.Display())
	}
	if in.Date == "" || !in.Date.Valid() {
		return t, fail.Invalid("date", "%q is not a date (YYYY-MM-DD)", in.Date)
	}
	if in.Date < t.Date {
		return t, fail.Invalid("date", "the dispatch went out on %s: it cannot come back before", t.Date.Display())
	}
	at := map[string]int{}
	for i := range t.Invoices {
		at[t.Invoices[i].Invoice] = i
	}
	done := map[string]bool{}
	for i, d := range in.Invoices {
		field := func(f string) string { return fmt.Sprintf("invoices[%d].%s", i, f) }
		n := strings.ToUpper(strings.TrimSpace(d.Invoice))
		k, ok := at[n]
		if !ok {
			return t, fail.Invalid(field("invoice"), "invoice %q is not on dispatch %d", d.Invoice, t.ID)
		}
		if done[n] {
			return t, fail.Invalid(field("invoice"), "invoice %s is given twice", n)
		}
		done[n] = true
		ti := &t.Invoices[k]
		d.Reason = strings.TrimSpace(d.Reason)
		if len(d.Reason) > 200 {
			return t, fail.Invalid(field("reason"), "at most 200 characters")
		}
		switch strings.ToLower(strings.TrimSpace(d.Result)) {
		case Delivered:
			ti.Result = Delivered
		case Returned:
			if d.Reason == "" {
				d.Reason = "returned undelivered"
			}
			ti.Result, ti.Reason = Returned, d.Reason
			how, doc, err := billing.TakeBackUndelivered(tx, ti.Invoice, in.Date, "undelivered (dispatch "+strconv.FormatInt(t.ID, 10)+"): "+d.Reason,
				mayCancel != nil && mayCancel(ti.Invoice))
			if err != nil {
				return t, fail.Prefix(fmt.Sprintf("invoices[%d]", i), err)
			}
			ti.Back, ti.Doc = how, doc
		default:
			return t, fail.Invalid(field("result"), "%q: use delivered or returned", d.Result)
		}
	}
	for _, ti := range t.Invoices {
		if !done[ti.Invoice] {
			return t, fail.Invalid("invoices", "say whether invoice %s was delivered or returned", ti.Invoice)
		}
		if err := backFromTrip(tx, ti.Invoice); err != nil {
			return t, err
		}
	}
	t.Status, t.ReturnedOn, t.ReturnedBy = TripReturned, in.Date, tx.Actor.User
	if err := putTrip(tx, &t); err != nil {
		return t, err
	}
	returned := 0
	for _, ti := range t.Invoices {
		if ti.Result == Returned {
			returned++
		}
	}
	return t, tx.Audit("return", "dispatch", strconv.FormatInt(t.ID, 10), nil, map[string]any{"returned_on": t.ReturnedOn,
		"delivered": len(t.Invoices) - returned, "returned": returned}, "")
}

// TripFilter narrows the list of trips.
type TripFilter struct {
	From, To cal.Date
	Status   string
}

// ListTrips returns the trips of a filter, oldest first, without their
// invoices' lists.
func ListTrips(tx *book.Tx, f TripFilter) ([]Trip, error) {
	if f.Status != "" && f.Status != TripOut && f.Status != TripReturned {
		return nil, fail.Invalid("status", "use out or returned")
	}
	out := []Trip{}
	err := scanTrips(tx, func(t *Trip) (bool, error) {
		if (f.From == "" || t.Date >= f.From) && (f.To == "" || t.Date <= f.To) && (f.Status == "" || t.Status == f.Status) {
			out = append(out, *t)
		}
		return true, nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, err
}

// TripEWayBills makes the e-way bills of a trip's invoices above the
// threshold, with the trip's vehicle and distance.
func TripEWayBills(tx *book.Tx, id int64) (*ewaybill.File, error) {
	t, err := GetTrip(tx, id)
	if err != nil {
		return nil, err
	}
	f := &ewaybill.File{Version: ewaybill.Version, BillLists: []ewaybill.Bill{}}
	for _, ti := range t.Invoices {
		if !ti.EWayBill || ti.Back == billing.BackByCancel {
			continue
		}
		one, err := ewaybill.ForInvoice(tx, ti.Invoice, ewaybill.Dispatch{VehicleNo: t.VehicleNo, Distance: t.DistanceKM})
		if err != nil {
			return nil, err
		}
		f.BillLists = append(f.BillLists, one.BillLists...)
	}
	return f, nil
}
