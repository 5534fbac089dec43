package app

import (
	"os"
	"strings"
	"testing"
)

// The API document is a public contract: every registered route must be in
// it, written as `METHOD /path`, so integrators never meet an undocumented one.
func TestEveryRouteIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var missing []string
	for _, r := range a.Routes() {
		if !strings.Contains(string(doc), "`"+r.Method+" "+r.Path+"`") {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("docs/API.md does not document:\n%s", strings.Join(missing, "\n"))
	}
}
