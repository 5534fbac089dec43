package headoffice

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// serverMayImport is every Vitaran package the head-office server (this
// package, pgstore, storetest and the wire) may depend on. The distributor's
// book packages — billing, stock, schemes, masters and every other noun of
// the distributor's business — are not among them: what head office shares
// with the distributor is the wire and the pure scheme rules. book is here
// (and bbolt with it) because the embedded store is a book file of its own,
// holding head office's buckets only.
var serverMayImport = []string{
	"vitaran/backend/book",
	"vitaran/backend/cal",
	"vitaran/backend/excel",
	"vitaran/backend/fail",
	"vitaran/backend/gst",
	"vitaran/backend/loginlimit",
	"vitaran/backend/money",
	"vitaran/backend/schemes/rules",
}

// goTool is the go command on the path (make puts the one it runs first).
func goTool(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages with")
	}
	return p
}

// goList runs `go list` in the module's root with args and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command(goTool(t), append([]string{"list"}, args...)...)
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return strings.Fields(string(out))
}

// TestTheServerNeverImportsTheDistributorsBook fails when a package of the
// head-office server (everything under backend/headoffice except upload,
// the distributor's side) depends, directly or not, on a Vitaran package
// outside serverMayImport: the brand's server must build and run without
// the distributor's book code, and a rule both sides need lives in a
// package both import (wire, schemes/rules).
func TestTheServerNeverImportsTheDistributorsBook(t *testing.T) {
	if testing.Short() {
		t.Skip("lists packages with the go command")
	}
	pkgs := goList(t, "./backend/headoffice/...")
	var server []string
	for _, p := range pkgs {
		if p != "vitaran/backend/headoffice/upload" && !strings.HasPrefix(p, "vitaran/backend/headoffice/upload/") {
			server = append(server, p)
		}
	}
	if len(server) < 4 {
		t.Fatalf("found only %v under backend/headoffice", server)
	}
	for _, p := range server {
		for _, dep := range goList(t, "-deps", p) {
			switch {
			case !strings.HasPrefix(dep, "vitaran/"):
			case strings.HasPrefix(dep, "vitaran/backend/headoffice"):
				if strings.HasPrefix(dep, "vitaran/backend/headoffice/upload") {
					t.Errorf("%s depends on the distributor's uploader %s", p, dep)
				}
			case !slices.Contains(serverMayImport, dep):
				t.Errorf("%s depends on %s: head office must not link the distributor's book packages (move the rule both need into a package without a book, like schemes/rules)", p, dep)
			}
		}
	}
}
