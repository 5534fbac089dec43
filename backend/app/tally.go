package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
)

// The Tally door: settings, the queue, push, retry, the mapping and pulling
// masters back. The work is in tallybridge/posting; these only call it.
// TallySettings returns where Tally is and how Vitaran posts to it.
func (a *App) TallySettings() (posting.Settings, error) {
	return read(a, posting.GetSettings)
}

// PutTallySettings stores them (the mode goes to the company profile).
func (a *App) PutTallySettings(ctx context.Context, s posting.Settings) (posting.Settings, error) {
	var out posting.Settings
	err := a.update(ctx, func(tx *book.Tx) error { var err error; out, err = posting.PutSettings(tx, s); return err })
	return out, err
}

// TallyStatus counts the queue by state and lists the newest failures with
// reasons. It only reads: documents billing queued since the last push are
// counted as waiting, and taken in by the next push.
func (a *App) TallyStatus() (posting.Status, error) {
	return read(a, posting.GetStatus)
}

// TallyQueue lists one page of queue entries, newest first, optionally of
// one state, with the total for the filter.
func (a *App) TallyQueue(state string, limit, offset int) (posting.Page, error) {
	return read(a, func(tx *book.Tx) (posting.Page, error) { return posting.List(tx, state, limit, offset) })
}

// TallyTest is the connection test.
type TallyTest struct {
	Reachable   bool   `json:"reachable"`
	CompanyOpen bool   `json:"company_open"`
	Company     string `json:"company"`
	Error       string `json:"error,omitempty"`
}

// TestTally says whether Tally answers and has the company open.
func (a *App) TestTally(ctx context.Context) (TallyTest, error) {
	s, err := a.TallySettings()
	if err != nil {
		return TallyTest{}, err
	}
	c := s.Client()
	if c.ReadTimeout > 15*time.Second {
		c.ReadTimeout = 15 * time.Second
	}
	out := TallyTest{Company: s.Company, Reachable: true, CompanyOpen: true}
	if err := c.Ping(ctx); err != nil {
		out.Error = err.Error()
		out.CompanyOpen = false
		out.Reachable = !errors.Is(err, tallybridge.ErrNotRunning) && !errors.Is(err, tallybridge.ErrTimeout)
	}
	return out, nil
}

// TallyPushResult is what a push did, and what is left after it.
type TallyPushResult struct {
	Due      int    `json:"due"`
	Posted   int    `json:"posted"`
	Failed   int    `json:"failed"`
	Requests int    `json:"requests"`
	Masters  int    `json:"masters_created"`
	Error    string `json:"error,omitempty"`
	Millis   int64  `json:"ms"`
	// StillFailed counts vouchers failed after the push (this push's and
	// earlier ones waiting for their next try); StillWaiting those not yet
	// sent (pending, sending, queued by billing, day summaries to post).
	StillFailed  int `json:"still_failed"`
	StillWaiting int `json:"still_waiting"`
}

// PushTally posts everything due, reporting progress as "tally". A person
// starts it: what failed only because Tally was unreachable goes again now.
func (a *App) PushTally(ctx context.Context, retryNow bool) (TallyPushResult, error) {
	return a.PushTallyWith(ctx, TallyPush{RetryNow: retryNow})
}

// TallyPush is a push a person starts (the screen's button, vitaran tally push).
type TallyPush struct {
	RetryNow bool
	// URL and Company name another Tally than the settings' (empty: the settings).
	URL, Company string
	// Progress, if set, is told too (done of total vouchers).
	Progress func(done, total int)
}

// PushTallyWith is PushTally to another Tally or with a progress of its own.
func (a *App) PushTallyWith(ctx context.Context, p TallyPush) (TallyPushResult, error) {
	prog := a.progress(ctx, "tally")
	start := time.Now()
	rep, err := posting.Push(ctx, a.Book, posting.PushOptions{URL: p.URL, Company: p.Company, RetryNow: p.RetryNow, Manual: true, Now: a.Now,
		Progress: func(done, total int) {
			prog(done, total, "posting to Tally")
			if p.Progress != nil {
				p.Progress(done, total)
			}
		}})
	m := rep.Masters
	out := TallyPushResult{Due: rep.Due, Posted: rep.Posted, Failed: rep.Failed, Requests: rep.Requests,
		Masters: len(m.Ledgers) + len(m.Items) + len(m.Units) + len(m.Godowns), Millis: time.Since(start).Milliseconds()}
	if err != nil {
		out.Error = err.Error() // Tally's state is the answer, not a failure of the call
	}
	st, serr := a.TallyStatus()
	if serr != nil {
		return out, serr
	}
	out.StillFailed, out.StillWaiting = st.Left()
	return out, nil
}

// RetryTally makes one failed entry due and pushes.
func (a *App) RetryTally(ctx context.Context, id string) (TallyPushResult, error) {
	if err := a.update(ctx, func(tx *book.Tx) error { return posting.Retry(tx, id) }); err != nil {
		return TallyPushResult{}, err
	}
	return a.PushTally(ctx, false)
}

// ExportTally writes the queued vouchers to an XML file for Tally's own
// import (masters beside it as NAME-masters.xml); they stay queued until a
// push confirms them.
func (a *App) ExportTally(to, company string) (int, error) {
	return posting.Export(a.Book, to, company)
}

// TallyMapping is our names → the accountant's.
func (a *App) TallyMapping() (tallybridge.Mapping, error) { return read(a, posting.GetMapping) }

// PutTallyMapping replaces the mapping.
func (a *App) PutTallyMapping(ctx context.Context, m tallybridge.Mapping) (tallybridge.Mapping, error) {
	var out tallybridge.Mapping
	err := a.update(ctx, func(tx *book.Tx) error { var err error; out, err = posting.PutMapping(tx, m); return err })
	return out, err
}

// ImportTallyMapping adds a mapping sheet (.xlsx or .csv) to the mapping;
// a file with any bad row changes nothing.
func (a *App) ImportTallyMapping(ctx context.Context, r io.Reader, name string) (tallybridge.Mapping, error) {
	cur, err := a.TallyMapping()
	if err != nil {
		return cur, err
	}
	m, res, err := posting.ReadMapping(r, name, cur)
	if err != nil {
		return cur, fail.Invalid("file", "%v", err)
	}
	if !res.OK() {
		return cur, fail.Invalid("file", "%v", res.Err())
	}
	return a.PutTallyMapping(ctx, m)
}

// TallySuggestions proposes Tally ledgers and items for ours.
type TallySuggestions = posting.Suggestions

// SuggestTallyMapping pulls Tally's masters and matches ours by GSTIN and name.
func (a *App) SuggestTallyMapping(ctx context.Context) (TallySuggestions, error) {
	s, err := a.TallySettings()
	if err != nil {
		return TallySuggestions{}, err
	}
	theirs, err := s.Client().ListOfAccounts(ctx)
	if err != nil {
		return TallySuggestions{}, fail.Conflict("tally", "%v", err)
	}
	return read(a, func(tx *book.Tx) (TallySuggestions, error) { return posting.Suggest(tx, theirs, a.Today()) })
}

// TallyPull is a pull's preview or its result.
type TallyPull struct {
	Counts  map[string]int       `json:"counts"`
	Records []posting.PullRecord `json:"records"`
	Applied int                  `json:"applied"`
	Refused int                  `json:"refused"`
	Skipped int                  `json:"skipped"` // new items left for want of an MRP
}

// TallyPullRequest says where to pull from and, on apply, the MRPs of new
// items (by Tally name or the code the preview gave, in paise): Tally keeps
// none, and a new item without one is skipped with the reason.
type TallyPullRequest struct {
	URL     string                 `json:"-"`
	Company string                 `json:"-"`
	Apply   bool                   `json:"-"`
	MRP     map[string]money.Paise `json:"mrp_paise,omitempty"`
}

// PullTally reads Tally's debtors and stock items and previews (apply false)
// or applies, in one transaction, what they change in ours. Progress goes
// out as "tally pull": the two exports, then each record applied.
func (a *App) PullTally(ctx context.Context, r TallyPullRequest) (TallyPull, error) {
	s, err := a.TallySettings()
	if err != nil {
		return TallyPull{}, err
	}
	if r.URL != "" {
		s.URL = r.URL
	}
	if r.Company != "" {
		s.Company = r.Company
	}
	prog := a.progress(ctx, "tally pull")
	m, err := s.Client().ListOfAccountsProgress(ctx, func(done, total int, what string) {
		if done < total {
			prog(done, total, "reading "+what+" from Tally")
		}
	})
	if err != nil {
		return TallyPull{}, fail.Conflict("tally", "%v", err)
	}
	var out TallyPull
	fn := func(tx *book.Tx) error {
		rs, err := posting.PreviewPull(tx, m, a.Today())
		if err != nil {
			return err
		}
		if r.Apply {
			res := posting.ApplyPull(tx, rs, a.Today(), posting.ApplyOptions{MRP: r.MRP,
				Progress: func(done, total int) { prog(done, total, "applying to Vitaran's masters") }})
			out.Applied, out.Refused, out.Skipped = res.Applied, res.Refused, res.Skipped
		}
		out.Records, out.Counts = rs, posting.Counts(rs)
		return nil
	}
	if r.Apply {
		err = a.update(ctx, fn)
	} else {
		prog(2, 3, "comparing with Vitaran's masters")
		err = a.view(fn)
	}
	if err == nil {
		prog(1, 1, "done")
	}
	if out.Records == nil {
		out.Records = []posting.PullRecord{}
	}
	return out, err
}

// getTallySettings answers GET /api/tally/settings.
func (a *App) getTallySettings(c *Call) (any, error) {
	return a.TallySettings()
}

// putTallySettings answers PUT /api/tally/settings.
func (a *App) putTallySettings(c *Call) (any, error) {
	var s posting.Settings
	if err := c.Decode(&s); err != nil {
		return nil, err
	}
	return a.PutTallySettings(c.Ctx, s)
}

// getTallyStatus answers GET /api/tally/status.
func (a *App) getTallyStatus(c *Call) (any, error) {
	return a.TallyStatus()
}

// getTallyQueue answers GET /api/tally/queue.
func (a *App) getTallyQueue(c *Call) (any, error) {
	limit, err := tallyQueryInt(c, "limit")
	if err != nil {
		return nil, err
	}
	offset, err := tallyQueryInt(c, "offset")
	if err != nil {
		return nil, err
	}
	return a.TallyQueue(c.Query("state"), limit, offset)
}

// postTallyTest answers POST /api/tally/test.
func (a *App) postTallyTest(c *Call) (any, error) {
	return a.TestTally(c.Ctx)
}

// postTallyPush answers POST /api/tally/push.
func (a *App) postTallyPush(c *Call) (any, error) {
	return a.PushTally(c.Ctx, c.Query("retry_now") == "true")
}

// postTallyRetryId answers POST /api/tally/retry/{id}.
func (a *App) postTallyRetryId(c *Call) (any, error) {
	return a.RetryTally(c.Ctx, c.Param("id"))
}

// getTallyMapping answers GET /api/tally/mapping.
func (a *App) getTallyMapping(c *Call) (any, error) {
	return a.TallyMapping()
}

// putTallyMapping answers PUT /api/tally/mapping.
func (a *App) putTallyMapping(c *Call) (any, error) {
	var m tallybridge.Mapping
	if err := c.Decode(&m); err != nil {
		return nil, err
	}
	return a.PutTallyMapping(c.Ctx, m)
}

// postTallyMappingImport answers POST /api/tally/mapping/import.
func (a *App) postTallyMappingImport(c *Call) (any, error) {
	raw, name, err := uploadedFile(c)
	if err != nil {
		return nil, err
	}
	return a.ImportTallyMapping(c.Ctx, bytes.NewReader(raw), name)
}

// getTallyMappingSuggest answers GET /api/tally/mapping/suggest.
func (a *App) getTallyMappingSuggest(c *Call) (any, error) {
	return a.SuggestTallyMapping(c.Ctx)
}

// postTallyPullPreview answers POST /api/tally/pull/preview.
func (a *App) postTallyPullPreview(c *Call) (any, error) {
	return a.PullTally(c.Ctx, TallyPullRequest{})
}

// postTallyPullApply answers POST /api/tally/pull/apply.
func (a *App) postTallyPullApply(c *Call) (any, error) {
	var r TallyPullRequest
	raw, err := io.ReadAll(c.R.Body)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) > 0 { // the body is optional: only MRPs of new items
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fail.Invalid("mrp_paise", "give {\"mrp_paise\": {\"Tally item name\": paise}}: %v", err)
		}
	}
	r.Apply = true
	return a.PullTally(c.Ctx, r)
}

// tallyQueryInt reads an optional whole-number query parameter (absent: 0).
func tallyQueryInt(c *Call, name string) (int, error) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fail.Invalid(name, "%q is not a whole number", v)
	}
	return n, nil
}
