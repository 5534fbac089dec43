package posting

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/masters"
	"vitaran/tallybridge"
)

// Buckets of the bridge's state in the book.
const (
	bMeta = "tally.meta" // settings, mapping, cursor, id prefix
	bDocs = "tally.docs" // queue id → docState (documents and day summaries)
	bOpen = "tally.open" // book queue seq → queue id, for entries not yet posted
	bDays = "tally.days" // date → dayState (day-wise mode)
)

const (
	keySettings = "settings"
	keyMapping  = "mapping"
	keyCursor   = "cursor"
	keyPrefix   = "prefix"
	// keyOldNotes: the old "-CXL" credit notes were queued for deletion
	// (migrate.go), once per book
	keyOldNotes = "old_cancel_notes"
)

// Modes of posting (masters.Company.TallyMode).
const (
	ModeInvoice = "invoice"
	ModeDaily   = "daily"
)

// StateFolded is a document carried by its day's summary voucher (day-wise
// mode); its fate is the day's.
const StateFolded tallybridge.State = "in day summary"

// Settings say where Tally is and how to post to it. Mode is the company's
// tally_mode, shown and changed here too.
type Settings struct {
	URL            string `json:"url"`
	Company        string `json:"company"`
	Mode           string `json:"mode"`              // invoice or daily
	ConnectTimeout int    `json:"connect_timeout_s"` // seconds; default 5
	ReadTimeout    int    `json:"read_timeout_s"`    // seconds; default 60
	BatchSize      int    `json:"batch_size"`        // vouchers per request; default 25
	NewForm        bool   `json:"new_form"`          // Prime's envelope instead of the old one
	Encoding       string `json:"encoding"`          // of requests: utf-8 (default) or utf-16 (LE with BOM), for ₹ and Indian scripts
	SkipMasters    bool   `json:"skip_masters"`      // never create masters in Tally

	CashLedger     string `json:"cash_ledger"`      // receipts in cash; default "Cash"
	BankLedger     string `json:"bank_ledger"`      // other receipts; default "Bank Account"
	RoundOffLedger string `json:"round_off_ledger"` // default "Round Off"
	Supplier       string `json:"supplier"`         // purchases without a supplier name; default "Purchase Supplier"
	SummaryParty   string `json:"summary_party"`    // day-wise mode's party; default "Retail Sales (Day Summary)"
}

// Defaults fills what was left empty.
func (s *Settings) Defaults() {
	if s.URL == "" {
		s.URL = tallybridge.DefaultURL
	}
	if s.Mode == "" {
		s.Mode = ModeInvoice
	}
	if s.ConnectTimeout <= 0 {
		s.ConnectTimeout = 5
	}
	if s.ReadTimeout <= 0 {
		s.ReadTimeout = 60
	}
	if s.BatchSize <= 0 {
		s.BatchSize = 25
	}
	if e, err := tallybridge.ParseEncoding(s.Encoding); err == nil {
		s.Encoding = e.String()
	}
	def := func(p *string, v string) {
		if strings.TrimSpace(*p) == "" {
			*p = v
		}
	}
	def(&s.CashLedger, tallybridge.DefaultCash)
	def(&s.BankLedger, "Bank Account")
	def(&s.RoundOffLedger, tallybridge.DefaultRoundOff)
	def(&s.Supplier, "Purchase Supplier")
	def(&s.SummaryParty, "Retail Sales (Day Summary)")
}

// Validate names the field at fault.
func (s *Settings) Validate() error {
	if !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
		return fail.Invalid("url", "%q: write it as http://127.0.0.1:9000", s.URL)
	}
	if s.Mode != ModeInvoice && s.Mode != ModeDaily {
		return fail.Invalid("mode", "%q: use invoice or daily", s.Mode)
	}
	if s.ConnectTimeout > 300 || s.ReadTimeout > 3600 {
		return fail.Invalid("read_timeout_s", "timeouts are at most 300 s to connect and 3600 s to read")
	}
	if _, err := tallybridge.ParseEncoding(s.Encoding); err != nil {
		return fail.Invalid("encoding", "%q: use utf-8 or utf-16", s.Encoding)
	}
	if s.BatchSize > 1000 {
		return fail.Invalid("batch_size", "at most 1000 vouchers per request")
	}
	return nil
}

// Client makes the Tally client these settings describe.
func (s Settings) Client() *tallybridge.Client {
	c := tallybridge.NewClient(s.URL, s.Company)
	c.ConnectTimeout = time.Duration(s.ConnectTimeout) * time.Second
	c.ReadTimeout = time.Duration(s.ReadTimeout) * time.Second
	if s.NewForm {
		c.Form = tallybridge.NewForm
	}
	c.Encoding, _ = tallybridge.ParseEncoding(s.Encoding) // Validate refused anything else
	return c
}

// GetSettings reads the settings (with defaults) and the company's mode.
func GetSettings(tx *book.Tx) (Settings, error) {
	var s Settings
	if _, err := tx.Bucket(bMeta).GetJSON(keySettings, &s); err != nil {
		return s, fmt.Errorf("tally settings: %w", err)
	}
	s.Mode = ""
	if co, err := masters.GetCompany(tx); err == nil {
		s.Mode = co.TallyMode
	}
	s.Defaults()
	return s, nil
}

// PutSettings validates and stores the settings; the mode goes to the
// company profile, where billing and reports read it too.
func PutSettings(tx *book.Tx, s Settings) (Settings, error) {
	s.URL = strings.TrimSpace(s.URL)
	s.Company = strings.TrimSpace(s.Company)
	s.Defaults()
	if err := s.Validate(); err != nil {
		return s, err
	}
	before, _ := GetSettings(tx)
	co, err := masters.GetCompany(tx)
	if err == nil && co.TallyMode != s.Mode {
		co.TallyMode = s.Mode
		if _, err := masters.PutCompany(tx, co); err != nil {
			return s, err
		}
	}
	stored := s
	stored.Mode = ""
	if err := tx.Bucket(bMeta).PutJSON(keySettings, stored); err != nil {
		return s, err
	}
	return s, tx.Audit("setting", "tally", "settings", before, s, "")
}

// GetMapping reads the mapping of our names to the accountant's.
func GetMapping(tx *book.Tx) (tallybridge.Mapping, error) {
	var m tallybridge.Mapping
	if _, err := tx.Bucket(bMeta).GetJSON(keyMapping, &m); err != nil {
		return m, fmt.Errorf("tally mapping: %w", err)
	}
	return m, nil
}

// PutMapping replaces the mapping. Empty names are refused naming the entry.
func PutMapping(tx *book.Tx, m tallybridge.Mapping) (tallybridge.Mapping, error) {
	clean := func(kind string, in map[string]string) (map[string]string, error) {
		out := map[string]string{}
		for k, v := range in {
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if k == "" || v == "" {
				return nil, fail.Invalid(kind, "%q → %q: both names are needed", k, v)
			}
			out[k] = v
		}
		return out, nil
	}
	var err error
	var out tallybridge.Mapping
	if out.Ledgers, err = clean("ledgers", m.Ledgers); err != nil {
		return m, err
	}
	if out.Items, err = clean("items", m.Items); err != nil {
		return m, err
	}
	if out.Godowns, err = clean("godowns", m.Godowns); err != nil {
		return m, err
	}
	if out.Units, err = clean("units", m.Units); err != nil {
		return m, err
	}
	before, _ := GetMapping(tx)
	if err := tx.Bucket(bMeta).PutJSON(keyMapping, out); err != nil {
		return out, err
	}
	return out, tx.Audit("setting", "tally", "mapping", before, out, "")
}

// idPrefix is fixed the first time it is needed: REMOTEIDs must never change.
func idPrefix(tx *book.Tx) (string, error) {
	p, stored := prefixOf(tx)
	if stored {
		return p, nil
	}
	return p, tx.Bucket(bMeta).Put(keyPrefix, []byte(p))
}

// prefixOf is the REMOTEID prefix, and whether it is fixed in the book
// already; it only reads. A book restored from a backup taken before its
// first push derives the same prefix the replaced book fixed.
func prefixOf(tx *book.Tx) (string, bool) {
	if p := tx.Bucket(bMeta).Get(keyPrefix); p != nil {
		return string(p), true
	}
	co, _ := masters.GetCompany(tx)
	code := co.Code
	if code == "" {
		code = co.GSTIN
	}
	if code == "" {
		code = "BOOK"
	}
	return "vitaran:" + code, false
}

// docState is what the queue keeps per document (or day summary voucher).
type docState struct {
	Kind     string            `json:"kind"`
	Number   string            `json:"number"`
	Seq      uint64            `json:"seq,omitempty"`
	RemoteID string            `json:"remote_id,omitempty"`
	State    tallybridge.State `json:"state"`
	Attempts int               `json:"attempts,omitempty"`
	NextTry  time.Time         `json:"next_try,omitzero"`
	Reason   string            `json:"reason,omitempty"`
	InTally  bool              `json:"in_tally,omitempty"`
	// Deleting: a day summary whose GST-rate group emptied, to be deleted
	// from Tally; its record goes once Tally confirms
	Deleting bool `json:"deleting,omitempty"`
	// Transient: the last failure was Tally unreachable, not a refusal
	Transient bool      `json:"transient,omitempty"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	PostedAt  time.Time `json:"posted_at,omitzero"`
	Day       string    `json:"day,omitempty"` // folded into this day's summary
}

// dayState is one day of the day-wise mode.
type dayState struct {
	Invoices []string `json:"invoices"`
	Gen      int      `json:"gen"`       // bumped by every invoice or cancel folded in
	BuiltGen int      `json:"built_gen"` // the generation the last summary was built from
	IDs      []string `json:"ids"`       // queue ids of the last summary's vouchers
	Dirty    bool     `json:"dirty"`
}

func getDoc(tx *book.Tx, id string) (docState, bool, error) {
	var d docState
	ok, err := tx.Bucket(bDocs).GetJSON(id, &d)
	return d, ok, err
}

func putDoc(tx *book.Tx, id string, d docState) error { return tx.Bucket(bDocs).PutJSON(id, d) }

func getDay(tx *book.Tx, day string) (dayState, error) {
	var d dayState
	_, err := tx.Bucket(bDays).GetJSON(day, &d)
	return d, err
}

func putDay(tx *book.Tx, day string, d dayState) error { return tx.Bucket(bDays).PutJSON(day, d) }

// eachDay calls fn with every day of the day-wise mode, in date order.
func eachDay(tx *book.Tx, fn func(day string, d dayState) (bool, error)) error {
	return tx.Bucket(bDays).Range("", "", func(k string, v []byte) (bool, error) {
		var d dayState
		if err := jsonUnmarshal(v, &d); err != nil {
			return false, err
		}
		return fn(k, d)
	})
}

func deleteDoc(tx *book.Tx, id string) error { return tx.Bucket(bDocs).Delete(id) }

// eachDocRaw calls fn with every queue id and its docState as stored
// (JSON): List and GetStatus decode only the fields they need.
func eachDocRaw(tx *book.Tx, fn func(id string, raw []byte) (bool, error)) error {
	return tx.Bucket(bDocs).Range("", "", fn)
}

// eachOldCancelNote calls fn with every old "-CXL" credit note queued for
// deletion (migrate.go), done or not.
func eachOldCancelNote(tx *book.Tx, fn func(id string, d docState) (bool, error)) error {
	return tx.Bucket(bDocs).Scan(KindOldCancelNote+":", func(id string, v []byte) (bool, error) {
		var d docState
		if err := jsonUnmarshal(v, &d); err != nil {
			return false, fmt.Errorf("tally queue %s: %w", id, err)
		}
		return fn(id, d)
	})
}

// scanDocRaw is eachDocRaw through Scan (keys below "\xff"), as Used
// has always read it.
func scanDocRaw(tx *book.Tx, fn func(id string, raw []byte) (bool, error)) error {
	return tx.Bucket(bDocs).Scan("", fn)
}

// The open index: book queue seq → queue id, for entries not yet posted.

func putOpen(tx *book.Tx, seq uint64, id string) error {
	return tx.Bucket(bOpen).Put(book.SeqKey(seq), []byte(id))
}

func deleteOpen(tx *book.Tx, seq uint64) error { return tx.Bucket(bOpen).Delete(book.SeqKey(seq)) }

// eachOpen calls fn with the queue id of every open entry, oldest first.
func eachOpen(tx *book.Tx, fn func(id string) (bool, error)) error {
	return tx.Bucket(bOpen).Range("", "", func(_ string, v []byte) (bool, error) { return fn(string(v)) })
}

// getCursor is the book queue's seq up to which Ingest has taken documents in.
func getCursor(tx *book.Tx) (uint64, error) {
	var c uint64
	_, err := tx.Bucket(bMeta).GetJSON(keyCursor, &c)
	return c, err
}

func putCursor(tx *book.Tx, seq uint64) error { return tx.Bucket(bMeta).PutJSON(keyCursor, seq) }

// oldNotesQueued reports whether the old credit notes were queued already.
func oldNotesQueued(tx *book.Tx) bool { return tx.Bucket(bMeta).Get(keyOldNotes) != nil }

func setOldNotesQueued(tx *book.Tx, at time.Time) error {
	return tx.Bucket(bMeta).Put(keyOldNotes, []byte(at.UTC().Format(time.RFC3339)))
}

// storedPrefix is the REMOTEID prefix as fixed in the book ("" before).
func storedPrefix(tx *book.Tx) string { return string(tx.Bucket(bMeta).Get(keyPrefix)) }

// QueueID is the queue's id of a document: "invoice:SI/26-27/000001".
func QueueID(kind, number string) string { return kind + ":" + number }

const dayPrefix = "day:"

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
