package tallybridge_test

import (
	"context"
	"strings"
	"testing"

	"vitaran/tallybridge"
	"vitaran/tallybridge/tallysim"
)

// The emulator cancels only the voucher named by REMOTEID, of its own type
// and date; a cancel sent with the voucher creates it first.
func TestCancelFindsTheVoucherByRemoteIDStrictly(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	ctx := context.Background()
	v := sale("INV-1", 2)
	if _, err := tallybridge.EnsureMasters(ctx, c, []tallybridge.Voucher{v}); err != nil {
		t.Fatal(err)
	}
	cancelOnly := func(v tallybridge.Voucher) error {
		v.Cancel = &tallybridge.Cancellation{Reason: "wrong outlet", Only: true}
		_, err := c.PostVouchers(ctx, []tallybridge.Voucher{v}, 0)
		return err
	}
	if err := cancelOnly(v); err == nil || !strings.Contains(err.Error(), "to cancel does not exist") {
		t.Fatalf("a cancel of a voucher Tally does not hold: %v", err)
	}
	if _, err := c.PostVouchers(ctx, []tallybridge.Voucher{v}, 0); err != nil {
		t.Fatal(err)
	}
	wrongType := v
	wrongType.Kind = tallybridge.CreditNote
	if err := cancelOnly(wrongType); err == nil || !strings.Contains(err.Error(), "is a Sales voucher") {
		t.Fatalf("a Credit Note cancel of a Sales voucher: %v", err)
	}
	wrongDay := v
	wrongDay.Date = v.Date.AddDate(0, 0, 1)
	if err := cancelOnly(wrongDay); err == nil || !strings.Contains(err.Error(), "is dated") {
		t.Fatalf("a cancel dated another day: %v", err)
	}
	if got, _ := sim.VoucherByRemoteID("INV-1"); got.Cancelled {
		t.Fatal("a refused cancel cancelled the voucher")
	}
	if err := cancelOnly(v); err != nil {
		t.Fatal(err)
	}
	if err := cancelOnly(v); err != nil { // a re-send after a lost reply
		t.Fatalf("cancelling again: %v", err)
	}
	if got, _ := sim.VoucherByRemoteID("INV-1"); !got.Cancelled || sim.LedgerTotal(v.Party.Name) != 0 {
		t.Fatalf("cancelled %v, party total %d", got.Cancelled, sim.LedgerTotal(v.Party.Name))
	}
	// a voucher Tally never saw, sent with its cancel: created, then cancelled
	w := sale("INV-2", 1)
	w.Cancel = &tallybridge.Cancellation{Reason: "duplicate bill"}
	res, err := c.PostVouchers(ctx, []tallybridge.Voucher{w}, 0)
	if err != nil || res.Created != 1 || res.Cancelled != 1 {
		t.Fatalf("create and cancel: %+v %v", res, err)
	}
	if got, _ := sim.VoucherByRemoteID("INV-2"); !got.Cancelled || got.Number != "INV-2" {
		t.Fatalf("INV-2: %+v", got)
	}
}

// A delete removes only the voucher named by REMOTEID, of its own type and
// date; Tally refuses one it does not hold.
func TestDeleteFindsTheVoucherByRemoteIDStrictly(t *testing.T) {
	sim, c := startSim(t, tallysim.Options{})
	ctx := context.Background()
	v := sale("DS-1", 1)
	if _, err := tallybridge.EnsureMasters(ctx, c, []tallybridge.Voucher{v}); err != nil {
		t.Fatal(err)
	}
	del := func(kind tallybridge.Kind, id string, days int) error {
		d := tallybridge.Voucher{Kind: kind, RemoteID: id, Number: v.Number, Date: v.Date.AddDate(0, 0, days), Delete: true}
		_, err := c.PostVouchers(ctx, []tallybridge.Voucher{d}, 0)
		return err
	}
	if err := del(tallybridge.Sales, "DS-1", 0); err == nil || !strings.Contains(err.Error(), "to delete does not exist") {
		t.Fatalf("a delete of a voucher Tally does not hold: %v", err)
	}
	if _, err := c.PostVouchers(ctx, []tallybridge.Voucher{v}, 0); err != nil {
		t.Fatal(err)
	}
	if err := del(tallybridge.CreditNote, "DS-1", 0); err == nil || sim.CountByRemoteID("DS-1") != 1 {
		t.Fatalf("a Credit Note delete of a Sales voucher: %v", err)
	}
	if err := del(tallybridge.Sales, "DS-1", 1); err == nil || sim.CountByRemoteID("DS-1") != 1 {
		t.Fatalf("a delete dated another day: %v", err)
	}
	if err := del(tallybridge.Sales, "DS-1", 0); err != nil || sim.CountByRemoteID("DS-1") != 0 {
		t.Fatalf("delete: %v, Tally holds %d", err, sim.CountByRemoteID("DS-1"))
	}
}
