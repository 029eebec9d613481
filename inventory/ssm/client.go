// Package ssm scans hosts through AWS Systems Manager: it finds the targeted
// instances (DescribeInstanceInformation), sends them the collector with Run
// Command, polls for and fetches each result, and turns it into an
// observation; or, with no command run, reads SSM Inventory.
//
// Fleet is the scan source (inventory/scan) over one or more account ×
// region scanners: the scan's life cycle (begin, finish, fail, resume) is
// scan.Run's, the same for every source.
//
// AWS stays behind the narrow API interface below, which the SDK client
// satisfies; tests drive the real client against a local SSM-compatible
// server.
package ssm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go/logging"
)

// API is the part of the SSM client a scan uses.
type API interface {
	DescribeInstanceInformation(ctx context.Context, in *awsssm.DescribeInstanceInformationInput, opts ...func(*awsssm.Options)) (*awsssm.DescribeInstanceInformationOutput, error)
	SendCommand(ctx context.Context, in *awsssm.SendCommandInput, opts ...func(*awsssm.Options)) (*awsssm.SendCommandOutput, error)
	ListCommandInvocations(ctx context.Context, in *awsssm.ListCommandInvocationsInput, opts ...func(*awsssm.Options)) (*awsssm.ListCommandInvocationsOutput, error)
	GetCommandInvocation(ctx context.Context, in *awsssm.GetCommandInvocationInput, opts ...func(*awsssm.Options)) (*awsssm.GetCommandInvocationOutput, error)
	CancelCommand(ctx context.Context, in *awsssm.CancelCommandInput, opts ...func(*awsssm.Options)) (*awsssm.CancelCommandOutput, error)
	GetInventory(ctx context.Context, in *awsssm.GetInventoryInput, opts ...func(*awsssm.Options)) (*awsssm.GetInventoryOutput, error)
}

// Objects reads command outputs that SSM wrote to S3.
type Objects interface {
	// Get reads one object, at most limit bytes of it: a larger object is
	// an error wrapping ErrObjectTooLarge, and is never read in full.
	Get(ctx context.Context, bucket, key string, limit int64) ([]byte, error)
}

// ErrObjectTooLarge means an S3 object is larger than the reader's limit.
var ErrObjectTooLarge = errors.New("object is too large")

// Retry bounds the SDK's retries of one API call (throttling, 5xx,
// connection errors), with exponential backoff and full jitter.
type Retry struct {
	MaxAttempts int           // attempts per call, the first included; default 5
	MaxBackoff  time.Duration // longest wait between attempts; default 20s
	// BaseDelay, when set, replaces the SDK's base delays (1s after a
	// throttle, 50ms otherwise). Tests set it to keep throttled runs short.
	BaseDelay time.Duration
	// NoQuota turns off the SDK's client-side retry quota (a token bucket
	// that stops retrying when many calls fail). Tests with injected
	// throttling set it; real fleets keep the quota.
	NoQuota bool
}

// Config says how to reach SSM in one region.
type Config struct {
	Region      string // "" means what the SDK config chain says
	Profile     string // shared config profile; "" means the chain's default
	EndpointURL string // "" means the SDK's choice (AWS_ENDPOINT_URL_SSM is honoured)
	Retry       Retry
	HTTPClient  aws.HTTPClient // nil means the SDK's
}

// Clients are what a scan in one region talks to.
type Clients struct {
	Region    string
	Account   string // set by the caller for a scan across accounts
	SSM       API
	Documents DocumentAPI
	Objects   Objects
}

// Connect loads the standard SDK configuration chain (environment, shared
// config and credentials files, SSO, IMDS) and returns clients for one region.
func Connect(ctx context.Context, c Config) (*Clients, error) {
	var extra []func(*config.LoadOptions) error
	if c.HTTPClient != nil {
		extra = append(extra, config.WithHTTPClient(c.HTTPClient))
	}
	cfg, err := LoadConfig(ctx, c.Profile, c.Retry, nil, extra...)
	if err != nil {
		return nil, err
	}
	return NewClients(cfg, c.Region, c.EndpointURL)
}

// LoadConfig loads the SDK configuration chain once; NewClients then makes
// the clients of each region from it, sharing credentials and connections.
//
// The SDK's own log lines (warnings about connection reuse, checksums) go to
// sdkLog, so that a scan's stderr carries only upkeep's report unless the
// user asks for more; nil discards them.
//
// extra are further SDK load options; tests pass config.WithHTTPClient to
// reach a local server without sockets.
func LoadConfig(ctx context.Context, profile string, r Retry, sdkLog io.Writer, extra ...func(*config.LoadOptions) error) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	opts = append(opts, config.WithRetryer(func() aws.Retryer { return r.retryer() }))
	if sdkLog == nil {
		sdkLog = io.Discard
	}
	opts = append(opts, config.WithLogger(logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		fmt.Fprintf(sdkLog, "upkeep: aws sdk %s: %s\n", strings.ToLower(string(c)), fmt.Sprintf(format, v...))
	})))
	opts = append(opts, extra...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	return cfg, nil
}

// NewClients returns the clients of one region ("" means the configuration's
// own region) at an optional endpoint URL.
func NewClients(cfg aws.Config, region, endpointURL string) (*Clients, error) {
	cfg = cfg.Copy()
	if region != "" {
		cfg.Region = region
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS region: pass --region, set AWS_REGION, or set region in the profile")
	}
	client := awsssm.NewFromConfig(cfg, func(o *awsssm.Options) {
		o.APIOptions = append(o.APIOptions, addCompat)
		if endpointURL != "" {
			o.BaseEndpoint = aws.String(endpointURL)
		}
	})
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// SSM writes outputs without object checksums: validating only when
		// asked avoids a log line per object saying there is none.
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		if endpointURL != "" {
			// A private or test endpoint serves buckets by path.
			o.BaseEndpoint = aws.String(endpointURL)
			o.UsePathStyle = true
		}
	})
	return &Clients{Region: cfg.Region, SSM: client, Documents: client, Objects: s3Objects{s3c}}, nil
}

// DefaultRegion is the region the SDK configuration chain names, "" when none.
func DefaultRegion(ctx context.Context, profile string) (string, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return "", fmt.Errorf("load AWS configuration: %w", err)
	}
	return cfg.Region, nil
}

func (r Retry) retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = r.MaxAttempts
		if o.MaxAttempts <= 0 {
			o.MaxAttempts = 5
		}
		o.MaxBackoff = r.MaxBackoff
		if o.MaxBackoff <= 0 {
			o.MaxBackoff = 20 * time.Second
		}
		if r.BaseDelay > 0 {
			o.Backoff = jitter{base: r.BaseDelay, max: o.MaxBackoff}
		}
		if r.NoQuota {
			o.RateLimiter = ratelimit.None
		}
	})
}

// jitter is full-jitter exponential backoff from a chosen base.
type jitter struct{ base, max time.Duration }

func (j jitter) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return backoff(j.base, j.max, attempt-1), nil
}

// backoff returns a random wait in [0, min(base·2^i, max)).
func backoff(base, max time.Duration, i int) time.Duration {
	d := base
	for ; i > 0 && d < max; i-- {
		d *= 2
	}
	d = min(d, max)
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(d)))
}

type s3Objects struct{ c *s3.Client }

func (o s3Objects) Get(ctx context.Context, bucket, key string, limit int64) ([]byte, error) {
	out, err := o.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	// Whoever can write to the bucket decides what is in it: the declared
	// length is checked first, and the read stops one byte past the limit
	// whatever the length said.
	if n := aws.ToInt64(out.ContentLength); n > limit {
		return nil, fmt.Errorf("read s3://%s/%s: %d bytes: %w (limit %d)", bucket, key, n, ErrObjectTooLarge, limit)
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(out.Body, limit+1)); err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	if int64(b.Len()) > limit {
		return nil, fmt.Errorf("read s3://%s/%s: over %d bytes: %w", bucket, key, limit, ErrObjectTooLarge)
	}
	return b.Bytes(), nil
}
