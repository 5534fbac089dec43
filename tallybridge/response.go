package tallybridge

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// Errors a user can act on. Every failure the client returns wraps one of
// them, so a screen can say what to do with errors.Is.
var (
	ErrNotRunning     = errors.New("Tally is not running or not acting as a server on this port: start Tally and enable it as server (F1 Help → Settings → Connectivity)")
	ErrTimeout        = errors.New("Tally did not answer in time: it may be showing a dialog that needs a click")
	ErrDropped        = errors.New("Tally closed the connection without answering: it may be starting up or closing, or another program holds its port; try again once Tally shows its company")
	ErrNoCompany      = errors.New("Tally answered with nothing: no company is open, open the company in Tally")
	ErrCompanyNotOpen = errors.New("Tally could not select the company: open it in Tally or correct its name in settings")
	ErrUnknownRequest = errors.New("Tally could not read the request (Unknown Request)")
	ErrRejected       = errors.New("Tally refused the import")
	ErrBadReply       = errors.New("Tally's reply could not be read")
)

// Result is the counters and error lines of an import reply, in either form.
type Result struct {
	Created, Altered, Deleted, Combined, Ignored int
	Errors, Cancelled, Exceptions                int
	LastVchID, LastMID                           string
	LineErrors                                   []string
	Status                                       string // new form's HEADER/STATUS; empty in the old form
}

// ImportError is a reply that did not meet the strict success rule. It wraps
// ErrRejected (or ErrCompanyNotOpen / ErrUnknownRequest when Tally said so).
type ImportError struct {
	Sent   int
	Result Result
	Reason string
	kind   error
}

func (e *ImportError) Error() string { return "Tally: " + e.Reason }

func (e *ImportError) Unwrap() error { return e.kind }

// Expect says what a request should have done to be a success.
type Expect struct {
	Sent        int // objects in the request
	MustAlter   int // of those, how many Tally already holds for certain
	AllowIgnore bool
}

// Check applies the strict rule of TALLY.md: no errors, no exceptions, no
// line errors, created + altered equal to what was sent, and no creation
// where an alter was certain (that would be a duplicate).
func (r Result) Check(x Expect) error {
	fail := func(kind error, format string, a ...any) error {
		return &ImportError{Sent: x.Sent, Result: r, Reason: fmt.Sprintf(format, a...), kind: kind}
	}
	if len(r.LineErrors) > 0 {
		kind := ErrRejected
		for _, l := range r.LineErrors {
			if strings.Contains(l, "SVCurrentCompany") {
				kind = ErrCompanyNotOpen
			}
			if strings.Contains(l, "Unknown Request") {
				kind = ErrUnknownRequest
			}
		}
		return fail(kind, "%s", strings.Join(r.LineErrors, "; "))
	}
	switch {
	case r.Errors > 0:
		return fail(ErrRejected, "%d error(s) and no reason given", r.Errors)
	case r.Exceptions > 0:
		return fail(ErrRejected, "%d exception(s) and no reason given: often a line without a godown, or a master Tally cannot use", r.Exceptions)
	case r.Ignored > 0 && !x.AllowIgnore:
		return fail(ErrRejected, "%d of %d ignored", r.Ignored, x.Sent)
	case r.Created+r.Altered+r.Cancelled+r.Deleted != x.Sent:
		// a cancel is counted CANCELLED (or, it may be, ALTERED), a delete DELETED
		return fail(ErrRejected, "created %d, altered %d, cancelled %d and deleted %d, but %d were sent", r.Created, r.Altered, r.Cancelled, r.Deleted, x.Sent)
	case r.Altered < x.MustAlter:
		return fail(ErrRejected, "created %d where %d already in Tally should have been altered: Tally may now hold a duplicate, check REMOTEID", r.Created, x.MustAlter)
	}
	return nil
}

// ParseResponse reads an import reply (old flat RESPONSE or new
// ENVELOPE/HEADER/STATUS + BODY/DATA/IMPORTRESULT) through the sanitiser. An
// empty body is ErrNoCompany.
func ParseResponse(r io.Reader) (Result, []Repair, error) {
	san := NewSanitiser(r)
	doc := etree.NewDocument()
	doc.ReadSettings.Permissive = true
	if _, err := doc.ReadFrom(san); err != nil {
		return Result{}, san.Repairs(), fmt.Errorf("%w: %v", ErrBadReply, err)
	}
	root := doc.Root()
	if root == nil {
		return Result{}, san.Repairs(), ErrNoCompany
	}
	res, err := resultFrom(root)
	return res, san.Repairs(), err
}

func resultFrom(root *etree.Element) (Result, error) {
	var res Result
	counters := root
	switch root.Tag {
	case "RESPONSE":
	case "ENVELOPE":
		res.Status = strings.TrimSpace(root.FindElement("HEADER/STATUS").NotNil().Text())
		counters = root.FindElement("BODY/DATA/IMPORTRESULT")
		if counters == nil {
			counters = root.FindElement(".//IMPORTRESULT")
		}
		if counters == nil {
			counters = root.FindElement(".//RESPONSE")
		}
		if counters == nil {
			counters = etree.NewElement("IMPORTRESULT")
		}
	default:
		return res, fmt.Errorf("%w: unexpected <%s>", ErrBadReply, root.Tag)
	}
	for _, c := range counters.ChildElements() {
		t := strings.TrimSpace(c.Text())
		n := func() int {
			v, _ := strconv.Atoi(t)
			return v
		}
		switch c.Tag {
		case "CREATED":
			res.Created = n()
		case "ALTERED":
			res.Altered = n()
		case "DELETED":
			res.Deleted = n()
		case "COMBINED":
			res.Combined = n()
		case "IGNORED":
			res.Ignored = n()
		case "ERRORS":
			res.Errors = n()
		case "CANCELLED":
			res.Cancelled = n()
		case "EXCEPTIONS":
			res.Exceptions = n()
		case "LASTVCHID":
			res.LastVchID = t
		case "LASTMID":
			res.LastMID = t
		}
	}
	for _, le := range root.FindElements(".//LINEERROR") {
		if t := strings.TrimSpace(le.Text()); t != "" {
			res.LineErrors = append(res.LineErrors, t)
		}
	}
	if root.Tag == "RESPONSE" {
		// a bare <RESPONSE>text</RESPONSE> is how Tally says "Unknown Request"
		if t := strings.TrimSpace(directText(root)); t != "" {
			res.LineErrors = append(res.LineErrors, t)
		}
	}
	if res.Status == "0" && len(res.LineErrors) == 0 && res.Errors == 0 {
		res.Errors = 1
	}
	return res, nil
}

func directText(e *etree.Element) string {
	var b strings.Builder
	for _, t := range e.Child {
		if cd, ok := t.(*etree.CharData); ok {
			b.WriteString(cd.Data)
		}
	}
	return b.String()
}
