package app

import (
	"bytes"

	"vitaran/backend/book"
	"vitaran/backend/importer"
)

func init() { routeGroups = append(routeGroups, (*App).mastersExportRoutes) }

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

func (a *App) mastersExportRoutes() []Route {
	var out []Route
	// The literal last segment is more specific than /api/items/{code}, so
	// net/http's mux sends it here; codes are stored upper-case, so an item
	// coded EXPORT.XLSX is still read as /api/items/EXPORT.XLSX.
	for _, kind := range []string{"items", "outlets", "beats", "salesmen"} {
		out = append(out, Route{Method: "GET", Path: "/api/" + kind + "/export.xlsx", Roles: anyone, Do: func(c *Call) (any, error) {
			return a.ExportMasters(kind)
		}})
	}
	return out
}
