package history

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"upkeep/internal/output"
)

// regressedInTable is how many regressed findings a table's footer lists;
// the other formats list every one.
const regressedInTable = 10

// StepsDone counts the steps every host of which is done.
func (r *ProgressReport) StepsDone() int {
	n := 0
	for _, s := range r.Steps {
		if s.State == StepDone {
			n++
		}
	}
	return n
}

// ProgressView renders one row per step; the footer counts what regressed
// and lists up to limit of them (0: all).
func ProgressView(r *ProgressReport, limit int) output.View[StepProgress] {
	footer := []string{fmt.Sprintf("%d of %d steps done; %d %s regressed.", r.StepsDone(), len(r.Steps), len(r.Regressed), plural(len(r.Regressed), "finding"))}
	for i, c := range r.Regressed {
		if limit > 0 && i == limit {
			footer = append(footer, fmt.Sprintf("Regressed: and %d more (see --output json).", len(r.Regressed)-limit))
			break
		}
		footer = append(footer, fmt.Sprintf("Regressed: %s: %s is %s.", c.HostName, c.Item, c.To))
	}
	return output.View[StepProgress]{
		Columns: []output.Column[StepProgress]{
			{Header: "STEP", Field: "step", Value: func(s StepProgress) string { return fmt.Sprint(s.Step) }, Right: true},
			{Header: "WAVE", Field: "wave", Value: func(s StepProgress) string { return s.Wave }, Priority: 2},
			{Header: "COHORT", Field: "cohort", Value: func(s StepProgress) string { return s.Cohort }, Priority: 2, Min: 10},
			{Header: "ACTION", Field: "action", Value: func(s StepProgress) string { return s.Action }, Priority: 1, Min: 20},
			{Header: "DONE", Value: func(s StepProgress) string { return fmt.Sprintf("%d/%d", s.Done, s.Hosts) }, Right: true},
			{Field: "done", Value: func(s StepProgress) string { return fmt.Sprint(s.Done) }},
			{Field: "hosts", Value: func(s StepProgress) string { return fmt.Sprint(s.Hosts) }},
			{Field: "gone", Value: func(s StepProgress) string { return fmt.Sprint(s.Gone) }},
			{Header: "STATE", Field: "state", Value: func(s StepProgress) string { return s.State }, Style: stateStyle},
			{Header: "REMAINING", Field: "remaining", Value: func(s StepProgress) string { return strings.Join(s.Remaining, " ") },
				Short: func(s StepProgress) string { return fmt.Sprintf("%d hosts", len(s.Remaining)) }, Priority: 1, Min: 10},
		},
		JSON:   func(s StepProgress) any { return s },
		Title:  fmt.Sprintf("Progress of the plan from scan %d (%s) in scan %d (%s).", r.From.ID, day(r.From), r.To.ID, day(r.To)),
		Footer: strings.Join(footer, "\n"),
	}
}

// progressScan names one of the two scans in JSON and YAML.
type progressScan struct {
	ID      int64  `json:"id"`
	Started string `json:"started"` // UTC day
}

// progressDoc is a plan's progress as JSON and YAML show it: the steps and,
// beside them, what regressed. Regressed is every finding open in the newer
// scan that the older scan did not have, on a host in both.
type progressDoc struct {
	From       progressScan   `json:"from_scan"`
	To         progressScan   `json:"to_scan"`
	StepsDone  int            `json:"steps_done"`
	StepsTotal int            `json:"steps_total"`
	Steps      []StepProgress `json:"steps"`
	Regressed  []Change       `json:"regressed"`
}

func (r *ProgressReport) doc() progressDoc {
	d := progressDoc{From: progressScan{r.From.ID, day(r.From)}, To: progressScan{r.To.ID, day(r.To)},
		StepsDone: r.StepsDone(), StepsTotal: len(r.Steps), Steps: r.Steps, Regressed: r.Regressed}
	// Empty lists are [] (not null), as everywhere else in upkeep's JSON.
	d.Steps = make([]StepProgress, len(r.Steps))
	for i, s := range r.Steps {
		if s.Remaining == nil {
			s.Remaining = []string{}
		}
		d.Steps[i] = s
	}
	if d.Regressed == nil {
		d.Regressed = []Change{}
	}
	return d
}

// Progress rows in CSV: one per step, then one per regressed finding, told
// apart by the record column, so that one file carries both.
type progressRow struct {
	step *StepProgress
	reg  *Change
}

func progressCSV() output.View[progressRow] {
	step := func(f func(*StepProgress) string) func(progressRow) string {
		return func(r progressRow) string {
			if r.step == nil {
				return ""
			}
			return f(r.step)
		}
	}
	reg := func(f func(*Change) string) func(progressRow) string {
		return func(r progressRow) string {
			if r.reg == nil {
				return ""
			}
			return f(r.reg)
		}
	}
	return output.View[progressRow]{Columns: []output.Column[progressRow]{
		{Field: "record", Value: func(r progressRow) string {
			if r.reg != nil {
				return "regressed"
			}
			return "step"
		}},
		{Field: "step", Value: step(func(s *StepProgress) string { return fmt.Sprint(s.Step) })},
		{Field: "wave", Value: step(func(s *StepProgress) string { return s.Wave })},
		{Field: "cohort", Value: step(func(s *StepProgress) string { return s.Cohort })},
		{Field: "action", Value: step(func(s *StepProgress) string { return s.Action })},
		{Field: "product", Value: step(func(s *StepProgress) string { return s.Product })},
		{Field: "from_cycle", Value: step(func(s *StepProgress) string { return s.FromCycle })},
		{Field: "hosts", Value: step(func(s *StepProgress) string { return fmt.Sprint(s.Hosts) })},
		{Field: "done", Value: step(func(s *StepProgress) string { return fmt.Sprint(s.Done) })},
		{Field: "gone", Value: step(func(s *StepProgress) string { return fmt.Sprint(s.Gone) })},
		{Field: "state", Value: step(func(s *StepProgress) string { return s.State })},
		{Field: "remaining", Value: step(func(s *StepProgress) string { return strings.Join(s.Remaining, "; ") })},
		{Field: "host", Value: reg(func(c *Change) string { return c.Host })},
		{Field: "host_name", Value: reg(func(c *Change) string { return c.HostName })},
		{Field: "finding", Value: reg(func(c *Change) string { return c.Item })},
		{Field: "verdict", Value: reg(func(c *Change) string { return c.To })},
	}}
}

func (r *ProgressReport) rows(yield func(progressRow) bool) {
	for i := range r.Steps {
		if !yield(progressRow{step: &r.Steps[i]}) {
			return
		}
	}
	for i := range r.Regressed {
		if !yield(progressRow{reg: &r.Regressed[i]}) {
			return
		}
	}
}

// WriteProgress renders a plan's progress. A table lists the first
// regressed findings under the steps; Markdown lists all of them; JSON and
// YAML are one document with the steps and the regressed findings; CSV has
// a row per step and a row per regressed finding.
func WriteProgress(w io.Writer, o output.Options, r *ProgressReport) error {
	switch o.Format {
	case output.JSON:
		enc := json.NewEncoder(output.JSONWriter(w)) // host text: no raw C1 or bidi controls
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.doc()); err != nil {
			return fmt.Errorf("encode progress: %w", err)
		}
		return nil
	case output.YAML:
		b, err := output.EncodeYAML(r.doc())
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	case output.CSV:
		return output.Render(w, o, progressCSV(), r.rows)
	case output.Markdown:
		return output.Render(w, o, ProgressView(r, 0), slices.Values(r.Steps))
	}
	return output.Render(w, o, ProgressView(r, regressedInTable), slices.Values(r.Steps))
}
