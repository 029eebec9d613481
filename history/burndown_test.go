package history

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"upkeep/inventory"
	"upkeep/inventory/store"
)

// TestBurndownChoice: which recorded counts each kept scan is drawn with.
func TestBurndownChoice(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	scan := func(id int64, d int, ok bool) inventory.Scan {
		s := inventory.Scan{ID: id, Started: day(d).Add(9 * time.Hour), Finished: day(d).Add(10 * time.Hour), Counts: map[inventory.Status]int{inventory.StatusOK: 3}}
		if !ok {
			s.Error = "failed"
		}
		return s
	}
	sum := func(id int64, at int, data string, eol int) store.ScanSummary {
		return store.ScanSummary{ScanID: id, At: day(at), Data: data, Upkeep: "v1", Options: "within=180", RecordedAt: day(at).Add(time.Duration(eol) * time.Minute),
			Findings: map[string]int{"eol": eol, "supported": 5}}
	}
	// Newest first, as the store lists them: 5 newer than the report's 4; 3 failed.
	scans := []inventory.Scan{scan(5, 20, true), scan(4, 17, true), scan(3, 15, false), scan(2, 10, true), scan(1, 3, true), scan(0, 1, true)}
	cur := sum(4, 17, "data B", 1)
	sums := []store.ScanSummary{
		sum(1, 3, "data A", 9),   // other data, on the scan's day
		sum(1, 4, "data B", 8),   // this report's data, a day later: preferred
		sum(1, 30, "data B", 2),  // this report's data, a month later
		sum(2, 10, "data A", 5),  // only other data: drawn, marked
		sum(4, 17, "data B", 99), // the report's own scan: its own counts win
		sum(5, 20, "data B", 0),  // newer than the report's scan: not drawn
	}
	h := Burndown(scans, sums, cur, scans[1])
	var got []string
	for _, p := range h.Points {
		got = append(got, fmt.Sprintf("%d %s %s %v %d", p.ScanID, p.ScanDate, p.At, p.Same, p.OpenTotal()))
	}
	want := []string{"1 2026-11-03 2026-11-04 true 8", "2 2026-11-10 2026-11-10 false 5", "4 2026-11-17 2026-11-17 true 1"}
	if !slices.Equal(got, want) {
		t.Errorf("points:\n%q\nwant\n%q", got, want)
	}
	if !slices.Equal(h.Missing, []int64{0}) || h.Earlier != 0 {
		t.Errorf("missing %v, earlier %d; want [0] (scan 0 has no counts; failed scan 3 is not kept for judging), 0", h.Missing, h.Earlier)
	}

	// More scans than the chart draws: the newest are drawn, the rest counted.
	scans, sums = nil, nil
	for id := int64(BurndownScans + 5); id >= 1; id-- {
		scans = append(scans, scan(id, 1, true))
		sums = append(sums, sum(id, 1, "data B", 1))
	}
	h = Burndown(scans, sums, sum(BurndownScans+5, 1, "data B", 1), scans[0])
	if len(h.Points) != BurndownScans || h.Earlier != 5 || h.Points[0].ScanID != 6 {
		t.Errorf("%d points from scan %d, %d earlier; want %d from scan 6, 5 earlier", len(h.Points), h.Points[0].ScanID, h.Earlier, BurndownScans)
	}
}
