package ssm_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"upkeep/internal/ssmfake"
	"upkeep/inventory"
	"upkeep/inventory/ssm"
)

// testRetry keeps throttled tests quick without touching production defaults.
var testRetry = ssm.Retry{MaxAttempts: 10, BaseDelay: 5 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, NoQuota: true}

func testOptions() ssm.Options {
	return ssm.Options{
		Script: inventory.Script(), Comment: "upkeep test",
		ExecutionTimeout: 2 * time.Second, DeliveryTimeout: 30 * time.Second,
		PollMin: 20 * time.Millisecond, PollMax: 200 * time.Millisecond,
		PersistBase: 10 * time.Millisecond,
	}
}

type memSink struct {
	mu  sync.Mutex
	obs map[string][]inventory.Observation
}

func (m *memSink) save(_ context.Context, o inventory.Observation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.obs == nil {
		m.obs = map[string][]inventory.Observation{}
	}
	m.obs[o.Host.ID] = append(m.obs[o.Host.ID], o)
	return nil
}

func connect(t *testing.T, url, region string) *ssm.Clients {
	t.Helper()
	return connectWith(t, ssm.Config{Region: region, EndpointURL: url, Retry: testRetry})
}

// inBubble connects to fake in-process (no sockets), for tests that run in a
// testing/synctest bubble: time there moves only when every goroutine of the
// test waits on it, so polls, retries and the fake's executions happen at
// the same fake instants on an idle laptop and on a loaded CI machine.
func inBubble(t *testing.T, fake *ssmfake.Server, region string) *ssm.Clients {
	t.Helper()
	return connectWith(t, ssm.Config{Region: region, EndpointURL: "http://ssm.fake.invalid", Retry: testRetry, HTTPClient: fake.HTTPClient()})
}

func connectWith(t *testing.T, cfg ssm.Config) *ssm.Clients {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CA_BUNDLE", "") // a custom CA bundle needs the SDK's own transport
	c, err := ssm.Connect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScanStatuses(t *testing.T) { synctest.Test(t, testScanStatuses) }

func testScanStatuses(t *testing.T) {
	spec := ssmfake.FleetSpec{Hosts: 14, Offline: 1, Undeliverable: 1, Hang: 1, Fail: 1, Huge: 1, Windows: 1}
	fake := ssmfake.New(ssmfake.Fleet(spec), ssmfake.WithFaults(ssmfake.Faults{
		ThrottleRate: 0.2, PageSize: 5, Invisible: 50 * time.Millisecond,
		ExecDelay: 20 * time.Millisecond, ExecJitter: 100 * time.Millisecond, HangFor: 300 * time.Millisecond, Seed: 1,
	}))
	defer fake.Close()

	ctx := context.Background()
	sc := ssm.NewScanner(inBubble(t, fake, "us-east-1"), testOptions())
	targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	for _, tg := range targets {
		if tg.Status != inventory.StatusPending {
			sink.save(ctx, tg.Observation(1))
		}
	}
	if err := sc.Run(ctx, 1, targets, sink.save, nil); err != nil {
		t.Fatal(err)
	}
	got := map[inventory.Status]int{}
	var ids []string
	for id, list := range sink.obs {
		if len(list) != 1 {
			t.Errorf("%s saved %d times: %+v", id, len(list), list)
		}
		got[list[0].Status]++
		ids = append(ids, id)
		if list[0].Status != inventory.StatusOK {
			t.Logf("%s %s: %s", id, list[0].Status, list[0].Error)
		}
	}
	sort.Strings(ids)
	want := map[inventory.Status]int{inventory.StatusOK: 8, inventory.StatusOffline: 1, inventory.StatusUndeliverable: 1,
		inventory.StatusTimedOut: 1, inventory.StatusFailed: 1, inventory.StatusTruncated: 1, inventory.StatusUnsupported: 1}
	for st, n := range want {
		if got[st] != n {
			t.Errorf("status %s: %d hosts, want %d (all: %v)", st, got[st], n, got)
		}
	}
	t.Logf("calls: %v throttled: %v", fake.Stats().Calls, fake.Stats().Throttled)
}

// With an output bucket, a host whose output passes SSM's 24,000-character
// excerpt is read in full from S3 and stored ok.
func TestScanS3Output(t *testing.T) { synctest.Test(t, testScanS3Output) }

func testScanS3Output(t *testing.T) {
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 3, Huge: 1}), ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 10 * time.Millisecond}))
	defer fake.Close()
	ctx := context.Background()
	opt := testOptions()
	opt.S3Bucket, opt.S3Prefix = "upkeep-outputs", "scans/1"
	sc := ssm.NewScanner(inBubble(t, fake, "us-east-1"), opt)
	targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := sc.Run(ctx, 1, targets, sink.save, nil); err != nil {
		t.Fatal(err)
	}
	huge := ssmfake.InstanceID(2)
	for id, list := range sink.obs {
		o := list[0]
		if o.Status != inventory.StatusOK {
			t.Errorf("%s: %s: %s", id, o.Status, o.Error)
			continue
		}
		if id == huge && len(o.Report.Packages) < 3000 {
			t.Errorf("%s: %d packages, want the 3,000 extra ones too", id, len(o.Report.Packages))
		}
	}
	if n := fake.Stats().Calls["s3:GetObject"]; n != 3 {
		t.Errorf("%d S3 reads, want one per host (3)", n)
	}
}

// Interrupting a scan cancels its commands in SSM, keeps the results that
// arrived and leaves the rest unsaved (pending, for --resume).
func TestScanInterrupted(t *testing.T) { synctest.Test(t, testScanInterrupted) }

func testScanInterrupted(t *testing.T) {
	fleet := ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 20, Hang: 10})
	fake := ssmfake.New(fleet, ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 10 * time.Millisecond}))
	defer fake.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := testOptions()
	opt.ExecutionTimeout = time.Hour // the hanging hosts never finish on their own
	sc := ssm.NewScanner(inBubble(t, fake, "us-east-1"), opt)
	targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	save := func(ctx context.Context, o inventory.Observation) error {
		err := sink.save(ctx, o)
		sink.mu.Lock()
		n := len(sink.obs)
		sink.mu.Unlock()
		if n == 10 {
			cancel() // Ctrl-C once the healthy half is in
		}
		return err
	}
	err = sc.Run(ctx, 1, targets, save, nil)
	if err != context.Canceled {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if len(sink.obs) != 10 {
		t.Errorf("%d results kept, want the 10 that arrived", len(sink.obs))
	}
	if n := fake.Stats().Calls["CancelCommand"]; n != 1 {
		t.Errorf("%d CancelCommand calls, want 1", n)
	}
}
