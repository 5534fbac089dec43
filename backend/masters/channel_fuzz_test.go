package masters

import (
	"strings"
	"testing"
	"unicode"
)

// Whatever an outlet file spells as its channel, ChannelKey gives a key
// that is words of lower-case letters and digits joined by single _, that
// is its own key (a code stored once resolves the same way for ever), and
// that is the same key however the words are spaced or punctuated.
func FuzzChannelKey(f *testing.F) {
	for _, s := range []string{"Modern Trade", "  general  stores ", "MT", "Kirana/General-Store", "van_sales", "", "___", "दवा दुकान", "İstanbul", "\xff\xfeab", "ǅ x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := ChannelKey(s)
		if k != "" && (strings.HasPrefix(k, "_") || strings.HasSuffix(k, "_") || strings.Contains(k, "__")) {
			t.Fatalf("ChannelKey(%q) = %q: an empty word", s, k)
		}
		for _, r := range k {
			if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("ChannelKey(%q) = %q holds %q", s, k, r)
			}
		}
		if again := ChannelKey(k); again != k {
			t.Fatalf("ChannelKey(%q) = %q, but its own key is %q", s, k, again)
		}
		if spaced := ChannelKey(" " + strings.ReplaceAll(k, "_", " - ") + "  "); spaced != k {
			t.Fatalf("%q spaced differently keys as %q, not %q", k, spaced, k)
		}
	})
}
