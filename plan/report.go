package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"upkeep/internal/output"
)

// Writers format a plan; they decide nothing. Each states the date of the
// plan and of its end-of-life data.

// header is the first lines every human-readable format starts with.
func (p *Plan) header() (title, sub string) {
	hosts := 0
	for _, c := range p.Cohorts {
		hosts += len(c.Hosts)
	}
	title = fmt.Sprintf("Upgrade plan: %d steps, %d cohorts, %d hosts", len(p.Steps), len(p.Cohorts), hosts)
	sub = fmt.Sprintf("at %s, end-of-life data of %s, strategy %s, waves %s", p.At, dataDate(p.DataDate), p.Strategy, strings.Join(p.Waves, " → "))
	return title, sub
}

func dataDate(d string) string {
	if d == "" {
		return "unknown date"
	}
	return d
}

// hostsText is "3 hosts: a, b, c" with at most limit names (0: all).
func hostsText(s *Step, limit int) string {
	names := s.Hosts
	more := ""
	if limit > 0 && len(names) > limit {
		more = fmt.Sprintf(" +%d more", len(names)-limit)
		names = names[:limit]
	}
	unit := "hosts"
	if s.HostCount == 1 {
		unit = "host"
	}
	return fmt.Sprintf("%d %s: %s%s", s.HostCount, unit, strings.Join(names, ", "), more)
}

func deps(s *Step) string {
	if len(s.DependsOn) == 0 {
		return "-"
	}
	p := make([]string, len(s.DependsOn))
	for i, d := range s.DependsOn {
		p[i] = fmt.Sprint(d)
	}
	return strings.Join(p, ", ")
}

func change(s *Step) string {
	if s.Action == ActionKeep {
		return fmt.Sprintf("%s %s (keep)", s.ProductLabel, s.From)
	}
	if s.ToLabel != "" {
		return fmt.Sprintf("%s %s → %s %s", s.ProductLabel, s.From, s.ToLabel, s.To)
	}
	return fmt.Sprintf("%s %s → %s", s.ProductLabel, s.From, s.To)
}

// WriteText writes the plan for a terminal: numbered steps, grouped by wave.
func WriteText(w io.Writer, p *Plan, hostLimit int) error {
	title, sub := p.header()
	fmt.Fprintf(w, "%s\n%s\n", title, sub)
	wave := ""
	for _, s := range p.Steps {
		if s.Wave != wave {
			wave = s.Wave
			fmt.Fprintf(w, "\n== wave %s ==\n", wave)
		}
		fmt.Fprintf(w, "\n%d. %s  [%s risk]  on %s\n", s.Number, change(s), s.Risk, s.OnOS)
		fmt.Fprintf(w, "   cohort %s (%s)\n", s.Cohort, hostsText(s, hostLimit))
		fmt.Fprintf(w, "   depends on: %s\n", deps(s))
		fmt.Fprintln(w, "   risk:")
		for _, r := range s.Reasons {
			fmt.Fprintf(w, "   - %s\n", r)
		}
		fmt.Fprintln(w, "   why here:")
		for _, r := range s.Why {
			fmt.Fprintf(w, "   - %s\n", r)
		}
		if s.Hint != "" {
			fmt.Fprintf(w, "   hint: %s\n", s.Hint)
		}
		if s.Migration != "" {
			fmt.Fprintf(w, "   data migration: %s\n   rollback: %s\n   restart: %s\n", s.Migration, s.Rollback, s.Restart)
		}
	}
	writeNotes(w, p.Notes, "")
	_, err := fmt.Fprintln(w)
	return err
}

func writeNotes(w io.Writer, notes []string, bullet string) {
	if len(notes) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%sNot planned:\n", bullet)
	for _, n := range notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
}

// WriteMarkdown writes the plan as a Markdown document for a pull request or
// a wiki: a summary table, then per wave one section per step with its hosts,
// risk and reasons, why it is where it is, what it waits for, and the hint.
func WriteMarkdown(w io.Writer, p *Plan, hostLimit int) error {
	title, sub := p.header()
	fmt.Fprintf(w, "# %s\n\n_%s_\n\n", md(title), md(sub))
	fmt.Fprintln(w, "| # | wave | cohort | hosts | change | kind | risk | depends on |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range p.Steps {
		fmt.Fprintf(w, "| %d | %s | %s | %d | %s | %s | %s | %s |\n", s.Number, md(s.Wave), md(s.Cohort), s.HostCount, md(change(s)), md(s.Kind), md(string(s.Risk)), deps(s))
	}
	wave := ""
	for _, s := range p.Steps {
		if s.Wave != wave {
			wave = s.Wave
			fmt.Fprintf(w, "\n## Wave %s\n", md(wave))
		}
		fmt.Fprintf(w, "\n### %d. %s on %s\n\n", s.Number, md(change(s)), md(s.Cohort))
		fmt.Fprintf(w, "- **Hosts:** %s\n", md(hostsText(s, hostLimit)))
		if s.Canary != "" {
			fmt.Fprintf(w, "- **Canary:** %s\n", md(s.Canary))
		}
		fmt.Fprintf(w, "- **Runs on:** %s\n", md(s.OnOS))
		fmt.Fprintf(w, "- **Risk:** %s (score %d)\n", s.Risk, s.Score)
		for _, r := range s.Reasons {
			fmt.Fprintf(w, "  - %s\n", md(r))
		}
		fmt.Fprintln(w, "- **Why here:**")
		for _, r := range s.Why {
			fmt.Fprintf(w, "  - %s\n", md(r))
		}
		fmt.Fprintf(w, "- **Depends on:** %s\n", depsNamed(p, s))
		if s.Hint != "" {
			fmt.Fprintf(w, "- **Hint:** `%s`\n", strings.ReplaceAll(output.Terminal(s.Hint), "`", "'"))
		}
		if s.Migration != "" {
			fmt.Fprintf(w, "- **Data migration:** %s\n- **Rollback:** %s\n- **Restart:** %s\n", md(s.Migration), md(s.Rollback), md(s.Restart))
		}
	}
	writeNotes(w, p.Notes, "## ")
	return nil
}

// depsNamed lists a step's dependencies with what each one does, so a
// reader of one section need not scroll back to the table.
func depsNamed(p *Plan, s *Step) string {
	if len(s.DependsOn) == 0 {
		return "nothing"
	}
	out := make([]string, len(s.DependsOn))
	for i, d := range s.DependsOn {
		out[i] = fmt.Sprintf("%d (%s)", d, md(describeShort(p.Steps[d-1])))
	}
	return strings.Join(out, ", ")
}

// md makes a host-set or data value safe in Markdown: no control
// characters, no HTML, nothing that ends a table cell.
func md(s string) string { return output.MarkdownText(s) }

// WriteJSON writes the whole plan as indented JSON.
func WriteJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(output.JSONWriter(w)) // host text: no raw C1 or bidi controls
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// WriteCSV writes one row per step; list cells are joined with "; ".
func WriteCSV(w io.Writer, p *Plan) error {
	return output.Render(w, output.Options{Format: output.CSV}, StepsView(p, 0), slices.Values(p.Steps))
}

// WriteExplain writes everything behind one step.
func WriteExplain(w io.Writer, p *Plan, n int) error {
	s, err := p.Step(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Step %d of %d: %s\n", s.Number, len(p.Steps), change(s))
	fmt.Fprintf(w, "plan at %s, end-of-life data of %s, strategy %s\n\n", p.At, dataDate(p.DataDate), p.Strategy)
	fmt.Fprintf(w, "kind:      %s (%s)\n", s.Kind, s.Action)
	fmt.Fprintf(w, "product:   %s (%s)\n", s.ProductLabel, s.Product)
	fmt.Fprintf(w, "from:      %s (cycle %s, %s", s.From, s.FromCycle, s.Status)
	if s.EOLDate != "" {
		fmt.Fprintf(w, ", end of life %s", s.EOLDate)
	}
	fmt.Fprintln(w, ")")
	fmt.Fprintf(w, "to:        %s on %s\n", s.To, s.OnOS)
	fmt.Fprintf(w, "wave:      %s\n", s.Wave)
	fmt.Fprintf(w, "cohort:    %s (%s)\n", s.Cohort, hostsText(s, 0))
	if s.Canary != "" {
		fmt.Fprintf(w, "canary:    %s\n", s.Canary)
	}
	if len(s.Packages) > 0 {
		fmt.Fprintf(w, "packages:  %s\n", strings.Join(s.Packages, ", "))
	}
	if len(s.Ports) > 0 {
		fmt.Fprintf(w, "listening: %s\n", portList(s.Ports))
	}
	if s.Hint != "" {
		fmt.Fprintf(w, "hint:      %s\n", s.Hint)
	}
	if s.Migration != "" {
		fmt.Fprintf(w, "data:      %s\nrollback:  %s\nrestart:   %s\n", s.Migration, s.Rollback, s.Restart)
	}
	fmt.Fprintf(w, "\nRisk: %s (score %d; up to 2 low, 5 medium, 8 high, above critical)\n", s.Risk, s.Score)
	for _, r := range s.Reasons {
		fmt.Fprintf(w, "- %s\n", r)
	}
	fmt.Fprintln(w, "\nWhy here:")
	for _, r := range s.Why {
		fmt.Fprintf(w, "- %s\n", r)
	}
	fmt.Fprintln(w, "\nDepends on:")
	if len(s.DependsOn) == 0 {
		fmt.Fprintln(w, "- nothing")
	}
	for _, d := range s.DependsOn {
		o := p.Steps[d-1]
		fmt.Fprintf(w, "- %d. %s on %s (%s)\n", o.Number, change(o), o.Cohort, o.Wave)
	}
	var req []*Step
	for _, o := range p.Steps {
		for _, d := range o.DependsOn {
			if d == s.Number {
				req = append(req, o)
			}
		}
	}
	fmt.Fprintln(w, "\nRequired by:")
	if len(req) == 0 {
		fmt.Fprintln(w, "- nothing")
	}
	for _, o := range req {
		fmt.Fprintf(w, "- %d. %s on %s (%s)\n", o.Number, change(o), o.Cohort, o.Wave)
	}
	return nil
}
