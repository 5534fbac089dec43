package upload

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// DefaultSchedule is nightly at 23:30 (in Settings.TimeZone, default Asia/Kolkata).
const DefaultSchedule = "30 23 * * *"

// Settings are the distributor's upload settings, kept in the book.
type Settings struct {
	URL             string `json:"url"` // the receiver's base URL, e.g. https://dms.brand.example
	DistributorCode string `json:"distributor_code"`
	Key             string `json:"key"`
	Schedule        string `json:"schedule"`          // cron, 5 fields; default DefaultSchedule
	TimeZone        string `json:"time_zone"`         // default Asia/Kolkata
	CAFile          string `json:"ca_file,omitempty"` // extra CA (PEM) trusted beside the system roots
}

// Check names the first field that is wrong and says what to do.
func (s *Settings) Check() error {
	u, err := url.Parse(s.URL)
	switch {
	case s.URL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("url: give the head-office address, e.g. https://dms.brand.example")
	case !wire.ValidCode(s.DistributorCode):
		return fmt.Errorf("distributor code %q: the code head office registered (letters, digits, _ . -)", s.DistributorCode)
	case len(s.Key) < 32:
		return fmt.Errorf("key: paste the key head office printed for %s", s.DistributorCode)
	}
	if _, err := parseSchedule(s.Schedule, s.TimeZone); err != nil {
		return err
	}
	return nil
}

// LoadSettings reads the upload settings (zero if never saved).
func LoadSettings(b *book.Book) (Settings, error) {
	var s Settings
	err := b.View(func(tx *book.Tx) error {
		var err error
		s, err = loadSettings(tx)
		return err
	})
	return s, err
}

// SaveSettings checks and stores the upload settings.
func SaveSettings(b *book.Book, s Settings) error {
	return b.Update(func(tx *book.Tx) error { return SaveSettingsTx(tx, s) })
}

// SaveSettingsTx is SaveSettings inside the caller's transaction, so the
// change and its audit entry commit together.
func SaveSettingsTx(tx *book.Tx, s Settings) error {
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	if err := s.Check(); err != nil {
		return err
	}
	return putSettings(tx, &s)
}

// Uploader builds and sends one book's batches. Its methods are safe to
// call from the UI, the CLI and the schedule at once: runs take turns.
type Uploader struct {
	book *book.Book
	src  Source
	opt  UploaderOptions
	run  sync.Mutex
	// lastStamp is the last timestamp signed: each request gets a later one,
	// so a retry is never mistaken for a replay.
	lastStamp int64
}

// UploaderOptions tune the uploader; zero values take the defaults.
type UploaderOptions struct {
	Build      BuildOptions
	Attempts   int           // tries per batch in one run (default 5)
	Backoff    time.Duration // first retry delay, doubled each try, with jitter (default 2 s)
	MaxBackoff time.Duration // default 5 min
	Timeout    time.Duration // per request (default 5 min)
	Now        func() time.Time
	// Transport replaces the HTTP transport (tests); nil builds one from Settings.
	Transport http.RoundTripper
	// Progress, when set, is told each step of a run (the UI's progress bar).
	Progress func(done, total int, label string)
}

func (u *Uploader) progress(done, total int, label string) {
	if u.opt.Progress != nil {
		u.opt.Progress(done, total, label)
	}
}

// NewUploader makes an uploader over b, reading snapshots from src.
func NewUploader(b *book.Book, src Source, opt UploaderOptions) *Uploader {
	if opt.Attempts <= 0 {
		opt.Attempts = 5
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 2 * time.Second
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 5 * time.Minute
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = cal.Now
	}
	return &Uploader{book: b, src: src, opt: opt}
}

// Report is what one run did.
type Report struct {
	Built   []string `json:"built"`
	Sent    []string `json:"sent"`
	Waiting int      `json:"waiting"`
	Error   string   `json:"error,omitempty"`
}

// Now builds a batch from what is pending and sends every waiting batch,
// oldest first: "Upload now" and `vitaran upload --now`.
func (u *Uploader) Now(ctx context.Context) (Report, error) {
	u.run.Lock()
	defer u.run.Unlock()
	var rep Report
	set, err := u.settings()
	if err != nil {
		return rep, err
	}
	u.progress(0, 3, "moving posted documents to the outbox")
	if d, ok := u.src.(Drainer); ok {
		if _, err := d.Drain(u.book); err != nil {
			return rep, fmt.Errorf("move posted documents to the upload outbox: %w", err)
		}
	}
	made, err := Build(u.book, u.src, set.DistributorCode, u.opt.Now(), u.opt.Build)
	if err != nil {
		return rep, fmt.Errorf("build upload batch: %w", err)
	}
	for _, m := range made {
		rep.Built = append(rep.Built, m.Manifest.BatchID)
	}
	u.progress(1, 3, "sending batches oldest first")
	err = u.sendWaiting(ctx, set, &rep)
	if err != nil {
		rep.Error = err.Error()
	}
	return rep, err
}

// Send sends waiting batches without building a new one.
func (u *Uploader) Send(ctx context.Context) (Report, error) {
	u.run.Lock()
	defer u.run.Unlock()
	var rep Report
	set, err := u.settings()
	if err != nil {
		return rep, err
	}
	err = u.sendWaiting(ctx, set, &rep)
	return rep, err
}

// settings are the stored upload settings, refused when incomplete.
func (u *Uploader) settings() (Settings, error) {
	set, err := LoadSettings(u.book)
	if err != nil {
		return set, err
	}
	if err := set.Check(); err != nil {
		return set, fmt.Errorf("upload settings: %w", err)
	}
	return set, nil
}

func (u *Uploader) waiting() ([]OutboxBatch, error) {
	var out []OutboxBatch
	err := u.book.View(func(tx *book.Tx) error {
		return scanOutbox(tx, func(b *OutboxBatch) (bool, error) {
			if !b.Sent() {
				out = append(out, *b)
			}
			return true, nil
		})
	})
	return out, err
}

func (u *Uploader) sendWaiting(ctx context.Context, set Settings, rep *Report) error {
	client, err := u.httpClient(set)
	if err != nil {
		return err
	}
	list, err := u.waiting()
	if err != nil {
		return err
	}
	for i, ob := range list {
		ack, err := u.sendWithRetry(ctx, client, set, ob)
		if err != nil {
			rep.Waiting = len(list) - i
			u.noteFailure(ob, err)
			return fmt.Errorf("batch %s: %w", ob.Manifest.BatchID, err)
		}
		if err := u.markSent(ob, ack); err != nil {
			rep.Waiting = len(list) - i
			return err
		}
		rep.Sent = append(rep.Sent, ob.Manifest.BatchID)
		u.progress(2+i, 2+len(list), "sent "+ob.Manifest.BatchID)
	}
	return nil
}

// permanent is a refusal a retry in the same run cannot fix.
type permanent struct{ error }

func (u *Uploader) sendWithRetry(ctx context.Context, client *http.Client, set Settings, ob OutboxBatch) (*wire.Ack, error) {
	var body []byte
	if err := u.book.View(func(tx *book.Tx) error {
		raw := getBody(tx, ob.Seq)
		if raw == nil {
			return fmt.Errorf("the body of batch %s is missing from the book", ob.Manifest.BatchID)
		}
		body = append([]byte(nil), raw...)
		return nil
	}); err != nil {
		return nil, err
	}
	var last error
	for try := 0; try < u.opt.Attempts; try++ {
		if try > 0 {
			if err := sleep(ctx, backoff(u.opt.Backoff, u.opt.MaxBackoff, try)); err != nil {
				return nil, err
			}
		}
		ack, err := u.post(ctx, client, set, &ob.Manifest, body)
		if err == nil {
			return ack, nil
		}
		last = err
		var p permanent
		if errors.As(err, &p) {
			return nil, p.error
		}
	}
	return nil, fmt.Errorf("after %d tries: %w", u.opt.Attempts, last)
}

// backoff is base·2^(try−1), capped, with full jitter over its upper half.
func backoff(base, max time.Duration, try int) time.Duration {
	d := base << (try - 1)
	if d > max || d <= 0 {
		d = max
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (u *Uploader) post(ctx context.Context, client *http.Client, set Settings, m *wire.Manifest, body []byte) (*wire.Ack, error) {
	stamp := u.opt.Now().Unix()
	if stamp <= u.lastStamp {
		stamp = u.lastStamp + 1
	}
	u.lastStamp = stamp
	st, raw, err := sendSigned(ctx, client, set, wire.UploadPath, wire.ContentType, strconv.FormatInt(stamp, 10), body)
	if err != nil {
		return nil, err
	}
	if st != http.StatusOK {
		var ref wire.Refusal
		json.Unmarshal(raw, &ref)
		err := fmt.Errorf("head office answered %d %s: %s", st, ref.Error, ref.Reason)
		switch {
		case st == http.StatusConflict && ref.Error == "replayed",
			st == http.StatusRequestTimeout, st == http.StatusTooManyRequests,
			st >= 500:
			return nil, err
		case st == http.StatusUnauthorized && ref.Error == "stale_timestamp":
			return nil, permanent{fmt.Errorf("%w (is this PC's clock right?)", err)}
		default:
			return nil, permanent{err}
		}
	}
	var ack wire.Ack
	if err := json.Unmarshal(raw, &ack); err != nil {
		return nil, fmt.Errorf("head office's acknowledgement is not JSON: %w", err)
	}
	if !ack.Matches(m) {
		return nil, fmt.Errorf("head office acknowledged %v for batch %s but the batch holds %v; it stays waiting", ack.Received, m.BatchID, m.Counts())
	}
	return &ack, nil
}

func joinURL(base, path string) string {
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	return base + path
}

func (u *Uploader) httpClient(set Settings) (*http.Client, error) {
	if u.opt.Transport != nil {
		return &http.Client{Transport: u.opt.Transport, Timeout: u.opt.Timeout}, nil
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if set.CAFile != "" {
		pem, err := os.ReadFile(set.CAFile)
		if err != nil {
			return nil, fmt.Errorf("upload CA file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("upload CA file %s holds no PEM certificate", set.CAFile)
		}
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: u.opt.Timeout}, nil
}

func (u *Uploader) markSent(ob OutboxBatch, ack *wire.Ack) error {
	now := u.opt.Now()
	return u.book.Update(func(tx *book.Tx) error {
		cur, err := getOutbox(tx, ob.Seq)
		if err != nil {
			return err
		}
		cur.Attempts++
		cur.LastTry, cur.SentAt, cur.Ack, cur.LastError = now, &now, ack, ""
		if err := putOutbox(tx, &cur); err != nil {
			return err
		}
		// The body is no longer needed: the manifest and ack stay as the record.
		if err := deleteBody(tx, ob.Seq); err != nil {
			return err
		}
		st, err := readState(tx)
		if err != nil {
			return err
		}
		st.LastSuccess, st.LastError = now, ""
		return writeState(tx, st)
	})
}

func (u *Uploader) noteFailure(ob OutboxBatch, cause error) {
	now := u.opt.Now()
	u.book.Update(func(tx *book.Tx) error {
		cur, err := getOutbox(tx, ob.Seq)
		if err != nil {
			return err
		}
		cur.Attempts++
		cur.LastTry, cur.LastError = now, cause.Error()
		if err := putOutbox(tx, &cur); err != nil {
			return err
		}
		st, err := readState(tx)
		if err != nil {
			return err
		}
		st.LastError, st.LastErrorAt = cause.Error(), now
		return writeState(tx, st)
	})
}

// Status is what the UI shows about uploads.
type Status struct {
	Configured     bool          `json:"configured"`
	Schedule       string        `json:"schedule"`
	LastSuccess    *time.Time    `json:"last_success"`
	LastBuild      *time.Time    `json:"last_build"`
	NextRun        *time.Time    `json:"next_run"`
	Waiting        int           `json:"waiting"`
	WaitingBytes   int           `json:"waiting_bytes"`
	PendingRows    int           `json:"pending_rows"`
	OldestWaiting  *time.Time    `json:"oldest_waiting"`
	DataAgeHours   *int64        `json:"data_age_hours"` // since the newest data head office acknowledged
	LastError      string        `json:"last_error,omitempty"`
	WaitingBatches []OutboxBatch `json:"waiting_batches"`
}

// Status reads the upload state for the UI.
func (u *Uploader) Status() (Status, error) { return UploadStatus(u.book, u.opt.Now()) }

// UploadStatus reads the upload state of book b as of now.
func UploadStatus(b *book.Book, now time.Time) (Status, error) {
	var s Status
	set, err := LoadSettings(b)
	if err != nil {
		return s, err
	}
	s.Configured = set.Check() == nil
	s.Schedule = set.Schedule
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	s.WaitingBatches = []OutboxBatch{}
	err = b.View(func(tx *book.Tx) error {
		st, err := readState(tx)
		if err != nil {
			return err
		}
		s.LastError = st.LastError
		if !st.LastSuccess.IsZero() {
			t := st.LastSuccess
			s.LastSuccess = &t
		}
		if !st.LastBuild.IsZero() {
			t := st.LastBuild
			s.LastBuild = &t
			if sch, err := parseSchedule(set.Schedule, set.TimeZone); err == nil {
				n := sch.Next(t)
				s.NextRun = &n
			}
		}
		s.PendingRows = pendingCount(tx)
		var newestAcked time.Time
		err = scanOutbox(tx, func(ob *OutboxBatch) (bool, error) {
			if ob.Sent() {
				newestAcked = ob.BuiltAt
				return true, nil
			}
			s.Waiting++
			s.WaitingBytes += ob.Bytes
			if s.OldestWaiting == nil {
				t := ob.BuiltAt
				s.OldestWaiting = &t
			}
			s.WaitingBatches = append(s.WaitingBatches, *ob)
			return true, nil
		})
		if !newestAcked.IsZero() {
			h := int64(now.Sub(newestAcked) / time.Hour)
			s.DataAgeHours = &h
		}
		return err
	})
	return s, err
}

// sendSigned sends body to head office at path, signed as the protocol says
// (distributor, timestamp, HMAC), and reads at most 1 MiB of the answer. A
// refusal is an answer, not an error: the caller reads its status.
func sendSigned(ctx context.Context, client *http.Client, set Settings, path, contentType, ts string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, joinURL(set.URL, path), bytes.NewReader(body))
	if err != nil {
		return 0, nil, permanent{err}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(wire.HeaderDistributor, set.DistributorCode)
	req.Header.Set(wire.HeaderTimestamp, ts)
	req.Header.Set(wire.HeaderSignature, wire.Sign(set.Key, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("head office not reached: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("reading head office's answer: %w", err)
	}
	return resp.StatusCode, raw, nil
}
