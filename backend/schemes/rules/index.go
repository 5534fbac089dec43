package rules

import (
	"slices"
	"strings"
)

// lineIndex files each line-level scheme under the most selective of its
// item-scope lists — items, else brands, else categories — or as open when
// it names none. A line's candidates are the open schemes and those filed
// under its item, its brand, or its category path and each path above it;
// covers still decides, so the index may only ever find too many, never
// too few. Candidates come back as positions in the priority order.
type lineIndex struct {
	items, brands, cats map[string][]int32
	open                []int32
}

func newLineIndex(line []*Scheme) lineIndex {
	ix := lineIndex{items: map[string][]int32{}, brands: map[string][]int32{}, cats: map[string][]int32{}}
	for i, s := range line {
		pos := int32(i)
		switch {
		case len(s.Items) > 0:
			for _, it := range s.Items {
				ix.items[it] = appendOnce(ix.items[it], pos)
			}
		case len(s.Brands) > 0:
			for _, b := range s.Brands {
				k := fold(b)
				ix.brands[k] = appendOnce(ix.brands[k], pos)
			}
		case len(s.Categories) > 0:
			for _, c := range s.Categories {
				k := fold(cleanPath(c))
				ix.cats[k] = appendOnce(ix.cats[k], pos)
			}
		default:
			ix.open = append(ix.open, pos)
		}
	}
	return ix
}

func appendOnce(list []int32, pos int32) []int32 {
	if n := len(list); n > 0 && list[n-1] == pos {
		return list
	}
	return append(list, pos)
}

// fold is the key names are filed under: matchName compares without
// regard to case.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			return strings.ToLower(strings.ToUpper(s)) // ſ, K (Kelvin) fold as EqualFold does
		} else if 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// candidates returns, in buf, the positions of the schemes that may cover
// the line, ascending (priority order) and without repeats.
func (ix *lineIndex) candidates(l *Line, buf []int32) []int32 {
	buf = append(buf[:0], ix.open...)
	buf = append(buf, ix.items[l.Item]...)
	if l.Brand != "" && len(ix.brands) > 0 {
		buf = append(buf, ix.brands[fold(l.Brand)]...)
	}
	if l.Category != "" && len(ix.cats) > 0 {
		path := fold(cleanPath(l.Category))
		for i := 0; i <= len(path); i++ {
			if i == len(path) || path[i] == '/' {
				buf = append(buf, ix.cats[path[:i]]...)
			}
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}
