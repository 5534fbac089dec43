package app

import (
	"bytes"
	"context"
	"io"
	"math"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/reports"
)

// ReportInfo names a report and its columns for the reports screen.
type ReportInfo struct {
	Name    string           `json:"name"`
	Title   string           `json:"title"`
	Period  bool             `json:"period"` // needs from and to; otherwise as_of
	Columns []reports.Column `json:"columns"`
}

// ReportParams is a report's period, as-of day, filters and sort.
type ReportParams = reports.Params

// Reports lists the reports.
func (a *App) Reports() []ReportInfo { return AllReports() }

// AllReports lists the reports, their titles and columns: what GET
// /api/reports answers and `vitaran export --list` prints, with no book
// open.
func AllReports() []ReportInfo {
	out := []ReportInfo{}
	for _, d := range reports.All() {
		out = append(out, ReportInfo{d.Name, d.Title, d.Period, d.Columns})
	}
	return out
}

// Report runs one report for the screen.
func (a *App) Report(name string, p reports.Params) (*reports.Report, error) {
	return read(a, func(tx *book.Tx) (*reports.Report, error) { return reports.Run(tx, name, p) })
}

// ExportReport writes one report as an .xlsx; progress goes out as task
// "export".
func (a *App) ExportReport(ctx context.Context, name string, p reports.Params) (File, error) {
	var buf bytes.Buffer
	if _, err := a.ExportReportTo(ctx, name, p, &buf); err != nil {
		return File{}, err
	}
	return File{Name: reports.FileName(name, p), ContentType: sheetType, Body: buf.Bytes()}, nil
}

// ExportReportTo streams one report as an .xlsx into w (`vitaran export`
// writes a file of any size this way) and answers how many rows it wrote;
// progress goes out as task "export".
func (a *App) ExportReportTo(ctx context.Context, name string, p reports.Params, w io.Writer) (int, error) {
	tick := a.progress(ctx, "export")
	var n int
	err := a.view(func(tx *book.Tx) error {
		var err error
		n, err = reports.Export(tx, name, p, w, func(rows int) { tick(rows, 0, "rows written") })
		tick(n, n, "done")
		return err
	})
	return n, err
}

// reportParams reads from, to, as_of, sort (a column key, "-key" for
// descending), limit, offset, order (newest or oldest, for the registers),
// and every other query value as a column filter.
func reportParams(c *Call, today cal.Date) (reports.Params, error) {
	q := c.R.URL.Query()
	p := reports.Params{From: cal.Date(c.Query("from")), To: cal.Date(c.Query("to")), AsOf: cal.Date(c.Query("as_of")), Filters: map[string]string{}}
	if p.AsOf == "" && p.To == "" {
		p.AsOf = today
	}
	if s := c.Query("sort"); s != "" {
		p.Sort, p.Desc = strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-") || c.Query("desc") == "1"
	}
	var err error
	if p.Limit, err = queryInt(c, "limit", 0, 0, math.MaxInt, "must be a whole number"); err != nil {
		return p, err
	}
	if p.Offset, err = queryInt(c, "offset", 0, 0, math.MaxInt, "must be a whole number, 0 or more"); err != nil {
		return p, err
	}
	if p.Oldest, err = queryOldest(c); err != nil {
		return p, err
	}
	for k, v := range q {
		switch k {
		case "from", "to", "as_of", "sort", "desc", "limit", "offset", "order", "format":
			continue
		}
		if len(v) > 0 && strings.TrimSpace(v[0]) != "" {
			p.Filters[k] = strings.TrimSpace(v[0])
		}
	}
	return p, nil
}

// getReports answers GET /api/reports.
func (a *App) getReports(c *Call) (any, error) {
	return a.Reports(), nil
}

// getReportsName answers GET /api/reports/{name}.
func (a *App) getReportsName(c *Call) (any, error) {
	p, err := reportParams(c, a.Today())
	if err != nil {
		return nil, err
	}
	switch c.Query("format") {
	case "", "json":
		return a.Report(c.Param("name"), p)
	case "xlsx":
		return a.ExportReport(c.Ctx, c.Param("name"), p)
	}
	return nil, fail.Invalid("format", "use json or xlsx")
}
