package cli_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The commands scripts rely on: a demo book that passes check, a backup
// that restores, a truncated backup refused, and an upload to an absent
// head office that fails loudly and keeps the batch.
func TestDemoCheckBackupRestoreFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := run("demo", "--size", "small", "--to", "2026-10-31", "--data", dir); code != 0 || !strings.Contains(out, "Demo book (small)") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	if code, out, _ := run("check", "--data", dir); code != 0 || !strings.Contains(out, "0 problems") {
		t.Fatalf("check: %d %s", code, out)
	}
	// nothing set up: the cross-check says which sides it could not ask, and fails
	if code, out, errs := run("check", "--cross", "--from", "2026-10-01", "--to", "2026-10-31", "--url", "http://127.0.0.1:1/", "--data", dir); code == 0 ||
		!strings.Contains(out, "head office not compared: uploads to head office are not set up") || !strings.Contains(out, "Tally not compared") ||
		!strings.Contains(errs, "not every side could be compared") {
		t.Fatalf("check --cross: %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := run("demo", "--data", dir); code == 0 || !strings.Contains(errs, "already has a book") {
		t.Fatalf("demo over a book: %d %s", code, errs)
	}
	bak := filepath.Join(t.TempDir(), "copy.book")
	if code, _, errs := run("backup", "--to", bak, "--data", dir); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	raw, _ := os.ReadFile(bak)
	cut := filepath.Join(t.TempDir(), "cut.book")
	os.WriteFile(cut, raw[:len(raw)/2], 0o600)
	if code, _, errs := run("restore", "--from", cut, "--data", dir); code == 0 || !strings.Contains(errs, "not restored") {
		t.Fatalf("a truncated backup was restored: %d %s", code, errs)
	}
	fresh := t.TempDir()
	if code, _, errs := run("restore", "--from", bak, "--data", fresh); code != 0 {
		t.Fatalf("restore: %s", errs)
	}
	if code, out, _ := run("check", "--data", fresh); code != 0 || !strings.Contains(out, "0 problems") {
		t.Fatalf("check of the restored book: %d %s", code, out)
	}
}

func TestUploadToAnAbsentHeadOfficeExitsNonZeroAndKeepsTheBatch(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run("demo", "--size", "small", "--to", "2026-10-31", "--data", dir); code != 0 {
		t.Fatal(errs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	key := strings.Repeat("0123456789abcdef", 4)
	code, out, errs := run("upload", "--url", url, "--distributor", "D001", "--key", key, "--now", "--data", dir)
	if code == 0 || !strings.Contains(errs, "head office not reached") || !strings.Contains(out, "waiting 1") {
		t.Fatalf("upload: %d\n%s\n%s", code, out, errs)
	}
}
