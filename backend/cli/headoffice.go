package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/cal"
	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/wire"
)

func init() {
	register(command{"headoffice", "the brand's receiver: serve | add-distributor CODE --region R | set-admin | stats | schemes --file F | migrate | conflicts | loadtest", runHeadOffice})
}

const headOfficeUsage = `usage:
  vitaran headoffice serve --addr :8443 [--cert F --key F] [--static DIR] [--data DIR]
  vitaran headoffice add-distributor CODE --region R [--name N] [--data DIR]   (prints the key)
  vitaran headoffice set-admin --user U --password P [--data DIR]
  vitaran headoffice stats [--data DIR]
  vitaran headoffice schemes --file CIRCULAR.xlsx|SCHEMES.json [--data DIR]   (the schemes head office issued)
  vitaran headoffice migrate --db postgres://…   (bring the database's schema to this build; serve does it too)
  vitaran headoffice conflicts [--distributor CODE] [--data DIR]   (rows resent under a held key with other content)
  vitaran headoffice loadtest --url URL --db postgres://… [--distributors N --days D --lines L --concurrency C]

Every command takes --db postgres://user@host/db (or VITARAN_HO_DB) to keep head office
in PostgreSQL, shared by several receivers; without it, the embedded store in --data.`

func runHeadOffice(env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, headOfficeUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs, data := flags(env, "headoffice "+sub)
	var run func() error
	db := fs.String("db", "", "PostgreSQL URL (postgres://…) to keep head office in, shared by several receivers (default $VITARAN_HO_DB; without either, the embedded store in --data)")
	var st headoffice.Store
	where := func() string {
		if u := hoDB(env, *db); u != "" {
			return "database " + redactURL(u)
		}
		return "data " + dataDir(*data)
	}
	openStore := func(opt book.Options) error {
		var err error
		st, err = openHOStore(env, *db, *data, opt)
		return err
	}
	switch sub {
	case "serve":
		addr := fs.String("addr", ":8443", "address to listen on")
		cert := fs.String("cert", "", "TLS certificate (PEM); without it, serve plain HTTP behind a TLS proxy")
		key := fs.String("key", "", "TLS private key (PEM)")
		static := fs.String("static", "", "serve the dashboard from this built frontend folder (with ho.html and assets/) instead of the embedded one")
		run = func() error {
			web, page, err := headOfficeStatic(env, *static)
			if err != nil {
				return err
			}
			if err := openStore(book.Options{}); err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(env.Stderr, nil))
			r := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Log: log, Schemes: headoffice.RulesFromStore(st), Static: web})
			ctx, stop := signalContext(env.Ctx)
			defer stop()
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return fmt.Errorf("head-office receiver: %w", err)
			}
			scheme := "http"
			if *cert != "" {
				scheme = "https"
			}
			fmt.Fprintf(env.Stdout, "head office receiving on %s://%s (%s; dashboard %s)\n", scheme, ln.Addr(), where(), page)
			if env.Ready != nil {
				env.Ready(scheme + "://" + ln.Addr().String())
			}
			return r.ServeListener(ctx, ln, *cert, *key)
		}
	case "add-distributor":
		region := fs.String("region", "", "the distributor's region (required)")
		name := fs.String("name", "", "the distributor's name")
		run = func() error {
			code := fs.Arg(0)
			if code == "" || *region == "" {
				return errors.New("usage: vitaran headoffice add-distributor CODE --region R [--name N]")
			}
			if err := openStore(book.Options{}); err != nil {
				return err
			}
			k, err := headoffice.AddDistributor(st, strings.ToUpper(code), *region, *name)
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, k)
			return nil
		}
	case "set-admin":
		user := fs.String("user", "", "the dashboard's admin user")
		pw := fs.String("password", "", "the password (at least 10 characters)")
		run = func() error {
			if *user == "" || *pw == "" {
				return errors.New("give --user and --password (at least 10 characters)")
			}
			if err := openStore(book.Options{}); err != nil {
				return err
			}
			if err := headoffice.SetAdmin(st, *user, *pw); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "dashboard admin is %s\n", *user)
			return nil
		}
	case "stats":
		run = func() error {
			if err := openStore(book.Options{ReadOnly: true}); err != nil {
				return err
			}
			s, err := headoffice.Stats(st)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(s)
		}
	case "schemes":
		file := fs.String("file", "", "the schemes head office issued, as distributors import them: the Excel circular (.xlsx or .csv) or a JSON array")
		run = func() error {
			if *file == "" {
				return errors.New("give --file CIRCULAR.xlsx (or .csv, or SCHEMES.json)")
			}
			ss, err := headoffice.ReadSchemeFile(*file)
			if err != nil {
				return err
			}
			if err := openStore(book.Options{}); err != nil {
				return err
			}
			if err := headoffice.IssueSchemes(st, ss, cal.Today()); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%d scheme(s) loaded: claims are now checked against them\n", len(ss))
			return nil
		}
	case "conflicts":
		code := fs.String("distributor", "", "only this distributor's")
		run = func() error {
			if err := openStore(book.Options{ReadOnly: true}); err != nil {
				return err
			}
			cs, err := st.Conflicts(strings.ToUpper(*code))
			if err != nil {
				return err
			}
			if cs == nil {
				cs = []headoffice.Conflict{}
			}
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(cs)
		}
	case "loadtest":
		n := fs.Int("distributors", 100, "simulated distributors to register (LOAD00001…) and upload as")
		days := fs.Int("days", 1, "days of sales each distributor uploads, one batch a day, ending yesterday")
		lines := fs.Int("lines", 1000, "sales lines per batch")
		conc := fs.Int("concurrency", 16, "uploads at a time")
		target := fs.String("url", "", "the receiver to load, e.g. http://127.0.0.1:8443 (required)")
		run = func() error {
			if *target == "" || *n <= 0 || *days <= 0 || *lines <= 0 {
				return errors.New("usage: vitaran headoffice loadtest --url URL --db postgres://… [--distributors N --days D --lines L --concurrency C]")
			}
			if err := openStore(book.Options{}); err != nil {
				return err
			}
			ds, err := loadDistributors(st, *n)
			if err != nil {
				return err
			}
			from := cal.Today().AddDays(-*days)
			fmt.Fprintf(env.Stderr, "loading %s: %d distributors × %d day(s) × %d lines, %d at a time\n", *target, *n, *days, *lines, *conc)
			res, err := headoffice.LoadTest(env.Ctx, headoffice.LoadTestOptions{URL: strings.TrimRight(*target, "/"), Distributors: ds, From: from, Days: *days, Lines: *lines, Concurrency: *conc})
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			if eerr := enc.Encode(res); err == nil {
				err = eerr
			}
			if err == nil && res.Failed > 0 {
				err = fmt.Errorf("%d batch(es) failed; the first: %s", res.Failed, res.FirstError)
			}
			return err
		}
	case "migrate":
		run = func() error {
			u := hoDB(env, *db)
			if u == "" {
				if err := openStore(book.Options{}); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "embedded store in %s is current\n", dataDir(*data))
				return nil
			}
			ps, err := connectHODB(context.Background(), u, false)
			if err != nil {
				return err
			}
			st = ps
			from, to, err := ps.Migrate(context.Background())
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "schema version %d → %d (%s)\n", from, to, redactURL(u))
			return nil
		}
	default:
		fmt.Fprintln(env.Stderr, headOfficeUsage)
		return errUsage
	}
	if err := parseWithArg(fs, args); err != nil {
		return err
	}
	err := run()
	if st != nil {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// parseWithArg parses flags placed before or after one positional argument
// ("add-distributor D001 --region South").
func parseWithArg(fs *flag.FlagSet, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		first := args[0]
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return fs.Parse(append([]string{first}, fs.Args()...))
	}
	return parse(fs, args)
}

// headOfficeStatic picks the built frontend the dashboard is served from:
// --static DIR when given (it must hold ho.html), else the binary's embedded
// frontend/dist when it has ho.html, else none (the receiver's own page).
func headOfficeStatic(env *Env, dir string) (fs.FS, string, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "ho.html")); err != nil {
			return nil, "", fmt.Errorf("--static %s: no ho.html there; build the frontend first (cd frontend && npm run build)", dir)
		}
		return os.DirFS(dir), "from " + dir, nil
	}
	if env.Static != nil {
		if _, err := fs.Stat(env.Static, "ho.html"); err == nil {
			return env.Static, "built frontend", nil
		}
	}
	return nil, "embedded page", nil
}

// hoDB is the head-office database URL: --db, else $VITARAN_HO_DB.
func hoDB(env *Env, flagDB string) string {
	if flagDB != "" {
		return flagDB
	}
	if env.Getenv != nil {
		return env.Getenv("VITARAN_HO_DB")
	}
	return os.Getenv("VITARAN_HO_DB")
}

// openHOStore opens PostgreSQL when a database URL is given (migrating it),
// else the embedded store in the data folder. The desktop build has no
// PostgreSQL engine and says so.
func openHOStore(env *Env, flagDB, data string, opt book.Options) (headoffice.Store, error) {
	u := hoDB(env, flagDB)
	if u == "" {
		return headoffice.OpenStore(dataDir(data), opt)
	}
	return connectHODB(context.Background(), u, true)
}

// hoDatabase is head office on PostgreSQL, which the server build links
// (hodb_postgres.go) and the desktop build does not (hodb_none.go).
type hoDatabase interface {
	headoffice.Store
	Migrate(ctx context.Context) (from, to int, err error)
}

// redactURL hides a password in a database URL.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// loadDistributors registers LOAD00001… up to n (keeping those already
// registered, with their keys) for a load test.
func loadDistributors(st headoffice.Store, n int) ([]headoffice.LoadDistributor, error) {
	out := make([]headoffice.LoadDistributor, 0, n)
	for i := range n {
		code := fmt.Sprintf("LOAD%05d", i+1)
		d, ok, err := st.Distributor(code)
		if err != nil {
			return nil, err
		}
		if !ok {
			d = headoffice.Distributor{Code: code, Region: fmt.Sprintf("LOAD-R%02d", i%10), Name: "Load test " + code, Key: wire.NewKey(), AddedAt: cal.Now().UTC()}
			if err := st.AddDistributor(d); err != nil {
				return nil, err
			}
		}
		out = append(out, headoffice.LoadDistributor{Code: code, Key: d.Key})
	}
	return out, nil
}
