package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"strings"
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
	outputFlags
	failOn string
	hosts  []string
}

func (j *judgeFlags) add(cmd *cobra.Command) {
	j.judging.addFlags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&j.failOn, "fail-on", "", "exit 1 after the report when a finding matches: eol (includes unpatched), eol-soon (includes eol) or blocked")
	j.outputFlags.add(cmd, output.Table, output.Table, output.JSON, output.YAML, output.CSV, output.Markdown)
	fl.StringSliceVar(&j.hosts, "host", nil, "only these hosts (id or name, shell globs allowed; repeatable)")
}

// options validates the shared flags and turns them into judge options.
func (j *judgeFlags) options(f *factory) (advisories.Options, error) {
	if err := j.outputFlags.parse(); err != nil {
		return advisories.Options{}, err
	}
	switch j.failOn {
	case "", "eol", "eol-soon", "blocked":
	default:
		return advisories.Options{}, usageErrorf("--fail-on %q: use eol, eol-soon or blocked", j.failOn)
	}
	return j.judging.options(f)
}

type checkOptions struct {
	f *factory
	judgeFlags
	products []string
	statuses []string
	osID     string
	packages string
	all      bool
}

func newCheckCmd(f *factory) *cobra.Command {
	o := &checkOptions{f: f}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Say what is past its end of life, or soon will be, on every host of the latest scan",
		Long: `check maps every installed package and probed binary to a product
(endoflife.date), takes its upstream version and release cycle, and judges it
at a day (today, or --at). The table (and Markdown) shows what needs action,
worst first: eol, eol-soon and unpatched findings; --all (or --status) shows
the rest too, and a line on stderr says how many were left out. JSON, YAML
and CSV list every finding.

  eol               the cycle's support phase has ended (date and days since)
  unpatched         an OS vendor's build whose vendor has stopped patching it (the
                    OS release, Application Stream or Software Collection ended)
                    while upstream may still support the cycle
  eol-soon          the date that counts (upstream's, or the vendor's for its own
                    build) is within --within days (default 180)
  supported         upstream still supports the cycle
  distro-supported  upstream has ended, but the package is the OS vendor's own
                    and the vendor still patches it (until distro_until)
  unknown           no data, an unmapped product, or a version that cannot be read

An OS is in support while its standard security support lasts; extended
phases (Debian LTS, Ubuntu ESM, RHEL ELS) count only with --extended-support.
Some vendor builds follow upstream instead (AL2023's php8.x, nodejs, mariadb105;
AL2 Extras topics; Ubuntu universe packages without Ubuntu Pro): see
docs/advisories.md. Each finding names the role of its package (server, runtime,
module, library, client, config, tooling).
Hand-built binaries and packages from third-party repositories (Oracle MySQL,
Docker, NodeSource, remi, PGDG, nginx.org, EPEL on Amazon Linux) get the plain
upstream verdict. For hosts not on Amazon Linux 2023, the AL2023 column says
whether the product can move as it is (see 'upkeep readiness').

Without a scan: --os ID:VERSION_ID --packages FILE (- for stdin) judges a list
of "NAME<TAB>VERSION" lines (blanks instead of the TAB work too; the version as
rpm -q or dpkg-query prints it) or
"probe:BINARY<TAB>VERSION" lines (what the binary printed), as one host with
that os-release. Every line gets a finding (with --all, unmapped packages are
listed with an empty product and status unknown).

Waivers (upkeep.yaml or --waivers FILE) accept findings on purpose: they stay
in the report, marked waived, and do not count for --fail-on.

` + exitCodesHelp,
		Example: `  upkeep check
  upkeep check --all --output markdown
  upkeep check --status eol --wide
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
	fl.StringSliceVar(&o.statuses, "status", nil, "only these statuses: eol, unpatched, eol-soon, supported, distro-supported, unknown (repeatable or comma list)")
	fl.StringVar(&o.osID, "os", "", "with --packages: the os-release ID:VERSION_ID to judge the list as (amzn:2, ubuntu:22.04, ...)")
	fl.StringVar(&o.packages, "packages", "", "judge this package list instead of a scan (FILE, or - for stdin); needs --os")
	fl.BoolVar(&o.all, "all", false, "also show supported, distro-supported and unknown findings in a table or Markdown")
	return cmd
}

func (o *checkOptions) run(ctx context.Context) error {
	opt, err := o.options(o.f)
	if err != nil {
		return err
	}
	for _, s := range o.statuses {
		switch advisories.Verdict(s) {
		case advisories.VerdictEOL, advisories.VerdictUnpatched, advisories.VerdictEOLSoon, advisories.VerdictSupported, advisories.VerdictDistroSupported, advisories.VerdictUnknown:
		default:
			return usageErrorf("--status %q: use eol, unpatched, eol-soon, supported, distro-supported or unknown", s)
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
	var js *judgedScan
	if o.packages != "" {
		if err := checkWaivers(d, opt.Waivers); err != nil {
			return err
		}
		hr, err := o.judgeList(d, opt)
		if err != nil {
			return err
		}
		js = &judgedScan{hosts: []advisories.Judged{d.JudgedOf(hr, opt)}}
		o.f.warnStale(d)
	} else if js, err = judgeLatest(ctx, o.f, d, opt, "check", o.hosts, o.scan, o.accounts, nil); err != nil {
		return err
	}
	// Tables and Markdown, for people, show what needs action; JSON, YAML
	// and CSV, for scripts, every finding (--status filters all formats).
	human := o.format == output.Table || o.format == output.Markdown
	hidden := map[advisories.Verdict]int{}
	severities := map[int]bool{}
	selected := func(f *advisories.Finding) bool {
		return (len(o.products) == 0 || slices.Contains(o.products, f.Product)) &&
			(len(o.statuses) == 0 || slices.Contains(o.statuses, string(f.Status)))
	}
	shown := func(f *advisories.Finding) bool {
		return selected(f) && !(human && len(o.statuses) == 0 && !o.all && !needsAction(f.Status))
	}
	for i := range js.hosts {
		for _, f := range js.hosts[i].Findings {
			switch {
			case shown(f):
				severities[report.Severity(f.Status)] = true
			case selected(f):
				hidden[f.Status]++
			}
		}
	}
	// For people, worst first; within a verdict, the judge's order (host,
	// kind, product), which scripts get unchanged. The findings are read
	// once per verdict shown instead of sorted: nothing holds them all.
	fs := js.findings(shown)
	if human {
		fs = func(yield func(advisories.Finding) bool) {
			for _, sev := range slices.Sorted(maps.Keys(severities)) {
				for f := range js.findings(func(f *advisories.Finding) bool { return shown(f) && report.Severity(f.Status) == sev }) {
					if !yield(f) {
						return
					}
				}
			}
		}
	}
	if err := o.write(o.f, func(w io.Writer, oo output.Options) error { return writeFindings(w, oo, fs, d, opt.At) }); err != nil {
		return err
	}
	if len(hidden) > 0 {
		o.f.note("%s not shown (%s): --all shows them", nouns(hiddenCount(hidden), "finding"), hiddenText(hidden))
	}
	unscanned := js.unscanned()
	if unscanned > 0 {
		fmt.Fprintf(o.f.io.errOut, "upkeep: %s of the scan %s no package data (not scanned); see 'upkeep inventory'\n", nouns(unscanned, "host"), verb(unscanned, "has", "have"))
	}
	if o.failOn != "" && len(js.hosts) > 0 && unscanned == len(js.hosts) {
		return nothingJudged(o.failOn)
	}
	return failOn(o.failOn, fs, js.blocked)
}

// needsAction: the verdicts check shows without --all.
func needsAction(v advisories.Verdict) bool {
	switch v {
	case advisories.VerdictSupported, advisories.VerdictDistroSupported, advisories.VerdictUnknown:
		return false
	}
	return true
}

func hiddenCount(m map[advisories.Verdict]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// hiddenText is "12 supported, 3 unknown", worst first.
func hiddenText(m map[advisories.Verdict]int) string {
	vs := slices.SortedFunc(maps.Keys(m), func(a, b advisories.Verdict) int { return report.Severity(a) - report.Severity(b) })
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%d %s", m[v], v)
	}
	return strings.Join(parts, ", ")
}

// nothingJudged fails a --fail-on gate whose scan reached no host: a gate
// that passes because nothing could be looked at would turn CI green on a
// broken scan.
func nothingJudged(mode string) error {
	return &exitError{code: exitFailure, err: fmt.Errorf("--fail-on %s: no host of the scan has package data, so nothing was judged; fix the scan (see 'upkeep inventory')", mode)}
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
// finding (not waived) matches, with a one-line summary on stderr (which
// --quiet keeps: it says why the exit code is 1).
func failOn(mode string, fs iter.Seq[advisories.Finding], blocked func() int) error {
	n := 0
	switch mode {
	case "":
		return nil
	case "eol", "eol-soon":
		for f := range fs {
			if f.Waived {
				continue
			}
			if f.Status.Ended() || (mode == "eol-soon" && f.Status == advisories.VerdictEOLSoon) {
				n++
			}
		}
	case "blocked":
		n = blocked()
	}
	if n == 0 {
		return nil
	}
	what := "finding"
	if mode == "blocked" {
		what = "host"
	}
	return &exitError{code: exitFailure, err: fmt.Errorf("--fail-on %s: %s matched", mode, nouns(n, what))}
}

// writeFindings writes check's report with its data line.
func writeFindings(w io.Writer, o output.Options, fs iter.Seq[advisories.Finding], d *advisories.Data, at time.Time) error {
	return report.WriteFindings(w, o, fs, report.Meta{DataLine: dataLine(d, at), DataDate: d.Date.Format(time.DateOnly)})
}
