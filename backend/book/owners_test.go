package book

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// outsideStore are the packages that may still open buckets in files other
// than their store.go, and why. An entry that no longer opens a bucket
// outside store.go fails the test, so the list cannot go stale.
var outsideStore = map[string]struct{ why string }{
	// The book is the store itself: Tx.Bucket and DropBucket live here, and
	// its audit log, queues and incarnation are each one file with its
	// own codec.
	"backend/book": {why: "the store layer itself (audit.go, queue.go, incarnation.go)"},
}

// TestEveryBucketHasOneOwner reads the module's Go source (tests aside)
// and fails when two packages open the same bucket, when a package opens
// a bucket by another package's name for it (tx.Bucket(other.Name)), when
// a package opens a bucket outside its store.go (outsideStore lists the
// exceptions), or when a bucket is missing from the table in doc.go. Names
// built at run time (queue.<q>, ho_rollday_<r>) are the owner's own
// functions and are not followed.
func TestEveryBucketHasOneOwner(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Skipf("not in the module tree: %v", err)
	}
	type file struct {
		dir string
		f   *ast.File
	}
	fset := token.NewFileSet()
	var files []file
	consts := map[string]map[string]string{} // package dir → const name → string value
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (n == "node_modules" || n == "frontend" || n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(p))
		dir = filepath.ToSlash(dir)
		files = append(files, file{dir, f})
		if consts[dir] == nil {
			consts[dir] = map[string]string{}
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
						if v, err := strconv.Unquote(bl.Value); err == nil {
							consts[dir][n.Name] = v
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("read %d Go files under %s: not the module's source", len(files), root)
	}
	openers := map[string]map[string]string{} // bucket → package dir → first place
	outside := map[string]bool{}              // package dirs that open a bucket outside store.go
	for _, fl := range files {
		imports := map[string]bool{}
		for _, im := range fl.f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := path.Base(p)
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = true
		}
		ast.Inspect(fl.f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) != 1 {
				return true
			}
			sel, ok := c.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Bucket" && sel.Sel.Name != "DropBucket") {
				return true
			}
			at := fset.Position(c.Pos())
			where := filepath.ToSlash(strings.TrimPrefix(at.Filename, root+string(filepath.Separator))) + ":" + strconv.Itoa(at.Line)
			if filepath.Base(at.Filename) != "store.go" {
				outside[fl.dir] = true
				if _, ok := outsideStore[fl.dir]; !ok {
					t.Errorf("%s: %s opens a bucket outside its store.go: keep bucket access in store.go behind typed functions", where, fl.dir)
				}
			}
			var name string
			switch a := c.Args[0].(type) {
			case *ast.BasicLit:
				name, _ = strconv.Unquote(a.Value)
			case *ast.Ident:
				name = consts[fl.dir][a.Name] // a parameter or variable: the package's own helper
			case *ast.SelectorExpr:
				if x, ok := a.X.(*ast.Ident); ok && imports[x.Name] {
					t.Errorf("%s: %s opens a bucket by another package's name %s.%s: call that package's functions instead", where, fl.dir, x.Name, a.Sel.Name)
				}
			}
			if name == "" {
				return true
			}
			if openers[name] == nil {
				openers[name] = map[string]string{}
			}
			if _, ok := openers[name][fl.dir]; !ok {
				openers[name][fl.dir] = where
			}
			return true
		})
	}
	for dir := range outsideStore {
		if !outside[dir] {
			t.Errorf("%s opens no bucket outside store.go any more: remove it from outsideStore", dir)
		}
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(openers))
	for n := range openers {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 40 {
		t.Fatalf("found only %d bucket names: the scan is broken", len(names))
	}
	for _, n := range names {
		if len(openers[n]) > 1 {
			var at []string
			for dir, where := range openers[n] {
				at = append(at, dir+" ("+where+")")
			}
			sort.Strings(at)
			t.Errorf("bucket %q is opened by %d packages: %s; one owns it, the others call its functions", n, len(at), strings.Join(at, ", "))
		}
		if !strings.Contains(string(doc), " "+n+" ") && !strings.Contains(string(doc), " "+n+",") && !strings.Contains(string(doc), " "+n+"\n") && !strings.Contains(string(doc), "//\t"+n+" ") {
			for dir := range openers[n] {
				t.Errorf("bucket %q (owner %s) is missing from the table in doc.go", n, dir)
			}
		}
	}
}
