//go:build !desktop

package cli

import (
	"context"
	"fmt"

	"vitaran/backend/headoffice/pgstore"
)

// connectHODB connects to head office's PostgreSQL database (package
// pgstore, over pgx), migrating its schema when migrate is set. Only the
// server build has it: the desktop build leaves pgx out (hodb_none.go).
func connectHODB(ctx context.Context, u string, migrate bool) (hoDatabase, error) {
	if !pgstore.IsURL(u) {
		return nil, fmt.Errorf("--db %s: give a PostgreSQL URL, postgres://user@host:5432/dbname (the embedded store takes --data DIR)", redactURL(u))
	}
	open := pgstore.Connect
	if migrate {
		open = pgstore.Open
	}
	s, err := open(ctx, u)
	if err != nil {
		return nil, err
	}
	return s, nil
}
