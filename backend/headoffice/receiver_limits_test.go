package headoffice

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"
	"vitaran/backend/headoffice/wire/wiretest"

	"golang.org/x/crypto/bcrypt"

	"vitaran/backend/book"
	"vitaran/backend/loginlimit"
)

// pinned is the receiver's clock in these tests.
var pinned = time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC)

func limitsReceiver(t *testing.T, opt ReceiverOptions) (*httptest.Server, string) {
	t.Helper()
	st, err := OpenStore(t.TempDir(), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	key := wire.NewKey()
	if err := st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: key}); err != nil {
		t.Fatal(err)
	}
	opt.Now, opt.Log, opt.TempDir = func() time.Time { return pinned }, quiet(), t.TempDir()
	srv := httptest.NewServer(NewReceiver(st, opt).Handler())
	t.Cleanup(func() { srv.Close(); st.Close() })
	return srv, key
}

// peakHeap samples the heap in use while fn runs and returns how far it
// rose above where it started.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// 12 parallel bad-signature uploads once took the receiver to 1.65 GB: it
// read each whole body into memory before checking the signature. Now a
// body streams through the signature check (1 MiB in memory, the rest on
// disk) and at most MaxInFlight uploads are taken at once.
func TestFiftyParallelUnsignedUploadsStayInBoundedMemory(t *testing.T) {
	srv, _ := limitsReceiver(t, ReceiverOptions{})
	body := bytes.Repeat([]byte("x"), 2<<20)
	ts := strconv.FormatInt(pinned.Unix(), 10)
	var mu sync.Mutex
	codes := map[int]int{}
	rose := peakHeap(func() {
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, srv.URL+wire.UploadPath, bytes.NewReader(body))
				req.Header.Set("Content-Type", wire.ContentType)
				req.Header.Set(wire.HeaderDistributor, "D001")
				req.Header.Set(wire.HeaderTimestamp, ts)
				req.Header.Set(wire.HeaderSignature, wire.Sign("not the key", ts, body))
				resp, err := http.DefaultClient.Do(req)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					// A 429 is sent before the body is read; the client
					// may see the connection close while still sending.
					codes[0]++
					return
				}
				resp.Body.Close()
				codes[resp.StatusCode]++
				if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			}()
		}
		wg.Wait()
	})
	t.Logf("50 × 2 MiB unsigned: answers %v (0: closed while sending), heap rose %d MiB", codes, rose>>20)
	if codes[401]+codes[429]+codes[0] != 50 || codes[401] == 0 {
		t.Fatalf("answers %v", codes)
	}
	// Read whole, the bodies alone were 100 MiB; client and server share
	// this process, so the bound covers both.
	if rose > 40<<20 {
		t.Fatalf("the heap rose %d MiB", rose>>20)
	}
}

// signedBatch signs a manifest and parts as given.
func signedPost(t *testing.T, url, key string, m wire.Manifest, parts ...[]byte) (int, wire.Refusal) {
	t.Helper()
	head, _ := json.Marshal(&m)
	body := append(head, '\n')
	for _, p := range parts {
		body = append(body, p...)
	}
	ts := strconv.FormatInt(pinned.Unix(), 10)
	code, raw := wiretest.PostSigned(t, url, "D001", ts, wire.Sign(key, ts, body), body)
	var r wire.Refusal
	json.Unmarshal(raw, &r)
	return code, r
}

func partInfo(name string, rows int, blob []byte) wire.PartInfo {
	sum := sha256.Sum256(blob)
	return wire.PartInfo{Name: name, Rows: rows, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(blob))}
}

func manifest(id string, parts ...wire.PartInfo) wire.Manifest {
	return wire.Manifest{FormatVersion: wire.FormatVersion, DistributorCode: "D001", BatchID: id, Kind: wire.KindDelta,
		PeriodFrom: "2026-06-01", PeriodTo: "2026-06-01", CreatedAt: pinned, Parts: parts}
}

// A signed part whose gzip trailer claims 4 GiB once got a buffer sized
// from the claim (1.57 GB). The buffer now grows with the data that comes.
func TestAClaimedUnpackedSizeSizesNoBuffer(t *testing.T) {
	srv, key := limitsReceiver(t, ReceiverOptions{})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"sku_code":"S1"}` + "\n"))
	zw.Close()
	blob := gz.Bytes()
	binary.LittleEndian.PutUint32(blob[len(blob)-4:], 0xFFFFFFFF)
	var code int
	var r wire.Refusal
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code, r = signedPost(t, srv.URL, key, manifest("B-1", partInfo(wire.PartSKUs, 1, blob)), blob)
	runtime.ReadMemStats(&after)
	if code != 400 || r.Error != "bad_gzip" {
		t.Fatalf("%d %+v", code, r)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Fatalf("one tiny upload allocated %d MiB", alloc>>20)
	}
}

// A signed, valid batch of 2.98 million rows was accepted whole (2.5 GB),
// ignoring the protocol's 50,000-row cap. The receiver enforces it: from
// the manifest before anything is unzipped, and a part that holds more
// rows than its manifest says stops before its rows are decoded.
func TestTheReceiverEnforcesTheBatchRowCap(t *testing.T) {
	srv, key := limitsReceiver(t, ReceiverOptions{})
	row := []byte(`{"date":"2026-06-01","sku_code":"S1","opening":1,"closing":1}` + "\n")
	part := func(rows int) []byte {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
		zw.Write(bytes.Repeat(row, rows))
		zw.Close()
		return gz.Bytes()
	}
	over := part(wire.MaxBatchRows + 1)
	if code, r := signedPost(t, srv.URL, key, manifest("B-2", partInfo(wire.PartStock, wire.MaxBatchRows+1, over)), over); code != 413 || r.Error != "too_large" {
		t.Fatalf("%d rows: %d %+v", wire.MaxBatchRows+1, code, r)
	}
	// Split over two parts, the rows still count together.
	a, b := part(wire.MaxBatchRows/2), part(wire.MaxBatchRows/2+1)
	if code, r := signedPost(t, srv.URL, key, manifest("B-3", partInfo(wire.PartStock, wire.MaxBatchRows/2, a), partInfo(wire.PartSKUs, wire.MaxBatchRows/2+1, b)), a, b); code != 413 || r.Error != "too_large" {
		t.Fatalf("two parts over the cap: %d %+v", code, r)
	}
	// A manifest that counts 10 rows of a part holding 60,000.
	if code, r := signedPost(t, srv.URL, key, manifest("B-4", partInfo(wire.PartStock, 10, over)), over); code != 422 || r.Error != "bad_count" || r.Part != wire.PartStock {
		t.Fatalf("a part with more rows than its manifest: %d %+v", code, r)
	}
	// At the cap, the manifest passes.
	at := part(wire.MaxBatchRows)
	head, _ := json.Marshal(manifest("B-5", partInfo(wire.PartStock, wire.MaxBatchRows, at)))
	if _, _, err := wire.DecodeManifest(append(append(head, '\n'), at...)); err != nil {
		t.Fatal(err)
	}
}

// The head-office login faces the internet and had no throttle at all;
// then its throttle lived in memory, so a restart forgot every lockout.
func TestTheHeadOfficeLoginIsThrottledAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir, book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("a long enough secret"), bcrypt.MinCost)
	if err := st.SetAdmin("admin", hash); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewReceiver(st, ReceiverOptions{Now: func() time.Time { return pinned }, Log: quiet()}).Handler())
	defer func() { srv.Close(); st.Close() }()
	login := func(pw string) *http.Response {
		body, _ := json.Marshal(map[string]string{"user": "admin", "password": pw})
		resp, err := http.Post(srv.URL+"/api/ho/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := login("a long enough secret"); r.StatusCode != 200 {
		t.Fatal(r.StatusCode)
	}
	for i := 0; i < loginlimit.FreeFailures; i++ {
		if r := login("guess"); r.StatusCode != 401 {
			t.Fatalf("guess %d: %d", i, r.StatusCode)
		}
	}
	if r := login("a long enough secret"); r.StatusCode != 429 || r.Header.Get("Retry-After") != "2" {
		t.Fatalf("after %d failures: %d Retry-After %q", loginlimit.FreeFailures, r.StatusCode, r.Header.Get("Retry-After"))
	}
	// a restart: the same store, a new receiver
	srv.Close()
	st.Close()
	if st, err = OpenStore(dir, book.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(NewReceiver(st, ReceiverOptions{Now: func() time.Time { return pinned }, Log: quiet()}).Handler())
	if r := login("a long enough secret"); r.StatusCode != 429 || r.Header.Get("Retry-After") != "2" {
		t.Fatalf("after a restart: %d Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
}
