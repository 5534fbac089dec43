package importer

import (
	"fmt"
	"io"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/masters"
)

// exporters write a master's records in its import template's columns, in
// the Spec's field order, so an export imported again changes nothing.
var exporters = map[string]func(tx *book.Tx, today cal.Date, emit func(values ...any) error) error{
	"items": func(tx *book.Tx, today cal.Date, emit func(...any) error) error {
		its, err := masters.ListItems(tx, masters.ItemFilter{}, today)
		if err != nil {
			return err
		}
		for _, it := range its {
			if err := emit(it.Code, it.BrandCode, it.Name, it.Brand, it.Category, it.HSN, it.RateOn(today), it.MRPPaise,
				it.PricePaise, it.Unit, it.CaseSize, strings.Join(it.Barcodes, ", "), it.Active); err != nil {
				return err
			}
		}
		return nil
	},
	"outlets": func(tx *book.Tx, _ cal.Date, emit func(...any) error) error {
		os, err := masters.ListOutlets(tx, masters.OutletFilter{})
		if err != nil {
			return err
		}
		bs, err := masters.ListBeats(tx, "")
		if err != nil {
			return err
		}
		day := map[string]string{} // the Beat Day column: the beat's weekday, so a beat made by importing this file gets it
		for _, b := range bs {
			day[b.Code] = b.Weekday
		}
		for _, o := range os {
			if err := emit(o.Code, o.Name, o.Address, o.City, o.Pincode, o.StateCode, o.GSTIN, o.Channel, o.Beat, day[o.Beat], o.Salesman, o.Phone,
				o.CreditLimitPaise, o.CreditDays, o.CreditLimitBills, o.CreditLimitDays, o.CreditMode, o.TempCreditLimitPaise, o.TempCreditUntil, o.Active); err != nil {
				return err
			}
		}
		return nil
	},
	"beats": func(tx *book.Tx, _ cal.Date, emit func(...any) error) error {
		bs, err := masters.ListBeats(tx, "")
		if err != nil {
			return err
		}
		for _, b := range bs {
			if err := emit(b.Code, b.Name, b.Weekday); err != nil {
				return err
			}
		}
		return nil
	},
	"salesmen": func(tx *book.Tx, _ cal.Date, emit func(...any) error) error {
		ss, err := masters.ListSalesmen(tx, "")
		if err != nil {
			return err
		}
		for _, s := range ss {
			if err := emit(s.Code, s.Name, s.Phone, s.Active); err != nil {
				return err
			}
		}
		return nil
	},
}

// Exportable says whether a kind's records can be exported.
func Exportable(kind string) bool { return exporters[kind] != nil }

// Export writes the kind's records from the book as an .xlsx in its import
// template's columns (GST rates as in force on today) and says how many.
func Export(tx *book.Tx, kind string, today cal.Date, out io.Writer) (int, error) {
	k, err := Lookup(kind)
	if err != nil {
		return 0, err
	}
	ex := exporters[k.Name]
	if ex == nil {
		return 0, fmt.Errorf("%s cannot be exported: only items, outlets, beats and salesmen", k.Title)
	}
	cols := make([]excel.Column, len(k.Spec.Fields))
	for i, f := range k.Spec.Fields {
		cols[i] = excel.Column{Title: f.Name, Type: f.Type}
	}
	w := excel.NewExport(out, k.Spec.Kind, cols)
	if err := ex(tx, today, w.Row); err != nil {
		return 0, err
	}
	return w.Rows(), w.Close()
}
