package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Wording shared by the Markdown and HTML writers, so both say the same.

// Title is the report's heading.
func (r *Report) Title() string {
	if r.Fleet == "" {
		return "Fleet report"
	}
	return "Fleet report: " + r.Fleet
}

// DataLine states the data the verdicts come from.
func (r *Report) DataLine() string {
	d := r.Data
	s := fmt.Sprintf("%s snapshot of %s", d.Source, d.Date)
	if d.Commit != "" {
		s += " (commit " + d.Commit[:min(7, len(d.Commit))] + ")"
	}
	if d.Origin != "" && d.Origin != "embedded" {
		s += " (updated)"
	}
	s += "; Amazon Linux 2023 packages " + d.AL2023Release
	if d.AL2023Date != "" {
		s += " (released " + d.AL2023Date + ")"
	}
	return s
}

// ScanLine names the scan.
func (r *Report) ScanLine() string {
	s := fmt.Sprintf("scan %d", r.ScanID)
	if r.ScanSource != "" {
		s += " (" + r.ScanSource + ")"
	}
	if r.ScanDate != "" {
		s += " of " + r.ScanDate
	}
	if r.Database != "" {
		s += ", database " + r.Database
	}
	return s
}

// hostList is "a, b, c +2 more" with at most limit names (0: all).
func hostList(names []string, limit int) string {
	more := ""
	if limit > 0 && len(names) > limit {
		more = fmt.Sprintf(" +%d more", len(names)-limit)
		names = names[:limit]
	}
	return strings.Join(names, ", ") + more
}

func ports(ps []int) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = ":" + strconv.Itoa(p)
	}
	return strings.Join(s, " ")
}

// RunningText says where a group runs: "3 running (:80 :443)", or "-".
func (g Group) RunningText() string {
	if g.Running == 0 {
		if len(g.Ports) > 0 {
			return ports(g.Ports)
		}
		return "-"
	}
	s := fmt.Sprintf("%d running", g.Running)
	if len(g.Ports) > 0 {
		s += " (" + ports(g.Ports) + ")"
	}
	return s
}

// VerdictText is the verdict with its date, as check prints it.
func (g Group) VerdictText() string {
	s := g.Verdict
	if g.Waived > 0 {
		s += fmt.Sprintf(" (%d waived)", g.Waived)
	}
	return s
}

// Change is "nginx 1.10.3 → 1.26" (or "(keep)").
func (s Step) Change() string {
	if s.Action == "keep" {
		return fmt.Sprintf("%s %s (keep)", s.ProductLabel, s.From)
	}
	return fmt.Sprintf("%s %s → %s", s.ProductLabel, s.From, s.To)
}

// DependsText lists the steps this one waits for, or "-".
func (s Step) DependsText() string {
	if len(s.DependsOn) == 0 {
		return "-"
	}
	p := make([]string, len(s.DependsOn))
	for i, d := range s.DependsOn {
		p[i] = strconv.Itoa(d)
	}
	return strings.Join(p, ", ")
}

// CountsText is "eol 3, supported 2".
func CountsText(cs []Count) string {
	p := make([]string, len(cs))
	for i, c := range cs {
		p[i] = fmt.Sprintf("%s %d", c.Label, c.Count)
	}
	return strings.Join(p, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
