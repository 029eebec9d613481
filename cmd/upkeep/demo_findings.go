package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/plan"
)

// demoFindings is the headline of what check, readiness and plan say about
// the demo scan: the demo shows the whole job, not only the inventory.
type demoFindings struct {
	At, DataDate       string
	EOLHosts, EOLCount int // hosts with findings past end of life, and those findings
	SoonHosts          int
	Ready, Work, Block int // Amazon Linux 2023 readiness
	Steps, Waves       int
	FirstSteps         []*plan.Step
}

// demoFirstSteps is how many plan steps the demo prints.
const demoFirstSteps = 5

// judgeDemo judges the scan just stored with the same code and defaults as
// check, readiness and plan.
func (o *demoOptions) judgeDemo(ctx context.Context) (demoFindings, error) {
	var h demoFindings
	opt, err := o.judging.options(o.f)
	if err != nil {
		return h, err
	}
	d, _, err := loadData(ctx, o.f)
	if err != nil {
		return h, err
	}
	reports, obs, _, err := judgeLatest(ctx, o.f, d, opt, "check", nil)
	if err != nil {
		return h, err
	}
	h.At, h.DataDate = opt.At.Format(time.DateOnly), d.Date.Format(time.DateOnly)
	for _, r := range reports {
		eol, soon := 0, false
		for _, f := range r.Findings {
			switch {
			case f.Waived:
			case f.Status == advisories.VerdictEOL:
				eol++
			case f.Status == advisories.VerdictEOLSoon:
				soon = true
			}
		}
		if eol > 0 {
			h.EOLHosts++
			h.EOLCount += eol
		}
		if soon {
			h.SoonHosts++
		}
	}
	for _, r := range d.Readiness(reports, opt) {
		switch r.Readiness {
		case advisories.Ready:
			h.Ready++
		case advisories.Blocked:
			h.Block++
		default:
			h.Work++
		}
	}
	p, err := buildPlan(d, reports, obs, opt, plan.Options{})
	if err != nil {
		return h, fmt.Errorf("plan the demo fleet: %w", err)
	}
	h.Steps, h.Waves = len(p.Steps), len(p.Waves)
	h.FirstSteps = p.Steps[:min(demoFirstSteps, len(p.Steps))]
	return h, nil
}

// writeDemoFindings prints the headline between the inventory summary and
// the next steps.
func writeDemoFindings(w io.Writer, h demoFindings) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nWhat upkeep finds (judged at %s with end-of-life data of %s)\n", h.At, h.DataDate)
	fmt.Fprintf(&b, "  past end of life        %3d %s (%s)\n", h.EOLHosts, plural(h.EOLHosts, "host"), nouns(h.EOLCount, "finding"))
	fmt.Fprintf(&b, "  end of life soon        %3d %s\n", h.SoonHosts, plural(h.SoonHosts, "host"))
	fmt.Fprintf(&b, "  Amazon Linux 2023       %3d ready, %d need work, %d blocked\n", h.Ready, h.Work, h.Block)
	fmt.Fprintf(&b, "  upgrade plan            %3d %s in %s; the first:\n", h.Steps, plural(h.Steps, "step"), nouns(h.Waves, "wave"))
	for _, s := range h.FirstSteps {
		from := s.From
		if s.Kind == plan.KindOS {
			from = s.FromCycle
		}
		fmt.Fprintf(&b, "    %d. [%s] %s %s → %s on %s (%s risk)\n", s.Number, s.Wave, s.ProductLabel, from, s.To, s.Cohort, s.Risk)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
