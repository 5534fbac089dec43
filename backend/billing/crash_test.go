package billing

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/money"
)

const crashEnv = "VITARAN_CRASH_BOOK"

// TestCrashChild is the child of the crash test: it bills in a loop against
// the book named in the environment, from four clerks at once (group
// commit), and prints each number only after its posting has committed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as the crash test's child")
	}
	b, err := book.Open(path, book.Options{LockWait: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				outlet := []string{"SLS01", "KAR01", "TN02"}[(w+i)%3]
				var num string
				err := b.BatchAs(book.Actor{User: fmt.Sprintf("clerk%d", w)}, func(tx *book.Tx) error {
					inv, err := PostInvoice(tx, InvoiceInput{Outlet: outlet, Date: day, Lines: []LineInput{
						{Item: "GD200", Qty: money.Qty(1 + i%5)}, {Item: "SOAP75", Qty: 2, DiscountBP: 500}}})
					num = inv.Number
					if err == nil && i%7 == 3 {
						_, err = PostReceipt(tx, ReceiptInput{Outlet: outlet, Date: day, Mode: "cash", AmountPaise: 5000})
					}
					return err
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(4)
				}
				mu.Lock()
				fmt.Fprintln(os.Stdout, "posted", num)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func TestAKilledBillerLosesNothingAndLeavesNoGap(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop")
	}
	b := shop(t)
	receive(t, b, "BRT/1", gd("B1", "2027-06-30", 1_000_000),
		PurchaseLineInput{Item: "SOAP75", Batch: "L1", Expiry: "2028-01-31", MRPPaise: 3500, Qty: 1_000_000, RatePaise: 2400})
	path := b.Path()
	b.Close()

	acked := map[string]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	deadline := time.Now().Add(40 * time.Second)
	kills := 0
	for kills < 30 || (kills < 200 && len(acked) == 0) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d kills in the time allowed", kills)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// let it open the book and bill for a while, then kill it mid-stride
		wait := time.Duration(30+rng.IntN(150)) * time.Millisecond
		first := true
		timer := time.NewTimer(2 * time.Second)
	collect:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break collect
				}
				if n, found := strings.CutPrefix(l, "posted "); found {
					acked[n] = true
					if first {
						first = false
						timer.Reset(wait)
					}
				}
			case <-timer.C:
				break collect
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		for l := range lines {
			if n, found := strings.CutPrefix(l, "posted "); found {
				acked[n] = true
			}
		}
		cmd.Wait()
		if s := stderr.String(); strings.Contains(s, "exit") || strings.Contains(s, "FAIL") {
			t.Fatalf("child failed: %s", s)
		}
		kills++

		b, err := book.Open(path, book.Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = b.View(func(tx *book.Tx) error {
			probs, err := Check(tx)
			if err != nil {
				return err
			}
			if len(probs) > 0 {
				return fmt.Errorf("after kill %d: %s", kills, strings.Join(probs, "; "))
			}
			for n := range acked {
				if _, err := GetInvoice(tx, n); err != nil {
					return fmt.Errorf("after kill %d: acknowledged %s is gone: %v", kills, n, err)
				}
			}
			return nil
		})
		b.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(acked) < kills {
		t.Fatalf("only %d invoices acknowledged over %d kills", len(acked), kills)
	}
	t.Logf("%d kills, %d invoices acknowledged and present", kills, len(acked))
}
