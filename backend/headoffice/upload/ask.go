package upload

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"vitaran/backend/headoffice/wire"

	"vitaran/backend/cal"
)

// AskNumbers asks head office for the last number it holds of each series
// in the sales lines dated since.
func AskNumbers(ctx context.Context, set Settings, now time.Time, since cal.Date) (map[string]uint64, error) {
	if set.URL == "" || set.DistributorCode == "" || set.Key == "" {
		return nil, fmt.Errorf("uploads to head office are not set up")
	}
	client, err := (&Uploader{}).httpClient(set)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]cal.Date{"since": since})
	st, raw, err := sendSigned(ctx, client, set, wire.NumbersPath, "application/json", strconv.FormatInt(now.Unix(), 10), body)
	if err != nil {
		return nil, err
	}
	if st != http.StatusOK {
		var ref wire.Refusal
		json.Unmarshal(raw, &ref)
		return nil, fmt.Errorf("head office answered %d %s: %s", st, ref.Error, ref.Reason)
	}
	var a wire.NumbersAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("head office's answer: %w", err)
	}
	return a.Last, nil
}

// AskTotals asks head office for what it holds of this distributor's sales
// dated from..to (at most MaxTotalsDays days).
func AskTotals(ctx context.Context, set Settings, now time.Time, from, to cal.Date) (wire.TotalsAnswer, error) {
	var a wire.TotalsAnswer
	if set.URL == "" || set.DistributorCode == "" || set.Key == "" {
		return a, fmt.Errorf("uploads to head office are not set up")
	}
	client, err := (&Uploader{}).httpClient(set)
	if err != nil {
		return a, err
	}
	body, _ := json.Marshal(map[string]cal.Date{"from": from, "to": to})
	st, raw, err := sendSigned(ctx, client, set, wire.TotalsPath, "application/json", strconv.FormatInt(now.Unix(), 10), body)
	if err != nil {
		return a, err
	}
	if st != http.StatusOK {
		var ref wire.Refusal
		json.Unmarshal(raw, &ref)
		return a, fmt.Errorf("head office answered %d %s: %s", st, ref.Error, ref.Reason)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("head office's answer: %w", err)
	}
	return a, nil
}
