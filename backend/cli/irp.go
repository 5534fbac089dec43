package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"vitaran/backend/cal"
	"vitaran/backend/demo"
	"vitaran/backend/gst/irp"
)

func init() {
	register(command{"irp", "the e-invoice portal: sim --addr 127.0.0.1:9100 | export --date D --out FILE | import --file FILE (offline)", runIRP})
}

func runIRP(env *Env, args []string) error {
	if len(args) > 0 && args[0] == "export" {
		return irpExport(env, args[1:])
	}
	if len(args) > 0 && args[0] == "import" {
		return irpImport(env, args[1:])
	}
	if len(args) == 0 || args[0] != "sim" {
		fmt.Fprintln(env.Stderr, "usage: vitaran irp sim|export|import [flags]")
		return errUsage
	}
	fs, _ := flags(env, "irp sim")
	addr := fs.String("addr", "127.0.0.1:9100", "where the emulated IRP listens")
	gstin := fs.String("gstin", demo.Company().GSTIN, "the taxpayer's GSTIN (the demo book's by default)")
	user := fs.String("user", "vitaran_api", "the API user")
	pass := fs.String("password", "vitaran-demo", "the API user's password")
	cid := fs.String("client-id", "VITARAN-DEMO-CLIENT", "the client id")
	csec := fs.String("client-secret", "vitaran-demo-secret", "the client secret")
	maxAge := fs.Int("max-age-days", 30, "refuse documents older than this (2305); negative: never")
	mode := fs.String("mode", irp.ModeGSP, "gsp (a GSP's passthrough: plain JSON) or direct (NIC's encrypted envelope; the login key is at /irpsim/loginkey)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := irp.ValidGSTIN(*gstin); err != nil {
		return err
	}
	s, err := irp.NewSim(irp.SimOptions{GSTIN: *gstin, Username: *user, Password: *pass, ClientID: *cid, ClientSecret: *csec, MaxAgeDays: *maxAge, Mode: *mode})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "Emulated IRP (%s) at %s for GSTIN %s (user %s); Ctrl+C stops it\n", *mode, url, *gstin, *user)
	if *mode == irp.ModeDirect {
		fmt.Fprintf(env.Stdout, "Its login key (the Company screen's IRP public key) is at %s/irpsim/loginkey\n", url)
	}
	if env.Ready != nil {
		env.Ready(url)
	}
	ctx, cancel := signalContext(env.Ctx)
	defer cancel()
	<-ctx.Done()
	return srv.Close()
}

// irpExport writes the waiting documents as the portal's bulk JSON.
func irpExport(env *Env, args []string) error {
	fs, data := flags(env, "irp export")
	day := fs.String("date", "", "the documents of this day, YYYY-MM-DD (default: every waiting one)")
	out := fs.String("out", "", "the JSON file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "vitaran irp export: --out FILE is needed")
		return errUsage
	}
	var d cal.Date
	if *day != "" {
		var err error
		if d, err = cal.Parse(*day); err != nil {
			return err
		}
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	ex, err := a.IRNOffline(env.Ctx, d)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(ex.Documents)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, raw, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d documents written to %s for the portal's bulk tool\n", len(ex.Documents), *out)
	for _, s := range ex.Skipped {
		fmt.Fprintf(env.Stdout, "NOT READY %s: %s\n", s.Number, s.Reason)
	}
	return nil
}

// irpImport stores the IRNs of the portal's reply file.
func irpImport(env *Env, args []string) error {
	fs, data := flags(env, "irp import")
	file := fs.String("file", "", "the portal's reply file (JSON)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" {
		fmt.Fprintln(env.Stderr, "vitaran irp import: --file FILE is needed")
		return errUsage
	}
	raw, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.ImportIRNReply(env.Ctx, raw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d IRNs imported from %s\n", n, *file)
	return nil
}
