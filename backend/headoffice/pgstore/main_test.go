package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/pgstore"
	"vitaran/backend/headoffice/pgstore/pgtest"
	"vitaran/backend/headoffice/storetest"
)

// cluster is the package's one throw-away server; nil when the machine has
// no PostgreSQL (then only these tests skip, and say why).
var (
	cluster *pgtest.Cluster
	noPG    error
)

func TestMain(m *testing.M) {
	c, err := pgtest.Start()
	if err != nil {
		noPG = err
		fmt.Fprintln(os.Stderr, "pgstore:", err)
	}
	cluster = c
	code := m.Run()
	if cluster != nil {
		cluster.Stop()
	}
	os.Exit(code)
}

// newDB is an empty database of its own for one test.
func newDB(t testing.TB) string {
	t.Helper()
	if cluster == nil {
		t.Skip("PostgreSQL half skipped: ", noPG)
	}
	url, err := cluster.NewDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

func open(t testing.TB, url string) *pgstore.Store {
	t.Helper()
	st, err := pgstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPostgresStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) headoffice.Store { return open(t, newDB(t)) })
}
