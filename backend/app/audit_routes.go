package app

import (
	"bytes"
	"strconv"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/excel"
	"vitaran/backend/fail"
)

// The audit trail's viewer and export. There is deliberately no route that
// changes or deletes an entry, and none that switches the log off: the book
// only appends to it (the edit-log rule for Indian companies' accounting
// software). routes_walk_test.go proves it for every registered route.

// AuditFilter selects audit entries; empty fields match everything.
type AuditFilter struct {
	From, To cal.Date // inclusive, IST
	User     string
	Kind     string
	Action   string
	Q        string // words anywhere in key, note, before or after
	After    uint64 // entries with a larger sequence, oldest first (paging by cursor)
	Limit    int
	Offset   int  // entries to skip (paging by offset)
	Oldest   bool // oldest first; the default is newest first (after= implies oldest)
}

// AuditPage is one page of the audit trail, newest first unless the filter
// asks for oldest first. Total counts every entry the filter matches.
type AuditPage struct {
	Entries   []book.AuditEntry `json:"entries"`
	Total     int               `json:"total"`
	Offset    int               `json:"offset"`
	Limit     int               `json:"limit"`
	Order     string            `json:"order"`      // newest or oldest
	NextAfter uint64            `json:"next_after"` // oldest first: pass as after= for the next page
	More      bool              `json:"more"`
}

const (
	auditPage    = 200
	auditMaxPage = 1000
	auditMaxRows = 1_000_000 // one sheet holds 1,048,576 rows
)

func (f AuditFilter) keep(e *book.AuditEntry) bool {
	day := cal.Of(e.At.In(cal.IST))
	if (f.From != "" && day < f.From) || (f.To != "" && day > f.To) {
		return false
	}
	if (f.User != "" && !strings.EqualFold(e.User, f.User)) || (f.Kind != "" && !strings.EqualFold(e.Kind, f.Kind)) ||
		(f.Action != "" && !strings.EqualFold(e.Action, f.Action)) {
		return false
	}
	if f.Q != "" {
		hay := strings.ToLower(e.Key + "\x00" + e.Note + "\x00" + string(e.Before) + "\x00" + string(e.After) + "\x00" + e.From)
		for _, w := range strings.Fields(strings.ToLower(f.Q)) {
			if !strings.Contains(hay, w) {
				return false
			}
		}
	}
	return true
}

// Audit returns a page of the audit trail: every matching entry is counted
// (Total), the page holds Limit of them from Offset (after After, when
// given, oldest first).
func (a *App) Audit(f AuditFilter) (AuditPage, error) {
	if f.Limit <= 0 {
		f.Limit = auditPage
	}
	oldest := f.Oldest || f.After > 0
	p := AuditPage{Entries: []book.AuditEntry{}, NextAfter: f.After, Offset: f.Offset, Limit: f.Limit, Order: "newest"}
	if oldest {
		p.Order = "oldest"
	}
	seen := 0 // entries matched by the filter before the cursor
	err := a.view(func(tx *book.Tx) error {
		// The total counts the whole filter, before the cursor too.
		if f.After > 0 {
			if err := tx.AuditEach(0, false, func(e *book.AuditEntry) (bool, error) {
				if e.Seq > f.After {
					return false, nil
				}
				if f.keep(e) {
					seen++
				}
				return true, nil
			}); err != nil {
				return err
			}
		}
		n := 0 // matched after the cursor
		err := tx.AuditEach(f.After, !oldest, func(e *book.AuditEntry) (bool, error) {
			if !f.keep(e) {
				return true, nil
			}
			if n >= f.Offset && len(p.Entries) < f.Limit {
				p.Entries = append(p.Entries, *e)
			}
			n++
			return true, nil
		})
		p.Total = seen + n
		p.More = n > f.Offset+len(p.Entries)
		return err
	})
	if err != nil {
		return p, err
	}
	if !oldest {
		p.NextAfter = 0
	} else if k := len(p.Entries); k > 0 {
		p.NextAfter = p.Entries[k-1].Seq
	}
	return p, nil
}

func auditFilterOf(c *Call, maxLimit int) (AuditFilter, error) {
	f := AuditFilter{User: c.Query("user"), Kind: c.Query("kind"), Action: c.Query("action"), Q: c.Query("q")}
	for _, d := range []struct {
		name string
		to   *cal.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := c.Query(d.name); v != "" {
			x, err := cal.Parse(v)
			if err != nil {
				return f, fail.Invalid(d.name, "%v", err)
			}
			*d.to = x
		}
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		return f, fail.Invalid("to", "is before from")
	}
	if v := c.Query("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return f, fail.Invalid("after", "must be an entry's seq (a whole number)")
		}
		f.After, f.Oldest = n, true // a cursor reads oldest first
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return f, fail.Invalid("limit", "must be 1–%d", maxLimit)
		}
		f.Limit = n
	}
	if v := c.Query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, fail.Invalid("offset", "must be a whole number, 0 or more")
		}
		f.Offset = n
	}
	switch c.Query("order") {
	case "", "newest":
	case "oldest":
		f.Oldest = true
	default:
		return f, fail.Invalid("order", "use newest or oldest")
	}
	return f, nil
}

// auditColumns is the export's header row.
var auditColumns = []excel.Column{
	{Title: "Seq", Type: excel.Int, Width: 8}, {Title: "When (IST)", Width: 20}, {Title: "User", Width: 12},
	{Title: "Role", Width: 10}, {Title: "From", Width: 16}, {Title: "Action", Width: 14}, {Title: "Kind", Width: 12},
	{Title: "Key", Width: 22}, {Title: "Before", Width: 50}, {Title: "After", Width: 50}, {Title: "Note", Width: 40},
}

// cellText keeps a value inside Excel's 32,767-character cell limit.
func cellText(s string) string {
	const max = 32000
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// AuditExport writes the filtered audit trail as an .xlsx workbook.
func (a *App) AuditExport(f AuditFilter) (File, error) {
	f.Limit, f.Offset, f.Oldest = auditMaxRows, 0, true // the sheet reads in order
	p, err := a.Audit(f)
	if err != nil {
		return File{}, err
	}
	if p.More {
		return File{}, fail.Invalid("from", "more than %d entries: narrow the dates", auditMaxRows)
	}
	var buf bytes.Buffer
	w := excel.NewExport(&buf, "Audit trail", auditColumns)
	for _, e := range p.Entries {
		if err := w.Row(int64(e.Seq), e.At.In(cal.IST).Format("02-01-2006 15:04:05"), e.User, e.Role, e.From, e.Action, e.Kind,
			cellText(e.Key), cellText(string(e.Before)), cellText(string(e.After)), cellText(e.Note)); err != nil {
			return File{}, err
		}
	}
	if err := w.Close(); err != nil {
		return File{}, err
	}
	name := "audit-trail-" + a.Now().In(cal.IST).Format("2006-01-02") + ".xlsx"
	return File{Name: name, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Body: buf.Bytes()}, nil
}

// getAudit answers GET /api/audit.
func (a *App) getAudit(c *Call) (any, error) {
	f, err := auditFilterOf(c, auditMaxPage)
	if err != nil {
		return nil, err
	}
	return a.Audit(f)
}

// getAuditExport answers GET /api/audit/export.
func (a *App) getAuditExport(c *Call) (any, error) {
	f, err := auditFilterOf(c, auditMaxPage)
	if err != nil {
		return nil, err
	}
	return a.AuditExport(f)
}
