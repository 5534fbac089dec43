package headoffice

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
	"vitaran/backend/loginlimit"
	"vitaran/backend/money"
)

// ReceiverOptions tune the receiver; zero values take the documented defaults.
type ReceiverOptions struct {
	MaxBody     int64 // bytes on the wire per batch (default 64 MiB)
	MaxUnzipped int64 // bytes after gunzip per batch (default 64 MiB)
	// MaxInFlight is how many uploads may be received at once (default
	// 16); one more is answered 429 with Retry-After. A body is streamed
	// through the signature check into a temp file (the first 1 MiB in
	// memory), so an unsigned upload costs little memory.
	MaxInFlight int
	// MaxDecoding is how many signed batches may be decoded at once
	// (default 2): each holds its body and its unzipped parts in memory.
	MaxDecoding int
	// TempDir is where large bodies wait for their signature check (the
	// OS's temp folder when empty).
	TempDir string
	Window  time.Duration // accepted clock skew either way (default 5 min)
	Now     func() time.Time
	Log     *slog.Logger
	// Schemes, when set, is what head office issued; the claims endpoint
	// checks uploaded redemptions against it.
	Schemes ClaimChecker
	// Static, when it holds ho.html, is the built frontend (frontend/dist):
	// GET / serves its ho.html and GET /assets/ its files. Without it (or
	// without ho.html in it) GET / serves the embedded dependency-free page.
	Static fs.FS
}

// Receiver is head office's side: it takes signed batches, and serves the
// dashboard and its JSON.
type Receiver struct {
	store    Store
	opt      ReceiverOptions
	mux      *http.ServeMux
	inFlight chan struct{}
	decoding chan struct{}
	// held counts what uploads hold (held.go)
	uploads, decodes, bytes gauge
	// logins throttles dashboard logins as the LAN door does.
	logins *loginlimit.Limiter
}

// NewReceiver makes a receiver over store.
func NewReceiver(store Store, opt ReceiverOptions) *Receiver {
	opt = opt.withDefaults()
	// the login throttle is kept in the store, so a restart resets no lockout
	logins, err := loginlimit.Load(store)
	if err != nil {
		opt.Log.Error("head office: login throttle not loaded; starting afresh", "err", err)
		logins = loginlimit.New()
	}
	r := &Receiver{store: store, opt: opt, inFlight: make(chan struct{}, opt.MaxInFlight), decoding: make(chan struct{}, opt.MaxDecoding), logins: logins}
	r.mux = http.NewServeMux()
	r.mux.HandleFunc("POST "+wire.UploadPath, r.upload)
	r.mux.HandleFunc("POST "+wire.NumbersPath, r.numbers)
	r.mux.HandleFunc("POST "+wire.TotalsPath, r.totals)
	r.mux.HandleFunc("GET /upload/v1/ping", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"format_version": wire.FormatVersion})
	})
	r.routeDashboard()
	return r
}

// Handler is the receiver's whole HTTP surface: upload, dashboard, JSON.
func (r *Receiver) Handler() http.Handler { return r.mux }

// Serve listens on addr and serves until ctx ends. For TLS, put the
// receiver behind a terminating proxy or use ServeTLS.
func (r *Receiver) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("head-office receiver: %w", err)
	}
	return r.ServeListener(ctx, ln, "", "")
}

// ServeTLS is Serve over HTTPS with the given certificate and key files.
func (r *Receiver) ServeTLS(ctx context.Context, addr, certFile, keyFile string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("head-office receiver: %w", err)
	}
	return r.ServeListener(ctx, ln, certFile, keyFile)
}

// ServeListener serves on ln until ctx ends (TLS when certFile is set).
func (r *Receiver) ServeListener(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	srv := &http.Server{
		Handler:           r.mux,
		ReadHeaderTimeout: 20 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		// TLS 1.2 or later, forward-secret AEAD suites only (no CBC-SHA1).
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		}},
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			srv.Shutdown(sctx)
			cancel()
		case <-done:
		}
	}()
	defer close(done)
	var err error
	if certFile != "" {
		err = srv.ServeTLS(ln, certFile, keyFile)
	} else {
		err = srv.Serve(ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeRefusal(w http.ResponseWriter, status int, code, reason string) {
	writeJSON(w, status, wire.Refusal{Error: code, Reason: reason})
}

// upload is POST /upload/v1/batches.
func (r *Receiver) upload(w http.ResponseWriter, req *http.Request) {
	code := req.Header.Get(wire.HeaderDistributor)
	ts := req.Header.Get(wire.HeaderTimestamp)
	sig := strings.ToLower(req.Header.Get(wire.HeaderSignature))
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, wire.ContentType) {
		writeRefusal(w, http.StatusUnsupportedMediaType, "bad_content_type", "Content-Type must be "+wire.ContentType)
		return
	}
	if code == "" || ts == "" || sig == "" {
		writeRefusal(w, http.StatusUnauthorized, "unsigned", "the "+wire.HeaderDistributor+", "+wire.HeaderTimestamp+" and "+wire.HeaderSignature+" headers are required")
		return
	}
	if req.ContentLength > r.opt.MaxBody {
		writeRefusal(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("a batch is at most %d bytes; split it", r.opt.MaxBody))
		return
	}
	d, ok, err := r.store.Distributor(code)
	if err != nil {
		r.opt.Log.Error("head office: read distributor", "code", code, "err", err)
		writeRefusal(w, http.StatusInternalServerError, "store", "the receiver could not read its store; retry later")
		return
	}
	if !ok {
		writeRefusal(w, http.StatusUnauthorized, "unknown_distributor", "distributor "+code+" is not registered at head office")
		return
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	now := r.opt.Now()
	if err != nil {
		writeRefusal(w, http.StatusUnauthorized, "bad_timestamp", "the timestamp must be Unix seconds")
		return
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > r.opt.Window || skew < -r.opt.Window {
		writeRefusal(w, http.StatusUnauthorized, "stale_timestamp", fmt.Sprintf("the timestamp is %s away from the receiver's clock; at most %s is accepted (check the PC's clock, then re-sign)", skew.Round(time.Second), r.opt.Window))
		return
	}
	select {
	case r.inFlight <- struct{}{}:
		r.uploads.add(1)
		defer func() { r.uploads.add(-1); <-r.inFlight }()
	default:
		w.Header().Set("Retry-After", "30")
		writeRefusal(w, http.StatusTooManyRequests, "busy", fmt.Sprintf("the receiver is taking %d uploads already; retry in a little while", r.opt.MaxInFlight))
		return
	}
	// Every buffer this upload holds is charged to r.bytes until it ends.
	var charged int64
	charge := func(n int64) { charged += n; r.bytes.add(n) }
	defer func() { r.bytes.add(-charged) }()
	sb, err := r.receiveSigned(req.Body, d.Key, ts, sig, charge)
	if sb != nil {
		defer sb.close()
	}
	switch {
	case errors.Is(err, errTooLarge):
		writeRefusal(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("a batch is at most %d bytes; split it", r.opt.MaxBody))
		return
	case errors.Is(err, errBadSignature):
		writeRefusal(w, http.StatusUnauthorized, "bad_signature", "the signature does not match the body and timestamp under this distributor's key")
		return
	case err != nil:
		writeRefusal(w, http.StatusBadRequest, "bad_body", "reading the body: "+err.Error())
		return
	}
	// Only a signed body is decoded, and only MaxDecoding at once.
	select {
	case r.decoding <- struct{}{}:
		r.decodes.add(1)
		defer func() { r.decodes.add(-1); <-r.decoding }()
	case <-req.Context().Done():
		return
	}
	body, err := sb.bytes(charge)
	if err != nil {
		r.opt.Log.Error("head office: read the received body back", "code", code, "err", err)
		writeRefusal(w, http.StatusInternalServerError, "store", "the receiver could not read the upload back; retry later")
		return
	}
	if first, err := r.store.FirstSignature(sig, time.Unix(secs, 0), now, r.opt.Window); err != nil {
		r.opt.Log.Error("head office: replay cache", "code", code, "err", err)
		writeRefusal(w, http.StatusInternalServerError, "store", "the receiver could not read its store; retry later")
		return
	} else if !first {
		writeRefusal(w, http.StatusConflict, "replayed", "this exact signed request was already received; re-sign with a fresh timestamp")
		return
	}
	b, err := wire.DecodeBatch(body, wire.Limits{MaxUnzipped: r.opt.MaxUnzipped, Charge: charge})
	if err != nil {
		var de *wire.DecodeError
		if errors.As(err, &de) {
			status := http.StatusBadRequest
			switch de.Code {
			case "too_large":
				status = http.StatusRequestEntityTooLarge
			case "bad_hash", "bad_count", "bad_length":
				status = http.StatusUnprocessableEntity
			}
			writeJSON(w, status, wire.Refusal{Error: de.Code, Reason: de.Reason, Part: de.Part, Row: de.Row})
			return
		}
		writeRefusal(w, http.StatusBadRequest, "bad_batch", err.Error())
		return
	}
	if b.Manifest.DistributorCode != code {
		writeRefusal(w, http.StatusBadRequest, "bad_manifest", "the manifest's distributor_code "+b.Manifest.DistributorCode+" is not the signing distributor "+code)
		return
	}
	ack, dup, err := r.store.Ingest(b, now)
	switch {
	case errors.Is(err, ErrBatchConflict):
		writeRefusal(w, http.StatusConflict, "batch_conflict", err.Error())
		return
	case err != nil:
		r.opt.Log.Error("head office: store batch", "code", code, "batch", b.Manifest.BatchID, "err", err)
		writeRefusal(w, http.StatusInternalServerError, "store", "the receiver could not store the batch; nothing of it was kept; retry later")
		return
	}
	r.opt.Log.Info("head office: batch", "code", code, "batch", b.Manifest.BatchID, "kind", b.Manifest.Kind, "lines", b.Lines(), "duplicate", dup)
	writeJSON(w, http.StatusOK, ack)
}

func (opt ReceiverOptions) withDefaults() ReceiverOptions {
	if opt.MaxBody <= 0 {
		opt.MaxBody = wire.DefaultMaxBody
	}
	if opt.MaxUnzipped <= 0 {
		opt.MaxUnzipped = wire.DefaultMaxUnzipped
	}
	if opt.Window <= 0 {
		opt.Window = 5 * time.Minute
	}
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = 16
	}
	if opt.MaxDecoding <= 0 {
		opt.MaxDecoding = 2
	}
	if opt.Now == nil {
		opt.Now = cal.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return opt
}

// AddDistributor registers a distributor under code in region and returns
// its new key, to be given to the distributor once.
func AddDistributor(store Store, code, region, name string) (string, error) {
	if !wire.ValidCode(code) {
		return "", fmt.Errorf("distributor code %q: use letters, digits, _ . - (up to 32)", code)
	}
	if strings.TrimSpace(region) == "" {
		return "", fmt.Errorf("distributor %s: --region is required", code)
	}
	key := wire.NewKey()
	d := Distributor{Code: code, Region: strings.TrimSpace(region), Name: name, Key: key, AddedAt: cal.Now().UTC()}
	if err := store.AddDistributor(d); err != nil {
		return "", err
	}
	return key, nil
}

// DistributorStats is one line of `vitaran headoffice stats`. The JSON names
// are a contract with operations staff.
type DistributorStats struct {
	Code              string      `json:"code"`
	Region            string      `json:"region"`
	Batches           int         `json:"batches"`
	SalesLines        int         `json:"sales_lines"`
	SalesTaxablePaise money.Paise `json:"sales_taxable_paise"`
	LastUpload        *time.Time  `json:"last_upload"`
}

// Stats lists what each distributor has uploaded.
func Stats(store Store) ([]DistributorStats, error) {
	ds, err := store.Distributors()
	if err != nil {
		return nil, err
	}
	out := make([]DistributorStats, 0, len(ds))
	for _, d := range ds {
		s := DistributorStats{Code: d.Code, Region: d.Region, Batches: d.Batches, SalesLines: d.SalesLines, SalesTaxablePaise: d.SalesTaxablePaise}
		if !d.LastUpload.IsZero() {
			t := d.LastUpload
			s.LastUpload = &t
		}
		out = append(out, s)
	}
	return out, nil
}

var (
	errTooLarge     = errors.New("body too large")
	errBadSignature = errors.New("bad signature")
)

// inMemoryBody is how much of a body is held in memory before the rest
// goes to a temp file.
const inMemoryBody = 1 << 20

// signedBody is a received body whose signature was checked: its first
// bytes in memory, the rest (if any) in a temp file.
type signedBody struct {
	head []byte
	file *os.File
	size int64
}

func (b *signedBody) close() {
	if b.file != nil {
		b.file.Close()
		os.Remove(b.file.Name())
	}
}

// bytes reads the whole body into one buffer of its real size, charged.
func (b *signedBody) bytes(charge func(int64)) ([]byte, error) {
	if b.file == nil {
		return b.head, nil
	}
	out := make([]byte, b.size)
	charge(b.size)
	copy(out, b.head)
	_, err := b.file.ReadAt(out[len(b.head):], 0)
	return out, err
}

// receiveSigned streams the body through the HMAC, keeping at most
// inMemoryBody bytes in memory and the rest in a temp file, refusing more
// than MaxBody bytes, and checks the signature at the end. Nothing of an
// unsigned body is decoded, and it never costs more than the 1 MiB.
func (r *Receiver) receiveSigned(body io.Reader, key, ts, sig string, charge func(int64)) (*signedBody, error) {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(ts))
	mac.Write([]byte{'\n'})
	lr := io.TeeReader(io.LimitReader(body, r.opt.MaxBody+1), mac)
	sb := &signedBody{}
	head, err := readUpTo(lr, inMemoryBody, charge)
	if err != nil {
		return sb, err
	}
	sb.head, sb.size = head, int64(len(head))
	if len(head) == inMemoryBody {
		f, err := os.CreateTemp(r.opt.TempDir, "vitaran-upload-*")
		if err != nil {
			return sb, err
		}
		sb.file = f
		m, err := io.Copy(f, lr)
		sb.size += m
		if err != nil {
			return sb, err
		}
	}
	if sb.size > r.opt.MaxBody {
		return sb, errTooLarge
	}
	if want := hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(want), []byte(sig)) {
		return sb, errBadSignature
	}
	return sb, nil
}

// readUpTo reads r to its end or to limit bytes, growing its buffer from
// 64 KiB (never past limit) as data comes; charge follows the buffer's size.
func readUpTo(r io.Reader, limit int, charge func(int64)) ([]byte, error) {
	b := make([]byte, 0, min(64<<10, limit))
	charge(int64(cap(b)))
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF || len(b) == limit {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			nb := make([]byte, len(b), min(2*cap(b), limit))
			charge(int64(cap(nb) - cap(b)))
			copy(nb, b)
			b = nb
		}
	}
}
