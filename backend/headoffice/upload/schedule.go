package upload

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"vitaran/backend/backup"
	"vitaran/backend/cal"
)

// zone is the schedule's time zone: the named one if the PC has tzdata,
// else India's fixed +05:30 (India has no daylight saving, so it is exact).
func zone(name string) *time.Location {
	if name == "" {
		name = "Asia/Kolkata"
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return cal.IST
}

func parseSchedule(spec, tz string) (cron.Schedule, error) {
	if spec == "" {
		spec = DefaultSchedule
	}
	// Checked before robfig/cron sees it: the library panics on "TZ=0".
	bare, err := backup.ParseSchedule(spec)
	if err != nil {
		return nil, err
	}
	return inZone{bare, zone(tz)}, nil
}

// inZone evaluates a schedule's fields in loc.
type inZone struct {
	s   cron.Schedule
	loc *time.Location
}

func (z inZone) Next(t time.Time) time.Time { return z.s.Next(t.In(z.loc)) }

// Missed reports whether a scheduled run fell between the last build and
// now: the PC was off (or Vitaran closed) at the scheduled time.
func Missed(sch cron.Schedule, lastBuild, now time.Time) bool {
	if lastBuild.IsZero() {
		return false
	}
	return !sch.Next(lastBuild).After(now)
}

// Run keeps uploads going until ctx ends: at start it makes up a run missed
// while the PC was off, then builds and sends on the schedule, and retries
// waiting batches with exponential backoff and jitter in between (from one
// minute, doubling, up to an hour). Settings are re-read each time, so a
// change in the UI takes effect at the next run.
func (u *Uploader) Run(ctx context.Context, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	set, err := LoadSettings(u.book)
	if err != nil {
		return err
	}
	sch, err := parseSchedule(set.Schedule, set.TimeZone)
	if err != nil {
		return err
	}
	st, err := u.Status()
	if err != nil {
		return err
	}
	run := func(why string) error {
		rep, err := u.Now(ctx)
		if err != nil {
			log.Warn("upload", "why", why, "built", rep.Built, "sent", rep.Sent, "waiting", rep.Waiting, "err", err)
		} else {
			log.Info("upload", "why", why, "built", rep.Built, "sent", rep.Sent)
		}
		return err
	}
	var failing int
	if st.LastBuild != nil && Missed(sch, *st.LastBuild, u.opt.Now()) {
		if run("missed while the PC was off") != nil {
			failing = 1
		}
	} else if st.Waiting > 0 {
		if _, err := u.Send(ctx); err != nil {
			failing = 1
		}
	}
	c := cron.New(cron.WithLocation(zone(set.TimeZone)))
	jobs := make(chan struct{}, 1)
	c.Schedule(sch, cron.FuncJob(func() {
		select {
		case jobs <- struct{}{}:
		default: // a run is already due
		}
	}))
	c.Start()
	defer c.Stop()
	for {
		var retry <-chan time.Time
		var timer *time.Timer
		if failing > 0 {
			timer = time.NewTimer(backoff(time.Minute, time.Hour, failing))
			retry = timer.C
		}
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return nil
		case <-jobs:
			if timer != nil {
				timer.Stop()
			}
			if run("schedule") != nil {
				failing++
			} else {
				failing = 0
			}
		case <-retry:
			if _, err := u.Send(ctx); err != nil {
				log.Warn("upload retry", "err", err)
				failing++
			} else {
				failing = 0
			}
		}
	}
}
