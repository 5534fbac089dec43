package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// Backup writes a consistent copy of the book to dst while the app keeps
// working, and records it in the audit log.
func (a *App) Backup(ctx context.Context, dst string) (int64, error) {
	if dst == "" {
		return 0, fail.Invalid("to", "name the backup file")
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return 0, err
	}
	if err := a.Book.BackupFile(dst); err != nil {
		return 0, err
	}
	st, err := os.Stat(dst)
	if err != nil {
		return 0, err
	}
	err = a.update(ctx, func(tx *book.Tx) error {
		return tx.Audit("backup", "book", dst, nil, nil, fmt.Sprintf("%d bytes", st.Size()))
	})
	return st.Size(), err
}

// LocalToken is a secret a server writes to its data folder so commands run
// by the same OS user (vitaran backup) can reach the running instance.
func (a *App) LocalToken() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.localToken == "" {
		a.localToken = randomToken(32)
	}
	return a.localToken
}

func init() {
	routeGroups = append(routeGroups, (*App).backupRoutes)
}

func (a *App) backupRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/backup", Roles: adminOnly, Do: func(c *Call) (any, error) {
			var in struct {
				To string `json:"to"`
			}
			if err := c.Decode(&in); err != nil {
				return nil, err
			}
			n, err := a.Backup(c.Ctx, in.To)
			return map[string]any{"to": in.To, "bytes": n}, err
		}},
	}
}
