package ssm

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// isThrottle reports whether err is (or wraps) a throttling answer, also
// after the SDK's retryer gave up on it.
func isThrottle(err error) bool {
	if err == nil {
		return false
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	var q ratelimit.QuotaExceededError
	return errors.As(err, &q)
}

// isTransient reports whether err is worth another try later: throttling,
// 5xx, a dropped connection.
func isTransient(err error) bool {
	if _, ok := unsupported(err); ok {
		return false
	}
	var u *UnreachableError
	if errors.As(err, &u) {
		return false
	}
	if isThrottle(err) {
		return true
	}
	if retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorFault() == smithy.FaultServer {
		return true
	}
	return false
}

// persister retries a call that keeps failing transiently after the SDK's
// own bounded retries: a few more rounds, far apart, so a burst of
// throttling on a large fleet slows the scan down instead of failing hosts.
type persister struct {
	rounds int
	base   time.Duration
	max    time.Duration
	clock  Clock
}

func (p persister) do(ctx context.Context, fn func() error) error {
	var err error
	for i := 0; ; i++ {
		err = fn()
		if err == nil || !isTransient(err) || i >= p.rounds || ctx.Err() != nil {
			return err
		}
		select {
		case <-p.clock.After(p.base/2 + backoff(p.base, p.max, i)):
		case <-ctx.Done():
			return err
		}
	}
}
