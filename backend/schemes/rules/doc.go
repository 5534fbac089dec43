// Package rules is what a trade scheme is and what it gives, with nothing
// stored: the definitions (Scheme, Decode, Validate), the engine
// (Evaluate), the rule of a return (FreeOnKept on the invoice as Kept,
// FreeKept on one line) and the reading of a
// brand's circular (ReadCircular). It reads no book, so the distributor's
// book (package schemes) and head office's claim check use one copy of
// every rule and agree to the paisa and the piece.
//
// Evaluate is pure and deterministic: the same invoice, schemes and usage
// give the same Result, byte for byte. Billing calls it (through package
// schemes) on every change of the bill and again inside the posting
// transaction.
//
// Always true of a Result:
//   - a line's scheme_discount_paise is never more than its value (gross
//     less the clerk's discount), and never negative;
//   - free quantity comes in whole sets only: buy 10 get 1 on 25 pieces is
//     2 free, never 2.5; it follows the quantity, appearing and
//     disappearing at the threshold, on every line that earns it;
//   - quantities are base units, so cases and pieces mix without error;
//   - no scheme gives more than its budget and the outlet's cap have left,
//     and when a cap cuts a benefit the explanation says so;
//   - at each level (a line; the bill) the outlet gets either one exclusive
//     scheme — the best — or every stackable one in priority order, each on
//     the net the ones before it left, whichever gives more; the notes say
//     why the others were left out;
//   - a bill-level discount is spread over its lines with money.Split, so
//     the shares add up to it exactly.
//
// Always true of a return: the outlet keeps the free goods a fresh bill
// for what it kept would earn under the scheme's own rule, never more than
// it was given; nothing kept keeps nothing.
//
// Scope: a scheme runs from valid_from to valid_to inclusive. Every scope
// list that is filled must match (items AND brands AND categories, channels
// AND beats AND states AND outlets); an empty list matches all. Category
// paths are segments joined by "/": a scheme on "Biscuits" covers
// "Biscuits/Cream" but not "Biscuits2". Codes (items, outlets) match exactly,
// names (brands, categories, channels, beats, states) without regard to case.
//
// Limits: a line below min_qty or min_value_paise gets nothing (and a near
// miss says how far it is); a line above max_qty or max_value_paise keeps
// the benefit of the maximum instead of losing it. Line-level schemes look
// at one line: billing sends one line per item and splits batches after.
// A combo pools the lines of each of its items; its min_qty and max_qty
// count whole sets.
//
// Near misses: a line (or the bill) at least half way through the step to
// the next benefit is told what is left: "2 pieces more → 1 free (B10)",
// "₹340.00 more on the bill → 2% off (IV)".
//
// A brand's circular (ReadCircular, CircularSpec) is one row per scheme,
// lists comma-separated, slabs as "10:5%; 25:7.5%".
package rules
