package cli

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// One way in: what the CLI does to the distributor's book it does through
// the facade (package app), with the API's roles and audit, so no command
// imports a package that reads or writes the book. Value types (cal,
// money) and the doors of their own (head office, the IRP simulator, the
// demo's sizes) are not the book's business packages.
func TestTheCLIReachesTheBookOnlyThroughTheFacade(t *testing.T) {
	business := []string{"backend/book", "backend/billing", "backend/stock", "backend/schemes", "backend/masters",
		"backend/reports", "backend/importer", "backend/excel", "backend/backup", "backend/collections",
		"backend/dispatch", "backend/reorder", "backend/gst/einvoice", "backend/gst/ewaybill", "backend/gst/gstr1",
		"tallybridge"}
	// allowed names a file that may still import one of them, and why; an
	// entry no longer needed fails, so the list cannot go stale.
	allowed := map[string]string{
		"headoffice.go vitaran/backend/book":    "head office's embedded store is a book of its own, opened with book.Options",
		"tally.go vitaran/tallybridge":          "DefaultURL and the queue's state names, for a flag's help and the status lines",
		"tally.go vitaran/tallybridge/posting":  "StateFolded, a state name in the status lines",
		"tally.go vitaran/tallybridge/tallysim": "the Tally emulator, a door of its own (tally sim)",
	}
	used := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			for _, b := range business {
				if p != "vitaran/"+b && !strings.HasPrefix(p, "vitaran/"+b+"/") {
					continue
				}
				used[name+" "+p] = true
				if _, ok := allowed[name+" "+p]; !ok {
					t.Errorf("%s imports %s: call the facade (package app) instead, so the command runs with the API's roles and audit", name, p)
				}
			}
		}
	}
	for k, why := range allowed {
		if !used[k] {
			t.Errorf("%s no longer imported (%s): remove it from allowed", k, why)
		}
	}
}
