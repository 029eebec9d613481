package plan

import (
	"fmt"
	"strings"

	"upkeep/internal/output"
)

// Change is the step's change for people: "nginx 1.10.3 → 1.26".
func (s *Step) Change() string { return change(s) }

// RiskStyle is a risk's colour on a terminal.
func RiskStyle(r Risk) output.Style {
	switch r {
	case "critical", "high":
		return output.Danger
	case "medium":
		return output.Warn
	case "low":
		return output.OK
	}
	return output.Plain
}

// StepsView is the compact plan: one line per step under a heading per
// wave, for a terminal (the prose is WriteText, one step is WriteExplain);
// its CSV fields are WriteCSV's.
func StepsView(p *Plan, hostLimit int) output.View[*Step] {
	title, sub := p.header()
	footer := ""
	if len(p.Notes) > 0 {
		footer = "Not planned:\n- " + strings.Join(p.Notes, "\n- ")
	}
	itoa := func(n int) string { return fmt.Sprint(n) }
	return output.View[*Step]{
		Title:  title + "\n" + sub,
		Footer: footer,
		Group:  func(s *Step) string { return "wave " + s.Wave },
		Columns: []output.Column[*Step]{
			{Header: "#", Field: "step", Value: func(s *Step) string { return itoa(s.Number) }},
			{Field: "wave", Value: func(s *Step) string { return s.Wave }},
			{Header: "COHORT", Field: "cohort", Value: func(s *Step) string { return s.Cohort }, Priority: 2, Min: 10},
			{Field: "host_count", Value: func(s *Step) string { return itoa(s.HostCount) }},
			{Header: "HOSTS", Value: func(s *Step) string { return hostsText(s, hostLimit) },
				Short: func(s *Step) string { return itoa(s.HostCount) }, Priority: 3, Min: 12},
			{Field: "hosts", Value: func(s *Step) string { return strings.Join(s.Hosts, " ") }},
			{Header: "CHANGE", Value: change, Min: 20},
			{Header: "KIND", Field: "kind", Value: func(s *Step) string { return s.Kind }, Priority: 5},
			{Field: "product", Value: func(s *Step) string { return s.Product }},
			{Field: "from", Value: func(s *Step) string { return s.From }},
			{Field: "to", Value: func(s *Step) string { return s.To }},
			{Header: "RISK", Field: "risk", Value: func(s *Step) string { return string(s.Risk) },
				Style: func(s *Step) output.Style { return RiskStyle(s.Risk) }},
			{Field: "risk_score", Value: func(s *Step) string { return itoa(s.Score) }},
			{Header: "AFTER", Value: deps, Priority: 4, Min: 5},
			{Field: "depends_on", Value: func(s *Step) string {
				d := make([]string, len(s.DependsOn))
				for i, n := range s.DependsOn {
					d[i] = itoa(n)
				}
				return strings.Join(d, " ")
			}},
			{Field: "reasons", Value: func(s *Step) string { return strings.Join(s.Reasons, "; ") }},
			{Header: "HINT", Field: "hint", Value: func(s *Step) string { return s.Hint }, Wide: true, Priority: 9},
			{Field: "at", Value: func(*Step) string { return p.At }},
			{Field: "data_date", Value: func(*Step) string { return p.DataDate }},
		},
	}
}
