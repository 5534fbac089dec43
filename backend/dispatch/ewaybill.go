package dispatch

import (
	"strings"

	"vitaran/backend/book"
)

// TripOf returns the trip an invoice is out on (ok false when none): the
// e-way bill screen takes the vehicle and distance from it, so the clerk
// types them once per dispatch.
func TripOf(tx *book.Tx, invoice string) (Trip, bool, error) {
	id := onTrip(tx, strings.ToUpper(strings.TrimSpace(invoice)))
	if id == 0 {
		return Trip{}, false, nil
	}
	t, err := GetTrip(tx, id)
	return t, err == nil, err
}
