package app

import (
	"context"
	"encoding/json"

	"vitaran/backend/billing"
	"vitaran/backend/book"
)

func init() { routeGroups = append(routeGroups, (*App).restoreRoutes) }

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
		if raw := tx.Bucket(bucketRestore).Get(keyRestore); raw != nil {
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

func (a *App) restoreRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/restore", Roles: anyone, Do: func(c *Call) (any, error) { return a.RestoreStatus() }},
		{Method: "POST", Path: "/api/restore/pull", Roles: adminOnly, Do: func(c *Call) (any, error) { return a.PullFromTally(c.Ctx) }},
		{Method: "POST", Path: "/api/numbering/confirm", Roles: clerks, MaxBody: 16 << 10, Do: func(c *Call) (any, error) {
			var in struct {
				Next map[string]uint64 `json:"next"`
			}
			if err := c.Decode(&in); err != nil {
				return nil, err
			}
			return a.ConfirmNumbering(c.Ctx, in.Next)
		}},
	}
}
