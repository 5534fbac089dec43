//go:build desktop

package cli

import (
	"context"
	"errors"
	"fmt"
)

// errNoPostgres answers --db in the desktop build, which is a distributor's
// and leaves the PostgreSQL driver out.
var errNoPostgres = errors.New("this build has no PostgreSQL engine; use the server build (make cli: bin/vitaran) for a head office on PostgreSQL, or leave out --db and VITARAN_HO_DB for the embedded store in --data")

func connectHODB(_ context.Context, u string, _ bool) (hoDatabase, error) {
	return nil, fmt.Errorf("--db %s: %w", redactURL(u), errNoPostgres)
}
