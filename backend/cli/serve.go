package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"vitaran/backend/app"
)

func init() {
	register(command{"serve", "serve the app to browsers on the LAN (JSON API under /api/)", serve})
}

// Instance is what a running server leaves in its data folder so that other
// commands (backup) can reach it while it holds the book.
type Instance struct {
	URL   string `json:"url"`
	PID   int    `json:"pid"`
	Token string `json:"token"` // local admin token, readable only by this OS user
}

const instanceFile = "serve.json"

func serve(env *Env, args []string) error {
	fs, data := flags(env, "serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (127.0.0.1 keeps other PCs out; 0.0.0.0:8080 opens it to the LAN)")
	pw := fs.String("admin-password", "", "the first admin's password for an empty book (or VITARAN_ADMIN_PASSWORD)")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	if *pw == "" {
		*pw = env.Getenv("VITARAN_ADMIN_PASSWORD")
	}
	gen, err := a.EnsureAdmin(*pw)
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	if gen != "" {
		fmt.Fprintf(env.Stdout, "First start: user admin, password %s (shown once: write it down, then change it)\n", gen)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	token := a.LocalToken()
	inst := Instance{URL: url, PID: os.Getpid(), Token: token}
	instPath := filepath.Join(a.DataDir, instanceFile)
	raw, _ := json.Marshal(inst)
	if err := os.WriteFile(instPath, raw, 0o600); err != nil {
		return err
	}
	defer os.Remove(instPath)

	srv := &http.Server{Handler: a.Handler(env.Static), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(env.Stdout, "Vitaran serving on %s\n", url)
	if env.Ready != nil {
		env.Ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	ctx, stop := signalContext(env.Ctx)
	defer stop()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		slog.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}
	return nil
}

var _ = app.Version
