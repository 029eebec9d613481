package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/inventory/store"
	"upkeep/plan"
	"upkeep/report"
)

// reportOptions holds every flag of `upkeep report`.
type reportOptions struct {
	f *factory

	// judging, named and defaulted as in check
	at              string
	within          int
	extendedSupport bool
	waivers         string

	// output
	output string
	out    string
	hosts  int

	// parsed
	atDate time.Time
	format output.Format
}

func newReportCmd(f *factory) *cobra.Command {
	o := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the fleet report for people: HTML with charts, or Markdown",
		Long: `report judges the latest scan as check does, adds each host's Amazon Linux
2023 readiness and the upgrade plan, and writes one report for people. One
--within serves both: the eol-soon window (default 180 days, as in check) and
the plan's target window, so the plan matches 'upkeep plan --within 180', not
plan's own default of 90. The report contains:

  - the scan, the evaluation day and the date of the end-of-life and AL2023
    data (with a warning when the data is more than 90 days old);
  - summary tiles: hosts scanned and not, hosts with eol and eol-soon
    findings, AL2023 readiness;
  - charts (HTML only, inline SVG, no scripts): an end-of-life timeline of
    every product cycle in the fleet, the version spread per product, and
    readiness;
  - tables: findings grouped by product and cycle, readiness per host with
    its inhibitors, and the plan's steps.

The HTML report is one self-contained file that renders offline. Markdown
has the same sections without the charts; JSON is the report's model.

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
	fl := cmd.Flags()
	fl.StringVar(&o.at, "at", "", "judge as of this day, YYYY-MM-DD (default today), to plan ahead")
	fl.IntVar(&o.within, "within", 180, "days before an end-of-life date that count as eol-soon")
	fl.BoolVar(&o.extendedSupport, "extended-support", false, "count extended phases (Debian LTS, Ubuntu ESM, RHEL ELS, paid vendor support) as support")
	fl.StringVar(&o.waivers, "waivers", "", "waivers file (default upkeep.yaml in the working directory, if present)")
	fl.StringVarP(&o.output, "output", "o", "html", "output format: html, markdown or json")
	fl.StringVar(&o.out, "out", "", "write the report to this file instead of stdout")
	fl.IntVar(&o.hosts, "hosts", 5, "host names to print per row (0: all; json always lists all)")
	return cmd
}

// validate parses the flags without touching the database.
func (o *reportOptions) validate() error {
	var err error
	if o.format, err = output.Parse(o.output, output.HTML, output.Markdown, output.JSON); err != nil {
		return usageErrorf("%w", err)
	}
	now := o.f.now().UTC()
	o.atDate = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if o.at != "" {
		if o.atDate, err = time.Parse(time.DateOnly, o.at); err != nil {
			return usageErrorf("--at %q: want a day as YYYY-MM-DD", o.at)
		}
	}
	switch {
	case o.within < 0:
		return usageErrorf("--within %d: want 0 or more days", o.within)
	case o.hosts < 0:
		return usageErrorf("--hosts %d: want zero (all) or more", o.hosts)
	}
	return nil
}

func (o *reportOptions) run(ctx context.Context) error {
	waivers, err := loadWaivers(o.waivers)
	if err != nil {
		return err
	}
	d, err := loadData(o.f)
	if err != nil {
		return err
	}
	obs, scan, err := loadObservations(ctx, o.f)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no scan in the database yet: run 'upkeep scan' (or 'upkeep demo' and 'upkeep --demo report')")
	}
	if err != nil {
		return err
	}
	warnStale(o.f.io.errOut, d, o.atDate)
	opt := advisories.Options{At: o.atDate, Within: o.within, ExtendedSupport: o.extendedSupport, Waivers: waivers}
	reports := d.Judge(obs, opt)

	in := planInput(reports, obs)
	in.At = o.atDate
	in.DataDate = d.Date.Format(time.DateOnly)
	in.Catalog = plan.NewCatalog(d, nil)
	in.Options = plan.Options{Within: time.Duration(o.within) * 24 * time.Hour, ExtendedSupport: o.extendedSupport}
	p, err := plan.Build(in)
	if err != nil {
		return fmt.Errorf("plan for the report: %w", err)
	}

	dbName := ""
	if path, err := o.f.databasePath(); err == nil {
		dbName = filepath.Base(path) // the name only: a shared report should not carry this machine's paths
	}
	r, err := report.Build(report.Input{Fleet: scan.Targets, Database: dbName, Scan: scan, At: o.atDate, Data: d,
		Hosts: reports, Readiness: d.Readiness(reports, opt), Plan: p})
	if err != nil {
		return err
	}

	// Render in memory first: a failed report never leaves half a file.
	var buf bytes.Buffer
	switch o.format {
	case output.JSON:
		err = report.WriteJSON(&buf, r)
	case output.Markdown:
		err = report.WriteMarkdown(&buf, r, o.hosts)
	default:
		err = report.WriteHTML(&buf, r, o.hosts)
	}
	if err != nil {
		return err
	}
	if r.Summary.NotScanned > 0 {
		fmt.Fprintf(o.f.io.errOut, "upkeep: %d hosts of the scan have no package data (not scanned); the report lists them\n", r.Summary.NotScanned)
	}
	if o.out == "" {
		_, err = o.f.io.out.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	fmt.Fprintf(o.f.io.errOut, "upkeep: wrote %s report of scan %d to %s\n", o.format, scan.ID, o.out)
	return nil
}
