package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"upkeep/advisories/report"
	"upkeep/internal/output"
)

type readinessOptions struct {
	f *factory
	judgeFlags
}

func newReadinessCmd(f *factory) *cobra.Command {
	o := &readinessOptions{f: f}
	cmd := &cobra.Command{
		Use:   "readiness",
		Short: "Say, per host, what stands between it and Amazon Linux 2023",
		Long: `readiness checks every product on every host of the latest scan against the
Amazon Linux 2023 package list:

  available    AL2023 ships it under the same name, in a compatible version
  namespaced   AL2023 ships the same line under another name (php8.2, mariadb105)
  newer-only   only a newer line exists: a compatibility risk to test
  replaced     another product fills the role (MySQL -> MariaDB, OpenJDK -> Corretto)
  removed      nothing in AL2023 (EPEL does not exist there): find another source
  unknown      the data cannot tell

Each host is ready, needs-work or blocked (an inhibitor stands); the table
has one line per host naming its inhibitors and counting the other work.
With --host it prints that host's pre-upgrade report: one line per entry with severity,
inhibitor flag, summary, remediation and a stable key that waivers and diffs
can name. Hosts already on AL2023 are ready for the move (their end-of-life
findings are in 'upkeep check').

` + exitCodesHelp,
		Example: `  upkeep readiness
  upkeep readiness --host web-1
  upkeep readiness --output json --fail-on blocked`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context())
		},
	}
	o.judgeFlags.add(cmd)
	return cmd
}

func (o *readinessOptions) run(ctx context.Context) error {
	opt, err := o.options(o.f)
	if err != nil {
		return err
	}
	if o.failOn == "eol" || o.failOn == "eol-soon" {
		return usageErrorf("--fail-on %s belongs to 'upkeep check'; readiness takes --fail-on blocked", o.failOn)
	}
	d, _, err := loadData(ctx, o.f)
	if err != nil {
		return err
	}
	js, err := judgeLatest(ctx, o.f, d, opt, "readiness", o.hosts, o.scan, o.accounts, nil)
	if err != nil {
		return err
	}
	meta := report.Meta{DataLine: dataLine(d, opt.At), DataDate: d.Date.Format(time.DateOnly)}
	err = o.write(o.f, func(w io.Writer, oo output.Options) error {
		return report.WriteReadiness(w, oo, js.readiness(), len(o.hosts) > 0, meta)
	})
	if err != nil {
		return err
	}
	n := js.unscanned()
	if n > 0 {
		fmt.Fprintf(o.f.io.errOut, "upkeep: %s of the scan %s no package data (not scanned) and %s left out\n", nouns(n, "host"), verb(n, "has", "have"), verb(n, "is", "are"))
	}
	if o.failOn != "" && n == len(js.hosts) {
		return nothingJudged(o.failOn)
	}
	return failOn(o.failOn, nil, js.blocked)
}
