// Package tallysim is a stand-in for TallyPrime acting as an XML server, for
// tests, benchmarks and the demo. It behaves as TALLY.md says real Tally
// does, traps included: an empty body when no company is open, Tally's own
// error texts, REMOTEID alters, duplicate voucher numbers accepted, EXCEPTIONS
// with no text, "&#4; " prefixes in exports, and one request at a time.
//
// Always true: a stored voucher's legs summed to zero when it was accepted,
// every ledger, item and godown it names exists, and at most one voucher is
// held per REMOTEID.
//
// It shares no code with tallybridge on purpose: it checks the bridge, it
// must not agree with the bridge's mistakes.
package tallysim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Fault is a misbehaviour the emulator can be told to show.
type Fault int

const (
	None         Fault = iota
	Hang               // never answers (a modal dialog in Tally)
	Refuse             // closes its listener: connection refused
	EmptyBody          // 200 with nothing: as if no company were open
	Exceptions         // every import answers EXCEPTIONS n with no text, storing nothing
	Intermittent       // every Nth request fails with EXCEPTIONS (see SetIntermittent)
	LoseReply          // imports are stored, then the connection drops before the reply
	Drop               // the connection is closed at once, nothing done (Tally starting up or closing)
)

// Ledger, Item, Unit and Godown seed a company.
type (
	Ledger struct{ Name, Parent, GSTIN, State, Opening string }
	Item   struct{ Name, Parent, BaseUnit, HSN, GSTRate, Opening string }
)

// Options describe the company the emulator starts with.
type Options struct {
	Company string   // the open company; empty means none is open
	Godowns []string // godowns besides "Main Location"; any makes the company multi-godown
	Units   []string
	Ledgers []Ledger
	Items   []Item
	UTF16   bool // answer in UTF-16LE with a BOM, as some Tally installs do
	// LatinOnlyUTF8 reads a UTF-8 request as one client saw Tally do: text
	// beyond Latin-1 (₹, Indian scripts) arrives as "?". A UTF-16 request
	// keeps it.
	LatinOnlyUTF8 bool
}

// Voucher is a voucher as the emulator holds it.
type Voucher struct {
	RemoteID, Type, Number, Date, Party string
	// SentDate is the DATE text as it arrived; Date is what Tally made of
	// it (YYYYMMDD). They differ when Tally silently misread the date.
	SentDate  string
	Narration string
	Ledgers   map[string]int64 // ledger → paise, Tally's sign
	// Bills are the party's bill allocations: "Agst Ref INV-1" → paise.
	Bills   map[string]int64
	Lines   int
	AlterID int
	// MasterID is Tally's own id of the voucher, kept across alters.
	MasterID int
	// Cancelled vouchers keep their number; their amounts count nowhere.
	Cancelled  bool
	CancelNote string

	xml *etree.Element // the voucher as it was imported, for exports
}

// Server is the emulator. Its zero value is not usable; call New.
type Server struct {
	busy sync.Mutex // one request at a time, like Tally

	mu         sync.Mutex // guards everything below
	opts       Options
	company    string
	groups     map[string]string // lower name → parent
	groupNames map[string]string
	ledgers    map[string]Ledger
	items      map[string]Item
	units      map[string]string
	godowns    map[string]string
	vouchers   map[string]*Voucher // by lower REMOTEID
	anonymous  []*Voucher          // vouchers sent without REMOTEID
	alterID    int
	masterID   int
	requests   int
	utf16Reqs  int
	fault      Fault
	every      int
	release    chan struct{}

	ln    net.Listener
	addr  string
	httpS *http.Server
}

var defaultGroups = [][2]string{
	{"Capital Account", ""}, {"Current Assets", ""}, {"Current Liabilities", ""},
	{"Direct Expenses", ""}, {"Direct Incomes", ""}, {"Fixed Assets", ""},
	{"Indirect Expenses", ""}, {"Indirect Incomes", ""}, {"Investments", ""},
	{"Loans (Liability)", ""}, {"Misc. Expenses (ASSET)", ""}, {"Purchase Accounts", ""},
	{"Sales Accounts", ""}, {"Suspense A/c", ""}, {"Branch / Divisions", ""},
	{"Bank Accounts", "Current Assets"}, {"Cash-in-Hand", "Current Assets"},
	{"Deposits (Asset)", "Current Assets"}, {"Loans & Advances (Asset)", "Current Assets"},
	{"Stock-in-Hand", "Current Assets"}, {"Sundry Debtors", "Current Assets"},
	{"Duties & Taxes", "Current Liabilities"}, {"Provisions", "Current Liabilities"},
	{"Sundry Creditors", "Current Liabilities"}, {"Bank OD A/c", "Loans (Liability)"},
	{"Secured Loans", "Loans (Liability)"}, {"Unsecured Loans", "Loans (Liability)"},
	{"Reserves & Surplus", "Capital Account"},
}

// New returns an emulator holding a company with Tally's default groups,
// the Cash and Profit & Loss ledgers, the Main Location godown and whatever
// the options seed.
func New(o Options) *Server {
	s := &Server{opts: o, company: o.Company, release: make(chan struct{})}
	s.reset()
	return s
}

func (s *Server) reset() {
	s.groups = map[string]string{}
	s.groupNames = map[string]string{}
	for _, g := range defaultGroups {
		s.groups[strings.ToLower(g[0])] = g[1]
		s.groupNames[strings.ToLower(g[0])] = g[0]
	}
	s.ledgers = map[string]Ledger{
		"cash":              {Name: "Cash", Parent: "Cash-in-Hand"},
		"profit & loss a/c": {Name: "Profit & Loss A/c"},
	}
	s.items = map[string]Item{}
	s.units = map[string]string{}
	s.godowns = map[string]string{"main location": "Main Location"}
	s.vouchers = map[string]*Voucher{}
	for _, g := range s.opts.Godowns {
		s.godowns[strings.ToLower(g)] = g
	}
	for _, u := range s.opts.Units {
		s.units[strings.ToLower(u)] = u
	}
	for _, l := range s.opts.Ledgers {
		s.ledgers[strings.ToLower(l.Name)] = l
	}
	for _, it := range s.opts.Items {
		s.items[strings.ToLower(it.Name)] = it
	}
}

// OpenCompany makes name the open company; "" closes it.
func (s *Server) OpenCompany(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.company = name
}

// SetFault switches a misbehaviour on (None switches all off). Hang is
// released, and Refuse listens again, when the fault is cleared.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	old := s.fault
	s.fault = f
	if old == Hang && f != Hang {
		close(s.release)
		s.release = make(chan struct{})
	}
	ln := s.ln
	s.mu.Unlock()
	if f == Refuse && ln != nil {
		_ = ln.Close()
	}
	if old == Refuse && f != Refuse && s.addr != "" {
		if l, err := net.Listen("tcp", s.addr); err == nil {
			s.mu.Lock()
			s.ln = l
			s.mu.Unlock()
			go func() { _ = s.httpS.Serve(l) }()
		}
	}
}

// SetIntermittent makes every nth request fail with EXCEPTIONS and no text.
func (s *Server) SetIntermittent(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault, s.every = Intermittent, n
}

// Start listens on addr ("127.0.0.1:0" for a free port) and serves in the
// background. It returns the URL to POST to.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	if s.httpS == nil {
		s.httpS = &http.Server{Handler: s}
	}
	hs := s.httpS
	s.mu.Unlock()
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/", nil
}

// ListenAndServe serves on addr until Close.
func (s *Server) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve answers requests on ln until Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	if s.httpS == nil {
		s.httpS = &http.Server{Handler: s}
	}
	hs := s.httpS
	s.mu.Unlock()
	err := hs.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Close stops serving and releases any hung request.
func (s *Server) Close() error {
	s.SetFault(None)
	s.mu.Lock()
	hs := s.httpS
	s.mu.Unlock()
	if hs != nil {
		return hs.Close()
	}
	return nil
}

// Requests counts requests answered (or swallowed) so far.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// UTF16Requests counts requests that arrived in UTF-16.
func (s *Server) UTF16Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.utf16Reqs
}

// VoucherCount is how many vouchers the company holds.
func (s *Server) VoucherCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.vouchers) + len(s.anonymous)
}

// CountByRemoteID is how many vouchers carry this REMOTEID: 0 or 1, unless
// something is badly wrong.
func (s *Server) CountByRemoteID(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.vouchers[strings.ToLower(id)]; ok {
		return 1
	}
	return 0
}

// VoucherByRemoteID returns a copy of a stored voucher.
func (s *Server) VoucherByRemoteID(id string) (Voucher, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.vouchers[strings.ToLower(id)]
	if !ok {
		return Voucher{}, false
	}
	out := *v
	out.Ledgers, out.Bills = map[string]int64{}, map[string]int64{}
	for k, a := range v.Ledgers {
		out.Ledgers[k] = a
	}
	for k, a := range v.Bills {
		out.Bills[k] = a
	}
	return out, true
}

// Remove deletes a voucher as the accountant does in Tally's own screens
// (Alt+D), outside any request; it reports whether one was held.
func (s *Server) Remove(remoteID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(remoteID)
	if _, ok := s.vouchers[k]; !ok {
		return false
	}
	delete(s.vouchers, k)
	s.alterID++
	return true
}

// Redate moves a voucher to another day (YYYYMMDD) as the accountant does
// by altering it in Tally's screens; it reports whether one was held.
func (s *Server) Redate(remoteID, date string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.vouchers[strings.ToLower(remoteID)]
	if !ok {
		return false
	}
	s.alterID++
	v.Date, v.AlterID = date, s.alterID
	return true
}

// LedgerTotal is a ledger's movement over every voucher that counts (not
// cancelled), in paise with Tally's sign: what its balance report would show
// above the opening.
func (s *Server) LedgerTotal(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t int64
	for _, v := range s.anonymousAndStored() {
		if v.Cancelled {
			continue
		}
		for l, a := range v.Ledgers {
			if strings.EqualFold(l, name) {
				t += a
			}
		}
	}
	return t
}

func (s *Server) anonymousAndStored() []*Voucher {
	out := append([]*Voucher(nil), s.anonymous...)
	for _, v := range s.vouchers {
		out = append(out, v)
	}
	return out
}

// Vouchers returns copies of every voucher held, cancelled ones included.
func (s *Server) Vouchers() []Voucher {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Voucher
	for _, v := range s.anonymousAndStored() {
		c := *v
		out = append(out, c)
	}
	return out
}

// CountByNumber is how many vouchers share a voucher number (Create accepts duplicates).
func (s *Server) CountByNumber(n string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := 0
	for _, v := range s.vouchers {
		if v.Number == n {
			c++
		}
	}
	for _, v := range s.anonymous {
		if v.Number == n {
			c++
		}
	}
	return c
}

// HasLedger, HasItem, HasGodown and HasUnit report what the company holds.
func (s *Server) HasLedger(name string) (Ledger, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.ledgers[strings.ToLower(name)]
	return l, ok
}

func (s *Server) HasItem(name string) (Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[strings.ToLower(name)]
	return it, ok
}

func (s *Server) HasGodown(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.godowns[strings.ToLower(name)]
	return ok
}

func (s *Server) HasUnit(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.units[strings.ToLower(name)]
	return ok
}

// ServeHTTP answers one request; others wait, as with Tally.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.busy.Lock()
	defer s.busy.Unlock()
	body, err := io.ReadAll(io.LimitReader(r.Body, 512<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	s.requests++
	fault, n, every, release := s.fault, s.requests, s.every, s.release
	s.mu.Unlock()

	switch fault {
	case Hang:
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return
	case EmptyBody:
		w.WriteHeader(http.StatusOK)
		return
	case Drop:
		panic(http.ErrAbortHandler)
	}
	exceptions := fault == Exceptions || fault == Intermittent && every > 0 && n%every == 0

	reply, utf16 := s.answer(body, exceptions)
	if fault == LoseReply {
		panic(http.ErrAbortHandler) // the work is done, the reply never arrives
	}
	if (utf16 || s.opts.UTF16) && len(reply) > 0 {
		reply = toUTF16LE(reply)
		w.Header().Set("Content-Type", "text/xml; charset=utf-16")
	} else {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(reply)
}

func toUTF16LE(b []byte) []byte {
	u := utf16.Encode([]rune(string(b)))
	out := make([]byte, 2, 2+2*len(u))
	out[0], out[1] = 0xFF, 0xFE
	for _, c := range u {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}

// fromUTF16 decodes a UTF-16 request (BOM, or a zero second byte: "<\x00")
// and says whether it was one.
func fromUTF16(b []byte) ([]byte, bool) {
	le := true
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		b = b[2:]
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		b, le = b[2:], false
	case len(b) > 1 && b[1] == 0:
	default:
		return b, false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if le {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		} else {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
	}
	out := []byte(string(utf16.Decode(u)))
	// the text is UTF-8 now: a declaration saying UTF-16 would stop the parser
	if bytes.HasPrefix(out, []byte("<?xml")) {
		if end := bytes.Index(out, []byte("?>")); end > 0 {
			out = out[end+2:]
		}
	}
	return out, true
}

// latinOnly is what a UTF-8 request's text becomes in a Tally that reads
// it as Latin-1 and cannot keep what lies beyond.
func latinOnly(b []byte) []byte {
	if !utf8.Valid(b) {
		return b
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if r > 0xFF {
			r = '?'
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

const unknownRequest = "<RESPONSE>Unknown Request, cannot be processed</RESPONSE>\r\n"

// answer does the work of one request and returns the reply text.
func (s *Server) answer(body []byte, exceptions bool) ([]byte, bool) {
	body, wide := fromUTF16(body)
	if !wide && s.opts.LatinOnlyUTF8 {
		body = latinOnly(body)
	}
	// Tally reads its own reserved-value references; encoding/xml cannot.
	body = bytes.ReplaceAll(body, []byte("&#4;"), nil)
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil || doc.Root() == nil || doc.Root().Tag != "ENVELOPE" {
		return []byte(unknownRequest), false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if wide {
		s.utf16Reqs++
	}
	if s.company == "" {
		return nil, false
	}
	env := doc.Root()
	req := strings.TrimSpace(env.FindElement("HEADER/TALLYREQUEST").NotNil().Text())
	typ := strings.TrimSpace(env.FindElement("HEADER/TYPE").NotNil().Text())
	newForm := env.FindElement("HEADER/VERSION") != nil
	company := strings.TrimSpace(env.FindElement(".//STATICVARIABLES/SVCURRENTCOMPANY").NotNil().Text())
	if company != "" && !strings.EqualFold(company, s.company) {
		msg := fmt.Sprintf("Could not set 'SVCurrentCompany' to '%s'", company)
		return s.importReply(newForm, counters{errors: 1}, []string{msg}), false
	}
	switch {
	case req == "Import Data" || req == "Import" && typ == "Data":
		var holder *etree.Element
		if newForm {
			holder = env.FindElement("BODY/DATA")
		} else {
			holder = env.FindElement("BODY/IMPORTDATA/REQUESTDATA")
		}
		if holder == nil {
			return []byte(unknownRequest), false
		}
		var objs []*etree.Element
		for _, m := range holder.SelectElements("TALLYMESSAGE") {
			objs = append(objs, m.ChildElements()...)
		}
		if exceptions {
			return s.importReply(newForm, counters{exceptions: len(objs)}, nil), false
		}
		var c counters
		var lines []string
		for _, o := range objs {
			if msg := s.importObject(o, &c); msg != "" {
				lines = append(lines, msg)
			}
		}
		return s.importReply(newForm, c, lines), false
	case req == "Export Data" || req == "Export":
		name := strings.TrimSpace(env.FindElement(".//REQUESTDESC/REPORTNAME").NotNil().Text())
		if name == "" {
			name = strings.TrimSpace(env.FindElement("HEADER/ID").NotNil().Text())
		}
		kind := strings.TrimSpace(env.FindElement(".//STATICVARIABLES/ACCOUNTTYPE").NotNil().Text())
		if typ == "Collection" {
			return s.collection(env), s.opts.UTF16
		}
		if !strings.EqualFold(name, "List of Accounts") {
			return []byte(unknownRequest), false
		}
		return s.listOfAccounts(kind), s.opts.UTF16
	}
	return []byte(unknownRequest), false
}

type counters struct {
	created, altered, ignored, errors, exceptions, cancelled, deleted int
	lastVchID                                                         int
}

func (s *Server) importReply(newForm bool, c counters, lines []string) []byte {
	var b strings.Builder
	inner := func() {
		for _, l := range lines {
			fmt.Fprintf(&b, "<LINEERROR>%s</LINEERROR>\r\n", esc(l))
		}
		fmt.Fprintf(&b, "<CREATED>%d</CREATED>\r\n<ALTERED>%d</ALTERED>\r\n<DELETED>%d</DELETED>\r\n<LASTVCHID>%d</LASTVCHID>\r\n<LASTMID>0</LASTMID>\r\n<COMBINED>0</COMBINED>\r\n<IGNORED>%d</IGNORED>\r\n<ERRORS>%d</ERRORS>\r\n<CANCELLED>%d</CANCELLED>\r\n<EXCEPTIONS>%d</EXCEPTIONS>\r\n",
			c.created, c.altered, c.deleted, c.lastVchID, c.ignored, c.errors, c.cancelled, c.exceptions)
	}
	if !newForm {
		b.WriteString("<RESPONSE>\r\n")
		inner()
		b.WriteString("</RESPONSE>\r\n")
		return []byte(b.String())
	}
	status := 1
	if c.errors+c.exceptions > 0 || len(lines) > 0 {
		status = 0
	}
	fmt.Fprintf(&b, "<ENVELOPE>\r\n<HEADER>\r\n<VERSION>1</VERSION>\r\n<STATUS>%d</STATUS>\r\n</HEADER>\r\n<BODY>\r\n<DESC></DESC>\r\n<DATA>\r\n<IMPORTRESULT>\r\n", status)
	inner()
	b.WriteString("</IMPORTRESULT>\r\n</DATA>\r\n</BODY>\r\n</ENVELOPE>\r\n")
	return []byte(b.String())
}

func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
