package report

import (
	"fmt"
	"strings"

	"upkeep/advisories"
)

// History is the finding counts of the kept scans up to the report's own,
// as the commands that judged each scan recorded them: the burn-down.
type History struct {
	Points  []BurnPoint `json:"points"`  // oldest first; the last is the report's own scan
	Earlier int         `json:"earlier"` // older scans with counts, left out of the chart
	Missing []int64     `json:"missing"` // kept scans no command has recorded counts for, oldest first
}

// BurnPoint is one scan's findings as one judgment counted them.
type BurnPoint struct {
	ScanID   int64   `json:"scan_id"`
	ScanDate string  `json:"scan_date"` // the day the scan started, UTC
	At       string  `json:"at"`        // the evaluation day of the counts
	Data     string  `json:"data"`      // the data that judged it
	Same     bool    `json:"same"`      // judged with this report's data, upkeep build and options
	Hosts    int     `json:"hosts"`
	Scanned  int     `json:"scanned"`
	HostsEOL int     `json:"hosts_eol"`
	Waived   int     `json:"waived"`
	Findings []Count `json:"findings"` // findings no waiver accepts, per verdict, worst first
}

// openVerdicts are the verdicts a burn-down counts: everything that is not
// supported, unknown included (the data cannot tell: it needs a look).
var openVerdicts = []advisories.Verdict{advisories.VerdictEOL, advisories.VerdictUnpatched, advisories.VerdictEOLSoon, advisories.VerdictUnknown}

// Open is the findings that are not supported.
func (p BurnPoint) Open() []Count {
	var out []Count
	for _, c := range p.Findings {
		for _, v := range openVerdicts {
			if c.Label == string(v) {
				out = append(out, c)
			}
		}
	}
	return out
}

// OpenTotal is how many findings are not supported.
func (p BurnPoint) OpenTotal() int {
	n := 0
	for _, c := range p.Open() {
		n += c.Count
	}
	return n
}

// VerdictCounts lists the non-zero counts of m (verdict -> count), worst
// verdict first.
func VerdictCounts(m map[string]int) []Count { return verdictCounts(m) }

// BurndownNotes say what the burn-down leaves out or draws differently:
// scans without counts and how to fill them, counts made with other data.
func (r *Report) BurndownNotes() []string {
	h := r.History
	var out []string
	if n := len(h.Missing); n > 0 {
		ids := make([]string, 0, min(n, 10))
		for i, id := range h.Missing {
			if i == 10 {
				ids = append(ids, fmt.Sprintf("and %d more", n-10))
				break
			}
			ids = append(ids, fmt.Sprint(id))
		}
		out = append(out, fmt.Sprintf("%s no finding counts recorded, so %s not drawn: scan %s. Judge each once, for example with 'upkeep check --scan %d': check, readiness, plan and report record the counts of every whole scan they judge (not with --host or --account).",
			map[bool]string{true: "1 kept scan has", false: fmt.Sprintf("%d kept scans have", n)}[n == 1],
			map[bool]string{true: "it is", false: "they are"}[n == 1], strings.Join(ids, ", "), h.Missing[0]))
	}
	var other []string
	for _, p := range h.Points {
		if !p.Same {
			other = append(other, fmt.Sprintf("scan %d (%s)", p.ScanID, p.Data))
		}
	}
	if len(other) > 0 {
		out = append(out, "Counted with other data, another upkeep or other judging options than this report, so part of a change may be the data's: "+strings.Join(other, "; ")+". Judge a scan again with this report's flags to replace its counts.")
	}
	if h.Earlier > 0 {
		out = append(out, fmt.Sprintf("%s with counts not drawn: the chart shows the newest %d.", plural(h.Earlier, "earlier scan"), len(h.Points)))
	}
	return out
}

// burndownChart lays out one row per scan, oldest first: a stacked bar of
// its open findings per verdict, as long as their number, with the change
// from the row above and the day the counts were made.
func burndownChart(r *Report) svgChart {
	c := svgChart{ID: "burndown", Title: "Findings over the kept scans",
		Desc: "One bar per kept scan, oldest first: findings no waiver accepts that are eol, unpatched, eol-soon or unknown, each segment one verdict, as each scan was judged."}
	most := 1
	for _, p := range r.History.Points {
		most = max(most, p.OpenTotal())
	}
	const h = 40.0
	c.Top, c.BarH = 10, barH
	prev := -1
	for i, p := range r.History.Points {
		y := c.Top + float64(i)*h
		total := p.OpenTotal()
		b := svgBar{Y: y, TextY: px(y + barH/2 + 4), Label: fmt.Sprintf("scan %d · %s", p.ScanID, p.ScanDate), CaptionY: px(y + barH + 13)}
		b.Note = plural(total, "open finding")
		if prev >= 0 {
			b.Note += fmt.Sprintf(" (%+d)", total-prev)
		}
		prev = total
		x := plotX0
		for _, v := range p.Open() {
			w := float64(v.Count) / float64(most) * (plotX1 - plotX0)
			seg := svgBar{X: px(x), Y: y, W: px(w), H: barH, Class: "v-" + v.Label,
				Title: fmt.Sprintf("scan %d: %d %s", p.ScanID, v.Count, v.Label)}
			if w >= minLabelW {
				seg.Inside, seg.InsideX = fmt.Sprint(v.Count), px(x+w/2)
			}
			b.Segments = append(b.Segments, seg)
			x += w
		}
		counts := CountsText(p.Open())
		if counts == "" {
			counts = "none open"
		}
		b.Caption = fmt.Sprintf("%s · %s with eol findings · judged %s", counts, plural(p.HostsEOL, "host"), p.At)
		if !p.Same {
			b.Caption += " with other data: " + p.Data
		}
		b.Title = fmt.Sprintf("scan %d of %s: %s (%s), judged %s", p.ScanID, p.ScanDate, plural(total, "open finding"), counts, p.At)
		c.Rows = append(c.Rows, b)
	}
	c.Bottom = c.Top + float64(len(r.History.Points))*h
	c.Height = c.Bottom
	return c
}
