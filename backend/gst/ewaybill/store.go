package ewaybill

import (
	"strings"

	"vitaran/backend/book"
)

// bRecords holds the e-way bill the portal gave each invoice: invoice
// number (upper case) → Record (JSON). Only this file opens it.
const bRecords = "ewaybill.records"

// GetRecord returns an invoice's e-way bill (ok false when none is recorded).
func GetRecord(tx *book.Tx, invoice string) (Record, bool, error) {
	var r Record
	ok, err := tx.Bucket(bRecords).GetJSON(strings.ToUpper(invoice), &r)
	return r, ok, err
}

func putRecord(tx *book.Tx, r *Record) error { return tx.Bucket(bRecords).PutJSON(r.Invoice, r) }
