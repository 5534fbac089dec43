package headoffice

import (
	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// A batch's rollup cells are summed in memory, then merged into the stored
// days (and months, month.go) in the ingest's own transaction; store.go
// keeps them packed one key per scope and day.

var allRollups = []Rollup{RollSalesDist, RollSalesBeat, RollSalesOutlet, RollSalesSalesman, RollSalesSKU, RollPrimaryDist, RollPrimarySKU, RollStockDist, RollScheme}

// cell is one rollup cell of a batch: a day and its dim. Outlet cells keep
// beat and outlet apart until they are written, so adding a line builds no
// strings.
type cell struct {
	day       cal.Date
	dim, dim2 string
}

func (c cell) key() string {
	if c.dim2 != "" {
		return c.dim + sep + c.dim2
	}
	return c.dim
}

// rollups collects a batch's rollup cells in memory before one merge.
type rollups map[Rollup]map[cell]*Sum

func (r rollups) add(name Rollup, c cell, s Sum) {
	m := r[name]
	if m == nil {
		m = map[cell]*Sum{}
		r[name] = m
	}
	if p := m[c]; p != nil {
		p.Add(s)
		return
	}
	v := s
	m[c] = &v
}

// mergeRollups adds the batch's cells into the stored days: one Get and one
// Put per rollup, distributor and day touched.
func mergeRollups(tx *book.Tx, code string, r rollups) error {
	return mergeCells(tx, dayCells, code, r)
}
