package headoffice

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
)

// numbers answers wire.NumbersPath.
func (r *Receiver) numbers(w http.ResponseWriter, req *http.Request) {
	code, body, ok := r.signedQuery(w, req)
	if !ok {
		return
	}
	var in struct {
		Since cal.Date `json:"since"`
	}
	if err := json.Unmarshal(body, &in); err != nil || !in.Since.Valid() {
		writeRefusal(w, http.StatusBadRequest, "bad_body", `the body is {"since":"YYYY-MM-DD"}`)
		return
	}
	out := wire.NumbersAnswer{DistributorCode: code, Since: in.Since, Last: map[string]uint64{}}
	err := r.store.SalesLines(code, in.Since, "9999-12-31", func(l wire.SalesLine) error {
		if i := strings.LastIndexByte(l.InvoiceNo, '/'); i > 0 {
			if n, err := strconv.ParseUint(l.InvoiceNo[i+1:], 10, 64); err == nil && n > out.Last[l.InvoiceNo[:i]] {
				out.Last[l.InvoiceNo[:i]] = n
			}
		}
		return nil
	})
	if err != nil {
		r.opt.Log.Error("head office: numbers", "code", code, "err", err)
		writeRefusal(w, http.StatusInternalServerError, "store", "the receiver could not read its store; retry later")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// signedQuery checks a distributor's signed question (the upload's three
// headers over a small JSON body) and answers its code and body; when it
// fails the refusal is written and ok is false.
func (r *Receiver) signedQuery(w http.ResponseWriter, req *http.Request) (code string, body []byte, ok bool) {
	code = req.Header.Get(wire.HeaderDistributor)
	ts := req.Header.Get(wire.HeaderTimestamp)
	sig := strings.ToLower(req.Header.Get(wire.HeaderSignature))
	if code == "" || ts == "" || sig == "" {
		writeRefusal(w, http.StatusUnauthorized, "unsigned", "the "+wire.HeaderDistributor+", "+wire.HeaderTimestamp+" and "+wire.HeaderSignature+" headers are required")
		return "", nil, false
	}
	d, found, err := r.store.Distributor(code)
	if err != nil || !found {
		writeRefusal(w, http.StatusUnauthorized, "unknown_distributor", "distributor "+code+" is not registered at head office")
		return "", nil, false
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if skew := r.opt.Now().Sub(time.Unix(secs, 0)); err != nil || skew > r.opt.Window || skew < -r.opt.Window {
		writeRefusal(w, http.StatusUnauthorized, "stale_timestamp", "the timestamp must be Unix seconds within "+r.opt.Window.String()+" of the receiver's clock")
		return "", nil, false
	}
	body, err = io.ReadAll(io.LimitReader(req.Body, 4<<10))
	if err != nil || !wire.ValidSignature(d.Key, ts, body, sig) {
		writeRefusal(w, http.StatusUnauthorized, "bad_signature", "the signature does not match the body and timestamp under this distributor's key")
		return "", nil, false
	}
	return code, body, true
}
