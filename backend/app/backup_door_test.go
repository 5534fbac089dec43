package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vitaran/backend/backup"
	"vitaran/backend/book"
)

// POST /api/backup once wrote anywhere: /dev/null, the filesystem root
// through ../, and over the live book. Now it takes a file name and writes
// into the backup folder only.
func TestBackupAPIWritesOnlyANameInTheBackupFolder(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	bookBefore, _ := os.ReadFile(d.app.Book.Path())
	outside := t.TempDir()
	for _, to := range []string{
		"", "/dev/null", "../../../../evil.book", filepath.Join(outside, "x.book"),
		"..", ".", "../vitaran.book", "vitaran.book", "VITARAN.BOOK", `..\vitaran.book`, "sub/x.book",
		"x.txt", "CON.book", "nul.book", ".hidden.book", "x\u202e.book", "a..book",
	} {
		st, body := d.do("POST", "/api/backup", map[string]string{"to": to})
		if st != 400 || body["field"] != "to" {
			t.Errorf("to %q: %d %v", to, st, body)
		}
	}
	if after, _ := os.ReadFile(d.app.Book.Path()); len(after) != len(bookBefore) {
		t.Fatal("the live book changed size")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Fatalf("written outside the backup folder: %v", ents)
	}

	st, body := d.do("POST", "/api/backup", map[string]string{"to": "before-audit.book"})
	want := filepath.Join(backup.DefaultFolder(d.app.DataDir), "before-audit.book")
	if st != 200 || body["path"] != want || body["bytes"].(float64) <= 0 {
		t.Fatalf("named backup: %d %v", st, body)
	}
	if err := book.Verify(want); err != nil {
		t.Fatal(err)
	}
	// The same name again is refused, never overwritten.
	if st, body := d.do("POST", "/api/backup", map[string]string{"to": "before-audit.book"}); st != 409 || body["field"] != "to" {
		t.Fatalf("overwrite: %d %v", st, body)
	}
	// A backup folder pointing at the data folder cannot reach the book.
	if st, body := d.do("PUT", "/api/settings/backup", map[string]string{"folder": d.app.DataDir}); st != 200 {
		t.Fatalf("settings: %d %v", st, body)
	}
	for _, to := range []string{"vitaran.book", "serve.json", "x.book"} {
		if st, body := d.do("POST", "/api/backup", map[string]string{"to": to}); st != 400 || body["field"] != "to" {
			t.Errorf("in the data folder, to %q: %d %v", to, st, body)
		}
	}
	// A name that is a link to the book is refused too.
	other := t.TempDir()
	if st, _ := d.do("PUT", "/api/settings/backup", map[string]string{"folder": other}); st != 200 {
		t.Fatal(st)
	}
	os.Symlink(d.app.Book.Path(), filepath.Join(other, "link.book"))
	if st, body := d.do("POST", "/api/backup", map[string]string{"to": "link.book"}); st < 400 {
		t.Fatalf("through a link to the book: %d %v", st, body)
	}
	if fi, err := os.Lstat(d.app.Book.Path()); err != nil || !fi.Mode().IsRegular() {
		t.Fatal("the live book was replaced", err)
	}
}

func TestAFailedBackupLeavesNoPartialFile(t *testing.T) {
	d := newDoor(t)
	d.login("admin", "admin-secret")
	old := backupCopy
	backupCopy = func(b *book.Book, w io.Writer) (int64, error) {
		w.Write([]byte("half a book"))
		return 0, errors.New("disk full")
	}
	t.Cleanup(func() { backupCopy = old })
	if st, body := d.do("POST", "/api/backup", map[string]string{"to": "x.book"}); st != 500 {
		t.Fatalf("%d %v", st, body)
	}
	ents, _ := os.ReadDir(backup.DefaultFolder(d.app.DataDir))
	for _, e := range ents {
		if strings.Contains(e.Name(), "partial") || e.Name() == "x.book" {
			t.Fatalf("left behind: %s", e.Name())
		}
	}
}
