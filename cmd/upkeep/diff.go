package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/history"
	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

type diffOptions struct {
	f *factory
	judging
	outputFlags
	noFindings bool
}

func newDiffCmd(f *factory) *cobra.Command {
	o := &diffOptions{f: f}
	cmd := &cobra.Command{
		Use:   "diff [FROM] [TO]",
		Short: "What changed between two scans: hosts, packages, probes, ports, findings",
		Long: `diff compares two scans host by host (hosts are matched by instance id):
hosts added and removed, status changes, packages upgraded and downgraded (by the
package manager's own version order), added and removed, probed binaries and
listening ports that changed, and end-of-life findings fixed and new (both scans
judged with the same data and flags; eol and eol-soon findings that no waiver accepts).

With no scan id it compares the two latest scans that finished with hosts that have
package data; with one, that scan against the latest such scan.`,
		Example: `  upkeep diff
  upkeep diff 12
  upkeep diff 12 15 --output markdown > changes.md
  upkeep diff --output json | jq '.[] | select(.change == "finding-new")'`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := scanIDs(args)
			if err != nil {
				return err
			}
			if err := o.outputFlags.parse(); err != nil {
				return err
			}
			opt, err := o.judging.options(f)
			if err != nil {
				return err
			}
			return o.run(cmd.Context(), ids, opt)
		},
	}
	o.judging.addVerdictFlags(cmd)
	cmd.Flags().BoolVar(&o.noFindings, "no-findings", false, "compare what is installed only; do not judge the scans")
	o.outputFlags.add(cmd, output.Table, output.Table, output.JSON, output.YAML, output.CSV, output.Markdown)
	return cmd
}

// softMemoryLimit asks the garbage collector to work harder as the heap
// nears limit instead of letting GOGC=200 (main.go) triple it: diff and
// drift read whole scans, whose loading makes several times the garbage of
// what it keeps (a 10,000-host scan keeps about 70 MB). GOMEMLIMIT wins.
func softMemoryLimit(limit int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}

func (o *diffOptions) run(ctx context.Context, ids []int64, opt advisories.Options) error {
	softMemoryLimit(384 << 20)
	db, err := o.f.openReadStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	scans, err := db.Scans(ctx)
	if err != nil {
		return err
	}
	from, to, err := history.Pair(scans, ids)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return usageErrorf("%w", err)
	case err != nil:
		return err
	}
	for _, s := range []inventory.Scan{from, to} {
		if !s.Usable() {
			o.f.note("warning: scan %d is %s", s.ID, history.Why(s))
		}
	}
	var d *advisories.Data
	if !o.noFindings {
		if d, _, err = loadData(ctx, o.f); err != nil {
			return err
		}
		if err := checkWaivers(d, opt.Waivers); err != nil {
			return err
		}
		o.f.warnStale(d)
	}
	read := func(s inventory.Scan) ([]inventory.Observation, error) {
		obs, err := db.Observations(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("read scan %d: %w", s.ID, err)
		}
		return obs, nil
	}
	obsA, err := read(from)
	if err != nil {
		return err
	}
	obsB, err := read(to)
	if err != nil {
		return err
	}
	// Only hosts whose judge input changed can have other findings: judge
	// those alone, on both sides.
	var repA, repB []advisories.HostReport
	if d != nil {
		ca, cb := history.Changed(obsA, obsB)
		repA, repB = d.Judge(ca, opt), d.Judge(cb, opt)
	}
	a, b := history.NewSide(from, obsA, repA), history.NewSide(to, obsB, repB)
	diff := history.Compare(a, b)
	return o.write(o.f, func(w io.Writer, oo output.Options) error { return history.WriteDiff(w, oo, diff) })
}
