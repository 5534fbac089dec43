package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/masters"
	"vitaran/backend/money"
)

// BenchmarkHTTPPostInvoice posts 12-line invoices as one clerk does: over
// real HTTP on 127.0.0.1, logged in, with the CSRF token, fsync on, to an
// outlet with a credit limit and credit days (so the credit check runs).
// "empty" starts from a book with no history; "history" from one where the
// outlet already has N unpaid bills (N = 2,000, or 50,000 with
// VITARAN_BENCH_SIZE=large): a posting must cost the same on both.
// VITARAN_BENCH_NOSYNC=1 turns fsync off, to see what the disk costs.
func BenchmarkHTTPPostInvoice(b *testing.B) {
	history := 2000
	if os.Getenv("VITARAN_BENCH_SIZE") == "large" {
		history = 50_000
	}
	for _, tc := range []struct {
		name string
		n    int
	}{{"empty", 0}, {"history", history}} {
		c := benchClerk(b, tc.n) // once: b.Run calls its function for each b.N it tries
		b.Run(tc.name, func(b *testing.B) {
			c.b = b
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start, c0, w0 := time.Now(), cpuNow(), c.app.Book.WriteStats()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				c.post(i)
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			el := time.Since(start)
			b.ReportMetric(float64(b.N)/el.Seconds(), "invoices/s")
			b.ReportMetric(float64((cpuNow()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/invoice")
			b.ReportMetric(float64(c.app.Book.WriteStats().Pages-w0.Pages)/float64(b.N), "pages/invoice")
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

type benchHTTP struct {
	b    *testing.B
	app  *App
	srv  *httptest.Server
	c    *http.Client
	csrf string
}

func (c *benchHTTP) post(i int) {
	lines := make([]map[string]any, 12)
	for k := range lines {
		lines[k] = map[string]any{"item": fmt.Sprintf("SKU%02d", k), "qty": 1 + (i+k)%10, "discount_bp": 100 * (k % 3)}
	}
	raw, _ := json.Marshal(map[string]any{"outlet": "OUT01", "date": "2026-11-25", "lines": lines})
	req, _ := http.NewRequest("POST", c.srv.URL+"/api/invoices", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.c.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		c.b.Fatalf("invoice %d: %s", resp.StatusCode, body)
	}
}

// benchClerk opens a book with 12 items well stocked and one outlet that
// already has history unpaid bills, and logs a clerk in over HTTP.
func benchClerk(b *testing.B, history int) *benchHTTP {
	dir := b.TempDir()
	a, err := Open(dir, Options{NoSync: os.Getenv("VITARAN_BENCH_NOSYNC") != ""})
	if err != nil {
		b.Fatal(err)
	}
	a.Now = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	if _, err := a.EnsureAdmin("admin-secret"); err != nil {
		b.Fatal(err)
	}
	err = a.Book.Update(func(tx *book.Tx) error {
		if _, err := masters.PutCompany(tx, masters.Company{Name: "Bench Agencies", StateCode: "33", GSTIN: testGSTIN("33", "AAAPM1234C")}); err != nil {
			return err
		}
		var lines []billing.PurchaseLineInput
		for k := 0; k < 12; k++ {
			code := fmt.Sprintf("SKU%02d", k)
			if _, err := masters.CreateItem(tx, masters.Item{Code: code, Name: "Item " + code, Brand: "B", Category: "C", HSN: "19053100",
				GSTRateBP: 1800, MRPPaise: 4000, CaseSize: 24, PricePaise: 3000, Active: true}, "2026-04-01"); err != nil {
				return err
			}
			lines = append(lines, billing.PurchaseLineInput{Item: code, Batch: "B1", Expiry: "2030-12-31", MRPPaise: 4000, Qty: 1_000_000, RatePaise: 2500})
		}
		if _, err := masters.CreateOutlet(tx, masters.Outlet{Code: "OUT01", Name: "Bench Stores", StateCode: "33", Active: true,
			CreditLimitPaise: money.Rupees(1_00_00_00_000), CreditDays: 365}); err != nil {
			return err
		}
		_, err := billing.PostPurchase(tx, billing.PurchaseInput{SupplierInvoiceNo: "BENCH", Date: "2026-04-01", Lines: lines})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	// the outlet's history: unpaid bills, posted in-process 500 to a transaction
	for done := 0; done < history; {
		err := a.Book.Update(func(tx *book.Tx) error {
			for k := 0; k < 500 && done < history; k++ {
				if _, err := billing.PostInvoice(tx, billing.InvoiceInput{Outlet: "OUT01", Date: "2026-04-01",
					Lines: []billing.LineInput{{Item: fmt.Sprintf("SKU%02d", done%12), Qty: 1}}}); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(a.Handler(nil))
	b.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	c := &benchHTTP{b: b, app: a, srv: srv, c: &http.Client{Jar: jar}}
	raw, _ := json.Marshal(map[string]string{"user": "admin", "password": "admin-secret"})
	resp, err := c.c.Post(srv.URL+"/api/login", "application/json", bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	c.csrf = me.CSRF
	return c
}
