package report

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Chart geometry for the HTML writer: where each bar, tick and label goes in
// the inline SVG. Layout only; the numbers come from the model.

const (
	chartW     = 1000.0 // viewBox width of every chart
	plotX0     = 170.0  // bars start here; labels end just left of it
	plotX1     = 640.0  // bars end here; notes start just right of it
	noteX      = plotX1 + 10
	labelX     = plotX0 - 10
	rowH       = 22.0
	barH       = 14.0
	axisTop    = 44.0 // room for the year labels and the evaluation-day label
	minLabelW  = 48.0 // a segment narrower than this carries no text inside
	chartRound = 10   // coordinates are rounded to 1/chartRound of a unit
)

// px rounds a coordinate so the SVG text is short and stable.
func px(v float64) float64 { return math.Round(v*chartRound) / chartRound }

type svgTick struct {
	X     float64
	Label string
}

type svgBar struct {
	X, Y, W  float64
	TextY    float64 // baseline of the row's texts
	Class    string  // verdict or readiness class, for the fill
	Label    string  // left of the bar
	Inside   string  // in the bar, when it fits
	InsideX  float64
	Note     string // right of the bar
	Title    string // the tooltip and accessible name
	Dashed   bool   // no end date: the bar runs off the chart
	Segments []svgBar
	Caption  string
	CaptionY float64
	EdgeX    float64 // where a cycle ends inside a stacked bar; 0: no edge
	H        float64 // a segment's height: the chart's bar height unless it is a stripe
}

type svgChart struct {
	ID     string
	Title  string
	Desc   string
	Height float64
	BarH   float64
	Ticks  []svgTick
	AtX    float64
	AtText string
	Rows   []svgBar
	Top    float64 // y of the first row
	Bottom float64 // y below the last row, where grid lines end
}

// timelineChart lays out one row per product cycle: a bar from the left edge
// to its end date, a dashed line at the evaluation day.
func timelineChart(r *Report, at time.Time) svgChart {
	c := svgChart{ID: "timeline", Title: "End-of-life timeline",
		Desc: fmt.Sprintf("One bar per product cycle found in the fleet, ending at its end-of-support date; the dashed line is the evaluation day, %s.", r.At)}
	lo, hi := at.Year()-1, at.Year()+1
	for _, cy := range r.Cycles {
		if t, err := time.Parse(time.DateOnly, cy.EOLDate); err == nil {
			lo, hi = min(lo, t.Year()), max(hi, t.Year())
		}
	}
	// A chart spanning decades squeezes the years that matter: clamp it.
	lo, hi = max(lo, at.Year()-10), min(hi, at.Year()+10)
	start := time.Date(lo, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(hi+1, 1, 1, 0, 0, 0, 0, time.UTC)
	x := func(t time.Time) float64 {
		f := float64(t.Sub(start)) / float64(end.Sub(start))
		return px(plotX0 + math.Max(0, math.Min(1, f))*(plotX1-plotX0))
	}
	step := 1
	if hi-lo > 11 {
		step = 2
	}
	for y := lo; y <= hi+1; y += step {
		c.Ticks = append(c.Ticks, svgTick{X: x(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)), Label: fmt.Sprint(y)})
	}
	c.AtX, c.AtText = x(at), "evaluated "+r.At
	c.Top, c.BarH = axisTop, barH
	for i, cy := range r.Cycles {
		y := axisTop + float64(i)*rowH
		b := svgBar{X: plotX0, Y: px(y + (rowH-barH)/2), TextY: px(y + rowH/2 + 4), Class: "v-" + cy.Verdict,
			Label: cy.ProductLabel + " " + cy.Cycle}
		hosts := plural(cy.Hosts, "host") + " " + verdictsText(cy)
		if t, err := time.Parse(time.DateOnly, cy.EOLDate); err == nil {
			b.W = math.Max(2, x(t)-plotX0)
			b.Note = cy.EOLDate + " · " + hosts
			b.Title = fmt.Sprintf("%s %s: support ends %s; %s", cy.ProductLabel, cy.Cycle, cy.EOLDate, hosts)
		} else {
			b.W, b.Dashed = plotX1-plotX0, true
			b.Note = "no end date · " + hosts
			b.Title = fmt.Sprintf("%s %s: no end date announced; %s", cy.ProductLabel, cy.Cycle, hosts)
		}
		b.W = px(b.W)
		b.Segments = verdictStripes(b, cy)
		c.Rows = append(c.Rows, b)
	}
	c.Bottom = axisTop + float64(len(r.Cycles))*rowH
	c.Height = c.Bottom + 10
	return c
}

// spreadChart lays out one stacked bar per product: a segment per cycle,
// as wide as its host count, with a caption listing every cycle.
func spreadChart(r *Report) svgChart {
	c := svgChart{ID: "spread", Title: "Version spread per product",
		Desc: "One stacked bar per product; each segment is one release cycle, as wide as the number of hosts that run it."}
	most := 1
	for _, s := range r.Spread {
		n := 0
		for _, cy := range s.Cycles {
			n += cy.Hosts
		}
		most = max(most, n)
	}
	const h = 40.0
	c.Top, c.BarH = 10, barH
	for i, s := range r.Spread {
		y := c.Top + float64(i)*h
		b := svgBar{Y: y, TextY: px(y + barH/2 + 4), Label: s.ProductLabel, Note: plural(s.Hosts, "host"),
			Title: fmt.Sprintf("%s on %s", s.ProductLabel, plural(s.Hosts, "host")), CaptionY: px(y + barH + 13)}
		x := plotX0
		var parts []string
		for _, cy := range s.Cycles {
			w := float64(cy.Hosts) / float64(most) * (plotX1 - plotX0)
			b.Segments = append(b.Segments, verdictSegments(s.ProductLabel, cy, x, y, w)...)
			parts = append(parts, fmt.Sprintf("%s: %d %s", cy.Cycle, cy.Hosts, verdictsText(cy)))
			x += w
		}
		b.Note = plural(s.Hosts, "host")
		b.Caption = strings.Join(parts, " · ")
		c.Rows = append(c.Rows, b)
	}
	c.Bottom = c.Top + float64(len(r.Spread))*h
	c.Height = c.Bottom
	return c
}

// verdictSegments splits one cycle's part of a bar by verdict, each part
// as wide as its share of the cycle's hosts and in its verdict's colour:
// OpenSSL 3.0 on 8 hosts, 2 eol and 6 distro-supported, is a quarter red
// and three quarters blue, not all red. (A host with two verdicts in one
// cycle counts in both, so shares are of the verdict counts' sum.) The
// cycle's label goes on its last part, so no later part covers it, and an
// edge marks where the cycle ends.
func verdictSegments(product string, cy Cycle, x, y, w float64) []svgBar {
	verdicts := cy.Verdicts
	if len(verdicts) == 0 {
		verdicts = []Count{{Label: cy.Verdict, Count: cy.Hosts}}
	}
	sum := 0
	for _, v := range verdicts {
		sum += v.Count
	}
	var segs []svgBar
	at := x
	for _, v := range verdicts {
		vw := w
		if sum > 0 {
			vw = w * float64(v.Count) / float64(sum)
		}
		segs = append(segs, svgBar{X: px(at), Y: y, W: px(vw), H: barH, Class: "v-" + v.Label + " sub",
			Title: fmt.Sprintf("%s %s: %d of %s %s", product, cy.Cycle, v.Count, plural(cy.Hosts, "host"), v.Label)})
		at += vw
	}
	last := &segs[len(segs)-1]
	last.EdgeX = px(x + w)
	if w >= minLabelW {
		last.Inside, last.InsideX = fmt.Sprintf("%s (%d)", cy.Cycle, cy.Hosts), px(x+w/2)
	}
	return segs
}

// verdictStripes splits a timeline bar whose hosts have different
// verdicts into horizontal stripes, one per verdict, each as tall as its
// share: the bar's length is the cycle's date, its colours are its hosts'.
// A cycle with one verdict keeps its plain bar (nil).
func verdictStripes(b svgBar, cy Cycle) []svgBar {
	if len(cy.Verdicts) < 2 {
		return nil
	}
	sum := 0
	for _, v := range cy.Verdicts {
		sum += v.Count
	}
	var out []svgBar
	y := b.Y
	for _, v := range cy.Verdicts {
		h := barH * float64(v.Count) / float64(sum)
		class := "v-" + v.Label + " sub"
		if b.Dashed {
			class += " nodate"
		}
		out = append(out, svgBar{X: b.X, Y: px(y), W: b.W, H: px(h), Class: class,
			Title: fmt.Sprintf("%s %s: %d of %s %s", cy.ProductLabel, cy.Cycle, v.Count, plural(cy.Hosts, "host"), v.Label)})
		y += h
	}
	return out
}

// readinessChart is one stacked bar: ready, needs-work, blocked.
func readinessChart(r *Report) svgChart {
	s := r.Summary
	c := svgChart{ID: "readiness", Title: "Amazon Linux 2023 readiness",
		Desc: fmt.Sprintf("Scanned hosts by readiness for Amazon Linux 2023: %d ready, %d needs-work, %d blocked.", s.Ready, s.NeedsWork, s.Blocked),
		Top:  10, BarH: 22}
	total := s.Ready + s.NeedsWork + s.Blocked
	b := svgBar{Y: c.Top, TextY: px(c.Top + 15), Label: "scanned hosts", Note: plural(total, "host"), CaptionY: c.Top + 40}
	x := plotX0
	var parts []string
	for _, p := range []struct {
		label string
		n     int
	}{{"ready", s.Ready}, {"needs-work", s.NeedsWork}, {"blocked", s.Blocked}} {
		parts = append(parts, fmt.Sprintf("%s %d", p.label, p.n))
		if p.n == 0 {
			continue
		}
		w := float64(p.n) / float64(total) * (plotX1 - plotX0)
		seg := svgBar{X: px(x), Y: c.Top, W: px(w), H: c.BarH, Class: "r-" + p.label, Title: fmt.Sprintf("%s: %s", p.label, plural(p.n, "host"))}
		if w >= minLabelW {
			seg.Inside, seg.InsideX = fmt.Sprintf("%s %d", p.label, p.n), px(x+w/2)
		}
		b.Segments = append(b.Segments, seg)
		x += w
	}
	b.Caption = strings.Join(parts, " · ")
	c.Rows = []svgBar{b}
	c.Bottom = c.Top + 22
	c.Height = c.Top + 50
	return c
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Fixed columns, as methods so the row template can place its texts.
func (svgBar) LabelX() float64 { return labelX }
func (svgBar) NoteX() float64  { return noteX }
func (svgBar) X0() float64     { return plotX0 }

// verdictsText is the cycle's verdict, or its hosts per verdict when they
// differ ("(eol 1, distro-supported 6)").
func verdictsText(cy Cycle) string {
	if len(cy.Verdicts) > 1 {
		return "(" + CountsText(cy.Verdicts) + ")"
	}
	return cy.Verdict
}

// Bottom is the y of a segment's lower edge.
func (b svgBar) Bottom() float64 { return px(b.Y + b.H) }
