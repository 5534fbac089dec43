package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// clock is a shared test clock both sides read.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.t.Load()) }
func (c *clock) set(t time.Time)     { c.t.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.t.Add(int64(d)) }
func quiet() *slog.Logger            { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func ist(s string) time.Time         { t, _ := time.ParseInLocation("2006-01-02 15:04", s, cal.IST); return t }

// headOffice is a real receiver on 127.0.0.1 that a test can stop and start
// on the same port, optionally through a wrapper that breaks requests.
type headOffice struct {
	t      *testing.T
	store  *headoffice.BookStore
	recv   *headoffice.Receiver
	addr   string
	cancel context.CancelFunc
	done   chan struct{}
}

func newHeadOffice(t *testing.T, clk *clock) *headOffice {
	st, err := headoffice.OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ho := &headOffice{t: t, store: st, recv: headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: clk.now, Log: quiet()})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ho.addr = ln.Addr().String()
	ln.Close()
	return ho
}

func (h *headOffice) start(wrap func(http.Handler) http.Handler) {
	var ln net.Listener
	var err error
	for range 50 { // the port may linger a moment after a stop
		if ln, err = net.Listen("tcp", h.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	handler := h.recv.Handler()
	if wrap != nil {
		handler = wrap(handler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	srv := &http.Server{Handler: handler}
	go func() {
		<-ctx.Done()
		srv.Close() // a hard stop: connections in flight are cut
	}()
	go func() { srv.Serve(ln); close(h.done) }()
	h.t.Cleanup(h.stop)
}

func (h *headOffice) stop() {
	if h.cancel != nil {
		h.cancel()
		<-h.done
		h.cancel = nil
	}
}

func (h *headOffice) url() string { return "http://" + h.addr }

// killMidBody reads part of the first request's body, then cuts the
// connection: the receiver dies while the batch is on the wire.
func killMidBody(stopped chan<- struct{}) func(http.Handler) http.Handler {
	var once sync.Once
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			killed := false
			once.Do(func() {
				io.CopyN(io.Discard, r.Body, 2000)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				killed = true
				close(stopped)
			})
			if !killed {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// ackLost stores the first batch but cuts the connection before the ack
// reaches the distributor.
func ackLost(next http.Handler) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lose := false
		once.Do(func() { lose = true })
		if !lose {
			next.ServeHTTP(w, r)
			return
		}
		rec := &discardWriter{h: http.Header{}}
		next.ServeHTTP(rec, r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
}

type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(c int)           { d.code = c }

// distributorPC is a distributor's book with its uploader.
type distributorPC struct {
	book *book.Book
	up   *Uploader
	gen  *wiretest.Distributor
	// what the distributor's own reports say it sold
	lines   int
	taxable money.Paise
	src     *memSource
}

func newDistributorPC(t *testing.T, clk *clock, url, code, key string) *distributorPC {
	b, err := book.Open(filepath.Join(t.TempDir(), book.FileName), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := SaveSettings(b, Settings{URL: url, DistributorCode: code, Key: key}); err != nil {
		t.Fatal(err)
	}
	src := &memSource{stock: map[cal.Date][]wire.StockLine{}}
	return &distributorPC{book: b, gen: wiretest.NewGen(code, 42), src: src,
		up: NewUploader(b, src, UploaderOptions{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Now: clk.now, Timeout: 10 * time.Second})}
}

// bill posts a day's invoices, each in its own transaction with its outbox rows.
func (d *distributorPC) bill(t *testing.T, day cal.Date, invoices int) {
	lines, reds := d.gen.Day(day, invoices)
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && lines[j].InvoiceNo == lines[i].InvoiceNo {
			j++
		}
		inv := lines[i:j]
		err := d.book.Update(func(tx *book.Tx) error {
			if err := RecordSales(tx, inv...); err != nil {
				return err
			}
			var rs []wire.Redemption
			for _, r := range reds {
				if r.InvoiceNo == inv[0].InvoiceNo {
					rs = append(rs, r)
				}
			}
			return RecordRedemptions(tx, rs...)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range inv {
			d.lines++
			d.taxable += l.TaxablePaise
		}
		i = j
	}
	d.src.stock[day] = []wire.StockLine{{Date: day, SKUCode: "BR00001", Opening: 100, Received: 0, Sold: 10, Closing: 90, ClosingValuePaise: 9000}}
}

func (d *distributorPC) status(t *testing.T) Status {
	st, err := d.up.Status()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The head office is down for three days of billing, comes back and dies
// while the first waiting batch is on the wire, comes back again and loses
// one ack: every line still arrives exactly once, oldest batch first, and
// head office's totals equal the distributor's to the paisa.
func TestThreeDaysOfflineRestartMidUploadEveryLineOnce(t *testing.T) {
	clk := &clock{}
	clk.set(ist("2025-10-06 23:30"))
	ho := newHeadOffice(t, clk)
	key, err := headoffice.AddDistributor(ho.store, "D001", "South", "Sri Balaji Agencies")
	if err != nil {
		t.Fatal(err)
	}
	pc := newDistributorPC(t, clk, ho.url(), "D001", key)
	ctx := context.Background()

	// Day 1: all is well.
	ho.start(nil)
	pc.bill(t, "2025-10-06", 40)
	rep, err := pc.up.Now(ctx)
	if err != nil || len(rep.Sent) != 1 {
		t.Fatalf("day 1: %+v %v", rep, err)
	}

	// Days 2–4: head office is down; batches wait.
	ho.stop()
	for _, day := range []cal.Date{"2025-10-07", "2025-10-08", "2025-10-09"} {
		clk.set(ist(string(day) + " 23:30"))
		pc.bill(t, day, 40)
		if _, err := pc.up.Now(ctx); err == nil {
			t.Fatalf("%s: the upload succeeded with head office down", day)
		}
	}
	if st := pc.status(t); st.Waiting != 3 || st.PendingRows != 0 || st.LastError == "" {
		t.Fatalf("after three days offline: %d waiting, %d pending, error %q; want 3, 0 and the reason", st.Waiting, st.PendingRows, st.LastError)
	}

	// Head office restarts and dies while the oldest batch is on the wire.
	killed := make(chan struct{})
	ho.start(killMidBody(killed))
	pc.up.opt.Attempts = 1
	if _, err := pc.up.Send(ctx); err == nil {
		t.Fatal("the send succeeded though head office died mid-body")
	}
	<-killed
	ho.stop()
	if st := pc.status(t); st.Waiting != 3 {
		t.Fatalf("after the cut upload: %d waiting; want 3", st.Waiting)
	}

	// It comes back, stores the oldest batch but the ack is lost.
	ho.start(ackLost)
	if _, err := pc.up.Send(ctx); err == nil {
		t.Fatal("the send succeeded though the ack was lost")
	}
	if st := pc.status(t); st.Waiting != 3 {
		t.Fatalf("after the lost ack: %d waiting; want 3 (a batch is sent only on its ack)", st.Waiting)
	}
	ho.stop()

	// Finally a healthy head office: the retry of the stored batch gets the
	// same ack, and the rest follow, oldest first.
	ho.start(nil)
	pc.up.opt.Attempts = 3
	rep, err = pc.up.Send(ctx)
	if err != nil || len(rep.Sent) != 3 {
		t.Fatalf("after the restart: %+v %v", rep, err)
	}
	for i := 1; i < len(rep.Sent); i++ {
		if rep.Sent[i] < rep.Sent[i-1] {
			t.Fatalf("batches went out of order: %v", rep.Sent)
		}
	}
	st := pc.status(t)
	if st.Waiting != 0 || st.LastSuccess == nil || st.LastError != "" {
		t.Fatalf("after catching up: %+v", st)
	}

	stats, err := headoffice.Stats(ho.store)
	if err != nil {
		t.Fatal(err)
	}
	got := stats[0]
	if got.Batches != 4 || got.SalesLines != pc.lines || got.SalesTaxablePaise != pc.taxable {
		t.Fatalf("head office holds %d batches, %d lines, %s; the distributor posted 4 batches, %d lines, %s", got.Batches, got.SalesLines, got.SalesTaxablePaise, pc.lines, pc.taxable)
	}
	// The rollups behind the dashboard agree to the paisa.
	sum, err := ho.recv.Summary(headoffice.Period{From: "2025-10-01", To: "2025-10-31"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Secondary.Taxable != pc.taxable || sum.Secondary.Lines != int64(pc.lines) {
		t.Fatalf("dashboard: %d lines %s; distributor: %d lines %s", sum.Secondary.Lines, sum.Secondary.Taxable, pc.lines, pc.taxable)
	}
	// And the raw lines are each there once.
	var raw int
	var rawTaxable money.Paise
	ho.store.SalesLines("D001", "2025-01-01", "2026-12-31", func(l wire.SalesLine) error { raw++; rawTaxable += l.TaxablePaise; return nil })
	if raw != pc.lines || rawTaxable != pc.taxable {
		t.Fatalf("raw lines: %d %s; want %d %s", raw, rawTaxable, pc.lines, pc.taxable)
	}
}

// post sends body to the receiver signed as given and returns status and body.
func post(t *testing.T, url, code, key, ts string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+wire.UploadPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", wire.ContentType)
	req.Header.Set(wire.HeaderDistributor, code)
	req.Header.Set(wire.HeaderTimestamp, ts)
	req.Header.Set(wire.HeaderSignature, wire.Sign(key, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func refusalOf(t *testing.T, raw []byte) wire.Refusal {
	var r wire.Refusal
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("refusal is not JSON: %s", raw)
	}
	return r
}

// A duplicate is acknowledged and stored once; a tampered, stale, replayed,
// wrong-key or lying batch is refused with a reason and nothing of it is kept.
func TestReceiverRefusesWhatItCannotTrust(t *testing.T) {
	clk := &clock{}
	clk.set(time.Now())
	ho := newHeadOffice(t, clk)
	ho.start(nil)
	key, err := headoffice.AddDistributor(ho.store, "D002", "North", "")
	if err != nil {
		t.Fatal(err)
	}
	b := oneLargeDay()
	b.Manifest.DistributorCode, b.Manifest.BatchID = "D002", "D002-20251006-000001"
	body, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	ts := func() string { clk.add(time.Second); return strconv.FormatInt(clk.now().Unix(), 10) }
	holds := func() headoffice.DistributorStats {
		s, err := headoffice.Stats(ho.store)
		if err != nil {
			t.Fatal(err)
		}
		return s[0]
	}

	code, first := post(t, ho.url(), "D002", key, ts(), body)
	if code != 200 {
		t.Fatalf("a good batch: %d %s", code, first)
	}
	want := holds()
	if want.SalesLines != len(b.SalesLines) {
		t.Fatalf("stored %d lines of %d", want.SalesLines, len(b.SalesLines))
	}

	t.Run("the same batch again gets the same ack and changes nothing", func(t *testing.T) {
		code, again := post(t, ho.url(), "D002", key, ts(), body)
		if code != 200 || !bytes.Equal(again, first) {
			t.Fatalf("duplicate: %d %s\nfirst: %s", code, again, first)
		}
		if got := holds(); !sameHoldings(got, want) {
			t.Fatalf("a duplicate changed the store: %+v → %+v", want, got)
		}
	})

	other := oneLargeDay()
	other.Manifest.DistributorCode, other.Manifest.BatchID = "D002", "D002-20251007-000002"
	other.Manifest.PeriodFrom, other.Manifest.PeriodTo = "2025-10-07", "2025-10-07"
	for i := range other.SalesLines {
		other.SalesLines[i].InvoiceNo += "X"
	}
	fresh, _ := other.Encode()

	cases := []struct {
		name   string
		send   func() (int, []byte)
		status int
		code   string
	}{
		{"a tampered body", func() (int, []byte) {
			stamp := ts()
			req := append([]byte(nil), fresh...)
			req[len(req)-100] ^= 0xff
			return wiretest.PostSigned(t, ho.url(), "D002", stamp, wire.Sign(key, stamp, fresh), req)
		}, 401, "bad_signature"},
		{"a stale signature", func() (int, []byte) {
			return post(t, ho.url(), "D002", key, strconv.FormatInt(clk.now().Add(-10*time.Minute).Unix(), 10), fresh)
		}, 401, "stale_timestamp"},
		{"a wrong key", func() (int, []byte) { return post(t, ho.url(), "D002", wire.NewKey(), ts(), fresh) }, 401, "bad_signature"},
		{"an unknown distributor", func() (int, []byte) { return post(t, ho.url(), "D999", key, ts(), fresh) }, 401, "unknown_distributor"},
		{"a part whose hash lies", func() (int, []byte) {
			req := append([]byte(nil), fresh...)
			req[len(req)-100] ^= 0xff // signed after tampering: the signer is honest, the part is not
			return post(t, ho.url(), "D002", key, ts(), req)
		}, 422, "bad_hash"},
		{"a count that lies", func() (int, []byte) {
			lie := *other
			lie.Manifest.BatchID = "D002-LIE"
			body, _ := lie.Encode()
			var m wire.Manifest
			nl := bytes.IndexByte(body, '\n')
			json.Unmarshal(body[:nl], &m)
			m.Parts[0].Rows++
			head, _ := json.Marshal(m)
			return post(t, ho.url(), "D002", key, ts(), append(append(head, '\n'), body[nl+1:]...))
		}, 422, "bad_count"},
		{"another distributor's manifest", func() (int, []byte) {
			k3, _ := headoffice.AddDistributor(ho.store, "D003", "West", "")
			return post(t, ho.url(), "D003", k3, ts(), fresh)
		}, 400, "bad_manifest"},
		{"not gzip", func() (int, []byte) {
			m := wire.Manifest{FormatVersion: 1, DistributorCode: "D002", BatchID: "D002-NOGZ", Kind: wire.KindDelta, PeriodFrom: "2025-10-07", PeriodTo: "2025-10-07", CreatedAt: clk.now()}
			part := []byte(`{"doc_type":"invoice"}` + "\n")
			m.Parts = []wire.PartInfo{{Name: wire.PartSalesLines, Rows: 1, SHA256: sha(part), Bytes: int64(len(part))}}
			head, _ := json.Marshal(m)
			return post(t, ho.url(), "D002", key, ts(), append(append(head, '\n'), part...))
		}, 400, "bad_gzip"},
		{"the same batch id with other content", func() (int, []byte) {
			c := *other
			c.Manifest.BatchID = b.Manifest.BatchID
			body, _ := c.Encode()
			return post(t, ho.url(), "D002", key, ts(), body)
		}, 409, "batch_conflict"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, raw := c.send()
			r := refusalOf(t, raw)
			if status != c.status || r.Error != c.code || r.Reason == "" {
				t.Fatalf("got %d %+v; want %d %s with a reason", status, r, c.status, c.code)
			}
			if got := holds(); got.SalesLines != want.SalesLines || got.Batches != want.Batches || got.SalesTaxablePaise != want.SalesTaxablePaise {
				t.Fatalf("a refused batch changed the store: %+v → %+v", want, got)
			}
		})
	}

	t.Run("a replayed request is refused", func(t *testing.T) {
		stamp := ts()
		sig := wire.Sign(key, stamp, fresh)
		if code, raw := wiretest.PostSigned(t, ho.url(), "D002", stamp, sig, fresh); code != 200 {
			t.Fatalf("first: %d %s", code, raw)
		}
		code, raw := wiretest.PostSigned(t, ho.url(), "D002", stamp, sig, fresh)
		if r := refusalOf(t, raw); code != 409 || r.Error != "replayed" {
			t.Fatalf("replay: %d %+v", code, r)
		}
	})
}

func sameHoldings(a, b headoffice.DistributorStats) bool {
	return a.Batches == b.Batches && a.SalesLines == b.SalesLines && a.SalesTaxablePaise == b.SalesTaxablePaise && a.LastUpload.Equal(*b.LastUpload)
}
