package backup_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"vitaran/backend/app"
	"vitaran/backend/backup"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/masters"
)

// shop is a distributor's open book with a fake clock.
type shop struct {
	t   *testing.T
	app *app.App
	now time.Time
	n   int // outlets added so far
}

func openShop(t *testing.T) *shop { return openShopWith(t, app.Options{}) }

func openShopWith(t *testing.T, opt app.Options) *shop {
	t.Helper()
	a, err := app.Open(t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	s := &shop{t: t, app: a, now: time.Date(2026, 6, 1, 13, 30, 0, 0, cal.IST)}
	a.Now = func() time.Time { return s.now }
	t.Cleanup(func() { a.Close() })
	return s
}

// addOutlet bills a new shop on the beat: one more document in the book.
func (s *shop) addOutlet() {
	s.t.Helper()
	s.n++
	err := s.app.Book.UpdateAs(book.Actor{User: "meena"}, func(tx *book.Tx) error {
		_, err := masters.CreateOutlet(tx, masters.Outlet{Code: fmt.Sprintf("OUT%03d", s.n), Name: fmt.Sprintf("Sri Lakshmi Stores %d", s.n), StateCode: "29"})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

func outletCodes(t *testing.T, b *book.Book) []string {
	t.Helper()
	var codes []string
	err := b.View(func(tx *book.Tx) error {
		os, err := masters.ListOutlets(tx, masters.OutletFilter{})
		for _, o := range os {
			codes = append(codes, o.Code)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

func auditCount(t *testing.T, b *book.Book) int {
	t.Helper()
	var n int
	b.View(func(tx *book.Tx) error {
		es, err := tx.AuditLog(0, 0, nil)
		n = len(es)
		return err
	})
	return n
}

// restoreInto restores file into a fresh data folder and checks the book
// there the way `vitaran check` does.
func restoreInto(t *testing.T, file string) *book.Book {
	t.Helper()
	dir := t.TempDir()
	if _, err := app.Restore(dir, file); err != nil {
		t.Fatalf("restore %s: %v", filepath.Base(file), err)
	}
	path := filepath.Join(dir, book.FileName)
	if err := book.Verify(path); err != nil {
		t.Fatal(err)
	}
	b, err := book.Open(path, book.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	r, err := app.CheckBook(b)
	if err != nil || !r.OK() {
		t.Fatalf("check after restoring %s: %v %v", filepath.Base(file), err, r.Problems)
	}
	return b
}

func TestEveryKindOfBackupRestoresTheWholeBookOfItsMoment(t *testing.T) {
	s := openShop(t)
	sched := s.app.Backups()
	type taken struct {
		kind    backup.Kind
		file    string
		outlets []string
		audit   int
	}
	var all []taken
	snap := func(kind backup.Kind, file string) {
		if filepath.Base(file) == "" || !strings.Contains(filepath.Base(file), string(kind)) {
			t.Fatalf("%s backup written as %s", kind, file)
		}
		all = append(all, taken{kind, file, outletCodes(t, s.app.Book), auditCount(t, s.app.Book)})
	}
	scheduled := func(day string) {
		d, _ := time.ParseInLocation("2006-01-02 15:04", day+" 13:30", cal.IST)
		s.now = d
		f, err := sched.Scheduled()
		if err != nil {
			t.Fatal(err)
		}
		// the audit entry for the backup is written after the snapshot
		all = append(all, taken{f.Kind, f.Path, outletCodes(t, s.app.Book), auditCount(t, s.app.Book) - 1})
		s.addOutlet()
	}

	s.addOutlet()
	plain := filepath.Join(t.TempDir(), "pendrive", "vitaran-copy.book")
	if _, err := s.app.Backup(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	all = append(all, taken{"plain", plain, outletCodes(t, s.app.Book), auditCount(t, s.app.Book) - 1})
	s.addOutlet()
	// Book.Open copies the book aside like this before a migration.
	pre := filepath.Join(s.app.DataDir, "backups", "pre-migration-v1-"+s.now.UTC().Format("20060102-150405")+".book")
	os.MkdirAll(filepath.Dir(pre), 0o700)
	if err := s.app.Book.BackupFile(pre); err != nil {
		t.Fatal(err)
	}
	snap(backup.PreMigration, pre)
	s.addOutlet()
	scheduled("2026-06-01") // Monday, the first of the month
	scheduled("2026-06-02")
	scheduled("2026-06-08") // the next Monday
	s.now = s.now.Add(time.Hour)
	man, err := sched.BackupNow(book.Actor{User: "admin", From: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, taken{man.Kind, man.Path, outletCodes(t, s.app.Book), auditCount(t, s.app.Book) - 1})
	s.addOutlet()

	kinds := []backup.Kind{}
	for _, x := range all {
		kinds = append(kinds, x.kind)
	}
	if want := []backup.Kind{"plain", backup.PreMigration, backup.Monthly, backup.Daily, backup.Weekly, backup.Manual}; !slices.Equal(kinds, want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for _, x := range all {
		t.Run(string(x.kind), func(t *testing.T) {
			b := restoreInto(t, x.file)
			if got := outletCodes(t, b); !slices.Equal(got, x.outlets) {
				t.Fatalf("restored outlets %v, the book had %v", got, x.outlets)
			}
			// … and one more: the restore itself is in the audit trail.
			if got := auditCount(t, b); got != x.audit+1 {
				t.Fatalf("restored %d audit entries, the book had %d (+1 for the restore)", got, x.audit)
			}
		})
	}

	listed, err := backup.List(sched.Folder(), s.app.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range listed {
		got = append(got, string(f.Kind))
	}
	if want := []string{"manual", "weekly", "daily", "monthly", "pre-migration"}; !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	if last := sched.Last(); last == nil || last.Path != man.Path {
		t.Fatalf("last backup %+v, want %s", last, man.Path)
	}
}

func sum(t *testing.T, path string) [32]byte {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(raw)
}

func TestATruncatedOrTamperedBackupIsNeverRestored(t *testing.T) {
	s := openShop(t)
	s.addOutlet()
	f, err := s.app.Backups().BackupNow(book.Actor{User: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	// The book being replaced must come through every refusal untouched.
	target := t.TempDir()
	if _, err := app.Restore(target, f.Path); err != nil {
		t.Fatal(err)
	}
	before := sum(t, filepath.Join(target, book.FileName))

	flipped := slices.Clone(whole)
	flipped[len(flipped)/2] ^= 0x40
	cases := map[string][]byte{
		"cut after the header":    whole[:40],
		"cut in the middle":       whole[:len(whole)/2],
		"the last byte missing":   whole[:len(whole)-1],
		"the CRC trailer missing": whole[:len(whole)-8],
		"one byte changed":        flipped,
		"empty":                   {},
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "vitaran-daily-20260601-133000.book.gz")
			if err := os.WriteFile(bad, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := app.Restore(target, bad)
			if err == nil {
				t.Fatal("a damaged backup was restored")
			}
			if len(raw) > 2 && !errors.Is(err, backup.ErrDamaged) {
				t.Fatalf("want ErrDamaged, got %v", err)
			}
			if !strings.HasPrefix(err.Error(), "not restored: ") {
				t.Fatalf("unclear error: %v", err)
			}
			if sum(t, filepath.Join(target, book.FileName)) != before {
				t.Fatal("the book was changed by a refused restore")
			}
			if _, err := os.Stat(filepath.Join(target, book.FileName+".unpacked.partial")); err == nil {
				t.Fatal("a temp file was left behind")
			}
		})
	}
	if err := backup.Check(f.Path); err != nil {
		t.Fatalf("the untouched backup: %v", err)
	}
}

func TestANonVitaranGzipIsRefused(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "photos.book.gz")
	// a gzip of a (too small) file with no checksum in its header
	if err := os.WriteFile(gz, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := app.Restore(t.TempDir(), gz)
	if !errors.Is(err, backup.ErrDamaged) || !strings.Contains(err.Error(), "not a Vitaran backup") {
		t.Fatalf("got %v", err)
	}
}

// A year of daily backups at 13:30, then rotation: exactly
// the first of each of the last 12 months, the first of each of the last 4
// weeks, and the last 7 other days survive.
func TestRotationKeepsSevenDaysFourWeeksAndTwelveMonths(t *testing.T) {
	s := openShopWith(t, app.Options{NoSync: true}) // 364 backups: spare the disk the fsyncs
	defer backup.SkipFsync()()
	sched := s.app.Backups()
	for d := time.Date(2025, 3, 20, 13, 30, 0, 0, cal.IST); !d.After(time.Date(2026, 3, 18, 13, 30, 0, 0, cal.IST)); d = d.AddDate(0, 0, 1) {
		s.now = d
		if _, err := sched.Scheduled(); err != nil {
			t.Fatal(err)
		}
	}
	ents, err := os.ReadDir(sched.Folder())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(e.Name(), "vitaran-"), "-133000.book.gz"))
	}
	want := []string{
		"daily-20260311", "daily-20260312", "daily-20260313", "daily-20260314", "daily-20260315", "daily-20260317", "daily-20260318",
		"monthly-20250401", "monthly-20250501", "monthly-20250601", "monthly-20250701", "monthly-20250801", "monthly-20250901",
		"monthly-20251001", "monthly-20251101", "monthly-20251201", "monthly-20260101", "monthly-20260201", "monthly-20260301",
		"weekly-20260223", "weekly-20260302", "weekly-20260309", "weekly-20260316",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("kept:\n%v\nwant:\n%v", got, want)
	}
}

func TestRotationNeverTouchesManualCopiesOrOtherFiles(t *testing.T) {
	dir := t.TempDir()
	keep := []string{"pre-migration-v1-20250101-000000.book", "before-restore-20250101-000000.book", "notes.txt", "vitaran.book"}
	for _, n := range keep {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	for i := 1; i <= 12; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("vitaran-manual-202501%02d-100000.book.gz", i)), []byte("x"), 0o600)
	}
	removed, err := backup.Rotate(dir, backup.DefaultPolicy, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"vitaran-manual-20250102-100000.book.gz", "vitaran-manual-20250101-100000.book.gz"}; !slices.Equal(removed, want) {
		t.Fatalf("removed %v, want the two oldest manual backups", removed)
	}
	for _, n := range keep {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Fatalf("%s was removed", n)
		}
	}
}

func TestStartTakesABackupWhenTheLastIsOlderThanADay(t *testing.T) {
	s := openShop(t)
	sched := s.app.Backups()
	s.now = time.Date(2026, 6, 1, 9, 0, 0, 0, cal.IST)
	if !sched.Due() {
		t.Fatal("a book never backed up is not due")
	}
	if err := sched.Start(); err != nil {
		t.Fatal(err)
	}
	st, _ := sched.Status()
	next := st.Next.In(cal.IST)
	if next.Hour() != 13 || next.Minute() != 30 {
		t.Fatalf("next run %v, want 13:30 IST", next)
	}
	sched.Stop() // waits for the start-up backup
	files, _ := backup.List(sched.Folder(), s.app.DataDir)
	if len(files) != 1 || files[0].Kind != backup.Monthly {
		t.Fatalf("after start: %+v", files)
	}
	s.now = s.now.Add(23 * time.Hour)
	if sched.Due() {
		t.Fatal("due 23 hours after a backup")
	}
	s.now = s.now.Add(2 * time.Hour)
	if !sched.Due() {
		t.Fatal("not due 25 hours after a backup")
	}
}

func TestBackupSettingsAreCheckedAndAudited(t *testing.T) {
	s := openShop(t)
	second := filepath.Join(t.TempDir(), "D-drive", "Vitaran backups")
	for _, c := range []struct {
		in    backup.Settings
		field string
	}{
		{backup.Settings{Schedule: "every day"}, "schedule"},
		{backup.Settings{Schedule: "@every 1s"}, "schedule"},
		{backup.Settings{Folder: "backups"}, "folder"},
	} {
		err := s.app.Book.Update(func(tx *book.Tx) error { _, err := backup.SaveSettings(tx, c.in); return err })
		if err == nil || !strings.HasPrefix(err.Error(), c.field+":") {
			t.Fatalf("%+v: %v", c.in, err)
		}
	}
	err := s.app.Book.UpdateAs(book.Actor{User: "admin", From: "192.168.1.20"}, func(tx *book.Tx) error {
		_, err := backup.SaveSettings(tx, backup.Settings{Folder: second, Schedule: "0 19 * * *"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.app.Backups().BackupNow(book.Actor{User: "admin"})
	if err != nil || filepath.Dir(f.Path) != second {
		t.Fatalf("backup went to %s (%v), want %s", f.Path, err, second)
	}
	var log []book.AuditEntry
	s.app.Book.View(func(tx *book.Tx) error {
		log, err = tx.AuditLog(0, 0, func(e *book.AuditEntry) bool { return e.Action == "setting" && e.Kind == "backup" })
		return err
	})
	if len(log) != 1 || log[0].User != "admin" || log[0].From != "192.168.1.20" ||
		!strings.Contains(string(log[0].Before), `"schedule":"30 13 * * *"`) || !strings.Contains(string(log[0].After), `"schedule":"0 19 * * *"`) {
		t.Fatalf("audit: %+v", log)
	}
}
