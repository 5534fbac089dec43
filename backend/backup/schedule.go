package backup

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/fail"
)

// DefaultSchedule is every day at 13:30 IST: lunchtime, when the PC is on
// and billing is quiet. On start, a backup is also taken at once when the
// newest one is more than a day old (the PC was off at 13:30).
const DefaultSchedule = "30 13 * * *"

// Settings are kept in the book, so they travel with it.
type Settings struct {
	// Folder is where backups go: a second disk or a synced folder.
	// Empty means <data>/backups.
	Folder string `json:"folder"`
	// Schedule is a cron line (minute hour day-of-month month weekday) in
	// IST, or "@daily"-style descriptors. Empty means DefaultSchedule.
	Schedule string `json:"schedule"`
}

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// descriptors are the "@" schedules accepted; "@every" is not (it counts
// from the start, not the clock).
var descriptors = map[string]bool{"@yearly": true, "@annually": true, "@monthly": true, "@weekly": true, "@daily": true, "@midnight": true, "@hourly": true}

// ParseSchedule checks a cron line before robfig/cron sees it (the library
// panics on "TZ=0", "TZ=" and "CRON_TZ=") and parses it: five fields of
// digits, names and * , - / (minute hour day month weekday), or one of the
// descriptors. The time zone is never part of the line. Any panic left in
// the library is turned into an error. The head-office schedule uses it too.
func ParseSchedule(spec string) (sched cron.Schedule, err error) {
	bad := func(why string) error {
		return fail.Invalid("schedule", "%q is not a schedule: %s; write minute hour day month weekday, e.g. %q for 13:30 daily", spec, why, DefaultSchedule)
	}
	if len(spec) > 100 {
		return nil, fail.Invalid("schedule", "the schedule is longer than 100 characters")
	}
	if strings.Contains(strings.ToUpper(spec), "TZ=") {
		return nil, bad("the time zone cannot be set in the line (it is always India time)")
	}
	if strings.HasPrefix(spec, "@") {
		if !descriptors[spec] {
			return nil, bad("use @daily, @weekly, @monthly, @yearly or @hourly")
		}
	} else {
		for _, r := range spec {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("*,-/? ", r)) {
				return nil, bad(fmt.Sprintf("%q is not allowed", r))
			}
		}
		if n := len(strings.Fields(spec)); n != 5 {
			return nil, bad(fmt.Sprintf("it has %d fields, not 5", n))
		}
	}
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, bad("the cron library refused it")
		}
	}()
	sched, err = parser.Parse(spec)
	if err != nil {
		return nil, bad(err.Error())
	}
	return sched, nil
}

// SaveSettings checks and stores the settings, with an audit entry from
// the old to the new.
func SaveSettings(tx *book.Tx, s Settings) (Settings, error) {
	s.Folder = strings.TrimSpace(s.Folder)
	s.Schedule = strings.TrimSpace(s.Schedule)
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	if _, err := ParseSchedule(s.Schedule); err != nil {
		return s, err
	}
	if s.Folder != "" {
		if !filepath.IsAbs(s.Folder) {
			return s, fail.Invalid("folder", "give the full path of the folder, e.g. D:\\Vitaran backups")
		}
		if err := writable(s.Folder); err != nil {
			return s, fail.Invalid("folder", "cannot write backups there: %v", err)
		}
	}
	before, err := LoadSettings(tx)
	if err != nil {
		return s, err
	}
	if err := putSettings(tx, &s); err != nil {
		return s, err
	}
	return s, tx.Audit("setting", "backup", "settings", before, s, "")
}

func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".vitaran-write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Status is what the UI shows about backups.
type Status struct {
	Folder   string    `json:"folder"`
	Schedule string    `json:"schedule"`
	Last     *File     `json:"last,omitempty"` // the newest backup in the folder
	Next     time.Time `json:"next,omitempty"` // the next scheduled run (zero when not scheduled)
	// LastError is the last scheduled run's failure, cleared by a success.
	LastError string    `json:"last_error,omitempty"`
	ErrorAt   time.Time `json:"error_at,omitempty"`
}

// Scheduler takes the book's backups: on a cron schedule, on demand, and
// once at start when the newest is stale. Runs never overlap.
type Scheduler struct {
	Book    *book.Book
	DataDir string
	Policy  Policy
	// Now is the clock; tests set it.
	Now func() time.Time

	run     sync.Mutex // one backup at a time
	mu      sync.Mutex
	cron    *cron.Cron
	entry   cron.EntryID
	lastErr string
	errAt   time.Time
	wg      sync.WaitGroup
}

// NewScheduler prepares backups for the book in dataDir; Start schedules them.
func NewScheduler(b *book.Book, dataDir string) *Scheduler {
	return &Scheduler{Book: b, DataDir: dataDir, Policy: DefaultPolicy, Now: cal.Now}
}

// Settings reads the current settings from the book.
func (s *Scheduler) Settings() (Settings, error) {
	var st Settings
	err := s.Book.View(func(tx *book.Tx) error { var err error; st, err = LoadSettings(tx); return err })
	return st, err
}

// Folder is where backups go now.
func (s *Scheduler) Folder() string {
	st, _ := s.Settings()
	if st.Folder == "" {
		return DefaultFolder(s.DataDir)
	}
	return st.Folder
}

// Start schedules the daily backup and, when the newest backup is older
// than a day (or there is none), takes one now in the background.
func (s *Scheduler) Start() error {
	st, err := s.Settings()
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.cron == nil {
		s.cron = cron.New(cron.WithLocation(cal.IST), cron.WithParser(parser))
		s.cron.Start()
	}
	s.mu.Unlock()
	if err := s.Apply(st); err != nil {
		return err
	}
	if s.Due() {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.Scheduled()
		}()
	}
	return nil
}

// Due reports whether the newest scheduled or manual backup is more than a
// day old, or there is none.
func (s *Scheduler) Due() bool {
	files, err := List(s.Folder(), s.DataDir)
	if err != nil {
		return true
	}
	for _, f := range files {
		if f.Compressed {
			return s.Now().Sub(f.At) > 24*time.Hour
		}
	}
	return true
}

// Apply (re)schedules with new settings; a scheduler not started only
// checks them.
func (s *Scheduler) Apply(st Settings) error {
	spec := st.Schedule
	if spec == "" {
		spec = DefaultSchedule
	}
	sched, err := ParseSchedule(spec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cron == nil {
		return nil
	}
	if s.entry != 0 {
		s.cron.Remove(s.entry)
	}
	s.entry = s.cron.Schedule(sched, cron.FuncJob(func() { s.Scheduled() }))
	return nil
}

// Stop ends the schedule and waits for a running backup to finish.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	c := s.cron
	s.cron = nil
	s.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
	s.wg.Wait()
	s.run.Lock()   // wait out a manual backup in progress
	s.run.Unlock() //lint:ignore SA2001 taking the lock is the wait

}

// Scheduled takes the scheduled backup now: its kind by KindFor, then
// rotation. Failures are logged, audited and shown in Status.
func (s *Scheduler) Scheduled() (File, error) {
	f, err := s.take("", book.Actor{User: "system", From: "schedule"})
	if err != nil {
		slog.Error("scheduled backup failed", "err", err)
	}
	return f, err
}

// BackupNow takes a manual backup for actor ("Backup now").
func (s *Scheduler) BackupNow(actor book.Actor) (File, error) { return s.take(Manual, actor) }

func (s *Scheduler) take(kind Kind, actor book.Actor) (File, error) {
	s.run.Lock()
	defer s.run.Unlock()
	folder := s.Folder()
	now := s.Now()
	if kind == "" {
		files, err := List(folder, s.DataDir)
		if err != nil {
			return File{}, s.failed(actor, err)
		}
		kind = KindFor(files, now)
	}
	f, err := Write(s.Book, folder, kind, now)
	if err != nil {
		return File{}, s.failed(actor, err)
	}
	removed, rerr := Rotate(folder, s.Policy, now)
	s.mu.Lock()
	s.lastErr, s.errAt = "", time.Time{}
	s.mu.Unlock()
	note := fmt.Sprintf("%s backup, %d bytes", kind, f.Size)
	if len(removed) > 0 {
		note += "; rotated out " + strings.Join(removed, ", ")
	}
	if rerr != nil {
		note += "; " + rerr.Error()
	}
	err = s.Book.UpdateAs(actor, func(tx *book.Tx) error {
		return tx.Audit("backup", "book", f.Name, nil, f, note)
	})
	return f, err
}

func (s *Scheduler) failed(actor book.Actor, err error) error {
	s.mu.Lock()
	s.lastErr, s.errAt = err.Error(), s.Now()
	s.mu.Unlock()
	s.Book.UpdateAs(actor, func(tx *book.Tx) error {
		return tx.Audit("backup_failed", "book", "", nil, nil, err.Error())
	})
	return err
}

// Status is the newest backup, the next run and the last failure.
func (s *Scheduler) Status() (Status, error) {
	st, err := s.Settings()
	if err != nil {
		return Status{}, err
	}
	out := Status{Folder: s.Folder(), Schedule: st.Schedule}
	files, err := List(out.Folder, s.DataDir)
	if err != nil {
		out.LastError = err.Error()
	}
	for _, f := range files {
		if f.Compressed {
			f := f
			out.Last = &f
			break
		}
	}
	s.mu.Lock()
	if s.cron != nil && s.entry != 0 {
		out.Next = s.cron.Entry(s.entry).Next
	}
	if s.lastErr != "" {
		out.LastError, out.ErrorAt = s.lastErr, s.errAt
	}
	s.mu.Unlock()
	return out, nil
}

// Last is the newest backup, or nil when there is none (for the UI).
func (s *Scheduler) Last() *File {
	st, _ := s.Status()
	return st.Last
}
