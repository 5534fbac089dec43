package headoffice

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// LoadDistributor is one simulated distributor of a load test.
type LoadDistributor struct{ Code, Key string }

// LoadTestOptions shape a load test: every distributor uploads one signed
// batch of Lines sales lines for each of Days days from From, Concurrency
// uploads at a time, as distributors' nightly cron would.
type LoadTestOptions struct {
	URL          string
	Distributors []LoadDistributor
	From         cal.Date
	Days         int
	Lines        int
	Concurrency  int
	Now          func() time.Time // the signing clock (default time.Now)
	Client       *http.Client
}

// LoadTestResult is what a load test measured.
type LoadTestResult struct {
	Batches     int64         `json:"batches"`
	Lines       int64         `json:"lines"`
	Failed      int64         `json:"failed"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	LinesPerSec float64       `json:"lines_per_sec"`
	FirstError  string        `json:"first_error,omitempty"`
}

// loadBatch is a distributor's day of lines: deterministic, with lines
// spread over 200 outlets, 20 beats and 300 SKUs.
func loadBatch(code string, day cal.Date, lines int, createdAt time.Time) *wire.Batch {
	ls := make([]wire.SalesLine, lines)
	for i := range ls {
		tx := money.Paise(1000 + (i*7919)%50000)
		o := (i * 31) % 200
		ls[i] = wire.SalesLine{DocType: wire.DocInvoice, InvoiceNo: "SI/" + string(day) + "/" + strconv.Itoa(i/8+1), InvoiceDate: day, LineNo: i%8 + 1,
			OutletCode: "OUT" + strconv.Itoa(o), BeatCode: "BT" + strconv.Itoa(o%20), SalesmanCode: "SM" + strconv.Itoa(o%5),
			SKUCode: "BR" + strconv.Itoa((i*13)%300), Qty: money.Qty(1 + i%12), RatePaise: tx, TaxablePaise: tx, CGSTPaise: tx / 40, SGSTPaise: tx / 40}
	}
	return &wire.Batch{Manifest: wire.Manifest{DistributorCode: code, BatchID: "LOAD-" + string(day), Kind: wire.KindDelta, PeriodFrom: day, PeriodTo: day, CreatedAt: createdAt}, SalesLines: ls}
}

// LoadTest uploads every distributor's days to the receiver at opt.URL and
// returns what went through. Batches are built and encoded before the
// clock starts, so the figure is the receiver's: HTTP, signature check,
// decoding and the store.
func LoadTest(ctx context.Context, opt LoadTestOptions) (LoadTestResult, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Client == nil {
		opt.Client = &http.Client{Timeout: 10 * time.Minute}
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 8
	}
	if opt.Days <= 0 || opt.Lines <= 0 || len(opt.Distributors) == 0 {
		return LoadTestResult{}, fmt.Errorf("load test: give distributors, days ≥ 1 and lines ≥ 1")
	}
	type job struct {
		code, key string
		body      []byte
		lines     int
	}
	jobs := make([]job, 0, len(opt.Distributors)*opt.Days)
	for day := range opt.Days {
		d := opt.From.AddDays(day)
		for _, ld := range opt.Distributors {
			body, err := loadBatch(ld.Code, d, opt.Lines, opt.Now()).Encode()
			if err != nil {
				return LoadTestResult{}, err
			}
			jobs = append(jobs, job{ld.Code, ld.Key, body, opt.Lines})
		}
	}
	var res LoadTestResult
	var next atomic.Int64
	var errOnce sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range opt.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				j := jobs[i]
				if err := loadPost(ctx, opt, j.code, j.key, j.body); err != nil {
					atomic.AddInt64(&res.Failed, 1)
					errOnce.Do(func() { res.FirstError = err.Error() })
					continue
				}
				atomic.AddInt64(&res.Batches, 1)
				atomic.AddInt64(&res.Lines, int64(j.lines))
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.LinesPerSec = float64(res.Lines) / res.Elapsed.Seconds()
	return res, ctx.Err()
}

func loadPost(ctx context.Context, opt LoadTestOptions, code, key string, body []byte) error {
	ts := strconv.FormatInt(opt.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, "POST", opt.URL+wire.UploadPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", wire.ContentType)
	req.Header.Set(wire.HeaderDistributor, code)
	req.Header.Set(wire.HeaderTimestamp, ts)
	req.Header.Set(wire.HeaderSignature, wire.Sign(key, ts, body))
	resp, err := opt.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", code, resp.StatusCode, bytes.TrimSpace(raw))
	}
	return nil
}
