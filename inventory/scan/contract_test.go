package scan_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"upkeep/internal/ssmfake"
	"upkeep/internal/synth"
	"upkeep/inventory"
	"upkeep/inventory/scan"
	"upkeep/inventory/ssm"
	"upkeep/inventory/store"
)

// clock is an injected clock: each call is a second after the last.
type clock struct{ t time.Time }

func (c *clock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

// sourceCase is one kind of source as the contract test drives it.
type sourceCase struct {
	name  string
	hosts int // hosts a good scan stores
	// good is a source that scans every host; broken one that cannot
	// produce a host and says so (an error, or a host that failed).
	good, broken func(t *testing.T) scan.Source
	// brokenReason: the broken source ends with an error, stored as the
	// scan's reason; otherwise its one host failed and the scan is
	// classified failed from its hosts.
	brokenReason bool
	// resume is a source that can finish an interrupted scan; nil when
	// the source cannot resume.
	resume func(t *testing.T) scan.Source
}

// TestSourceContract checks the same life-cycle guarantees for every
// source: a good scan ends complete with its counts; a broken one ends
// failed, never interrupted; a cancelled one stays interrupted and, where
// the source can, is resumed to complete; and neither a failed nor an
// interrupted scan is ever the one the judging commands pick.
func TestSourceContract(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	dir := t.TempDir()
	isolateAWS(t, dir)
	reports, err := synth.Fleet(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := synth.WriteDir(filepath.Join(dir, "fleet"), reports)
	if err != nil {
		t.Fatal(err)
	}
	files := func() []scan.File {
		var fs []scan.File
		for _, p := range paths {
			fs = append(fs, scan.File{Path: p, Label: filepath.Base(p)})
		}
		return fs
	}
	one, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	// Two files claiming one host from two machines: the import stops.
	impostor := filepath.Join(dir, "impostor.out")
	r := *reports[0]
	r.Facts.MachineID = "0badc0de0badc0de0badc0de0badc0d"
	var buf bytes.Buffer
	if err := inventory.Encode(&buf, &r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(impostor, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	fleet := ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 3, Inventory: true})
	fake := ssmfake.New(fleet)
	t.Cleanup(func() { fake.Close() })
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	dead := httptest.NewServer(nil)
	dead.Close() // connection refused: a region that cannot be reached
	ssmSource := func(url string, inv bool) func(t *testing.T) scan.Source {
		return func(t *testing.T) scan.Source {
			sel := ssm.Selector{All: true}
			return &ssm.Fleet{Inventory: inv, Selector: sel, Targets: sel.String(), Parallel: 2,
				Scanners: scanners(t, url, []string{"us-east-1"})}
		}
	}
	ssmResume := func(inv bool) func(t *testing.T) scan.Source {
		return func(t *testing.T) scan.Source {
			return &ssm.Fleet{Inventory: inv, Parallel: 2, Connect: func(_ context.Context, regions []string) ([]*ssm.Scanner, error) {
				return scanners(t, srv.URL, regions), nil
			}}
		}
	}

	cases := []sourceCase{
		{name: "run-command", hosts: 3, good: ssmSource(srv.URL, false), broken: ssmSource(dead.URL, false),
			brokenReason: true, resume: ssmResume(false)},
		{name: "ssm-inventory", hosts: 3, good: ssmSource(srv.URL, true), broken: ssmSource(dead.URL, true),
			brokenReason: true, resume: ssmResume(true)},
		{name: "local", hosts: 1,
			good: func(*testing.T) scan.Source {
				return &scan.Local{Host: "box", Collect: func(context.Context) ([]byte, error) { return one, nil }}
			},
			broken: func(*testing.T) scan.Source {
				return &scan.Local{Host: "box", Collect: func(context.Context) ([]byte, error) { return nil, errors.New("sh: not found") }}
			}},
		{name: "import", hosts: 3,
			good: func(*testing.T) scan.Source { return &scan.Import{Files: files(), Targets: "fleet"} },
			broken: func(*testing.T) scan.Source {
				return &scan.Import{Files: []scan.File{{Path: paths[0], Label: "a"}, {Path: impostor, Label: "b"}}, Targets: "impostor"}
			},
			brokenReason: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { testContract(t, tc) })
	}
}

func testContract(t *testing.T, tc sourceCase) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "upkeep.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk := &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	opt := scan.Options{Now: clk.now}

	// A scan that stores hosts ends complete, with its counts.
	good, err := scan.Run(ctx, db, tc.good(t), opt)
	if err != nil {
		t.Fatalf("good scan: %v", err)
	}
	if st := good.Scan.State(); st != inventory.ScanComplete || good.Scan.Stored() != tc.hosts || good.Scan.Scanned() != tc.hosts {
		t.Fatalf("good scan %d: %s, %d stored, %d scanned; want complete, %d hosts (%v)", good.Scan.ID, st,
			good.Scan.Stored(), good.Scan.Scanned(), tc.hosts, good.Scan.Counts)
	}
	if good.Scan.Finished.IsZero() || !good.Scan.Finished.After(good.Scan.Started) {
		t.Errorf("good scan: started %v, finished %v", good.Scan.Started, good.Scan.Finished)
	}

	// A source that cannot produce a host ends failed, never interrupted.
	bad, err := scan.Run(ctx, db, tc.broken(t), opt)
	if tc.brokenReason != (err != nil) {
		t.Errorf("broken scan: error %v, want one: %v", err, tc.brokenReason)
	}
	stored := mustScan(t, db, bad.Scan.ID)
	if stored.State() != inventory.ScanFailed || stored.Finished.IsZero() {
		t.Errorf("broken scan %d: %s (finished %v), want failed", stored.ID, stored.State(), stored.Finished)
	}
	if tc.brokenReason && (stored.Error == "" || stored.Error != err.Error()) {
		t.Errorf("broken scan reason %q, want the source's error %v", stored.Error, err)
	}
	judged(t, db, good.Scan.ID, "after a failed scan")

	// Cancelled once a host is stored: interrupted, what was stored kept.
	cctx, cancel := context.WithCancel(ctx)
	copt := opt
	copt.Recorded = func(inventory.Observation) { cancel() }
	cut, err := scan.Run(cctx, db, tc.good(t), copt)
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan: error %v, want context.Canceled", err)
	}
	stored = mustScan(t, db, cut.Scan.ID)
	if stored.State() != inventory.ScanInterrupted || stored.Stored() == 0 {
		t.Errorf("cancelled scan %d: %s with %d hosts, want interrupted with what it stored", stored.ID, stored.State(), stored.Stored())
	}
	judged(t, db, good.Scan.ID, "after an interrupted scan")

	ropt := opt
	ropt.Resume = cut.Scan.ID
	if tc.resume == nil {
		_, err := scan.Run(ctx, db, tc.good(t), ropt)
		if !errors.Is(err, scan.ErrNotResumable) {
			t.Errorf("resume of a %s scan: %v, want ErrNotResumable", tc.name, err)
		}
		if s := mustScan(t, db, cut.Scan.ID); s.State() != inventory.ScanInterrupted {
			t.Errorf("refused resume changed scan %d to %s", s.ID, s.State())
		}
		return
	}
	res, err := scan.Run(ctx, db, tc.resume(t), ropt)
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if res.Scan.ID != cut.Scan.ID || res.Scan.State() != inventory.ScanComplete || res.Scan.Scanned() != tc.hosts || res.Resumed == 0 {
		t.Errorf("resumed scan %d: %s, %d scanned, %d resumed; want scan %d complete with %d", res.Scan.ID, res.Scan.State(),
			res.Scan.Scanned(), res.Resumed, cut.Scan.ID, tc.hosts)
	}
	judged(t, db, cut.Scan.ID, "after the resume")
	// Once complete, there is nothing left to resume.
	again, err := scan.Run(ctx, db, tc.resume(t), ropt)
	if err != nil || !again.NothingToResume {
		t.Errorf("second resume: %+v, %v; want nothing to resume", again, err)
	}
}

// judged checks the scan the judging commands pick by default.
func judged(t *testing.T, db *store.DB, want int64, when string) {
	t.Helper()
	r, err := db.ResolveScan(context.Background(), 0)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	if r.Scan.ID != want {
		t.Errorf("%s: judging scan %d, want %d", when, r.Scan.ID, want)
	}
}

func mustScan(t *testing.T, db *store.DB, id int64) inventory.Scan {
	t.Helper()
	if id == 0 {
		t.Fatal("no scan was begun")
	}
	s, err := db.Scan(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func scanners(t *testing.T, url string, regions []string) []*ssm.Scanner {
	t.Helper()
	var out []*ssm.Scanner
	for _, r := range regions {
		c, err := ssm.Connect(context.Background(), ssm.Config{Region: r, EndpointURL: url,
			Retry: ssm.Retry{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxBackoff: 10 * time.Millisecond, NoQuota: true}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ssm.NewScanner(c, ssm.Options{Script: inventory.Script(), ExecutionTimeout: 30 * time.Second,
			PollMin: 10 * time.Millisecond, PollMax: 50 * time.Millisecond, PersistBase: 5 * time.Millisecond}))
	}
	return out
}

// isolateAWS keeps the SDK away from this machine's AWS configuration.
func isolateAWS(t *testing.T, dir string) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDUPKEEPTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-aws-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-aws-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CA_BUNDLE", "")
	t.Setenv("AWS_ENDPOINT_URL_SSM", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
}
