package headoffice_test

import (
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/storetest"
)

// The embedded store passes the suite every store passes.
func TestBookStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) headoffice.Store {
		st, err := headoffice.OpenStore(t.TempDir(), book.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}
