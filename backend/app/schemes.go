package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/backend/schemes"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// SchemeFilter narrows the scheme list.
type SchemeFilter struct {
	ActiveOn cal.Date // running on this day; "" for all
	Q        string   // words in the code, name or kind
}

// Schemes lists scheme definitions by code.
func (a *App) Schemes(f SchemeFilter) ([]schemes.Scheme, error) {
	return read(a, func(tx *book.Tx) ([]schemes.Scheme, error) {
		var all []schemes.Scheme
		var err error
		if f.ActiveOn != "" {
			all, err = schemes.Active(tx, f.ActiveOn)
		} else {
			all, err = schemes.List(tx)
		}
		out := []schemes.Scheme{}
		for _, s := range all {
			if f.Q == "" || matchWords(f.Q, s.Code, s.Name, string(s.Kind)) {
				out = append(out, s)
			}
		}
		return out, err
	})
}

// Scheme returns one scheme definition.
func (a *App) Scheme(code string) (schemes.Scheme, error) {
	return read(a, func(tx *book.Tx) (schemes.Scheme, error) {
		s, err := schemes.Get(tx, code)
		return s, schemeError(err)
	})
}

// SaveScheme creates (create true) or replaces a scheme definition.
func (a *App) SaveScheme(ctx context.Context, s schemes.Scheme, create bool) (schemes.Scheme, error) {
	err := a.update(ctx, func(tx *book.Tx) error {
		_, err := schemes.Get(tx, s.Code)
		switch {
		case err == nil && create:
			return fail.Conflict("code", "scheme %s already exists: change it with PUT /api/schemes/%s", s.Code, s.Code)
		case errors.Is(err, schemes.ErrNotFound) && !create:
			return fail.NotFound("scheme", s.Code)
		case err != nil && !errors.Is(err, schemes.ErrNotFound):
			return err
		}
		return schemeError(schemes.Save(tx, s))
	})
	return s, err
}

// SchemeClaim is what a scheme cost between two days: the claim on the brand.
func (a *App) SchemeClaim(code string, from, to cal.Date) (schemes.ClaimStatement, error) {
	return read(a, func(tx *book.Tx) (schemes.ClaimStatement, error) {
		return claimOf(tx, code, from, to)
	})
}

// claimOf defaults the period to the scheme's validity and checks it.
func claimOf(tx *book.Tx, code string, from, to cal.Date) (schemes.ClaimStatement, error) {
	s, err := schemes.Get(tx, code)
	if err != nil {
		return schemes.ClaimStatement{}, schemeError(err)
	}
	if from == "" {
		from = s.ValidFrom
	}
	if to == "" {
		to = s.ValidTo
	}
	if to.Before(from) {
		return schemes.ClaimStatement{}, fail.Invalid("to", "must not be before from (%s)", from)
	}
	cs, err := schemes.Claim(tx, code, from, to)
	if cs.Lines == nil {
		cs.Lines = []schemes.Redemption{}
	}
	return cs, schemeError(err)
}

// SchemeClaimWorkbook is the claim statement as the brand wants it: an
// .xlsx with outlet-wise, invoice-wise and redemption-wise sheets.
func (a *App) SchemeClaimWorkbook(code string, from, to cal.Date) (File, error) {
	var buf bytes.Buffer
	var cs schemes.ClaimStatement
	err := a.view(func(tx *book.Tx) error {
		var err error
		if cs, err = claimOf(tx, code, from, to); err != nil {
			return err
		}
		names := map[string]string{}
		for _, o := range cs.Outlets {
			if out, err := masters.GetOutlet(tx, o.Outlet); err == nil {
				names[o.Outlet] = out.Name
			}
		}
		return schemes.WriteClaim(&buf, &cs, names)
	})
	if err != nil {
		return File{}, err
	}
	name := "claim-" + safeName(code) + "-" + string(cs.From) + "-to-" + string(cs.To) + ".xlsx"
	return File{Name: name, ContentType: xlsxType, Body: buf.Bytes()}, nil
}

// SchemePerformance sets a scheme's cost against sell-through to the
// outlets that took it, against the same outlets in the period before.
func (a *App) SchemePerformance(code string, asOf cal.Date) (schemes.Performance, error) {
	return read(a, func(tx *book.Tx) (schemes.Performance, error) {
		p, err := schemes.Measure(tx, code, asOf, billing.SchemeSales(tx))
		return p, schemeError(err)
	})
}

// ImportSchemeCircular imports (or, dry, checks) a brand's scheme circular.
// A refused circular comes back with its report and an error wrapping
// schemes.ErrCircularRefused.
func (a *App) ImportSchemeCircular(ctx context.Context, file []byte, name string, dryRun bool) (schemes.Report, error) {
	var rep schemes.Report
	run := func(tx *book.Tx) error {
		var err error
		rep, err = schemes.ImportCircular(tx, bytes.NewReader(file), name, dryRun, a.Today())
		return err
	}
	if dryRun {
		return rep, a.view(run)
	}
	return rep, a.update(ctx, run)
}

// schemeError gives the engine's errors their door status: a definition's
// first wrong field (400), an unknown code (404), a spent budget (409).
func schemeError(err error) error {
	var inv *schemes.Invalid
	switch {
	case err == nil:
		return nil
	case errors.As(err, &inv) && len(inv.Fields) > 0:
		return &invalidScheme{inv}
	case errors.Is(err, schemes.ErrNotFound):
		return fail.NotFound("scheme", strings.TrimPrefix(strings.TrimSuffix(err.Error(), ": "+schemes.ErrNotFound.Error()), "scheme "))
	case errors.Is(err, schemes.ErrCapExceeded):
		return fail.Conflict("schemes", "%v", err)
	}
	return err
}

// invalidScheme is a 400 naming the first wrong field, and carrying all.
type invalidScheme struct{ *schemes.Invalid }

func (e *invalidScheme) Unwrap() []error {
	f := e.Fields[0]
	if f.Field == "json" {
		f.Field = "body"
	}
	reason := f.Reason
	if len(e.Fields) > 1 {
		reason += " (and " + plural(len(e.Fields)-1, "more problem") + ")"
	}
	return []error{fail.Invalid(f.Field, "%s", reason), e.Invalid}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func matchWords(q string, fields ...string) bool {
	hay := strings.ToLower(strings.Join(fields, " "))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < ' ' {
			return '-'
		}
		return r
	}, s)
}

// writeSchemeInvalid answers 400 with every wrong field, keeping the
// error/field pair every other 400 has.
func writeSchemeInvalid(c *Call, err error) (any, error) {
	var inv *schemes.Invalid
	if !errors.As(err, &inv) || len(inv.Fields) == 0 {
		return nil, err
	}
	e, _ := fail.As(err)
	fields := inv.Fields
	for i := range fields {
		if fields[i].Field == "json" {
			fields[i].Field = "body"
		}
	}
	writeJSON(c.W, http.StatusBadRequest, struct {
		errorBody
		Fields []schemes.FieldError `json:"fields"`
	}{errorBody{Error: e.Reason, Field: e.Field}, fields})
	return Streamed{}, nil
}

// uploadedFile reads a small spreadsheet (a circular, a Tally mapping) from
// a multipart form (field "file") — what browsers and the desktop send — or,
// for scripts, from the raw body with ?name=.
func uploadedFile(c *Call) ([]byte, string, error) {
	mt, params, _ := mime.ParseMediaType(c.R.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		raw, err := io.ReadAll(c.R.Body)
		if err != nil {
			return nil, "", decodeError(err)
		}
		name := c.Query("name")
		if name == "" {
			name = "circular.xlsx"
		}
		return raw, filepath.Base(name), nil
	}
	if params["boundary"] == "" {
		return nil, "", fail.Invalid("file", "the multipart form has no boundary")
	}
	mr, err := c.R.MultipartReader()
	if err != nil {
		return nil, "", fail.Invalid("file", "%v", err)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, "", fail.Invalid("file", "is missing: send the circular as the form field \"file\"")
		}
		if err != nil {
			return nil, "", decodeError(err)
		}
		if p.FormName() != "file" {
			continue
		}
		raw, err := io.ReadAll(p)
		if err != nil {
			return nil, "", decodeError(err)
		}
		name := filepath.Base(p.FileName())
		if name == "." || name == "/" {
			name = "circular.xlsx"
		}
		return raw, name, nil
	}
}

// period is the from and to of the query string.
func period(c *Call) (from, to cal.Date, err error) {
	if from, err = dateQuery(c, "from", ""); err != nil {
		return
	}
	to, err = dateQuery(c, "to", "")
	return
}

// periodPaging is the from and to of the query string and the page asked for.
func periodPaging(c *Call) (from, to cal.Date, p Paging, err error) {
	if from, to, err = period(c); err != nil {
		return
	}
	p, err = pagingOf(c)
	return
}

// getSchemes answers GET /api/schemes.
func (a *App) getSchemes(c *Call) (any, error) {
	var f SchemeFilter
	var err error
	if f.ActiveOn, err = dateQuery(c, "active", ""); err != nil {
		return nil, err
	}
	f.Q = c.Query("q")
	return a.Schemes(f)
}

// postSchemes answers POST /api/schemes.
func (a *App) postSchemes(c *Call) (any, error) {
	var s schemes.Scheme
	if err := c.Decode(&s); err != nil {
		return nil, err
	}
	s, err := a.SaveScheme(c.Ctx, s, true)
	if err != nil {
		return writeSchemeInvalid(c, err)
	}
	return Created{s}, nil
}

// getSchemesTemplateXlsx answers GET /api/schemes/template.xlsx.
func (a *App) getSchemesTemplateXlsx(c *Call) (any, error) {
	var buf bytes.Buffer
	if err := schemes.WriteCircularTemplate(&buf); err != nil {
		return nil, err
	}
	return File{Name: "scheme-circular-template.xlsx", ContentType: xlsxType, Body: buf.Bytes()}, nil
}

// postSchemesImport answers POST /api/schemes/import.
func (a *App) postSchemesImport(c *Call) (any, error) {
	file, name, err := uploadedFile(c)
	if err != nil {
		return nil, err
	}
	dry := c.Query("dry_run") == "1" || c.Query("dry_run") == "true"
	rep, err := a.ImportSchemeCircular(c.Ctx, file, name, dry)
	if errors.Is(err, schemes.ErrCircularRefused) {
		writeJSON(c.W, http.StatusBadRequest, struct {
			errorBody
			schemes.Report
		}{errorBody{Error: err.Error(), Field: "file"}, rep})
		return Streamed{}, nil
	}
	if errors.Is(err, schemes.ErrUnreadable) {
		return nil, fail.Invalid("file", "%v", err)
	}
	return rep, err
}

// getSchemesCode answers GET /api/schemes/{code}.
func (a *App) getSchemesCode(c *Call) (any, error) {
	return a.Scheme(c.Param("code"))
}

// putSchemesCode answers PUT /api/schemes/{code}.
func (a *App) putSchemesCode(c *Call) (any, error) {
	code := c.Param("code")
	var s schemes.Scheme
	if err := c.Decode(&s); err != nil {
		return nil, err
	}
	if s.Code == "" { // a body without its code takes the path's
		s.Code = code
	}
	if s.Code != code {
		return nil, fail.Invalid("code", "cannot change a code (%s → %s): create a new scheme instead", code, s.Code)
	}
	s, err := a.SaveScheme(c.Ctx, s, false)
	if err != nil {
		return writeSchemeInvalid(c, err)
	}
	return s, nil
}

// getSchemesCodeClaim answers GET /api/schemes/{code}/claim.
func (a *App) getSchemesCodeClaim(c *Call) (any, error) {
	from, to, err := period(c)
	if err != nil {
		return nil, err
	}
	return a.SchemeClaim(c.Param("code"), from, to)
}

// getSchemesCodeClaimXlsx answers GET /api/schemes/{code}/claim.xlsx.
func (a *App) getSchemesCodeClaimXlsx(c *Call) (any, error) {
	from, to, err := period(c)
	if err != nil {
		return nil, err
	}
	return a.SchemeClaimWorkbook(c.Param("code"), from, to)
}

// getSchemesCodePerformance answers GET /api/schemes/{code}/performance.
func (a *App) getSchemesCodePerformance(c *Call) (any, error) {
	asOf, err := dateQuery(c, "as_of", a.Today())
	if err != nil {
		return nil, err
	}
	return a.SchemePerformance(c.Param("code"), asOf)
}
