package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vitaran/backend/backup"
	"vitaran/backend/book"
)

// Before a migration the app keeps the old book as a compressed, verified
// backup in the backup folder, which restores like any other.
func TestAMigrationFirstKeepsACompressedBackup(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a.Book.Update(func(tx *book.Tx) error { return tx.Bucket("meta").Put("schema", []byte("1")) })
	a.Close()

	a, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "backups", "*pre-migration*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], ".gz") {
		t.Fatalf("pre-migration backups: %v", files)
	}
	if err := backup.Check(files[0]); err != nil {
		t.Fatal(err)
	}
	restored := t.TempDir()
	if _, err := Restore(restored, files[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(restored, book.FileName)); err != nil {
		t.Fatal(err)
	}
}
