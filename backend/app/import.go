package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"vitaran/backend/excel"
	"vitaran/backend/fail"
	"vitaran/backend/importer"
)

// MaxImportBytes caps an uploaded spreadsheet: 100,000 rows of outlets are
// about 8 MB as .xlsx, so 64 MiB leaves room for any real file.
const MaxImportBytes = 64 << 20

const sheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ImportKind is one kind of file the import screen offers.
type ImportKind struct {
	Name   string   `json:"name"`
	Title  string   `json:"title"`
	Wired  bool     `json:"wired"` // false: the file is checked, not yet applied
	Fields []string `json:"fields"`
}

// ImportKinds lists the kinds of import.
func (a *App) ImportKinds() []ImportKind { return AllImportKinds() }

// AllImportKinds lists the kinds of import with no book open (the CLI's
// help names them).
func AllImportKinds() []ImportKind {
	out := []ImportKind{}
	for _, k := range importer.Kinds() {
		ik := ImportKind{Name: k.Name, Title: k.Title, Wired: k.Wired}
		for _, f := range k.Spec.Fields {
			ik.Fields = append(ik.Fields, f.Name)
		}
		out = append(out, ik)
	}
	return out
}

// CheckImportKind refuses a kind of import that does not exist, before a
// book is opened for it.
func CheckImportKind(kind string) error {
	_, err := importer.Lookup(kind)
	return err
}

// ImportResult is an import's report and, when rows were bad, the id of
// the downloadable bad rows.
type ImportResult struct {
	*importer.Report
	BadRowsID string `json:"bad_rows_id,omitempty"`
}

// ImportFile imports (or with dryRun checks) the file at path. Progress goes
// out as task "import".
func (a *App) ImportFile(ctx context.Context, kind, path, name string, dryRun bool) (ImportResult, error) {
	return a.ImportFileWith(ctx, kind, path, name, dryRun, false)
}

// ImportFileWith is ImportFile with createMissing: an outlet file's beats
// and salesmen not in the book are created in the same import.
func (a *App) ImportFileWith(ctx context.Context, kind, path, name string, dryRun, createMissing bool) (ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return ImportResult{}, err
	}
	defer f.Close()
	rep, err := importer.Import(a.Book, kind, f, name, importer.Options{DryRun: dryRun, CreateMissing: createMissing, Today: a.Today(),
		Actor: CallerOf(ctx).Actor(), Progress: a.progress(ctx, "import")})
	if err != nil {
		return ImportResult{}, importError(err)
	}
	out := ImportResult{Report: rep}
	if len(rep.Errors) > 0 && rep.Result != nil {
		if _, err := f.Seek(0, io.SeekStart); err == nil {
			var buf bytes.Buffer
			if err := excel.WriteBadRows(&buf, f, name, rep.Result); err == nil {
				out.BadRowsID = badRows.put(badRowsName(name), buf.Bytes())
			}
		}
	}
	return out, nil
}

// importError turns a file that cannot be read at all into a 400.
func importError(err error) error {
	if _, ok := fail.As(err); ok {
		return err
	}
	return fail.Invalid("file", "%v", err)
}

func badRowsName(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if base == "" || base == "." {
		base = "import"
	}
	return base + "-bad-rows.xlsx"
}

// badRows keeps the last few bad-rows workbooks for download by id.
var badRows = &downloads{m: map[string]download{}}

type download struct {
	name string
	body []byte
	at   time.Time
}

type downloads struct {
	mu sync.Mutex
	m  map[string]download
}

func (d *downloads) put(name string, body []byte) string {
	var raw [12]byte
	rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, v := range d.m {
		if time.Since(v.at) > time.Hour || len(d.m) > 16 {
			delete(d.m, k)
		}
	}
	d.m[id] = download{name, body, time.Now()}
	return id
}

func (d *downloads) get(id string) (download, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	v, ok := d.m[id]
	return v, ok
}

// saveUpload streams the multipart part named "file" (or the first file
// part) to a temporary file, so a large upload never sits in memory.
func saveUpload(c *Call) (path, name string, err error) {
	mr, err := c.R.MultipartReader()
	if err != nil {
		return "", "", fail.Invalid("file", "send the spreadsheet as multipart/form-data in a field named file")
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return "", "", fail.Invalid("file", "no file in the upload: send it in a field named file")
		}
		if err != nil {
			return "", "", uploadError(err)
		}
		if p.FileName() == "" && p.FormName() != "file" {
			continue
		}
		return savePart(p)
	}
}

func savePart(p *multipart.Part) (string, string, error) {
	name := filepath.Base(p.FileName())
	if name == "." || name == "/" || name == "" {
		name = "upload.xlsx"
	}
	tmp, err := os.CreateTemp("", "vitaran-import-*"+strings.ToLower(filepath.Ext(name)))
	if err != nil {
		return "", "", err
	}
	_, err = io.Copy(tmp, p)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", "", uploadError(err)
	}
	return tmp.Name(), name, nil
}

func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fail.Invalid("file", "is larger than %d MB: split it into smaller files", tooBig.Limit>>20)
	}
	return fail.Invalid("file", "the upload broke off: %v", err)
}

// importUpload saves the uploaded file and imports it (or only checks it).
func (a *App) importUpload(c *Call, dryRun bool) (ImportResult, error) {
	kind := c.Param("kind")
	if _, err := importer.Lookup(kind); err != nil {
		return ImportResult{}, err
	}
	path, name, err := saveUpload(c)
	if err != nil {
		return ImportResult{}, err
	}
	defer os.Remove(path)
	create := c.Query("create_missing")
	return a.ImportFileWith(c.Ctx, kind, path, name, dryRun, create == "1" || create == "true")
}

// getImportKinds answers GET /api/import/kinds.
func (a *App) getImportKinds(c *Call) (any, error) {
	return a.ImportKinds(), nil
}

// getImportKindTemplate answers GET /api/import/{kind}/template.
func (a *App) getImportKindTemplate(c *Call) (any, error) {
	var buf bytes.Buffer
	if err := importer.Template(c.Param("kind"), &buf); err != nil {
		return nil, err
	}
	return File{Name: c.Param("kind") + "-template.xlsx", ContentType: sheetType, Body: buf.Bytes()}, nil
}

// postImportKind answers POST /api/import/{kind}.
func (a *App) postImportKind(c *Call) (any, error) {
	dry := c.Query("dry_run")
	return a.importUpload(c, dry == "1" || dry == "true")
}

// postImportKindBadRows answers POST /api/import/{kind}/bad-rows: the bad
// rows of the file sent, with a reason column: the same check as a dry run,
// answered as a workbook.
func (a *App) postImportKindBadRows(c *Call) (any, error) {
	res, err := a.importUpload(c, true)
	if err != nil {
		return nil, err
	}
	if res.BadRowsID == "" {
		return nil, fail.Invalid("file", "has no bad rows")
	}
	return badRowsFile(res.BadRowsID)
}

// getImportBadRowsId answers GET /api/import-bad-rows/{id}.
func (a *App) getImportBadRowsId(c *Call) (any, error) {
	return badRowsFile(c.Param("id"))
}

func badRowsFile(id string) (any, error) {
	f, err := ImportBadRows(id)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ImportBadRows is the workbook of an import's bad rows, with a reason
// column, by the ImportResult's BadRowsID (GET /api/import-bad-rows/{id};
// `vitaran import --bad-rows` writes it to a file).
func ImportBadRows(id string) (File, error) {
	d, ok := badRows.get(id)
	if !ok {
		return File{}, fail.NotFound("bad rows", id)
	}
	return File{Name: d.name, ContentType: sheetType, Body: d.body}, nil
}
