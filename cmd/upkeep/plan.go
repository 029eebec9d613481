package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/history"
	"upkeep/internal/output"
	"upkeep/plan"
)

// planOptions holds every flag of `upkeep plan`.
type planOptions struct {
	f *factory

	judging // as in check: the same flags give the same verdicts

	// planning
	groupBy  []string
	waves    []string
	strategy string
	all      bool

	// output
	outputFlags
	explain int
	long    bool
	hosts   int
	since   int64 // progress of the plan made from this older scan

	// parsed
	opt   advisories.Options
	strat plan.Strategy
}

func newPlanCmd(f *factory) *cobra.Command {
	o := &planOptions{f: f}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Order the upgrades: cohorts, dependencies, risk and waves",
		Long: `plan judges the latest scan as check does, then orders what needs doing.

Hosts with the same --group-by tags, OS release and products at the same
cycles form a cohort, upgraded together. Each step moves one product (or the
OS) on one cohort to a target cycle: the smallest jump to a supported cycle
(--strategy minimal) or the newest (--strategy latest); after an OS move,
a cycle the new release ships. Steps follow every dependency (the OS move
before what the new release ships, OpenSSL before what links it, a runtime
before what runs on it, database clients before a server's major upgrade,
the previous wave before the next), then urgency, then lower risk first.
Waves follow the Env tag: dev, then staging, then prod, a canary host first.

The table is one line per step under a heading per wave; --long prints
every step's risk, reasons and hint, --explain N everything behind step N.
See docs/plan.md.

` + exitCodesHelp,
		Example: `  upkeep plan
  upkeep plan --output markdown > plan.md
  upkeep plan --strategy latest --waves dev,qa,prod
  upkeep plan --long
  upkeep plan --explain 7
  upkeep --demo plan --at 2026-11-24`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd.Context())
		},
	}
	o.judging.addFlags(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&o.groupBy, "group-by", []string{"Role", "Env"}, "tag keys that split hosts into cohorts (the Env tag always does)")
	fl.StringSliceVar(&o.waves, "waves", nil, "Env values in the order their waves run (default: every value found, dev before staging before prod)")
	fl.StringVar(&o.strategy, "strategy", "minimal", "target cycle: minimal (smallest jump to a supported cycle) or latest")
	fl.BoolVar(&o.all, "all", false, "also list products that need nothing")
	o.outputFlags.add(cmd, output.Table, output.Table, output.JSON, output.YAML, output.Markdown, output.CSV)
	fl.IntVar(&o.explain, "explain", 0, "print everything behind step N")
	fl.Int64Var(&o.since, "since", 0, "show the progress of the plan made from this older scan in --scan (default the latest): steps done, partly done, not started, and findings that regressed")
	fl.BoolVar(&o.long, "long", false, "print every step with its risk, reasons and hint, instead of the table")
	fl.IntVar(&o.hosts, "hosts", 5, "host names to print per step (0: all; json and csv always list all)")
	return cmd
}

// validate parses the flags without touching the database.
func (o *planOptions) validate() error {
	var err error
	if err = o.outputFlags.parse(); err != nil {
		return err
	}
	if o.strat, err = plan.ParseStrategy(o.strategy); err != nil {
		return usageErrorf("%w", err)
	}
	switch {
	case o.explain < 0:
		return usageErrorf("--explain %d: want a step number", o.explain)
	case o.hosts < 0:
		return usageErrorf("--hosts %d: want zero (all) or more", o.hosts)
	case o.since < 0:
		return usageErrorf("--since %d: want a scan id (see 'upkeep scans')", o.since)
	case o.since > 0 && (o.explain > 0 || o.long):
		return usageErrorf("--since shows progress: drop --explain and --long")
	case (o.explain > 0 || o.long) && o.format != output.Table:
		return usageErrorf("--explain and --long print text: drop --output, or use --output json and read the steps there")
	}
	if o.opt, err = o.judging.options(o.f); err != nil {
		return err
	}
	for _, g := range o.groupBy {
		if strings.TrimSpace(g) == "" {
			return usageErrorf("--group-by: empty tag key")
		}
	}
	return nil
}

func (o *planOptions) run(ctx context.Context) error {
	data, _, err := loadData(ctx, o.f)
	if err != nil {
		return err
	}
	po := plan.Options{GroupBy: o.groupBy, Waves: o.waves, Strategy: o.strat, All: o.all}
	if o.since > 0 {
		return o.runProgress(ctx, data, po)
	}
	js, err := judgeLatest(ctx, o.f, data, o.opt, "plan", nil, o.scan, o.accounts, plan.TagKeys(po))
	if err != nil {
		return err
	}
	p, err := buildPlan(data, js, o.opt, po)
	if err != nil {
		var ce *plan.CycleError
		if errors.As(err, &ce) {
			return fmt.Errorf("plan: %w", err)
		}
		return usageErrorf("%w", err)
	}
	if skipped := js.unscanned(); skipped > 0 {
		fmt.Fprintf(o.f.io.errOut, "upkeep: %d host(s) of the scan have no package data and are not planned (see 'upkeep inventory')\n", skipped)
	}
	if o.explain > 0 {
		if _, err := p.Step(o.explain); err != nil {
			return usageErrorf("--explain: %w", err)
		}
	}
	return o.write(o.f, func(w io.Writer, oo output.Options) error {
		switch {
		case o.explain > 0:
			return prose(w, func(w io.Writer) error { return plan.WriteExplain(w, p, o.explain) })
		case o.long:
			return prose(w, func(w io.Writer) error { return plan.WriteText(w, p, o.hosts) })
		case oo.Format == output.JSON:
			return plan.WriteJSON(w, p)
		case oo.Format == output.YAML:
			return output.WriteYAML(w, p)
		case oo.Format == output.Markdown:
			return plan.WriteMarkdown(w, p, o.hosts)
		}
		return output.Render(w, oo, plan.StepsView(p, o.hosts), slices.Values(p.Steps))
	})
}

// runProgress plans scan --since as plan would have then, and measures
// each step against --scan (default the latest usable scan).
func (o *planOptions) runProgress(ctx context.Context, data *advisories.Data, po plan.Options) error {
	old, err := judgeLatest(ctx, o.f, data, o.opt, "plan", nil, o.since, o.accounts, plan.TagKeys(po))
	if err != nil {
		return err
	}
	p, err := buildPlan(data, old, o.opt, po)
	if err != nil {
		return fmt.Errorf("plan scan %d: %w", o.since, err)
	}
	cur, err := judgeLatest(ctx, o.f, data, o.opt, "plan", nil, o.scan, o.accounts, plan.TagKeys(po))
	if err != nil {
		return err
	}
	if cur.scan.ID == old.scan.ID {
		return usageErrorf("--since %d is the scan measured against: name an older scan, or a newer one with --scan", o.since)
	}
	rep := history.Progress(old.scan, cur.scan, p, old.reports(), cur.reports())
	return o.write(o.f, func(w io.Writer, oo output.Options) error { return history.WriteProgress(w, oo, rep) })
}

// reports returns the judged hosts as the judge's reports.
func (s *judgedScan) reports() []advisories.HostReport {
	out := make([]advisories.HostReport, len(s.hosts))
	for i := range s.hosts {
		out[i] = s.hosts[i].Report()
	}
	return out
}

// prose writes text made of host- and data-set values with every line
// sanitised for a terminal.
func prose(w io.Writer, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	_, err := io.WriteString(w, output.TerminalLines(b.String()))
	return err
}
