//go:build desktop

package cli_test

import (
	"strings"
	"testing"
)

// In the desktop build, head office on PostgreSQL answers that the build has
// no engine for it (go test -tags desktop ./backend/cli).
func TestTheDesktopBuildSaysItHasNoPostgreSQL(t *testing.T) {
	for _, args := range [][]string{
		{"headoffice", "stats", "--db", "postgres://ho:secret@db.example:5432/ho"},
		{"headoffice", "migrate", "--db", "postgres://ho@db.example/ho"},
	} {
		code, _, errs := run(args...)
		if code == 0 || !strings.Contains(errs, "this build has no PostgreSQL engine; use the server build") || strings.Contains(errs, "secret") {
			t.Errorf("%v: %d %s", args, code, errs)
		}
	}
}
