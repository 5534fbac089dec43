package wire

import (
	"strconv"
	"unicode/utf8"

	"vitaran/backend/cal"
	"vitaran/backend/money"
)

// Sales lines are most of every batch, and encoding/json's reflection was
// half of ingest. decodeSalesLine reads the flat rows Vitaran writes — known
// keys, plain strings, integers, string arrays — by hand. Anything else
// (escapes, null, an unknown or differently cased key, a float where an
// integer belongs) makes it give up, and the caller decodes the row with
// encoding/json instead, so what is accepted and refused never changes.

type scan struct {
	b []byte
	i int
}

func (s *scan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *scan) byte(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str reads a string without escapes (false on anything else).
func (s *scan) str() (string, bool) {
	v, ok := s.strBytes()
	if !ok {
		return "", false
	}
	return string(v), true
}

// strLike is str that answers like itself when the bytes spell like: the
// invoice, date, outlet, beat and salesman of a row are mostly the previous
// row's, and reusing its strings spares most of a row's allocations.
func (s *scan) strLike(like string) (string, bool) {
	v, ok := s.strBytes()
	switch {
	case !ok:
		return "", false
	case string(v) == like:
		return like, true
	}
	return string(v), true
}

func (s *scan) strBytes() ([]byte, bool) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	ascii := true
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		switch {
		case c == '"':
			v := s.b[start:j]
			if !ascii && !utf8.Valid(v) {
				return nil, false
			}
			s.i = j + 1
			return v, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
	}
	return nil, false
}

// num reads a JSON number token.
func (s *scan) num() ([]byte, bool) {
	s.ws()
	j := s.i
	if j < len(s.b) && s.b[j] == '-' {
		j++
	}
	d := j
	for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
		j++
	}
	if j == d || (s.b[d] == '0' && j-d > 1) {
		return nil, false
	}
	isInt := true
	if j < len(s.b) && s.b[j] == '.' {
		isInt = false
		j++
		f := j
		for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
			j++
		}
		if j == f {
			return nil, false
		}
	}
	if j < len(s.b) && (s.b[j] == 'e' || s.b[j] == 'E') {
		isInt = false
		j++
		if j < len(s.b) && (s.b[j] == '+' || s.b[j] == '-') {
			j++
		}
		f := j
		for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
			j++
		}
		if j == f {
			return nil, false
		}
	}
	tok := s.b[s.i:j]
	s.i = j
	if isInt {
		return tok, true
	}
	return append([]byte{'.'}, tok...), true // marked: not an integer
}

func (s *scan) int() (int64, bool) {
	tok, ok := s.num()
	if !ok || tok[0] == '.' || len(tok) > 18 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(tok), 10, 64)
	return n, err == nil
}

func (s *scan) float() (float64, bool) {
	tok, ok := s.num()
	if !ok {
		return 0, false
	}
	if tok[0] == '.' {
		tok = tok[1:]
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	return f, err == nil
}

func (s *scan) strs() ([]string, bool) {
	if !s.byte('[') {
		return nil, false
	}
	out := []string{}
	if s.byte(']') {
		return out, true
	}
	for {
		v, ok := s.str()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if s.byte(']') {
			return out, true
		}
		if !s.byte(',') {
			return nil, false
		}
	}
}

// object walks one JSON object, handing each key to field, which reads
// the value; false anywhere means "use encoding/json".
func (s *scan) object(field func(key []byte) bool) bool {
	if !s.byte('{') {
		return false
	}
	if s.byte('}') {
		return s.end()
	}
	for {
		key, ok := s.strBytes()
		if !ok || !s.byte(':') || !field(key) {
			return false
		}
		if s.byte('}') {
			return s.end()
		}
		if !s.byte(',') {
			return false
		}
	}
}

func (s *scan) qty() (money.Qty, bool)     { n, ok := s.int(); return money.Qty(n), ok }
func (s *scan) paise() (money.Paise, bool) { n, ok := s.int(); return money.Paise(n), ok }
func (s *scan) lineNo() (int, bool)        { n, ok := s.int(); return int(n), ok }

func (s *scan) dateLike(prev cal.Date) (cal.Date, bool) {
	v, ok := s.strLike(string(prev))
	return cal.Date(v), ok
}

var noLine SalesLine

// decodeSalesLine decodes one row into l (which must be zero); false means
// "use encoding/json". prev, when not nil, is the row before, whose strings
// l may share.
func DecodeSalesLine(raw []byte, l, prev *SalesLine) bool {
	if prev == nil {
		prev = &noLine
	}
	s := &scan{b: raw}
	return s.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "doc_type":
			l.DocType, ok = s.strLike(prev.DocType)
		case "invoice_no":
			l.InvoiceNo, ok = s.strLike(prev.InvoiceNo)
		case "invoice_date":
			l.InvoiceDate, ok = s.dateLike(prev.InvoiceDate)
		case "line_no":
			l.LineNo, ok = s.lineNo()
		case "ref_invoice_no":
			l.RefInvoiceNo, ok = s.strLike(prev.RefInvoiceNo)
		case "outlet_code":
			l.OutletCode, ok = s.strLike(prev.OutletCode)
		case "beat_code":
			l.BeatCode, ok = s.strLike(prev.BeatCode)
		case "salesman_code":
			l.SalesmanCode, ok = s.strLike(prev.SalesmanCode)
		case "sku_code":
			l.SKUCode, ok = s.str()
		case "item_code":
			l.ItemCode, ok = s.str()
		case "batch_no":
			l.BatchNo, ok = s.str()
		case "qty":
			l.Qty, ok = s.qty()
		case "free_qty":
			l.FreeQty, ok = s.qty()
		case "rate_paise":
			l.RatePaise, ok = s.paise()
		case "discount_paise":
			l.DiscountPaise, ok = s.paise()
		case "taxable_paise":
			l.TaxablePaise, ok = s.paise()
		case "cgst_paise":
			l.CGSTPaise, ok = s.paise()
		case "sgst_paise":
			l.SGSTPaise, ok = s.paise()
		case "igst_paise":
			l.IGSTPaise, ok = s.paise()
		case "scheme_codes":
			l.SchemeCodes, ok = s.strs()
		case "order_id":
			l.OrderID, ok = s.strLike(prev.OrderID)
		case "order_lat":
			l.OrderLat, ok = s.float()
		case "order_lng":
			l.OrderLng, ok = s.float()
		case "order_taken_at":
			l.OrderTakenAt, ok = s.strLike(prev.OrderTakenAt)
		}
		return ok
	})
}

var noRedemption Redemption

// decodeRedemption is decodeSalesLine for a redemption row.
func DecodeRedemption(raw []byte, r, prev *Redemption) bool {
	if prev == nil {
		prev = &noRedemption
	}
	s := &scan{b: raw}
	return s.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "redemption_id":
			r.RedemptionID, ok = s.str()
		case "scheme_code":
			r.SchemeCode, ok = s.strLike(prev.SchemeCode)
		case "invoice_no":
			r.InvoiceNo, ok = s.strLike(prev.InvoiceNo)
		case "invoice_date":
			r.InvoiceDate, ok = s.dateLike(prev.InvoiceDate)
		case "line_no":
			r.LineNo, ok = s.lineNo()
		case "outlet_code":
			r.OutletCode, ok = s.strLike(prev.OutletCode)
		case "sku_code":
			r.SKUCode, ok = s.str()
		case "free_sku_code":
			r.FreeSKUCode, ok = s.str()
		case "free_qty":
			r.FreeQty, ok = s.qty()
		case "discount_paise":
			r.DiscountPaise, ok = s.paise()
		case "value_paise":
			r.ValuePaise, ok = s.paise()
		}
		return ok
	})
}

func (s *scan) end() bool {
	s.ws()
	return s.i == len(s.b)
}
