package dispatch

import (
	"encoding/json"
	"strconv"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// The trips' buckets, keys and encodings; nothing else in the package (or
// outside it) opens them.
const (
	bTrips  = "dispatch.trip"     // SeqKey(id) → Trip (JSON)
	bOnTrip = "dispatch.trip.inv" // invoice → id of the trip it is out on (decimal)
)

func tripKey(id int64) string { return book.SeqKey(uint64(id)) }

// GetTrip returns a trip by id.
func GetTrip(tx *book.Tx, id int64) (Trip, error) {
	var t Trip
	ok, err := tx.Bucket(bTrips).GetJSON(tripKey(id), &t)
	if err == nil && !ok {
		err = fail.NotFound("dispatch", strconv.FormatInt(id, 10))
	}
	return t, err
}

func nextTripID(tx *book.Tx) (int64, error) {
	seq, err := tx.Bucket(bTrips).NextSeq()
	return int64(seq), err
}

func putTrip(tx *book.Tx, t *Trip) error { return tx.Bucket(bTrips).PutJSON(tripKey(t.ID), t) }

// scanTrips calls fn with each trip in id order until it answers false.
func scanTrips(tx *book.Tx, fn func(t *Trip) (bool, error)) error {
	return tx.Bucket(bTrips).Scan("", func(_ string, v []byte) (bool, error) {
		var t Trip
		if err := json.Unmarshal(v, &t); err != nil {
			return false, err
		}
		return fn(&t)
	})
}

// onTrip is the trip an invoice is out on (0: none).
func onTrip(tx *book.Tx, invoice string) int64 {
	id, _ := strconv.ParseInt(string(tx.Bucket(bOnTrip).Get(invoice)), 10, 64)
	return id
}

func putOnTrip(tx *book.Tx, invoice string, trip int64) error {
	return tx.Bucket(bOnTrip).Put(invoice, []byte(strconv.FormatInt(trip, 10)))
}

func backFromTrip(tx *book.Tx, invoice string) error { return tx.Bucket(bOnTrip).Delete(invoice) }
