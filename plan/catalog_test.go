package plan

import (
	"testing"

	"upkeep/advisories/version"
)

// TestCmpCycleMatchesJudge pins the planner's cycle order to the judge's
// upstream comparator: the rows where a semver library disagrees (letter
// patch levels, Java's underscore form) are the reason plan does not use one.
func TestCmpCycleMatchesJudge(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"9", "10", -1},
		{"1.0.2", "1.1.1", -1},
		{"1.0.2k", "1.0.2", 1}, // OpenSSL's letter releases come after the bare one
		{"1.8.0_402", "1.8.0_392", 1},
		{"8.4", "8.0", 1},
		{"8", "8.0", -1}, // equal versions: text breaks the tie
		{"3.0", "3.0", 0},
	} {
		if got := cmpCycle(tc.a, tc.b); got != tc.want {
			t.Errorf("cmpCycle(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := -cmpCycle(tc.b, tc.a); got != tc.want {
			t.Errorf("cmpCycle(%q, %q) is not antisymmetric", tc.b, tc.a)
		}
		if v := version.Compare(version.Upstream, tc.a, tc.b); v != 0 && v != tc.want {
			t.Errorf("planner and judge disagree on %q vs %q", tc.a, tc.b)
		}
	}
}
