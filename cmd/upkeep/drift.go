package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"upkeep/history"
	"upkeep/internal/output"
)

type driftOptions struct {
	f *factory
	outputFlags
	by      string
	scan    int64
	envPair string
	envTag  string
}

func newDriftCmd(f *factory) *cobra.Command {
	o := &driftOptions{f: f}
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Hosts that should be identical but are not: versions that differ within a role",
		Long: `drift groups the hosts of a scan by role (the value of a tag, Role by default, or
the planner's cohort: Role and Env tags and the OS release), finds the majority
version of each package and probed binary in each group, and lists the hosts that
differ from it, worst first: hosts behind the majority, then hosts missing a package
most of their group has, other builds, hosts ahead, and extra packages.

--env-pair dev,prod compares the same role across two environments (the values of
--env-tag, Env by default): the majority version of each package in dev against prod.`,
		Example: `  upkeep drift
  upkeep drift --by cohort
  upkeep drift --by Service --scan 12 --output csv
  upkeep drift --env-pair staging,prod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.outputFlags.parse(); err != nil {
				return err
			}
			opt := history.DriftOptions{By: o.by, EnvTag: o.envTag}
			if o.by == "" {
				return usageErrorf("--by: want a tag key (Role) or cohort")
			}
			if o.envPair != "" {
				p := strings.Split(o.envPair, ",")
				if len(p) != 2 || p[0] == "" || p[1] == "" || p[0] == p[1] {
					return usageErrorf("--env-pair %q: want two different environments, as dev,prod", o.envPair)
				}
				opt.EnvPair = [2]string{p[0], p[1]}
			}
			if o.scan < 0 {
				return usageErrorf("--scan %d: want a scan id (see 'upkeep scans')", o.scan)
			}
			return o.run(cmd.Context(), opt)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.by, "by", "Role", "group hosts by this tag's value, or by cohort (Role and Env tags and OS release)")
	fl.Int64Var(&o.scan, "scan", 0, "scan id to look at (default: the latest scan that finished with hosts; see 'upkeep scans')")
	fl.StringVar(&o.envPair, "env-pair", "", "compare each role across two environments, as dev,prod")
	fl.StringVar(&o.envTag, "env-tag", "Env", "the tag whose values are environments, for --env-pair")
	o.outputFlags.add(cmd, output.Table, output.Table, output.JSON, output.YAML, output.CSV, output.Markdown)
	return cmd
}

func (o *driftOptions) run(ctx context.Context, opt history.DriftOptions) error {
	softMemoryLimit(384 << 20)
	obs, scan, err := loadObservations(ctx, o.f, "drift", o.scan)
	if err != nil {
		return err
	}
	rep := history.Drifts(scan, obs, opt)
	if opt.EnvPair[0] != "" {
		return o.write(o.f, func(w io.Writer, oo output.Options) error {
			return history.WriteEnvDrift(w, oo, rep, opt.By, opt.EnvPair)
		})
	}
	return o.write(o.f, func(w io.Writer, oo output.Options) error { return history.WriteDrift(w, oo, rep, opt.By) })
}
