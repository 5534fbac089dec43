package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"vitaran/backend/app"
	"vitaran/backend/money"
	"vitaran/tallybridge"
	"vitaran/tallybridge/posting"
	"vitaran/tallybridge/tallysim"
)

func init() {
	register(command{"tally", "keep Tally in step: push | pull [--apply] | status | sim --addr 127.0.0.1:9000 | export --to FILE", runTally})
}

func runTally(env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "usage: vitaran tally push|pull|status|sim|export [flags]")
		return errUsage
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "push":
		return tallyPush(env, args)
	case "pull":
		return tallyPull(env, args)
	case "status":
		return tallyStatus(env, args)
	case "sim":
		return tallySim(env, args)
	case "export":
		return tallyExport(env, args)
	}
	fmt.Fprintf(env.Stderr, "vitaran tally: unknown subcommand %q: use push, pull, status, sim or export\n", sub)
	return errUsage
}

func tallyPush(env *Env, args []string) error {
	fs, data := flags(env, "tally push")
	url := fs.String("url", "", "Tally's address (default: the settings, else "+tallybridge.DefaultURL+")")
	company := fs.String("company", "", "the company open in Tally (default: the settings)")
	retry := fs.Bool("retry-now", false, "retry failed vouchers now, without waiting for their next try")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	step := -1 // tell progress on stderr at every tenth of the way
	progress := func(done, total int) {
		if total > 0 && done*10/total > step {
			step = done * 10 / total
			fmt.Fprintf(env.Stderr, "  %d of %d vouchers\n", done, total)
		}
	}
	// a person starts this push: what failed only because Tally was
	// unreachable goes again now
	rep, err := a.PushTallyWith(env.Ctx, app.TallyPush{URL: *url, Company: *company, RetryNow: *retry, Progress: progress})
	if err != nil {
		return err
	}
	failed, waiting := rep.StillFailed, rep.StillWaiting
	fmt.Fprintf(env.Stdout, "Tally push: %d due, %d posted, %d failed, %d requests, %d masters created, in %s; %d vouchers failed and %d waiting\n",
		rep.Due, rep.Posted, rep.Failed, rep.Requests, rep.Masters, time.Duration(rep.Millis)*time.Millisecond,
		failed, waiting)
	if rep.Error != "" {
		return errors.New(rep.Error)
	}
	if failed+waiting > 0 {
		return fmt.Errorf("%d vouchers failed and %d waiting: see 'vitaran tally status'", failed, waiting)
	}
	return nil
}

func tallyPull(env *Env, args []string) error {
	fs, data := flags(env, "tally pull")
	url := fs.String("url", "", "Tally's address (default: the settings)")
	company := fs.String("company", "", "the company open in Tally (default: the settings)")
	apply := fs.Bool("apply", false, "create and update our outlets and items (default: only show what would change)")
	mrp := mrpFlag{}
	fs.Var(mrp, "mrp", "MRP of a new item, as \"Tally item name=45.00\" (repeat it); Tally keeps none, and an item without one is skipped")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(env.Ctx, 10*time.Minute)
	defer cancel()
	res, err := a.PullTally(ctx, app.TallyPullRequest{URL: *url, Company: *company, Apply: *apply, MRP: mrp})
	if err != nil {
		return err
	}
	for _, r := range res.Records {
		if r.Action == "unchanged" && r.Error == "" {
			continue
		}
		fmt.Fprintf(env.Stdout, "%-9s %-6s %-20s %s", r.Action, r.Kind, r.Code, r.Tally)
		for _, c := range r.Changes {
			fmt.Fprintf(env.Stdout, "  %s: %q → %q", c.Field, c.From, c.To)
		}
		switch {
		case r.Error != "":
			fmt.Fprintf(env.Stdout, "  REFUSED: %s", r.Error)
		case r.Skipped != "":
			fmt.Fprintf(env.Stdout, "  SKIPPED: %s (--mrp %q)", r.Skipped, r.Tally+"=MRP")
		case r.Needs == "mrp":
			fmt.Fprintf(env.Stdout, "  NEEDS MRP: Tally keeps none; give it with --mrp %q", r.Tally+"=MRP")
		}
		fmt.Fprintln(env.Stdout)
	}
	fmt.Fprintf(env.Stdout, "%d new, %d changed, %d unchanged", res.Counts["new"], res.Counts["changed"], res.Counts["unchanged"])
	if n := res.Counts["needs mrp"]; n > 0 && !*apply {
		fmt.Fprintf(env.Stdout, ", %d new items need an MRP", n)
	}
	if *apply {
		fmt.Fprintf(env.Stdout, "; applied %d, refused %d, skipped %d\n", res.Applied, res.Refused, res.Skipped)
		if res.Refused > 0 {
			return fmt.Errorf("%d records refused (reasons above)", res.Refused)
		}
		return nil
	}
	fmt.Fprintln(env.Stdout, " (preview: run with --apply to write them)")
	return nil
}

// mrpFlag collects --mrp "Tally item name=45.00".
type mrpFlag map[string]money.Paise

func (m mrpFlag) String() string { return "" }

func (m mrpFlag) Set(v string) error {
	name, rupees, ok := strings.Cut(v, "=")
	if i := strings.LastIndex(v, "="); i >= 0 {
		name, rupees, ok = v[:i], v[i+1:], true
	}
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("%q: write it as \"Tally item name=45.00\"", v)
	}
	p, err := money.ParseRupees(strings.TrimSpace(rupees))
	if err != nil || p <= 0 {
		return fmt.Errorf("%q: the MRP must be rupees above zero, e.g. 45.00", v)
	}
	m[strings.TrimSpace(name)] = p
	return nil
}

func tallyStatus(env *Env, args []string) error {
	fs, data := flags(env, "tally status")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.TallyStatus()
	if err != nil {
		return err
	}
	for _, s := range []tallybridge.State{tallybridge.StatePending, tallybridge.StateSending, tallybridge.StateFailed, tallybridge.StatePosted, posting.StateFolded} {
		fmt.Fprintf(env.Stdout, "%-15s %d\n", s, st.Counts[s])
	}
	if st.Days > 0 {
		fmt.Fprintf(env.Stdout, "days to post    %d\n", st.Days)
	}
	for _, f := range st.Failed {
		next := ""
		if !f.NextTry.IsZero() {
			next = ", next try " + f.NextTry.Local().Format("02-01-2006 15:04")
		}
		fmt.Fprintf(env.Stdout, "FAILED %s (%d attempts%s): %s\n", f.ID, f.Attempts, next, f.Reason)
	}
	if more := st.Counts[tallybridge.StateFailed] - len(st.Failed); more > 0 {
		fmt.Fprintf(env.Stdout, "… and %d more failed (the newest are above): see the Tally screen's queue\n", more)
	}
	return nil
}

func tallySim(env *Env, args []string) error {
	fs, _ := flags(env, "tally sim")
	addr := fs.String("addr", "127.0.0.1:9000", "where the emulated Tally listens")
	company := fs.String("company", "Sri Vijaya Distributors", "the company it has open (empty: none); the demo book's by default")
	if err := parse(fs, args); err != nil {
		return err
	}
	s := tallysim.New(tallysim.Options{Company: *company})
	url, err := s.Start(*addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Emulated Tally at %s with company %q open; Ctrl+C stops it\n", url, *company)
	if env.Ready != nil {
		env.Ready(url)
	}
	ctx, cancel := signalContext(env.Ctx)
	defer cancel()
	<-ctx.Done()
	return s.Close()
}

func tallyExport(env *Env, args []string) error {
	fs, data := flags(env, "tally export")
	to := fs.String("to", "", "the XML file to write (masters go beside it as NAME-masters.xml)")
	company := fs.String("company", "", "the Tally company (default: the settings)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		fmt.Fprintln(env.Stderr, "vitaran tally export: --to FILE is needed")
		return errUsage
	}
	b, err := open(*data)
	if err != nil {
		return err
	}
	defer b.Close()
	n, err := b.ExportTally(*to, *company)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d vouchers written to %s for Gateway → Import → Vouchers; they stay queued until a push confirms them\n", n, *to)
	return nil
}
