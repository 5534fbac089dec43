package tallybridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf16"
)

// DefaultURL is where TallyPrime listens when it acts as a server. It is
// 127.0.0.1 and not localhost: one client broke when localhost became ::1.
const DefaultURL = "http://127.0.0.1:9000/"

// Client talks to one Tally. It sends one request at a time, as Tally needs:
// concurrent requests block, time out or come back truncated.
type Client struct {
	URL     string // DefaultURL when empty
	Company string // SVCURRENTCOMPANY; empty uses whichever company is active
	Form    Form   // envelope form of imports; OldForm by default
	// Encoding of requests: UTF8 (default) or UTF16LE, which Tally is
	// reported to need for ₹ and other non-Latin text to survive.
	Encoding Encoding

	ConnectTimeout time.Duration // default 5 s; read once, at the first request
	// ReadTimeout bounds the wait for the reply to start and every pause
	// while it streams; a dialog in Tally shows up as this. Default 60 s.
	ReadTimeout time.Duration

	// OnRepairs, when set, hears what the sanitiser fixed in each reply.
	OnRepairs func([]Repair)

	mu   sync.Mutex
	http *http.Client
}

// Encoding is how a request's text goes on the wire.
type Encoding int

const (
	// UTF8 is the default: every Tally reads it, and it is half the size.
	UTF8 Encoding = iota
	// UTF16LE is UTF-16 little-endian with a byte-order mark, what Tally
	// writes itself; one client found ₹ and Indian scripts survive only so.
	UTF16LE
)

// ParseEncoding reads a settings value: "utf-8" (or empty) or "utf-16".
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", "")) {
	case "", "utf8":
		return UTF8, nil
	case "utf16", "utf16le":
		return UTF16LE, nil
	}
	return UTF8, fmt.Errorf("encoding %q: use utf-8 or utf-16", s)
}

// String is the settings value.
func (e Encoding) String() string {
	if e == UTF16LE {
		return "utf-16"
	}
	return "utf-8"
}

// EncodeUTF16LE turns a UTF-8 request into UTF-16LE with a BOM. Invalid
// UTF-8 (the bridge writes none) becomes U+FFFD.
func EncodeUTF16LE(b []byte) []byte {
	out := make([]byte, 2, 2+2*len(b))
	out[0], out[1] = 0xFF, 0xFE
	for _, r := range string(b) {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			out = append(out, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
			continue
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// NewClient returns a client for the Tally at url (DefaultURL when empty).
func NewClient(url, company string) *Client {
	return &Client{URL: url, Company: company}
}

func (c *Client) httpClient() *http.Client {
	if c.http != nil {
		return c.http
	}
	connect := c.ConnectTimeout
	if connect <= 0 {
		connect = 5 * time.Second
	}
	c.http = &http.Client{Transport: &http.Transport{
		DialContext:        (&net.Dialer{Timeout: connect}).DialContext,
		DisableKeepAlives:  true, // Tally closes idle connections unpredictably
		DisableCompression: true,
	}}
	return c.http
}

func (c *Client) url() string {
	if c.URL == "" {
		return DefaultURL
	}
	return c.URL
}

// post sends one request and hands the reply, sanitised and streaming, to
// read. It holds the client's lock for the whole exchange.
func (c *Client) post(ctx context.Context, body []byte, read func(io.Reader) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	hc := c.httpClient()
	read_ := c.ReadTimeout
	if read_ <= 0 {
		read_ = 60 * time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	charset := "utf-8"
	if c.Encoding == UTF16LE {
		body, charset = EncodeUTF16LE(body), "utf-16"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("tally url %q: %w", c.url(), err)
	}
	req.Header.Set("Content-Type", "text/xml; charset="+charset)
	// one watchdog covers the wait for the reply and every pause within it,
	// so the read timeout can change between requests
	wd := &watchdog{limit: read_, cancel: cancel}
	wd.arm()
	defer wd.stop()
	resp, err := hc.Do(req)
	if err != nil {
		if wd.fired() {
			return fmt.Errorf("%w (no reply for %s from %s)", ErrTimeout, read_, c.url())
		}
		return c.transportError(err)
	}
	defer resp.Body.Close()
	wd.r = resp.Body
	wd.t.Reset(read_)
	err = read(wd)
	if wd.fired() {
		return fmt.Errorf("%w (no reply for %s from %s)", ErrTimeout, read_, c.url())
	}
	return err
}

func (c *Client) transportError(err error) error {
	var ne net.Error
	var op *net.OpError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || refusedOnWindows(err):
		return fmt.Errorf("%w (%s refused the connection)", ErrNotRunning, c.url())
	case errors.As(err, &op) && op.Op == "dial" && !op.Timeout():
		// no route, reset while connecting, address not available: nobody answers there
		return fmt.Errorf("%w (could not connect to %s: %v)", ErrNotRunning, c.url(), op.Err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%w (%s)", ErrDropped, c.url())
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w (%s): %v", ErrTimeout, c.url(), err)
	case errors.Is(err, context.Canceled):
		return err
	}
	return fmt.Errorf("talk to Tally at %s: %w", c.url(), err)
}

// watchdog cancels the request when the reply pauses for longer than limit:
// a reply of hundreds of MB may take minutes, a stalled one must not.
type watchdog struct {
	r      io.Reader
	limit  time.Duration
	cancel context.CancelFunc
	mu     sync.Mutex
	t      *time.Timer
	fire   bool
}

func (w *watchdog) arm() {
	w.t = time.AfterFunc(w.limit, func() {
		w.mu.Lock()
		w.fire = true
		w.mu.Unlock()
		w.cancel()
	})
}

func (w *watchdog) stop() { w.t.Stop() }

func (w *watchdog) fired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fire
}

func (w *watchdog) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if n > 0 {
		w.t.Reset(w.limit)
	}
	return n, err
}

// Import sends an import request body and checks the reply by the strict
// rule. The Result is returned even on failure, for the queue's records.
func (c *Client) Import(ctx context.Context, body []byte, x Expect) (Result, error) {
	var res Result
	err := c.post(ctx, body, func(r io.Reader) error {
		var reps []Repair
		var err error
		res, reps, err = ParseResponse(r)
		if c.OnRepairs != nil && len(reps) > 0 {
			c.OnRepairs(reps)
		}
		return err
	})
	if err != nil {
		return res, err
	}
	return res, res.Check(x)
}

// PostVouchers sends vouchers in one request. mustAlter counts those Tally
// certainly holds already (a re-post of an amended document).
func (c *Client) PostVouchers(ctx context.Context, vs []Voucher, mustAlter int) (Result, error) {
	body, err := VouchersXML(c.Company, c.Form, vs)
	if err != nil {
		return Result{}, err
	}
	n := 0
	for _, v := range vs {
		n += v.Objects()
	}
	return c.Import(ctx, body, Expect{Sent: n, MustAlter: mustAlter})
}

// CreateMasters sends one All Masters import.
func (c *Client) CreateMasters(ctx context.Context, m Masters) (Result, error) {
	var b bytes.Buffer
	if err := WriteMasters(&b, c.Company, c.Form, m); err != nil {
		return Result{}, err
	}
	n := len(m.Ledgers) + len(m.Items) + len(m.Units) + len(m.Godowns)
	return c.Import(ctx, b.Bytes(), Expect{Sent: n})
}

// ListOfAccounts pulls the company's ledgers, stock items, units and godowns
// (two List of Accounts exports: Ledgers, then All Inventory Masters).
func (c *Client) ListOfAccounts(ctx context.Context) (Masters, error) {
	return c.ListOfAccountsProgress(ctx, nil)
}

// ListOfAccountsProgress is ListOfAccounts telling progress, when given,
// before each export and at the end: (0, 2, "ledgers"), (1, 2, "stock
// items, units and godowns"), (2, 2, "").
func (c *Client) ListOfAccountsProgress(ctx context.Context, progress func(done, total int, what string)) (Masters, error) {
	var all Masters
	tell := func(done int, what string) {
		if progress != nil {
			progress(done, 2, what)
		}
	}
	for i, kind := range []string{"Ledgers", "All Inventory Masters"} {
		tell(i, []string{"ledgers", "stock items, units and godowns"}[i])
		err := c.post(ctx, ExportRequest(c.Company, kind), func(r io.Reader) error {
			m, reps, err := ReadMasters(r)
			if c.OnRepairs != nil && len(reps) > 0 {
				c.OnRepairs(reps)
			}
			if err != nil {
				return err
			}
			all.Groups = append(all.Groups, m.Groups...)
			all.Ledgers = append(all.Ledgers, m.Ledgers...)
			all.Items = append(all.Items, m.Items...)
			all.Units = append(all.Units, m.Units...)
			all.Godowns = append(all.Godowns, m.Godowns...)
			return nil
		})
		if err != nil {
			return all, fmt.Errorf("pull %s from Tally: %w", strings.ToLower(kind), err)
		}
	}
	tell(2, "")
	return all, nil
}

// Ping is the settings screen's connection test: it pulls the ledger list
// and says what is wrong if it cannot.
func (c *Client) Ping(ctx context.Context) error {
	return c.post(ctx, ExportRequest(c.Company, "Ledgers"), func(r io.Reader) error {
		_, _, err := ReadMasters(r)
		return err
	})
}
