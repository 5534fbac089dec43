package posting

import (
	"context"
	"strings"
	"testing"
	"time"

	"vitaran/backend/book"
	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// Each way Tally can fail leaves every voucher queued with the reason shown;
// the next push (Tally fixed) posts each document exactly once.
func TestEachFaultLeavesTheVouchersQueuedWithTheReasonAndARetryNeverDuplicates(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(s *tallysim.Server, o *PushOptions)
		mend   func(s *tallysim.Server)
		reason string
	}{
		{"Tally not running", func(s *tallysim.Server, _ *PushOptions) { s.SetFault(tallysim.Refuse) },
			func(s *tallysim.Server) { s.SetFault(tallysim.None) }, "not running"},
		{"no company open", func(s *tallysim.Server, _ *PushOptions) { s.OpenCompany("") },
			func(s *tallysim.Server) { s.OpenCompany(company) }, "company"},
		{"a misspelt company", func(_ *tallysim.Server, o *PushOptions) { o.Company = "Demo Tradres & Co" },
			func(*tallysim.Server) {}, "company"},
		{"a missing ledger (masters not ensured)", func(_ *tallysim.Server, o *PushOptions) { o.SkipMasters = true },
			func(*tallysim.Server) {}, "does not exist"},
		{"EXCEPTIONS with no text", func(s *tallysim.Server, _ *PushOptions) { s.SetFault(tallysim.Exceptions) },
			func(s *tallysim.Server) { s.SetFault(tallysim.None) }, "xception"},
		{"a hung socket", func(s *tallysim.Server, o *PushOptions) {
			s.SetFault(tallysim.Hang)
			o.ReadTimeout = 300 * time.Millisecond
		},
			func(s *tallysim.Server) { s.SetFault(tallysim.None) }, "did not answer in time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newShop(t)
			tally, url := sim(t)
			var o PushOptions
			c.break_(tally, &o)
			posted, failed, err := push(t, s.b, url, o)
			if posted != 0 || failed == 0 {
				t.Fatalf("broken Tally: posted %d failed %d (%v)", posted, failed, err)
			}
			st := status(t, s.b)
			if st.Counts[tallybridge.StatePosted] != 0 || len(st.Failed)+st.Counts[tallybridge.StatePending] != len(s.docs) {
				t.Fatalf("status after the fault: %+v", st.Counts)
			}
			for _, f := range st.Failed {
				if !strings.Contains(f.Reason, c.reason) {
					t.Errorf("%s: reason %q does not say %q", f.ID, f.Reason, c.reason)
				}
				if f.Attempts != 1 || f.NextTry.IsZero() {
					t.Errorf("%s: attempts %d next try %v", f.ID, f.Attempts, f.NextTry)
				}
			}
			// Not yet due: a push now sends nothing.
			if posted, _, _ := push(t, s.b, url, PushOptions{}); posted != 0 && c.name != "a missing ledger (masters not ensured)" {
				t.Fatalf("a push before the next try posted %d", posted)
			}
			c.mend(tally)
			later := func() time.Time { return time.Now().Add(2 * time.Hour) }
			posted, failed, err = push(t, s.b, url, PushOptions{Now: later})
			if err != nil || failed != 0 || posted == 0 {
				t.Fatalf("retry: posted %d failed %d: %v %+v", posted, failed, err, status(t, s.b).Failed)
			}
			onceEach(t, s, tally)
			if st := status(t, s.b); st.Counts[tallybridge.StatePosted] != len(s.docs) {
				t.Fatalf("after retry: %+v", st.Counts)
			}
		})
	}
}

// The app dies after Tally stored the vouchers and before their replies were
// recorded: the restarted push finds them "sending", re-sends them, Tally
// alters, and holds exactly one of each.
func TestAKillBetweenSendAndReplyIsFollowedByARetryThatAlters(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	q := NewQueue(s.b)
	es, err := q.Pending()
	if err != nil {
		t.Fatal(err)
	}
	c := tallybridge.NewClient(url, company)
	var vs []tallybridge.Voucher
	var ids []string
	for _, e := range es {
		vs, ids = append(vs, e.Voucher), append(ids, e.ID)
	}
	ctx := context.Background()
	if _, err := tallybridge.EnsureMasters(ctx, c, vs); err != nil {
		t.Fatal(err)
	}
	if err := q.MarkSending(ids, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PostVouchers(ctx, vs, 0); err != nil { // Tally stores them…
		t.Fatal(err)
	}
	// …and the app is killed before it records the reply.
	if err := s.b.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := book.Open(s.path, book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s.b = b
	if st := status(t, b); st.Counts[tallybridge.StateSending] != len(s.docs) {
		t.Fatalf("after the crash: %+v", st.Counts)
	}
	alterIDs := map[string]int{}
	for _, id := range remoteIDs(t, s) {
		v, _ := tally.VoucherByRemoteID(id)
		alterIDs[id] = v.AlterID
	}
	posted, failed, err := push(t, b, url, PushOptions{})
	if err != nil || failed != 0 || posted != len(s.docs) {
		t.Fatalf("retry: posted %d failed %d: %v", posted, failed, err)
	}
	onceEach(t, s, tally)
	for id, before := range alterIDs {
		if v, _ := tally.VoucherByRemoteID(id); v.AlterID <= before {
			t.Errorf("%s was not altered (alter id %d → %d)", id, before, v.AlterID)
		}
	}
}

// The reply is lost after Tally stored the vouchers (the emulator's
// LoseReply): the retry alters and Tally holds one of each.
func TestALostReplyIsRetriedWithoutADuplicate(t *testing.T) {
	s := newShop(t)
	tally, url := sim(t)
	q := NewQueue(s.b)
	es, _ := q.Pending()
	var vs []tallybridge.Voucher
	for _, e := range es {
		vs = append(vs, e.Voucher)
	}
	if _, err := tallybridge.EnsureMasters(context.Background(), tallybridge.NewClient(url, company), vs); err != nil {
		t.Fatal(err)
	}
	tally.SetFault(tallysim.LoseReply) // every reply is lost, the List of Accounts too: masters are made already
	if posted, _, err := push(t, s.b, url, PushOptions{SkipMasters: true}); err == nil || posted != 0 {
		t.Fatalf("lost reply: posted %d, %v", posted, err)
	}
	if tally.VoucherCount() == 0 {
		t.Fatalf("the emulator stored nothing: the test does not test a lost reply: %+v", status(t, s.b).Failed[0])
	}
	tally.SetFault(tallysim.None)
	posted, failed, err := push(t, s.b, url, PushOptions{RetryNow: true})
	if err != nil || failed != 0 || posted != len(s.docs) {
		t.Fatalf("retry: posted %d failed %d: %v", posted, failed, err)
	}
	onceEach(t, s, tally)
}
