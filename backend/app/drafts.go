package app

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// Drafts: a document being typed (a bill in progress) is kept in the book,
// per user and kind, so leaving the screen, a reload or an app restart loses
// nothing. A draft is the screen's own JSON; the book never posts it.

const draftMaxBody = 256 << 10

var draftKind = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// Draft is one kept draft.
type Draft struct {
	Kind    string          `json:"kind"`
	User    string          `json:"user"`
	SavedAt time.Time       `json:"saved_at"`
	Draft   json.RawMessage `json:"draft"`
}

func checkDraftKind(kind string) error {
	if !draftKind.MatchString(kind) {
		return fail.Invalid("kind", "%q is not a draft kind: use lower-case letters, digits and -, up to 32", kind)
	}
	return nil
}

// GetDraft returns the caller's draft of kind, or nil when there is none.
func (a *App) GetDraft(user, kind string) (*Draft, error) {
	if err := checkDraftKind(kind); err != nil {
		return nil, err
	}
	var d *Draft
	err := a.view(func(tx *book.Tx) error {
		var v Draft
		ok, err := getDraft(tx, user, kind, &v)
		if ok {
			d = &v
		}
		return err
	})
	return d, err
}

// PutDraft keeps body (one JSON object) as the user's draft of kind.
func (a *App) PutDraft(user, kind string, body []byte, now time.Time) (Draft, error) {
	if err := checkDraftKind(kind); err != nil {
		return Draft{}, err
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' || !json.Valid(body) {
		return Draft{}, fail.Invalid("body", "a draft must be one JSON object")
	}
	d := Draft{Kind: kind, User: user, SavedAt: now.UTC().Truncate(time.Second), Draft: json.RawMessage(body)}
	err := a.Book.Update(func(tx *book.Tx) error {
		return putDraft(tx, d)
	})
	return d, err
}

// DeleteDraft drops the user's draft of kind (nothing when there is none).
func (a *App) DeleteDraft(user, kind string) error {
	if err := checkDraftKind(kind); err != nil {
		return err
	}
	return a.Book.Update(func(tx *book.Tx) error { return deleteDraft(tx, user, kind) })
}

// getDraftsKind answers GET /api/drafts/{kind}.
func (a *App) getDraftsKind(c *Call) (any, error) {
	d, err := a.GetDraft(c.Session.User, c.Param("kind"))
	if err != nil || d == nil {
		return map[string]any{"kind": c.Param("kind"), "draft": nil}, err
	}
	return d, nil
}

// putDraftsKind answers PUT /api/drafts/{kind}.
func (a *App) putDraftsKind(c *Call) (any, error) {
	raw, err := io.ReadAll(c.R.Body)
	if err != nil {
		return nil, decodeError(err)
	}
	return a.PutDraft(c.Session.User, c.Param("kind"), raw, a.Now())
}

// deleteDraftsKind answers DELETE /api/drafts/{kind}.
func (a *App) deleteDraftsKind(c *Call) (any, error) {
	return nil, a.DeleteDraft(c.Session.User, c.Param("kind"))
}
