package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"upkeep/internal/output"
)

// WriteMarkdown writes the report's sections as Markdown: header, summary,
// findings by product, readiness per host, the plan's steps. The charts
// have no Markdown form; their numbers are in the tables. hostLimit caps the
// host names per row (0: all).
func WriteMarkdown(w io.Writer, r *Report, hostLimit int) error {
	ew := &errWriter{w: w}
	ew.printf("# %s\n\n", md(r.Title()))
	ew.printf("- %s\n", md(r.ScanLine()))
	if r.Fleet != "" {
		ew.printf("- targets: %s\n", md(r.TargetsLine()))
	}
	ew.printf("- evaluated at **%s**\n", r.At)
	ew.printf("- data: %s\n", md(r.DataLine()))
	if r.Data.Warning != "" {
		ew.printf("\n> **Warning:** %s\n", md(r.Data.Warning))
	}

	s := r.Summary
	ew.printf("\n## Summary\n\n")
	ew.table([]string{"hosts", "scanned", "not scanned", "hosts with eol", "hosts with eol-soon", "AL2023 ready", "needs-work", "blocked", "plan steps"},
		[][]string{{itoa(s.Hosts), itoa(s.Scanned), itoa(s.NotScanned), itoa(s.HostsEOL), itoa(s.HostsEOLSoon),
			itoa(s.Ready), itoa(s.NeedsWork), itoa(s.Blocked), itoa(s.Steps)}})
	ew.printf("\nScan status: %s. Findings: %s", md(CountsText(s.ByStatus)), md(CountsText(s.Findings)))
	if s.Waived > 0 {
		ew.printf(" (%d waived)", s.Waived)
	}
	ew.printf(".\n")

	if len(r.History.Points) > 0 {
		ew.printf("\n## Findings over the kept scans\n\n")
		rows := make([][]string, len(r.History.Points))
		for i, p := range r.History.Points {
			n := map[string]int{}
			for _, c := range p.Findings {
				n[c.Label] = c.Count
			}
			judged := p.At
			if !p.Same {
				judged += " (other data: " + p.Data + ")"
			}
			rows[i] = []string{itoa(int(p.ScanID)), p.ScanDate, itoa(p.OpenTotal()), itoa(n["eol"]), itoa(n["unpatched"]), itoa(n["eol-soon"]),
				itoa(n["unknown"]), itoa(p.HostsEOL), judged}
		}
		ew.table([]string{"scan", "day", "open findings", "eol", "unpatched", "eol-soon", "unknown", "hosts with eol", "judged"}, rows)
		for _, n := range r.BurndownNotes() {
			ew.printf("\n%s\n", md(n))
		}
	}

	ew.printf("\n## Findings by severity\n\n")
	rows := make([][]string, len(r.Findings))
	for i, g := range r.Findings {
		rows[i] = []string{g.ProductLabel, orDash(g.Cycle), g.VerdictText(), orDash(g.EOLDate), itoa(g.HostCount),
			hostList(g.Hosts, hostLimit), strings.Join(g.Versions, ", "), g.RunningText(), orDash(strings.Join(g.AL2023, ", "))}
	}
	ew.table([]string{"product", "cycle", "verdict", "EOL date", "hosts", "host names", "versions", "running", "AL2023"}, rows)

	ew.printf("\n## Amazon Linux 2023 readiness\n\n")
	rows = make([][]string, len(r.Readiness))
	for i, h := range r.Readiness {
		rows[i] = []string{h.HostName, h.OS, h.Readiness, orDash(strings.Join(h.Inhibitors, "; ")), orDash(strings.Join(h.Work, "; "))}
	}
	ew.table([]string{"host", "OS", "readiness", "inhibitors", "work before the move"}, rows)

	ew.printf("\n## Upgrade plan\n\n")
	rows = make([][]string, len(r.Steps))
	for i, st := range r.Steps {
		rows[i] = []string{itoa(st.Number), st.Wave, st.Cohort, fmt.Sprintf("%d: %s", st.HostCount, hostList(st.Hosts, hostLimit)),
			st.Change(), st.Risk, strings.Join(st.Reasons, "; "), st.DependsText()}
	}
	ew.table([]string{"step", "wave", "cohort", "hosts", "change", "risk", "reasons", "depends on"}, rows)
	if len(r.PlanNotes) > 0 {
		ew.printf("\nNot planned:\n\n")
		for _, n := range r.PlanNotes {
			ew.printf("- %s\n", md(n))
		}
	}
	if len(r.Unscanned) > 0 {
		ew.printf("\n## Hosts not scanned\n\n")
		rows = make([][]string, len(r.Unscanned))
		for i, u := range r.Unscanned {
			rows[i] = []string{u.HostName, u.Host, u.Status, u.Error}
		}
		ew.table([]string{"host", "id", "status", "why"}, rows)
	}
	return ew.err
}

// errWriter keeps the first write error so the layout code reads straight.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

func (e *errWriter) table(header []string, rows [][]string) {
	if e.err == nil {
		if err := output.WriteMarkdown(e.w, header, rows); err != nil {
			e.err = fmt.Errorf("write markdown table: %w", err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// md escapes what would end a table cell or start markup in running text,
// shows control characters and keeps HTML inert.
func md(s string) string { return output.MarkdownText(s) }
