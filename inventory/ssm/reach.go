package ssm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
)

// UnreachableError is the first call of a region failing before any server
// answered: the connection was refused or the name did not resolve. Retrying
// it only delays the same answer (about 20 seconds of backoff), so the scan
// stops at once and says what to check.
type UnreachableError struct {
	Endpoint string // the URL the call went to, "" when unknown
	Err      error
}

func (e *UnreachableError) Error() string {
	where := "the SSM endpoint"
	if e.Endpoint != "" {
		where = e.Endpoint
	}
	return fmt.Sprintf("cannot reach SSM at %s (%v): check --endpoint-url (or AWS_ENDPOINT_URL_SSM), the region, the network, or the VPC endpoint for SSM", where, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// unreachable reports whether err is a failure to connect at all: a refused
// connection, a name that does not resolve, no route. A timeout is not one:
// it may pass.
func unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsTimeout
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && !op.Timeout()
}

// asUnreachable wraps err as an UnreachableError naming the endpoint the
// request went to.
func asUnreachable(err error) error {
	e := &UnreachableError{Err: err}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			e.Endpoint = u.Scheme + "://" + u.Host
		}
		e.Err = ue.Err // the URL is said once, in Endpoint
	}
	return e
}

// failFast is a call option for the first call of a region: the SDK's
// retryer keeps retrying throttling and 5xx answers, but not a connection
// that cannot be made at all.
func failFast(o *awsssm.Options) {
	o.Retryer = noDialRetry{o.Retryer}
}

type noDialRetry struct{ aws.Retryer }

func (r noDialRetry) IsErrorRetryable(err error) bool {
	return !unreachable(err) && r.Retryer.IsErrorRetryable(err)
}

// GetAttemptToken keeps the wrapped retryer's per-attempt tokens when it
// has them (aws.RetryerV2).
func (r noDialRetry) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := r.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.Retryer.GetInitialToken(), nil
}
