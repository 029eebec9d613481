package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/advisories/report"
	"upkeep/internal/output"
)

// judgeFlags are the flags check and readiness share: the judging flags
// every judging command has, plus when to fail, the format and a host filter.
type judgeFlags struct {
	judging
	failOn string
	output string
	hosts  []string
}

func (j *judgeFlags) add(cmd *cobra.Command) {
	j.judging.addFlags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&j.failOn, "fail-on", "", "exit 1 after the report when a finding matches: eol, eol-soon (includes eol) or blocked")
	fl.StringVarP(&j.output, "output", "o", "table", "output format: table, json, csv or markdown")
	fl.StringSliceVar(&j.hosts, "host", nil, "only these hosts (id or name, shell globs allowed; repeatable)")
}

// options validates the shared flags and turns them into judge options.
func (j *judgeFlags) options(f *factory) (advisories.Options, output.Format, error) {
	format, err := output.Parse(j.output, output.Table, output.JSON, output.CSV, output.Markdown)
	if err != nil {
		return advisories.Options{}, "", usageErrorf("%w", err)
	}
	switch j.failOn {
	case "", "eol", "eol-soon", "blocked":
	default:
		return advisories.Options{}, "", usageErrorf("--fail-on %q: use eol, eol-soon or blocked", j.failOn)
	}
	opt, err := j.judging.options(f)
	return opt, format, err
}

type checkOptions struct {
	f *factory
	judgeFlags
	products []string
	statuses []string
	osID     string
	packages string
}

func newCheckCmd(f *factory) *cobra.Command {
	o := &checkOptions{f: f}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Say what is past its end of life, or soon will be, on every host of the latest scan",
		Long: `check maps every installed package and probed binary to a product
(endoflife.date), takes its upstream version and release cycle, and judges it
at a day (today, or --at):

  eol               the cycle's support phase has ended (date and days since)
  eol-soon          it ends within --within days (default 180)
  supported         upstream still supports the cycle
  distro-supported  upstream has ended, but the package is the OS vendor's own
                    and the OS is still in support: patched until the OS ends
  unknown           no data, an unmapped product, or a version that cannot be read

An OS is in support while its standard security support lasts; extended
phases (Debian LTS, Ubuntu ESM, RHEL ELS) count only with --extended-support.
Hand-built binaries and packages from third-party repositories (Oracle MySQL,
Docker, NodeSource, remi, PGDG, nginx.org, EPEL on Amazon Linux) get the plain
upstream verdict. For hosts not on Amazon Linux 2023, the AL2023 column says
whether the product can move as it is (see 'upkeep readiness').

Without a scan: --os ID:VERSION_ID --packages FILE (- for stdin) judges a list
of "NAME<TAB>VERSION" lines (the version as rpm -q or dpkg-query prints it) or
"probe:BINARY<TAB>VERSION" lines (what the binary printed), as one host with
that os-release. Every line gets a finding: unmapped packages are listed with
an empty product and status unknown.

Waivers (upkeep.yaml or --waivers FILE) accept findings on purpose: they stay
in the report, marked waived, and do not count for --fail-on.

` + exitCodesHelp,
		Example: `  upkeep check
  upkeep check --status eol,eol-soon --output markdown
  upkeep check --at 2027-01-01 --fail-on eol
  upkeep check --os amzn:2 --packages pkgs.tsv --output json
  printf 'nginx\t1:1.20.0-2.amzn2.0.5\n' | upkeep check --os amzn:2 --packages -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context())
		},
	}
	o.judgeFlags.add(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&o.products, "product", nil, "only these products (endoflife.date slugs: nginx, php, ...; repeatable)")
	fl.StringSliceVar(&o.statuses, "status", nil, "only these statuses: eol, eol-soon, supported, distro-supported, unknown (repeatable or comma list)")
	fl.StringVar(&o.osID, "os", "", "with --packages: the os-release ID:VERSION_ID to judge the list as (amzn:2, ubuntu:22.04, ...)")
	fl.StringVar(&o.packages, "packages", "", "judge this package list instead of a scan (FILE, or - for stdin); needs --os")
	return cmd
}

func (o *checkOptions) run(ctx context.Context) error {
	opt, format, err := o.options(o.f)
	if err != nil {
		return err
	}
	for _, s := range o.statuses {
		switch advisories.Verdict(s) {
		case advisories.VerdictEOL, advisories.VerdictEOLSoon, advisories.VerdictSupported, advisories.VerdictDistroSupported, advisories.VerdictUnknown:
		default:
			return usageErrorf("--status %q: use eol, eol-soon, supported, distro-supported or unknown", s)
		}
	}
	if (o.packages == "") != (o.osID == "") {
		return usageErrorf("--packages and --os go together: upkeep check --os amzn:2 --packages FILE")
	}
	d, _, err := loadData(ctx, o.f)
	if err != nil {
		return err
	}
	for _, p := range o.products {
		if _, ok := d.Product(p); !ok {
			return usageErrorf("--product %q: not a product in the end-of-life data (for example nginx, php, mysql, amazon-linux)", p)
		}
	}
	var reports []advisories.HostReport
	if o.packages != "" {
		if err := checkWaivers(d, opt.Waivers); err != nil {
			return err
		}
		hr, err := o.judgeList(d, opt)
		if err != nil {
			return err
		}
		reports = []advisories.HostReport{hr}
		warnStale(o.f.io.errOut, d, opt.At)
	} else if reports, _, _, err = judgeLatest(ctx, o.f, d, opt, "check", o.hosts, o.scan); err != nil {
		return err
	}
	var fs []advisories.Finding
	unscanned := 0
	for _, hr := range reports {
		if !hr.Status.Scanned() {
			unscanned++
		}
		for _, f := range hr.Findings {
			if len(o.products) > 0 && !slices.Contains(o.products, f.Product) {
				continue
			}
			if len(o.statuses) > 0 && !slices.Contains(o.statuses, string(f.Status)) {
				continue
			}
			fs = append(fs, f)
		}
	}
	if err := writeFindings(o.f.io.out, format, fs, d, opt.At); err != nil {
		return err
	}
	if unscanned > 0 {
		fmt.Fprintf(o.f.io.errOut, "upkeep: %s of the scan %s no package data (not scanned); see 'upkeep inventory'\n", nouns(unscanned, "host"), verb(unscanned, "has", "have"))
	}
	if o.failOn != "" && len(reports) > 0 && unscanned == len(reports) {
		return nothingJudged(o.f.io.errOut, o.failOn)
	}
	return failOn(o.f.io.errOut, o.failOn, fs, func() []advisories.HostReadiness { return d.Readiness(reports, opt) })
}

// nothingJudged fails a --fail-on gate whose scan reached no host: a gate
// that passes because nothing could be looked at would turn CI green on a
// broken scan.
func nothingJudged(w io.Writer, mode string) error {
	fmt.Fprintf(w, "upkeep: --fail-on %s: no host of the scan has package data, so nothing was judged; fix the scan (see 'upkeep inventory')\n", mode)
	return errSilent(exitFailure)
}

func (o *checkOptions) judgeList(d *advisories.Data, opt advisories.Options) (advisories.HostReport, error) {
	osr, err := advisories.ParseOS(o.osID)
	if err != nil {
		return advisories.HostReport{}, usageErrorf("--os: %w", err)
	}
	var r io.Reader = o.f.io.in
	if o.packages != "-" {
		fh, err := os.Open(o.packages)
		if err != nil {
			return advisories.HostReport{}, usageErrorf("--packages: %w", err)
		}
		defer fh.Close()
		r = fh
	}
	pkgs, probes, err := advisories.ParseList(r, osr)
	if err != nil {
		return advisories.HostReport{}, usageErrorf("--packages %s: %w", o.packages, err)
	}
	return d.JudgeList(osr, pkgs, probes, opt), nil
}

// failOn applies --fail-on after the report is written: exit 1 when a
// finding (not waived) matches, with a one-line summary on stderr.
func failOn(w io.Writer, mode string, fs []advisories.Finding, readiness func() []advisories.HostReadiness) error {
	n := 0
	switch mode {
	case "":
		return nil
	case "eol", "eol-soon":
		for _, f := range fs {
			if f.Waived {
				continue
			}
			if f.Status == advisories.VerdictEOL || (mode == "eol-soon" && f.Status == advisories.VerdictEOLSoon) {
				n++
			}
		}
	case "blocked":
		for _, h := range readiness() {
			if h.Readiness == advisories.Blocked {
				n++
			}
		}
	}
	if n == 0 {
		return nil
	}
	what := "finding"
	if mode == "blocked" {
		what = "host"
	}
	fmt.Fprintf(w, "upkeep: --fail-on %s: %s matched\n", mode, nouns(n, what))
	return errSilent(exitFailure)
}

// writeFindings writes check's report with its data line.
func writeFindings(w io.Writer, format output.Format, fs []advisories.Finding, d *advisories.Data, at time.Time) error {
	return report.WriteFindings(w, format, fs, report.Meta{DataLine: dataLine(d, at), DataDate: d.Date.Format(time.DateOnly)})
}
