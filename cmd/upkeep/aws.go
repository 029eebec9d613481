package main

import (
	"context"
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"upkeep/inventory"
	"upkeep/inventory/ssm"
)

// documentNameRe is SSM's rule for document names (API model), minus the
// prefixes AWS keeps for itself.
var documentNameRe = regexp.MustCompile(`^[a-zA-Z0-9_\-.]{3,128}$`)

func checkDocumentName(flag, name string) error {
	if !documentNameRe.MatchString(name) {
		return usageErrorf("%s %q: an SSM document name is 3 to 128 letters, digits, '_', '-' or '.'", flag, name)
	}
	return nil
}

func newAWSCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "aws",
		Short: "Set up AWS for upkeep (its own SSM document)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErrorf("say what to do: 'upkeep aws document' (see 'upkeep aws --help')")
		},
	}
	cmd.AddCommand(newAWSDocumentCmd(f))
	return cmd
}

type awsDocumentOptions struct {
	f           *factory
	name        string
	create      bool
	regions     []string
	profile     string
	endpointURL string
}

func newAWSDocumentCmd(f *factory) *cobra.Command {
	o := &awsDocumentOptions{f: f}
	cmd := &cobra.Command{
		Use:   "document",
		Short: "Print, or create in SSM, a Command document that runs only the collector",
		Long: `document prints an SSM Command document (schema 2.2, JSON) with upkeep's
collector inside, or with --create makes it exist in each region through the
SSM API (CreateDocument, or UpdateDocument and UpdateDocumentDefaultVersion
when the collector changed; nothing when it is the same).

Scans then send it with 'upkeep scan --document NAME' instead of
AWS-RunShellScript. Its one parameter is a timeout in seconds, so an IAM
policy that allows ssm:SendCommand only on this document lets the scanning
credential run the collector and nothing else (docs/aws.md, "Minimal IAM
policy"). Run it again after upgrading upkeep: the collector changes with it.

` + exitCodesHelp,
		Example: `  upkeep aws document > upkeep-collector.json
  upkeep aws document --create --region eu-west-1,us-east-1
  upkeep scan --all --document upkeep-collector`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.name, "name", ssm.DefaultDocument, "document name")
	fl.BoolVar(&o.create, "create", false, "create or update the document in SSM instead of printing it")
	fl.StringSliceVar(&o.regions, "region", nil, "regions to create it in (with --create; default: the SDK configuration's region)")
	fl.StringVar(&o.profile, "profile", "", "AWS shared config profile (with --create)")
	fl.StringVar(&o.endpointURL, "endpoint-url", "", "SSM endpoint (with --create; default: AWS_ENDPOINT_URL_SSM, else AWS's)")
	return cmd
}

func (o *awsDocumentOptions) run(ctx context.Context) error {
	if err := checkDocumentName("--name", o.name); err != nil {
		return err
	}
	if !o.create && (len(o.regions) > 0 || o.profile != "" || o.endpointURL != "") {
		return usageErrorf("--region, --profile and --endpoint-url go with --create")
	}
	content, err := ssm.Document(inventory.Script())
	if err != nil {
		return err
	}
	if !o.create {
		if _, err := o.f.io.out.Write(content); err != nil {
			return fmt.Errorf("print document: %w", err)
		}
		return nil
	}
	regions := dedupeStrings(o.regions)
	if len(regions) == 0 {
		r, err := ssm.DefaultRegion(ctx, o.profile)
		if err != nil {
			return ssm.ExplainCredentials(err, o.profile)
		}
		if r == "" {
			return usageErrorf("no AWS region: pass --region, set AWS_REGION, or set one in the profile")
		}
		regions = []string{r}
	}
	endpoint := o.endpointURL
	if endpoint == "" {
		endpoint = o.f.getenv("AWS_ENDPOINT_URL_SSM")
	}
	cfg, err := ssm.LoadConfig(ctx, o.profile, ssm.Retry{}, nil)
	if err != nil {
		return ssm.ExplainCredentials(err, o.profile)
	}
	for _, r := range regions {
		c, err := ssm.NewClients(cfg, r, endpoint)
		if err != nil {
			return err
		}
		res, err := ssm.EnsureDocument(ctx, c.Documents, o.name, content)
		if err != nil {
			return fmt.Errorf("%s: %w", r, ssm.ExplainCredentials(err, o.profile))
		}
		fmt.Fprintf(o.f.io.errOut, "%s: %s SSM document %s, default version %s\n", r, res.Action, o.name, res.Version)
	}
	return nil
}
