package app

import (
	"context"
	"errors"
	"fmt"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// A Checker verifies one area's invariants and returns each problem found.
type Checker struct {
	Name  string
	Check func(tx *book.Tx) ([]string, error)
}

var checkers []Checker

// RegisterChecker adds an area's invariant check to `vitaran check`.
func RegisterChecker(c Checker) { checkers = append(checkers, c) }

// CheckReport is what `vitaran check` found.
type CheckReport struct {
	Checked  []string `json:"checked"`
	Problems []string `json:"problems"`
}

// OK reports whether nothing was wrong.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// CheckBook runs every registered checker over one consistent snapshot.
func CheckBook(b *book.Book) (CheckReport, error) {
	r := CheckReport{Checked: []string{}, Problems: []string{}}
	err := b.View(func(tx *book.Tx) error {
		for _, c := range checkers {
			ps, err := c.Check(tx)
			if err != nil {
				return fmt.Errorf("%s: %w", c.Name, err)
			}
			r.Checked = append(r.Checked, c.Name)
			for _, p := range ps {
				r.Problems = append(r.Problems, c.Name+": "+p)
			}
		}
		return nil
	})
	return r, err
}

// Check is `vitaran check`: bbolt's own consistency of the book file, then
// every registered checker over one snapshot.
func (a *App) Check() (CheckReport, error) {
	// Verify opens its own handle: in this process that is fine read-only.
	if err := book.Verify(a.Book.Path()); err != nil && !errors.Is(err, book.ErrLocked) {
		return CheckReport{}, err
	}
	return CheckBook(a.Book)
}

// CrossCheckWith is CrossCheck asking another Tally than the settings name
// (`vitaran check --cross --url --company`).
func (a *App) CrossCheckWith(ctx context.Context, from, to cal.Date, o CrossOptions) (CrossReport, error) {
	return CrossCheckBook(ctx, a.Book, a.Now(), from, to, o)
}
