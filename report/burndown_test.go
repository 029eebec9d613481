package report

import (
	"strings"
	"testing"
)

func TestBurndownNotes(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    History
		want []string // each in one note, in order
	}{
		{"all drawn alike", History{Points: []BurnPoint{{ScanID: 1, Same: true}}}, nil},
		{"one missing", History{Points: []BurnPoint{{ScanID: 2, Same: true}}, Missing: []int64{1}},
			[]string{"1 kept scan has no finding counts recorded, so it is not drawn: scan 1. Judge each once, for example with 'upkeep check --scan 1'"}},
		{"many missing, other data, earlier", History{Points: []BurnPoint{{ScanID: 20, Data: "endoflife.date 2026-01-01"}, {ScanID: 21, Same: true}},
			Missing: []int64{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, Earlier: 2},
			[]string{"12 kept scans have no finding counts recorded, so they are not drawn: scan 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, and 2 more.",
				"other data, another upkeep or other judging options than this report, so part of a change may be the data's: scan 20 (endoflife.date 2026-01-01).",
				"2 earlier scans with counts not drawn: the chart shows the newest 2."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := (&Report{History: tc.h}).BurndownNotes()
			if len(got) != len(tc.want) {
				t.Fatalf("notes %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("note %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// TestBurndownChartEscapes: a data name is set by whoever stored the data;
// the chart carries it as text, never as markup.
func TestBurndownChartEscapes(t *testing.T) {
	r := &Report{At: "2026-11-24", History: History{Points: []BurnPoint{
		{ScanID: 1, ScanDate: "2026-11-17", At: "2026-11-17", Data: `<script>alert(1)</script>`, Findings: []Count{{"eol", 4}, {"supported", 9}}},
		{ScanID: 2, ScanDate: "2026-11-24", At: "2026-11-24", Same: true, Findings: []Count{{"eol", 1}, {"unknown", 1}}},
	}}, Summary: Summary{ByStatus: []Count{}, Findings: []Count{}}, PlanNotes: []string{}, Unscanned: []Unscanned{}}
	c := burndownChart(r)
	if len(c.Rows) != 2 || c.Rows[1].Note != "2 open findings (-2)" || len(c.Rows[0].Segments) != 1 {
		t.Errorf("rows %+v", c.Rows)
	}
	var b strings.Builder
	if err := WriteHTML(&b, r, 5); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") || !strings.Contains(b.String(), "&lt;script&gt;") {
		t.Errorf("the data name is not escaped in the HTML report")
	}
}
