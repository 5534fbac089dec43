package app

import (
	"bytes"

	"vitaran/backend/book"
	"vitaran/backend/importer"
)

// ExportMasters writes a master list (items, outlets, beats, salesmen) as
// an .xlsx in its import template's columns: edit it and import it back.
func (a *App) ExportMasters(kind string) (File, error) {
	var buf bytes.Buffer
	today := a.Today()
	err := a.view(func(tx *book.Tx) error {
		_, err := importer.Export(tx, kind, today, &buf)
		return err
	})
	if err != nil {
		return File{}, err
	}
	return File{Name: kind + "_" + today.Compact() + ".xlsx", ContentType: sheetType, Body: buf.Bytes()}, nil
}

// exportMasters answers GET /api/{kind}/export.xlsx. The literal last
// segment is more specific than /api/items/{code}, so net/http's mux sends it
// here; codes are stored upper-case, so an item coded EXPORT.XLSX is still
// read as /api/items/EXPORT.XLSX.
func (a *App) exportMasters(kind string) func(c *Call) (any, error) {
	return func(c *Call) (any, error) { return a.ExportMasters(kind) }
}
