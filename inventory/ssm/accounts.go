package ssm

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AccountPlaceholder is replaced by each account id in a --role-arn.
const AccountPlaceholder = "{account}"

// Account is one AWS account of a scan.
type Account struct {
	ID   string
	Name string // from AWS Organizations, "" otherwise
}

// OrganizationsAPI is the part of the AWS Organizations client a scan uses.
type OrganizationsAPI interface {
	ListAccounts(ctx context.Context, in *organizations.ListAccountsInput, opts ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error)
}

// NewOrganizations returns the Organizations client of cfg. Organizations
// answers only in its home region, which the SDK resolves from any region;
// AWS_ENDPOINT_URL_ORGANIZATIONS overrides the endpoint, as for every
// service.
func NewOrganizations(cfg aws.Config) OrganizationsAPI {
	cfg = cfg.Copy()
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return organizations.NewFromConfig(cfg)
}

// OrganizationAccounts lists the active accounts of the organization the
// credentials can read (its management account, or a delegated
// administrator), sorted by id. Suspended and closing accounts are left out:
// nothing there can be scanned.
func OrganizationAccounts(ctx context.Context, api OrganizationsAPI) ([]Account, error) {
	var out []Account
	p := organizations.NewListAccountsPaginator(api, &organizations.ListAccountsInput{},
		func(o *organizations.ListAccountsPaginatorOptions) { o.StopOnDuplicateToken = true })
	for pages := 0; p.HasMorePages() && pages < maxPages; pages++ {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list the organization's accounts (organizations:ListAccounts, from the management account or a delegated administrator): %w", err)
		}
		for _, a := range page.Accounts {
			active := a.State == orgtypes.AccountStateActive || (a.State == "" && a.Status == orgtypes.AccountStatusActive)
			if active && aws.ToString(a.Id) != "" {
				out = append(out, Account{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// RoleARN is template with the account id in place of {account}.
func RoleARN(template, account string) string {
	return strings.ReplaceAll(template, AccountPlaceholder, account)
}

// AccountError is an account a scan could not enter or list: its own
// status in the summary, never the end of the scan.
type AccountError struct {
	Account string
	Step    string // "assume role", "discover instances"
	Err     error
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("account %s: %s: %v", e.Account, e.Step, e.Err)
}

func (e *AccountError) Unwrap() error { return e.Err }

// AssumeRole returns a copy of cfg whose credentials are the role roleARN
// (an account's id already in place), obtained once through STS AssumeRole
// and refreshed by the SDK before they expire. The first credentials are
// fetched here, so a role that is missing or denied is known before any
// host of its account is listed.
func AssumeRole(ctx context.Context, cfg aws.Config, account, roleARN, externalID, session string) (aws.Config, error) {
	client := sts.NewFromConfig(cfg)
	prov := stscreds.NewAssumeRoleProvider(client, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = session
		if externalID != "" {
			o.ExternalID = aws.String(externalID)
		}
	})
	out := cfg.Copy()
	out.Credentials = aws.NewCredentialsCache(prov)
	if _, err := out.Credentials.Retrieve(ctx); err != nil {
		if ctx.Err() != nil {
			return aws.Config{}, ctx.Err()
		}
		return aws.Config{}, &AccountError{Account: account, Step: "assume role " + roleARN, Err: err}
	}
	return out, nil
}

// CallerAccount is the account the credentials of cfg are in (STS
// GetCallerIdentity, which needs no permission).
func CallerAccount(ctx context.Context, cfg aws.Config) (string, error) {
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("find the account of the credentials (sts:GetCallerIdentity): %w", err)
	}
	return aws.ToString(out.Account), nil
}
