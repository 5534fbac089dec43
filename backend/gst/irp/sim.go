package irp

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/gst"
	"vitaran/backend/gst/einvoice"
)

// Portal error codes the emulator answers, as the NIC e-invoice system's
// error list gives them ("API error codes list": vital errors 10xx, invoice
// errors 2xxx; einv-apisandbox.nic.in/api-error-codes-list.html and
// einvoice1.gst.gov.in/others/geterrorcodes). 9999 for an IRN already
// cancelled is what GSPs report from the portal; the list does not name it.
const (
	CodeNoGSTIN       = "1004" // Header GSTIN is required
	CodeInvalidToken  = "1005" // Invalid Token
	CodeBadLogin      = "1008" // Invalid login credentials (user id or password)
	CodeBadClient     = "1010" // Invalid Client-ID/Client-Secret
	CodeBadPassword   = "1013" // Decryption of password failed (direct API: the RSA layer)
	CodeWrongGSTIN    = "1015" // Invalid GSTIN for this user
	CodeBadAppKey     = "1016" // Decryption of App Key failed (direct API)
	CodeBadSeller     = "2143" // Invoice does not belongs to the user GSTIN
	CodeIRNNotFound   = "2148" // Requested IRN data is not available
	CodeDuplicateIRN  = "2150" // Duplicate IRN
	CodeFutureDate    = "2163" // The document date should not be future date
	CodeCancelTooLate = "2270" // The allowed cancellation time limit is crossed, you cannot cancel the IRN
	CodeFetchTooLate  = "2283" // IRN details cannot be provided as it is generated more than … days prior
	CodeDateTooOld    = "2305" // IRN cannot be generated with document date prior to 30 days from today …
	CodeNotActive     = "9999" // Invoice is not active
)

// SimOptions configure the emulator: the one taxpayer it knows.
type SimOptions struct {
	GSTIN, Username, Password, ClientID, ClientSecret string
	// Now is the portal's clock (IST is applied to AckDt).
	Now func() time.Time
	// MaxAgeDays refuses documents dated earlier (2305): the 30-day
	// reporting limit for taxpayers with AATO ≥ ₹10 crore (GSTN advisory,
	// from 1 April 2025). 0 means 30; negative switches it off.
	MaxAgeDays int
	// Inactive GSTINs are answered with 3029.
	Inactive []string
	// Key signs the invoices and QR codes (a fresh RSA-2048 key if nil).
	Key *rsa.PrivateKey
	// Mode is ModeGSP (plain JSON, also when empty) or ModeDirect: NIC's
	// encrypted envelope (direct.go), and nothing else, on every call.
	Mode string
	// LoginKey opens the direct API's login; its public half is what the
	// client encrypts with (GET /irpsim/loginkey). A fresh RSA-2048 key if
	// nil in direct mode; like the portal's, it is not the signing key.
	LoginKey *rsa.PrivateKey
}

// Fault is what the emulator does wrong on purpose.
type Fault struct {
	// Down answers every request 503 with an HTML page, as the portal's
	// gateway does in an outage.
	Down bool
	// Slow waits this long before answering.
	Slow time.Duration
	// LoseReply registers the IRN and then drops the connection without
	// answering: a timeout after success, the case error 2150 recovers.
	LoseReply int
}

// simToken is a login: until when it holds and, on the direct API, its
// session key.
type simToken struct {
	exp time.Time
	sek []byte
}

type simDoc struct {
	data      IRNData
	seller    string
	typ, no   string
	dt        string
	at        time.Time
	cancelled time.Time
}

// Sim is the IRP emulator.
type Sim struct {
	o   SimOptions
	kid string

	mu     sync.Mutex
	fault  Fault
	tokens map[string]simToken
	byIRN  map[string]*simDoc
	ackSeq int64
	calls  map[string]int
}

// NewSim makes an emulator.
func NewSim(o SimOptions) (*Sim, error) {
	if o.Now == nil {
		o.Now = cal.Now // the business clock: a pinned VITARAN_TODAY reaches the emulator too
	}
	if o.MaxAgeDays == 0 {
		o.MaxAgeDays = 30
	}
	if o.Key == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		o.Key = k
	}
	if o.Mode == "" {
		o.Mode = ModeGSP
	}
	if o.Mode != ModeGSP && o.Mode != ModeDirect {
		return nil, fmt.Errorf("IRP emulator mode %q: use %s or %s", o.Mode, ModeGSP, ModeDirect)
	}
	if o.Mode == ModeDirect && o.LoginKey == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		o.LoginKey = k
	}
	return &Sim{o: o, kid: "VITARAN-SIM-1", tokens: map[string]simToken{}, byIRN: map[string]*simDoc{}, ackSeq: 112610000000000, calls: map[string]int{}}, nil
}

// PublicKey is the key that verifies the emulator's signatures.
func (s *Sim) PublicKey() *rsa.PublicKey { return &s.o.Key.PublicKey }

// LoginKeyPEM is the public key a direct API client encrypts its login
// with ("" unless the emulator is direct).
func (s *Sim) LoginKeyPEM() string {
	if s.o.LoginKey == nil {
		return ""
	}
	der, _ := x509.MarshalPKIXPublicKey(&s.o.LoginKey.PublicKey)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// SetFault changes the emulator's fault.
func (s *Sim) SetFault(f Fault) { s.mu.Lock(); s.fault = f; s.mu.Unlock() }

// Calls counts the requests per path (tests).
func (s *Sim) Calls(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[path] }

// IRNs counts the IRNs registered.
func (s *Sim) IRNs() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.byIRN) }

func ist(t time.Time) time.Time { return t.In(cal.IST) }

// Handler serves the emulated API.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathAuth, s.auth)
	mux.HandleFunc("POST "+PathGenerate, s.authed(s.generate))
	mux.HandleFunc("GET "+PathByDoc, s.authed(s.byDoc))
	mux.HandleFunc("GET "+PathByIRN+"{irn}", s.authed(s.byIRNHandler))
	mux.HandleFunc("POST "+PathCancel, s.authed(s.cancel))
	mux.HandleFunc("GET /irpsim/publickey", func(w http.ResponseWriter, r *http.Request) {
		der, _ := x509.MarshalPKIXPublicKey(s.PublicKey())
		pem.Encode(w, &pem.Block{Type: "PUBLIC KEY", Bytes: der})
	})
	mux.HandleFunc("GET /irpsim/loginkey", func(w http.ResponseWriter, r *http.Request) {
		if s.o.Mode != ModeDirect {
			http.Error(w, "the emulator is a GSP passthrough: no login key", http.StatusNotFound)
			return
		}
		io.WriteString(w, s.LoginKeyPEM())
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		f := s.fault
		s.calls[r.URL.Path]++
		s.mu.Unlock()
		if f.Slow > 0 {
			select {
			case <-time.After(f.Slow):
			case <-r.Context().Done():
				return
			}
		}
		if f.Down {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// sealed is the answer writer of a direct API call: reply seals Data with
// the call's session key.
type sealed struct {
	http.ResponseWriter
	sek []byte
}

func (s *sealed) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

func reply(w http.ResponseWriter, data any, errs []einvoice.Problem, info []Info) {
	rp := Reply{Status: 1, ErrorDetails: errs, InfoDtls: info}
	if len(errs) > 0 {
		rp.Status = 0
	} else {
		rp.Data, _ = json.Marshal(data)
		if sw, ok := w.(*sealed); ok {
			sd, err := Seal(sw.sek, rp.Data)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			rp.Data, _ = json.Marshal(sd)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(rp)
}

func refuse(w http.ResponseWriter, code, format string, a ...any) {
	reply(w, nil, []einvoice.Problem{{Code: code, Message: fmt.Sprintf(format, a...)}}, nil)
}

func (s *Sim) auth(w http.ResponseWriter, r *http.Request) {
	body := io.LimitReader(r.Body, 1<<16)
	var in AuthRequest
	var appKey []byte
	if s.o.Mode == ModeDirect {
		// NIC auth v1.04: {"Data": Base64(RSA(Base64(login JSON)))}; a
		// body that does not open is 1013, an AppKey that is not a
		// 32-byte key 1016.
		var env Envelope
		if err := json.NewDecoder(body).Decode(&env); err != nil {
			refuse(w, CodeBadPassword, "Decryption of password failed")
			return
		}
		login, key, code := openLogin(s.o.LoginKey, env)
		if code == CodeBadAppKey {
			refuse(w, code, "Decryption of App Key failed")
			return
		}
		if code != "" {
			refuse(w, code, "Decryption of password failed")
			return
		}
		in, appKey = AuthRequest{UserName: login.UserName, Password: login.Password}, key
	} else if err := json.NewDecoder(body).Decode(&in); err != nil {
		refuse(w, einvoice.CodeValidation, "invalid JSON: %v", err)
		return
	}
	if code, msg := s.login(r, in.UserName, in.Password); code != "" {
		refuse(w, code, "%s", msg)
		return
	}
	tok := make([]byte, 16)
	rand.Read(tok)
	t := fmt.Sprintf("%x", tok)
	exp := s.o.Now().Add(6 * time.Hour) // NIC tokens last six hours
	st := simToken{exp: exp}
	out := AuthData{ClientID: s.o.ClientID, UserName: in.UserName, AuthToken: t, TokenExpiry: ist(exp).Format(AckTime)}
	var answer any = out
	if appKey != nil {
		// the SEK, sealed with the client's AppKey
		st.sek = make([]byte, 32)
		rand.Read(st.sek)
		sek, err := Seal(appKey, st.sek)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		answer = DirectAuthData{ClientID: out.ClientID, UserName: out.UserName, AuthToken: t, Sek: sek, TokenExpiry: out.TokenExpiry}
	}
	s.mu.Lock()
	s.tokens[t] = st
	s.mu.Unlock()
	reply(w, answer, nil, nil)
}

// login checks a login against the registration, in the portal's order:
// the client (1010), the header GSTIN (1004, 1015), then the user (1008).
func (s *Sim) login(r *http.Request, user, password string) (code, msg string) {
	switch g := r.Header.Get("Gstin"); {
	case r.Header.Get("client_id") != s.o.ClientID || r.Header.Get("client_secret") != s.o.ClientSecret:
		return CodeBadClient, "Invalid Client-ID/Client-Secret"
	case g == "":
		return CodeNoGSTIN, "Header GSTIN is required"
	case g != s.o.GSTIN:
		return CodeWrongGSTIN, "Invalid GSTIN for this user"
	case user != s.o.Username || password != s.o.Password:
		return CodeBadLogin, "Invalid login credentials"
	}
	return "", ""
}

func (s *Sim) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		tok, ok := s.tokens[r.Header.Get("AuthToken")]
		s.mu.Unlock()
		if !ok || !s.o.Now().Before(tok.exp) || r.Header.Get("user_name") != s.o.Username {
			refuse(w, CodeInvalidToken, "Invalid Token")
			return
		}
		if r.Header.Get("Gstin") != s.o.GSTIN {
			refuse(w, CodeWrongGSTIN, "Invalid GSTIN for this user")
			return
		}
		if tok.sek != nil {
			// The direct API: the body is {"Data": Base64(AES-256-ECB(SEK,
			// JSON))} and nothing else; a wrong key or padding is refused.
			if r.Body != nil && r.Method == http.MethodPost {
				var env Envelope
				dec := json.NewDecoder(io.LimitReader(r.Body, 8<<20))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&env); err != nil || env.Data == "" {
					refuse(w, einvoice.CodeValidation, "the request is not the encrypted envelope {\"Data\": …}")
					return
				}
				plain, err := Open(tok.sek, env.Data)
				if err != nil {
					refuse(w, einvoice.CodeValidation, "the request's Data does not decrypt with the session key: %v", err)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(plain))
			}
			w = &sealed{ResponseWriter: w, sek: tok.sek}
		}
		h(w, r)
	}
}

func (s *Sim) generate(w http.ResponseWriter, r *http.Request) {
	var d einvoice.Document
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		refuse(w, einvoice.CodeValidation, "JSON is not valid against schema 1.1: %v", err)
		return
	}
	// NIC validation rules (schema, GSTINs, PINs, HSN, arithmetic within ₹1).
	if probs := einvoice.Check(&d, einvoice.Rules{Tolerance: einvoice.PortalTolerance}); len(probs) > 0 {
		reply(w, nil, probs, nil)
		return
	}
	// Rule 2143: only the logged-in taxpayer reports its own supplies.
	if d.SellerDtls.Gstin != s.o.GSTIN {
		refuse(w, CodeBadSeller, "Invoice does not belongs to the user GSTIN: seller %s, logged in as %s", d.SellerDtls.Gstin, s.o.GSTIN)
		return
	}
	// Rule 3029: the buyer's GSTIN must be active on the GST common portal.
	for _, g := range s.o.Inactive {
		if g == d.BuyerDtls.Gstin {
			refuse(w, einvoice.CodeGSTINInactive, "GSTIN - %s is not active", g)
			return
		}
	}
	dt, _ := einvoice.ParseDate(d.DocDtls.Dt)
	today := cal.Of(ist(s.o.Now()))
	// Rule 2163: a document cannot be dated after today.
	if dt > today {
		refuse(w, CodeFutureDate, "The document date should not be future date (%s)", d.DocDtls.Dt)
		return
	}
	// Rule 2305: a document older than the reporting limit is refused.
	if s.o.MaxAgeDays > 0 && dt.AddDays(s.o.MaxAgeDays) < today {
		refuse(w, CodeDateTooOld, "IRN cannot be generated with document date %s prior to %d days from today", d.DocDtls.Dt, s.o.MaxAgeDays)
		return
	}
	irn := IRN(d.SellerDtls.Gstin, dt, d.DocDtls.Typ, d.DocDtls.No)
	now := s.o.Now()
	s.mu.Lock()
	// Rule 2150: one IRN per document; the duplicate's reply names it.
	if old, ok := s.byIRN[irn]; ok {
		s.mu.Unlock()
		desc, _ := json.Marshal(DupIRN{AckNo: old.data.AckNo, AckDt: old.data.AckDt, Irn: irn})
		reply(w, nil, []einvoice.Problem{{Code: CodeDuplicateIRN, Message: "Duplicate IRN"}}, []Info{{InfCd: "DUPIRN", Desc: desc}})
		return
	}
	s.ackSeq++
	ack := s.ackSeq
	s.mu.Unlock()
	data, err := s.signed(&d, irn, ack, now)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	s.byIRN[irn] = &simDoc{data: data, seller: d.SellerDtls.Gstin, typ: d.DocDtls.Typ, no: d.DocDtls.No, dt: d.DocDtls.Dt, at: now}
	lose := s.fault.LoseReply > 0
	if lose {
		s.fault.LoseReply--
	}
	s.mu.Unlock()
	if lose {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	reply(w, data, nil, nil)
}

// signed makes the IRN's answer: the signed invoice and the signed QR code.
func (s *Sim) signed(d *einvoice.Document, irn string, ack int64, now time.Time) (IRNData, error) {
	at := ist(now).Format(AckTime)
	main, best := "", einvoice.Amount(-1)
	for _, it := range d.ItemList {
		if it.AssAmt > best {
			main, best = it.HsnCd, it.AssAmt
		}
	}
	qr, err := sign(s.o.Key, s.kid, QRPayload{SellerGstin: d.SellerDtls.Gstin, BuyerGstin: d.BuyerDtls.Gstin, DocNo: d.DocDtls.No,
		DocTyp: d.DocDtls.Typ, DocDt: d.DocDtls.Dt, TotInvVal: d.ValDtls.TotInvVal, ItemCnt: len(d.ItemList), MainHsnCode: main, Irn: irn, IrnDt: at})
	if err != nil {
		return IRNData{}, err
	}
	inv, err := sign(s.o.Key, s.kid, struct {
		AckNo int64  `json:"AckNo"`
		AckDt string `json:"AckDt"`
		Irn   string `json:"Irn"`
		*einvoice.Document
	}{ack, at, irn, d})
	if err != nil {
		return IRNData{}, err
	}
	return IRNData{AckNo: ack, AckDt: at, Irn: irn, SignedInvoice: inv, SignedQRCode: qr, Status: "ACT"}, nil
}

func (s *Sim) byDoc(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dt, err := einvoice.ParseDate(q.Get("docdate"))
	if err != nil {
		refuse(w, einvoice.CodeValidation, "docdate: %v", err)
		return
	}
	irn := IRN(s.o.GSTIN, dt, q.Get("doctype"), q.Get("docnum"))
	s.found(w, irn, true)
}

func (s *Sim) byIRNHandler(w http.ResponseWriter, r *http.Request) {
	s.found(w, r.PathValue("irn"), false)
}

func (s *Sim) found(w http.ResponseWriter, irn string, byDoc bool) {
	s.mu.Lock()
	d, ok := s.byIRN[irn]
	var data IRNData
	var at time.Time
	if ok {
		data, at = d.data, d.at
	}
	s.mu.Unlock()
	if !ok {
		refuse(w, CodeIRNNotFound, "Requested IRN data is not available")
		return
	}
	// Rule 2283: the portal gives an IRN's details by document for 72 hours
	// after generation only.
	if byDoc && s.o.Now().Sub(at) > 72*time.Hour {
		refuse(w, CodeFetchTooLate, "IRN details cannot be provided as it is generated more than 72 hours ago")
		return
	}
	reply(w, data, nil, nil)
}

func (s *Sim) cancel(w http.ResponseWriter, r *http.Request) {
	var in CancelRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil {
		refuse(w, einvoice.CodeValidation, "invalid JSON: %v", err)
		return
	}
	// CnlRsn is 1 (duplicate), 2 (data entry mistake), 3 (order cancelled)
	// or 4 (others); CnlRem is at most 100 characters.
	if n, err := strconv.Atoi(in.CnlRsn); err != nil || n < 1 || n > 4 {
		refuse(w, einvoice.CodeValidation, "CnlRsn %q must be 1, 2, 3 or 4", in.CnlRsn)
		return
	}
	if len([]rune(in.CnlRem)) > 100 {
		refuse(w, einvoice.CodeValidation, "CnlRem must be at most 100 characters")
		return
	}
	now := s.o.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.byIRN[strings.ToLower(in.Irn)]
	switch {
	case !ok:
		refuse(w, CodeIRNNotFound, "Requested IRN data is not available")
	case !d.cancelled.IsZero():
		refuse(w, CodeNotActive, "Invoice is not active")
	// Rule 2270: an IRN can be cancelled within 24 hours of its generation.
	case now.Sub(d.at) > 24*time.Hour:
		refuse(w, CodeCancelTooLate, "The allowed cancellation time limit is crossed, you cannot cancel the IRN")
	default:
		d.cancelled = now
		d.data.Status = "CNL"
		reply(w, CancelData{Irn: in.Irn, CancelDate: ist(now).Format(AckTime)}, nil, nil)
	}
}

// ValidGSTIN checks the emulator's own GSTIN (the CLI's flag).
func ValidGSTIN(g string) error { return gst.ValidateGSTIN(g) }
