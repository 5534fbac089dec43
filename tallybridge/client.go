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

	ConnectTimeout time.Duration // default 5 s; read once, at the first request
	// ReadTimeout bounds the wait for the reply to start and every pause
	// while it streams; a dialog in Tally shows up as this. Default 60 s.
	ReadTimeout time.Duration

	// OnRepairs, when set, hears what the sanitiser fixed in each reply.
	OnRepairs func([]Repair)

	mu   sync.Mutex
	http *http.Client
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("tally url %q: %w", c.url(), err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
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
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%w (%s refused the connection)", ErrNotRunning, c.url())
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
	return c.Import(ctx, body, Expect{Sent: len(vs), MustAlter: mustAlter})
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
	var all Masters
	for _, kind := range []string{"Ledgers", "All Inventory Masters"} {
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
