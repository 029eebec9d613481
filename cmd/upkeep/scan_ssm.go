package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"upkeep/inventory"
	"upkeep/inventory/scan"
	"upkeep/inventory/ssm"
	"upkeep/inventory/store"
)

// Sources of an SSM scan (--source).
const (
	sourceRunCommand = "run-command"
	sourceInventory  = "ssm-inventory"
)

// ssmTuning lets tests shorten the SSM client's retries and polling without
// changing what a real scan does; its zero value means the defaults. It also
// holds --fetch-concurrency (opt.Fetchers), the one tuning knob users get.
type ssmTuning struct {
	retry ssm.Retry
	opt   ssm.Options // only PollMin, PollMax, PersistBase and Fetchers are read
	// httpClient, when set, carries every AWS call: tests hand requests to
	// a fake in-process so they can run in a testing/synctest bubble.
	httpClient aws.HTTPClient
}

// GetCommandInvocation calls in flight per region. AWS publishes no rate for
// it (docs/aws.md, "Cost and limits"), so the default stays modest; the cap
// keeps a typo from opening hundreds of connections to one endpoint.
const (
	defaultFetchConcurrency = 8
	maxFetchConcurrency     = 64
)

// SendCommand's MaxConcurrency and MaxErrors syntax (API model).
var (
	maxConcurrencyRe = regexp.MustCompile(`^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$`)
	maxErrorsRe      = regexp.MustCompile(`^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$`)
	instanceIDRe     = regexp.MustCompile(`^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$`)
)

func addSSMFlags(cmd *cobra.Command, o *scanOptions) {
	fl := cmd.Flags()
	fl.StringVar(&o.source, "source", sourceRunCommand, "run-command (run the collector through SSM Run Command) or ssm-inventory (read SSM Inventory, run nothing)")
	fl.StringSliceVar(&o.instanceIDs, "instance-ids", nil, "EC2 instance ids to scan (comma list or repeated)")
	fl.StringArrayVar(&o.tags, "tag", nil, "scan instances with this tag, Key=Value (repeatable: all must match)")
	fl.BoolVar(&o.all, "all", false, "scan every instance SSM manages in the regions")
	fl.StringSliceVar(&o.regions, "region", nil, "AWS region (repeatable or comma list; default: the SDK configuration's region)")
	fl.StringVar(&o.endpointURL, "endpoint-url", "", "SSM endpoint, for VPC endpoints and tests (default: AWS_ENDPOINT_URL_SSM, else AWS's)")
	fl.StringVar(&o.maxConcurrency, "max-concurrency", "50", "SSM MaxConcurrency per command of up to 50 hosts (a number or a percentage)")
	fl.StringVar(&o.maxErrors, "max-errors", "100%", "SSM MaxErrors per command: failures after which SSM stops sending")
	fl.DurationVar(&o.timeout, "timeout", 10*time.Minute, "execution timeout of the collector on each host")
	fl.StringVar(&o.s3Bucket, "s3-bucket", "", "have SSM write full outputs to this bucket and read them from there (no 24,000-character limit)")
	fl.StringVar(&o.s3Prefix, "s3-prefix", "", "key prefix for --s3-bucket")
	fl.StringVar(&o.document, "document", "", "send this upkeep-owned SSM document (made by 'upkeep aws document --create') instead of AWS-RunShellScript")
	fl.IntVar(&o.ssmTune.opt.Fetchers, "fetch-concurrency", defaultFetchConcurrency, "GetCommandInvocation calls in flight at once, per region (1-64)")
	fl.Int64Var(&o.resume, "resume", 0, "finish interrupted SSM scan SCAN_ID: scan only its hosts that have no result")
	addAccountFlags(cmd, o)
}

// ssmTargeted reports whether SSM targets were given.
func (o *scanOptions) ssmTargeted() bool {
	return len(o.instanceIDs) > 0 || len(o.tags) > 0 || o.all
}

// checkSSM validates the SSM flags; it only parses, it calls nothing.
func (o *scanOptions) checkSSM() (ssm.Selector, error) {
	var sel ssm.Selector
	if err := o.checkAccounts(); err != nil {
		return sel, err
	}
	kinds := 0
	for _, set := range []bool{len(o.instanceIDs) > 0, len(o.tags) > 0, o.all} {
		if set {
			kinds++
		}
	}
	if kinds > 1 {
		return sel, usageErrorf("choose one of --instance-ids, --tag and --all")
	}
	if o.source != sourceRunCommand && o.source != sourceInventory {
		return sel, usageErrorf("unknown --source %q: use run-command or ssm-inventory", o.source)
	}
	for _, id := range o.instanceIDs {
		if !instanceIDRe.MatchString(id) {
			return sel, usageErrorf("--instance-ids: %q is not an EC2 or managed instance id (i-0123456789abcdef0, mi-...)", id)
		}
	}
	for _, t := range o.tags {
		k, v, ok := strings.Cut(t, "=")
		if !ok || k == "" {
			return sel, usageErrorf("--tag %q: use Key=Value", t)
		}
		sel.Tags = append(sel.Tags, ssm.Tag{Key: k, Value: v})
	}
	sel.InstanceIDs, sel.All = o.instanceIDs, o.all
	switch {
	case !maxConcurrencyRe.MatchString(o.maxConcurrency):
		return sel, usageErrorf("--max-concurrency %q: use a number (10) or a percentage (10%%)", o.maxConcurrency)
	case !maxErrorsRe.MatchString(o.maxErrors):
		return sel, usageErrorf("--max-errors %q: use a number (0, 5) or a percentage (100%%)", o.maxErrors)
	case o.timeout < time.Second || o.timeout > 48*time.Hour:
		return sel, usageErrorf("--timeout %s: SSM allows 1s to 48h", o.timeout)
	case o.ssmTune.opt.Fetchers < 1 || o.ssmTune.opt.Fetchers > maxFetchConcurrency:
		return sel, usageErrorf("--fetch-concurrency %d: use 1 to %d", o.ssmTune.opt.Fetchers, maxFetchConcurrency)
	case o.s3Prefix != "" && o.s3Bucket == "":
		return sel, usageErrorf("--s3-prefix needs --s3-bucket")
	case o.s3Bucket != "" && o.source == sourceInventory:
		return sel, usageErrorf("--s3-bucket applies to run-command scans; ssm-inventory runs nothing")
	case o.document != "" && o.source == sourceInventory:
		return sel, usageErrorf("--document applies to run-command scans; ssm-inventory runs nothing")
	}
	if o.document != "" {
		if err := checkDocumentName("--document", o.document); err != nil {
			return sel, err
		}
	}
	for _, r := range o.regions {
		if r == "" {
			return sel, usageErrorf("--region: empty region name")
		}
	}
	return sel, nil
}

// runSSM scans the targets through SSM in every region asked for.
func (o *scanOptions) runSSM(ctx context.Context) error {
	sel, err := o.checkSSM()
	if err != nil {
		return err
	}
	scanners, err := o.connect(ctx, o.regions)
	if err != nil {
		return err
	}
	db, err := o.f.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	src := o.fleet()
	src.Selector, src.Scanners, src.Targets = sel, scanners, o.targetsText(sel, scanners)
	return o.scanFleet(ctx, db, src, scan.Options{Now: o.f.now})
}

// runResume finishes an interrupted (or failed) SSM scan: every host of it
// that has no result is found again and scanned; hosts already scanned are
// left alone.
func (o *scanOptions) runResume(ctx context.Context) error {
	if o.ssmTargeted() {
		return usageErrorf("--resume takes its targets from the scan: drop --instance-ids, --tag and --all")
	}
	if _, err := o.checkSSM(); err != nil {
		return err
	}
	db, err := o.f.openExistingStore(ctx)
	if errors.Is(err, errNoDatabase) {
		return usageErrorf("--resume: scan %d: %w", o.resume, err)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Scan(ctx, o.resume)
	if errors.Is(err, store.ErrNotFound) {
		return usageErrorf("--resume: %w", err)
	}
	if err != nil {
		return err
	}
	if s.Source != ssm.SourceRunCommand && s.Source != ssm.SourceInventory {
		return usageErrorf("scan %d is a %s scan: only SSM scans can be resumed", s.ID, s.Source)
	}
	o.source = sourceRunCommand
	if s.Source == ssm.SourceInventory {
		o.source = sourceInventory
	}
	src := o.fleet()
	src.Regions, src.Connect = o.regions, o.connect
	return o.scanFleet(ctx, db, src, scan.Options{Now: o.f.now, Resume: s.ID})
}

// fleet is the SSM source the flags describe, without targets yet.
func (o *scanOptions) fleet() *ssm.Fleet {
	return &ssm.Fleet{Inventory: o.source == sourceInventory, Parallel: o.parallel, Profile: o.profileName(),
		Progress: func(total int) ssm.Events {
			if o.resume > 0 && !o.quiet {
				fmt.Fprintf(o.f.io.errOut, "scan %d: resuming %s with no result\n", o.resume, hostsText(total))
			}
			o.prog = o.newProgress(total)
			return o.prog
		}}
}

// scanFleet runs the scan and ends it as the user sees it: a summary by
// status, the accounts not scanned, and the exit code.
func (o *scanOptions) scanFleet(ctx context.Context, db *store.DB, src *ssm.Fleet, opt scan.Options) error {
	begin := time.Now() // for the rate in the summary only
	res, err := scan.Run(ctx, db, src, opt)
	if o.prog != nil {
		o.prog.finish()
	}
	o.accountErrs = append(o.accountErrs, src.AccountErrors()...)
	switch {
	case res.Scan.ID == 0:
		return err // nothing began: a usage or connection error
	case res.NothingToResume:
		if !o.quiet {
			fmt.Fprintf(o.f.io.errOut, "scan %d: nothing to resume, every host has a result\n", res.Scan.ID)
		}
		if err != nil {
			return err
		}
		return o.exitFor(res.Scan)
	case ctx.Err() != nil:
		o.summary(res.Scan, begin, "interrupted")
		return ctx.Err()
	case err != nil:
		if res.Scan.Stored() == 0 {
			return fmt.Errorf("%w (scan %d is marked failed)", err, res.Scan.ID)
		}
		o.summary(res.Scan, begin, "failed")
		return err
	}
	o.summary(res.Scan, begin, "done")
	return o.exitFor(res.Scan)
}

// profileName is the profile the SDK uses: --profile, else AWS_PROFILE.
func (o *scanOptions) profileName() string {
	if o.profile != "" {
		return o.profile
	}
	return o.f.getenv("AWS_PROFILE")
}

func (o *scanOptions) targetsText(sel ssm.Selector, scanners []*ssm.Scanner) string {
	var regions []string
	for _, sc := range scanners {
		regions = append(regions, sc.Region())
	}
	text := sel.String() + " --region " + strings.Join(dedupeStrings(regions), ",")
	switch {
	case o.organization:
		text += " --organization"
	case len(o.accounts) > 0:
		text += " --accounts " + strings.Join(o.accounts, ",")
	case len(o.profiles) > 1:
		text += " --profile " + strings.Join(o.profiles, ",")
	}
	return text
}

// connect builds one scanner per region, resolving the default region from
// the SDK configuration when none was given.
func (o *scanOptions) connect(ctx context.Context, regions []string) ([]*ssm.Scanner, error) {
	regions = dedupeStrings(regions)
	if len(regions) == 0 {
		profile := o.profile
		if len(o.profiles) > 0 {
			profile = o.profiles[0]
		}
		r, err := ssm.DefaultRegion(ctx, profile)
		if err != nil {
			return nil, ssm.ExplainCredentials(err, o.profileName())
		}
		if r == "" {
			return nil, usageErrorf("no AWS region: pass --region, set AWS_REGION, or set one in the profile")
		}
		regions = []string{r}
	}
	endpoint := o.endpointURL
	if endpoint == "" {
		endpoint = o.f.getenv("AWS_ENDPOINT_URL_SSM")
	}
	opt := ssm.Options{
		Script:           inventory.Script(),
		MaxConcurrency:   o.maxConcurrency,
		MaxErrors:        o.maxErrors,
		ExecutionTimeout: o.timeout,
		S3Bucket:         o.s3Bucket,
		S3Prefix:         o.s3Prefix,
		Document:         o.document,
		PollMin:          o.ssmTune.opt.PollMin,
		PollMax:          o.ssmTune.opt.PollMax,
		PersistBase:      o.ssmTune.opt.PersistBase,
		Fetchers:         o.ssmTune.opt.Fetchers,
	}
	var sdkLog io.Writer // the SDK's warnings, only with --verbose
	if o.verbose {
		sdkLog = o.f.io.errOut
	}
	load := func(profile string) (aws.Config, error) {
		return ssm.LoadConfig(ctx, profile, o.ssmTune.retry, sdkLog, o.sdkLoadOptions()...)
	}
	ids, err := o.identities(ctx, load)
	if err != nil {
		return nil, err
	}
	var out []*ssm.Scanner
	for _, id := range ids {
		for _, r := range regions {
			c, err := ssm.NewClients(id.cfg, r, endpoint)
			if err != nil {
				return nil, err
			}
			c.Account = id.account
			out = append(out, ssm.NewScanner(c, opt))
		}
	}
	if len(out) == 0 {
		// Every account failed: nothing to scan, and each one's reason.
		return nil, fmt.Errorf("no account could be scanned:\n%s", strings.Join(o.accountsSummary(), "\n"))
	}
	return out, nil
}

func dedupeStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
