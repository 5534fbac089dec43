package tallybridge_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// A push a person starts after Tally is back posts what failed only because
// Tally was unreachable; a voucher Tally refused with a reason waits for its
// next try (or the Retry button), and a scheduled push waits for both.
func TestAPersonsPushRetriesOnlyWhatTallyCouldNotTake(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	ctx := context.Background()
	good, ghost := sale("INV-A", 1), sale("INV-B", 1)
	ghost.Party.Name = "Ghost Stores" // a ledger nobody creates: masters are the accountant's here
	if _, err := tallybridge.EnsureMasters(ctx, c, []tallybridge.Voucher{good}); err != nil {
		t.Fatal(err)
	}
	q := tallybridge.NewMemQueue()
	q.Add(good)
	sim.SetFault(tallysim.Refuse)
	at := billDay.Add(10 * time.Hour)
	now := func() time.Time { return at }
	o := tallybridge.PushOptions{SkipMasters: true, Now: now}
	_, err := tallybridge.Push(ctx, c, q, o)
	if !errors.Is(err, tallybridge.ErrNotRunning) || strings.Contains(err.Error(), "EOF") {
		t.Fatalf("Tally off: %v", err)
	}
	if e, _ := q.Get("INV-A"); e.State != tallybridge.StateFailed || !e.Transient {
		t.Fatalf("INV-A after the refused connection: %+v", e)
	}
	sim.SetFault(tallysim.None)
	q.Add(ghost)
	at = at.Add(time.Second) // long before the next try
	rep, err := tallybridge.Push(ctx, c, q, o)
	if err != nil || rep.Posted != 0 || rep.Failed != 1 {
		t.Fatalf("a scheduled push waits for the next try of INV-A: %+v %v", rep, err)
	}
	if e, _ := q.Get("INV-B"); e.Transient || !strings.Contains(e.Reason, "Ghost Stores") {
		t.Fatalf("INV-B refused with a reason: %+v", e)
	}
	o.Manual = true
	rep, err = tallybridge.Push(ctx, c, q, o)
	if err != nil || rep.Posted != 1 || rep.Failed != 0 || sim.CountByRemoteID("INV-A") != 1 {
		t.Fatalf("a person's push once Tally is back: %+v %v", rep, err)
	}
	if e, _ := q.Get("INV-B"); e.State != tallybridge.StateFailed || e.Attempts != 1 {
		t.Fatalf("INV-B was sent again without a fix: %+v", e)
	}
}

// A connection closed without a reply says so in words, not "EOF".
func TestADroppedConnectionIsSaidPlainly(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	sim.SetFault(tallysim.Drop)
	err := c.Ping(context.Background())
	if !errors.Is(err, tallybridge.ErrDropped) || strings.Contains(err.Error(), "EOF") || !tallybridge.Transient(err) {
		t.Fatalf("dropped: %v", err)
	}
}
