package masters

import (
	"sort"
	"strings"
	"unicode"

	"vitaran/backend/book"
	"vitaran/backend/fail"
)

// Channel is a trade channel outlets belong to: the built-in ones and the
// distributor's own, each with the spellings that mean it (synonyms), so an
// outlet master's "Kirana", "General Stores" and "grocery" are one channel.
// Always true: a code or synonym means one channel only.
type Channel struct {
	Code     string   `json:"code"` // lower case, words joined by _: "modern_trade"
	Name     string   `json:"name"`
	Synonyms []string `json:"synonyms,omitempty"`
	BuiltIn  bool     `json:"built_in,omitempty"`
	// Removed are the built-in synonyms the distributor took off a built-in
	// channel (they mean nothing now, and may be given to another channel).
	// The book keeps it; a POST's own is ignored, worked out from Synonyms.
	Removed []string `json:"removed,omitempty"`
}

// builtInChannels every book has; a distributor adds synonyms to them (or
// takes theirs away) and channels of his own.
var builtInChannels = []Channel{
	{Code: "grocery", Name: "Grocery", Synonyms: []string{"kirana", "general store", "general stores", "provision store", "provisions"}},
	{Code: "chemist", Name: "Chemist", Synonyms: []string{"medical", "medicals", "medical store", "pharmacy", "drug store"}},
	{Code: "modern_trade", Name: "Modern trade", Synonyms: []string{"mt", "supermarket", "super market", "hypermarket", "mini mart"}},
	{Code: "wholesale", Name: "Wholesale", Synonyms: []string{"wholesaler", "semi wholesale", "sub stockist"}},
	{Code: "horeca", Name: "HoReCa", Synonyms: []string{"hotel", "restaurant", "cafe", "canteen"}},
	{Code: "cosmetics", Name: "Cosmetics", Synonyms: []string{"beauty", "cosmetic", "beauty store"}},
	{Code: "paan", Name: "Paan", Synonyms: []string{"pan", "paan shop", "pan shop"}},
	{Code: "other", Name: "Other"},
}

// ChannelKey is how a channel's code and synonyms compare: lower case,
// words joined by _ ("Modern Trade" → "modern_trade").
func ChannelKey(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(f, "_")
}

// ListChannels returns every channel, built-in and the distributor's, by code.
func ListChannels(tx *book.Tx) ([]Channel, error) {
	own, err := list[Channel](tx, bChannels, nil)
	if err != nil {
		return nil, err
	}
	byCode := map[string]Channel{}
	for _, c := range builtInChannels {
		c.BuiltIn = true
		byCode[c.Code] = c
	}
	for _, c := range own {
		if b, ok := byCode[c.Code]; ok {
			// A book written before synonyms could be removed keeps only
			// the additions; the union reads both the same way.
			kept, removed := split(b.Synonyms, c.Removed)
			c.BuiltIn, c.Synonyms, c.Removed = true, union(kept, c.Synonyms), removed
			if c.Name == "" {
				c.Name = b.Name
			}
		} else {
			c.Removed = nil
		}
		byCode[c.Code] = c
	}
	out := make([]Channel, 0, len(byCode))
	for _, c := range byCode {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// split parts a built-in channel's synonyms into those kept and those the
// distributor removed.
func split(builtIn, removed []string) (kept, gone []string) {
	out := map[string]bool{}
	for _, s := range removed {
		out[ChannelKey(s)] = true
	}
	for _, s := range builtIn {
		if out[ChannelKey(s)] {
			gone = append(gone, s)
		} else {
			kept = append(kept, s)
		}
	}
	return kept, gone
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		found := false
		for _, t := range out {
			found = found || ChannelKey(t) == ChannelKey(s)
		}
		if !found {
			out = append(out, s)
		}
	}
	return out
}

// ResolveChannel finds the channel a spelling means (its code or a synonym).
func ResolveChannel(tx *book.Tx, s string) (string, bool) {
	k := ChannelKey(s)
	if k == "" {
		return "", false
	}
	all, err := ListChannels(tx)
	if err != nil {
		return "", false
	}
	for _, c := range all {
		if c.Code == k {
			return c.Code, true
		}
	}
	for _, c := range all {
		for _, syn := range c.Synonyms {
			if ChannelKey(syn) == k {
				return c.Code, true
			}
		}
	}
	return "", false
}

// PutChannel creates a channel of the distributor's or changes one: its
// name and its synonyms, which are the channel's whole list, so a synonym
// left out is removed, a built-in channel's own too (its code stays). A
// synonym that already means another channel is refused, naming it. The
// audit log keeps the channel as it was and as it is, and names what was
// added and removed.
func PutChannel(tx *book.Tx, c Channel) (Channel, error) {
	c.Code = ChannelKey(c.Code)
	c.Name = strings.TrimSpace(c.Name)
	if c.Code == "" {
		return c, fail.Invalid("code", "is required: a word or two, like van_sales")
	}
	if len(c.Code) > 40 {
		return c, fail.Invalid("code", "is longer than 40 characters")
	}
	if c.Name == "" {
		c.Name = strings.ReplaceAll(c.Code, "_", " ")
	}
	var syn []string
	seen := map[string]bool{c.Code: true}
	for _, s := range c.Synonyms {
		k := ChannelKey(s)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		if other, ok := ResolveChannel(tx, k); ok && other != c.Code {
			return c, fail.Invalid("synonyms", "%q already means channel %s", s, other)
		}
		syn = append(syn, strings.TrimSpace(s))
	}
	if other, ok := ResolveChannel(tx, c.Code); ok && other != c.Code {
		return c, fail.Invalid("code", "%q already means channel %s", c.Code, other)
	}
	c.Synonyms, c.BuiltIn, c.Removed = syn, false, nil
	for _, b := range builtInChannels {
		if b.Code == c.Code {
			for _, s := range b.Synonyms {
				if !seen[ChannelKey(s)] {
					c.Removed = append(c.Removed, s)
				}
			}
		}
	}
	before, had := channelNamed(tx, c.Code)
	if err := putChannelRecord(tx, c); err != nil {
		return c, err
	}
	after, _ := channelNamed(tx, c.Code)
	action, was := "create", any(nil)
	if had {
		action, was = "update", before
	}
	if err := tx.Audit(action, "channel", c.Code, was, after, synonymChange(before.Synonyms, after.Synonyms)); err != nil {
		return c, err
	}
	return after, nil
}

// channelNamed is the channel with this code as the list shows it.
func channelNamed(tx *book.Tx, code string) (Channel, bool) {
	all, _ := ListChannels(tx)
	for _, x := range all {
		if x.Code == code {
			return x, true
		}
	}
	return Channel{}, false
}

// synonymChange says in words which synonyms a change added and removed.
func synonymChange(before, after []string) string {
	has := func(list []string, s string) bool {
		for _, t := range list {
			if ChannelKey(t) == ChannelKey(s) {
				return true
			}
		}
		return false
	}
	var added, removed []string
	for _, s := range after {
		if !has(before, s) {
			added = append(added, s)
		}
	}
	for _, s := range before {
		if !has(after, s) {
			removed = append(removed, s)
		}
	}
	var out []string
	if len(added) > 0 {
		out = append(out, "synonyms added: "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		out = append(out, "synonyms removed: "+strings.Join(removed, ", "))
	}
	return strings.Join(out, "; ")
}
