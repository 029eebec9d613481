package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/plan"
	"upkeep/report"
)

// reportOptions holds every flag of `upkeep report`.
type reportOptions struct {
	f *factory

	judging // as in check: the same flags give the same verdicts

	// output
	output string
	out    string
	hosts  int

	// parsed
	opt    advisories.Options
	format output.Format
}

func newReportCmd(f *factory) *cobra.Command {
	o := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the fleet report for people: HTML with charts, or Markdown",
		Long: `report judges the latest scan as check does, adds each host's Amazon Linux
2023 readiness and the upgrade plan, and writes one report for people. One
--within (default 180 days, as in check and plan) serves both the eol-soon
window and the plan's target window, so the report's plan is what 'upkeep
plan' prints with the same --within. The report contains:

  - the scan, the evaluation day and the date of the end-of-life and AL2023
    data (with a warning when the data is more than 90 days old);
  - summary tiles: hosts scanned and not, hosts with eol and eol-soon
    findings, AL2023 readiness;
  - charts (HTML only, inline SVG, no scripts): an end-of-life timeline of
    every product cycle in the fleet, the version spread per product,
    readiness, and a burn-down of open findings over the kept scans (as
    check, readiness, plan and report recorded them when they judged each
    scan; a scan none of them judged is named, with how to fill it);
  - tables: findings grouped by product and cycle, readiness per host with
    its inhibitors, and the plan's steps.

The HTML report is one self-contained file that renders offline. Markdown
has the same sections without the charts; JSON (and YAML) is the report's
model. --out replaces the file only once the new report is complete.

` + exitCodesHelp,
		Example: `  upkeep report --out fleet.html
  upkeep report --output markdown > fleet.md
  upkeep --demo report --at 2026-11-24 --out demo.html`,
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
	fl.StringVarP(&o.output, "output", "o", "html", "output format: html, markdown, json or yaml")
	fl.StringVar(&o.out, "out", "", "write the report to this file instead of stdout")
	fl.IntVar(&o.hosts, "hosts", 5, "host names to print per row (0: all; json always lists all)")
	return cmd
}

// validate parses the flags without touching the database.
func (o *reportOptions) validate() error {
	var err error
	if o.format, err = output.Parse(o.output, output.HTML, output.Markdown, output.JSON, output.YAML); err != nil {
		return usageErrorf("%w", err)
	}
	if o.hosts < 0 {
		return usageErrorf("--hosts %d: want zero (all) or more", o.hosts)
	}
	if o.opt, err = o.judging.options(o.f); err != nil {
		return err
	}
	return nil
}

func (o *reportOptions) run(ctx context.Context) error {
	d, _, err := loadData(ctx, o.f)
	if err != nil {
		return err
	}
	opt := o.opt
	js, err := judgeLatest(ctx, o.f, d, opt, "report", nil, o.scan, o.accounts, plan.TagKeys(plan.Options{}))
	if err != nil {
		return err
	}
	scan := js.scan

	p, err := buildPlan(d, js, opt, plan.Options{})
	if err != nil {
		return fmt.Errorf("plan for the report: %w", err)
	}

	dbName := ""
	if path, err := o.f.databasePath(); err == nil {
		dbName = filepath.Base(path) // the name only: a shared report should not carry this machine's paths
	}
	hist, err := burndown(ctx, o.f, js, js.summary)
	if err != nil {
		return err
	}
	r, err := report.Build(report.Input{Fleet: scan.Targets, Database: dbName, Scan: scan, At: opt.At, Data: d,
		Hosts: js.hosts, Readiness: js.readiness(), Plan: p, History: hist})
	if err != nil {
		return err
	}

	render := func(w io.Writer) error {
		switch o.format {
		case output.JSON:
			return report.WriteJSON(w, r)
		case output.YAML:
			return output.WriteYAML(w, r)
		case output.Markdown:
			return report.WriteMarkdown(w, r, o.hosts)
		}
		return report.WriteHTML(w, r, o.hosts)
	}
	notScanned := func() {
		if r.Summary.NotScanned > 0 {
			fmt.Fprintf(o.f.io.errOut, "upkeep: %s of the scan %s no package data (not scanned); the report lists them\n", nouns(r.Summary.NotScanned, "host"), verb(r.Summary.NotScanned, "has", "have"))
		}
	}
	if o.out == "" {
		// Render in memory first: a failed report never leaves half of one.
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return err
		}
		notScanned()
		_, err = o.f.io.out.Write(buf.Bytes())
		return err
	}
	// Straight into a temporary file renamed over the old report: a
	// failure (a full disk, a missing folder) leaves the previous report
	// whole, and a 100,000-host report is never held in memory.
	err = output.WriteFile(o.out, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := render(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("write report: %w; the previous report, if any, is unchanged", err)
	}
	notScanned()
	fmt.Fprintf(o.f.io.errOut, "upkeep: wrote %s report of scan %d to %s\n", o.format, scan.ID, o.out)
	return nil
}
