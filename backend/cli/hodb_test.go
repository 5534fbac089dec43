package cli_test

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// depsOf lists the packages the vitaran binary links with the given build
// tags (go list -deps, run in the module's root).
func depsOf(t *testing.T, tags string) []string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the binary's packages with")
	}
	cmd := exec.Command(goCmd, "list", "-deps", "-tags", tags, ".")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -tags %s .: %v", tags, err)
	}
	return strings.Fields(string(out))
}

// The distributor's desktop build (tag desktop, as make build and the
// Windows build set it) links no PostgreSQL driver; the server build
// (make cli) keeps it for `headoffice --db postgres://…`.
func TestTheDesktopBuildLinksNoPostgreSQLDriver(t *testing.T) {
	if testing.Short() {
		t.Skip("lists packages with the go command")
	}
	postgres := func(p string) bool {
		return strings.HasPrefix(p, "github.com/jackc/") || p == "vitaran/backend/headoffice/pgstore"
	}
	for _, tags := range []string{"desktop", "desktop,production", "desktop,production,webkit2_41"} {
		if i := slices.IndexFunc(depsOf(t, tags), postgres); i >= 0 {
			t.Errorf("the desktop build (-tags %s) links %s", tags, depsOf(t, tags)[i])
		}
	}
	if !slices.Contains(depsOf(t, ""), "github.com/jackc/pgx/v5/pgxpool") {
		t.Error("the server build (no tags) lost pgx: head office could not run on PostgreSQL")
	}
}
