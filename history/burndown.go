package history

import (
	"cmp"
	"slices"
	"time"

	"upkeep/advisories"
	"upkeep/inventory"
	"upkeep/inventory/store"
	"upkeep/report"
)

// BurndownScans is how many scans the report's burn-down draws, the newest;
// older ones are counted, not drawn: a year of daily scans is not a chart.
const BurndownScans = 30

// Summarize counts what judging a whole scan found: hosts, hosts with an
// eol finding, findings per verdict (those a waiver accepts apart). The
// caller fills in what made the counts (day, data, build, options).
func Summarize(scanID int64, hosts []advisories.Judged) store.ScanSummary {
	s := store.ScanSummary{ScanID: scanID, Hosts: len(hosts), Findings: map[string]int{}}
	for i := range hosts {
		h := &hosts[i]
		if h.Scanned() {
			s.Scanned++
		}
		eol := false
		for _, f := range h.Findings {
			if f.Waived {
				s.Waived++
				continue
			}
			s.Findings[string(f.Status)]++
			eol = eol || f.Status == advisories.VerdictEOL
		}
		if eol {
			s.HostsEOL++
		}
	}
	return s
}

// sameMaking reports whether two summaries were made with the same data,
// build and options (the evaluation day aside).
func sameMaking(a, b store.ScanSummary) bool {
	return a.Data == b.Data && a.Upkeep == b.Upkeep && a.Options == b.Options
}

// Burndown chooses, for each kept scan up to current's (complete or
// partial ones; scans newest first as the store lists them), the recorded
// summary to draw: one made as current was (same data, build and options)
// if there is one, else any; among those, the one judged nearest the day
// the scan ran, so that each bar is the fleet as it stood then. current is
// the report's own scan, judged now. Kept scans without a summary are
// listed as missing.
func Burndown(scans []inventory.Scan, sums []store.ScanSummary, current store.ScanSummary, cur inventory.Scan) report.History {
	byScan := map[int64][]store.ScanSummary{}
	for _, s := range sums {
		byScan[s.ScanID] = append(byScan[s.ScanID], s)
	}
	h := report.History{Points: []report.BurnPoint{}, Missing: []int64{}}
	for _, sc := range slices.Backward(scans) { // oldest first
		if sc.ID == cur.ID {
			h.Points = append(h.Points, point(sc, current, true))
			continue
		}
		if !sc.Usable() || sc.Started.After(cur.Started) || sc.ID > cur.ID {
			continue
		}
		cands := byScan[sc.ID]
		if len(cands) == 0 {
			h.Missing = append(h.Missing, sc.ID)
			continue
		}
		if same := slices.DeleteFunc(slices.Clone(cands), func(s store.ScanSummary) bool { return !sameMaking(s, current) }); len(same) > 0 {
			cands = same
		}
		day := time.Date(sc.Started.Year(), sc.Started.Month(), sc.Started.Day(), 0, 0, 0, 0, time.UTC)
		best := slices.MinFunc(cands, func(a, b store.ScanSummary) int {
			return cmp.Or(cmp.Compare(absDays(a.At, day), absDays(b.At, day)), b.RecordedAt.Compare(a.RecordedAt))
		})
		h.Points = append(h.Points, point(sc, best, sameMaking(best, current)))
	}
	if n := len(h.Points) - BurndownScans; n > 0 {
		h.Earlier, h.Points = n, h.Points[n:]
	}
	return h
}

func absDays(a, b time.Time) time.Duration {
	d := a.Sub(b)
	if d < 0 {
		return -d
	}
	return d
}

func point(sc inventory.Scan, s store.ScanSummary, same bool) report.BurnPoint {
	return report.BurnPoint{ScanID: sc.ID, ScanDate: day(sc), At: s.At.Format(time.DateOnly), Data: s.Data, Same: same,
		Hosts: s.Hosts, Scanned: s.Scanned, HostsEOL: s.HostsEOL, Waived: s.Waived, Findings: report.VerdictCounts(s.Findings)}
}
