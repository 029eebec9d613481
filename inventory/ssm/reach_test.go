package ssm_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"upkeep/inventory/ssm"
)

// closedPort returns the URL of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestDiscoverUnreachable: the first call of a region to an endpoint that
// refuses the connection is tried once, not retried by the SDK (5 attempts)
// and again by upkeep (4 more rounds), and the error says what to check.
func TestDiscoverUnreachable(t *testing.T) {
	url := closedPort(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	// Production attempts and quota, short waits so the old behaviour
	// fails this test quickly instead of in 20 seconds.
	ctx := context.Background()
	cfg, err := ssm.LoadConfig(ctx, "", ssm.Retry{BaseDelay: time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int32
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		d := &net.Dialer{}
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, addr)
		}
	})
	c, err := ssm.NewClients(cfg, "us-east-1", url)
	if err != nil {
		t.Fatal(err)
	}
	opt := testOptions()
	opt.PersistBase = time.Millisecond
	sc := ssm.NewScanner(c, opt)
	_, err = sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
	if err == nil {
		t.Fatal("Discover succeeded against a closed port")
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d connection attempts, want 1", n)
	}
	var u *ssm.UnreachableError
	if !errors.As(err, &u) {
		t.Errorf("error %v (%T) is not an UnreachableError", err, err)
	}
	for _, want := range []string{"us-east-1", url, "--endpoint-url", "region", "network", "VPC endpoint", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
