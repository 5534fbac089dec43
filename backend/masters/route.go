package masters

import (
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// Beat is a route a salesman covers on one weekday.
type Beat struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Weekday string `json:"weekday"` // Monday … Sunday; empty when not set (a beat an outlet import made from a file without the day)
}

// Salesman is a distributor salesman (DSR) who takes orders on beats.
type Salesman struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Phone  string `json:"phone,omitempty"`
	Active bool   `json:"active"`
}

// Godown is a stock location.
type Godown struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Damaged marks a godown whose stock is not saleable.
	Damaged bool `json:"damaged"`
}

// The godowns every book has.
const (
	MainGodown    = "MAIN"
	DamagedGodown = "DAMAGED"
)

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// NormalizeWeekday accepts "mon", "MONDAY", "Mon" … and returns "Monday".
func NormalizeWeekday(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range weekdays {
		if len(s) >= 3 && strings.HasPrefix(strings.ToLower(w), s) {
			return w, true
		}
	}
	return "", false
}

func (b *Beat) Validate() error {
	b.Code = NormalizeCode(b.Code)
	b.Name = strings.TrimSpace(b.Name)
	if err := validCode("code", b.Code); err != nil {
		return err
	}
	if err := required("name", b.Name); err != nil {
		return err
	}
	if strings.TrimSpace(b.Weekday) == "" {
		b.Weekday = ""
		return nil
	}
	w, ok := NormalizeWeekday(b.Weekday)
	if !ok {
		return fail.Invalid("weekday", "%q: use a day of the week (Monday … Sunday)", b.Weekday)
	}
	b.Weekday = w
	return nil
}

func (s *Salesman) Validate() error {
	s.Code = NormalizeCode(s.Code)
	s.Name = strings.TrimSpace(s.Name)
	if err := validCode("code", s.Code); err != nil {
		return err
	}
	return required("name", s.Name)
}

func (g *Godown) Validate() error {
	g.Code = NormalizeCode(g.Code)
	g.Name = strings.TrimSpace(g.Name)
	if err := validCode("code", g.Code); err != nil {
		return err
	}
	return required("name", g.Name)
}

// CreateBeat stores a new beat.
func CreateBeat(tx *book.Tx, b Beat) (Beat, error) {
	if err := b.Validate(); err != nil {
		return b, err
	}
	return b, put(tx, bBeats, "beat", b.Code, b, true)
}

// UpdateBeat stores a changed beat.
func UpdateBeat(tx *book.Tx, b Beat) (Beat, error) {
	if err := b.Validate(); err != nil {
		return b, err
	}
	return b, put(tx, bBeats, "beat", b.Code, b, false)
}

// GetBeat returns one beat.
func GetBeat(tx *book.Tx, code string) (Beat, error) { return get[Beat](tx, bBeats, "beat", code) }

// ListBeats returns beats matching q, in code order.
func ListBeats(tx *book.Tx, q string) ([]Beat, error) {
	return list(tx, bBeats, func(b *Beat) bool { return matches(q, b.Code, b.Name, b.Weekday) })
}

// CreateSalesman stores a new salesman.
func CreateSalesman(tx *book.Tx, s Salesman) (Salesman, error) {
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, put(tx, bSalesmen, "salesman", s.Code, s, true)
}

// UpdateSalesman stores a changed salesman.
func UpdateSalesman(tx *book.Tx, s Salesman) (Salesman, error) {
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, put(tx, bSalesmen, "salesman", s.Code, s, false)
}

// GetSalesman returns one salesman.
func GetSalesman(tx *book.Tx, code string) (Salesman, error) {
	return get[Salesman](tx, bSalesmen, "salesman", code)
}

// ListSalesmen returns salesmen matching q, in code order.
func ListSalesmen(tx *book.Tx, q string) ([]Salesman, error) {
	return list(tx, bSalesmen, func(s *Salesman) bool { return matches(q, s.Code, s.Name) })
}

// CreateGodown stores a new godown.
func CreateGodown(tx *book.Tx, g Godown) (Godown, error) {
	if err := g.Validate(); err != nil {
		return g, err
	}
	return g, put(tx, bGodowns, "godown", g.Code, g, true)
}

// UpdateGodown stores a changed godown. MAIN and DAMAGED keep their nature.
func UpdateGodown(tx *book.Tx, g Godown) (Godown, error) {
	if err := g.Validate(); err != nil {
		return g, err
	}
	if g.Code == MainGodown && g.Damaged || g.Code == DamagedGodown && !g.Damaged {
		return g, fail.Invalid("damaged", "the %s godown's nature cannot change", g.Code)
	}
	return g, put(tx, bGodowns, "godown", g.Code, g, false)
}

// GetGodown returns one godown.
func GetGodown(tx *book.Tx, code string) (Godown, error) {
	return get[Godown](tx, bGodowns, "godown", code)
}

// ListGodowns returns every godown, in code order.
func ListGodowns(tx *book.Tx, q string) ([]Godown, error) {
	return list(tx, bGodowns, func(g *Godown) bool { return matches(q, g.Code, g.Name) })
}

// EnsureDefaults creates the MAIN and DAMAGED godowns if missing.
func EnsureDefaults(tx *book.Tx) error {
	for _, g := range []Godown{{Code: MainGodown, Name: "Main godown"}, {Code: DamagedGodown, Name: "Damaged and expired", Damaged: true}} {
		if !exists(tx, bGodowns, g.Code) {
			if err := put(tx, bGodowns, "godown", g.Code, g, true); err != nil {
				return err
			}
		}
	}
	return nil
}
