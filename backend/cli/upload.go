package cli

import (
	"context"
	"errors"
	"fmt"

	"vitaran/backend/app"
)

func init() {
	register(command{"upload", "send sales to head office: set --url --distributor --key, and --now to upload at once (non-zero exit on failure)", runUpload})
}

func runUpload(env *Env, args []string) error {
	fs, data := flags(env, "upload")
	now := fs.Bool("now", false, "move what is posted into a batch and send every waiting batch now")
	url := fs.String("url", "", "head office's address, e.g. https://dms.brand.example")
	code := fs.String("distributor", "", "the distributor code head office registered")
	key := fs.String("key", "", "the key head office printed for this distributor")
	schedule := fs.String("schedule", "", `nightly schedule, cron's five fields (default "30 23 * * *")`)
	ca := fs.String("ca", "", "an extra CA certificate (PEM) to trust for head office's HTTPS")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := open(*data)
	if err != nil {
		return err
	}
	defer a.Close()
	if *url != "" || *code != "" || *key != "" || *schedule != "" || *ca != "" {
		cur, err := a.GetUploadSettings()
		if err != nil {
			return err
		}
		set := app.UploadSettings{URL: cur.URL, DistributorCode: cur.DistributorCode, Schedule: cur.Schedule, TimeZone: cur.TimeZone, CAFile: cur.CAFile}
		for _, f := range []struct{ v, into *string }{{url, &set.URL}, {code, &set.DistributorCode}, {key, &set.Key}, {schedule, &set.Schedule}, {ca, &set.CAFile}} {
			if *f.v != "" {
				*f.into = *f.v
			}
		}
		if _, err := a.SetUploadSettings(context.Background(), set); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Upload settings saved: %s as %s\n", set.URL, set.DistributorCode)
	}
	if *now {
		rep, err := a.UploadNow(context.Background())
		fmt.Fprintf(env.Stdout, "built %d batch(es), sent %d, waiting %d\n", len(rep.Built), len(rep.Sent), rep.Waiting)
		for _, id := range rep.Sent {
			fmt.Fprintf(env.Stdout, "  sent %s\n", id)
		}
		if err != nil {
			return fmt.Errorf("upload: %w", err)
		}
	}
	st, err := a.UploadStatus()
	if err != nil {
		return err
	}
	if !st.Configured {
		return errors.New("upload is not set up: give --url, --distributor and --key")
	}
	last := "never"
	if st.LastSuccess != nil {
		last = st.LastSuccess.Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(env.Stdout, "last successful upload: %s; waiting: %d batch(es), %d bytes", last, st.Waiting, st.WaitingBytes)
	if st.NextRun != nil {
		fmt.Fprintf(env.Stdout, "; next run %s", st.NextRun.Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintln(env.Stdout)
	if st.LastError != "" && st.Waiting > 0 {
		fmt.Fprintf(env.Stdout, "last error: %s\n", st.LastError)
	}
	return nil
}
