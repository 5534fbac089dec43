package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"vitaran/backend/app"
	"vitaran/backend/backup"
	"vitaran/backend/book"
	"vitaran/backend/cli"
)

func init() { app.HashCost = 4 }

// syncBuffer is a Stdout the server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestServeBacksUpAtStartAndRestoreTakesTheCompressedBackup(t *testing.T) {
	dir := t.TempDir()
	var out syncBuffer
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	env := &cli.Env{Stdout: &out, Stderr: &out, Ctx: ctx, Getenv: func(string) string { return "" }, Ready: func(u string) { ready <- u }}
	go func() {
		done <- cli.Run(env, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--tls", "--admin-password", "admin-secret"})
	}()
	var url string
	select {
	case url = <-ready:
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, out.String())
	}
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("url %s", url)
	}
	var inst cli.Instance
	raw, err := os.ReadFile(filepath.Join(dir, "serve.json"))
	if err != nil || json.Unmarshal(raw, &inst) != nil || inst.Fingerprint == "" || !strings.Contains(out.String(), inst.Fingerprint) {
		t.Fatalf("fingerprint not printed or not in serve.json: %s %s", raw, out.String())
	}

	// vitaran backup reaches the running server through the pinned certificate.
	to := filepath.Join(t.TempDir(), "copy.book")
	var bout bytes.Buffer
	if code := cli.Run(&cli.Env{Stdout: &bout, Stderr: &bout}, []string{"backup", "--data", dir, "--to", to}); code != 0 {
		t.Fatalf("backup through the TLS server: %s", bout.String())
	}

	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, out.String())
	}
	// A fresh book had no backup, so serve took one at start.
	files, _ := backup.List(backup.DefaultFolder(dir), dir)
	if len(files) != 1 || files[0].Kind != backup.Monthly || !strings.Contains(out.String(), "Automatic backups to ") {
		t.Fatalf("start-up backup: %+v\n%s", files, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "serve.json")); err == nil {
		t.Fatal("serve.json left behind")
	}
	// With the server stopped, the compressed start-up backup restores
	// through the command, and so does the copy written through TLS.
	for _, from := range []string{files[0].Path, to} {
		var rout bytes.Buffer
		if code := cli.Run(&cli.Env{Stdout: &rout, Stderr: &rout}, []string{"restore", "--data", dir, "--from", from}); code != 0 {
			t.Fatalf("restore %s: %s", from, rout.String())
		}
		if err := book.Verify(filepath.Join(dir, book.FileName)); err != nil {
			t.Fatal(err)
		}
		var cout bytes.Buffer
		if code := cli.Run(&cli.Env{Stdout: &cout, Stderr: &cout}, []string{"check", "--data", dir}); code != 0 {
			t.Fatalf("check after restoring %s: %s", from, cout.String())
		}
	}
	var lout bytes.Buffer
	cli.Run(&cli.Env{Stdout: &lout, Stderr: &lout}, []string{"backups", "--data", dir})
	if !strings.Contains(lout.String(), "monthly") || !strings.Contains(lout.String(), "before-restore") {
		t.Fatalf("vitaran backups: %s", lout.String())
	}
}
