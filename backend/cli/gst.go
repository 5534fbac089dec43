package cli

import (
	"encoding/json"
	"fmt"
	"os"
)

func init() {
	register(command{"gst", "GST returns: gstr1 --period MMYYYY --out FILE (the JSON the GST offline tool imports)", runGST})
}

func runGST(env *Env, args []string) error {
	if len(args) == 0 || args[0] != "gstr1" {
		fmt.Fprintln(env.Stderr, "usage: vitaran gst gstr1 --period MMYYYY --out FILE")
		return errUsage
	}
	fs, data := flags(env, "gst gstr1")
	period := fs.String("period", "", "the month, MMYYYY (112026 for November 2026)")
	out := fs.String("out", "", "the JSON file to write")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *period == "" || *out == "" {
		fmt.Fprintln(env.Stderr, "vitaran gst gstr1: --period MMYYYY and --out FILE are needed")
		return errUsage
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.GSTR1(*period)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(env.Stdout, "GSTR-1 for %s written to %s: %d B2B buyers, %d B2C large, %d B2C small rows, %d credit notes to registered buyers\n",
		*period, *out, len(r.B2B), len(r.B2CL), len(r.B2CS), len(r.CDNR))
	return nil
}
