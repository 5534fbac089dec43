package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"vitaran/backend/app"
	"vitaran/backend/cal"
	"vitaran/backend/demo"
)

func init() {
	register(command{"demo", "write a realistic demo distributor into an empty book (--size small|large)", runDemo})
	register(command{"check", "verify the book's invariants (balances, numbering, queues); --cross also compares sales with head office and Tally; non-zero exit on any problem", runCheck})
	register(command{"backup", "write a consistent copy of the book (--to FILE), even while it is in use", runBackup})
	register(command{"restore", "replace the book with a verified backup (--from FILE: a .book or a compressed .book.gz)", runRestore})
	register(command{"backups", "list the backups (automatic, manual, pre-migration) with their time, kind and size", runBackups})
}

func runDemo(env *Env, args []string) error {
	fs, data := flags(env, "demo")
	sizeName := fs.String("size", "small", "small or large (3,000 SKUs, 5,000 outlets, a year of history)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same book")
	noHistory := fs.Bool("masters-only", false, "write masters without transaction history")
	until := fs.String("to", "", "the last day of history, YYYY-MM-DD (default today): the same seed and day give the same book")
	if err := parse(fs, args); err != nil {
		return err
	}
	to := cal.Today()
	if *until != "" {
		d, err := cal.Parse(*until)
		if err != nil {
			return fmt.Errorf("--to: %w", err)
		}
		to = d
	}
	size, ok := demo.Sizes[*sizeName]
	if !ok {
		return fmt.Errorf("--size %q: use small or large", *sizeName)
	}
	dir := dataDir(*data)
	start, last := time.Now(), time.Now()
	size64, err := app.WriteDemo(dir, app.DemoOptions{Size: size, Seed: *seed, To: to, MastersOnly: *noHistory,
		Progress: func(done, total int) {
			if time.Since(last) > 2*time.Second {
				fmt.Fprintf(env.Stdout, "  %d of %d days\n", done, total)
				last = time.Now()
			}
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Demo book (%s) written to %s in %s: %.1f MB\n", size.Name, dir, time.Since(start).Round(time.Millisecond), float64(size64)/1e6)
	return nil
}

func runCheck(env *Env, args []string) error {
	fs, data := flags(env, "check")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	cross := fs.Bool("cross", false, "also compare the book's sales per day, outlet and SKU with head office and Tally (as the settings name them)")
	fromFlag := fs.String("from", "", "--cross: the first day, YYYY-MM-DD (default: the start of the financial year)")
	toFlag := fs.String("to", "", "--cross: the last day, YYYY-MM-DD (default: today)")
	tallyURL := fs.String("url", "", "--cross: Tally's address (default: the settings)")
	company := fs.String("company", "", "--cross: the company open in Tally (default: the settings)")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := app.Open(dataDir(*data), app.Options{ReadOnly: true})
	if errors.Is(err, app.ErrLocked) && *cross && *tallyURL == "" && *company == "" {
		// Vitaran is open on this PC: it answers the cross-check itself
		return crossThroughInstance(env, dataDir(*data), *fromFlag, *toFlag, *asJSON)
	}
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Check()
	if err != nil {
		return err
	}
	var cr *app.CrossReport
	if *cross {
		to := cal.Today()
		if *toFlag != "" {
			if to, err = cal.Parse(*toFlag); err != nil {
				return fmt.Errorf("--to: %w", err)
			}
		}
		from := cal.FYOf(to, 4).First()
		if *fromFlag != "" {
			if from, err = cal.Parse(*fromFlag); err != nil {
				return fmt.Errorf("--from: %w", err)
			}
		}
		rep, err := a.CrossCheckWith(env.Ctx, from, to, app.CrossOptions{TallyURL: *tallyURL, TallyCompany: *company})
		if err != nil {
			return err
		}
		cr = &rep
	}
	if *asJSON {
		if cr != nil {
			json.NewEncoder(env.Stdout).Encode(map[string]any{"check": r, "cross": cr})
		} else {
			json.NewEncoder(env.Stdout).Encode(r)
		}
	} else {
		for _, p := range r.Problems {
			fmt.Fprintln(env.Stdout, "PROBLEM", p)
		}
		fmt.Fprintf(env.Stdout, "checked %s: %s\n", counted(len(r.Checked), "area", "areas"), counted(len(r.Problems), "problem", "problems"))
		if cr != nil {
			printCross(env.Stdout, cr)
		}
	}
	if !r.OK() {
		return fmt.Errorf("%s found", counted(len(r.Problems), "problem", "problems"))
	}
	if cr != nil && !cr.OK() {
		if cr.DifferenceCount() == 0 {
			return errors.New("not every side could be compared (see above)")
		}
		return fmt.Errorf("the book, head office and Tally do not agree: %d differences", cr.DifferenceCount())
	}
	return nil
}

// crossThroughInstance asks the running server for the cross-check (GET
// /api/check/cross) with the instance's local token.
func crossThroughInstance(env *Env, dir, from, to string, asJSON bool) error {
	raw, err := os.ReadFile(filepath.Join(dir, instanceFile))
	if err != nil {
		return fmt.Errorf("the book is in use by the desktop app: use its screens, or close it (%v)", err)
	}
	var inst Instance
	if err := json.Unmarshal(raw, &inst); err != nil {
		return err
	}
	q := url.Values{}
	if from != "" {
		q.Set("from", from)
	}
	if to != "" {
		q.Set("to", to)
	}
	req, _ := http.NewRequest("GET", inst.URL+"/api/check/cross?"+q.Encode(), nil)
	req.Header.Set("X-Vitaran-Local-Token", inst.Token)
	client := &http.Client{Timeout: 30 * time.Minute}
	if inst.Fingerprint != "" {
		client.Transport = &http.Transport{TLSClientConfig: app.PinnedTLS(inst.Fingerprint)}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("the book is held by the server at %s, which did not answer: %w", inst.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("server at %s: %s", inst.URL, body)
	}
	var cr app.CrossReport
	if err := json.Unmarshal(body, &cr); err != nil {
		return fmt.Errorf("server at %s answered: %w", inst.URL, err)
	}
	fmt.Fprintf(env.Stdout, "(asked the running server at %s: the book's own checks need it closed)\n", inst.URL)
	if asJSON {
		json.NewEncoder(env.Stdout).Encode(map[string]any{"cross": cr})
	} else {
		printCross(env.Stdout, &cr)
	}
	if !cr.OK() {
		if cr.DifferenceCount() == 0 {
			return errors.New("not every side could be compared (see above)")
		}
		return fmt.Errorf("the book, head office and Tally do not agree: %d differences", cr.DifferenceCount())
	}
	return nil
}

// printCross says the cross-check's findings plainly, a line each.
func printCross(w io.Writer, r *app.CrossReport) {
	fmt.Fprintf(w, "cross-check %s to %s: head office %s; Tally %s\n", r.From, r.To, r.HeadOffice, r.Tally)
	for _, n := range r.Notes {
		fmt.Fprintln(w, "NOTE", n)
	}
	for _, d := range r.Differences {
		fmt.Fprintln(w, "DIFFERENCE", d)
	}
	fmt.Fprintf(w, "compared %d cells (day × outlet, day × SKU): %d differences\n", r.Cells, len(r.Differences))
	for _, s := range r.Sections {
		fmt.Fprintf(w, "%s per %s (%s): book %s; head office %s; Tally %s\n", s.Name, s.Per, strings.Join(s.Figures, ", "), s.Book, s.HeadOffice, s.Tally)
		for _, d := range s.Differences {
			fmt.Fprintln(w, "DIFFERENCE", d)
		}
		fmt.Fprintf(w, "compared %d %s cells: %d differences\n", s.Cells, s.Name, len(s.Differences))
	}
	if len(r.Sections) > 0 {
		fmt.Fprintf(w, "in all: compared %d cells: %d differences\n", r.CellCount(), r.DifferenceCount())
	}
}

func runBackup(env *Env, args []string) error {
	fs, data := flags(env, "backup")
	to := fs.String("to", "", "the backup file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("--to FILE is required")
	}
	dst, err := filepath.Abs(*to)
	if err != nil {
		return err
	}
	dir := dataDir(*data)
	a, err := app.Open(dir, app.Options{LockWait: 200 * time.Millisecond})
	if errors.Is(err, app.ErrLocked) {
		// A running server holds the book: ask it to write the backup.
		return backupThroughInstance(env, dir, dst)
	}
	if err != nil {
		return err
	}
	// The same backup as POST /api/backup on a running server (admin,
	// audited), then moved where --to says.
	path, _, err := a.BackupNamed(env.Ctx, cliCopyName())
	a.Close()
	if err != nil {
		return err
	}
	if err := moveFile(path, dst); err != nil {
		return fmt.Errorf("the backup was written to %s, but moving it to %s failed: %w", path, dst, err)
	}
	fmt.Fprintf(env.Stdout, "Backup written to %s\n", dst)
	return nil
}

// cliCopyName is the name `vitaran backup` has the facade write its copy
// under, in the backup folder, before moving it where --to says.
func cliCopyName() string { return fmt.Sprintf("cli-copy-%d.book", time.Now().UnixNano()) }

func backupThroughInstance(env *Env, dir, dst string) error {
	raw, err := os.ReadFile(filepath.Join(dir, instanceFile))
	if err != nil {
		return fmt.Errorf("the book is in use by the desktop app: use its Backup screen, or close it (%v)", err)
	}
	var inst Instance
	if err := json.Unmarshal(raw, &inst); err != nil {
		return err
	}
	// The server writes only into its backup folder, under a plain name;
	// this command, run by the same OS user, then moves the copy to dst.
	body, _ := json.Marshal(map[string]string{"to": cliCopyName()})
	req, _ := http.NewRequest("POST", inst.URL+"/api/backup", bytes.NewReader(body))
	req.Header.Set("X-Vitaran-Local-Token", inst.Token)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 10 * time.Minute}
	if inst.Fingerprint != "" {
		client.Transport = &http.Transport{TLSClientConfig: app.PinnedTLS(inst.Fingerprint)}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("the book is held by the server at %s, which did not answer: %w", inst.URL, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("server at %s: %s", inst.URL, out)
	}
	var got struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal(out, &got); err != nil || got.Path == "" {
		return fmt.Errorf("server at %s answered without the backup's path: %s", inst.URL, out)
	}
	if err := moveFile(got.Path, dst); err != nil {
		return fmt.Errorf("the server wrote the backup to %s, but moving it to %s failed: %w", got.Path, dst, err)
	}
	fmt.Fprintf(env.Stdout, "Backup written to %s by the running server at %s\n", dst, inst.URL)
	return nil
}

func runRestore(env *Env, args []string) error {
	fs, data := flags(env, "restore")
	from := fs.String("from", "", "the backup file to restore: a .book copy or a compressed .book.gz (see vitaran backups)")
	pull := fs.Bool("pull", false, "pull the lost invoices, credit notes, receipts and cheque bounces Tally still holds back into the book, under their own numbers (with --from: after restoring; alone: after the last restore)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *pull && *from == "" {
		return pullFromTally(env, *data)
	}
	if *from == "" {
		return errors.New("--from FILE is required (or --pull, after a restore)")
	}
	dir := dataDir(*data)
	rep, err := app.RestoreWith(dir, *from, app.RestoreOptions{})
	if err != nil {
		return err
	}
	if rep.KeptAs == "" {
		fmt.Fprintf(env.Stdout, "Restored %s into %s\n", *from, app.BookPath(dir))
	} else {
		fmt.Fprintf(env.Stdout, "Restored %s into %s (the previous book was kept as %s)\n", *from, app.BookPath(dir), rep.KeptAs)
	}
	for _, l := range rep.Summary {
		fmt.Fprintln(env.Stdout, l)
	}
	if *pull {
		return pullFromTally(env, *data)
	}
	return nil
}

// pullFromTally pulls the lost documents Tally still holds back into the
// book the last restore made.
func pullFromTally(env *Env, data string) error {
	a, err := open(data)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.PullFromTally(app.WithCaller(env.Ctx, app.Caller{User: "cli", Role: app.RoleAdmin, From: "cli"}))
	if err != nil {
		return err
	}
	for _, l := range rep.Summary {
		fmt.Fprintln(env.Stdout, l)
	}
	if len(rep.NotPulled) > 0 {
		return fmt.Errorf("%d lost documents could not be pulled back", len(rep.NotPulled))
	}
	return nil
}

func runBackups(env *Env, args []string) error {
	fs, data := flags(env, "backups")
	if err := parse(fs, args); err != nil {
		return err
	}
	folder, files, err := app.BackupFiles(dataDir(*data))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Backups in %s, newest first:\n", folder)
	for _, f := range files {
		fmt.Fprintf(env.Stdout, "  %-19s  %-14s  %10d  %s\n", f.At.In(cal.IST).Format("02-01-2006 15:04:05"), f.Kind, f.Size, f.Path)
	}
	if len(files) == 0 {
		fmt.Fprintln(env.Stdout, "  none yet")
	}
	return nil
}

// moveFile renames src to dst, copying across disks (through a temp file
// next to dst) when a rename cannot.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".partial"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	in.Close()
	return os.Remove(src)
}

// counted says "1 area", "3 areas", "0 problems".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
