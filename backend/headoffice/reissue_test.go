package headoffice

import (
	"errors"
	"strings"
	"testing"

	"vitaran/backend/book"
	"vitaran/backend/cal"
)

// A brand reloads its circular mid-month. A scheme that has started keeps
// its terms, its place and the days it ran; the whole circular is refused
// (every problem named) and the one held stays; names, budgets, a later
// end, ending today and schemes not yet started may change.
func TestACircularInForceKeepsItsTerms(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	today := cal.MustParse("2025-10-15")
	load := func(rows ...[]any) error {
		t.Helper()
		ss, err := ReadSchemeFile(writeCircular(t, rows))
		if err != nil {
			t.Fatal(err)
		}
		return IssueSchemes(st, ss, today)
	}
	soap := []any{"SOAP10+1", "Soap 10+1", "Buy X Get Y", "01-10-2025", "31-10-2025", "SOAP", "grocery", "", 10, 1, "", ""}
	paste := []any{"PASTE5", "Paste 5%", "percent", "01-10-2025", "31-10-2025", "PASTE", "", "5%", "", "", "", "100"}
	diwali := []any{"DIWALI", "Diwali 3%", "percent", "01-11-2025", "30-11-2025", "SOAP", "", "3%", "", "", "", ""}
	if err := load(soap, paste, diwali); err != nil {
		t.Fatalf("first circular: %v", err)
	}

	soap5 := []any{"SOAP10+1", "Soap 10+1", "Buy X Get Y", "01-10-2025", "31-10-2025", "SOAP", "grocery", "", 5, 1, "", ""}
	diwali4 := []any{"DIWALI", "Diwali 4%", "percent", "01-11-2025", "30-11-2025", "SOAP", "", "4%", "", "", "", ""}
	err = load(soap5, diwali4)
	if !refused(err) {
		t.Fatalf("a circular rewriting SOAP10+1 and dropping PASTE5 was loaded (err %v)", err)
	}
	for _, want := range []string{"SOAP10+1 (in force since", "buy_qty cannot change", "PASTE5 (in force since", "is missing", "nothing was loaded"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "DIWALI") {
		t.Errorf("DIWALI has not started, yet the refusal names it:\n%v", err)
	}
	held, _ := st.IssuedSchemes()
	if len(held) != 3 {
		t.Fatalf("head office now holds %+v; want the first circular untouched", held)
	}
	for _, s := range held {
		if s.Code == "SOAP10+1" && s.BuyQty != 10 {
			t.Fatalf("SOAP10+1 now buys %d: the refused circular was half-loaded", s.BuyQty)
		}
	}

	// Renamed, a budget, run longer; PASTE5 ended today; DIWALI rewritten
	// before it starts.
	soapLonger := []any{"SOAP10+1", "Soap bonanza", "Buy X Get Y", "01-10-2025", "30-11-2025", "SOAP", "grocery", "", 10, 1, "", "5000"}
	pasteToday := []any{"PASTE5", "Paste 5%", "percent", "01-10-2025", "15-10-2025", "PASTE", "", "5%", "", "", "", "100"}
	if err := load(soapLonger, pasteToday, diwali4); err != nil {
		t.Fatalf("a circular that changes only what stays editable was refused: %v", err)
	}

	pasteYesterday := []any{"PASTE5", "Paste 5%", "percent", "01-10-2025", "14-10-2025", "PASTE", "", "5%", "", "", "", "100"}
	err = load(soapLonger, pasteYesterday, diwali4)
	if !refused(err) || !strings.Contains(err.Error(), "PASTE5") || !strings.Contains(err.Error(), "a day it already ran") {
		t.Fatalf("PASTE5 ended before a day it ran: got %v", err)
	}
}

func refused(err error) bool {
	var re *ReissueError
	return errors.As(err, &re)
}
