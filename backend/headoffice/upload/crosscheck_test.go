package upload_test

import (
	"context"
	"time"

	"vitaran/backend/app"
	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice/upload"
)

// The cross-check lives in package app, which imports upload: its tests
// reach it through upload.CrossCheck.
func init() {
	upload.CrossCheck = func(b *book.Book, now time.Time, from, to cal.Date) ([]string, string, error) {
		r, err := app.CrossCheckBook(context.Background(), b, now, from, to, app.CrossOptions{})
		var diffs []string
		for _, d := range r.Differences {
			diffs = append(diffs, d.String())
		}
		for _, s := range r.Sections {
			for _, d := range s.Differences {
				diffs = append(diffs, d.String())
			}
		}
		return diffs, r.HeadOffice, err
	}
}
