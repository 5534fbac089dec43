package schemes

import (
	"strings"

	"vitaran/backend/book"
	"vitaran/backend/fail"
	"vitaran/backend/schemes/rules"
)

// A scheme's terms are frozen once an invoice has redeemed it. A return
// recomputes what the kept invoice earns under the scheme's definition as
// stored (Reverse → rules.FreeOnKept), the claim states what the
// redemptions gave, and head office checks the claim with the circular it
// holds; were the terms edited after billing, all three would recompute
// under terms the outlet was never billed under. So Save refuses to change,
// on a scheme any invoice redeemed, anything the engine reads to decide what
// an invoice earns (package rules: appliesTo/Takes/Covers, onLine, onCombo,
// onBillValue, the stacking order):
//
//   - kind; valid_from (the start the redeemed invoices were judged by);
//   - the scope: items, brands, categories, channels, beats, states,
//     outlets;
//   - exclusive and priority (which schemes combine on a line or bill);
//   - the limits: min_qty, max_qty, min_value_paise, max_value_paise;
//   - the benefit: discount_bp, amount_paise, buy_qty, free_qty, free_item,
//     slabs, combo.
//
// What stays editable, because no return or claim recomputes with it:
//
//   - name (the engine only copies it onto notes);
//   - valid_to, to stop the scheme early or run it longer, but never to
//     before the last invoice that redeemed it (the claim for the scheme's
//     period would drop those invoices);
//   - budget_paise, budget_free_qty, per_outlet_cap_paise,
//     per_outlet_cap_qty: they cut what a later bill gets (Redeem re-checks
//     them), never what a return recomputes (FreeOnKept reads no cap and
//     Reverse never gives back more than was given).
//
// To change the terms, end the scheme and create a new one: the old
// invoices keep the terms they were billed under.

// termDiff is rules.TermDiff: head office freezes an issued circular's
// terms by the same list.
func termDiff(old, s *Scheme) []string { return rules.TermDiff(old, s) }

// FrozenTerms refuses (fail.Conflict, naming the first field and listing
// all) a change of old into s that an invoice's redemption forbids: a
// frozen term, or valid_to before the last invoice that redeemed it. nil
// when old was never redeemed or the change keeps to what stays editable.
func FrozenTerms(tx *book.Tx, old, s *Scheme) error {
	changed := termDiff(old, s)
	moved := s.ValidTo.Valid() && s.ValidTo != old.ValidTo
	if len(changed) == 0 && !moved {
		return nil
	}
	sp, err := RedeemedSpan(tx, old.Code)
	if err != nil || !sp.Used {
		return err
	}
	if len(changed) > 0 {
		return fail.Conflict(changed[0], "scheme %s has been redeemed by invoices since %s, so its terms are frozen: "+
			"returns, the brand claim and head office's check recompute what those invoices earn under the terms they were billed under. "+
			"%s cannot change; end this scheme (set its valid_to) and create a new one with the new terms. "+
			"The name, valid_to and the budgets and caps stay editable",
			old.Code, sp.First.Display(), strings.Join(changed, ", "))
	}
	if s.ValidTo.Before(sp.Last) {
		return fail.Conflict("valid_to", "scheme %s was redeemed by invoice %s of %s: valid_to cannot be before %s, "+
			"or the claim for the scheme's period would leave that invoice out. To stop the scheme now, end it today",
			old.Code, sp.LastInvoice, sp.Last.Display(), sp.Last.Display())
	}
	return nil
}
