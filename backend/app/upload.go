package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/headoffice/upload"
)

// The head-office upload door: status, "Upload now" and the settings.
// Each App has one Uploader, so the schedule, the UI and the CLI take turns.

var (
	uploadersMu sync.Mutex
	uploaders   = map[*App]*uploads{}
)

type uploads struct {
	up *upload.Uploader
	// changed wakes the schedule when the settings change.
	changed chan struct{}
}

func (a *App) uploads() *uploads {
	uploadersMu.Lock()
	defer uploadersMu.Unlock()
	u := uploaders[a]
	if u == nil {
		u = &uploads{changed: make(chan struct{}, 1)}
		u.up = upload.NewUploader(a.Book, upload.BookSource{}, upload.UploaderOptions{
			Now:      func() time.Time { return a.Now() },
			Progress: a.progress(context.Background(), "upload"), // the app's own task: admins see it
		})
		uploaders[a] = u
		a.OnClose(func() {
			uploadersMu.Lock()
			delete(uploaders, a)
			uploadersMu.Unlock()
		})
	}
	return u
}

// UploadSettings are the upload settings as the UI sees them: the key is
// never sent back, only whether one is set and its last four characters.
type UploadSettings struct {
	URL             string `json:"url"`
	DistributorCode string `json:"distributor_code"`
	Key             string `json:"key,omitempty"` // in only
	KeySet          bool   `json:"key_set"`
	KeyHint         string `json:"key_hint,omitempty"`
	Schedule        string `json:"schedule"`
	TimeZone        string `json:"time_zone,omitempty"`
	CAFile          string `json:"ca_file,omitempty"`
}

func shown(s upload.Settings) UploadSettings {
	out := UploadSettings{URL: s.URL, DistributorCode: s.DistributorCode, Schedule: s.Schedule, TimeZone: s.TimeZone, CAFile: s.CAFile, KeySet: s.Key != ""}
	if out.Schedule == "" {
		out.Schedule = upload.DefaultSchedule
	}
	if len(s.Key) > 4 {
		out.KeyHint = "…" + s.Key[len(s.Key)-4:]
	}
	return out
}

// GetUploadSettings returns the upload settings, key hidden.
func (a *App) GetUploadSettings() (UploadSettings, error) {
	s, err := upload.LoadSettings(a.Book)
	return shown(s), err
}

// SetUploadSettings stores the upload settings. An empty key (or the hint
// shown) keeps the key already stored.
func (a *App) SetUploadSettings(ctx context.Context, in UploadSettings) (UploadSettings, error) {
	old, err := upload.LoadSettings(a.Book)
	if err != nil {
		return UploadSettings{}, err
	}
	s := upload.Settings{URL: strings.TrimSpace(in.URL), DistributorCode: strings.TrimSpace(in.DistributorCode),
		Key: strings.TrimSpace(in.Key), Schedule: strings.TrimSpace(in.Schedule), TimeZone: in.TimeZone, CAFile: strings.TrimSpace(in.CAFile)}
	if s.Key == "" || strings.HasPrefix(s.Key, "…") {
		s.Key = old.Key
	}
	err = a.update(ctx, func(tx *book.Tx) error {
		if err := upload.SaveSettingsTx(tx, s); err != nil {
			return err
		}
		return tx.Audit("setting", "upload", "settings", shown(old), shown(s), "")
	})
	if err != nil {
		field := "settings"
		for _, f := range []string{"url", "distributor_code", "key", "schedule"} {
			if strings.HasPrefix(strings.ReplaceAll(err.Error(), " ", "_"), f) {
				field = f
			}
		}
		return UploadSettings{}, fail.Invalid(field, "%s", err.Error())
	}
	select {
	case a.uploads().changed <- struct{}{}:
	default:
	}
	return a.GetUploadSettings()
}

// UploadStatus is what the UI shows: the last successful upload, what waits,
// the data's age, the last error and the next run.
func (a *App) UploadStatus() (upload.Status, error) { return a.uploads().up.Status() }

// UploadNow moves what is posted into a batch and sends every waiting batch.
func (a *App) UploadNow(ctx context.Context) (upload.Report, error) {
	rep, err := a.uploads().up.Now(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "upload settings:") {
		return rep, fail.Invalid("settings", "%s", err.Error())
	}
	return rep, err
}

// StartUploads runs the nightly upload schedule until the returned stop is
// called (serve and the desktop call it at start): a run missed while the PC
// was off happens now, waiting batches are retried with backoff, and a
// change of the settings restarts the schedule. Until the settings are
// complete it only waits.
func StartUploads(a *App) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	u := a.uploads()
	log := slog.Default().With("task", "upload")
	go func() {
		defer close(done)
		for {
			set, err := upload.LoadSettings(a.Book)
			if err == nil && set.Check() == nil {
				runCtx, stopRun := context.WithCancel(ctx)
				ended := make(chan error, 1)
				go func() { ended <- u.up.Run(runCtx, log) }()
				select {
				case <-ctx.Done():
					stopRun()
					<-ended
					return
				case <-u.changed:
					stopRun()
					<-ended
					continue
				case err := <-ended:
					stopRun()
					if err != nil {
						log.Warn("upload schedule stopped", "err", err)
					}
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-u.changed:
			case <-time.After(time.Minute):
			}
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	a.OnClose(stop)
	return stop
}

// getUploadStatus answers GET /api/upload/status.
func (a *App) getUploadStatus(c *Call) (any, error) {
	return a.UploadStatus()
}

// postUploadNow answers POST /api/upload/now.
func (a *App) postUploadNow(c *Call) (any, error) {
	return a.UploadNow(c.Ctx)
}

// getUploadSettings answers GET /api/upload/settings.
func (a *App) getUploadSettings(c *Call) (any, error) {
	return a.GetUploadSettings()
}

// putUploadSettings answers PUT /api/upload/settings.
func (a *App) putUploadSettings(c *Call) (any, error) {
	var in UploadSettings
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return a.SetUploadSettings(c.Ctx, in)
}
