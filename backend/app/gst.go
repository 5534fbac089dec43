package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/dispatch"
	"vitaran/backend/fail"
	"vitaran/backend/gst/einvoice"
	"vitaran/backend/gst/ewaybill"
	"vitaran/backend/gst/gstr1"
	"vitaran/backend/gst/irp"
	"vitaran/backend/masters"
)

// gstRoutes: the e-invoice JSON of a document, the IRN queue, e-way bills
// and GSTR-1. The rules live in backend/gst and its subpackages.
// getInvoicesNumberEinvoice answers GET /api/invoices/{number}/einvoice.
func (a *App) getInvoicesNumberEinvoice(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) (*einvoice.Document, error) { return einvoice.ForInvoice(tx, c.Param("number")) })
}

// getReturnsNumberEinvoice answers GET /api/returns/{number}/einvoice.
func (a *App) getReturnsNumberEinvoice(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) (*einvoice.Document, error) { return einvoice.ForCreditNote(tx, c.Param("number")) })
}

// getInvoicesNumberQr answers GET /api/invoices/{number}/qr.
func (a *App) getInvoicesNumberQr(c *Call) (any, error) {
	return a.signedQR(billing.KindInvoice, c.Param("number"))
}

// getReturnsNumberQr answers GET /api/returns/{number}/qr.
func (a *App) getReturnsNumberQr(c *Call) (any, error) {
	return a.signedQR(billing.KindSalesReturn, c.Param("number"))
}

// getInvoicesNumberEwaybill answers GET /api/invoices/{number}/ewaybill.
func (a *App) getInvoicesNumberEwaybill(c *Call) (any, error) {
	d, err := dispatchOf(c)
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (*ewaybill.File, error) { return ewaybill.ForInvoice(tx, c.Param("number"), d) })
}

// getInvoicesNumberEwaybillCheck answers GET /api/invoices/{number}/ewaybill/check.
func (a *App) getInvoicesNumberEwaybillCheck(c *Call) (any, error) {
	d, err := dispatchQuery(c)
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (EWayBillCheck, error) { return checkEWayBill(tx, c.Param("number"), d) })
}

// putInvoicesNumberEwaybill answers PUT /api/invoices/{number}/ewaybill.
func (a *App) putInvoicesNumberEwaybill(c *Call) (any, error) {
	var in ewaybill.Record
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	var out ewaybill.Record
	err := a.update(c.Ctx, func(tx *book.Tx) error {
		var err error
		out, err = ewaybill.PutRecord(tx, c.Param("number"), in, a.Today())
		return err
	})
	return out, err
}

// getEwaybillCheck answers GET /api/ewaybill/check.
func (a *App) getEwaybillCheck(c *Call) (any, error) {
	d, err := dispatchQuery(c)
	if err != nil {
		return nil, err
	}
	day, err := dateQuery(c, "date", a.Today())
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) ([]ewaybill.Report, error) { return ewaybill.CheckDay(tx, day, c.Query("beat"), d) })
}

// getEwaybill answers GET /api/ewaybill.
func (a *App) getEwaybill(c *Call) (any, error) {
	d, err := dispatchOf(c)
	if err != nil {
		return nil, err
	}
	day, err := dateQuery(c, "date", a.Today())
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (*ewaybill.File, error) { return ewaybill.ForDay(tx, day, c.Query("beat"), d) })
}

// GSTR1 is the GSTR-1 return of a period (MMYYYY).
func (a *App) GSTR1(period string) (*gstr1.Return, error) {
	return read(a, func(tx *book.Tx) (*gstr1.Return, error) { return gstr1.Build(tx, period) })
}

// IRNOffline queues every invoice due for an IRN, then exports those of day
// (empty: every day) for the portal's bulk tool.
func (a *App) IRNOffline(ctx context.Context, day cal.Date) (irp.Export, error) {
	if err := a.update(ctx, func(tx *book.Tx) error { _, err := irp.Feed(tx); return err }); err != nil {
		return irp.Export{}, err
	}
	return read(a, func(tx *book.Tx) (irp.Export, error) { return irp.ExportPending(tx, day) })
}

// ImportIRNReply stores the IRNs of the portal's bulk tool reply file.
func (a *App) ImportIRNReply(ctx context.Context, raw []byte) (int, error) {
	var n int
	err := a.update(ctx, func(tx *book.Tx) error { var err error; n, err = irp.ImportReply(tx, raw); return err })
	return n, err
}

// getGstGstr1 answers GET /api/gst/gstr1.
func (a *App) getGstGstr1(c *Call) (any, error) { return a.GSTR1(c.Query("period")) }

// getEinvoiceOffline answers GET /api/einvoice/offline.
func (a *App) getEinvoiceOffline(c *Call) (any, error) {
	day, err := dateQuery(c, "date", "")
	if err != nil {
		return nil, err
	}
	return a.IRNOffline(c.Ctx, day)
}

// postEinvoiceOfflineImport answers POST /api/einvoice/offline/import.
func (a *App) postEinvoiceOfflineImport(c *Call) (any, error) {
	raw, err := io.ReadAll(c.R.Body)
	if err != nil {
		return nil, decodeError(err)
	}
	n, err := a.ImportIRNReply(c.Ctx, raw)
	return map[string]int{"imported": n}, err
}

// getGstGstr1Xlsx answers GET /api/gst/gstr1.xlsx.
func (a *App) getGstGstr1Xlsx(c *Call) (any, error) {
	r, err := a.GSTR1(c.Query("period"))
	if err != nil {
		return nil, err
	}
	body, err := r.XLSX()
	return File{Name: "GSTR1-" + r.FP + ".xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Body: body}, err
}

// getEinvoiceQueue answers GET /api/einvoice/queue.
func (a *App) getEinvoiceQueue(c *Call) (any, error) {
	return read(a, func(tx *book.Tx) ([]irp.Record, error) {
		rs, err := irp.List(tx, c.Query("all") == "1")
		for i := range rs { // the list is for the screen: the signed texts stay on the document
			rs[i].SignedInvoice, rs[i].SignedQR = "", ""
		}
		return rs, err
	})
}

// postEinvoiceRetryNumber answers POST /api/einvoice/retry/{number}.
func (a *App) postEinvoiceRetryNumber(c *Call) (any, error) {
	var r irp.Record
	err := a.update(c.Ctx, func(tx *book.Tx) error {
		var err error
		kind := billing.KindInvoice
		if _, ok, _ := irp.Get(tx, billing.KindSalesReturn, strings.ToUpper(c.Param("number"))); ok {
			kind = billing.KindSalesReturn
		}
		r, err = irp.Retry(tx, kind, strings.ToUpper(c.Param("number")))
		return err
	})
	if err == nil {
		a.irn().wake()
	}
	return r, err
}

// dispatchQuery reads a dispatch's transport from the query: vehicle,
// distance, trans_mode, transporter_id, transporter_name, trans_doc_no,
// trans_doc_date.
func dispatchQuery(c *Call) (ewaybill.Dispatch, error) {
	d := ewaybill.Dispatch{VehicleNo: c.Query("vehicle"), TransporterID: c.Query("transporter_id"), TransporterName: c.Query("transporter_name"),
		TransDocNo: c.Query("trans_doc_no"), TransDocDate: cal.Date(c.Query("trans_doc_date"))}
	for _, f := range []struct {
		name string
		to   *int
	}{{"distance", &d.Distance}, {"trans_mode", &d.TransMode}} {
		if v := c.Query(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return d, fail.Invalid(f.name, "%q is not a whole number", v)
			}
			*f.to = n
		}
	}
	return d, nil
}

// dispatchOf is the query's dispatch, checked: the JSON is made only for a
// dispatch the portal would take.
func dispatchOf(c *Call) (ewaybill.Dispatch, error) {
	d, err := dispatchQuery(c)
	if err != nil {
		return d, err
	}
	return d, d.Check()
}

// EWayBillCheck is an invoice's e-way bill report with the dispatch trip it
// is out on, whose vehicle and distance the screen fills in.
type EWayBillCheck struct {
	*ewaybill.Report
	Trip *TripRef `json:"trip,omitempty"`
}

// TripRef is the part of a dispatch trip an e-way bill takes.
type TripRef struct {
	ID         int64    `json:"id"`
	Date       cal.Date `json:"date"`
	VehicleNo  string   `json:"vehicle_no"`
	Driver     string   `json:"driver"`
	DistanceKM int      `json:"distance_km"`
}

func checkEWayBill(tx *book.Tx, number string, d ewaybill.Dispatch) (EWayBillCheck, error) {
	rep, err := ewaybill.CheckInvoice(tx, number, d)
	if err != nil {
		return EWayBillCheck{}, err
	}
	out := EWayBillCheck{Report: rep}
	if t, ok, err := dispatch.TripOf(tx, rep.Invoice); err != nil {
		return out, err
	} else if ok {
		out.Trip = &TripRef{ID: t.ID, Date: t.Date, VehicleNo: t.VehicleNo, Driver: t.Driver, DistanceKM: t.DistanceKM}
	}
	return out, nil
}

// SignedQR is a document's signed QR code drawn for printing.
type SignedQR struct {
	IRN string `json:"irn"`
	PNG string `json:"png"` // a data: URL
}

// signedQR draws the QR code the IRP signed for a document; a document
// without an active IRN has none to print.
func (a *App) signedQR(kind, number string) (SignedQR, error) {
	var ok bool
	r, err := read(a, func(tx *book.Tx) (r irp.Record, err error) { r, ok, err = irp.Get(tx, kind, number); return })
	if err != nil {
		return SignedQR{}, err
	}
	if !ok || r.SignedQR == "" || r.Status != irp.StatusActive {
		return SignedQR{}, fail.Conflict("irn", "%s has no active IRN, so there is no signed QR code to print", number)
	}
	png, err := irp.QRImage(r.SignedQR)
	return SignedQR{IRN: r.IRN, PNG: png}, err
}

// IRNView is the IRN part of an invoice's or credit note's JSON.
type IRNView struct {
	Status        string `json:"irn_status"`
	IRN           string `json:"irn,omitempty"`
	AckNo         string `json:"ack_no,omitempty"`
	AckDate       string `json:"ack_date,omitempty"`
	SignedInvoice string `json:"signed_invoice,omitempty"`
	SignedQR      string `json:"signed_qr,omitempty"`
	Error         string `json:"irn_error,omitempty"`
}

// irnView says where a document stands with the IRP: nil while e-invoicing
// is off and the document never had a request.
func irnView(tx *book.Tx, kind, number string, b2b bool, date cal.Date) (*IRNView, error) {
	r, ok, err := irp.Get(tx, kind, number)
	if err != nil {
		return nil, err
	}
	if ok {
		return &IRNView{Status: r.Status, IRN: r.IRN, AckNo: r.AckNo, AckDate: r.AckDate, SignedInvoice: r.SignedInvoice, SignedQR: r.SignedQR, Error: r.Error}, nil
	}
	co, err := masters.GetCompany(tx)
	if err != nil || co.EInvoice == masters.EInvoiceOff {
		return nil, err
	}
	if !b2b || date < co.EInvoiceFrom {
		return &IRNView{Status: irp.StatusNotRequired}, nil
	}
	return &IRNView{Status: irp.StatusPending}, nil
}

// InvoiceWithIRN is an invoice as GET /api/invoices/{number} answers it:
// with where it stands with the IRP and its e-way bill, when recorded.
type InvoiceWithIRN struct {
	billing.Invoice
	*IRNView
	EWayBill *ewaybill.Record `json:"ewaybill,omitempty"`
}

// CreditNoteWithIRN is a credit note as GET /api/returns/{number} answers it.
type CreditNoteWithIRN struct {
	billing.SalesReturn
	*IRNView
	// AmountInWords is the credit's total as the note prints it, in the
	// same words as the invoice's (money.Paise.Words).
	AmountInWords string `json:"amount_in_words"`
}

// ReceiptView is a receipt as GET /api/receipts/{number} answers it: with
// its amount in words for the printed receipt.
type ReceiptView struct {
	billing.Receipt
	AmountInWords string `json:"amount_in_words"`
}

func receiptView(tx *book.Tx, number string) (ReceiptView, error) {
	r, err := billing.GetReceipt(tx, number)
	return ReceiptView{r, r.AmountPaise.Words()}, err
}

func invoiceWithIRN(tx *book.Tx, number string) (any, error) {
	inv, err := billing.GetInvoice(tx, number)
	if err != nil {
		return nil, err
	}
	v, err := irnView(tx, billing.KindInvoice, inv.Number, einvoice.NeedsIRN(inv.OutletGSTIN), inv.Date)
	if err != nil {
		return nil, err
	}
	out := InvoiceWithIRN{Invoice: inv, IRNView: v}
	if rec, ok, err := ewaybill.GetRecord(tx, inv.Number); err != nil {
		return nil, err
	} else if ok {
		out.EWayBill = &rec
	}
	return out, nil
}

func creditNoteWithIRN(tx *book.Tx, number string) (any, error) {
	cn, err := billing.GetSalesReturn(tx, number)
	if err != nil {
		return nil, err
	}
	inv, err := billing.GetInvoice(tx, cn.Invoice)
	if err != nil {
		return nil, err
	}
	v, err := irnView(tx, billing.KindSalesReturn, cn.Number, einvoice.NeedsIRN(inv.OutletGSTIN), cn.Date)
	return CreditNoteWithIRN{cn, v, cn.TotalPaise.Words()}, err
}

// CancelWithIRN is the cancellation's body: billing's fields and the IRN's
// cancellation reason (1 duplicate, 2 data entry mistake, 3 order
// cancelled, 4 other; default 2).
type CancelWithIRN struct {
	billing.CancelInput
	ReasonCode int `json:"reason_code,omitempty"`
}

var errDryRun = errors.New("dry run")

// cancelInvoice cancels an invoice and, when it has an active IRN, the IRN
// first: within 24 hours of the IRN only (after that the portal refuses and
// a credit note is the way). The billing cancellation is tried (and rolled
// back) before the portal is asked, so the portal's IRN is never cancelled
// for an invoice that stays posted.
func (a *App) cancelInvoice(ctx context.Context, number string, in CancelWithIRN) (any, error) {
	if in.ReasonCode == 0 {
		in.ReasonCode = 2
	}
	if in.ReasonCode < 1 || in.ReasonCode > 4 {
		return nil, fail.Invalid("reason_code", "must be 1 (duplicate), 2 (data entry mistake), 3 (order cancelled) or 4 (other)")
	}
	number = strings.ToUpper(strings.TrimSpace(number))
	var rec irp.Record
	var has bool
	var co masters.Company
	var sec masters.IRPSecrets
	err := a.view(func(tx *book.Tx) error {
		var err error
		if rec, has, err = irp.Get(tx, billing.KindInvoice, number); err != nil {
			return err
		}
		if co, err = masters.GetCompany(tx); err != nil {
			return err
		}
		sec, err = masters.GetIRPSecrets(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if has && rec.Status == irp.StatusSending {
		return nil, fail.Conflict("number", "invoice %s is being sent to the IRP right now: cancel it again in a minute", number)
	}
	active := has && rec.Status == irp.StatusActive
	if active {
		ack, err := time.ParseInLocation(irp.AckTime, rec.AckDate, cal.IST)
		if err == nil && a.Now().Sub(ack) > 24*time.Hour {
			return nil, fail.Conflict("number", "invoice %s got its IRN on %s, more than 24 hours ago: the IRN can no longer be cancelled. Make a credit note (sales return) instead", number, rec.AckDate)
		}
		// would the book cancel it? (rolled back)
		err = a.update(ctx, func(tx *book.Tx) error {
			if _, err := billing.Cancel(tx, number, in.CancelInput, a.Today()); err != nil {
				return err
			}
			return errDryRun
		})
		if !errors.Is(err, errDryRun) {
			return nil, err
		}
		c := irp.NewClient(irp.CredentialsOf(co, sec), 30*time.Second)
		out, err := c.Cancel(ctx, rec.IRN, in.ReasonCode, in.Reason)
		if err != nil {
			code, text := irp.Explain(err)
			if code == irp.CodeCancelTooLate {
				return nil, fail.Conflict("number", "%s", text)
			}
			if code != irp.CodeNotActive { // already cancelled on the portal: go on
				return nil, fail.Conflict("number", "the IRN could not be cancelled, so the invoice stays posted: %s", text)
			}
		}
		rec.CancelledAt = out.CancelDate
	}
	var inv billing.Invoice
	err = a.update(ctx, func(tx *book.Tx) error {
		var err error
		if inv, err = billing.Cancel(tx, number, in.CancelInput, a.Today()); err != nil {
			return err
		}
		if active {
			return irp.MarkCancelled(tx, number, rec.CancelledAt)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return read(a, func(tx *book.Tx) (any, error) { return invoiceWithIRN(tx, inv.Number) })
}

// irnWorkers: each App has one IRN worker, started by StartIRN.
var (
	irnMu      sync.Mutex
	irnWorkers = map[*App]*irnRunner{}
)

type irnRunner struct {
	w    *irp.Worker
	poke chan struct{}
}

func (r *irnRunner) wake() {
	select {
	case r.poke <- struct{}{}:
	default:
	}
}

func (a *App) irn() *irnRunner {
	irnMu.Lock()
	defer irnMu.Unlock()
	r := irnWorkers[a]
	if r == nil {
		r = &irnRunner{w: &irp.Worker{Book: a.Book, Now: func() time.Time { return a.Now() }}, poke: make(chan struct{}, 1)}
		irnWorkers[a] = r
		a.OnClose(func() { irnMu.Lock(); delete(irnWorkers, a); irnMu.Unlock() })
	}
	return r
}

// IRNStep runs the IRN queue once (the worker's loop and tests).
func (a *App) IRNStep(ctx context.Context) (irp.Report, error) { return a.irn().w.Step(ctx) }

// StartIRN runs the IRN queue in the background until the returned stop is
// called: every few seconds, and at once after a Retry. Billing never waits
// on it; with einvoice off it only follows the postings.
func StartIRN(a *App, every time.Duration) (stop func()) {
	if every <= 0 {
		every = 5 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r := a.irn()
	log := slog.Default().With("task", "irn")
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if rep, err := r.w.Step(ctx); err != nil && ctx.Err() == nil {
				log.Error("IRN queue", "err", err)
			} else if rep.Sent > 0 {
				log.Info("IRN queue", "sent", rep.Sent, "active", rep.Active, "failed", rep.Failed)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-r.poke:
			}
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	a.OnClose(stop)
	return stop
}
