package pgstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/cli"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/pgstore"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/money"
)

var t0 = time.Date(2025, 10, 8, 2, 0, 0, 0, time.UTC)

// receiver is one `headoffice serve` on the shared database: its own
// connection pool, its own HTTP listener, as a second process would be.
type receiver struct {
	store *pgstore.Store
	url   string
	stop  func()
}

func startReceiver(t *testing.T, db string) *receiver {
	t.Helper()
	st := open(t, db)
	now := func() time.Time { return t0 }
	r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Schemes: headoffice.RulesFromStore(st)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.ServeListener(ctx, ln, "", ""); close(done) }()
	rc := &receiver{store: st, url: "http://" + ln.Addr().String()}
	var once sync.Once
	rc.stop = func() { once.Do(func() { cancel(); <-done; st.Close() }) }
	t.Cleanup(rc.stop)
	return rc
}

type signed struct {
	code, ts, sig string
	body          []byte
}

func sign(t *testing.T, code, key string, at time.Time, b *wire.Batch) signed {
	t.Helper()
	body, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	return signed{code, ts, wire.Sign(key, ts, body), body}
}

func (r *receiver) post(t *testing.T, s signed) (int, []byte) {
	req, _ := http.NewRequest("POST", r.url+wire.UploadPath, bytes.NewReader(s.body))
	req.Header.Set("Content-Type", wire.ContentType)
	req.Header.Set(wire.HeaderDistributor, s.code)
	req.Header.Set(wire.HeaderTimestamp, s.ts)
	req.Header.Set(wire.HeaderSignature, s.sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cli.Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if code := cli.Run(env, args); code != 0 {
		t.Fatalf("vitaran %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

func batchOf(code, id string, n int) *wire.Batch {
	d := cal.MustParse("2025-10-07")
	var lines []wire.SalesLine
	for i := 1; i <= n; i++ {
		tx := money.Paise(1000 * i)
		lines = append(lines, wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: fmt.Sprintf("SI/%d", (i+9)/10), InvoiceDate: d, LineNo: i, OutletCode: "O1", BeatCode: "B1",
			SKUCode: fmt.Sprintf("SKU%d", i%7), Qty: 1, RatePaise: tx, TaxablePaise: tx})
	}
	return &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: id, Kind: wire.KindDelta, PeriodFrom: d, PeriodTo: d, CreatedAt: t0}, SalesLines: lines}
}

// Two receivers on one database serve as one: a batch sent to both at once
// is stored once, a replay refused by one is refused by the other (also
// after a restart), a session made on one works on the other, and the
// admin commands run while they serve.
func TestTwoReceiversOneDatabase(t *testing.T) {
	db := newDB(t)
	key := strings.TrimSpace(runCLI(t, "headoffice", "add-distributor", "D001", "--region", "South", "--db", db))
	if len(key) != 64 {
		t.Fatalf("key: %q", key)
	}
	top := t // restarted receivers live to the end of the test, not of a subtest
	a, b := startReceiver(top, db), startReceiver(top, db)
	// Set while both serve.
	runCLI(t, "headoffice", "set-admin", "--user", "ops", "--password", "correct horse", "--db", db)

	t.Run("a batch sent to both at the same moment is stored once", func(t *testing.T) {
		bt := batchOf("D001", "B1", 500)
		// The distributor's retry: the same batch, signed again a second later.
		reqs := []signed{sign(t, "D001", key, t0, bt), sign(t, "D001", key, t0.Add(time.Second), bt)}
		var wg sync.WaitGroup
		codes := make([]int, 2)
		acks := make([]wire.Ack, 2)
		for i, r := range []*receiver{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, raw := r.post(t, reqs[i])
				codes[i] = code
				json.Unmarshal(raw, &acks[i])
			}()
		}
		wg.Wait()
		if codes[0] != 200 || codes[1] != 200 || fmt.Sprint(acks[0]) != fmt.Sprint(acks[1]) || acks[0].New[wire.PartSalesLines] != 500 {
			t.Fatalf("both: %v %+v", codes, acks)
		}
		var stats []headoffice.DistributorStats
		json.Unmarshal([]byte(runCLI(t, "headoffice", "stats", "--db", db)), &stats)
		if len(stats) != 1 || stats[0].Batches != 1 || stats[0].SalesLines != 500 {
			t.Fatalf("stats while serving: %+v", stats)
		}
		var lines int64
		a.store.Pool().QueryRow(context.Background(), `SELECT sum(lines) FROM ho_rollups WHERE rollup = 'sales_dist'`).Scan(&lines)
		if lines != 500 {
			t.Fatalf("rollup holds %d lines", lines)
		}
	})

	t.Run("a replay refused on one is refused on the other, also after a restart", func(t *testing.T) {
		req := sign(t, "D001", key, t0.Add(2*time.Second), batchOf("D001", "B2", 3))
		if code, raw := a.post(t, req); code != 200 {
			t.Fatalf("first: %d %s", code, raw)
		}
		if code, raw := b.post(t, req); code != 409 || !strings.Contains(string(raw), "replayed") {
			t.Fatalf("replay on the other: %d %s", code, raw)
		}
		b.stop()
		b = startReceiver(top, db)
		a.stop()
		a = startReceiver(top, db)
		for _, r := range []*receiver{a, b} {
			if code, raw := r.post(t, req); code != 409 || !strings.Contains(string(raw), "replayed") {
				t.Fatalf("replay after restart: %d %s", code, raw)
			}
		}
	})

	t.Run("a session made on one works on the other", func(t *testing.T) {
		resp, err := http.Post(a.url+"/api/ho/login", "application/json", strings.NewReader(`{"user":"ops","password":"correct horse"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			cookie = c
		}
		if resp.StatusCode != 200 || cookie == nil {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		get := func(r *receiver) int {
			req, _ := http.NewRequest("GET", r.url+"/api/ho/summary?from=2025-10-01&to=2025-10-31", nil)
			req.AddCookie(cookie)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if get(b) != 200 {
			t.Fatal("the session made on one is refused by the other")
		}
		b.stop()
		b = startReceiver(top, db)
		if get(b) != 200 {
			t.Fatal("the session is lost when the receiver restarts")
		}
		req, _ := http.NewRequest("POST", b.url+"/api/ho/logout", nil)
		req.AddCookie(cookie)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		if get(a) != 401 {
			t.Fatal("logged out on one, still in on the other")
		}
	})

	t.Run("migrate reports the version", func(t *testing.T) {
		out := runCLI(t, "headoffice", "migrate", "--db", db)
		if want := fmt.Sprintf("schema version %d → %d", pgstore.Version(), pgstore.Version()); !strings.Contains(out, want) {
			t.Fatalf("migrate: %q, want %q", out, want)
		}
	})
}

// The load generator registers nothing itself (the CLI does): it uploads
// each distributor's days, and every line arrives once.
func TestLoadTestUploadsEveryLine(t *testing.T) {
	db := newDB(t)
	r := startReceiver(t, db)
	var ds []headoffice.LoadDistributor
	for _, code := range []string{"L1", "L2", "L3"} {
		key := wire.NewKey()
		r.store.AddDistributor(headoffice.Distributor{Code: code, Region: "R", Key: key, AddedAt: t0})
		ds = append(ds, headoffice.LoadDistributor{Code: code, Key: key})
	}
	res, err := headoffice.LoadTest(context.Background(), headoffice.LoadTestOptions{URL: r.url, Distributors: ds, From: "2025-10-01", Days: 2, Lines: 50, Concurrency: 3, Now: func() time.Time { return t0 }})
	if err != nil || res.Failed != 0 || res.Batches != 6 || res.Lines != 300 {
		t.Fatalf("load test: %+v %v", res, err)
	}
	var stats []headoffice.DistributorStats
	json.Unmarshal([]byte(runCLI(t, "headoffice", "stats", "--db", db)), &stats)
	if len(stats) != 3 || stats[0].SalesLines != 100 || stats[2].Batches != 2 {
		t.Fatalf("stats: %+v", stats)
	}
}
