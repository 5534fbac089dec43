package ewaybill

import (
	"strings"
	"testing"
)

func TestAnEWayBillIsValidOneDayPer200KmOrPart(t *testing.T) {
	for km, days := range map[int]int{0: 1, 12: 1, 200: 1, 201: 2, 400: 2, 401: 3, 1000: 5, 4000: 20} {
		if got := ValidDays(km); got != days {
			t.Errorf("%d km: %d days, want %d", km, got, days)
		}
	}
}

func TestADispatchNamesEveryProblemTheClerkCanFix(t *testing.T) {
	cases := []struct {
		d    Dispatch
		want string
	}{
		{Dispatch{}, "vehicle: enter the vehicle number"},
		{Dispatch{VehicleNo: "ka 05 ab 1234", Distance: 4001}, "distance: must be 0–4000 km"},
		{Dispatch{TransMode: 3, Distance: 900}, "trans_doc_no: by rail, air or ship|trans_doc_date: by rail, air or ship"},
		{Dispatch{TransMode: 7, VehicleNo: "KA05AB1234"}, "trans_mode: must be 1 (road)"},
		{Dispatch{TransporterID: "29AABCT1332L1ZX"}, "transporter_id: the transporter's GSTIN"},
	}
	for _, c := range cases {
		var got []string
		for _, p := range c.d.Problems() {
			got = append(got, p.Field+": "+p.Message)
		}
		for _, w := range strings.Split(c.want, "|") {
			if !strings.Contains(strings.Join(got, "\n"), w) {
				t.Errorf("%+v: %q lacks %q", c.d, got, w)
			}
		}
	}
	ok := Dispatch{VehicleNo: "ka-05 ab 1234", Distance: 12}
	if ps := ok.Problems(); len(ps) != 0 || ok.VehicleNo != "KA05AB1234" || ok.TransMode != ModeRoad {
		t.Fatalf("%+v %v", ok, ps)
	}
}
