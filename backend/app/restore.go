package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"vitaran/backend/backup"
	"vitaran/backend/book"
)

// Restore replaces the book in dataDir with a verified copy of backup: a
// plain book file (vitaran backup --to, a pre-migration copy) or a
// compressed backup (.book.gz), which is first unpacked to a temp file and
// its SHA-256 checked. The backup is checked first (a truncated or damaged
// file is refused), copied next to the book, checked again, and only then
// renamed over it; the previous book is kept aside and its name returned.
// It refuses while another process holds the book.
func Restore(dataDir, backupFile string) (keptAs string, err error) {
	if backup.IsCompressed(backupFile) {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return "", err
		}
		unpacked := filepath.Join(dataDir, book.FileName+".unpacked")
		if err := backup.Unpack(backupFile, unpacked); err != nil {
			return "", fmt.Errorf("not restored: %w", err)
		}
		defer os.Remove(unpacked)
		backupFile = unpacked
	}
	if err := book.Verify(backupFile); err != nil {
		return "", fmt.Errorf("not restored: %w", err)
	}
	target := filepath.Join(dataDir, book.FileName)
	if _, err := os.Stat(target); err == nil {
		held, err := book.Open(target, book.Options{LockWait: 200 * time.Millisecond})
		if errors.Is(err, book.ErrLocked) {
			return "", fmt.Errorf("not restored: %w", err)
		}
		if err == nil {
			held.Close()
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	tmp := target + ".restoring"
	if err := copyFile(backupFile, tmp); err != nil {
		return "", fmt.Errorf("not restored: %w", err)
	}
	if err := book.Verify(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("not restored: the copy failed its check: %w", err)
	}
	if _, err := os.Stat(target); err == nil {
		keptAs = filepath.Join(dataDir, "backups", "before-restore-"+time.Now().UTC().Format("20060102-150405")+".book")
		if err := os.MkdirAll(filepath.Dir(keptAs), 0o700); err != nil {
			return "", err
		}
		if err := os.Rename(target, keptAs); err != nil {
			return "", err
		}
	}
	return keptAs, os.Rename(tmp, target)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
