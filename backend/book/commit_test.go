package book

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestOneClerkAloneCommitsEachPostingByItself(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	for i := range 20 {
		if err := b.Batch(func(tx *Tx) error { return tx.Bucket("docs").Put(fmt.Sprint(i), []byte("x")) }); err != nil {
			t.Fatal(err)
		}
	}
	if commits, calls := b.CommitStats(); commits != 20 || calls != 20 {
		t.Fatalf("%d commits for %d calls: a lone clerk waited for company", commits, calls)
	}
}

// heldCommit starts a Batch whose function waits until n more callers are
// queued behind it, so those n share the next commit.
func heldCommit(t *testing.T, b *Book, n int) (wait func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		done <- b.Batch(func(tx *Tx) error {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				b.commit.mu.Lock()
				q := len(b.commit.queue)
				b.commit.mu.Unlock()
				if q == n {
					break
				}
			}
			return tx.Bucket("docs").Put("first", []byte("x"))
		})
	}()
	// the first call is running once it holds the commit
	for {
		b.commit.mu.Lock()
		running := b.commit.running && len(b.commit.queue) == 0
		b.commit.mu.Unlock()
		if running {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return func() {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestClerksArrivingDuringACommitShareTheNext(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	wait := heldCommit(t, b, 7)
	var wg sync.WaitGroup
	for i := range 7 {
		wg.Go(func() {
			if err := b.Batch(func(tx *Tx) error { return tx.Bucket("docs").Put(fmt.Sprint(i), []byte("x")) }); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	wait()
	if commits, calls := b.CommitStats(); commits != 2 || calls != 8 {
		t.Fatalf("%d commits for %d calls, want 2 for 8", commits, calls)
	}
	b.View(func(tx *Tx) error {
		if n := tx.Bucket("docs").Len(); n != 8 {
			t.Fatalf("%d documents stored, want 8", n)
		}
		return nil
	})
}

func TestAFailingOrPanickingPostingDoesNotTakeItsNeighboursDown(t *testing.T) {
	b, _ := openTemp(t)
	defer b.Close()
	wait := heldCommit(t, b, 6)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	panics := make([]any, 6)
	for i := range 6 {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = b.Batch(func(tx *Tx) error {
				if err := tx.Bucket("docs").Put(fmt.Sprint(i), []byte("x")); err != nil {
					return err
				}
				switch i {
				case 2:
					return errors.New("stock short on line 3")
				case 4:
					panic("a bug in posting")
				}
				return nil
			})
		})
	}
	wg.Wait()
	wait()
	for i := range 6 {
		switch {
		case i == 2 && (errs[i] == nil || errs[i].Error() != "stock short on line 3"):
			t.Errorf("the failing call got %v", errs[i])
		case i == 4 && panics[i] != "a bug in posting":
			t.Errorf("the panicking call got panic %v, err %v", panics[i], errs[i])
		case i != 2 && i != 4 && (errs[i] != nil || panics[i] != nil):
			t.Errorf("call %d: %v %v", i, errs[i], panics[i])
		}
	}
	b.View(func(tx *Tx) error {
		d := tx.Bucket("docs")
		for i := range 6 {
			if d.Has(fmt.Sprint(i)) != (i != 2 && i != 4) {
				t.Errorf("document %d stored: %v", i, d.Has(fmt.Sprint(i)))
			}
		}
		return nil
	})
}
