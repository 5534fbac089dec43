package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"vitaran/backend/app"
	"vitaran/backend/cal"
)

func init() {
	register(command{"import", "read a spreadsheet into the book: import KIND FILE [--dry-run] [--bad-rows OUT.xlsx] " +
		"(KIND: " + kindNames() + "); every bad row is listed on stderr and nothing is written", runImport})
	register(command{"export", "write a report to a spreadsheet: export REPORT --from YYYY-MM-DD --to YYYY-MM-DD --out OUT.xlsx (or --to-file) " +
		"[--as-of DATE] [--filter column=value]… [--sort column[:desc]] (REPORT: see export --list)", runExport})
}

func kindNames() string {
	var names []string
	for _, k := range app.AllImportKinds() {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}

// interleaved parses flags that come before or after the positional
// arguments: "import items FILE --dry-run" reads as a clerk would expect.
func interleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runImport(env *Env, args []string) error {
	fs, data := flags(env, "import")
	dry := fs.Bool("dry-run", false, "check the file and say what would change, writing nothing")
	bad := fs.String("bad-rows", "", "write the rows with errors, and a reason column, to this .xlsx")
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errors.New("usage: vitaran import KIND FILE [--dry-run] [--bad-rows OUT.xlsx] [--data DIR]")
	}
	kind, path := pos[0], pos[1]
	if err := app.CheckImportKind(kind); err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.ImportFile(context.Background(), kind, path, filepath.Base(path), *dry)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(env.Stderr, "warning:", w)
	}
	for _, e := range res.Errors {
		fmt.Fprintln(env.Stderr, e.Error())
	}
	if *bad != "" && len(res.Errors) > 0 && res.Result != nil {
		if err := writeBadRows(*bad, res.BadRowsID); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "the bad rows are in %s\n", *bad)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("%s: %d errors in %d rows: nothing was written", filepath.Base(path), len(res.Errors), badRowCount(res))
	}
	verb := "imported"
	if *dry {
		verb = "would import (dry run, nothing written)"
	}
	fmt.Fprintf(env.Stdout, "%s %s: %d rows, %d new, %d updated, %d unchanged\n", verb, kind, res.Rows, res.New, res.Updated, res.Unchanged)
	return nil
}

func badRowCount(res app.ImportResult) int {
	if res.Result == nil {
		return 0
	}
	return res.Result.BadRows()
}

// writeBadRows writes the import's bad rows, as the facade made them for
// the screen's download, to out.
func writeBadRows(out, id string) error {
	wb, err := app.ImportBadRows(id)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := f.Write(wb.Body); err != nil {
		f.Close()
		os.Remove(out)
		return err
	}
	return f.Close()
}

// filters collects repeated --filter field=value flags.
type filters map[string]string

func (f filters) String() string { return fmt.Sprint(map[string]string(f)) }
func (f filters) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("--filter %q: write column=value, e.g. beat=JAYA-MON", s)
	}
	f[strings.TrimSpace(k)] = strings.TrimSpace(v)
	return nil
}

func runExport(env *Env, args []string) error {
	fs, data := flags(env, "export")
	from := fs.String("from", "", "first day of the period (YYYY-MM-DD), for period reports")
	to := fs.String("to", "", "last day of the period (YYYY-MM-DD)")
	asOf := fs.String("as-of", "", "the day of a point-in-time report (stock-summary, outstanding); default --to or today")
	out := fs.String("out", "", "the .xlsx file to write")
	toFile := fs.String("to-file", "", "same as --out")
	sortBy := fs.String("sort", "", "sort by a column key; add :desc for largest first")
	list := fs.Bool("list", false, "list the reports and their column keys")
	f := filters{}
	fs.Var(f, "filter", "keep rows whose column equals a value (column=value); repeatable")
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if *list {
		for _, d := range app.AllReports() {
			var keys []string
			for _, c := range d.Columns {
				keys = append(keys, c.Key)
			}
			fmt.Fprintf(env.Stdout, "%-16s %s (%s)\n", d.Name, d.Title, strings.Join(keys, ", "))
		}
		return nil
	}
	if *out == "" {
		*out = *toFile
	}
	if len(pos) != 1 || *out == "" {
		return errors.New("usage: vitaran export REPORT --from YYYY-MM-DD --to YYYY-MM-DD --out OUT.xlsx [--as-of DATE] [--filter col=value] [--sort col[:desc]] [--data DIR]; vitaran export --list")
	}
	p := app.ReportParams{From: cal.Date(*from), To: cal.Date(*to), AsOf: cal.Date(*asOf), Filters: f}
	if p.AsOf == "" && p.To == "" {
		p.AsOf = cal.Today()
	}
	if *sortBy != "" {
		p.Sort, _, _ = strings.Cut(*sortBy, ":")
		p.Desc = strings.HasSuffix(*sortBy, ":desc")
	}
	a, err := app.Open(dataDir(*data), app.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer a.Close()
	tmp := *out + ".part"
	w, err := os.Create(tmp)
	if err != nil {
		return err
	}
	// streamed into the file as it is written, never held whole in memory
	// (the screen's download, ExportReport, buffers it)
	n, err := a.ExportReportTo(env.Ctx, pos[0], p, w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d rows written to %s\n", pos[0], n, *out)
	return nil
}
