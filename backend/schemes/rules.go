package schemes

import "vitaran/backend/schemes/rules"

// The definitions, the engine and the rules of a return live in package
// rules, which reads no book, so head office checks claims with the very
// same code; these names keep the book side and its callers reading as
// before.
type (
	Scheme     = rules.Scheme
	Kind       = rules.Kind
	Slab       = rules.Slab
	ComboPart  = rules.ComboPart
	FieldError = rules.FieldError
	Invalid    = rules.Invalid
	Invoice    = rules.Invoice
	Outlet     = rules.Outlet
	Line       = rules.Line
	Usage      = rules.Usage
	Used       = rules.Used
	Result     = rules.Result
	LineResult = rules.LineResult
	Applied    = rules.Applied
	FreeLine   = rules.FreeLine
	NearMiss   = rules.NearMiss
	Set        = rules.Set
	Redemption = rules.Redemption
	Kept       = rules.Kept
	KeptLine   = rules.KeptLine
)

// The kinds of scheme.
const (
	Percent      = rules.Percent
	Flat         = rules.Flat
	BuyXGetY     = rules.BuyXGetY
	QtySlab      = rules.QtySlab
	ValueSlab    = rules.ValueSlab
	InvoiceValue = rules.InvoiceValue
	Combo        = rules.Combo
)

// ErrInvalid is rules.ErrInvalid.
var ErrInvalid = rules.ErrInvalid

// Decode reads one scheme definition (rules.Decode).
func Decode(raw []byte) (Scheme, error) { return rules.Decode(raw) }

// Prepare indexes schemes for repeated evaluation (rules.Prepare).
func Prepare(ss []Scheme) *Set { return rules.Prepare(ss) }

// Evaluate is what schemes give an invoice (rules.Evaluate).
func Evaluate(inv Invoice, ss []Scheme, usage Usage) Result { return rules.Evaluate(inv, ss, usage) }
