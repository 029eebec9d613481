package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/cobra"

	"upkeep/inventory/ssm"
)

// A scan across accounts: several --profile, or one role assumed in each
// account of --accounts or of the organization (--organization).

var accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)

// defaultParallel bounds the account × region pairs scanned at once.
const defaultParallel = 8

// roleSession names upkeep's sessions in the member accounts' CloudTrail.
const roleSession = "upkeep-scan"

func addAccountFlags(cmd *cobra.Command, o *scanOptions) {
	fl := cmd.Flags()
	fl.StringArrayVar(&o.profiles, "profile", nil, "AWS shared config profile (repeatable: each profile is scanned; default: AWS_PROFILE or the default chain)")
	fl.StringVar(&o.roleARN, "role-arn", "", "role to assume in each account, with {account} for its id (arn:aws:iam::{account}:role/upkeep-scan); needs --accounts or --organization")
	fl.StringSliceVar(&o.accounts, "accounts", nil, "account ids to scan through --role-arn (comma list or repeated)")
	fl.BoolVar(&o.organization, "organization", false, "scan every active account of the AWS Organization through --role-arn (from the management or a delegated administrator account)")
	fl.StringVar(&o.externalID, "external-id", "", "external id for --role-arn, when the member role's trust policy asks for one")
	fl.IntVar(&o.parallel, "parallel", defaultParallel, "account × region pairs scanned at once (1-64)")
}

// checkAccounts validates the account flags; it calls nothing.
func (o *scanOptions) checkAccounts() error {
	for _, p := range o.profiles {
		if strings.TrimSpace(p) == "" {
			return usageErrorf("--profile: empty profile name")
		}
	}
	o.profiles = dedupeStrings(o.profiles)
	o.profile = ""
	if len(o.profiles) == 1 {
		o.profile = o.profiles[0]
	}
	switch {
	case o.roleARN == "" && (len(o.accounts) > 0 || o.organization):
		return usageErrorf("--accounts and --organization need --role-arn, the role to assume in each account")
	case o.roleARN == "" && o.externalID != "":
		return usageErrorf("--external-id goes with --role-arn")
	case o.roleARN != "" && !strings.Contains(o.roleARN, ssm.AccountPlaceholder):
		return usageErrorf("--role-arn %q: put {account} where each account's id goes (arn:aws:iam::{account}:role/NAME)", o.roleARN)
	case o.roleARN != "" && !strings.HasPrefix(o.roleARN, "arn:"):
		return usageErrorf("--role-arn %q: want an IAM role ARN (arn:aws:iam::{account}:role/NAME)", o.roleARN)
	case o.roleARN != "" && len(o.accounts) == 0 && !o.organization:
		return usageErrorf("--role-arn: say which accounts: --accounts ID,ID or --organization")
	case len(o.accounts) > 0 && o.organization:
		return usageErrorf("choose one of --accounts and --organization")
	case o.roleARN != "" && len(o.profiles) > 1:
		return usageErrorf("--role-arn assumes the role from one profile: pass at most one --profile")
	case o.parallel < 1 || o.parallel > 64:
		return usageErrorf("--parallel %d: use 1 to 64", o.parallel)
	}
	for _, a := range o.accounts {
		if !accountIDRe.MatchString(a) {
			return usageErrorf("--accounts: %q is not a 12-digit AWS account id", a)
		}
	}
	o.accounts = dedupeStrings(o.accounts)
	return nil
}

// identity is one set of credentials a scan uses, and the account it is in
// ("" for a plain one-profile scan, which does not ask).
type identity struct {
	cfg     aws.Config
	account string
}

// identities loads the credentials of every account the scan covers. An
// account whose role cannot be assumed, or whose profile does not work,
// goes to o.accountErrs and the scan goes on without it; only a failure
// that leaves nothing to scan is returned.
func (o *scanOptions) identities(ctx context.Context, load func(profile string) (aws.Config, error)) ([]identity, error) {
	switch {
	case o.roleARN != "":
		base, err := load(o.profile)
		if err != nil {
			return nil, ssm.ExplainCredentials(err, o.profileName())
		}
		accounts := o.accounts
		if o.organization {
			list, err := ssm.OrganizationAccounts(ctx, ssm.NewOrganizations(base))
			if err != nil {
				return nil, ssm.ExplainCredentials(err, o.profileName())
			}
			if len(list) == 0 {
				return nil, errors.New("the organization lists no active account")
			}
			accounts = nil
			for _, a := range list {
				accounts = append(accounts, a.ID)
			}
		}
		var out []identity
		for _, a := range accounts {
			cfg, err := ssm.AssumeRole(ctx, base, a, ssm.RoleARN(o.roleARN, a), o.externalID, roleSession)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				o.accountErrs = append(o.accountErrs, err)
				continue
			}
			out = append(out, identity{cfg: cfg, account: a})
		}
		return out, nil
	case len(o.profiles) > 1:
		var out []identity
		for _, p := range o.profiles {
			cfg, err := load(p)
			if err == nil {
				var account string
				account, err = ssm.CallerAccount(ctx, cfg)
				if err == nil {
					out = append(out, identity{cfg: cfg, account: account})
					continue
				}
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			o.accountErrs = append(o.accountErrs, &ssm.AccountError{Account: "profile " + p, Step: "load credentials", Err: ssm.ExplainCredentials(err, p)})
		}
		return out, nil
	default:
		cfg, err := load(o.profile)
		if err != nil {
			return nil, ssm.ExplainCredentials(err, o.profileName())
		}
		return []identity{{cfg: cfg}}, nil
	}
}

// sdkLoadOptions are the extra SDK options of every configuration a scan loads.
func (o *scanOptions) sdkLoadOptions() []func(*config.LoadOptions) error {
	var extra []func(*config.LoadOptions) error
	if o.ssmTune.httpClient != nil {
		extra = append(extra, config.WithHTTPClient(o.ssmTune.httpClient))
	}
	return extra
}

// accountsSummary names every account that was not scanned, and why.
func (o *scanOptions) accountsSummary() []string {
	var lines []string
	for _, err := range o.accountErrs {
		lines = append(lines, fmt.Sprintf("  not scanned: %v", err))
	}
	if len(lines) > 0 {
		lines = append(lines, "  an account is scanned once its role exists and trusts the scanning account (docs/aws.md, \"Scanning several accounts\"); run the same scan again")
	}
	return lines
}
