package tallysim

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func post(t *testing.T, url, body string) string {
	t.Helper()
	resp, err := http.Post(url, "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func start(t *testing.T, o Options) (*Server, string) {
	s := New(o)
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, url
}

const ledgerImport = `<ENVELOPE><HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER><BODY><IMPORTDATA><REQUESTDESC><REPORTNAME>All Masters</REPORTNAME></REQUESTDESC><REQUESTDATA><TALLYMESSAGE><LEDGER NAME="Ravi &amp; Sons" ACTION="Create"><PARENT>Sundry Debtors</PARENT></LEDGER></TALLYMESSAGE></REQUESTDATA></IMPORTDATA></BODY></ENVELOPE>`

func TestNoCompanyOpenAnswersWithNothing(t *testing.T) {
	_, url := start(t, Options{})
	if got := post(t, url, ledgerImport); got != "" {
		t.Fatalf("got %q", got)
	}
}

func TestLedgerCreatedOnceThenAlreadyExists(t *testing.T) {
	s, url := start(t, Options{Company: "ABC"})
	if got := post(t, url, ledgerImport); !strings.Contains(got, "<CREATED>1</CREATED>") {
		t.Fatalf("got %q", got)
	}
	if got := post(t, url, ledgerImport); !strings.Contains(got, "Ledger 'Ravi &amp; Sons' already exists!") {
		t.Fatalf("got %q", got)
	}
	if _, ok := s.HasLedger("ravi & sons"); !ok {
		t.Fatal("names are not case-sensitive in Tally")
	}
}

func TestNewFormGetsANewFormReply(t *testing.T) {
	_, url := start(t, Options{Company: "ABC"})
	body := `<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Import</TALLYREQUEST><TYPE>Data</TYPE><ID>All Masters</ID></HEADER><BODY><DESC><STATICVARIABLES><SVCURRENTCOMPANY>abc</SVCURRENTCOMPANY></STATICVARIABLES></DESC><DATA><TALLYMESSAGE><UNIT NAME="Nos" ACTION="Create"/></TALLYMESSAGE></DATA></BODY></ENVELOPE>`
	got := post(t, url, body)
	if !strings.Contains(got, "<STATUS>1</STATUS>") || !strings.Contains(got, "<IMPORTRESULT>") {
		t.Fatalf("got %q", got)
	}
}

func TestExportCarriesReservedPrefixes(t *testing.T) {
	_, url := start(t, Options{Company: "ABC"})
	got := post(t, url, `<ENVELOPE><HEADER><TALLYREQUEST>Export Data</TALLYREQUEST></HEADER><BODY><EXPORTDATA><REQUESTDESC><REPORTNAME>List of Accounts</REPORTNAME><STATICVARIABLES><ACCOUNTTYPE>Ledgers</ACCOUNTTYPE></STATICVARIABLES></REQUESTDESC></EXPORTDATA></BODY></ENVELOPE>`)
	if !strings.Contains(got, "<PARENT>&#4; Primary</PARENT>") || !strings.Contains(got, `<LEDGER NAME="Cash"`) {
		t.Fatalf("got %q", got)
	}
}

func TestOneRequestAtATime(t *testing.T) {
	s, url := start(t, Options{Company: "ABC"})
	s.SetFault(Hang)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		post(t, url, ledgerImport) // held until the hang is cleared
	}()
	time.Sleep(50 * time.Millisecond)
	done := make(chan string, 1)
	go func() { done <- post(t, url, ledgerImport) }()
	select {
	case <-done:
		t.Fatal("a second request was answered while the first was hung")
	case <-time.After(100 * time.Millisecond):
	}
	s.SetFault(None)
	wg.Wait()
	if got := <-done; !strings.Contains(got, "<CREATED>1</CREATED>") {
		t.Fatalf("queued request got %q", got)
	}
}
