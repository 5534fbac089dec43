package headoffice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"vitaran/backend/book"
)

// Every list the dashboard answers over HTTP is a page: 100 rows unless
// limit says otherwise (at most 1,000), from offset, with the whole
// filter's count and totals beside it; a bad limit or offset is a 400
// naming the parameter. (The pages themselves are checked against both
// stores in storetest.)
func TestDashboardListsPageOverHTTP(t *testing.T) {
	st, err := OpenStore(t.TempDir(), book.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("a long enough secret"), bcrypt.MinCost)
	if err := st.SetAdmin("admin", hash); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 120; i++ {
		if err := st.AddDistributor(Distributor{Code: fmt.Sprintf("D%03d", i), Region: "South", Key: "k", AddedAt: pinned}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(NewReceiver(st, ReceiverOptions{Now: func() time.Time { return pinned }, Log: quiet()}).Handler())
	defer func() { srv.Close(); st.Close() }()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"user": "admin", "password": "a long enough secret"})
	if r, err := c.Post(srv.URL+"/api/ho/login", "application/json", bytes.NewReader(body)); err != nil || r.StatusCode != 200 {
		t.Fatalf("login: %v %v", r, err)
	}
	get := func(path string) (int, map[string]any) {
		t.Helper()
		r, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var v map[string]any
		json.NewDecoder(r.Body).Decode(&v)
		return r.StatusCode, v
	}
	const month = "from=2025-10-01&to=2025-10-31"
	for _, c := range []struct {
		path, list string
		rows       int
	}{
		{"/api/ho/drill?by=distributor&" + month, "rows", 120},
		{"/api/ho/stock?" + month, "distributors", 120},
		{"/api/ho/schemes?by=distributor&" + month, "rows", 0}, // nothing redeemed
	} {
		code, v := get(c.path)
		rows, _ := v[c.list].([]any)
		if code != 200 || len(rows) != min(c.rows, PageDefault) || v["total_rows"] != float64(c.rows) || v["limit"] != float64(PageDefault) || v["totals"] == nil {
			t.Errorf("%s: %d, %d rows, total_rows %v, limit %v, totals %v", c.path, code, len(rows), v["total_rows"], v["limit"], v["totals"])
		}
		code, v = get(c.path + "&limit=7&offset=115")
		if code != 200 || v["offset"] != float64(115) || v["limit"] != float64(7) {
			t.Errorf("%s page 115+7: %d %v", c.path, code, v)
		}
		for _, bad := range []struct{ q, name string }{{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=x", "limit"}, {"offset=-1", "offset"}} {
			code, v := get(c.path + "&" + bad.q)
			if reason, _ := v["reason"].(string); code != 400 || !strings.HasPrefix(reason, bad.name+":") {
				t.Errorf("%s&%s: %d %v; want 400 naming %s", c.path, bad.q, code, v, bad.name)
			}
		}
	}
	code, v := get("/api/ho/drill?by=distributor&q=D11&" + month)
	if code != 200 || v["total_rows"] != float64(10) {
		t.Errorf("search q=D11: %d, total_rows %v", code, v["total_rows"])
	}
	code, v = get("/api/ho/claims?limit=5&flags_offset=3&" + month)
	if pages, _ := v["pages"].(map[string]any); code != 200 || pages == nil || pages["flags"].(map[string]any)["offset"] != float64(3) || pages["by_scheme"].(map[string]any)["limit"] != float64(5) {
		t.Errorf("claims pages: %d %v", code, v)
	}
	if code, v := get("/api/ho/claims?flags_offset=-2&" + month); code != 400 || !strings.HasPrefix(v["reason"].(string), "flags_offset:") {
		t.Errorf("claims flags_offset=-2: %d %v", code, v)
	}
	if code, _ := get("/api/ho/schemes?by=outlet&" + month); code != 400 {
		t.Errorf("schemes by=outlet: %d", code)
	}
}
