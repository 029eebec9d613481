package plan

import (
	"testing"
	"time"

	"upkeep/advisories"
)

// TestPickFamilyCycle: a CentOS cohort lands on the oldest RHEL-family
// release still in full support at the plan date (minimal), or the newest
// (latest); a maintenance-only release is taken only when nothing else is
// supported past the window.
func TestPickFamilyCycle(t *testing.T) {
	el := func(name, active, eol string) advisories.Cycle {
		return advisories.Cycle{Product: "rhel", Name: name,
			EOAS: advisories.PhaseEnd{Tracked: true, Date: day(active)}, EOL: advisories.PhaseEnd{Tracked: true, Date: day(eol)}}
	}
	cs := []advisories.Cycle{el("7", "2019-08-06", "2024-06-30"), el("8", "2024-05-31", "2029-05-31"), el("9", "2027-05-31", "2032-05-31"), el("10", "2030-05-31", "2035-05-31")}
	window := 180 * 24 * time.Hour
	for _, tc := range []struct {
		at       string
		strategy Strategy
		cycles   []advisories.Cycle
		want     string
	}{
		{"2026-12-01", Minimal, cs, "9"},
		{"2027-05-31", Minimal, cs, "9"}, // the last day of full support
		{"2027-06-01", Minimal, cs, "10"},
		{"2026-12-01", Latest, cs, "10"},
		{"2026-12-01", Minimal, cs[:2], "8"}, // only a maintenance-only release lives past the window
		{"2029-03-01", Minimal, cs[:2], ""},  // RHEL 8 ends inside the window
	} {
		at := day(tc.at)
		got, ok := pickFamilyCycle(tc.cycles, "7", at, at.Add(window), Options{Strategy: tc.strategy})
		if !ok {
			got.Name = ""
		}
		if got.Name != tc.want {
			t.Errorf("at %s %v over %d releases: %q, want %q", tc.at, tc.strategy, len(tc.cycles), got.Name, tc.want)
		}
	}
}
