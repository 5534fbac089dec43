package irp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/masters"
)

// IRN statuses.
const (
	StatusPending     = "pending"
	StatusSending     = "sending" // a request went out, no answer recorded: resent, and 2150 recovers it
	StatusActive      = "active"
	StatusFailed      = "failed"
	StatusCancelled   = "cancelled"
	StatusNotRequired = "not_required"
)

// Record is where a document stands with the IRP.
type Record struct {
	Kind          string    `json:"kind"` // invoice or sales_return
	Number        string    `json:"number"`
	Date          cal.Date  `json:"date"`
	Outlet        string    `json:"outlet,omitempty"`
	Status        string    `json:"irn_status"`
	IRN           string    `json:"irn,omitempty"`
	AckNo         string    `json:"ack_no,omitempty"`
	AckDate       string    `json:"ack_date,omitempty"`
	SignedInvoice string    `json:"signed_invoice,omitempty"`
	SignedQR      string    `json:"signed_qr,omitempty"`
	Error         string    `json:"irn_error,omitempty"`
	ErrorCode     string    `json:"irn_error_code,omitempty"`
	Attempts      int       `json:"attempts,omitempty"`
	NextTry       time.Time `json:"next_try,omitzero"`
	CancelledAt   string    `json:"irn_cancelled_at,omitempty"`
}

// List returns the records, the waiting ones first (all=false leaves out
// active, cancelled and not-required ones).
func List(tx *book.Tx, all bool) ([]Record, error) {
	out := []Record{}
	err := scanRecords(tx, func(r *Record) (bool, error) {
		if all || r.Status == StatusPending || r.Status == StatusSending || r.Status == StatusFailed {
			out = append(out, *r)
		}
		return true, nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].Number < out[j].Number
	})
	return out, err
}

// Feed looks at the postings since the last call and queues every B2B
// invoice and credit note dated from einvoice_from. It runs in its own
// transaction after the posting, never inside it; because it follows the
// book's durable posting log, a crash between the two loses nothing.
func Feed(tx *book.Tx) (int, error) {
	co, err := masters.GetCompany(tx)
	if err != nil {
		return 0, err
	}
	cursor := feedCursor(tx)
	entries, err := tx.Queued(book.TallyQueue, cursor, 2000)
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		cursor = e.Seq
		if co.EInvoice == masters.EInvoiceOff {
			continue
		}
		r, err := needs(tx, co, e.Kind, e.ID)
		if err != nil {
			return n, err
		}
		if r == nil {
			continue
		}
		if _, ok, _ := Get(tx, r.Kind, r.Number); ok {
			continue
		}
		if err := put(tx, r); err != nil {
			return n, err
		}
		n++
	}
	return n, putFeedCursor(tx, cursor)
}

// needs returns the record a posting starts, or nil when it needs no IRN;
// a cancellation before the IRN came stops the document's request.
func needs(tx *book.Tx, co masters.Company, kind, id string) (*Record, error) {
	switch kind {
	case billing.KindInvoice:
		inv, err := billing.GetInvoice(tx, id)
		if err != nil {
			return nil, err
		}
		if !einvoice.NeedsIRN(inv.OutletGSTIN) || inv.Date < co.EInvoiceFrom {
			return nil, nil
		}
		return &Record{Kind: kind, Number: inv.Number, Date: inv.Date, Outlet: inv.Outlet, Status: StatusPending}, nil
	case billing.KindSalesReturn:
		cn, err := billing.GetSalesReturn(tx, id)
		if err != nil {
			return nil, err
		}
		inv, err := billing.GetInvoice(tx, cn.Invoice)
		if err != nil {
			return nil, err
		}
		if !einvoice.NeedsIRN(inv.OutletGSTIN) || cn.Date < co.EInvoiceFrom {
			return nil, nil
		}
		return &Record{Kind: kind, Number: cn.Number, Date: cn.Date, Outlet: cn.Outlet, Status: StatusPending}, nil
	case billing.KindCancel:
		r, ok, err := Get(tx, billing.KindInvoice, id)
		if err != nil || !ok || r.Status == StatusActive || r.Status == StatusCancelled {
			return nil, err
		}
		r.Status, r.Error, r.NextTry = StatusNotRequired, "cancelled before its IRN was generated", time.Time{}
		return nil, put(tx, &r)
	}
	return nil, nil
}

// Build makes a queued document's e-invoice.
func Build(tx *book.Tx, kind, number string) (*einvoice.Document, error) {
	if kind == billing.KindSalesReturn {
		return einvoice.ForCreditNote(tx, number)
	}
	return einvoice.ForInvoice(tx, number)
}

// Worker takes the queue to the portal.
type Worker struct {
	Book    *book.Book
	Now     func() time.Time
	Timeout time.Duration                    // per request; 30 s if 0
	Backoff func(attempts int) time.Duration // default: 1 min doubling, at most 1 h

	client *Client
}

// Report says what a step did.
type Report struct {
	Queued, Sent, Active, Failed int
	Unreachable                  bool
}

func (w *Worker) backoff(n int) time.Duration {
	if w.Backoff != nil {
		return w.Backoff(n)
	}
	d := time.Minute
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// CredentialsOf are the company's IRP settings as the client takes them.
func CredentialsOf(co masters.Company, sec masters.IRPSecrets) Credentials {
	return Credentials{BaseURL: strings.TrimRight(co.IRPURL, "/"), GSTIN: co.GSTIN, Username: co.IRPUsername,
		Password: sec.Password, ClientID: sec.ClientID, ClientSecret: sec.ClientSecret, Mode: co.IRPMode, PublicKey: co.IRPPublicKey}
}

// clientFor returns a client for the company's settings, reusing the
// logged-in one while they stay the same.
func (w *Worker) clientFor(co masters.Company, sec masters.IRPSecrets) *Client {
	cred := CredentialsOf(co, sec)
	if w.client == nil || w.client.Cred != cred {
		w.client = NewClient(cred, w.Timeout)
	}
	return w.client
}

// Step feeds the queue from the postings and, with einvoice api, sends every
// due document. A document is marked sending (durably) before its request
// goes out; when the portal cannot be reached the step stops and the rest
// wait for the next one. Billing never waits on any of it.
func (w *Worker) Step(ctx context.Context) (Report, error) {
	var rep Report
	behind := false
	err := w.Book.View(func(tx *book.Tx) error {
		next, err := tx.Queued(book.TallyQueue, feedCursor(tx), 1)
		behind = len(next) > 0
		return err
	})
	if err == nil && behind {
		err = w.Book.UpdateAs(book.Actor{User: "irn", Role: "system", From: "irp"}, func(tx *book.Tx) error {
			var err error
			rep.Queued, err = Feed(tx)
			return err
		})
	}
	if err != nil {
		return rep, err
	}
	var co masters.Company
	var sec masters.IRPSecrets
	var due []Record
	now := w.now()
	err = w.Book.View(func(tx *book.Tx) error {
		var err error
		if co, err = masters.GetCompany(tx); err != nil {
			return err
		}
		if sec, err = masters.GetIRPSecrets(tx); err != nil {
			return err
		}
		all, err := List(tx, false)
		for _, r := range all {
			if r.NextTry.IsZero() || !r.NextTry.After(now) {
				due = append(due, r)
			}
		}
		return err
	})
	if err != nil || co.EInvoice != masters.EInvoiceAPI || len(due) == 0 {
		return rep, err
	}
	c := w.clientFor(co, sec)
	for _, r := range due {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		if err := w.send(ctx, c, r, &rep); err != nil {
			return rep, err
		}
		if rep.Unreachable {
			break
		}
	}
	return rep, nil
}

// Retry makes a failed document due now.
func Retry(tx *book.Tx, kind, number string) (Record, error) {
	r, ok, err := Get(tx, kind, number)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, fail.NotFound("IRN request", number)
	}
	if r.Status != StatusFailed && r.Status != StatusPending {
		return r, fail.Conflict("number", "%s is %s: nothing to retry", number, r.Status)
	}
	r.NextTry = time.Time{}
	return r, put(tx, &r)
}

func (w *Worker) send(ctx context.Context, c *Client, r Record, rep *Report) error {
	var doc *einvoice.Document
	var buildErr error
	err := w.Book.UpdateAs(book.Actor{User: "irn", Role: "system", From: "irp"}, func(tx *book.Tx) error {
		cur, _, err := Get(tx, r.Kind, r.Number)
		if err != nil {
			return err
		}
		r = cur
		doc, buildErr = Build(tx, r.Kind, r.Number)
		r.Attempts++
		if buildErr != nil {
			// the clerk's to fix (a PIN, an HSN): say what, try again later
			r.Status, r.ErrorCode, r.NextTry = StatusFailed, "", w.now().Add(w.backoff(r.Attempts))
			r.Error = buildErr.Error()
			if e, ok := fail.As(buildErr); ok {
				r.Error = e.Reason
			}
			return put(tx, &r)
		}
		r.Status = StatusSending
		return put(tx, &r)
	})
	if err != nil || buildErr != nil {
		if buildErr != nil {
			rep.Failed++
		}
		return err
	}
	rep.Sent++
	data, sendErr := c.Generate(ctx, doc)
	return w.Book.UpdateAs(book.Actor{User: "irn", Role: "system", From: "irp"}, func(tx *book.Tx) error {
		if sendErr != nil {
			r.Status = StatusFailed
			r.ErrorCode, r.Error = Explain(sendErr)
			r.NextTry = w.now().Add(w.backoff(r.Attempts))
			if errors.Is(sendErr, ErrUnreachable) {
				rep.Unreachable = true
			}
			rep.Failed++
			return put(tx, &r)
		}
		if len(data.Irn) != 64 || data.SignedQRCode == "" {
			return fmt.Errorf("%s %s: the IRP's answer has no IRN or QR code", r.Kind, r.Number)
		}
		before := r
		r.Status, r.Error, r.ErrorCode, r.NextTry = StatusActive, "", "", time.Time{}
		r.IRN, r.AckNo, r.AckDate = data.Irn, fmt.Sprint(data.AckNo), data.AckDt
		r.SignedInvoice, r.SignedQR = data.SignedInvoice, data.SignedQRCode
		rep.Active++
		if err := put(tx, &r); err != nil {
			return err
		}
		return tx.Audit("irn", r.Kind, r.Number, map[string]any{"irn_status": before.Status},
			map[string]any{"irn_status": r.Status, "irn": r.IRN, "ack_no": r.AckNo, "ack_date": r.AckDate}, "")
	})
}

// MarkCancelled records that an invoice's IRN was cancelled on the portal
// (in the cancellation's own transaction), audited.
func MarkCancelled(tx *book.Tx, number, at string) error {
	r, ok, err := Get(tx, billing.KindInvoice, number)
	if err != nil || !ok {
		return err
	}
	r.Status, r.CancelledAt = StatusCancelled, at
	if err := put(tx, &r); err != nil {
		return err
	}
	return tx.Audit("irn_cancel", r.Kind, r.Number, map[string]any{"irn_status": StatusActive, "irn": r.IRN},
		map[string]any{"irn_status": r.Status, "irn_cancelled_at": at}, "")
}
