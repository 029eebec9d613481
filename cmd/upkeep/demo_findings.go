package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/inventory"
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

// demoJudge judges with the same code, data and defaults as check,
// readiness and plan.
type demoJudge struct {
	d   *advisories.Data
	opt advisories.Options
}

func (o *demoOptions) newDemoJudge(ctx context.Context) (demoJudge, error) {
	opt, err := o.judging.options(o.f)
	if err != nil {
		return demoJudge{}, err
	}
	d, _, err := loadData(ctx, o.f)
	if err != nil {
		return demoJudge{}, err
	}
	if err := checkWaivers(d, opt.Waivers); err != nil {
		return demoJudge{}, err
	}
	o.f.warnStale(d)
	return demoJudge{d: d, opt: opt}, nil
}

// headline judges the fleet's hosts and plans their upgrades.
func (j demoJudge) headline(obs []inventory.Observation) (demoFindings, error) {
	d, opt := j.d, j.opt
	var h demoFindings
	js := judgeAll(d, opt, obs, plan.TagKeys(plan.Options{}))
	h.At, h.DataDate = opt.At.Format(time.DateOnly), d.Date.Format(time.DateOnly)
	for i := range js.hosts {
		eol, soon := eolCounts(js.hosts[i].Findings)
		if eol > 0 {
			h.EOLHosts++
			h.EOLCount += eol
		}
		if soon > 0 {
			h.SoonHosts++
		}
	}
	for i := range js.hosts {
		if !js.hosts[i].Scanned() {
			continue
		}
		switch js.hosts[i].Readiness {
		case advisories.Ready:
			h.Ready++
		case advisories.Blocked:
			h.Block++
		default:
			h.Work++
		}
	}
	p, err := buildPlan(d, js, opt, plan.Options{})
	if err != nil {
		return h, fmt.Errorf("plan the demo fleet: %w", err)
	}
	h.Steps, h.Waves = len(p.Steps), len(p.Waves)
	h.FirstSteps = p.Steps[:min(demoFirstSteps, len(p.Steps))]
	return h, nil
}

// judgeOne judges a single host: this machine, told apart from the fleet.
func (j demoJudge) judgeOne(ob inventory.Observation) advisories.HostReport {
	return j.d.Judge([]inventory.Observation{ob}, j.opt)[0]
}

// eolCounts counts a host's unwaived findings past and near end of life.
func eolCounts(fs []*advisories.Finding) (eol, soon int) {
	for _, f := range fs {
		switch {
		case f.Waived:
		case f.Status.Ended():
			eol++
		case f.Status == advisories.VerdictEOLSoon:
			soon++
		}
	}
	return eol, soon
}

// writeLocalLine says what the demo found on this machine. It goes to
// stderr with the other lines about this run, so the summary on stdout is
// the bundled fleet's alone and the same on every machine.
func writeLocalLine(w io.Writer, ob inventory.Observation, r advisories.HostReport) {
	pkgs, osName := 0, "unknown OS"
	if ob.Report != nil {
		pkgs, osName = len(ob.Report.Packages), osLabel(ob.Report.Facts.OS)
	}
	fs := make([]*advisories.Finding, len(r.Findings))
	for i := range r.Findings {
		fs[i] = &r.Findings[i]
	}
	eol, soon := eolCounts(fs)
	fmt.Fprintf(w, "This machine, %s (%s): %s; %d past end of life, %d end of life soon; see 'upkeep --demo check --host %s'\n",
		output.Terminal(ob.Host.Name), output.Terminal(osName), nouns(pkgs, "package"), eol, soon, output.Terminal(ob.Host.ID))
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
		to := s.To
		if s.ToLabel != "" { // a move to another product: "Redis 5.0.7 → Valkey 7.2"
			to = s.ToLabel + " " + s.To
		}
		fmt.Fprintf(&b, "    %d. [%s] %s %s → %s on %s (%s risk)\n", s.Number, s.Wave, s.ProductLabel, from, to, s.Cohort, s.Risk)
	}
	_, err := io.WriteString(w, output.TerminalLines(b.String())) // product names and cohorts can come from this machine
	return err
}
