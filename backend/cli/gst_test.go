package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGSTR1IsWrittenForAMonthAndABadPeriodIsRefused(t *testing.T) {
	dir := shopDir(t) // two B2C invoices of 24-11-2026
	out := filepath.Join(t.TempDir(), "gstr1-112026.json")
	code, stdout, stderr := run("gst", "gstr1", "--period", "112026", "--out", out, "--data", dir)
	if code != 0 || !strings.Contains(stdout, "GSTR-1 for 112026 written") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		FP   string `json:"fp"`
		B2CS []struct {
			SplyTy string          `json:"sply_ty"`
			Txval  json.RawMessage `json:"txval"`
		} `json:"b2cs"`
	}
	// 14 Good Day at ₹30 = ₹420 within Tamil Nadu
	if err := json.Unmarshal(raw, &r); err != nil || r.FP != "112026" || len(r.B2CS) != 1 || string(r.B2CS[0].Txval) != "420.00" || r.B2CS[0].SplyTy != "INTRA" {
		t.Fatalf("%v %s", err, raw)
	}
	code, _, stderr = run("gst", "gstr1", "--period", "2026-11", "--out", out, "--data", dir)
	if code != 1 || !strings.Contains(stderr, "MMYYYY") {
		t.Fatalf("bad period: exit %d %s", code, stderr)
	}
}
