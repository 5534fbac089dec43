package rules

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestValidationNamesTheField(t *testing.T) {
	cases := []struct {
		name, json, field string
	}{
		{"no code", `{"name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_bp":500}`, "code"},
		{"an unknown kind", `{"code":"A","name":"x","kind":"bogof","valid_from":"2026-05-01","valid_to":"2026-05-31"}`, "kind"},
		{"a date written the Indian way", `{"code":"A","name":"x","kind":"percent","valid_from":"01-05-2026","valid_to":"2026-05-31","discount_bp":500}`, "valid_from"},
		{"ends before it starts", `{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-31","valid_to":"2026-05-01","discount_bp":500}`, "valid_to"},
		{"a percent scheme without a rate", `{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31"}`, "discount_bp"},
		{"more than 100%", `{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_bp":10001}`, "discount_bp"},
		{"a negative flat amount", `{"code":"A","name":"x","kind":"flat","valid_from":"2026-05-01","valid_to":"2026-05-31","amount_paise":-5}`, "amount_paise"},
		{"buy x get y without buy", `{"code":"A","name":"x","kind":"buy_x_get_y","valid_from":"2026-05-01","valid_to":"2026-05-31","free_qty":1}`, "buy_qty"},
		{"slabs that do not ascend", `{"code":"A","name":"x","kind":"qty_slab","valid_from":"2026-05-01","valid_to":"2026-05-31","slabs":[{"min_qty":24,"discount_bp":200},{"min_qty":12,"discount_bp":300}]}`, "slabs[1].min_qty"},
		{"a slab with two benefits", `{"code":"A","name":"x","kind":"value_slab","valid_from":"2026-05-01","valid_to":"2026-05-31","slabs":[{"min_value_paise":100,"discount_bp":200,"free_qty":1}]}`, "slabs[0]"},
		{"an invoice scheme with no threshold", `{"code":"A","name":"x","kind":"invoice_value","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_bp":200}`, "min_value_paise"},
		{"an invoice scheme giving an unnamed item", `{"code":"A","name":"x","kind":"invoice_value","valid_from":"2026-05-01","valid_to":"2026-05-31","min_value_paise":100,"free_qty":1}`, "free_item"},
		{"a combo of one item", `{"code":"A","name":"x","kind":"combo","valid_from":"2026-05-01","valid_to":"2026-05-31","combo":[{"item":"P","qty":1}],"amount_paise":100}`, "combo"},
		{"max below min", `{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_bp":100,"min_qty":10,"max_qty":5}`, "max_qty"},
		{"a misspelt field", `{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_pb":500}`, "json"},
		{"an empty channel", `{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_bp":500,"channels":[""]}`, "channels[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.json))
			var inv *Invalid
			if !errors.As(err, &inv) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v", err)
			}
			for _, f := range inv.Fields {
				if f.Field == tc.field {
					return
				}
			}
			t.Fatalf("no error on %s: %v", tc.field, err)
		})
	}
}

func TestAGoodCircularDecodes(t *testing.T) {
	s, err := Decode([]byte(`{"code":"BRIT-MAY-10P1","name":"Good Day 10+1","kind":"buy_x_get_y",
		"valid_from":"2026-05-01","valid_to":"2026-05-31","brands":["Britannia"],"categories":["Biscuits"],
		"channels":["Grocery"],"buy_qty":10,"free_qty":1,"budget_free_qty":5000,"per_outlet_cap_qty":24,"priority":2}`))
	if err != nil || s.BuyQty != 10 || s.Categories[0] != "Biscuits" || s.Exclusive {
		t.Fatalf("%+v %v", s, err)
	}
}

func FuzzDecodeScheme(f *testing.F) {
	for _, s := range []string{
		`{"code":"A","name":"x","kind":"percent","valid_from":"2026-05-01","valid_to":"2026-05-31","discount_bp":500}`,
		`{"code":"A","name":"x","kind":"qty_slab","valid_from":"2026-05-01","valid_to":"2026-05-31","slabs":[{"min_qty":24,"discount_bp":200}]}`,
		`{"code":"C","name":"x","kind":"combo","valid_from":"2026-05-01","valid_to":"2026-05-31","combo":[{"item":"P","qty":1},{"item":"B","qty":2}],"free_qty":1,"free_item":"G"}`,
		`{"code":"I","name":"x","kind":"invoice_value","valid_from":"2026-05-01","valid_to":"2026-05-31","slabs":[{"min_value_paise":100,"amount_paise":5}]}`,
		`{}`, `[`, `{"code":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := Decode(raw)
		if err != nil {
			var inv *Invalid
			if !errors.As(err, &inv) || len(inv.Fields) == 0 {
				t.Fatalf("error without fields: %v", err)
			}
			for _, fe := range inv.Fields {
				if fe.Field == "" || fe.Reason == "" {
					t.Fatalf("unnamed field error %+v", fe)
				}
			}
			return
		}
		// a valid scheme survives a round trip and never breaks the engine
		out, _ := json.Marshal(s)
		back, err := Decode(out)
		if err != nil {
			t.Fatalf("%s re-decodes with %v", out, err)
		}
		if again, _ := json.Marshal(back); string(again) != string(out) {
			t.Fatalf("round trip changed %s to %s", out, again)
		}
		inv := bill(goodDay(37), Line{Item: "P", Qty: 5}, Line{Item: "B", Qty: 9})
		inv.Date = s.ValidFrom
		r := Evaluate(inv, []Scheme{s}, nil)
		for _, l := range r.Lines {
			if l.SchemeDiscountPaise < 0 || l.SchemeDiscountPaise > l.ValuePaise {
				t.Fatalf("line %d discount %d of %d", l.Line, l.SchemeDiscountPaise, l.ValuePaise)
			}
		}
		if strings.Contains(string(out), "\x00") {
			t.Fatal("a NUL in a stored scheme")
		}
	})
}
