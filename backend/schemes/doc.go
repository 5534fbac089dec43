// Package schemes is the trade-scheme engine: the brand's promotions as
// definitions, what they give an invoice, the redemptions that record it,
// and the claim the distributor sends the brand.
//
// Evaluate is pure and deterministic: the same invoice, schemes and usage
// give the same Result, byte for byte. Billing calls it on every change of
// the bill and again inside the posting transaction, then Redeem.
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
// Always true of the book (buckets schemes*, redemptions*):
//   - a scheme's usage counters equal the sum of its redemptions and
//     reversals, and Redeem refuses, inside the caller's transaction, any
//     redemption that would take a scheme past its budget or an outlet past
//     its cap — bbolt serialises writers, so two clerks cannot both spend
//     the last of a budget;
//   - redemptions are never changed: a return writes negative reversals,
//     and all returns of a line together reverse exactly the discount it
//     redeemed; free goods are reversed down to what the scheme's own rule
//     gives the invoice as kept (all its lines net of returns, Kept), so
//     returns never take back more free pieces than were given and the
//     whole invoice back takes back all of them;
//   - a claim's totals, per outlet and per invoice, equal the sum of the
//     redemptions in its period.
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
// A brand's circular (ImportCircular, CircularSpec) is one row per scheme,
// lists comma-separated, slabs as "10:5%; 25:7.5%"; it is saved all or
// nothing, and WriteClaim turns a ClaimStatement into the brand's workbook.
//
// Billing's posting transaction: Active → UsageOf → Evaluate → Redeem, all
// in one book transaction; a sales return calls Reverse in the credit
// note's transaction.
package schemes
