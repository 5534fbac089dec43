package tallybridge_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

const company = "Lakshmi Distributors & Sons"

func startSim(t testing.TB, o tallysim.Options) (*tallysim.Server, *tallybridge.Client) {
	t.Helper()
	if o.Company == "" {
		o.Company = company
	}
	sim := tallysim.New(o)
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	c := tallybridge.NewClient(url, company)
	c.ConnectTimeout = 500 * time.Millisecond
	c.ReadTimeout = 2 * time.Second
	return sim, c
}

var billDay = time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC)

// sale is an intra-state invoice of n lines at 5 % with a round-off.
func sale(id string, n int) tallybridge.Voucher {
	v := tallybridge.Voucher{
		Kind: tallybridge.Sales, RemoteID: id, Number: id, Date: billDay,
		Party: tallybridge.Party{Name: "Sri Murugan Stores & Co", GSTIN: "33AABCS1234F1Z5", State: "Tamil Nadu"},
	}
	var net money.Paise
	for i := 0; i < n; i++ {
		amt := money.Paise(12550 * (i + 1))
		v.Lines = append(v.Lines, tallybridge.Line{
			Item: fmt.Sprintf("Glow Soap %dg", 50*(i+1)), HSN: "34011190", GSTRate: 500,
			Godown: "Main Location", Unit: "Nos", Qty: money.Qty(i + 1), Rate: 12550, Amount: amt,
		})
		net += amt
	}
	half := net.MulRate(250)
	v.Taxes = []tallybridge.TaxLeg{{Tax: tallybridge.CGST, Rate: 500, Amount: half}, {Tax: tallybridge.SGST, Rate: 500, Amount: half}}
	v.Total, v.RoundOff = (net + 2*half).RoundToRupee()
	return v
}

func TestPushToAFreshCompanyCreatesMastersThenVouchers(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	q := tallybridge.NewMemQueue()
	for i := 0; i < 30; i++ {
		q.Add(sale(fmt.Sprintf("INV-%03d", i), 3))
	}
	var last [2]int
	rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{
		BatchSize: 10, Progress: func(d, n int) { last = [2]int{d, n} },
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Posted != 30 || sim.VoucherCount() != 30 {
		t.Fatalf("posted %d, Tally holds %d; want 30", rep.Posted, sim.VoucherCount())
	}
	if last != [2]int{30, 30} {
		t.Errorf("progress ended at %v", last)
	}
	l, ok := sim.HasLedger("Sri Murugan Stores & Co")
	if !ok || l.Parent != "Sundry Debtors" || l.GSTIN != "33AABCS1234F1Z5" || l.State != "Tamil Nadu" {
		t.Errorf("party ledger %+v", l)
	}
	for _, name := range []string{"Sales @ 5%", "Output CGST", "Output SGST", "Round Off"} {
		if _, ok := sim.HasLedger(name); !ok {
			t.Errorf("ledger %q not created", name)
		}
	}
	it, ok := sim.HasItem("Glow Soap 100g")
	if !ok || it.HSN != "34011190" || it.BaseUnit != "Nos" || it.GSTRate != "5" {
		t.Errorf("stock item %+v", it)
	}
	// a second push has nothing to do and creates nothing
	rep, err = tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{})
	if err != nil || rep.Due != 0 {
		t.Fatalf("second push: %+v %v", rep, err)
	}
}

func TestPullMastersThroughSanitiserInUTF16(t *testing.T) {
	_, c := startSim(t, tallysim.Options{UTF16: true, Units: []string{"Kgs."},
		Ledgers: []tallysim.Ledger{{Name: "ABC Traders A/c", Parent: "Sundry Debtors", GSTIN: "33AAACA1111A1Z1", State: "Tamil Nadu", Opening: "(-)1500.50"}},
		Items:   []tallysim.Item{{Name: "Sugar", BaseUnit: "Kgs.", HSN: "1701", GSTRate: "5", Opening: "1000.00 Kgs."}},
	})
	var reps []tallybridge.Repair
	c.OnRepairs = func(r []tallybridge.Repair) { reps = append(reps, r...) }
	m, err := c.ListOfAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, l := range m.Ledgers {
		if l.Name == "ABC Traders A/c" {
			found = true
			if l.Opening != -150050 || l.GSTIN != "33AAACA1111A1Z1" {
				t.Errorf("ledger %+v", l)
			}
		}
		if l.Name == "Profit & Loss A/c" && l.Parent != "" {
			t.Errorf("reserved Primary parent read as %q", l.Parent)
		}
	}
	if !found {
		t.Fatal("ledger not pulled")
	}
	if len(m.Items) != 1 || m.Items[0].OpeningQty != 1000 || m.Items[0].GSTRate != 500 {
		t.Errorf("items %+v", m.Items)
	}
	kinds := map[tallybridge.RepairKind]bool{}
	for _, r := range reps {
		kinds[r.Kind] = true
	}
	if !kinds[tallybridge.RepairEncoding] || !kinds[tallybridge.RepairControlRef] {
		t.Errorf("repairs reported: %v", reps)
	}
	sug := tallybridge.SuggestLedgers([]tallybridge.Ledger{{Name: "ABC Traders", GSTIN: "33AAACA1111A1Z1"}}, m.Ledgers)
	if s := sug["ABC Traders"]; len(s) == 0 || s[0].Theirs != "ABC Traders A/c" || s[0].Why != "same GSTIN" {
		t.Errorf("suggestions %+v", s)
	}
}

func TestMappingUsesTheAccountantsLedger(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{Ledgers: []tallysim.Ledger{{Name: "Murugan Stores (TN)", Parent: "Sundry Debtors"}}})
	q := tallybridge.NewMemQueue()
	q.Add(sale("INV-1", 2))
	_, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{
		Mapping: tallybridge.Mapping{Ledgers: map[string]string{"sri murugan stores & co": "Murugan Stores (TN)"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sim.HasLedger("Sri Murugan Stores & Co"); ok {
		t.Error("created our ledger although a mapping names theirs")
	}
	if v, _ := sim.VoucherByRemoteID("INV-1"); v.Party != "Murugan Stores (TN)" {
		t.Errorf("voucher party %q", v.Party)
	}
}

func TestFailedBatchIsBisectedToTheBadVoucher(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	q := tallybridge.NewMemQueue()
	for i := 0; i < 16; i++ {
		v := sale(fmt.Sprintf("INV-%02d", i), 2)
		if i == 11 {
			v.Taxes[0].Ledger = "Output CGST 9%" // never created: SkipMasters below
		}
		q.Add(v)
	}
	// create masters once for the good vouchers, then push without the masters step
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{sale("X", 2)}); err != nil {
		t.Fatal(err)
	}
	rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{BatchSize: 16, SkipMasters: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Posted != 15 || rep.Failed != 1 || sim.VoucherCount() != 15 {
		t.Fatalf("report %+v, Tally holds %d", rep, sim.VoucherCount())
	}
	bad, _ := q.Get("INV-11")
	if bad.State != tallybridge.StateFailed || !strings.Contains(bad.Reason, "Ledger 'Output CGST 9%' does not exist!") || bad.Attempts == 0 || bad.NextTry.IsZero() {
		t.Errorf("bad voucher entry %+v", bad)
	}
	for _, e := range q.All() {
		if e.ID != "INV-11" && sim.CountByRemoteID(e.ID) != 1 {
			t.Errorf("%s held %d times", e.ID, sim.CountByRemoteID(e.ID))
		}
	}
}

// lossyQueue forgets to record postings, as an app killed after the request
// went out but before the reply was written to the book.
type lossyQueue struct {
	*tallybridge.MemQueue
	crash bool
}

var errKilled = errors.New("killed")

func (q *lossyQueue) MarkPosted(id string, p tallybridge.Posting) error {
	if q.crash {
		return errKilled
	}
	return q.MemQueue.MarkPosted(id, p)
}

func TestKillBetweenSendAndReplyNeverDuplicates(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	q := &lossyQueue{MemQueue: tallybridge.NewMemQueue(), crash: true}
	q.Add(sale("INV-7", 2))
	if _, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{}); !errors.Is(err, errKilled) {
		t.Fatalf("want the simulated crash, got %v", err)
	}
	if e, _ := q.Get("INV-7"); e.State != tallybridge.StateSending {
		t.Fatalf("after the crash the entry is %s, want sending", e.State)
	}
	q.crash = false // restart
	rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{})
	if err != nil || rep.Posted != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if n := sim.CountByRemoteID("INV-7"); n != 1 || sim.VoucherCount() != 1 {
		t.Fatalf("Tally holds %d vouchers (%d with the id)", sim.VoucherCount(), n)
	}
	v, _ := sim.VoucherByRemoteID("INV-7")
	if v.AlterID < 2 {
		t.Error("the re-send did not alter the voucher")
	}
}

func TestLostReplyIsRetriedAsAnAlter(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	q := tallybridge.NewMemQueue()
	q.Add(sale("INV-8", 1))
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{sale("INV-8", 1)}); err != nil {
		t.Fatal(err)
	}
	sim.SetFault(tallysim.LoseReply)
	_, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{SkipMasters: true})
	if err == nil {
		t.Fatal("a lost reply must not count as posted")
	}
	e, _ := q.Get("INV-8")
	if e.State != tallybridge.StateFailed || e.Reason == "" {
		t.Fatalf("entry %+v", e)
	}
	sim.SetFault(tallysim.None)
	rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{RetryNow: true, SkipMasters: true})
	if err != nil || rep.Posted != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if sim.VoucherCount() != 1 {
		t.Fatalf("Tally holds %d vouchers, want 1", sim.VoucherCount())
	}
}

func TestAmendedDocumentMustAlter(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	q := tallybridge.NewMemQueue()
	q.Add(sale("INV-9", 1))
	if _, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	v := sale("INV-9", 2)
	q.Add(v) // amended after posting: goes back in the queue as an alteration
	if _, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := sim.VoucherByRemoteID("INV-9"); got.Lines != 2 || sim.VoucherCount() != 1 {
		t.Fatalf("Tally holds %d vouchers, the altered one has %d lines", sim.VoucherCount(), got.Lines)
	}
}

func TestDuplicateNumbersAreAcceptedOnCreate(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	a, b := sale("INV-A", 1), sale("INV-B", 1)
	b.Number = a.Number
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{a}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PostVouchers(context.Background(), []tallybridge.Voucher{a, b}, 0); err != nil {
		t.Fatal(err)
	}
	if sim.CountByNumber(a.Number) != 2 {
		t.Fatal("Tally accepts duplicate numbers; only REMOTEID keeps us safe")
	}
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*tallysim.Server, *tallybridge.Client)
		want  error
	}{
		{"Tally not running", func(s *tallysim.Server, _ *tallybridge.Client) { s.SetFault(tallysim.Refuse) }, tallybridge.ErrNotRunning},
		{"a dialog hangs Tally", func(s *tallysim.Server, c *tallybridge.Client) {
			c.ReadTimeout = 300 * time.Millisecond
			s.SetFault(tallysim.Hang)
		}, tallybridge.ErrTimeout},
		{"no company open", func(s *tallysim.Server, _ *tallybridge.Client) { s.OpenCompany("") }, tallybridge.ErrNoCompany},
		{"empty body", func(s *tallysim.Server, _ *tallybridge.Client) { s.SetFault(tallysim.EmptyBody) }, tallybridge.ErrNoCompany},
		{"company misspelt", func(_ *tallysim.Server, c *tallybridge.Client) { c.Company = "Lakshmi Distributers" }, tallybridge.ErrCompanyNotOpen},
		{"exceptions without text", func(s *tallysim.Server, _ *tallybridge.Client) { s.SetFault(tallysim.Exceptions) }, tallybridge.ErrRejected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim, c := startSim(t, tallysim.Options{})
			q := tallybridge.NewMemQueue()
			q.Add(sale("INV-1", 2))
			q.Add(sale("INV-2", 2))
			if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{sale("X", 2)}); err != nil {
				t.Fatal(err)
			}
			tc.setup(sim, c)
			_, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{SkipMasters: true})
			if tc.want != tallybridge.ErrRejected && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for _, e := range q.All() {
				if e.State != tallybridge.StateFailed || e.Reason == "" || e.Attempts != 1 && tc.want != tallybridge.ErrRejected {
					t.Errorf("%s: %+v", e.ID, e)
				}
				if tc.want == tallybridge.ErrRejected && !strings.Contains(e.Reason, "exception") {
					t.Errorf("%s reason %q", e.ID, e.Reason)
				}
			}
			// the fault clears; the retry posts everything exactly once
			sim.SetFault(tallysim.None)
			sim.OpenCompany(company)
			c.Company = company
			c.ReadTimeout = 2 * time.Second
			rep, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{RetryNow: true, SkipMasters: true})
			if err != nil || rep.Posted != 2 || sim.VoucherCount() != 2 {
				t.Fatalf("retry: %+v %v, Tally holds %d", rep, err, sim.VoucherCount())
			}
		})
	}
}

func TestIntermittentFailuresEndPostedAfterRetries(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	q := tallybridge.NewMemQueue()
	for i := 0; i < 20; i++ {
		q.Add(sale(fmt.Sprintf("INV-%02d", i), 1))
	}
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{sale("X", 1)}); err != nil {
		t.Fatal(err)
	}
	sim.SetIntermittent(3)
	for round := 0; round < 10 && q.Count()[tallybridge.StatePosted] < 20; round++ {
		if _, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{RetryNow: true, SkipMasters: true, BatchSize: 4}); err != nil {
			t.Fatal(err)
		}
	}
	if q.Count()[tallybridge.StatePosted] != 20 || sim.VoucherCount() != 20 {
		t.Fatalf("posted %v, Tally holds %d", q.Count(), sim.VoucherCount())
	}
}

func TestGodownlessLineInMultiGodownCompanyFailsWithoutText(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{Godowns: []string{"Damaged"}})
	v := sale("INV-1", 1)
	if _, err := tallybridge.EnsureMasters(context.Background(), c, []tallybridge.Voucher{v}); err != nil {
		t.Fatal(err)
	}
	body, err := tallybridge.VouchersXML(company, tallybridge.OldForm, []tallybridge.Voucher{v})
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	i, j := strings.Index(s, "<BATCHALLOCATIONS.LIST>"), strings.Index(s, "</BATCHALLOCATIONS.LIST>")
	s = s[:i] + s[j+len("</BATCHALLOCATIONS.LIST>"):]
	_, err = c.Import(context.Background(), []byte(s), tallybridge.Expect{Sent: 1})
	var ie *tallybridge.ImportError
	if !errors.As(err, &ie) || ie.Result.Exceptions != 1 || len(ie.Result.LineErrors) != 0 {
		t.Fatalf("got %v", err)
	}
	if sim.VoucherCount() != 0 {
		t.Fatal("stored a voucher without a godown")
	}
}

func TestNewFormRoundTripWithUTF16Replies(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{UTF16: true})
	c.Form = tallybridge.NewForm
	q := tallybridge.NewMemQueue()
	q.Add(sale("INV-N", 2))
	if _, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	if sim.VoucherCount() != 1 {
		t.Fatal("not stored")
	}
}

func TestBareAmpersandIsUnknownRequest(t *testing.T) {
	_, c := startSim(t, tallysim.Options{})
	_, err := c.Import(context.Background(), []byte("<ENVELOPE><HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER><BODY>A & B</BODY></ENVELOPE>"), tallybridge.Expect{Sent: 1})
	if !errors.Is(err, tallybridge.ErrUnknownRequest) {
		t.Fatalf("got %v", err)
	}
}

func TestMasterRules(t *testing.T) {
	_, c := startSim(t, tallysim.Options{})
	_, err := c.CreateMasters(context.Background(), tallybridge.Masters{Ledgers: []tallybridge.Ledger{{Name: "Top", Parent: "Primary"}}})
	if err == nil || !strings.Contains(err.Error(), "Group 'Primary' does not exist!") {
		t.Errorf("Primary parent: %v", err)
	}
	_, err = c.CreateMasters(context.Background(), tallybridge.Masters{Ledgers: []tallybridge.Ledger{{Name: "Cash", Parent: "Cash-in-Hand"}}})
	if err == nil || !strings.Contains(err.Error(), "Ledger 'Cash' already exists!") {
		t.Errorf("existing ledger: %v", err)
	}
}

func TestBackoffWaitsLongerAfterEachFailure(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	sim.SetFault(tallysim.Refuse)
	q := tallybridge.NewMemQueue()
	q.Add(sale("INV-1", 1))
	now := billDay.Add(10 * time.Hour)
	clock := func() time.Time { return now }
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		_, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{Now: clock})
		if !errors.Is(err, tallybridge.ErrNotRunning) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		e, _ := q.Get("INV-1")
		waits = append(waits, e.NextTry.Sub(now))
		// not yet due: a push before NextTry leaves it alone
		now = e.NextTry.Add(-time.Second)
		if rep, _ := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{Now: clock}); rep.Due != 0 {
			t.Fatalf("pushed before its next try")
		}
		now = e.NextTry
	}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	if e, _ := q.Get("INV-1"); e.Attempts != 4 || !strings.Contains(e.Reason, "not running") {
		t.Fatalf("entry %+v", e)
	}
}

// A crash loop in the spirit of tigerbeetle's simulator: every push meets a
// random fault or a crash of the app itself; in the end every voucher is in
// Tally exactly once.
func TestRandomFaultsAndCrashesNeverLoseOrDuplicate(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	c.ReadTimeout = 150 * time.Millisecond
	q := &lossyQueue{MemQueue: tallybridge.NewMemQueue()}
	const n, perRound = 120, 4 // new invoices keep arriving while faults strike
	rng := uint64(20251003)
	next := func(k int) int { // xorshift: deterministic, no float
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(k))
	}
	faults := []tallysim.Fault{tallysim.None, tallysim.LoseReply, tallysim.Exceptions, tallysim.Refuse, tallysim.EmptyBody, tallysim.Hang, tallysim.Intermittent}
	seen := map[tallysim.Fault]int{}
	for round := 0; round < n/perRound; round++ {
		for i := round * perRound; i < (round+1)*perRound; i++ {
			q.Add(sale(fmt.Sprintf("INV-%03d", i), 1+i%4))
		}
		f := faults[(round+next(3))%len(faults)]
		seen[f]++
		sim.SetFault(f)
		if f == tallysim.Intermittent {
			sim.SetIntermittent(2)
		}
		q.crash = next(5) == 0
		_, _ = tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{RetryNow: true, BatchSize: 1 + next(8)})
		sim.SetFault(tallysim.None)
	}
	q.crash = false
	if _, err := tallybridge.Push(context.Background(), c, q, tallybridge.PushOptions{RetryNow: true}); err != nil {
		t.Fatal(err)
	}
	if len(seen) < len(faults) {
		t.Fatalf("faults met: %v; the loop did not exercise them all", seen)
	}
	if q.Count()[tallybridge.StatePosted] != n || sim.VoucherCount() != n {
		t.Fatalf("queue %v, Tally holds %d; want %d posted and held", q.Count(), sim.VoucherCount(), n)
	}
	for i := 0; i < n; i++ {
		if k := sim.CountByRemoteID(fmt.Sprintf("INV-%03d", i)); k != 1 {
			t.Fatalf("INV-%03d held %d times", i, k)
		}
	}
}
