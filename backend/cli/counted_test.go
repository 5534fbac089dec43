package cli

import "testing"

// "checked 1 areas" read wrong: one of a thing is singular.
func TestTheCheckCountsInGoodEnglish(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 areas"}, {1, "1 area"}, {2, "2 areas"}, {11, "11 areas"}} {
		if got := counted(c.n, "area", "areas"); got != c.want {
			t.Errorf("%d: %q, want %q", c.n, got, c.want)
		}
	}
}
