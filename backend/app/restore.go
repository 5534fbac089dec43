package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"vitaran/backend/backup"
	"vitaran/backend/billing"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice/upload"
	"vitaran/tallybridge/posting"
)

// A restore starts a new incarnation of the book. The backup is the book as
// it was, but what was billed since may be printed, in Tally (its REMOTEID
// is "<prefix>:<kind>:<number>") and at head office. So a restore never lets
// a number, a head-office batch id or a REMOTEID be reused for different
// content:
//   - every series resumes above the last number the replaced book had used
//     (that book is what fed Tally and head office, and carries the floors
//     of any restore before it); when there is no readable book to replace,
//     numbering is held until a person confirms the next number of each
//     series (POST /api/numbering/confirm);
//   - the restored book gets a new incarnation id, which head-office batch
//     ids carry;
//   - the documents the replaced book had and the backup has not are listed,
//     with whether Tally or head office holds them: lost from the book, not
//     from the world.

// RestoreReport says what a restore did and what it could not bring back.
type RestoreReport struct {
	From        string    `json:"from"`
	At          time.Time `json:"at"`
	KeptAs      string    `json:"kept_as,omitempty"` // the replaced book, kept aside
	Incarnation string    `json:"incarnation"`
	// Replaced says what was learnt from the book the restore replaced.
	Replaced string `json:"replaced"`
	// Next is the next number of each series after the restore.
	Next map[string]uint64 `json:"next"`
	// Raised lists the series whose numbering resumed above the backup's.
	Raised []string `json:"raised,omitempty"`
	// Lost are the documents the replaced book held and the backup does not.
	Lost []LostDoc `json:"lost"`
	// TallyOnly are vouchers Tally holds past the backup that are no
	// document of the book and are never pulled back: day summaries and
	// journals the bridge did not post, each with what the clerk must do.
	TallyOnly []TallyOnly `json:"tally_only,omitempty"`
	// NumberingHeld: nothing is numbered until a person confirms the next
	// numbers; HoldReason says why.
	NumberingHeld bool   `json:"numbering_held"`
	HoldReason    string `json:"hold_reason,omitempty"`
	// Summary is the report in plain words, a line each.
	Summary []string `json:"summary"`
}

// LostDoc is a document posted after the backup was taken.
type LostDoc struct {
	Kind         string `json:"kind"` // invoice, cancel, sales_return, receipt, …
	Number       string `json:"number"`
	InTally      bool   `json:"in_tally"`
	AtHeadOffice string `json:"at_head_office"` // yes, waiting (built or drained, not yet acknowledged), no, unknown (only Tally named it)
	// FromTally: Tally holds the document's own live voucher, so it can be
	// pulled back into the book (POST /api/restore/pull, vitaran restore --pull).
	FromTally bool   `json:"from_tally"`
	Pulled    string `json:"pulled,omitempty"` // set once pulled back: when
	// Why it cannot be pulled back from Tally and what the clerk must do,
	// for one Tally holds but not as a live voucher of its own.
	Why string `json:"why,omitempty"`
}

// TallyOnly is a voucher Tally holds that a restore never pulls back.
type TallyOnly struct {
	Type   string   `json:"type"` // Tally's voucher type: Sales (a day summary), Journal
	Number string   `json:"number"`
	Date   cal.Date `json:"date"`
	Party  string   `json:"party,omitempty"`
	Why    string   `json:"why"`
}

// RestoreOptions are Restore's knobs; Now is for tests.
type RestoreOptions struct {
	Now func() time.Time
}

// Restore replaces the book in dataDir with a verified copy of backup: a
// plain book file (vitaran backup --to, a pre-migration copy) or a
// compressed backup (.book.gz), which is first unpacked to a temp file and
// its SHA-256 checked. The backup is checked first (a truncated or damaged
// file is refused), copied next to the book, made a new incarnation (see
// above), checked again, and only then renamed over it; the previous book
// is kept aside and its name returned. It refuses while another process
// holds the book.
func Restore(dataDir, backupFile string) (keptAs string, err error) {
	r, err := RestoreWith(dataDir, backupFile, RestoreOptions{})
	return r.KeptAs, err
}

// RestoreWith is Restore with options, answering the whole report.
func RestoreWith(dataDir, backupFile string, opt RestoreOptions) (RestoreReport, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	rep := RestoreReport{From: backupFile, At: now().UTC().Truncate(time.Second), Next: map[string]uint64{}, Lost: []LostDoc{}}
	if backup.IsCompressed(backupFile) {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return rep, err
		}
		unpacked := filepath.Join(dataDir, book.FileName+".unpacked")
		if err := backup.Unpack(backupFile, unpacked); err != nil {
			return rep, fmt.Errorf("not restored: %w", err)
		}
		defer os.Remove(unpacked)
		backupFile = unpacked
	}
	if err := book.Verify(backupFile); err != nil {
		return rep, fmt.Errorf("not restored: %w", err)
	}
	target := filepath.Join(dataDir, book.FileName)
	if _, err := os.Stat(target); err == nil {
		held, err := book.Open(target, book.Options{LockWait: 200 * time.Millisecond})
		if errors.Is(err, book.ErrLocked) {
			return rep, fmt.Errorf("not restored: %w", err)
		}
		if err == nil {
			held.Close()
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return rep, err
	}
	tmp := target + ".restoring"
	if err := copyFile(backupFile, tmp); err != nil {
		return rep, fmt.Errorf("not restored: %w", err)
	}
	if err := newIncarnation(tmp, target, &rep); err != nil {
		os.Remove(tmp)
		return rep, fmt.Errorf("not restored: %w", err)
	}
	if err := book.Verify(tmp); err != nil {
		os.Remove(tmp)
		return rep, fmt.Errorf("not restored: the copy failed its check: %w", err)
	}
	if _, err := os.Stat(target); err == nil {
		rep.KeptAs = filepath.Join(dataDir, "backups", "before-restore-"+rep.At.Format("20060102-150405")+".book")
		if err := os.MkdirAll(filepath.Dir(rep.KeptAs), 0o700); err != nil {
			return rep, err
		}
		if err := os.Rename(target, rep.KeptAs); err != nil {
			return rep, err
		}
	}
	return rep, os.Rename(tmp, target)
}

// replacedBook is what the book being replaced knew.
type replacedBook struct {
	series map[string]uint64
	held   bool
	lost   []LostDoc
}

// readReplaced reads the book a restore replaces: its series, and the
// documents it queued that the restored copy has not.
func readReplaced(path string, restored *book.Tx) (replacedBook, error) {
	var r replacedBook
	if err := book.Verify(path); err != nil {
		return r, err
	}
	old, err := book.Open(path, book.Options{ReadOnly: true, LockWait: 200 * time.Millisecond})
	if err != nil {
		return r, err
	}
	defer old.Close()
	err = old.View(func(tx *book.Tx) error {
		var err error
		if r.series, err = billing.SeriesCounters(tx); err != nil {
			return err
		}
		_, r.held = billing.NumberingHeld(tx)
		drained, settled, err := upload.Delivered(tx)
		if err != nil {
			return err
		}
		upSeq := map[string]uint64{}
		ups, err := tx.Queued(book.UploadQueue, uint64(restored.QueueLen(book.UploadQueue)), 0)
		if err != nil {
			return err
		}
		for _, e := range ups {
			upSeq[e.Kind+"\x00"+e.ID] = e.Seq
		}
		es, err := tx.Queued(book.TallyQueue, uint64(restored.QueueLen(book.TallyQueue)), 0)
		if err != nil {
			return err
		}
		for _, e := range es {
			if restored.IsQueued(book.TallyQueue, e.Kind, e.ID) {
				continue
			}
			d := LostDoc{Kind: e.Kind, Number: e.ID, InTally: posting.InTally(tx, e.Kind, e.ID), AtHeadOffice: "no"}
			if s, ok := upSeq[e.Kind+"\x00"+e.ID]; ok && s <= drained {
				d.AtHeadOffice = "waiting"
				if settled {
					d.AtHeadOffice = "yes"
				}
			}
			r.lost = append(r.lost, d)
		}
		return nil
	})
	return r, err
}

// newIncarnation makes the copy at tmp a new incarnation of the book at
// target (which may be missing or unreadable) and fills rep.
func newIncarnation(tmp, target string, rep *RestoreReport) error {
	b, err := book.Open(tmp, book.Options{})
	if err != nil {
		return err
	}
	defer b.Close()
	var old replacedBook
	var oldErr error
	if _, err := os.Stat(target); err != nil {
		oldErr = errors.New("there was no book in the data folder to compare with")
	} else if err := b.View(func(tx *book.Tx) error { old, oldErr = readReplaced(target, tx); return nil }); err != nil {
		return err
	} else if oldErr == nil && old.held {
		oldErr = errors.New("the replaced book was itself waiting for its numbers to be confirmed")
	}
	// Tally is asked in any case: numbering resumes above what it has seen,
	// and what only it still holds can be pulled back from it. With nothing
	// to compare with, head office is asked too.
	since := cal.Of(rep.At.In(cal.IST)).AddDays(-400)
	ty := askTally(b, since)
	var hoLast map[string]uint64
	var asked []string
	if oldErr != nil {
		set, err := upload.LoadSettings(b)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			hoLast, err = upload.AskNumbers(ctx, set, rep.At, since)
			cancel()
		}
		if err != nil {
			asked = append(asked, "head office was not asked or did not answer ("+err.Error()+")")
		} else {
			asked = append(asked, fmt.Sprintf("head office answered: it holds numbers of %d series", len(hoLast)))
		}
	}
	if ty.asked {
		asked = append(asked, ty.words())
	}
	tallyDown := ty.asked && ty.err != nil
	return b.Update(func(tx *book.Tx) error {
		rep.Incarnation = "r" + strconv.FormatInt(rep.At.Unix(), 36)
		if err := tx.SetIncarnation(rep.Incarnation); err != nil {
			return err
		}
		mine, err := billing.SeriesCounters(tx)
		if err != nil {
			return err
		}
		raise := func(from map[string]uint64) error {
			for s, n := range from {
				if n > mine[s] {
					if err := billing.RaiseSeries(tx, s, n); err != nil {
						return err
					}
					mine[s] = n
					if !slices.Contains(rep.Raised, s) {
						rep.Raised = append(rep.Raised, s)
					}
				}
			}
			return nil
		}
		if err := raise(ty.last); err != nil {
			return err
		}
		if oldErr == nil {
			rep.Replaced = "read the replaced book: numbering resumes above every number it used"
			if len(asked) > 0 {
				rep.Replaced += "; " + strings.Join(asked, "; ")
			}
			if err := raise(old.series); err != nil {
				return err
			}
			rep.Lost = append(rep.Lost, old.lost...)
			if tallyDown {
				// the replaced book knows what this PC sent, but not what
				// Tally may hold from elsewhere: a person confirms
				rep.NumberingHeld = true
				rep.HoldReason = "Tally could not be asked which numbers it holds (" + ty.err.Error() + "); the next numbers proposed are above every number the replaced book used"
			}
		} else {
			rep.Replaced = "could not read the replaced book: " + oldErr.Error()
			if len(asked) > 0 {
				rep.Replaced += "; " + strings.Join(asked, "; ")
			}
			if err := raise(hoLast); err != nil {
				return err
			}
			rep.NumberingHeld = true
			rep.HoldReason = oldErr.Error() + "; numbers billed after the backup may be printed, in Tally or at head office"
			if tallyDown {
				rep.HoldReason += "; Tally could not be asked (" + ty.err.Error() + ")"
			}
			if hoLast != nil {
				rep.HoldReason += " (the next numbers proposed are above what head office holds; invoices printed since the last upload cannot be known)"
			}
		}
		rep.Lost = mergeTallyLost(rep.Lost, ty)
		rep.TallyOnly = ty.only
		sort.Strings(rep.Raised)
		cur, err := billing.SeriesCounters(tx)
		if err != nil {
			return err
		}
		for s, n := range cur {
			rep.Next[s] = n + 1
		}
		if rep.NumberingHeld {
			if err := billing.HoldNumbering(tx, billing.NumberingHold{Reason: rep.HoldReason, Next: rep.Next}); err != nil {
				return err
			}
		}
		rep.Summary = rep.words()
		raw, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		if err := putLastRestore(tx, raw); err != nil {
			return err
		}
		return tx.Audit("restore", "book", rep.Incarnation, nil, rep, "restored from "+filepath.Base(rep.From))
	})
}

var kindWords = map[string]string{
	billing.KindInvoice: "invoice", billing.KindCancel: "cancellation of invoice", billing.KindPurchase: "purchase (GRN)",
	billing.KindPurchaseReturn: "purchase return", billing.KindSalesReturn: "credit note", billing.KindReceipt: "receipt",
	billing.KindAdjustment: "stock adjustment", billing.KindTransfer: "stock transfer", billing.KindCount: "stock count",
	billing.KindChequeBounce: "cheque bounce",
}

// words says the report in plain words.
func (r *RestoreReport) words() []string {
	var out []string
	out = append(out, fmt.Sprintf("The book is now as it was in %s (incarnation %s).", filepath.Base(r.From), r.Incarnation))
	if r.NumberingHeld {
		out = append(out, "How the numbers were checked: "+r.Replaced+".")
	}
	if len(r.Lost) == 0 {
		if r.NumberingHeld {
			out = append(out, "What was posted after the backup cannot be known: "+r.HoldReason+".")
		} else {
			out = append(out, "Nothing posted after the backup was lost.")
		}
	} else {
		inTally, atHO := 0, 0
		for _, d := range r.Lost {
			if d.InTally {
				inTally++
			}
			if d.AtHeadOffice != "no" {
				atHO++
			}
		}
		if inTally == 0 && atHO == 0 {
			out = append(out, fmt.Sprintf("%s no longer in the book; neither Tally nor head office had them. Post again what really happened (it takes new numbers).", postedAfter(len(r.Lost))))
		} else {
			out = append(out, fmt.Sprintf("%s no longer in the book: %d of them are in Tally and %d reached head office, which keep them. Pull back what Tally still holds (below); post again anything else that really happened (it takes new numbers) and cancel in Tally what did not; head office keeps its copy.", postedAfter(len(r.Lost)), inTally, atHO))
		}
		if n := r.pullable(); n > 0 {
			out = append(out, fmt.Sprintf("%d of them Tally still holds as vouchers of their own (invoices, credit notes, receipts, cheque bounces): they can be pulled back into the book from Tally under their own numbers, stock moved and bills set "+
				"(vitaran restore --pull, or Settings → Backups → Pull back from Tally).", n))
		}
		for i, d := range r.Lost {
			if i == 20 {
				out = append(out, fmt.Sprintf("  … and %d more (GET /api/restore lists them all)", len(r.Lost)-20))
				break
			}
			where := []string{}
			if d.InTally {
				where = append(where, "in Tally")
			}
			if d.FromTally {
				where = append(where, "can be pulled back from Tally")
			}
			switch d.AtHeadOffice {
			case "yes":
				where = append(where, "at head office")
			case "waiting":
				where = append(where, "on its way to head office")
			}
			if len(where) == 0 {
				where = append(where, "nowhere else")
			}
			k := kindWords[d.Kind]
			if k == "" {
				k = d.Kind
			}
			line := fmt.Sprintf("  lost: %s %s (%s)", k, d.Number, strings.Join(where, ", "))
			if d.Why != "" && d.Pulled == "" {
				line += ": " + d.Why
			}
			out = append(out, line)
		}
	}
	for _, v := range r.TallyOnly {
		out = append(out, fmt.Sprintf("  in Tally only: %s", v.Why))
	}
	if r.NumberingHeld {
		out = append(out, "Numbering is ON HOLD: nothing can be billed until a person confirms the next number of each series "+
			"(Settings → Backups, or POST /api/numbering/confirm). Check the last printed invoice, Tally and head office first.")
	} else if len(r.Raised) > 0 {
		var next []string
		for _, s := range r.Raised {
			next = append(next, fmt.Sprintf("%s/%06d", s, r.Next[s]))
		}
		out = append(out, "Numbering resumes above every number used before the restore: next "+strings.Join(next, ", ")+". No number is used twice.")
	}
	return out
}

// postedAfter is "1 document posted after the backup is" or "N documents … are".
func postedAfter(n int) string {
	if n == 1 {
		return "1 document posted after the backup is"
	}
	return fmt.Sprintf("%d documents posted after the backup are", n)
}

// pullable counts the lost documents that can still be pulled back from Tally.
func (r *RestoreReport) pullable() int {
	n := 0
	for _, d := range r.Lost {
		if d.FromTally && d.Pulled == "" {
			n++
		}
	}
	return n
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
