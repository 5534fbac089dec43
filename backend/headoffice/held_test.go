package headoffice

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/book"
)

// The receiver's memory bound under 50 parallel hostile uploads, asserted
// on its own accounting (Held) rather than on RSS or the heap, which the
// runtime blurs: bodies with a bad signature, signed batches that unzip
// past the budget, and signed parts of one endless line. However they
// interleave, no more than MaxInFlight are taken, no more than MaxDecoding
// unzip, the bytes held never pass MemoryBound, and all are given back.
func TestFiftyParallelHostileUploadsStayWithinTheReceiversBound(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key := wire.NewKey()
	if err := st.AddDistributor(Distributor{Code: "D001", Region: "South", Key: key}); err != nil {
		t.Fatal(err)
	}
	opt := ReceiverOptions{MaxBody: 8 << 20, MaxUnzipped: 8 << 20, MaxInFlight: 8, MaxDecoding: 2, TempDir: t.TempDir()}
	opt.Now, opt.Log = func() time.Time { return pinned }, quiet()
	rcv := NewReceiver(st, opt)
	srv := httptest.NewServer(rcv.Handler())
	defer srv.Close()

	gz := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		zw.Write(data)
		zw.Close()
		return b.Bytes()
	}
	// 40,000 rows of 260 bytes: 10 MB unzipped, past the 8 MiB budget
	bomb := gz(bytes.Repeat([]byte(`{"date":"2026-06-01","sku_code":"`+string(bytes.Repeat([]byte("S"), 220))+`"}`+"\n"), 40_000))
	endless := gz(bytes.Repeat([]byte("x"), 12<<20)) // one line, no newline
	junk := bytes.Repeat([]byte("x"), 2<<20)
	ts := strconv.FormatInt(pinned.Unix(), 10)
	upload := func(i int) (int, string) {
		var body []byte
		sig := ""
		switch i % 3 {
		case 0:
			body, sig = junk, wire.Sign("not the key", ts, junk)
		default:
			part := bomb
			rows := 40_000
			if i%3 == 2 {
				part, rows = endless, 1
			}
			head, _ := json.Marshal(manifest(fmt.Sprintf("B-%d", i), partInfo(wire.PartStock, rows, part)))
			body = append(append(head, '\n'), part...)
			sig = wire.Sign(key, ts, body)
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+wire.UploadPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", wire.ContentType)
		req.Header.Set(wire.HeaderDistributor, "D001")
		req.Header.Set(wire.HeaderTimestamp, ts)
		req.Header.Set(wire.HeaderSignature, sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "" // a 429 is sent before the body is read; the client may see the close
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var r wire.Refusal
		json.Unmarshal(raw, &r)
		return resp.StatusCode, r.Error
	}

	var mu sync.Mutex
	answers := map[string]int{}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			code, why := upload(i)
			mu.Lock()
			answers[fmt.Sprint(code, " ", why)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	// then one of each alone: each is refused on its merits, and the unzip
	// budget has surely been charged in full
	for i, want := range []string{"413 too_large", "400 bad_row", "401 bad_signature"} {
		if code, why := upload(1000 + i); fmt.Sprint(code, " ", why) != want {
			t.Fatalf("upload %d alone: %d %s, want %s", 1000+i, code, why, want)
		}
	}
	h := rcv.Held()
	t.Logf("answers %v; held at most: %d uploads, %d decoding, %.1f MiB (bound %.1f MiB)",
		answers, h.PeakUploads, h.PeakDecoding, float64(h.PeakBytes)/(1<<20), float64(opt.MemoryBound())/(1<<20))
	for a := range answers {
		switch a {
		case "401 bad_signature", "413 too_large", "400 bad_row", "429 busy", "0 ":
		default:
			t.Errorf("unexpected answer %q", a)
		}
	}
	if h.PeakUploads > int64(opt.MaxInFlight) || h.PeakDecoding > int64(opt.MaxDecoding) {
		t.Errorf("%d uploads taken at once (most %d), %d decoding (most %d)", h.PeakUploads, opt.MaxInFlight, h.PeakDecoding, opt.MaxDecoding)
	}
	if h.PeakBytes > opt.MemoryBound() || h.PeakBytes < opt.MaxUnzipped {
		t.Errorf("held at most %d bytes: the bound is %d, and a bomb alone charges over %d", h.PeakBytes, opt.MemoryBound(), opt.MaxUnzipped)
	}
	if h.Uploads != 0 || h.Decoding != 0 || h.Bytes != 0 {
		t.Errorf("after the last answer the receiver still holds %+v", h)
	}
}
