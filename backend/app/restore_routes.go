package app

import (
	"context"
	"encoding/json"
	"log/slog"

	"vitaran/backend/backup"
	"vitaran/backend/fail"

	"vitaran/backend/billing"
	"vitaran/backend/book"
)

// RestoreState is what the screen shows about the last restore and the
// book's numbering.
type RestoreState struct {
	// Restore is the last restore's report (nil: never restored).
	Restore *RestoreReport `json:"restore"`
	// NumberingHeld: nothing is numbered until POST /api/numbering/confirm.
	NumberingHeld bool   `json:"numbering_held"`
	HoldReason    string `json:"hold_reason,omitempty"`
	// Next is the next number of each series.
	Next map[string]uint64 `json:"next"`
}

// RestoreStatus reads the last restore's report and the numbering state.
func (a *App) RestoreStatus() (RestoreState, error) {
	return read(a, func(tx *book.Tx) (RestoreState, error) {
		var st RestoreState
		if raw := lastRestore(tx); raw != nil {
			var r RestoreReport
			if err := json.Unmarshal(raw, &r); err != nil {
				return st, err
			}
			st.Restore = &r
		}
		h, held := billing.NumberingHeld(tx)
		st.NumberingHeld, st.HoldReason = held, h.Reason
		cur, err := billing.SeriesCounters(tx)
		st.Next = map[string]uint64{}
		for s, n := range cur {
			st.Next[s] = n + 1
		}
		return st, err
	})
}

// ConfirmNumbering lifts a restore's hold on numbering: next names, per
// series, the next number a person has checked against the last printed
// document, Tally and head office (never below what the book would take).
func (a *App) ConfirmNumbering(ctx context.Context, next map[string]uint64) (RestoreState, error) {
	err := a.update(ctx, func(tx *book.Tx) error {
		h, held := billing.NumberingHeld(tx)
		got, err := billing.ConfirmNumbering(tx, next)
		if err != nil {
			return err
		}
		note := "next numbers confirmed"
		if held {
			note += " after a restore (" + h.Reason + ")"
		}
		return tx.Audit("confirm", "numbering", "series", next, got, note)
	})
	if err != nil {
		return RestoreState{}, err
	}
	return a.RestoreStatus()
}

// getRestore answers GET /api/restore.
func (a *App) getRestore(c *Call) (any, error) {
	return a.RestoreStatus()
}

// postRestore answers POST /api/restore.
func (a *App) postRestore(c *Call) (any, error) {
	var in struct {
		File    string `json:"file"`
		Confirm string `json:"confirm"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.RestoreInPlace(c.Ctx, in.File, in.Confirm)
}

// postRestorePull answers POST /api/restore/pull.
func (a *App) postRestorePull(c *Call) (any, error) {
	return a.PullFromTally(c.Ctx)
}

// postNumberingConfirm answers POST /api/numbering/confirm.
func (a *App) postNumberingConfirm(c *Call) (any, error) {
	var in struct {
		Next map[string]uint64 `json:"next"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.ConfirmNumbering(c.Ctx, in.Next)
}

// RestoreConfirmText is what an admin types to restore from the screen.
const RestoreConfirmText = "RESTORE"

// RestoreInPlace restores, while the app serves, one of the backups the
// Backups screen lists (named by its file name, never a path): the book is
// closed (in-flight work finishes first), replaced as `vitaran restore`
// does — verified, a new incarnation, the previous book kept aside, Tally
// and head office asked — and opened again. confirm must be exactly
// RestoreConfirmText. Requests arriving meanwhile fail and can be retried.
func (a *App) RestoreInPlace(ctx context.Context, name, confirm string) (RestoreReport, error) {
	if confirm != RestoreConfirmText {
		return RestoreReport{}, fail.Invalid("confirm", "type %s to replace the book with the backup", RestoreConfirmText)
	}
	st, err := a.Backups().Status()
	if err != nil {
		return RestoreReport{}, err
	}
	files, err := backup.List(st.Folder, a.DataDir)
	if err != nil {
		return RestoreReport{}, err
	}
	var path string
	for _, f := range files {
		if f.Name == name {
			path = f.Path
		}
	}
	if path == "" {
		return RestoreReport{}, fail.NotFound("backup", name)
	}
	var rep RestoreReport
	err = a.Book.Reopen(func() error {
		var err error
		rep, err = RestoreWith(a.DataDir, path, RestoreOptions{Now: a.Now})
		return err
	})
	dashCache.Delete(a)
	salesDays.Delete(a)
	if err != nil {
		return rep, err
	}
	by := CallerOf(ctx)
	slog.Info("book restored from the screen", "file", name, "by", by.User, "incarnation", rep.Incarnation)
	return rep, nil
}
