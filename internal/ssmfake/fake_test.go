package ssmfake_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"upkeep/internal/ssmfake"
)

// client is the real SDK client pointed at the fake, with no retries so
// every call the test makes is one call the fake answers.
func client(t *testing.T, url string) *awsssm.Client {
	t.Helper()
	return awsssm.New(awsssm.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		Retryer:          aws.NopRetryer{},
	})
}

// inProcessClient is client for a test in a synctest bubble: requests go
// straight to the fake, with no socket whose reader would keep the bubble
// from ever being idle.
func inProcessClient(fake *ssmfake.Server) *awsssm.Client {
	return awsssm.New(awsssm.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("http://ssm.fake.invalid"),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		Retryer:          aws.NopRetryer{},
		HTTPClient:       fake.HTTPClient(),
	})
}

// advance moves a synctest bubble's clock forward by d. In a bubble,
// time.Sleep returns only when every other goroutine of the test is blocked
// (waiting on a timer or a channel) and fake time has reached d: a goroutine
// still running a script holds the clock back, so this is not a wall-clock
// guess but "when the scenario has reached instant d".
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

func code(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// The fake enforces the API's limits, so a client that works against it
// respects them.
func TestLimits(t *testing.T) {
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 60}))
	defer fake.Close()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := client(t, srv.URL)
	ctx := context.Background()
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = ssmfake.InstanceID(i)
	}
	script := map[string][]string{"commands": {"echo hi"}}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"51 instance ids", func() error {
			_, err := c.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: ids, Parameters: script})
			return err
		}, "ValidationException"},
		{"unknown instance", func() error {
			_, err := c.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-0123456789abcdef0"}, Parameters: script})
			return err
		}, "InvalidInstanceId"},
		{"comment over 100", func() error {
			_, err := c.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: ids[:1], Parameters: script, Comment: aws.String(strings.Repeat("x", 101))})
			return err
		}, "ValidationException"},
		{"describe MaxResults 4", func() error {
			_, err := c.DescribeInstanceInformation(ctx, &awsssm.DescribeInstanceInformationInput{MaxResults: aws.Int32(4)})
			return err
		}, "ValidationException"},
		{"tag filter with another kind", func() error {
			_, err := c.DescribeInstanceInformation(ctx, &awsssm.DescribeInstanceInformationInput{Filters: []types.InstanceInformationStringFilter{
				{Key: aws.String("tag:Env"), Values: []string{"prod"}}, {Key: aws.String("PingStatus"), Values: []string{"Online"}}}})
			return err
		}, "InvalidFilterKey"},
		{"list invocations MaxResults 51", func() error {
			_, err := c.ListCommandInvocations(ctx, &awsssm.ListCommandInvocationsInput{MaxResults: aws.Int32(51)})
			return err
		}, "ValidationException"},
		{"inventory with two result types", func() error {
			_, err := c.GetInventory(ctx, &awsssm.GetInventoryInput{ResultAttributes: []types.ResultAttribute{
				{TypeName: aws.String("AWS:Application")}, {TypeName: aws.String("AWS:InstanceInformation")}}})
			return err
		}, "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := code(tt.call()); got != tt.want {
				t.Errorf("error code %q, want %q", got, tt.want)
			}
		})
	}
}

// A command's invocations do not exist for a moment after SendCommand, then
// finish with the script's real output; pages are as small as configured
// and together hold every instance once.
//
// It runs in a testing/synctest bubble: the fake's clock is the bubble's, so
// "a second later" is a second of fake time, reached only once every
// script has run, however slow the machine.
func TestCommandLifecycle(t *testing.T) { synctest.Test(t, testCommandLifecycle) }

func testCommandLifecycle(t *testing.T) {
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 12}), ssmfake.WithFaults(ssmfake.Faults{
		PageSize: 5, Invisible: 200 * time.Millisecond, ExecDelay: 10 * time.Millisecond,
	}))
	defer fake.Close()
	c := inProcessClient(fake)
	ctx := context.Background()

	var ids []string
	p := awsssm.NewDescribeInstanceInformationPaginator(c, &awsssm.DescribeInstanceInformationInput{MaxResults: aws.Int32(50)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, in := range page.InstanceInformationList {
			ids = append(ids, aws.ToString(in.InstanceId))
			if in.LastPingDateTime == nil || in.LastPingDateTime.Before(time.Now().Add(-time.Hour)) {
				t.Errorf("%s: LastPingDateTime %v, want a recent epoch-seconds time", aws.ToString(in.InstanceId), in.LastPingDateTime)
			}
		}
	}
	if len(ids) != 12 || pages != 3 {
		t.Fatalf("%d instances in %d pages, want 12 in 3", len(ids), pages)
	}

	out, err := c.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: ids,
		Parameters: map[string][]string{"commands": {"uname -m; exit 0"}}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := out.Command.CommandId
	if len(aws.ToString(cmd)) != 36 {
		t.Errorf("command id %q is not 36 characters", aws.ToString(cmd))
	}
	_, err = c.GetCommandInvocation(ctx, &awsssm.GetCommandInvocationInput{CommandId: cmd, InstanceId: aws.String(ids[0])})
	var missing *types.InvocationDoesNotExist
	if !errors.As(err, &missing) {
		t.Errorf("right after SendCommand: %v, want InvocationDoesNotExist", err)
	}
	advance(time.Second)
	// The lowercase CommandFilter keys of the wire format.
	lp := awsssm.NewListCommandInvocationsPaginator(c, &awsssm.ListCommandInvocationsInput{CommandId: cmd,
		Filters: []types.CommandFilter{{Key: types.CommandFilterKeyStatus, Value: aws.String("Success")}}})
	n := 0
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.CommandInvocations)
	}
	if n != 12 {
		t.Errorf("%d successful invocations listed, want 12", n)
	}
	got, err := c.GetCommandInvocation(ctx, &awsssm.GetCommandInvocationInput{CommandId: cmd, InstanceId: aws.String(ids[0])})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != types.CommandInvocationStatusSuccess || strings.TrimSpace(aws.ToString(got.StandardOutputContent)) == "" {
		t.Errorf("invocation %s %q, want Success with the fixture's uname -m", got.Status, aws.ToString(got.StandardOutputContent))
	}
}
