package report

import (
	"bytes"
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
	Charts    []svgChart // timeline, spread, readiness, burn-down
	HostLimit int
}

// WriteHTML writes the report as one self-contained HTML file: styles
// inline, charts as inline SVG, no scripts, nothing fetched. hostLimit caps
// the host names per row (0: all).
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
	page := htmlPage{R: r, CSS: template.CSS(css), HostLimit: hostLimit,
		Charts: []svgChart{timelineChart(r, at), spreadChart(r), readinessChart(r)}}
	if len(r.History.Points) > 0 {
		page.Charts = append(page.Charts, burndownChart(r))
	}
	// Render to memory so a template error never leaves half a page behind.
	var buf bytes.Buffer
	if err := t.Execute(&buf, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
