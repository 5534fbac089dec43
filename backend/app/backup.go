package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// backupName is the file name POST /api/backup accepts: a plain name, no
// folder, ending in .book.
var backupName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,119}\.book$`)

// windowsDevices are names Windows opens as devices whatever the extension.
var windowsDevices = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// checkBackupName refuses anything but a plain file name (see backupName).
func checkBackupName(name string) error {
	if name == "" {
		return fail.Invalid("to", "name the backup file, e.g. \"before-audit.book\"")
	}
	if strings.ContainsAny(name, `/\:`) || name == "." || name == ".." {
		return fail.Invalid("to", "give a file name, not a path: backups go into the backup folder (Settings → Backups)")
	}
	if !backupName.MatchString(name) || strings.Contains(name, "..") {
		return fail.Invalid("to", "%q is not a backup file name: use letters, digits, spaces, . _ ( ) -, at most 125 characters, ending in .book", name)
	}
	stem, _, _ := strings.Cut(name, ".")
	if windowsDevices[strings.ToUpper(strings.TrimSpace(stem))] || strings.EqualFold(name, book.FileName) {
		return fail.Invalid("to", "%q is a reserved name: choose another", name)
	}
	return nil
}

// BackupNamed writes a consistent copy of the book as name inside the
// configured backup folder and returns its full path and size. name is a
// file name (checkBackupName), never a path; an existing file is never
// overwritten.
func (a *App) BackupNamed(ctx context.Context, name string) (string, int64, error) {
	if err := checkBackupName(name); err != nil {
		return "", 0, err
	}
	dst := filepath.Join(a.Backups().Folder(), name)
	n, err := a.Backup(ctx, dst)
	return dst, n, err
}

// backupCopy writes the book to w; a test makes it fail.
var backupCopy = func(b *book.Book, w io.Writer) (int64, error) { return b.WriteTo(w) }

// Backup writes a consistent copy of the book to the file dst while the app
// keeps working, and records it in the audit log. dst must not exist yet,
// and can never be the live book or another of the server's own files. The
// copy goes to a temp file first; a failure leaves nothing behind.
func (a *App) Backup(ctx context.Context, dst string) (int64, error) {
	if dst == "" {
		return 0, fail.Invalid("to", "name the backup file")
	}
	dst, err := filepath.Abs(dst)
	if err != nil {
		return 0, fail.Invalid("to", "%v", err)
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fail.Invalid("to", "cannot create the backup folder: %v", err)
	}
	if err := a.ownFile(dst); err != nil {
		return 0, err
	}
	if _, err := os.Lstat(dst); err == nil {
		return 0, fail.Conflict("to", "%s exists already: choose another name", filepath.Base(dst))
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".*.partial")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := backupCopy(a.Book, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// A hard link refuses an existing name, so a file that appeared
		// meanwhile is not replaced.
		err = os.Link(tmp.Name(), dst)
	}
	os.Remove(tmp.Name())
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return 0, fail.Conflict("to", "%s exists already: choose another name", filepath.Base(dst))
		}
		return 0, fmt.Errorf("backup: %w", err)
	}
	err = a.update(ctx, func(tx *book.Tx) error {
		return tx.Audit("backup", "book", dst, nil, nil, fmt.Sprintf("%d bytes", n))
	})
	return n, err
}

// ownFile refuses dst when it is, or resolves to, the live book, a file
// next to it (its lock, the TLS key, serve.json) or one inside the data
// folder outside its backups.
func (a *App) ownFile(dst string) error {
	bad := fail.Invalid("to", "a backup cannot be written over the book or the server's own files: choose a name in the backup folder")
	resolve := func(p string) string {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		abs, _ := filepath.Abs(p)
		return abs
	}
	data := resolve(a.DataDir)
	live := resolve(a.Book.Path())
	for _, p := range []string{dst, resolve(dst), filepath.Join(resolve(filepath.Dir(dst)), filepath.Base(dst))} {
		if p == live || strings.HasPrefix(filepath.Base(p), book.FileName) || filepath.Dir(p) == data || filepath.Dir(p) == filepath.Dir(live) {
			return bad
		}
	}
	return nil
}

// LocalToken is a secret a server writes to its data folder so commands run
// by the same OS user (vitaran backup) can reach the running instance.
func (a *App) LocalToken() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.localToken == "" {
		a.localToken = randomToken(32)
	}
	return a.localToken
}

// postBackup answers POST /api/backup.
func (a *App) postBackup(c *Call) (any, error) {
	var in struct {
		To string `json:"to"`
	}
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	path, n, err := a.BackupNamed(c.Ctx, in.To)
	if err != nil {
		return nil, err
	}
	return map[string]any{"to": in.To, "path": path, "bytes": n}, nil
}
