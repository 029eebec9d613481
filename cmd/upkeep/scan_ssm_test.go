package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/cobra"

	"upkeep/internal/fixtures"
	"upkeep/internal/ssmfake"
	"upkeep/inventory"
	"upkeep/inventory/ssm"
	"upkeep/inventory/store"
)

// fastSSM shortens retries and polling for tests; production keeps the
// SDK-style defaults (scan_ssm.go).
var fastSSM = ssmTuning{
	retry: ssm.Retry{MaxAttempts: 10, BaseDelay: 5 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, NoQuota: true},
	opt:   ssm.Options{PollMin: 50 * time.Millisecond, PollMax: 300 * time.Millisecond, PersistBase: 20 * time.Millisecond, Fetchers: 8},
}

// isolateAWS keeps the SDK away from this machine's AWS config, credentials
// and instance metadata.
func isolateAWS(t testing.TB, dir string) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDUPKEEPTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-aws-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-aws-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CA_BUNDLE", "") // a custom CA bundle needs the SDK's own transport
	t.Setenv("AWS_ENDPOINT_URL_SSM", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
}

// scanWith runs `upkeep scan` as the command would, with options built by
// hand so the test can set ssmTune; it returns the exit code and stderr.
func scanWith(ctx context.Context, t testing.TB, dbPath string, set func(*scanOptions)) (int, string) {
	t.Helper()
	ios, _, errOut := testIO("")
	f := &factory{io: ios, getenv: os.Getenv, now: time.Now, dbPath: dbPath}
	o := &scanOptions{f: f, source: sourceRunCommand, maxConcurrency: "50", maxErrors: "100%",
		timeout: 3 * time.Second, ssmTune: fastSSM, parallel: defaultParallel}
	set(o)
	cmd := &cobra.Command{}
	cmd.SetContext(ctx)
	code := exitCode(o.run(cmd), errOut)
	return code, errOut.String()
}

func observations(t testing.TB, dbPath string, scanID int64) []inventory.Observation {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	obs, err := db.Observations(context.Background(), scanID)
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// TestSSMScanFleet is the end-to-end scan of the issue: 200 fixture
// instances in two regions, a fifth of all API calls throttled, and every
// kind of broken host.
//
// It runs in a testing/synctest bubble with the fake reached in-process:
// polls, retries, the fake's execution delays and the timeouts all run on
// the bubble's clock, which stands still while a collector runs. So the
// number of polls, and of API calls per host, is the scenario's, whatever
// the machine's load.
func TestSSMScanFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on every fixture host")
	}
	synctest.Test(t, testSSMScanFleet)
}

func testSSMScanFleet(t *testing.T) {
	dir := t.TempDir()
	isolateAWS(t, dir)
	regions := []string{"us-east-1", "eu-west-1"}
	spec := ssmfake.FleetSpec{Hosts: 200, Regions: regions, Offline: 5, Undeliverable: 3, Hang: 2, Huge: 1}
	fleet := ssmfake.Fleet(spec)
	fake := ssmfake.New(fleet, ssmfake.WithFaults(ssmfake.Faults{
		ThrottleRate: 0.2, PageSize: 7, Invisible: 100 * time.Millisecond,
		ExecDelay: 50 * time.Millisecond, ExecJitter: 500 * time.Millisecond, HangFor: 500 * time.Millisecond, Seed: 42,
	}))
	defer fake.Close()

	dbPath := filepath.Join(dir, "upkeep.db")
	code, stderr := scanWith(context.Background(), t, dbPath, func(o *scanOptions) {
		o.all, o.regions, o.endpointURL = true, regions, "http://ssm.fake.invalid"
		o.ssmTune.httpClient = fake.HTTPClient()
	})
	t.Logf("stderr:\n%s", stderr)
	if code != exitPartial {
		t.Errorf("exit code %d, want %d (partial)", code, exitPartial)
	}

	want := map[string]inventory.Status{}
	region := map[string]string{}
	pkgs := map[string]int{}
	for _, in := range fleet {
		region[in.ID] = in.Region
		switch {
		case in.Ping == "ConnectionLost":
			want[in.ID] = inventory.StatusOffline
		case in.Fault == ssmfake.FaultUndeliverable:
			want[in.ID] = inventory.StatusUndeliverable
		case in.Fault == ssmfake.FaultHang:
			want[in.ID] = inventory.StatusTimedOut
		case in.Variant != "":
			want[in.ID] = inventory.StatusTruncated
		default:
			want[in.ID] = inventory.StatusOK
			list, err := fixtures.Packages(in.Host.Fixture)
			if err != nil {
				t.Fatal(err)
			}
			pkgs[in.ID] = len(list)
		}
	}
	obs := observations(t, dbPath, 1)
	if len(obs) != len(fleet) {
		t.Errorf("%d observations stored, want one per instance: %d", len(obs), len(fleet))
	}
	seen := map[string]bool{}
	for _, o := range obs {
		id := o.Host.ID
		if seen[id] {
			t.Errorf("%s stored twice", id)
		}
		seen[id] = true
		if o.Status != want[id] {
			t.Errorf("%s: status %s (%s), want %s", id, o.Status, o.Error, want[id])
			continue
		}
		if o.Host.Region != region[id] {
			t.Errorf("%s: region %q, want %q", id, o.Host.Region, region[id])
		}
		if o.Status != inventory.StatusOK {
			if o.Error == "" {
				t.Errorf("%s: status %s without a reason", id, o.Status)
			}
			continue
		}
		if o.Report == nil || len(o.Report.Packages) != pkgs[id] {
			t.Errorf("%s: %d packages stored, want the fixture's %d", id, len(o.Report.Packages), pkgs[id])
		}
		if o.Host.AgentVersion == "" || o.Host.PingStatus != "Online" || o.Host.IPAddress == "" || o.Host.Platform == "" {
			t.Errorf("%s: discovery facts missing: %+v", id, o.Host)
		}
	}

	st := fake.Stats()
	// Without retries, SendCommand is called at most once per 50 scannable
	// hosts of each region.
	bound := 0
	for _, r := range regions {
		n := 0
		for _, in := range fleet {
			if in.Region == r && in.Ping != "ConnectionLost" {
				n++
			}
		}
		bound += int(math.Ceil(float64(n) / 50))
	}
	if sent := st.Calls["SendCommand"] - st.Throttled["SendCommand"]; sent > bound {
		t.Errorf("%d SendCommand calls answered, want at most %d", sent, bound)
	}
	perHost := float64(st.Total()) / float64(len(fleet))
	t.Logf("API calls: %d for %d hosts = %.2f per host (%d throttled); by operation %v", st.Total(), len(fleet), perHost,
		sum(st.Throttled), st.Calls)
	// Per host: one GetCommandInvocation, plus a share of discovery, sends
	// and polls, plus the throttled ones retried.
	if perHost > 3 {
		t.Errorf("%.2f API calls per host, want at most 3", perHost)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestSSMHelperProcess is not a test: TestSSMResumeAfterKill runs it in a
// child process (the test binary again) to have a scan to kill.
func TestSSMHelperProcess(t *testing.T) {
	url := os.Getenv("UPKEEP_SSM_HELPER_URL")
	if url == "" {
		t.Skip("helper process for TestSSMResumeAfterKill")
	}
	code, stderr := scanWith(context.Background(), t, os.Getenv("UPKEEP_SSM_HELPER_DB"), func(o *scanOptions) {
		o.all, o.regions, o.endpointURL, o.verbose = true, []string{"us-east-1"}, url, true
		o.f.io.errOut = os.Stderr // the parent watches results arrive
	})
	fmt.Fprintf(os.Stderr, "exit %d\n%s", code, stderr)
}

// TestSSMResumeAfterKill kills a scan mid-way (SIGKILL: no chance to clean
// up), then resumes it: only hosts with no stored result run again.
func TestSSMResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	dir := t.TempDir()
	isolateAWS(t, dir)
	fleet := ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 60})
	fake := ssmfake.New(fleet, ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 100 * time.Millisecond, ExecJitter: 4 * time.Second, Seed: 7}))
	defer fake.Close()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	dbPath := filepath.Join(dir, "upkeep.db")

	cmd := exec.Command(os.Args[0], "-test.run=^TestSSMHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "UPKEEP_SSM_HELPER_URL="+srv.URL, "UPKEEP_SSM_HELPER_DB="+dbPath)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a dozen results are stored: the verbose line of a host is
	// printed after its row is committed.
	sc := bufio.NewScanner(pipe)
	arrived := 0
	for arrived < 12 && sc.Scan() {
		if strings.Contains(sc.Text(), ": ok, ") {
			arrived++
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // killed: its error says so
	if arrived < 12 {
		t.Fatalf("the scan ended before it could be killed (%d results)", arrived)
	}

	before := observations(t, dbPath, 1)
	okBefore := map[string]bool{}
	for _, o := range before {
		if o.Status == inventory.StatusOK {
			okBefore[o.Host.ID] = true
		}
	}
	if len(okBefore) < 12 || len(okBefore) == len(fleet) {
		t.Fatalf("%d hosts ok after the kill, want some but not all of %d", len(okBefore), len(fleet))
	}
	sentBefore := fake.Invocations()

	code, stderr := scanWith(context.Background(), t, dbPath, func(o *scanOptions) { o.resume, o.endpointURL = 1, srv.URL })
	t.Logf("resume stderr:\n%s", stderr)
	if code != exitOK {
		t.Errorf("resume exit code %d, want 0", code)
	}
	after := observations(t, dbPath, 1)
	if len(after) != len(fleet) {
		t.Errorf("%d observations after resume, want %d", len(after), len(fleet))
	}
	sentAfter := fake.Invocations()
	rerun := 0
	for _, o := range after {
		if o.Status != inventory.StatusOK {
			t.Errorf("%s: %s after resume: %s", o.Host.ID, o.Status, o.Error)
		}
		again := sentAfter[o.Host.ID] - sentBefore[o.Host.ID]
		switch {
		case okBefore[o.Host.ID] && again != 0:
			t.Errorf("%s was already scanned but ran again", o.Host.ID)
		case !okBefore[o.Host.ID] && again != 1:
			t.Errorf("%s had no result but was sent %d times by the resume", o.Host.ID, again)
		}
		if again > 0 {
			rerun++
		}
	}
	t.Logf("%d hosts stored before the kill, %d run by the resume", len(okBefore), rerun)
}

// TestSSMScripts runs the CLI scripts in testdata/script/ssm against a fake
// SSM endpoint (AWS_ENDPOINT_URL_SSM), with production retry and polling.
func TestSSMScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	fleet := ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 12, Offline: 1, Windows: 1, Fail: 1, Inventory: true})
	fake := ssmfake.New(fleet, ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 50 * time.Millisecond, ExecJitter: 200 * time.Millisecond}))
	srv := httptest.NewServer(fake)
	// The scripts run as parallel subtests, after this function returns:
	// stop the server only when they are done.
	t.Cleanup(func() {
		srv.Close()
		fake.Close()
	})
	testscript.Run(t, testscript.Params{
		Dir:  "testdata/script/ssm",
		Cmds: scriptCmds,
		Setup: func(env *testscript.Env) error {
			env.Setenv("XDG_DATA_HOME", env.WorkDir+"/data")
			env.Setenv("UPKEEP_DB", "")
			env.Setenv("AWS_ENDPOINT_URL_SSM", srv.URL)
			env.Setenv("AWS_ACCESS_KEY_ID", "AKIDUPKEEPTEST")
			env.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
			env.Setenv("AWS_REGION", "us-east-1")
			env.Setenv("AWS_CONFIG_FILE", env.WorkDir+"/no-aws-config")
			env.Setenv("AWS_SHARED_CREDENTIALS_FILE", env.WorkDir+"/no-aws-credentials")
			env.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			return nil
		},
	})
}

// Ctrl-C (a cancelled context: main cancels it on SIGINT and SIGTERM) exits
// 130, as shells report an interrupted command, never 1.
func TestInterruptExits130(t *testing.T) {
	dir := t.TempDir()
	isolateAWS(t, dir)
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 2}))
	defer fake.Close()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, _, errOut := testIO("")
	code := run(ctx, []string{"--db", filepath.Join(dir, "upkeep.db"), "scan", "--all", "--region", "us-east-1", "--endpoint-url", srv.URL}, ios, os.Getenv)
	if code != exitInterrupted || exitInterrupted != 130 {
		t.Errorf("exit code %d, want 130; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "interrupted; what was already stored is kept") {
		t.Errorf("stderr %q does not say the scan was interrupted", errOut)
	}
}
