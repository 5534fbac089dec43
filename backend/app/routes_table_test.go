package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every endpoint is a line of the table in routes.go: a Route written
// anywhere else in the package (an init() that adds a group, a helper that
// builds routes) would be an endpoint nobody finds by reading the table.
func TestRoutesAreRegisteredOnlyInTheTable(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "routes.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if isRouteType(n.Type) {
					t.Errorf("%s: a Route is built outside routes.go: add it to the table there", fset.Position(n.Pos()))
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Handle" || sel.Sel.Name == "HandleFunc") && name != "http.go" {
					t.Errorf("%s: %s registers a handler outside the route table", fset.Position(n.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}

func isRouteType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Route"
	case *ast.ArrayType:
		return isRouteType(e.Elt)
	case *ast.MapType:
		return isRouteType(e.Value)
	}
	return false
}

// The table has no two lines for one method and path (net/http would panic
// at start) and every line names a handler.
func TestRouteTableIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range (&App{}).Routes() {
		key := r.Method + " " + r.Path
		if seen[key] {
			t.Errorf("%s is in the table twice", key)
		}
		seen[key] = true
		if r.Do == nil {
			t.Errorf("%s has no handler", key)
		}
		if !strings.HasPrefix(r.Path, "/api/") {
			t.Errorf("%s is not under /api/", key)
		}
	}
}
