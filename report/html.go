package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed templates/report.html.tmpl templates/report.css
var templateFS embed.FS

// htmlPage is what the template sees: the model, the chart layouts and the
// stylesheet.
type htmlPage struct {
	R         *Report
	CSS       template.CSS
	Charts    []svgChart      // timeline, spread, readiness, burn-down
	ByVerdict []VerdictGroups // R.FindingsByVerdict, made once
	HostLimit int
}

// WriteHTML writes the report as one self-contained HTML file: styles
// inline, charts as inline SVG, no scripts, nothing fetched. hostLimit caps
// the host names per row (0: all).
//
// The page streams into w: a report of a hundred thousand hosts is tens of
// megabytes, and holding it would double what the command needs. On an
// error w holds part of a page, so a caller that must never show half a
// report writes to a temporary file or a buffer (upkeep report does both).
func WriteHTML(w io.Writer, r *Report, hostLimit int) error {
	at, err := time.Parse(time.DateOnly, r.At)
	if err != nil {
		return fmt.Errorf("write html report: evaluation day %q: %w", r.At, err)
	}
	css, err := templateFS.ReadFile("templates/report.css")
	if err != nil {
		return fmt.Errorf("write html report: read stylesheet: %w", err)
	}
	// Parsed per call: the writer keeps no package-level state.
	t, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"hosts":  func(names []string) string { return hostList(names, hostLimit) },
		"join":   strings.Join,
		"counts": CountsText,
		"dash":   orDash,
		"ports":  ports,
	}).ParseFS(templateFS, "templates/report.html.tmpl")
	if err != nil {
		return fmt.Errorf("write html report: parse template: %w", err)
	}
	page := htmlPage{R: r, CSS: template.CSS(css), HostLimit: hostLimit, ByVerdict: r.FindingsByVerdict(),
		Charts: []svgChart{timelineChart(r, at), spreadChart(r), readinessChart(r)}}
	if len(r.History.Points) > 0 {
		page.Charts = append(page.Charts, burndownChart(r))
	}
	// The template lays out the page; the rows of the three tables that
	// grow with the fleet are written between its parts without reflection
	// (htmlrows.go), escaped as the template would escape them.
	bw := bufio.NewWriterSize(w, 64<<10)
	rw := &rowWriter{w: bw, hostLimit: hostLimit}
	for _, part := range []struct {
		name string
		rows func()
	}{
		{"head", func() { rw.findings(page.ByVerdict) }},
		{"after-findings", func() { rw.readiness(r.Readiness) }},
		{"after-readiness", func() { rw.steps(r.Steps) }},
		{"after-steps", nil},
	} {
		if err := t.ExecuteTemplate(bw, part.name, page); err != nil {
			return fmt.Errorf("write html report: %w", err)
		}
		if part.rows != nil {
			part.rows()
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}
