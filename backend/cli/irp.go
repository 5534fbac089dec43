package cli

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"vitaran/backend/demo"
	"vitaran/backend/gst/irp"
)

func init() {
	register(command{"irp", "the e-invoice portal: sim --addr 127.0.0.1:9100 (an emulator of the IRP's API)", runIRP})
}

func runIRP(env *Env, args []string) error {
	if len(args) == 0 || args[0] != "sim" {
		fmt.Fprintln(env.Stderr, "usage: vitaran irp sim [--addr 127.0.0.1:9100] [--gstin GSTIN --user U --password P --client-id C --client-secret S]")
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
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := irp.ValidGSTIN(*gstin); err != nil {
		return err
	}
	s, err := irp.NewSim(irp.SimOptions{GSTIN: *gstin, Username: *user, Password: *pass, ClientID: *cid, ClientSecret: *csec, MaxAgeDays: *maxAge})
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
	fmt.Fprintf(env.Stdout, "Emulated IRP at %s for GSTIN %s (user %s); Ctrl+C stops it\n", url, *gstin, *user)
	if env.Ready != nil {
		env.Ready(url)
	}
	ctx, cancel := signalContext(env.Ctx)
	defer cancel()
	<-ctx.Done()
	return srv.Close()
}
