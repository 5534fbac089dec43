package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"vitaran/backend/cal"
)

// Policy is how many backups of each kind rotation keeps.
type Policy struct {
	Daily, Weekly, Monthly, Manual int
}

// DefaultPolicy keeps 7 daily, 4 weekly, 12 monthly and 10 manual backups:
// with one scheduled backup a day that is about a week of days, a month of
// weeks and a year of months, in 23 files.
var DefaultPolicy = Policy{Daily: 7, Weekly: 4, Monthly: 12, Manual: 10}

// KindFor says which kind a scheduled backup taken at `at` is, given the
// backups already in the folder. The rule, in IST:
//   - the first scheduled backup of a calendar month is monthly;
//   - otherwise the first of an ISO week (Monday to Sunday) is weekly;
//   - every other one is daily.
//
// Each file is written once under its kind and never renamed, so rotation is
// a count per kind (see Rotate).
func KindFor(existing []File, at time.Time) Kind {
	at = at.In(cal.IST)
	y, w := at.ISOWeek()
	month, week := false, false
	for _, f := range existing {
		t := f.At.In(cal.IST)
		switch f.Kind {
		case Monthly:
			if t.Year() == at.Year() && t.Month() == at.Month() {
				month = true
			}
			fallthrough
		case Weekly:
			if fy, fw := t.ISOWeek(); fy == y && fw == w {
				week = true
			}
		}
	}
	switch {
	case !month:
		return Monthly
	case !week:
		return Weekly
	}
	return Daily
}

// Rotate deletes the backups in folder that the policy does not keep: of
// each kind (daily, weekly, monthly, manual) the newest N survive and the
// older ones go. Pre-migration and before-restore copies, files of other
// names and backups in other folders are never touched. Leftover ".partial"
// files older than an hour (a backup cut off by a power cut) are removed.
// It returns the deleted names.
func Rotate(folder string, p Policy, now time.Time) ([]string, error) {
	files, err := List(folder, folder)
	if err != nil {
		return nil, err
	}
	keep := map[Kind]int{Daily: p.Daily, Weekly: p.Weekly, Monthly: p.Monthly, Manual: p.Manual}
	seen := map[Kind]int{}
	var removed []string
	var errs []error
	for _, f := range files { // newest first
		n, rotated := keep[f.Kind]
		if !rotated || filepath.Dir(f.Path) != filepath.Clean(folder) {
			continue
		}
		seen[f.Kind]++
		if seen[f.Kind] <= n {
			continue
		}
		if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, f.Name)
	}
	ents, _ := os.ReadDir(folder)
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".vitaran-") || !strings.HasSuffix(e.Name(), ".partial") {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(folder, e.Name()))
			removed = append(removed, e.Name())
		}
	}
	if len(errs) > 0 {
		return removed, fmt.Errorf("rotate backups: %w", errors.Join(errs...))
	}
	return removed, nil
}
