package irp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst/einvoice"
)

// Offline e-invoicing (no GSP contract): the waiting documents go out as the
// JSON array the portal's bulk generation tool takes, and the portal's reply
// file (one entry per document with its IRN, ack and signed QR code) comes
// back in.

// Export is the bulk file of the waiting documents and those that could not
// be made (named, with the reason).
type Export struct {
	Documents []*einvoice.Document `json:"documents"`
	Skipped   []Skipped            `json:"skipped"`
}

// Skipped names a document left out of the bulk file and why.
type Skipped struct {
	Number string `json:"number"`
	Reason string `json:"reason"`
}

// ExportPending builds the waiting (pending or failed) documents of a day,
// or of every day when day is empty.
func ExportPending(tx *book.Tx, day cal.Date) (Export, error) {
	out := Export{Documents: []*einvoice.Document{}, Skipped: []Skipped{}}
	rs, err := List(tx, false)
	if err != nil {
		return out, err
	}
	for _, r := range rs {
		if day != "" && r.Date != day {
			continue
		}
		d, err := Build(tx, r.Kind, r.Number)
		if err != nil {
			why := err.Error()
			if e, ok := fail.As(err); ok {
				why = e.Reason
			}
			out.Skipped = append(out.Skipped, Skipped{Number: r.Number, Reason: why})
			continue
		}
		out.Documents = append(out.Documents, d)
	}
	return out, nil
}

// ReplyEntry is one document in the portal's reply file.
type ReplyEntry struct {
	DocTyp        string `json:"DocTyp"`
	DocNo         string `json:"DocNo"`
	DocDt         string `json:"DocDt"`
	Irn           string `json:"Irn"`
	AckNo         int64  `json:"AckNo"`
	AckDt         string `json:"AckDt"`
	SignedInvoice string `json:"SignedInvoice"`
	SignedQRCode  string `json:"SignedQRCode"`
}

var irnRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

// maxReply bounds a reply file (a day of 1,000 signed invoices).
const maxReply = 64 << 20

// ImportReply stores the IRNs of a reply file: every entry is checked first
// (a waiting document of this book, a 64-hex IRN, a QR code that names the
// same document and IRN) and one bad entry refuses the whole file, naming
// it; nothing is half-written.
func ImportReply(tx *book.Tx, raw []byte) (int, error) {
	if len(raw) > maxReply {
		return 0, fail.Invalid("file", "is larger than %d MB", maxReply>>20)
	}
	var entries []ReplyEntry
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&entries); err != nil {
		return 0, fail.Invalid("file", "is not the portal's reply (a JSON list of documents with Irn, AckNo, AckDt, SignedQRCode): %v", err)
	}
	type done struct {
		r Record
		e ReplyEntry
	}
	var ok []done
	for i, e := range entries {
		at := fmt.Sprintf("entry %d (%s)", i+1, e.DocNo)
		kind := billing.KindInvoice
		switch strings.ToUpper(e.DocTyp) {
		case einvoice.TypInvoice:
		case einvoice.TypCreditNote:
			kind = billing.KindSalesReturn
		default:
			return 0, fail.Invalid("file", "%s: DocTyp %q must be INV or CRN", at, e.DocTyp)
		}
		r, found, err := Get(tx, kind, strings.ToUpper(strings.TrimSpace(e.DocNo)))
		if err != nil {
			return 0, err
		}
		if !found {
			return 0, fail.Invalid("file", "%s: no document of this book waits for an IRN under that number", at)
		}
		if r.Status == StatusActive {
			if r.IRN == strings.ToLower(e.Irn) {
				continue // imported before
			}
			return 0, fail.Conflict("file", "%s already has IRN %s, not %s: a document has one IRN", at, r.IRN, e.Irn)
		}
		if r.Status != StatusPending && r.Status != StatusFailed && r.Status != StatusSending {
			return 0, fail.Conflict("file", "%s is %s: it takes no IRN", at, r.Status)
		}
		if d, err := einvoice.ParseDate(e.DocDt); err != nil || d != r.Date {
			return 0, fail.Invalid("file", "%s: DocDt %q is not the document's date %s", at, e.DocDt, einvoice.Date(r.Date))
		}
		e.Irn = strings.ToLower(e.Irn)
		if !irnRe.MatchString(e.Irn) {
			return 0, fail.Invalid("file", "%s: Irn must be 64 hexadecimal characters", at)
		}
		if _, err := time.Parse(AckTime, e.AckDt); err != nil || e.AckNo <= 0 {
			return 0, fail.Invalid("file", "%s: AckNo and AckDt (yyyy-mm-dd hh:mm:ss) are required", at)
		}
		q, err := ReadQR(e.SignedQRCode)
		if err != nil {
			return 0, fail.Invalid("file", "%s: SignedQRCode: %v", at, err)
		}
		if !strings.EqualFold(q.Irn, e.Irn) || q.DocNo != r.Number {
			return 0, fail.Invalid("file", "%s: the signed QR code is for %s (IRN %s), not this document", at, q.DocNo, q.Irn)
		}
		ok = append(ok, done{r, e})
	}
	for _, x := range ok {
		r, e := x.r, x.e
		before := r.Status
		r.Status, r.Error, r.ErrorCode, r.NextTry = StatusActive, "", "", time.Time{}
		r.IRN, r.AckNo, r.AckDate, r.SignedInvoice, r.SignedQR = e.Irn, fmt.Sprint(e.AckNo), e.AckDt, e.SignedInvoice, e.SignedQRCode
		if err := put(tx, &r); err != nil {
			return 0, err
		}
		if err := tx.Audit("irn", r.Kind, r.Number, map[string]any{"irn_status": before},
			map[string]any{"irn_status": r.Status, "irn": r.IRN, "ack_no": r.AckNo, "ack_date": r.AckDate}, "offline reply file"); err != nil {
			return 0, err
		}
	}
	return len(ok), nil
}

// ReplyFor turns the emulator's (or the portal's) answers into a reply file's
// entries: the CLI and tests use it to answer a bulk file.
func ReplyFor(d *einvoice.Document, data IRNData) ReplyEntry {
	return ReplyEntry{DocTyp: d.DocDtls.Typ, DocNo: d.DocDtls.No, DocDt: d.DocDtls.Dt, Irn: data.Irn, AckNo: data.AckNo, AckDt: data.AckDt,
		SignedInvoice: data.SignedInvoice, SignedQRCode: data.SignedQRCode}
}
