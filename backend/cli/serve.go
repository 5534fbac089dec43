package cli

import (
	"context"
	"crypto/tls"
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
	// Fingerprint is the TLS certificate's SHA-256 when serving HTTPS.
	Fingerprint string `json:"fingerprint,omitempty"`
}

const instanceFile = "serve.json"

func serve(env *Env, args []string) error {
	fs, data := flags(env, "serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (127.0.0.1 keeps other PCs out; 0.0.0.0:8080 opens it to the LAN)")
	pw := fs.String("admin-password", "", "the first admin's password for an empty book (or VITARAN_ADMIN_PASSWORD)")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a self-signed certificate kept in the data folder (made on first start; its fingerprint is printed for clients to check)")
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
	if err := a.StartBackups(); err != nil {
		return fmt.Errorf("automatic backups: %w", err)
	}
	app.StartUploads(a) // waits quietly until head-office settings are complete
	app.StartIRN(a, 0)  // follows the postings; sends only with einvoice api
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	token := a.LocalToken()
	inst := Instance{URL: url, PID: os.Getpid(), Token: token}
	if *useTLS {
		host, _, _ := net.SplitHostPort(*addr)
		cert, fp, created, err := app.LANCertificate(a.DataDir, []string{host}, time.Now())
		if err != nil {
			ln.Close()
			return err
		}
		ln = tls.NewListener(ln, app.ServerTLS(cert))
		url = "https://" + ln.Addr().String()
		inst.URL, inst.Fingerprint = url, fp
		what := "Using the"
		if created {
			what = "Made a new"
		}
		fmt.Fprintf(env.Stdout, "%s self-signed TLS certificate (%s). Its SHA-256 fingerprint, to check in each browser before trusting it:\n  %s\n", what, filepath.Join(a.DataDir, app.TLSCertFile), fp)
	}
	instPath := filepath.Join(a.DataDir, instanceFile)
	raw, _ := json.Marshal(inst)
	if err := os.WriteFile(instPath, raw, 0o600); err != nil {
		return err
	}
	defer os.Remove(instPath)

	srv := &http.Server{Handler: a.Handler(env.Static), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	// No WriteTimeout: progress events stream for as long as a screen is
	// open, and big exports take their time; slow or idle clients are cut
	// off by the read and idle timeouts.
	fmt.Fprintf(env.Stdout, "Vitaran serving on %s\n", url)
	if st, err := a.Backups().Status(); err == nil {
		fmt.Fprintf(env.Stdout, "Automatic backups to %s (schedule %q, IST)\n", st.Folder, st.Schedule)
	}
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
