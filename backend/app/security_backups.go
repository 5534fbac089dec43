package app

import (
	"sync"
	"time"

	"vitaran/backend/backup"
	"vitaran/backend/book"
)

// backupSchedulers holds each open App's backup scheduler. It is a side
// table rather than a field so the backup work stays in its own files.
var backupSchedulers sync.Map // *App → *backup.Scheduler

// Backups is the app's backup scheduler (created on first use, not started).
func (a *App) Backups() *backup.Scheduler {
	if s, ok := backupSchedulers.Load(a); ok {
		return s.(*backup.Scheduler)
	}
	s := backup.NewScheduler(a.Book, a.DataDir)
	s.Now = func() time.Time { return a.Now() }
	got, loaded := backupSchedulers.LoadOrStore(a, s)
	if !loaded {
		a.OnClose(func() { s.Stop(); backupSchedulers.Delete(a) })
	}
	return got.(*backup.Scheduler)
}

// StartBackups starts the automatic backups: daily on the schedule kept in
// the book (13:30 IST by default), and at once when the newest backup is
// more than a day old. `vitaran serve` and the desktop call it after Open;
// Close stops it.
func (a *App) StartBackups() error { return a.Backups().Start() }

// BackupFiles lists the backups of the book in dataDir, newest first, and
// the folder the settings name for them (`vitaran backups`). It reads the
// folder from the book when it can open it; when another process holds
// the book, or there is none, the default folder.
func BackupFiles(dataDir string) (folder string, files []backup.File, err error) {
	folder = backup.DefaultFolder(dataDir)
	if a, err := Open(dataDir, Options{ReadOnly: true, LockWait: 200 * time.Millisecond}); err == nil {
		folder = a.Backups().Folder()
		a.Close()
	}
	files, err = backup.List(folder, dataDir)
	return folder, files, err
}

// backupList is GET /api/backups.
type backupList struct {
	backup.Status
	Files []backup.File `json:"files"`
}

// getBackups answers GET /api/backups.
func (a *App) getBackups(c *Call) (any, error) {
	s := a.Backups()
	st, err := s.Status()
	if err != nil {
		return nil, err
	}
	files, err := backup.List(st.Folder, a.DataDir)
	if files == nil {
		files = []backup.File{}
	}
	return backupList{Status: st, Files: files}, err
}

// postBackups answers POST /api/backups.
func (a *App) postBackups(c *Call) (any, error) {
	f, err := a.Backups().BackupNow(CallerOf(c.Ctx).Actor())
	if err != nil {
		return nil, err
	}
	return Created{f}, nil
}

// getSettingsBackup answers GET /api/settings/backup.
func (a *App) getSettingsBackup(c *Call) (any, error) {
	return a.Backups().Settings()
}

// putSettingsBackup answers PUT /api/settings/backup.
func (a *App) putSettingsBackup(c *Call) (any, error) {
	var in backup.Settings
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	err := a.update(c.Ctx, func(tx *book.Tx) error {
		var err error
		in, err = backup.SaveSettings(tx, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return in, a.Backups().Apply(in)
}
