package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/inventory"
)

// Wording shared by the Markdown and HTML writers, so both say the same.

// Title is the report's heading: what was scanned, in words, not the
// flags the scan was started with (those are in TargetsLine).
func (r *Report) Title() string {
	if r.ScanTitle == "" {
		return "Fleet report"
	}
	return "Fleet report: " + r.ScanTitle
}

// scanSources names each scan source for a title.
var scanSources = map[string]string{
	"ssm":           "SSM scan",
	"ssm-inventory": "SSM Inventory read",
	"local":         "Local scan",
	"import":        "Imported scan",
	"demo":          "Demo fleet",
}

// scanTitle is "SSM scan of 3 regions, 1,234 hosts, 2026-12-01": the
// source, the regions its hosts are in (named when one), the hosts and the
// day the scan started.
func scanTitle(s inventory.Scan, hosts []advisories.Judged) string {
	title, ok := scanSources[s.Source]
	if !ok {
		title = "Scan"
		if s.Source != "" {
			title = s.Source + " scan"
		}
	}
	regions := map[string]bool{}
	for _, h := range hosts {
		if h.Host.Region != "" {
			regions[h.Host.Region] = true
		}
	}
	switch len(regions) {
	case 0:
	case 1:
		for r := range regions {
			title += " of " + r
		}
	default:
		title += fmt.Sprintf(" of %d regions", len(regions))
	}
	title += ", " + thousands(len(hosts)) + map[bool]string{true: " host", false: " hosts"}[len(hosts) == 1]
	if !s.Started.IsZero() {
		title += ", " + s.Started.UTC().Format(time.DateOnly)
	}
	return title
}

// thousands is n with comma separators: 1,234.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TargetsLine is what the scan was asked to reach, as the user said it.
func (r *Report) TargetsLine() string { return r.Fleet }

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

// Change is "nginx 1.10.3 → 1.26", "Redis 6.2 → Valkey 9.0" when the step
// moves to another product (as the plan's own Change words it), or "(keep)".
func (s Step) Change() string {
	if s.Action == "keep" {
		return fmt.Sprintf("%s %s (keep)", s.ProductLabel, s.From)
	}
	if s.ToLabel != "" {
		return fmt.Sprintf("%s %s → %s %s", s.ProductLabel, s.From, s.ToLabel, s.To)
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

// VerdictGroups is the findings of one verdict, for a headed part of the
// findings table.
type VerdictGroups struct {
	Verdict string
	Groups  []Group
	Hosts   int // distinct host names
}

// Text is "4 product cycles on 12 hosts".
func (v VerdictGroups) Text() string {
	return fmt.Sprintf("%s on %s", countNoun(len(v.Groups), "product cycle"), countNoun(v.Hosts, "host"))
}

func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// FindingsByVerdict splits the findings, already worst first, at each
// change of verdict.
func (r *Report) FindingsByVerdict() []VerdictGroups {
	var out []VerdictGroups
	var hosts map[string]bool
	for _, g := range r.Findings {
		if n := len(out); n == 0 || out[n-1].Verdict != g.Verdict {
			out = append(out, VerdictGroups{Verdict: g.Verdict})
			hosts = map[string]bool{}
		}
		v := &out[len(out)-1]
		v.Groups = append(v.Groups, g)
		for _, h := range g.Hosts {
			if !hosts[h] {
				hosts[h] = true
				v.Hosts++
			}
		}
	}
	return out
}

// Anchor is the group's id in the HTML report: "f-eol-nginx-1.10".
func (g Group) Anchor() string {
	var b strings.Builder
	b.WriteString("f-" + g.Verdict + "-")
	name := g.Product
	if name == "" {
		name = g.ProductLabel
	}
	for _, c := range strings.ToLower(name + "-" + g.Cycle) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
