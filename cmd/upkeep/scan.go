package main

import (
	"time"

	"github.com/spf13/cobra"
)

// scanOptions holds every flag of `upkeep scan`; one run function per source
// does the work (scan_local.go for --local and --import, scan_ssm.go for SSM).
type scanOptions struct {
	f *factory

	// this machine and saved outputs
	local   bool
	imports []string // --import FILE...
	host    string   // --host NAME for --local / a single --import

	// SSM Run Command and SSM Inventory
	source         string   // run-command (default) or ssm-inventory
	instanceIDs    []string // --instance-ids
	tags           []string // --tag Key=Value, repeatable
	all            bool     // --all managed Linux instances
	regions        []string // --region, repeatable or comma list
	profile        string   // the one profile, when one was given (set by checkAccounts)
	profiles       []string // --profile, repeatable
	roleARN        string   // --role-arn with {account}
	accounts       []string // --accounts
	organization   bool     // --organization
	externalID     string
	parallel       int     // account × region pairs at once
	accountErrs    []error // accounts not scanned, for the summary
	endpointURL    string
	maxConcurrency string
	maxErrors      string
	timeout        time.Duration // execution timeout per host
	s3Bucket       string
	s3Prefix       string
	document       string    // --document: upkeep's own SSM document instead of AWS-RunShellScript
	resume         int64     // --resume SCAN_ID
	ssmTune        ssmTuning // tests shorten SSM retries and polling (scan_ssm.go); zero in production
	prog           *progress // an SSM scan's progress, once its targets are known

	verbose bool
	quiet   bool
}

func newScanCmd(f *factory) *cobra.Command {
	o := &scanOptions{f: f}
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Collect installed packages, middleware binaries and services from hosts",
		Long: `scan runs upkeep's read-only collector on hosts and stores what it finds,
one scan at a time, so history and differences between scans stay queryable.

Targets:
  --local                this machine (runs the same collector through sh)
  --import FILE...       saved collector outputs, one host per file
                         (made with: upkeep collector | ssh HOST sudo sh > HOST.out)
  --instance-ids i-1,i-2 these EC2 instances, through SSM Run Command
  --tag Key=Value        instances with this tag (repeatable)
  --all                  every managed Linux instance SSM lists
  --source ssm-inventory read SSM Inventory instead of running anything
  --resume SCAN_ID       finish an interrupted scan: only hosts not yet scanned

Accounts (SSM targets): one --profile, several --profile, or --role-arn with
{account} assumed in each of --accounts or of the whole --organization.

` + exitCodesHelp,
		Example: `  upkeep scan --local
  upkeep scan --import web-1.out web-2.out
  upkeep scan --all --region eu-west-1,us-east-1 --profile prod-readonly
  upkeep scan --tag Role=web --tag Env=prod
  upkeep scan --all --organization --role-arn 'arn:aws:iam::{account}:role/upkeep-scan' --region eu-west-1,us-east-1
  upkeep scan --resume 12`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.local, "local", false, "scan this machine")
	fl.StringSliceVar(&o.imports, "import", nil, "store saved collector outputs (FILE, repeatable or comma list; - for stdin)")
	fl.StringVar(&o.host, "host", "", "host name to store a --local or single --import result under")
	fl.BoolVarP(&o.verbose, "verbose", "v", false, "print each host's result as it arrives, even when not on a terminal")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	addSSMFlags(cmd, o)
	return cmd
}

// run checks that exactly one kind of target was asked for and dispatches.
func (o *scanOptions) run(cmd *cobra.Command) error {
	kinds := 0
	for _, set := range []bool{o.local, len(o.imports) > 0, o.ssmTargeted(), o.resume > 0} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds == 0:
		return usageErrorf("say what to scan: --local, --import FILE, --instance-ids, --tag, --all or --resume (see 'upkeep scan --help')")
	case kinds > 1:
		return usageErrorf("choose one kind of target: --local, --import, SSM targets (--instance-ids/--tag/--all) or --resume")
	case o.verbose && o.quiet:
		return usageErrorf("--verbose and --quiet contradict each other")
	case o.host != "" && !o.local && len(o.imports) != 1:
		return usageErrorf("--host names one host: use it with --local or a single --import FILE")
	}
	ctx := cmd.Context()
	switch {
	case o.local:
		return o.runLocal(ctx)
	case len(o.imports) > 0:
		return o.runImport(ctx)
	case o.resume > 0:
		return o.runResume(ctx)
	default:
		return o.runSSM(ctx)
	}
}
