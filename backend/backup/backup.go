// Package backup keeps the distributor's book safe on a second disk: a
// consistent hot copy every day, gzip-compressed, rotated, and restorable.
//
// Always true:
//   - a backup file under its final name is complete: it is written to a
//     ".partial" temp file, read back and checked, fsynced, and only then
//     renamed;
//   - every compressed backup carries the SHA-256 and size of the book it
//     holds in its gzip header (comment "vitaran-backup v1 sha256=… size=…"),
//     and gzip's own CRC trailer; Unpack refuses a file whose content does not
//     match both, so a backup truncated mid-write is never used;
//   - rotation deletes only this package's daily, weekly, monthly and manual
//     files, never a pre-migration copy, a before-restore copy or any file it
//     did not write (see Rotate for the rule).
//
// A backup file is still a plain gzip of the book: `gunzip -c FILE >
// vitaran.book` recovers it without Vitaran.
package backup

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// Kind says why a backup was written.
type Kind string

// Kinds of backup. Daily, weekly and monthly are written by the schedule;
// manual by "Backup now"; the last two are plain copies the book and the
// restore command keep in <data>/backups.
const (
	Daily         Kind = "daily"
	Weekly        Kind = "weekly"
	Monthly       Kind = "monthly"
	Manual        Kind = "manual"
	PreMigration  Kind = "pre-migration"
	BeforeRestore Kind = "before-restore"
)

// File is one backup on disk.
type File struct {
	Path       string    `json:"path"`
	Name       string    `json:"name"`
	Kind       Kind      `json:"kind"`
	At         time.Time `json:"at"`
	Size       int64     `json:"size"`
	Compressed bool      `json:"compressed"`
}

// ErrDamaged means a backup file is incomplete or does not match its
// checksum; it is never restored.
var ErrDamaged = errors.New("the backup is incomplete or damaged and was not used")

const (
	ext        = ".book.gz"
	stampFmt   = "20060102-150405"
	headerTag  = "vitaran-backup v1"
	snapSuffix = ".snapshot.partial"
)

// DefaultFolder is where backups go unless the settings name another.
func DefaultFolder(dataDir string) string { return filepath.Join(dataDir, "backups") }

// fileName is "vitaran-<kind>-YYYYMMDD-HHMMSS.book.gz", the time in IST.
func fileName(kind Kind, at time.Time) string {
	return fmt.Sprintf("vitaran-%s-%s%s", kind, at.In(cal.IST).Format(stampFmt), ext)
}

var (
	ownName   = regexp.MustCompile(`^vitaran-(daily|weekly|monthly|manual|pre-migration|before-restore)-(\d{8}-\d{6})(?:-\d+)?\.book\.gz$`)
	plainName = regexp.MustCompile(`^(pre-migration|before-restore)(?:-v\d+)?-(\d{8}-\d{6})\.book$`)
)

// parseName reads kind and time from a backup's file name.
func parseName(name string) (Kind, time.Time, bool, bool) {
	if m := ownName.FindStringSubmatch(name); m != nil {
		t, err := time.ParseInLocation(stampFmt, m[2], cal.IST)
		return Kind(m[1]), t, true, err == nil
	}
	if m := plainName.FindStringSubmatch(name); m != nil {
		// book.copyAside and Restore stamp these in UTC.
		t, err := time.ParseInLocation(stampFmt, m[2], time.UTC)
		return Kind(m[1]), t, false, err == nil
	}
	return "", time.Time{}, false, false
}

// Write writes a compressed backup of b of the given kind into folder,
// stamped at, and returns it. The book keeps working meanwhile.
func Write(b *book.Book, folder string, kind Kind, at time.Time) (File, error) {
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return File{}, fmt.Errorf("backup folder %s: %w", folder, err)
	}
	// One read transaction gives the snapshot; it goes to a temp file next
	// to the book first because its hash belongs in the gzip header.
	snap := b.Path() + snapSuffix
	sum, size, err := snapshot(b, snap)
	defer os.Remove(snap)
	if err != nil {
		return File{}, fmt.Errorf("backup: %w", err)
	}
	name := fileName(kind, at)
	dst := filepath.Join(folder, name)
	for i := 2; exists(dst); i++ {
		name = strings.TrimSuffix(fileName(kind, at), ext) + "-" + strconv.Itoa(i) + ext
		dst = filepath.Join(folder, name)
	}
	tmp := filepath.Join(folder, "."+name+".partial")
	if err := compress(snap, tmp, sum, size, at); err != nil {
		os.Remove(tmp)
		return File{}, fmt.Errorf("backup to %s: %w", folder, err)
	}
	if err := checkFile(tmp, nil); err != nil {
		os.Remove(tmp)
		return File{}, fmt.Errorf("backup to %s: the written copy failed its check: %w", folder, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return File{}, fmt.Errorf("backup: %w", err)
	}
	syncDir(folder)
	st, err := os.Stat(dst)
	if err != nil {
		return File{}, err
	}
	return File{Path: dst, Name: name, Kind: kind, At: at, Size: st.Size(), Compressed: true}, nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func snapshot(b *book.Book, path string) (string, int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	n, err := b.WriteTo(bw)
	if err != nil {
		return "", 0, err
	}
	if err := bw.Flush(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func compress(src, dst, sum string, size int64, at time.Time) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	zw, err := gzip.NewWriterLevel(bw, gzip.BestSpeed) // a book compresses well even so; the backup of a big book stays quick
	if err != nil {
		out.Close()
		return err
	}
	zw.Name = book.FileName
	zw.ModTime = at
	zw.Comment = fmt.Sprintf("%s sha256=%s size=%d", headerTag, sum, size)
	_, err = io.Copy(zw, in)
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && syncFiles {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncFiles is off only in the test that writes a year of backups.
var syncFiles = true

func syncDir(dir string) {
	if !syncFiles {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// readHeader parses the checksum and size a backup declares.
func readHeader(zr *gzip.Reader) (sum string, size int64, err error) {
	c := zr.Comment
	if !strings.HasPrefix(c, headerTag+" ") {
		return "", 0, fmt.Errorf("%w: it is not a Vitaran backup (no checksum in its header)", ErrDamaged)
	}
	for _, f := range strings.Fields(strings.TrimPrefix(c, headerTag)) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "sha256":
			sum = v
		case "size":
			size, err = strconv.ParseInt(v, 10, 64)
		}
	}
	if len(sum) != 64 || err != nil || size <= 0 {
		return "", 0, fmt.Errorf("%w: its header %q is malformed", ErrDamaged, c)
	}
	return sum, size, nil
}

// checkFile reads a compressed backup through, checking gzip's CRC and the
// declared SHA-256 and size; the book it holds is copied to w when w is
// not nil.
func checkFile(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrDamaged, err)
	}
	zr.Multistream(false)
	sum, size, err := readHeader(zr)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var h hash.Hash = sha256.New()
	dst := io.Writer(h)
	if w != nil {
		dst = io.MultiWriter(h, w)
	}
	n, err := io.Copy(dst, zr)
	if err != nil {
		return fmt.Errorf("%s: %w: it ends early or is corrupt after %d bytes of %d (%v)", path, ErrDamaged, n, size, err)
	}
	if n != size {
		return fmt.Errorf("%s: %w: it holds %d bytes, its header says %d", path, ErrDamaged, n, size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("%s: %w: its SHA-256 is %s, its header says %s", path, ErrDamaged, got, sum)
	}
	return nil
}

// Check reads a compressed backup through and reports whether it is whole.
func Check(path string) error { return checkFile(path, nil) }

// IsCompressed reports whether path starts with the gzip magic bytes.
func IsCompressed(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var m [2]byte
	_, err = io.ReadFull(f, m[:])
	return err == nil && m[0] == 0x1f && m[1] == 0x8b
}

// Unpack decompresses the backup at src into the book file dst, checking
// the checksum and then the book itself (book.Verify). dst is written to a
// temp name and renamed only when both checks pass; on any failure nothing
// is left at dst.
func Unpack(src, dst string) error {
	tmp := dst + ".partial"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	err = checkFile(src, bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = book.Verify(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

// List returns the backups in folder and the plain copies in
// <dataDir>/backups, newest first. Files of other names are ignored.
func List(folder, dataDir string) ([]File, error) {
	var out []File
	seen := map[string]bool{}
	for _, dir := range []string{folder, DefaultFolder(dataDir)} {
		abs, _ := filepath.Abs(dir)
		if seen[abs] {
			continue
		}
		seen[abs] = true
		ents, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("backup folder %s: %w", dir, err)
		}
		for _, e := range ents {
			kind, at, gz, ok := parseName(e.Name())
			if !ok || e.IsDir() {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue
			}
			out = append(out, File{Path: filepath.Join(dir, e.Name()), Name: e.Name(), Kind: kind, At: at, Size: info.Size(), Compressed: gz})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}
