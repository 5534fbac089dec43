package excel

import (
	"strings"
	"unicode"
)

// norm reduces a header to the letters and digits that carry its meaning:
// "M.R.P. (₹)" → "mrp", "GST %" → "gst", " Item  Code* " → "itemcode".
// A bracketed unit hint is dropped unless it is all there is.
func norm(s string) string {
	if i := strings.IndexAny(s, "(["); i > 0 {
		if n := normPlain(s[:i]); n != "" {
			return n
		}
	}
	return normPlain(s)
}

func normPlain(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchHeader maps each cell of a candidate header row to a field. A cell
// that spells a field's canonical name wins over one that spells a synonym,
// so a file with both "Item Code" and "SKU" gives each its own field when
// both are fields. It returns col → field (-1 for none) and how many fields
// were found.
func matchHeader(spec *Spec, cells []string) ([]int, int) {
	cols := make([]int, len(cells))
	for i := range cols {
		cols[i] = -1
	}
	taken := make([]bool, len(spec.Fields))
	normed := make([]string, len(cells))
	for i, c := range cells {
		normed[i] = norm(c)
	}
	found := 0
	for pass := 0; pass < 2; pass++ {
		for i, n := range normed {
			if n == "" || cols[i] >= 0 {
				continue
			}
			for f := range spec.Fields {
				if taken[f] {
					continue
				}
				hit := false
				if pass == 0 {
					hit = norm(spec.Fields[f].Name) == n
				} else {
					for _, syn := range spec.Fields[f].Synonyms {
						if norm(syn) == n {
							hit = true
							break
						}
					}
				}
				if hit {
					cols[i], taken[f] = f, true
					found++
					break
				}
			}
		}
	}
	return cols, found
}
