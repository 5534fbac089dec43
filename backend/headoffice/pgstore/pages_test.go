package pgstore_test

import (
	"reflect"
	"testing"
	"time"

	"vitaran/backend/headoffice"
	"vitaran/backend/headoffice/storetest"
)

// goPaged is the store without PagePlan: the receiver sums the list into a
// map and orders and cuts it in Go, as it does over the embedded store.
type goPaged struct {
	headoffice.Store
	headoffice.RollupSummer
	headoffice.PlanSummer
}

// A list paged in PostgreSQL (one query orders, counts, totals and cuts)
// is, page for page, the list the receiver pages itself from the same
// database's sums: the same rows in the same order, the same count and
// the same totals to the paisa.
func TestListsPagedInTheDatabaseAreTheReceiversPages(t *testing.T) {
	st := open(t, newDB(t))
	defer st.Close()
	storetest.SeedPaging(t, st)
	now := func() time.Time { return time.Date(2025, 10, 8, 2, 0, 0, 0, time.UTC) }
	db := headoffice.NewReceiver(st, headoffice.ReceiverOptions{Now: now})
	inGo := headoffice.NewReceiver(goPaged{st, st, st}, headoffice.ReceiverOptions{Now: now})
	for _, p := range []headoffice.Period{{From: "2025-10-01", To: "2025-10-31"}, {From: "2025-10-02", To: "2025-10-31"}, {From: "2025-10-06", To: "2025-10-06"}, {From: "2025-09-20", To: "2025-11-04"}} {
		for _, pg := range []headoffice.Page{{}, {Limit: 2}, {Limit: 2, Offset: 2}, {Limit: 3, Offset: 6}, {Limit: 5, Offset: 40}} {
			for _, q := range []headoffice.DrillQuery{{By: "distributor"}, {By: "distributor", Region: "North"}, {By: "distributor", Q: "d00"}, {By: "distributor", Region: "South", Q: "4"},
				{By: "beat"}, {By: "beat", Region: "South"}, {By: "beat", Q: "1/b2"}, {By: "salesman"}, {By: "salesman", Region: "North", Q: "sm"}} {
				q.Period, q.Page = p, pg
				a, errA := db.Drill(q)
				b, errB := inGo.Drill(q)
				if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
					t.Errorf("drill %+v:\n database %+v (%v)\n receiver %+v (%v)", q, a, errA, b, errB)
				}
			}
			for _, by := range []string{"", "distributor", "scheme"} {
				q := headoffice.SchemeQuery{Period: p, By: by, Page: pg}
				a, errA := db.SchemesOf(q)
				b, errB := inGo.SchemesOf(q)
				if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
					t.Errorf("schemes %+v:\n database %+v (%v)\n receiver %+v (%v)", q, a, errA, b, errB)
				}
			}
		}
	}
}
