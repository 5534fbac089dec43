package headoffice

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"vitaran/backend/headoffice/wire"

	"golang.org/x/crypto/bcrypt"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

//go:embed web/index.html
var dashboardPage []byte

const sessionCookie = "vitaran_ho_session"

func itoa(n int) string { return strconv.Itoa(n) }

// SetAdmin sets the dashboard's admin user and password (stored as a bcrypt hash).
func SetAdmin(store Store, user, password string) error {
	if user == "" || len(password) < 10 {
		return fmt.Errorf("admin: a user name and a password of at least 10 characters are required")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	if err != nil {
		return fmt.Errorf("admin password: %w", err)
	}
	return store.SetAdmin(user, hash)
}

// sessionTTL is how long a dashboard login lasts.
const sessionTTL = 12 * time.Hour

func (r *Receiver) openSession() (string, error) {
	var b [32]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	return id, r.store.OpenSession(id, r.opt.Now().Add(sessionTTL))
}

func (r *Receiver) sessionValid(id string) bool {
	ok, err := r.store.SessionValid(id, r.opt.Now())
	if err != nil {
		r.opt.Log.Error("head office: session", "err", err)
	}
	return ok && err == nil
}

func (r *Receiver) routeDashboard() {
	r.mux.HandleFunc("GET /{$}", r.page)
	r.mux.HandleFunc("GET /assets/{file...}", r.asset)
	r.mux.HandleFunc("POST /api/ho/login", r.login)
	r.mux.HandleFunc("POST /api/ho/logout", func(w http.ResponseWriter, req *http.Request) {
		if c, err := req.Cookie(sessionCookie); err == nil {
			if err := r.store.CloseSession(c.Value); err != nil {
				r.opt.Log.Error("head office: logout", "err", err)
			}
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	get := func(path string, fn func(req *http.Request) (any, error)) {
		r.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, req *http.Request) {
			c, err := req.Cookie(sessionCookie)
			if err != nil || !r.sessionValid(c.Value) {
				writeRefusal(w, http.StatusUnauthorized, "login_required", "log in first")
				return
			}
			v, err := fn(req)
			if err != nil {
				if ie, ok := err.(inputError); ok {
					writeRefusal(w, http.StatusBadRequest, "bad_input", string(ie))
					return
				}
				r.opt.Log.Error("head office: "+path, "err", err)
				writeRefusal(w, http.StatusInternalServerError, "store", err.Error())
				return
			}
			writeJSON(w, http.StatusOK, v)
		})
	}
	get("/api/ho/summary", func(req *http.Request) (any, error) {
		p, err := r.period(req)
		if err != nil {
			return nil, err
		}
		return r.Summary(p)
	})
	get("/api/ho/series", func(req *http.Request) (any, error) {
		p, err := r.period(req)
		if err != nil {
			return nil, err
		}
		q := req.URL.Query()
		return r.Series(SeriesQuery{Period: p, Step: q.Get("step"), Region: q.Get("region"), Distributor: q.Get("distributor")})
	})
	get("/api/ho/drill", func(req *http.Request) (any, error) {
		p, err := r.period(req)
		if err != nil {
			return nil, err
		}
		pg, err := pageParams(req)
		if err != nil {
			return nil, err
		}
		q := req.URL.Query()
		return r.Drill(DrillQuery{Period: p, By: q.Get("by"), Region: q.Get("region"), Distributor: q.Get("distributor"), Beat: q.Get("beat"), Brand: q.Get("brand"), Q: q.Get("q"), Page: pg})
	})
	get("/api/ho/stock", func(req *http.Request) (any, error) {
		p, err := r.period(req)
		if err != nil {
			return nil, err
		}
		th, err := intParam(req, "threshold", 30)
		if err != nil {
			return nil, err
		}
		pg, err := pageParams(req)
		if err != nil {
			return nil, err
		}
		q := req.URL.Query()
		var codes []string
		if v := q.Get("codes"); v != "" {
			codes = strings.Split(v, ",")
			if len(codes) > PageMax {
				return nil, inputError("codes: at most " + itoa(PageMax) + " distributor codes")
			}
		}
		return r.StockCoverOf(StockQuery{Period: p, Threshold: th, Region: q.Get("region"), Codes: codes, Q: q.Get("q"), Page: pg})
	})
	get("/api/ho/freshness", func(req *http.Request) (any, error) {
		h, err := intParam(req, "late_hours", 36)
		if err != nil {
			return nil, err
		}
		return r.Freshness(time.Duration(h) * time.Hour)
	})
	get("/api/ho/schemes", func(req *http.Request) (any, error) {
		p, err := r.period(req)
		if err != nil {
			return nil, err
		}
		pg, err := pageParams(req)
		if err != nil {
			return nil, err
		}
		q := req.URL.Query()
		return r.SchemesOf(SchemeQuery{Period: p, By: q.Get("by"), Q: q.Get("q"), Page: pg})
	})
	get("/api/ho/claims", func(req *http.Request) (any, error) {
		p, err := r.period(req)
		if err != nil {
			return nil, err
		}
		pg, err := pageParams(req)
		if err != nil {
			return nil, err
		}
		pages := ClaimPages{ByScheme: pg, ByDistributor: pg, Flags: pg}
		for _, x := range []struct {
			name string
			into *Page
		}{{"by_scheme_offset", &pages.ByScheme}, {"by_distributor_offset", &pages.ByDistributor}, {"flags_offset", &pages.Flags}} {
			if x.into.Offset, err = intParam(req, x.name, pg.Offset); err != nil {
				return nil, err
			}
		}
		sum, err := CheckClaims(r.store, r.opt.Schemes, p.From, p.To)
		if err != nil {
			return nil, err
		}
		return sum.Paged(pages), nil
	})
}

func (r *Receiver) login(w http.ResponseWriter, req *http.Request) {
	if !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
		writeRefusal(w, http.StatusUnsupportedMediaType, "bad_content_type", "send {\"user\",\"password\"} as application/json")
		return
	}
	var in struct{ User, Password string }
	if err := json.NewDecoder(http.MaxBytesReader(w, req.Body, 4096)).Decode(&in); err != nil {
		writeRefusal(w, http.StatusBadRequest, "bad_input", "send {\"user\",\"password\"}")
		return
	}
	from := req.RemoteAddr
	if host, _, err := net.SplitHostPort(from); err == nil {
		from = host
	}
	now := r.opt.Now()
	if wait := r.logins.Blocked(in.User, from, now); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeRefusal(w, http.StatusTooManyRequests, "too_many_logins", fmt.Sprintf("too many failed logins: try again in %d seconds", secs))
		return
	}
	user, hash, err := r.store.Admin()
	if err != nil {
		writeRefusal(w, http.StatusInternalServerError, "store", err.Error())
		return
	}
	if user == "" {
		writeRefusal(w, http.StatusUnauthorized, "no_admin", "no dashboard admin is set yet; set one with SetAdmin (vitaran headoffice set-admin)")
		return
	}
	ok := subtle.ConstantTimeCompare([]byte(user), []byte(in.User)) == 1
	// The hash is compared even for a wrong user, so both take the same time.
	if bcrypt.CompareHashAndPassword(hash, []byte(in.Password)) != nil || !ok {
		wait, refused := r.logins.Fail(in.User, from, now)
		r.opt.Log.Warn("head office: failed login", "user", in.User, "from", from, "locked_seconds", int(wait.Seconds()), "refused_while_locked", refused)
		writeRefusal(w, http.StatusUnauthorized, "bad_login", "wrong user or password")
		return
	}
	r.logins.OK(in.User, from, now)
	id, err := r.openSession()
	if err != nil {
		writeRefusal(w, http.StatusInternalServerError, "store", err.Error())
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: req.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
	writeJSON(w, http.StatusOK, map[string]string{"user": user})
}

type inputError string

func (e inputError) Error() string { return string(e) }

func intParam(req *http.Request, name string, def int) (int, error) {
	v := req.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, inputError(name + ": a whole number ≥ 0")
	}
	return n, nil
}

// Period is an inclusive range of days.
type Period struct {
	From cal.Date `json:"from"`
	To   cal.Date `json:"to"`
}

// Days counts the days in the period.
func (p Period) Days() int { return p.From.DaysUntil(p.To) + 1 }

func (r *Receiver) period(req *http.Request) (Period, error) {
	q := req.URL.Query()
	to := cal.Of(r.opt.Now().In(cal.IST))
	if v := q.Get("to"); v != "" {
		d, err := cal.Parse(v)
		if err != nil {
			return Period{}, inputError("to: a YYYY-MM-DD date")
		}
		to = d
	}
	from := to.AddDays(-29)
	if v := q.Get("from"); v != "" {
		d, err := cal.Parse(v)
		if err != nil {
			return Period{}, inputError("from: a YYYY-MM-DD date")
		}
		from = d
	}
	if to.Before(from) {
		return Period{}, inputError("from must not be after to")
	}
	if from.DaysUntil(to) > 3*366 {
		return Period{}, inputError("a period is at most three years")
	}
	return Period{From: from, To: to}, nil
}

// Summary is the national picture for a period.
type Summary struct {
	Period               Period      `json:"period"`
	Distributors         int         `json:"distributors"`
	Secondary            Sum         `json:"secondary"`
	Primary              Sum         `json:"primary"`
	StockQty             money.Qty   `json:"stock_qty"`
	StockValuePaise      money.Paise `json:"stock_value_paise"`
	DaysOfCover          *int64      `json:"days_of_cover"`
	SchemeRedemptions    int64       `json:"scheme_redemptions"`
	SchemeCostPaise      money.Paise `json:"scheme_cost_paise"`
	SecondaryToPrimaryBP money.BP    `json:"secondary_to_primary_bp"`
}

// everyone selects every registered distributor.
func (r *Receiver) everyone() *selection {
	return &selection{all: true, load: func() ([]Listed, error) { return r.store.Directory("") }}
}

// Summary totals primary, secondary, stock and scheme cost over every distributor.
func (r *Receiver) Summary(p Period) (*Summary, error) {
	regions, err := r.store.Regions()
	if err != nil {
		return nil, err
	}
	out := &Summary{Period: p}
	for _, n := range regions {
		out.Distributors += n
	}
	sel := r.everyone()
	for _, x := range []struct {
		roll Rollup
		into *Sum
	}{{RollSalesDist, &out.Secondary}, {RollPrimaryDist, &out.Primary}} {
		if err := r.sumRollups(x.roll, sel, p, groupNone, false, func(_, _ string, s Sum) error { x.into.Add(s); return nil }); err != nil {
			return nil, err
		}
	}
	if err := r.sumRollups(RollScheme, sel, p, groupNone, false, func(_, _ string, sc Sum) error {
		out.SchemeRedemptions += sc.Lines
		out.SchemeCostPaise += sc.Value
		return nil
	}); err != nil {
		return nil, err
	}
	// Each distributor's sales rate over the days it reported, in
	// thousandths of a unit a day, so the national cover weighs every
	// distributor by its own rate. Over one whole month the regions' stock
	// cells hold those rates summed (see MonthGrain).
	var sold money.Qty
	if first, last, edges, whole := wholeMonths(p); whole && first == last && len(edges) == 0 {
		err = r.scanMonths(RollStockRegion, sel, first, last, false, false, func(_, _ string, s Sum) error {
			out.StockQty += s.Qty
			out.StockValuePaise += s.Value
			sold += s.Sold
			return nil
		})
	} else {
		var cs map[string]Cover
		cs, err = r.covers(sel, p, 0)
		for _, c := range cs {
			out.StockQty += c.StockQty
			out.StockValuePaise += c.StockValuePaise
			if c.days > 0 {
				sold += c.SoldQty * 1000 / money.Qty(c.days)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	out.DaysOfCover = daysOfCover(out.StockQty*1000, sold, 1)
	if out.Primary.Taxable > 0 {
		out.SecondaryToPrimaryBP = money.BP(int64(out.Secondary.Taxable) * 10000 / int64(out.Primary.Taxable))
	}
	return out, nil
}

// SeriesQuery is a period cut into steps, optionally for one region or
// distributor.
type SeriesQuery struct {
	Period      Period
	Step        string // day (default) | week (Monday to Sunday) | month (calendar)
	Region      string
	Distributor string
}

// SeriesPoint is one step's secondary and primary taxable value.
type SeriesPoint struct {
	From           cal.Date    `json:"from"`
	To             cal.Date    `json:"to"`
	SecondaryPaise money.Paise `json:"secondary_taxable_paise"`
	PrimaryPaise   money.Paise `json:"primary_taxable_paise"`
	SecondaryLines int64       `json:"secondary_lines"`
	// SecondaryInvoices counts invoices; a cancelled one counts none.
	SecondaryInvoices int64 `json:"secondary_invoices"`
}

// SeriesReport is the period's steps in date order, every step present
// (zero when nothing was sold or received).
type SeriesReport struct {
	From   cal.Date      `json:"from"`
	To     cal.Date      `json:"to"`
	Step   string        `json:"step"`
	Points []SeriesPoint `json:"points"`
}

// steps cuts p into days, weeks starting Monday or calendar months, the
// first and last clipped to p.
func steps(p Period, step string) ([]SeriesPoint, error) {
	end := func(d cal.Date) cal.Date { return d }
	switch step {
	case "day":
	case "week":
		// Sunday closes the week: Monday is 6 days from it, Sunday 0.
		end = func(d cal.Date) cal.Date { return d.AddDays((7 - int(d.Time().Weekday())) % 7) }
	case "month":
		end = func(d cal.Date) cal.Date {
			t := d.Time()
			return cal.Of(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1))
		}
	default:
		return nil, inputError("step: one of day, week, month")
	}
	var out []SeriesPoint
	for d := p.From; !p.To.Before(d); {
		e := end(d)
		if p.To.Before(e) {
			e = p.To
		}
		out = append(out, SeriesPoint{From: d, To: e})
		d = e.AddDays(1)
	}
	return out, nil
}

// Series is secondary and primary per step over the period, read in one
// pass over the day cells of each region (nationally or for a region) or of
// the distributor asked for: the points add up to Summary
// (and, filtered, to Drill) for the same period.
func (r *Receiver) Series(q SeriesQuery) (*SeriesReport, error) {
	if q.Step == "" {
		q.Step = "day"
	}
	pts, err := steps(q.Period, q.Step)
	if err != nil {
		return nil, err
	}
	at := make(map[cal.Date]int, q.Period.Days())
	for i, pt := range pts {
		for d := pt.From; !pt.To.Before(d); d = d.AddDays(1) {
			at[d] = i
		}
	}
	// Nationally or for a region, the region × day cells (see DayTwin);
	// for a distributor, its own.
	sales, primary := RollSalesDist, RollPrimaryDist
	var scopes []string
	if q.Distributor != "" {
		scopes = []string{q.Distributor}
		if q.Region != "" {
			d, ok, err := r.store.Distributor(q.Distributor)
			if err != nil {
				return nil, err
			}
			if !ok || d.Region != q.Region {
				scopes = nil
			}
		}
	} else {
		sales, primary = DayTwin(RollSalesDist), DayTwin(RollPrimaryDist)
		if q.Region != "" {
			scopes = []string{q.Region}
		} else {
			regions, err := r.store.Regions()
			if err != nil {
				return nil, err
			}
			for rg := range regions {
				scopes = append(scopes, rg)
			}
		}
	}
	for _, sc := range scopes {
		err := r.store.ScanRollup(sales, sc, q.Period.From, q.Period.To, func(day cal.Date, _ string, s Sum) error {
			pt := &pts[at[day]]
			pt.SecondaryPaise += s.Taxable
			pt.SecondaryLines += s.Lines
			pt.SecondaryInvoices += s.Invoices
			return nil
		})
		if err == nil {
			err = r.store.ScanRollup(primary, sc, q.Period.From, q.Period.To, func(day cal.Date, _ string, s Sum) error {
				pts[at[day]].PrimaryPaise += s.Taxable
				return nil
			})
		}
		if err != nil {
			return nil, err
		}
	}
	return &SeriesReport{From: q.Period.From, To: q.Period.To, Step: q.Step, Points: pts}, nil
}

// daysOfCover is stock ÷ average daily sales, in whole days; nil when
// nothing sold (cover is then unbounded).
func daysOfCover(stock, sold money.Qty, days int) *int64 {
	if sold <= 0 {
		return nil
	}
	v := int64(stock) * int64(days) / int64(sold)
	return &v
}

// Cover is one distributor's stock on hand and days of cover.
type Cover struct {
	Code            string      `json:"code"`
	Region          string      `json:"region"`
	StockDate       cal.Date    `json:"stock_date,omitempty"`
	StockQty        money.Qty   `json:"stock_qty"`
	StockValuePaise money.Paise `json:"stock_value_paise"`
	SoldQty         money.Qty   `json:"sold_qty"`
	DaysOfCover     *int64      `json:"days_of_cover"`
	Overstocked     bool        `json:"overstocked"`
	days            int         // days with a stock statement in the period
}

// StockCoverReport is one page of the distributors' cover: overstocked
// first, then the largest stock value, ties by code. Overstocked,
// TotalRows and Totals (distributors, overstocked, stock_qty,
// stock_value_paise, sold_qty) are over every distributor of the filter.
type StockCoverReport struct {
	Period        Period           `json:"period"`
	ThresholdDays int              `json:"threshold_days"`
	Distributors  []Cover          `json:"distributors"`
	Overstocked   int              `json:"overstocked"`
	TotalRows     int              `json:"total_rows"`
	Totals        map[string]int64 `json:"totals"`
	Offset        int              `json:"offset"`
	Limit         int              `json:"limit"`
}

// StockQuery is the stock cover list's filter and page.
type StockQuery struct {
	Period    Period
	Threshold int      // days of cover above which stock is overstocked (0: never)
	Region    string   // only this region's distributors ("" for all)
	Codes     []string // only these distributors (nil for all)
	Q         string   // only distributors whose code or region holds it
	Page      Page
}

// StockCover lists every distributor's stock on hand at the period's end
// and its days of cover against the period's average daily sales.
func (r *Receiver) StockCover(p Period, threshold int) (*StockCoverReport, error) {
	return r.StockCoverOf(StockQuery{Period: p, Threshold: threshold})
}

// StockCoverOf is one page of the stock cover list q asks for. The covers
// are read for the whole filter in bulk (see covers) and ordered in Go.
func (r *Receiver) StockCoverOf(q StockQuery) (*StockCoverReport, error) {
	ds, err := r.store.Directory(q.Region)
	if err != nil {
		return nil, err
	}
	if q.Codes != nil || q.Q != "" {
		want := make(map[string]bool, len(q.Codes))
		for _, c := range q.Codes {
			want[c] = true
		}
		kept := ds[:0:0]
		for _, d := range ds {
			if (q.Codes == nil || want[d.Code]) && matches(q.Q, d.Code, d.Region, d.Name) {
				kept = append(kept, d)
			}
		}
		ds = kept
	}
	p := q.Period
	out := &StockCoverReport{Period: p, ThresholdDays: q.Threshold, Offset: q.Page.Offset, Limit: q.Page.Limit}
	sel := &selection{all: q.Region == "" && q.Codes == nil && q.Q == "", listed: ds, loaded: true}
	cs, err := r.covers(sel, p, q.Threshold)
	if err != nil {
		return nil, err
	}
	all := make([]Cover, 0, len(ds))
	t := map[string]int64{"distributors": int64(len(ds)), "overstocked": 0, "stock_qty": 0, "stock_value_paise": 0, "sold_qty": 0}
	for _, d := range ds {
		c := cs[d.Code]
		c.Region = d.Region
		if c.Overstocked {
			out.Overstocked++
		}
		t["stock_qty"] += int64(c.StockQty)
		t["stock_value_paise"] += int64(c.StockValuePaise)
		t["sold_qty"] += int64(c.SoldQty)
		all = append(all, c)
	}
	t["overstocked"] = int64(out.Overstocked)
	slices.SortFunc(all, func(a, b Cover) int {
		if a.Overstocked != b.Overstocked {
			if a.Overstocked {
				return -1
			}
			return 1
		}
		return largestFirst(int64(a.StockValuePaise), int64(b.StockValuePaise), [2]string{a.Code, b.Code})
	})
	out.TotalRows, out.Totals, out.Distributors = len(all), t, cut(all, q.Page)
	return out, nil
}

// Fresh is one distributor's upload freshness.
type Fresh struct {
	Code        string     `json:"code"`
	Region      string     `json:"region"`
	LastUpload  *time.Time `json:"last_upload"`
	LastBatchID string     `json:"last_batch_id,omitempty"`
	DataTo      cal.Date   `json:"data_to,omitempty"`
	LagHours    *int64     `json:"lag_hours"`
	Late        bool       `json:"late"`
	// Conflicts: lines that reused a key head office held with other
	// content (see Distributor.Conflicts); the operator must look.
	Conflicts    int    `json:"conflicts,omitempty"`
	LastConflict string `json:"last_conflict,omitempty"`
}

// Freshness lists each distributor's last upload and lag; late are those
// with no upload within lateAfter (or none ever), listed first.
func (r *Receiver) Freshness(lateAfter time.Duration) ([]Fresh, error) {
	ds, err := r.store.Distributors()
	if err != nil {
		return nil, err
	}
	now := r.opt.Now()
	out := make([]Fresh, 0, len(ds))
	for _, d := range ds {
		f := Fresh{Code: d.Code, Region: d.Region, LastBatchID: d.LastBatchID, DataTo: d.DataTo, Late: true, Conflicts: d.Conflicts, LastConflict: d.LastConflict}
		if !d.LastUpload.IsZero() {
			t := d.LastUpload
			lag := int64(now.Sub(t) / time.Hour)
			f.LastUpload, f.LagHours, f.Late = &t, &lag, now.Sub(t) > lateAfter
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Late && !out[j].Late })
	return out, nil
}

// SchemeRow is one scheme's redemptions and cost for one distributor.
type SchemeRow struct {
	SchemeCode      string      `json:"scheme_code"`
	DistributorCode string      `json:"distributor_code"`
	Redemptions     int64       `json:"redemptions"`
	FreeQty         money.Qty   `json:"free_qty"`
	DiscountPaise   money.Paise `json:"discount_paise"`
	CostPaise       money.Paise `json:"cost_paise"`
}

// SchemeQuery is the scheme cost list's filter and page.
type SchemeQuery struct {
	Period Period
	// By is what a row is: "" a scheme at one distributor, "scheme" a
	// scheme over every distributor (distributor_code ""), "distributor"
	// a distributor over every scheme (scheme_code "").
	By   string
	Q    string // only rows whose scheme or distributor code holds it
	Page Page
}

// SchemeReport is one page of scheme cost rows, the costliest first (ties
// by scheme code, then distributor code); TotalRows and Totals
// (redemptions, free_qty, discount_paise, cost_paise) are over every row.
type SchemeReport struct {
	Period    Period           `json:"period"`
	By        string           `json:"by"`
	Rows      []SchemeRow      `json:"rows"`
	TotalRows int              `json:"total_rows"`
	Totals    map[string]int64 `json:"totals"`
	Offset    int              `json:"offset"`
	Limit     int              `json:"limit"`
}

// Schemes lists scheme cost and redemptions per scheme and distributor,
// every row.
func (r *Receiver) Schemes(p Period) ([]SchemeRow, error) {
	rep, err := r.SchemesOf(SchemeQuery{Period: p})
	if err != nil {
		return nil, err
	}
	return rep.Rows, nil
}

// SchemesOf is one page of the scheme cost list q asks for. The sums come
// grouped from the store (one query on PostgreSQL); they are ordered and
// cut in Go.
func (r *Receiver) SchemesOf(q SchemeQuery) (*SchemeReport, error) {
	g, byDim := groupCode, true
	switch q.By {
	case "":
	case "scheme":
		g = groupNone
	case "distributor":
		byDim = false
	default:
		return nil, inputError("by: scheme or distributor (or none: a row per scheme and distributor)")
	}
	t := map[string]int64{"redemptions": 0, "free_qty": 0, "discount_paise": 0, "cost_paise": 0}
	// By distributor (with or without the scheme) the store pages where it
	// can; by scheme the rows are few and read from the region cells.
	if pp, ok := r.store.(PlanPager); ok && g == groupCode {
		months, plus, minus := planOf(RollScheme, q.Period)
		a, err := pp.PagePlan(PlanPage{Roll: RollScheme, ByCode: true, ByDim: byDim, Months: months, Plus: plus, Minus: minus,
			OrderBy: "value", DimFirst: true, Q: q.Q, Page: q.Page})
		if err != nil {
			return nil, err
		}
		rows := make([]SchemeRow, 0, len(a.Rows))
		for _, rw := range a.Rows {
			rows = append(rows, SchemeRow{SchemeCode: rw.Dim, DistributorCode: rw.Code, Redemptions: rw.Sum.Lines, FreeQty: rw.Sum.FreeQty, DiscountPaise: rw.Sum.Discount, CostPaise: rw.Sum.Value})
		}
		t["redemptions"], t["free_qty"], t["discount_paise"], t["cost_paise"] = a.Total.Lines, int64(a.Total.FreeQty), int64(a.Total.Discount), int64(a.Total.Value)
		return &SchemeReport{Period: q.Period, By: q.By, Rows: rows, TotalRows: a.Count, Totals: t, Offset: q.Page.Offset, Limit: q.Page.Limit}, nil
	}
	all := []SchemeRow{}
	err := r.sumRollups(RollScheme, r.everyone(), q.Period, g, byDim, func(code, scheme string, s Sum) error {
		if !matches(q.Q, code, scheme) {
			return nil
		}
		t["redemptions"] += s.Lines
		t["free_qty"] += int64(s.FreeQty)
		t["discount_paise"] += int64(s.Discount)
		t["cost_paise"] += int64(s.Value)
		all = append(all, SchemeRow{SchemeCode: scheme, DistributorCode: code, Redemptions: s.Lines, FreeQty: s.FreeQty, DiscountPaise: s.Discount, CostPaise: s.Value})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b SchemeRow) int {
		return largestFirst(int64(a.CostPaise), int64(b.CostPaise), [2]string{a.SchemeCode, b.SchemeCode}, [2]string{a.DistributorCode, b.DistributorCode})
	})
	return &SchemeReport{Period: q.Period, By: q.By, Rows: cut(all, q.Page), TotalRows: len(all), Totals: t, Offset: q.Page.Offset, Limit: q.Page.Limit}, nil
}

// drillPaged is a list with a row per distributor (nationally or of a
// region: by distributor, or by its beats or salesmen, keyed code/dim)
// paged in the store: 25,000 distributors are one query that sends one
// page.
func drillPaged(pp PlanPager, q DrillQuery) (*DrillReport, error) {
	ask := PlanPage{Roll: RollSalesDist, Primary: RollPrimaryDist, Region: q.Region, Listed: true, ByCode: true, OrderBy: "taxable", Q: q.Q, Page: q.Page}
	switch q.By {
	case "beat":
		ask = PlanPage{Roll: RollSalesBeat, Region: q.Region, ByCode: true, ByDim: true, Joined: true, OrderBy: "taxable", Q: q.Q, Page: q.Page}
	case "salesman":
		ask = PlanPage{Roll: RollSalesSalesman, Region: q.Region, ByCode: true, ByDim: true, Joined: true, OrderBy: "taxable", Q: q.Q, Page: q.Page}
	}
	ask.Months, ask.Plus, ask.Minus = planOf(ask.Roll, q.Period)
	a, err := pp.PagePlan(ask)
	if err != nil {
		return nil, err
	}
	out := &DrillReport{Period: q.Period, By: q.By, Rows: make([]DrillRow, 0, len(a.Rows)), Total: a.Total, TotalRows: a.Count,
		Totals: sumTotals(a.Total), Offset: q.Page.Offset, Limit: q.Page.Limit}
	out.Totals["primary_taxable_paise"] = int64(a.Primary)
	for _, rw := range a.Rows {
		k := rw.Code
		if ask.Joined {
			k += "/" + rw.Dim // beats and salesmen are the distributor's own codes
		}
		out.Rows = append(out.Rows, DrillRow{Key: k, Name: rw.Name, Secondary: rw.Sum, PrimaryPaise: rw.Primary})
	}
	return out, nil
}

// DrillQuery picks one level of the drill and the filters above it.
type DrillQuery struct {
	Period      Period
	By          string // region | distributor | beat | outlet | salesman | brand | sku
	Region      string
	Distributor string
	Beat        string
	Brand       string
	Q           string // only rows whose key or name holds it (any case)
	Page        Page
}

// DrillRow is one member of a drill level: secondary sales, and primary
// where the level has it (region, distributor, brand, SKU).
type DrillRow struct {
	Key          string      `json:"key"`
	Name         string      `json:"name,omitempty"`
	Secondary    Sum         `json:"secondary"`
	PrimaryPaise money.Paise `json:"primary_taxable_paise"`
}

// DrillReport is one page of a drill level's rows, biggest secondary
// first (ties by key). Total is the secondary summed over every row of the
// level (not just the page); TotalRows counts them; Totals is Total and
// the primary taxable summed over them all.
type DrillReport struct {
	Period    Period           `json:"period"`
	By        string           `json:"by"`
	Rows      []DrillRow       `json:"rows"`
	Total     Sum              `json:"total"`
	TotalRows int              `json:"total_rows"`
	Totals    map[string]int64 `json:"totals"`
	Offset    int              `json:"offset"`
	Limit     int              `json:"limit"`
}

// Drill answers one level: national → region → distributor → beat →
// outlet, by salesman, or by brand → SKU.
func (r *Receiver) Drill(q DrillQuery) (*DrillReport, error) {
	if pp, ok := r.store.(PlanPager); ok && q.Distributor == "" && (q.By == "distributor" || q.By == "beat" || q.By == "salesman") {
		return drillPaged(pp, q)
	}
	sel := &selection{all: q.Region == "" && q.Distributor == "", load: func() ([]Listed, error) {
		l, err := r.store.Directory(q.Region)
		if q.Distributor == "" || err != nil {
			return l, err
		}
		for _, d := range l {
			if d.Code == q.Distributor {
				return []Listed{d}, nil
			}
		}
		return []Listed{}, nil
	}}
	if q.Distributor == "" {
		sel.region = q.Region
	}
	var err error
	rows := map[string]*DrillRow{}
	row := func(k string) *DrillRow {
		if rows[k] == nil {
			rows[k] = &DrillRow{Key: k}
		}
		return rows[k]
	}
	var brandOf map[string]wire.SKU
	needSKUs := q.By == "brand" || q.By == "sku"
	if needSKUs {
		brandOf = map[string]wire.SKU{}
		if err := r.store.SKUs(func(s wire.SKU) error { brandOf[s.SKUCode] = s; return nil }); err != nil {
			return nil, err
		}
	}
	p := q.Period
	switch q.By {
	case "region", "distributor", "":
		// Every member has a row, sold or not.
		g := groupRegion
		if q.By == "distributor" {
			g = groupCode
			l, err := sel.list()
			if err != nil {
				return nil, err
			}
			for _, d := range l {
				row(d.Code).Name = d.Name
			}
		} else if sel.all {
			regions, err := r.store.Regions()
			if err != nil {
				return nil, err
			}
			for rg := range regions {
				row(rg)
			}
		} else {
			l, err := sel.list()
			if err != nil {
				return nil, err
			}
			for _, d := range l {
				row(d.Region)
			}
		}
		err = r.sumRollups(RollSalesDist, sel, p, g, false, func(k, _ string, s Sum) error {
			row(k).Secondary.Add(s)
			return nil
		})
		if err == nil {
			err = r.sumRollups(RollPrimaryDist, sel, p, g, false, func(k, _ string, s Sum) error {
				row(k).PrimaryPaise += s.Taxable
				return nil
			})
		}
	case "beat", "salesman":
		roll := RollSalesBeat
		if q.By == "salesman" {
			roll = RollSalesSalesman
		}
		err = r.sumRollups(roll, sel, p, groupCode, true, func(code, dim string, s Sum) error {
			k := dim
			if q.Distributor == "" {
				k = code + "/" + dim // beats and salesmen are the distributor's own codes
			}
			row(k).Secondary.Add(s)
			return nil
		})
	case "outlet":
		if q.Distributor == "" {
			return nil, inputError("by=outlet needs distributor=CODE")
		}
		scope, lerr := sel.list()
		if lerr != nil {
			return nil, lerr
		}
		for _, d := range scope {
			names := map[string]string{}
			r.store.Outlets(d.Code, func(o wire.Outlet) error { names[o.OutletCode] = o.Name; return nil })
			err = r.store.ScanRollup(RollSalesOutlet, d.Code, p.From, p.To, func(_ cal.Date, dim string, s Sum) error {
				beat, outlet, _ := strings.Cut(dim, sep)
				if q.Beat != "" && beat != q.Beat {
					return nil
				}
				rw := row(outlet)
				rw.Name = names[outlet]
				rw.Secondary.Add(s)
				return nil
			})
			if err != nil {
				break
			}
		}
	case "brand", "sku":
		key := func(sku string) (string, bool) {
			s := brandOf[sku]
			if q.By == "brand" {
				return s.Brand, true
			}
			return sku, q.Brand == "" || s.Brand == q.Brand
		}
		err = r.sumRollups(RollSalesSKU, sel, p, groupNone, true, func(_, sku string, s Sum) error {
			if k, ok := key(sku); ok {
				row(k).Secondary.Add(s)
			}
			return nil
		})
		if err == nil {
			err = r.sumRollups(RollPrimarySKU, sel, p, groupNone, true, func(_, sku string, s Sum) error {
				if k, ok := key(sku); ok {
					row(k).PrimaryPaise += s.Taxable
				}
				return nil
			})
		}
	default:
		return nil, inputError("by: one of region, distributor, beat, outlet, salesman, brand, sku")
	}
	if err != nil {
		return nil, err
	}
	by := q.By
	if by == "" {
		by = "region"
	}
	// The level's rows are summed into one map by key whichever store
	// holds them (the sums come per distributor or region and are merged
	// here), so they are counted, totalled, ordered and cut in Go.
	all := make([]DrillRow, 0, len(rows))
	var primary money.Paise
	out := &DrillReport{Period: p, By: by, Offset: q.Page.Offset, Limit: q.Page.Limit}
	for _, rw := range rows {
		if q.By == "sku" {
			rw.Name = brandOf[rw.Key].Name
		}
		if !matches(q.Q, rw.Key, rw.Name) {
			continue
		}
		out.Total.Add(rw.Secondary)
		primary += rw.PrimaryPaise
		all = append(all, *rw)
	}
	slices.SortFunc(all, func(a, b DrillRow) int {
		return largestFirst(int64(a.Secondary.Taxable), int64(b.Secondary.Taxable), [2]string{a.Key, b.Key})
	})
	out.TotalRows, out.Totals = len(all), sumTotals(out.Total)
	out.Totals["primary_taxable_paise"] = int64(primary)
	out.Rows = cut(all, q.Page)
	return out, nil
}
