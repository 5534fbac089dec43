// Package schemes is the trade schemes in the distributor's book: the
// brand's promotions as saved, the redemptions that record what they gave,
// their reversals on a return, and the claim the distributor sends the
// brand. What a scheme is and gives — definitions, the engine, the rule of
// a return, the circular's reading — is package rules, which stores
// nothing; the names here (Scheme, Evaluate, …) are its own.
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
//     redemptions in its period;
//   - a scheme any invoice redeemed keeps the terms it was billed under
//     (Save and the circular import refuse to change them, terms.go), so a
//     return, the claim and head office's check all recompute under them.
//
// A brand's circular (ImportCircular) is read by rules.ReadCircular,
// checked against the item master and saved all or nothing; WriteClaim
// turns a ClaimStatement into the brand's workbook.
//
// Billing's posting transaction: Active → UsageOf → Evaluate → Redeem, all
// in one book transaction; a sales return calls Reverse in the credit
// note's transaction.
package schemes
