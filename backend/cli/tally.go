package cli

import (
	"context"
	"fmt"
	"time"

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
	start := time.Now()
	rep, perr := posting.Push(env.Ctx, a.Book, posting.PushOptions{URL: *url, Company: *company, RetryNow: *retry})
	m := rep.Masters
	fmt.Fprintf(env.Stdout, "Tally push: %d due, %d posted, %d failed, %d requests, %d masters created, in %s\n",
		rep.Due, rep.Posted, rep.Failed, rep.Requests, len(m.Ledgers)+len(m.Items)+len(m.Units)+len(m.Godowns), time.Since(start).Round(time.Millisecond))
	if perr != nil {
		return perr
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d vouchers failed: see 'vitaran tally status'", rep.Failed)
	}
	return nil
}

func tallyPull(env *Env, args []string) error {
	fs, data := flags(env, "tally pull")
	url := fs.String("url", "", "Tally's address (default: the settings)")
	company := fs.String("company", "", "the company open in Tally (default: the settings)")
	apply := fs.Bool("apply", false, "create and update our outlets and items (default: only show what would change)")
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
	res, err := a.PullTally(ctx, *url, *company, *apply)
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
		if r.Error != "" {
			fmt.Fprintf(env.Stdout, "  REFUSED: %s", r.Error)
		}
		fmt.Fprintln(env.Stdout)
	}
	fmt.Fprintf(env.Stdout, "%d new, %d changed, %d unchanged", res.Counts["new"], res.Counts["changed"], res.Counts["unchanged"])
	if *apply {
		fmt.Fprintf(env.Stdout, "; applied %d, refused %d\n", res.Applied, res.Refused)
		if res.Refused > 0 {
			return fmt.Errorf("%d records refused (reasons above)", res.Refused)
		}
		return nil
	}
	fmt.Fprintln(env.Stdout, " (preview: run with --apply to write them)")
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
	n, err := posting.Export(b.Book, *to, *company)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d vouchers written to %s for Gateway → Import → Vouchers; they stay queued until a push confirms them\n", n, *to)
	return nil
}
