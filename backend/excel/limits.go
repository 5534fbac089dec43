package excel

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on what one spreadsheet may cost the server. A zip bomb (an .xlsx
// of a few MB that unpacks to gigabytes) is refused from the zip's
// directory before any part is unpacked; rows past MaxRows stop the read;
// errors past MaxErrors are counted, not kept. docs/SECURITY.md states
// them; tests lower none of them.
var (
	// MaxFileBytes is the largest .xlsx read (the import route takes 64 MiB).
	MaxFileBytes int64 = 64 << 20
	// MaxUnpackedBytes is what all the parts of an .xlsx may unpack to
	// together (100,000 real rows unpack to about 60 MB).
	MaxUnpackedBytes int64 = 256 << 20
	// MaxStringsBytes is the shared-strings part's unpacked size.
	MaxStringsBytes int64 = 32 << 20
	// MaxPartBytes is any other part's unpacked size (styles, workbook,
	// theme, …), each of which is parsed whole into memory. Worksheets
	// stream and count only towards MaxUnpackedBytes.
	MaxPartBytes int64 = 8 << 20
	// inMemoryPart: a worksheet or shared-strings part larger than this is
	// unpacked to a temp file and streamed (excelize's UnzipXMLSizeLimit).
	inMemoryPart int64 = 8 << 20
	// MaxRows is the last sheet row (or CSV line) read; a longer file is
	// refused: split it.
	MaxRows = 200_000
	// MaxErrors is how many row errors a Result keeps; the rest are only
	// counted in Result.MoreErrors.
	MaxErrors = 500
)

// ErrTooBig is wrapped by the errors for files over a limit.
var ErrTooBig = fmt.Errorf("the file is larger than Vitaran reads")

// checkZip reads an .xlsx's zip directory and refuses it, before anything
// is unpacked, when its parts would unpack past the limits. The sizes are
// the ones the zip declares; archive/zip refuses a part whose data unpacks
// to more than its declared size.
func checkZip(raw []byte, name string) error {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return fmt.Errorf("%s is not an Excel workbook (the file may be damaged or only renamed): save it again from Excel as .xlsx", name)
	}
	if len(zr.File) > 10_000 {
		return fmt.Errorf("%s: %w: it holds %d parts", name, ErrTooBig, len(zr.File))
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		if total > uint64(MaxUnpackedBytes) {
			return fmt.Errorf("%s: %w: it unpacks to more than %d MiB (a real sheet of %d rows is far smaller): save only the sheet to import", name, ErrTooBig, MaxUnpackedBytes>>20, MaxRows)
		}
		part := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		switch {
		case strings.HasPrefix(part, "xl/worksheets/sheet"):
		case part == "xl/sharedstrings.xml":
			if size > uint64(MaxStringsBytes) {
				return fmt.Errorf("%s: %w: its text table unpacks to %d MiB, over %d MiB", name, ErrTooBig, size>>20, MaxStringsBytes>>20)
			}
		case strings.HasSuffix(part, ".xml") || strings.HasSuffix(part, ".rels"):
			if size > uint64(MaxPartBytes) {
				return fmt.Errorf("%s: %w: its part %s unpacks to %d MiB, over %d MiB", name, ErrTooBig, f.Name, size>>20, MaxPartBytes>>20)
			}
		}
	}
	return nil
}

// openWorkbook opens an .xlsx within the limits.
func openWorkbook(r io.Reader, name string) (*excelize.File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > MaxFileBytes {
		return nil, fmt.Errorf("%s: %w: it is over %d MiB", name, ErrTooBig, MaxFileBytes>>20)
	}
	if err := checkZip(raw, name); err != nil {
		return nil, err
	}
	return excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: MaxUnpackedBytes, UnzipXMLSizeLimit: inMemoryPart})
}
